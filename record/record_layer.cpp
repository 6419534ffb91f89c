// The record layer facade (RFC 5246 §6): records in, items out; data in,
// protected records out. See record_layer.h for the flow and the copy budget.
//
// The per-type rules of §6.2.1, §7.1 and §7.2 are applied here, after the
// record has been opened, because they are about the plaintext: an encrypted
// record whose plaintext is empty is as forbidden as an empty clear one.
#include "record/record_layer.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tls12::record {

// ---- RecordWriter ----

void RecordWriter::set_max_fragment(size_t max_fragment) {
  if (max_fragment == 0 || max_fragment > kMaxPlaintextLength)
    throw std::invalid_argument("record fragment limit must be 1..2^14");
  max_fragment_ = max_fragment;
}

size_t RecordWriter::protected_size(size_t data_length, const RecordProtection& protection) const {
  const size_t records = (data_length + max_fragment_ - 1) / max_fragment_;
  return data_length + records * (kRecordHeaderSize + protection.overhead());
}

size_t RecordWriter::write(ContentType type, ByteView data, RecordProtection& protection,
                           MutableByteView out) const {
  if (data.empty() && type != ContentType::application_data)
    throw TlsError(AlertDescription::internal_error,
                   "refusing to send an empty " + content_type_name(type) + " record (RFC 5246 §6.2.1)");
  if (out.size() < protected_size(data.size(), protection))
    throw TlsError(AlertDescription::internal_error, "output buffer too small for the records");
  size_t written = 0;
  for (size_t pos = 0; pos < data.size();) {
    const size_t n = std::min(max_fragment_, data.size() - pos);
    MutableByteView record = out.subspan(written, kRecordHeaderSize + n + protection.overhead());
    // The one copy: plaintext straight to where it is sealed.
    std::memcpy(record.data() + kRecordHeaderSize + protection.prefix_size(), data.data() + pos, n);
    written += protection.seal(type, record, n);
    pos += n;
  }
  return written;
}

// ---- RecordLayer ----

RecordLayer::RecordLayer(RecordLayerOptions options)
    : options_(options),
      reassembler_(options.max_handshake_message_size, options.max_client_hello_size),
      legacy_version_window_(options.accept_legacy_first_record_version) {}

std::optional<Inbound> RecordLayer::next() {
  for (;;) {
    // Messages already reassembled come first, in order.
    if (auto message = reassembler_.next()) {
      legacy_version_window_ = false;  // the ClientHello is complete
      return Inbound{ContentType::handshake, message->raw, std::nullopt};
    }

    reader_.allow_legacy_client_hello_version(legacy_version_window_);
    std::optional<Record> record = reader_.next();
    if (!record) return std::nullopt;
    if (record->type != ContentType::handshake) legacy_version_window_ = false;
    const uint64_t seq = read_.sequence_number();
    if (watch_) watch_->observed_wire.assign(record->header.data(), record->fragment.data() + record->fragment.size());
    MutableByteView plaintext = read_.open(*record);
    if (watch_) observe(false, record->type, seq, watch_->observed_wire, plaintext);
    if (auto item = check_record(record->type, plaintext)) return item;
  }
}

// Applies the content-type rules to one opened record. Handshake records go to
// the reassembler (nothing to return yet); the others are returned.
std::optional<Inbound> RecordLayer::check_record(ContentType type, ByteView plaintext) {
  switch (type) {
    case ContentType::handshake:
      reassembler_.add_fragment(plaintext);  // rejects an empty fragment
      count_empty_progress(type, plaintext, std::nullopt);
      return std::nullopt;

    case ContentType::change_cipher_spec:
      if (plaintext.empty())
        throw TlsError(AlertDescription::unexpected_message, "empty ChangeCipherSpec record (RFC 5246 §6.2.1)");
      // §7.1: "The message consists of a single byte of value 1." A first
      // byte other than 1 is no ChangeCipherSpec at all: decode_error. A 1
      // followed by more is a ChangeCipherSpec and then something the state
      // allows no longer (a second one, or a stray byte before the keys
      // change): unexpected_message, as OpenSSL and tlsfuzzer's test-ccs
      // expect.
      if (plaintext[0] != 1)
        throw TlsError(AlertDescription::decode_error, "ChangeCipherSpec is not the single byte 1");
      if (plaintext.size() != 1)
        throw TlsError(AlertDescription::unexpected_message,
                       "ChangeCipherSpec record carries " + std::to_string(plaintext.size() - 1) +
                           " more byte(s) after the message");
      // The keys change right after this record; a handshake message cut in
      // two by the change would be read half under each key.
      if (reassembler_.has_partial_message())
        throw TlsError(AlertDescription::unexpected_message,
                       "ChangeCipherSpec arrived in the middle of a handshake message");
      return Inbound{type, plaintext, std::nullopt};

    case ContentType::alert: {
      if (plaintext.empty())
        throw TlsError(AlertDescription::unexpected_message, "empty alert record (RFC 5246 §6.2.1)");
      refuse_interleaving(type);
      std::optional<Alert> alert = decode_alert(plaintext);
      count_empty_progress(type, plaintext, alert);
      return Inbound{type, plaintext, alert};
    }

    case ContentType::application_data:
      if (!application_data_enabled_)
        throw TlsError(AlertDescription::unexpected_message, "application data before the handshake completed");
      refuse_interleaving(type);
      count_empty_progress(type, plaintext, std::nullopt);
      return Inbound{type, plaintext, std::nullopt};
  }
  // The reader accepts only the four types above.
  throw TlsError(AlertDescription::internal_error, "record of unknown content type reached the record layer");
}

