// ECDH over P-256 (SEC 1 §3.3.1, with the public-key checks of §3.2.2.1): the
// key agreement behind TLS 1.2's ECDHE suites with the named curve secp256r1
// (RFC 8422 §5.10, group 23).
//
// Each side picks a private scalar d and sends Q = d*G (p256::KeyPair); the
// shared secret is the x coordinate of d * Q_peer, 32 bytes big-endian, and
// that x coordinate alone is TLS's pre_master_secret (RFC 8422 §5.10).
#pragma once

#include <cstdint>
#include <span>

#include "crypto/bytes.h"
#include "crypto/p256.h"

namespace tls12::crypto {

// The shared secret x(d * Q) written to `shared`. Returns false, and zeroes
// `shared`, when the peer's point fails SEC 1 §3.2.2.1 (not the uncompressed
// 65-byte form, a coordinate not below p, not on the curve; infinity cannot be
// encoded in that form) or the product is infinity. The curve's cofactor is 1,
// so a point on the curve already has order n and §3.2.2.1 step 4 (n*Q = O)
// needs no extra work. Throws std::invalid_argument if private_key is not 32
// bytes in [1, n-1].
[[nodiscard]] bool p256_ecdh(ByteView private_key, ByteView peer_public, std::span<uint8_t, 32> shared);

}  // namespace tls12::crypto
