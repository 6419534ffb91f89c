// Passive decoding of a TLS 1.2 connection seen from outside (a capture):
// the two byte streams of a TCP connection and an NSS key log in, the same
// events a live Connection reports (protocol/events.h) out, from the client's
// point of view (Direction::sent = client to server).
//
//   records        RFC 5246 §6.2.1 framing, each reported as RecordSeen
//   handshake      messages reassembled across records (§6.2.1) and decoded
//                  field by field (handshake/describe.h); the ServerHello
//                  gives the suite, the key exchange and, with the
//                  ClientHello, extended master secret (RFC 7627) and
//                  Encrypt-then-MAC (RFC 7366)
//   keys           the master_secret from the key log line of this
//                  ClientHello.random (NSS format: CLIENT_RANDOM <random>
//                  <master_secret>), the key_block from it (§6.3) through the
//                  engine's key schedule, for full and resumed handshakes
//   records opened after each ChangeCipherSpec with the engine's record
//                  protection (AES-GCM, ChaCha20-Poly1305, AES-CBC + HMAC);
//                  nothing is ever sent
//   Finished       both verify_data values recomputed (§7.4.9)
//
// Where a direction cannot be decoded any further (no key log line for this
// connection, a TLS 1.3 or TLS 1.0 connection, a stream that is not TLS, a
// record cut short, a record that does not open), the rest of that direction
// is reported once as Undecoded with a one-line reason; nothing is thrown.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "illustrate/pcap.h"
#include "protocol/events.h"

namespace tls12::illustrate {

// The CLIENT_RANDOM lines of an NSS key log file, by client_random. Other
// labels (the TLS 1.3 secrets) and '#' comments are skipped.
class KeyLog {
 public:
  // Throws std::runtime_error naming the line of a malformed CLIENT_RANDOM
  // line ("key log line 3: master secret is not 96 hex digits").
  static KeyLog parse(std::string_view text);

  // The master secret logged for `client_random`, or nullopt.
  std::optional<ByteView> master_secret(ByteView client_random) const;
  size_t size() const { return secrets_.size(); }

 private:
  std::map<Bytes, SecretBytes> secrets_;
};

// The two directions of one connection as captured.
struct PassiveInput {
  ByteView client_to_server;
  ByteView server_to_client;
  // The order in which the streams' bytes arrived (TcpConnection::arrival).
  // Empty: the whole client stream, then the whole server stream.
  std::vector<StreamChunk> arrival;
  // Why a stream stops short (a hole in the capture); empty when whole.
  std::string client_gap;
  std::string server_gap;
};

// What the decoding found, for a one-line summary.
struct PassiveSummary {
  std::string cipher_suite;     // the RFC name, empty before a ServerHello
  bool handshake_complete = false;
  bool resumed = false;
  size_t records = 0;           // records reported, both directions
  size_t records_opened = 0;    // protected records decrypted and authenticated
  size_t undecoded = 0;         // Undecoded events (0, 1 or 2)
};

// Decodes `input` and reports every event to `observer`, in the order the
// bytes arrived.
PassiveSummary decode_passively(const PassiveInput& input, const KeyLog& keylog, const protocol::Observer& observer);

// The same for a reassembled TCP connection.
PassiveSummary decode_passively(const TcpConnection& connection, const KeyLog& keylog,
                                const protocol::Observer& observer);

}  // namespace tls12::illustrate
