// The record layer as `Connection` uses it (RFC 5246 §6): framing, protection
// and handshake reassembly joined into one sans-I/O object.
//
//   incoming bytes --feed()--> RecordReader --open--> per-type checks
//        --> handshake records: HandshakeReassembler --> one message at a time
//        --> alert / ChangeCipherSpec / application_data: the record's plaintext
//   write(type, data) --> fragments of <= 2^14 --> sealed in place --> output()
//
// What is zero-copy (the hot path, docs/record.md, "Where the bytes live"):
//   - Reading: bytes are copied once into the input buffer by feed() (or read
//     into it directly via input_space()/commit_input()); each record is opened
//     in place there and next() returns a view of the plaintext inside that
//     buffer. No allocation per record once the buffer has grown.
//   - Writing: write() copies the caller's plaintext once into the output
//     buffer, at the offset where it belongs inside the record, and seals it
//     there. No allocation per record once the buffer has grown; consuming
//     output keeps the capacity.
//   - Handshake messages are copied into the reassembler's buffer (the
//     handshake is not the hot path, and a message may span records).
//
// Errors are thrown as TlsError with the alert to send; after one, the object
// is in an undefined state and the connection must close.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "crypto/aead.h"
#include "crypto/bytes.h"
#include "record/alert.h"
#include "record/handshake_reassembler.h"
#include "record/protection.h"
#include "record/record.h"

namespace tls12::record {

// Writes protected records into an output buffer. Each fragment is copied to
// its final place (after header and explicit nonce) and sealed there, so a
// record costs one copy of its plaintext and no allocation.
class RecordWriter {
 public:
  // Bytes that write() produces for `data_length` bytes of plaintext: one
  // header and one protection overhead per fragment of max_fragment() bytes.
  size_t protected_size(size_t data_length, const RecordProtection& protection) const;

  // Fragments `data` into records of at most max_fragment() plaintext bytes,
  // seals each with `protection` and writes them at the start of `out`, which
  // must hold protected_size() bytes. Returns the bytes written. Empty data
  // writes nothing for application_data; for the other types it is a bug in
  // the caller (`internal_error`), since §6.2.1 forbids empty fragments.
  size_t write(ContentType type, ByteView data, RecordProtection& protection,
               MutableByteView out) const;

  // Record size limit for outgoing plaintext (RFC 6066 max_fragment_length
  // may lower it); 1..2^14, else std::invalid_argument.
  void set_max_fragment(size_t max_fragment);
  size_t max_fragment() const { return max_fragment_; }

 private:
  size_t max_fragment_ = kMaxPlaintextLength;
};

// One item from RecordLayer::next(). For handshake, `data` is one complete
// handshake message with its 4-byte header; for the other types it is the
// plaintext of one record (ChangeCipherSpec already checked to be {1}; alert
// already checked to be 2 bytes, decoded into `alert`).
struct Inbound {
  ContentType type;
  ByteView data;
  std::optional<Alert> alert;  // set for ContentType::alert
};

// Caps on records that carry nothing (OpenSSL has the same two): a peer may
// send a few warning alerts, or empty application_data records (§6.2.1 allows
// them, e.g. against traffic analysis), in a row, but not an endless stream,
// each costing us a decryption and perhaps an answer. Past the cap:
// unexpected_message (OpenSSL: "too many warn alerts", "record too small").
inline constexpr int kMaxConsecutiveWarningAlerts = 4;  // OpenSSL fails the 5th
inline constexpr int kMaxConsecutiveEmptyRecords = 32;  // OpenSSL's MAX_EMPTY_RECORDS

// One record as it crossed the wire, for observers that draw whole connections
// (protocol::RecordSeen). Only produced when a RecordObserver is set: a
// received record's bytes are then copied before it is opened in place, which
// is the one cost the hot path must not pay otherwise.
struct RecordObservation {
  bool sent = false;
  ContentType type = ContentType::handshake;
  uint64_t sequence_number = 0;
  ByteView wire;        // header and fragment as sent or received
  ByteView plaintext;   // the fragment's content once opened
  const std::string& protection_name;  // empty while unprotected
  size_t record_iv_length = 0;
  size_t mac_length = 0;
  bool encrypt_then_mac = false;
};
using RecordObserver = std::function<void(const RecordObservation&)>;

struct RecordLayerOptions {
  // Server side: the records of the first message (the ClientHello) may carry
  // any version {03,xx}, as RFC 5246 Appendix E.1 requires (clients send
  // 0x0301); every record after it must say 0x0303.
  bool accept_legacy_first_record_version = false;
  size_t max_handshake_message_size = kDefaultMaxHandshakeMessageSize;
  // The body of an incoming ClientHello (servers; a client never accepts one).
  size_t max_client_hello_size = kMaxClientHelloBodySize;
  crypto::AeadImplementation aead_implementation = crypto::AeadImplementation::best;
};

class RecordLayer {
 public:
  explicit RecordLayer(RecordLayerOptions options = {});

