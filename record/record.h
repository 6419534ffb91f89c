// The TLS record layer's framing (RFC 5246 §6.2.1): content types, the record
// header, size limits, and `RecordReader`, which cuts a byte stream into records.
//
//   struct {
//       ContentType type;                 1 byte: 20, 21, 22 or 23
//       ProtocolVersion version;          2 bytes: 0x0303 for TLS 1.2
//       uint16 length;                    2 bytes
//       opaque fragment[TLSPlaintext.length];
//   } TLSPlaintext;
//
// The same 5-byte header frames TLSCiphertext (§6.2.3) once protection is on;
// only the allowed length differs: 2^14 for a plaintext fragment, 2^14 + 2048
// for a protected one. Anything larger is a `record_overflow` alert.
//
// `RecordReader` is sans-I/O: bytes arrive in any chunking (one at a time, or
// many records at once) and complete records come out. It checks each header
// as soon as its 5 bytes are in, so a peer speaking something else (HTTP, SSLv2)
// is rejected without waiting for a body that will never come.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "crypto/bytes.h"
#include "record/alert.h"

namespace tls12::record {

// RFC 5246 §6.2.1. Any other value on the wire is an `unexpected_message`.
enum class ContentType : uint8_t {
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

// "handshake", ... or "unknown(N)" for printing.
std::string content_type_name(ContentType type);

// ProtocolVersion {major, minor} as one big-endian uint16.
inline constexpr uint16_t kTls12Version = 0x0303;
// TLS 1.0's version: real clients put it in the record header of their first
// ClientHello so that old servers do not choke (RFC 5246 Appendix E.1).
inline constexpr uint16_t kTls10Version = 0x0301;

inline constexpr size_t kRecordHeaderSize = 5;
// TLSPlaintext.length MUST NOT exceed 2^14 (§6.2.1).
inline constexpr size_t kMaxPlaintextLength = 16384;
// TLSCiphertext.length MUST NOT exceed 2^14 + 2048 (§6.2.3).
inline constexpr size_t kMaxCiphertextLength = 16384 + 2048;
// The largest record on the wire, header included.
inline constexpr size_t kMaxRecordSize = kRecordHeaderSize + kMaxCiphertextLength;

// One complete record as it sits in the reader's buffer. `header` is the 5
// bytes on the wire; `fragment` is the body, which record protection opens in
// place (hence mutable). Both views stay valid until the next feed() or
// input_space() call on the reader that produced them.
struct Record {
  ContentType type;
  uint16_t version;
  MutableByteView header;
  MutableByteView fragment;
};

// Turns a stream of bytes into records (RFC 5246 §6.2.1 framing only: it does
// not decrypt). Validation, checked as soon as a header is complete:
//   - type is one of the four content types, else `unexpected_message`;
//   - version is 0x0303, or {03,xx} on a ClientHello record while that is
//     allowed (see below), else `protocol_version`;
//   - length is at most kMaxCiphertextLength, else `record_overflow`.
// (Whether a fragment fits the *plaintext* limit depends on the protection
// state, so RecordProtection::open checks that.)
//
// Zero-copy: bytes are copied once into the reader's buffer by feed() (or
// written there directly through input_space()/commit_input(), e.g. by
// recv()); next() returns views into that buffer and moves nothing. The buffer
// grows to the largest amount ever buffered and is then reused.
class RecordReader {
 public:
  RecordReader() = default;

  // A server turns this on before the first byte arrives: handshake records
  // may then carry any version {03,xx} (RFC 5246 Appendix E.1: "a TLS server
  // MUST accept any value {03,XX} as the record layer version number for
  // ClientHello"; real clients send 0x0301 there). Records of other types in
  // that window may carry it too: the client has not yet learned the version,
  // and a record interleaved with a half-received ClientHello then gets the
  // content rule's unexpected_message rather than protocol_version.
  // RecordLayer turns it off as soon as the ClientHello is complete or another
  // record type arrives; from then on only 0x0303.
  void allow_legacy_client_hello_version(bool allow) { legacy_client_hello_ = allow; }

  // Appends received bytes. Invalidates the views of earlier records.
  void feed(ByteView bytes);

  // For reading from a socket straight into the buffer: returns at least `n`
  // writable bytes at the end of the buffered data; after writing k <= n of
  // them, call commit_input(k). Invalidates the views of earlier records.
  MutableByteView input_space(size_t n);
  void commit_input(size_t n);

  // The next complete record, or nullopt if more bytes are needed. Throws
  // TlsError as described above; after an error the reader is unusable (the
  // connection is over).
  std::optional<Record> next();

  // Bytes received but not yet returned as records (a partial record).
  size_t buffered() const { return end_ - start_; }
  // Frees (and wipes) the buffer when it holds nothing more to return. The
  // views of records already returned die with it.
  void release_buffer();
  // Records returned so far.
  uint64_t records_read() const { return records_read_; }

 private:
  void check_header() const;
  std::string plaintext_protocol_hint(const uint8_t* header, size_t have) const;
  void make_room(size_t n);

  // Records are opened in place here, so it holds decrypted application data:
  // a SecretBytes, wiped when it grows and when the reader goes.
  SecretBytes buffer_;
  size_t start_ = 0;  // first byte not yet returned in a record
  size_t end_ = 0;    // end of received bytes
  uint64_t records_read_ = 0;
  bool legacy_client_hello_ = false;
};

// Writes a record header (type, version 0x0303, length) into `out[0..5)`.
void write_record_header(MutableByteView out, ContentType type, size_t length,
                         uint16_t version = kTls12Version);

// seq_num (8) || type (1) || version (2) || length (2): what the record MAC
// covers before the content (RFC 5246 §6.2.3.1, and RFC 7366 §3 with the
// ciphertext's length) and the AEAD additional data (§6.2.3.3).
inline constexpr size_t kMacHeaderSize = 13;
void write_mac_header(uint8_t out[kMacHeaderSize], uint64_t seq_num, ContentType type, uint16_t version,
                      size_t length);

}  // namespace tls12::record
