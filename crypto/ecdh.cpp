// ECDH over P-256 (SEC 1 §3.3.1 and §3.2.2.1); see ecdh.h.
#include "crypto/ecdh.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/bignum.h"

namespace tls12::crypto {

bool p256_ecdh(ByteView private_key, ByteView peer_public, std::span<uint8_t, 32> shared) {
  std::fill(shared.begin(), shared.end(), 0);
  p256::Limbs d;
  if (!p256::private_scalar_from_bytes(private_key, d))
    throw std::invalid_argument("P-256 private key must be 32 bytes in [1, n-1]");
  const auto peer = p256::decode_point(peer_public);  // public input: may branch
  if (!peer) return false;
  const p256::Point product = p256::scalar_mult(d, *peer);
  secure_zero(d.data(), sizeof d);
  // Infinity is impossible for d in [1, n-1] and Q of order n; checked anyway
  // (SEC 1 §3.3.1 step 2), and the verdict is public.
  uint64_t at_infinity = p256::is_infinity_mask(product);
  ct_declassify(&at_infinity, sizeof at_infinity);
  if (at_infinity) return false;
  p256::Limbs x, y;
  p256::to_affine(product, x, y);
  p256::limbs_to_bytes(x, shared);
  secure_zero(x.data(), sizeof x);
  secure_zero(y.data(), sizeof y);
  return true;
}

}  // namespace tls12::crypto
