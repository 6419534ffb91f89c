// Handshake messages over records (RFC 5246 §6.2.1 and §7.4): reassembly of
// incoming messages and splitting of outgoing ones.
//
// The record layer "MAY coalesce multiple client messages of the same
// ContentType into a single TLSPlaintext record, or fragment a single message
// across several records" (§6.2.1). So one handshake record may hold several
// messages, and one message (a Certificate chain of 20 KiB, say) may span
// several records. Each message carries its own 4-byte header:
//
//   struct {
//       HandshakeType msg_type;    1 byte
//       uint24 length;             3 bytes
//       ... body ...
//   } Handshake;
//
// `HandshakeReassembler` takes the plaintext of handshake records in arrival
// order and gives back whole messages, header included (the transcript hash
// covers the header). A message longer than the configured maximum is refused
// as soon as its header arrives, before its bytes are buffered. The limit is a
// size, never a count: the ClientHello has a limit of its own, the largest its
// encoding allows, so any number of suites or extensions fits (see below).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/bytes.h"
#include "record/alert.h"

namespace tls12::record {

inline constexpr size_t kHandshakeHeaderSize = 4;
// Default largest handshake message accepted: room for a certificate chain of a
// few certificates with large keys. Raise it for longer chains.
inline constexpr size_t kDefaultMaxHandshakeMessageSize = 65536;
// The largest ClientHello body RFC 5246 §7.4.1.2 can encode: client_version 2,
// random 32, session_id 1+32, cipher_suites 2+65534, compression_methods
// 1+255, extensions 2+65535 = 131,396 bytes (128 KiB + 324). OpenSSL accepts
// exactly this much (its CLIENT_HELLO_MAX_LENGTH); so do we, which makes the
// encoding the only bound on the number of suites and extensions. A header
// announcing more cannot be a ClientHello and is refused like any excessive
// message, with illegal_parameter, before its bytes are buffered.
inline constexpr size_t kMaxClientHelloBodySize = 131396;

struct HandshakeMessage {
  uint8_t msg_type;  // HandshakeType (§7.4); the handshake layer names it
  ByteView body;     // the message without its 4-byte header
  ByteView raw;      // header + body, as it goes into the transcript hash
};

class HandshakeReassembler {
 public:
  // `max_client_hello_size` bounds the body of a ClientHello (type 1), the one
  // message a server must accept before it knows anything about its peer;
  // `max_message_size` bounds the body of every other message.
  explicit HandshakeReassembler(size_t max_message_size = kDefaultMaxHandshakeMessageSize,
                                size_t max_client_hello_size = kMaxClientHelloBodySize)
      : max_message_size_(max_message_size), max_client_hello_size_(max_client_hello_size) {}

  // Adds the plaintext of one handshake record. An empty fragment is an
  // `unexpected_message` (§6.2.1 forbids sending them). A header announcing a
  // body longer than the maximum is `illegal_parameter` (the alert OpenSSL
  // sends for an excessive message size). Invalidates earlier messages' views.
  void add_fragment(ByteView fragment);

  // The next complete message, or nullopt if its bytes have not all arrived.
  // Its views stay valid until the next add_fragment().
  std::optional<HandshakeMessage> next();

  // Bytes of a message that has started but not finished (or of messages not
  // yet taken with next()). A ChangeCipherSpec or a key change must not arrive
  // while this is non-zero: a message may not straddle a change of keys.
  size_t buffered() const { return end_ - start_; }
  bool has_partial_message() const { return buffered() != 0; }
  // Frees the buffer when no message is partly there (or not yet taken).
  void release_buffer();

  size_t max_message_size() const { return max_message_size_; }
  size_t max_client_hello_size() const { return max_client_hello_size_; }

 private:
  void check_headers() const;
  size_t limit_for(uint8_t msg_type) const;

  Bytes buffer_;
  size_t start_ = 0;  // first byte not yet returned as a message
  size_t end_ = 0;
  size_t max_message_size_;
  size_t max_client_hello_size_;
};

// Splits a handshake message stream (one or more whole messages, headers
// included) into record-sized fragments of at most `max_fragment` bytes (never
// empty). RecordLayer::write does this by itself; this is the stand-alone form.
std::vector<ByteView> split_into_fragments(ByteView data, size_t max_fragment);

}  // namespace tls12::record
