// Record framing (RFC 5246 §6.2.1): cutting the incoming byte stream into
// records and checking each 5-byte header.
//
// A header is checked field by field as soon as that field has arrived, so a
// peer that is not speaking TLS 1.2 at all (an HTTP request, an SSLv2 hello) is
// refused on its first byte instead of leaving us waiting for a body.
#include "record/record.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace tls12::record {

std::string content_type_name(ContentType type) {
  switch (type) {
    case ContentType::change_cipher_spec: return "change_cipher_spec";
    case ContentType::alert: return "alert";
    case ContentType::handshake: return "handshake";
    case ContentType::application_data: return "application_data";
  }
  return "unknown(" + std::to_string(static_cast<int>(type)) + ")";
}

namespace {

bool is_known_content_type(uint8_t value) {
  return value >= static_cast<uint8_t>(ContentType::change_cipher_spec) &&
         value <= static_cast<uint8_t>(ContentType::application_data);
}

std::string version_text(uint16_t version) {
  static const char* hex = "0123456789abcdef";
  std::string s = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) s += hex[(version >> shift) & 0xf];
  return s;
}

}  // namespace

void write_record_header(MutableByteView out, ContentType type, size_t length, uint16_t version) {
  out[0] = static_cast<uint8_t>(type);
  out[1] = static_cast<uint8_t>(version >> 8);
  out[2] = static_cast<uint8_t>(version);
  out[3] = static_cast<uint8_t>(length >> 8);
  out[4] = static_cast<uint8_t>(length);
}

void write_mac_header(uint8_t out[kMacHeaderSize], uint64_t seq_num, ContentType type, uint16_t version,
                      size_t length) {
  for (int i = 7; i >= 0; --i, seq_num >>= 8) out[i] = static_cast<uint8_t>(seq_num);
  out[8] = static_cast<uint8_t>(type);
  out[9] = static_cast<uint8_t>(version >> 8);
  out[10] = static_cast<uint8_t>(version);
  out[11] = static_cast<uint8_t>(length >> 8);
  out[12] = static_cast<uint8_t>(length);
}

// Makes room for `n` more bytes after end_. Bytes already handed out as
// records are dropped first (that is what invalidates earlier views); the
// buffer only grows when the pending bytes plus `n` do not fit, and then keeps
// its size, so a steady stream of records allocates nothing.
void RecordReader::make_room(size_t n) {
  if (start_ == end_) {
    start_ = end_ = 0;
  } else if (buffer_.size() - end_ < n && start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  if (buffer_.size() - end_ < n) buffer_.resize(std::max(end_ + n, 2 * buffer_.size()));
}

void RecordReader::feed(ByteView bytes) {
  if (bytes.empty()) return;
  make_room(bytes.size());
  std::memcpy(buffer_.data() + end_, bytes.data(), bytes.size());
  end_ += bytes.size();
}

void RecordReader::release_buffer() {
  if (start_ != end_) return;
  SecretBytes().swap(buffer_);
  start_ = end_ = 0;
}

MutableByteView RecordReader::input_space(size_t n) {
  make_room(n);
  return MutableByteView(buffer_).subspan(end_, n);
}

void RecordReader::commit_input(size_t n) {
  if (n > buffer_.size() - end_)
    throw std::invalid_argument("RecordReader::commit_input: more bytes than input_space gave");
  end_ += n;
}

// A peer that sends plain HTTP to a TLS port ("GET / HTTP/1.1") makes its
// first "record" start with a letter: say what it most likely is, as OpenSSL
// does, instead of only a content type number.
std::string RecordReader::plaintext_protocol_hint(const uint8_t* header, size_t have) const {
  if (!legacy_client_hello_) return "";
  static constexpr std::string_view kMethods[] = {"GET ", "POST", "HEAD", "PUT ", "OPTI", "DELE", "CONN", "PATC", "TRAC"};
  std::string_view start(reinterpret_cast<const char*>(header), std::min<size_t>(have, 4));
  for (std::string_view method : kMethods)
    if (method.substr(0, start.size()) == start)
      return " (it looks like plain HTTP: the peer speaks HTTP to a TLS port; use https://)";
  return "";
}

// Checks whatever part of the header at start_ has arrived.
void RecordReader::check_header() const {
  const size_t have = end_ - start_;
  const uint8_t* h = buffer_.data() + start_;
  if (have >= 1 && !is_known_content_type(h[0]))
    throw TlsError(AlertDescription::unexpected_message,
                   "record has content type " + std::to_string(h[0]) +
                       ", which is none of change_cipher_spec, alert, handshake, application_data" +
                       plaintext_protocol_hint(h, have));
  if (have >= 3) {
    const uint16_t version = static_cast<uint16_t>(h[1] << 8 | h[2]);
    // RFC 5246 Appendix E.1: a client may put an older version in the record
    // header of its ClientHello; after that, only the negotiated one. Until
    // then a client knows no better version for any record it sends (an
    // alert, say), so the content rules, not the version, judge those.
    const bool legacy_ok = legacy_client_hello_ && h[1] == 0x03;
    if (version != kTls12Version && !legacy_ok)
      throw TlsError(AlertDescription::protocol_version,
                     "record version " + version_text(version) + " is not TLS 1.2 (0x0303)");
  }
  if (have >= kRecordHeaderSize) {
    const size_t length = static_cast<size_t>(h[3] << 8 | h[4]);
    if (length > kMaxCiphertextLength)
      throw TlsError(AlertDescription::record_overflow,
                     "record of " + std::to_string(length) + " bytes exceeds 2^14+2048");
  }
}

std::optional<Record> RecordReader::next() {
  check_header();
  if (end_ - start_ < kRecordHeaderSize) return std::nullopt;
  uint8_t* h = buffer_.data() + start_;
  const size_t length = static_cast<size_t>(h[3] << 8 | h[4]);
  if (end_ - start_ < kRecordHeaderSize + length) return std::nullopt;

  Record record{static_cast<ContentType>(h[0]), static_cast<uint16_t>(h[1] << 8 | h[2]),
                MutableByteView(h, kRecordHeaderSize),
                MutableByteView(h + kRecordHeaderSize, length)};
  start_ += kRecordHeaderSize + length;
  ++records_read_;
  return record;
}

}  // namespace tls12::record
