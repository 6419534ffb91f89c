// Arithmetic modulo P-256's p and n (FIPS 186-5 §6, SP 800-186 §3.2.1.3): the
// parts of p256_field.h that are not small enough to inline.
#include "crypto/p256_field.h"

namespace tls12::crypto::p256 {

Limbs mont_pow(const Limbs& a, const Limbs& e, const Modulus& M) {
  Limbs r = M.one;
  for (int bit = 255; bit >= 0; --bit) {
    r = mont_mul(r, r, M);
    // e is public (p-2 or n-2 in this library): branching on its bits is fine.
    if ((e[bit / 64] >> (bit % 64)) & 1) r = mont_mul(r, a, M);
  }
  return r;
}

Limbs mont_inverse(const Limbs& a, const Modulus& M) {
  Limbs e;
  sub_borrow(e, M.m, {2, 0, 0, 0});
  return mont_pow(a, e, M);
}

Limbs limbs_from_bytes(std::span<const uint8_t, 32> in) {
  Limbs out{};
  for (int i = 0; i < 32; ++i) out[3 - i / 8] = (out[3 - i / 8] << 8) | in[i];
  return out;
}

void limbs_to_bytes(const Limbs& a, std::span<uint8_t, 32> out) {
  for (int i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(a[3 - i / 8] >> (8 * (7 - i % 8)));
}

}  // namespace tls12::crypto::p256
