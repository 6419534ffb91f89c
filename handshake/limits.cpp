// Limits a public server applies to ClientHello and certificate chains, and
// TLS_FALLBACK_SCSV (RFC 7507 §3); see limits.h.
#include "handshake/limits.h"

#include <string>

#include "record/alert.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

[[noreturn]] void too_many(AlertDescription alert, const std::string& what, size_t count, size_t limit) {
  throw TlsError(alert, what + " (" + std::to_string(count) + ") exceeds this endpoint's limit of " +
                            std::to_string(limit));
}

}  // namespace

void check_client_hello_size(size_t message_size, const HandshakeLimits& limits) {
  if (message_size > limits.max_client_hello_size)
    too_many(AlertDescription::illegal_parameter, "ClientHello size in bytes", message_size,
             limits.max_client_hello_size);
}

void check_certificate_chain_limits(const std::vector<Bytes>& chain, const HandshakeLimits& limits) {
  if (chain.size() > limits.max_certificate_chain_length)
    too_many(AlertDescription::bad_certificate, "certificate chain length", chain.size(),
             limits.max_certificate_chain_length);
  size_t total = 0;
  for (const Bytes& certificate : chain) total += certificate.size();
  if (total > limits.max_certificate_chain_size)
    too_many(AlertDescription::bad_certificate, "certificate chain size in bytes", total,
             limits.max_certificate_chain_size);
}

void check_fallback_scsv(const ClientHello& hello, ProtocolVersion highest) {
  // The client only sends the SCSV on a retry with a version below its best;
  // if we could have spoken something higher, its first attempt was blocked
  // by someone in the middle, and going on would complete the downgrade.
  if (hello.offers(suites::TLS_FALLBACK_SCSV) && hello.client_version < highest)
    throw TlsError(AlertDescription::inappropriate_fallback,
                   "client signals a fallback (TLS_FALLBACK_SCSV) to a version below the highest this server "
                   "supports");
}

std::chrono::milliseconds HandshakeDeadline::remaining(Clock::time_point now) const {
  if (now >= end_) return std::chrono::milliseconds{0};
  return std::chrono::duration_cast<std::chrono::milliseconds>(end_ - now);
}

std::function<bool()> HandshakeDeadline::keep_waiting() const {
  HandshakeDeadline copy = *this;
  return [copy] { return !copy.expired(); };
}

}  // namespace tls12::handshake