  // ---- Incoming ----
  // Bytes from the network, in any chunking. Invalidates views from next().
  void feed(ByteView bytes) { reader_.feed(bytes); }
  // Zero-copy alternative to feed(): write up to n bytes into the view, then
  // commit_input(k).
  MutableByteView input_space(size_t n) { return reader_.input_space(n); }
  void commit_input(size_t n) { reader_.commit_input(n); }

  // The next complete item, or nullopt if more bytes are needed. Records are
  // opened lazily, one per call, so keys installed after a ChangeCipherSpec
  // apply to the very next record. Rules enforced here (RFC 5246 §6.2.1, §7.1,
  // §7.2): empty handshake/alert/ChangeCipherSpec fragments are
  // `unexpected_message`; ChangeCipherSpec must be exactly {1} (`decode_error`
  // for another value, `unexpected_message` for bytes after it) and may not arrive in the middle of a handshake message
  // (`unexpected_message`); an alert must be exactly 2 bytes with level 1 or 2
  // (`decode_error`); application_data before enable_application_data() is
  // `unexpected_message`; so are an alert or application_data in the middle
  // of a handshake message ("MUST NOT be interleaved", §6.2.1) and more than
  // the caps above of warning alerts or empty records in a row. An application_data item may be empty (§6.2.1
  // allows zero-length application data records). Views stay valid until the
  // next feed()/input_space() (record plaintext) or the next call to next()
  // (handshake messages).
  std::optional<Inbound> next();

  // Whether part of a handshake message (or a message not yet taken) is
  // buffered: at a ChangeCipherSpec, or when the peer closes, it must not be.
  bool handshake_message_pending() const { return reassembler_.has_partial_message(); }

  // ---- Outgoing ----
  // Protects `data` as records of `type` (split as needed) onto output().
  // Application data before enable_application_data() is `internal_error`.
  void write(ContentType type, ByteView data);
  void write_alert(Alert alert);
  void write_change_cipher_spec();

  // Protected bytes waiting to be sent; consume_output(n) after sending n.
  // The view is valid until the next write (the buffer may grow).
  ByteView output() const { return ByteView(output_).subspan(output_start_, output_end_ - output_start_); }
  void consume_output(size_t n);
  // All pending output as a new vector; the internal buffer is kept for reuse.
  Bytes take_output();

  // Frees each buffer that holds nothing pending (input, reassembly, output),
  // for an idle connection; they grow again with the next bytes. Views of
  // records already returned by next() die with the input buffer.
  void release_idle_buffers();

  // ---- Keys and state (what the handshake's instructions turn into) ----
  // Switches the read direction to AEAD, sequence number 0 (after receiving
  // ChangeCipherSpec). Refused with `unexpected_message` if part of a handshake
  // message is still buffered.
  void install_read_protection(const TrafficKeys& keys);
  // Switches the write direction (right after sending ChangeCipherSpec).
  void install_write_protection(const TrafficKeys& keys);
  // The handshake is complete: application data may flow both ways.
  void enable_application_data() { application_data_enabled_ = true; }
  bool application_data_enabled() const { return application_data_enabled_; }

  void set_max_fragment(size_t max_fragment) { writer_.set_max_fragment(max_fragment); }

  // Reports every record sent and received from now on (empty: none).
  void set_record_observer(RecordObserver observer);

  const RecordProtection& read_protection() const { return read_; }
  const RecordProtection& write_protection() const { return write_; }
  RecordProtection& read_protection() { return read_; }
  RecordProtection& write_protection() { return write_; }

 private:
  std::optional<Inbound> check_record(ContentType type, ByteView plaintext);
  void count_empty_progress(ContentType type, ByteView plaintext, const std::optional<Alert>& alert);
  void refuse_interleaving(ContentType type) const;
  MutableByteView output_room(size_t n);
  void observe(bool sent, ContentType type, uint64_t seq, ByteView wire, ByteView plaintext) const;
  void observe_written(ContentType type, ByteView data, uint64_t first_seq, ByteView records) const;

  RecordLayerOptions options_;
  RecordReader reader_;
  RecordWriter writer_;
  HandshakeReassembler reassembler_;
  RecordProtection read_;
  RecordProtection write_;

  Bytes output_;  // pending bytes are [output_start_, output_end_)
  size_t output_start_ = 0;
  size_t output_end_ = 0;
  bool application_data_enabled_ = false;
  bool legacy_version_window_ = false;  // still reading the ClientHello's records
  int consecutive_warning_alerts_ = 0;
  int consecutive_empty_records_ = 0;
  // What only an observed record layer needs, behind one pointer: an idle
  // connection that nobody watches pays 8 bytes for it, not 120.
  struct Watch {
    RecordObserver observer;
    Bytes observed_wire;     // a received record's bytes, kept before it is opened in place
    std::string read_name;   // protection_name of each direction, for the observer
    std::string write_name;
  };
  std::unique_ptr<Watch> watch_;
};

}  // namespace tls12::record
