// Arithmetic modulo P-256's p and n (FIPS 186-5 §6, SP 800-186 §3.2.1.3): the
// parts of p256_field.h that are not small enough to inline.
#include "crypto/p256_field.h"

namespace tls12::crypto::p256 {

namespace {
// a^(2^n): n squarings.
Limbs square_n(Limbs a, int n) {
  for (int i = 0; i < n; ++i) a = field_sqr(a);
  return a;
}
Limbs mul_p(const Limbs& a, const Limbs& b) { return field_mul(a, b); }
}  // namespace

// The chain (found by the addchain tool; Go's crypto/internal/nistec uses the
// same). Below, xN = a^(2^N - 1), a run of N one bits of the exponent, and
// "<< k" is k squarings:
//   x2 = a^3, x3 = a^7, x6 = x3 << 3 * x3, x12 = x6 << 6 * x6,
//   x15 = x12 << 3 * x3, x16 = x15 << 1 * a, x32 = x16 << 16 * x16,
//   i53 = x32 << 15, x47 = x15 * i53,
//   i263 = ((i53 << 17 * a) << 143 * x47) << 47,
//   a^(p-2) = (x47 * i263) << 2 * a.
Limbs field_inverse(const Limbs& a) {
  const Limbs x2 = mul_p(square_n(a, 1), a);          // _11
  const Limbs x3 = mul_p(square_n(x2, 1), a);         // _111
  const Limbs x6 = mul_p(square_n(x3, 3), x3);        // _111111
  const Limbs x12 = mul_p(square_n(x6, 6), x6);
  const Limbs x15 = mul_p(square_n(x12, 3), x3);
  const Limbs x16 = mul_p(square_n(x15, 1), a);
  const Limbs x32 = mul_p(square_n(x16, 16), x16);
  const Limbs i53 = square_n(x32, 15);
  const Limbs x47 = mul_p(x15, i53);
  Limbs t = mul_p(square_n(i53, 17), a);
  t = mul_p(square_n(t, 143), x47);
  t = square_n(t, 47);                                // i263
  return mul_p(square_n(mul_p(x47, t), 2), a);
}

}  // namespace tls12::crypto::p256