// §6.2.1: "handshake messages MUST NOT be interleaved with other record
// types": a message begun in one record must be finished before anything else.
void RecordLayer::refuse_interleaving(ContentType type) const {
  if (reassembler_.has_partial_message())
    throw TlsError(AlertDescription::unexpected_message,
                   content_type_name(type) + " record arrived in the middle of a handshake message");
}

// The caps on warning alerts and empty records in a row (see record_layer.h).
// Any record that carries something resets them.
void RecordLayer::count_empty_progress(ContentType type, ByteView plaintext, const std::optional<Alert>& alert) {
  const bool warning = alert && alert->level == AlertLevel::warning;
  consecutive_warning_alerts_ = warning ? consecutive_warning_alerts_ + 1 : 0;
  if (consecutive_warning_alerts_ > kMaxConsecutiveWarningAlerts)
    throw TlsError(AlertDescription::unexpected_message,
                   "more than " + std::to_string(kMaxConsecutiveWarningAlerts) + " warning alerts in a row");
  const bool empty = type == ContentType::application_data && plaintext.empty();
  consecutive_empty_records_ = empty ? consecutive_empty_records_ + 1 : 0;
  if (consecutive_empty_records_ > kMaxConsecutiveEmptyRecords)
    throw TlsError(AlertDescription::unexpected_message,
                   "more than " + std::to_string(kMaxConsecutiveEmptyRecords) + " empty records in a row");
}

// Room for n more output bytes after output_end_. Sent bytes are dropped first;
// the buffer grows only when the pending bytes plus n do not fit.
MutableByteView RecordLayer::output_room(size_t n) {
  if (output_start_ == output_end_) {
    output_start_ = output_end_ = 0;
  } else if (output_.size() - output_end_ < n && output_start_ > 0) {
    std::memmove(output_.data(), output_.data() + output_start_, output_end_ - output_start_);
    output_end_ -= output_start_;
    output_start_ = 0;
  }
  if (output_.size() - output_end_ < n) output_.resize(std::max(output_end_ + n, 2 * output_.size()));
  return MutableByteView(output_).subspan(output_end_, n);
}

void RecordLayer::write(ContentType type, ByteView data) {
  if (type == ContentType::application_data && !application_data_enabled_)
    throw TlsError(AlertDescription::internal_error, "application data written before the handshake completed");
  MutableByteView room = output_room(writer_.protected_size(data.size(), write_));
  const uint64_t first_seq = write_.sequence_number();
  const size_t written = writer_.write(type, data, write_, room);
  output_end_ += written;
  if (watch_) observe_written(type, data, first_seq, room.first(written));
}

void RecordLayer::set_record_observer(RecordObserver observer) {
  if (!observer) {
    watch_.reset();
    return;
  }
  if (!watch_) watch_ = std::make_unique<Watch>();
  watch_->observer = std::move(observer);
}

void RecordLayer::observe(bool sent, ContentType type, uint64_t seq, ByteView wire, ByteView plaintext) const {
  const RecordProtection& protection = sent ? write_ : read_;
  const BlockCipherProtection* cbc = protection.block_cipher();
  size_t mac_length = 0;
  if (cbc != nullptr) mac_length = cbc->mac_length();
  else if (!protection.is_null()) mac_length = crypto::Aead::tag_size;
  watch_->observer(RecordObservation{sent, type, seq, wire, plaintext, sent ? watch_->write_name : watch_->read_name,
                              protection.prefix_size(), mac_length, cbc != nullptr && cbc->encrypt_then_mac()});
}

// The records writer_.write() just produced, one per fragment of at most
// max_fragment() bytes of `data`, each found by its header's length.
void RecordLayer::observe_written(ContentType type, ByteView data, uint64_t first_seq, ByteView records) const {
  size_t at = 0;
  for (size_t pos = 0, i = 0; at + kRecordHeaderSize <= records.size(); ++i) {
    const size_t length = (size_t{records[at + 3]} << 8) | records[at + 4];
    const size_t n = std::min(writer_.max_fragment(), data.size() - pos);
    observe(true, type, first_seq + i, records.subspan(at, kRecordHeaderSize + length), data.subspan(pos, n));
    at += kRecordHeaderSize + length;
    pos += n;
  }
}

void RecordLayer::write_alert(Alert alert) {
  const auto bytes = encode_alert(alert);
  write(ContentType::alert, bytes);
}

void RecordLayer::write_change_cipher_spec() {
  const uint8_t change_cipher_spec[1] = {1};
  write(ContentType::change_cipher_spec, change_cipher_spec);
}

void RecordLayer::consume_output(size_t n) {
  if (n > output_end_ - output_start_) throw std::invalid_argument("consume_output: more bytes than pending");
  output_start_ += n;
}

void RecordLayer::release_idle_buffers() {
  reader_.release_buffer();
  reassembler_.release_buffer();
  if (output_start_ != output_end_) return;
  Bytes().swap(output_);
  output_start_ = output_end_ = 0;
}

Bytes RecordLayer::take_output() {
  Bytes out(output_.begin() + static_cast<std::ptrdiff_t>(output_start_),
            output_.begin() + static_cast<std::ptrdiff_t>(output_end_));
  output_start_ = output_end_ = 0;
  return out;
}

void RecordLayer::install_read_protection(const TrafficKeys& keys) {
  if (reassembler_.has_partial_message())
    throw TlsError(AlertDescription::unexpected_message, "read keys changed in the middle of a handshake message");
  read_ = RecordProtection(keys, options_.aead_implementation);
  if (watch_) watch_->read_name = protection_name(keys);
}

void RecordLayer::install_write_protection(const TrafficKeys& keys) {
  write_ = RecordProtection(keys, options_.aead_implementation);
  if (watch_) watch_->write_name = protection_name(keys);
}

}  // namespace tls12::record
