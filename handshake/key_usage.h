// The keyUsage of a certificate against the use a TLS 1.2 handshake makes of
// its key (RFC 5280 §4.2.1.3; RFC 5246 §7.4.2: the certificate "MUST be
// appropriate for the negotiated cipher suite's key exchange algorithm"):
//
//   RSA key transport (TLS_RSA_*): the client encrypts the premaster secret
//     to the server's key                                  keyEncipherment
//   ECDHE/DHE: the server signs ServerKeyExchange           digitalSignature
//   a client certificate: the client signs CertificateVerify digitalSignature
//
// A certificate without a keyUsage extension allows every use. Both sides
// apply the rule to the peer's leaf (unsupported_certificate, the alert the
// chain check gives for a key usage unfit for TLS), and a server does not pick
// a suite its own certificate may not serve. Path validation (x509/) only
// checks that a leaf allows some TLS use; which one is decided here, where
// the suite is known.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"

namespace tls12::handshake {

enum class KeyUse { key_transport, signing };

// What the server's key does for a suite with this key exchange.
KeyUse server_key_use(KeyExchange key_exchange);

// The leaf's keyUsage bits (bit i = RFC 5280 bit i), nullopt when it has none
// or does not parse (a leaf that does not parse fails elsewhere).
std::optional<uint16_t> leaf_key_usage(ByteView leaf_der);

bool key_usage_allows(const std::optional<uint16_t>& key_usage, KeyUse use);

// Throws TlsError(unsupported_certificate) naming `whose` certificate.
void check_key_usage(const std::optional<uint16_t>& key_usage, KeyUse use, std::string_view whose);

}  // namespace tls12::handshake
