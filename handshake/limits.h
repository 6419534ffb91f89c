// What a server facing the public Internet refuses before it spends work on a
// peer: oversized or overlong hellos, certificate chains that would make path
// validation expensive, handshakes that never finish, and version fallbacks.
// Limits are sizes, not counts: RFC 5246 allows a ClientHello with 32,767
// cipher suites and as many extensions as 65,535 bytes hold, real clients
// send long lists (GREASE, padding, post-quantum key shares), and the work per
// entry is small and linear. Each limit ends the handshake with a clean fatal
// alert instead of unbounded memory or CPU:
//
//   ClientHello larger than max_client_hello_size        illegal_parameter
//   a Certificate chain longer than max_certificate_chain_length, or whose
//   certificates add up to more than max_certificate_chain_size  bad_certificate
//
// The default ClientHello limit is the largest ClientHello the encoding allows
// (record::kMaxClientHelloBodySize, 131,396 bytes of body, as OpenSSL), so by
// default only a message that cannot be a ClientHello is refused; a server may
// set a lower one.
//
// (illegal_parameter is also what the record layer sends for a handshake
// message above its size limit, and what OpenSSL sends for an excessive
// message: "a field was out of range".)
//
// TLS_FALLBACK_SCSV (RFC 7507 §3): a client that retries with a lower version
// after a failed attempt adds this signalling value; a server that supports a
// higher version than the ClientHello's answers inappropriate_fallback, which
// turns an attacker-induced downgrade into a failure, "unless it responds with
// a fatal protocol_version alert because the version ... is unsupported": the
// server checks the version first, so with TLS 1.2 only the SCSV never
// changes its answer (protocol_version, as OpenSSL).
//
// The handshake time budget is enforced outside the state machines (they do
// no I/O and have no clock): HandshakeDeadline is the hook a socket loop uses,
// e.g. as SocketOptions::on_timeout with a short per-wait timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/messages.h"
#include "record/handshake_reassembler.h"

namespace tls12::handshake {

struct HandshakeLimits {
  // The whole ClientHello message, header included (see above). Suites and
  // extensions have no limit of their own: this size bounds them.
  size_t max_client_hello_size = record::kHandshakeHeaderSize + record::kMaxClientHelloBodySize;
  // Leaf, intermediates and perhaps the root: real chains have 2 to 4.
  size_t max_certificate_chain_length = 10;
  size_t max_certificate_chain_size = 64 * 1024;
  // The whole handshake, from the first byte to Finished (see HandshakeDeadline).
  std::chrono::milliseconds handshake_time_budget{30000};
};

// Server, before decoding: the whole ClientHello message (header included).
void check_client_hello_size(size_t message_size, const HandshakeLimits& limits);
// Both sides, on the peer's Certificate message, before any certificate is parsed.
void check_certificate_chain_limits(const std::vector<Bytes>& chain, const HandshakeLimits& limits);
// Server: RFC 7507 §3 with `highest` the highest version this server supports.
// Throws TlsError(inappropriate_fallback).
void check_fallback_scsv(const ClientHello& hello, ProtocolVersion highest);

// A time budget for one handshake, started when the connection is accepted.
class HandshakeDeadline {
 public:
  using Clock = std::chrono::steady_clock;
  explicit HandshakeDeadline(std::chrono::milliseconds budget, Clock::time_point start = Clock::now())
      : end_(start + budget) {}
  bool expired(Clock::time_point now = Clock::now()) const { return now >= end_; }
  // What is left, never negative: a per-wait timeout for the socket.
  std::chrono::milliseconds remaining(Clock::time_point now = Clock::now()) const;
  // For SocketOptions::on_timeout: "keep waiting" while the budget lasts, so a
  // peer that trickles one byte per timeout cannot hold a slot forever.
  std::function<bool()> keep_waiting() const;

 private:
  Clock::time_point end_;
};

}  // namespace tls12::handshake
