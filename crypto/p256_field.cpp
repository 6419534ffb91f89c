// Arithmetic modulo P-256's p and n (FIPS 186-5 §6, SP 800-186 §3.2.1.3): the
// parts of p256_field.h that are not small enough to inline, and the
// inversions mod p (projective to affine) and mod n (ECDSA's k^-1 and s^-1).
#include "crypto/p256_field.h"

#include <algorithm>

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

// ---- Mod n ------------------------------------------------------------------------

namespace {

// t * R^-1 mod n for a 512-bit t: Montgomery reduction word by word (n has
// no special shape to exploit, unlike p), with the carry out of each round
// held back to the next as in field_reduce.
Limbs order_reduce(uint64_t (&t)[9]) {
  uint64_t pending = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {  // t += q * n * 2^(64 i), clearing t[i]
    const uint64_t q = t[i] * kOrderN.m0inv;
    uint64_t carry = 0;
    TLS12_UNROLL for (int j = 0; j < 4; ++j) {
      const u128 c = static_cast<u128>(q) * kOrderN.m[j] + t[i + j] + carry;
      t[i + j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    const u128 c = static_cast<u128>(t[i + 4]) + carry + pending;
    t[i + 4] = static_cast<uint64_t>(c);
    pending = static_cast<uint64_t>(c >> 64);
  }
  // (t + Q*n) / 2^256 < 2n: at most one subtraction, masked.
  Limbs result = {t[4], t[5], t[6], t[7]}, reduced;
  const uint64_t borrow = sub_borrow(reduced, result, kOrderN.m);
  select(result, reduced, ~mask_from_bit(borrow & (pending ^ 1)));
  return result;
}

// The exponent n - 2 of Fermat's a^-1 = a^(n-2).
constexpr Limbs kOrderMinus2 = {kOrderN.m[0] - 2, kOrderN.m[1], kOrderN.m[2], kOrderN.m[3]};

bool exponent_bit(int i) { return (kOrderMinus2[i / 64] >> (i % 64)) & 1; }

}  // namespace

Limbs order_mul(const Limbs& a, const Limbs& b) {
  uint64_t t[9];
  mul_wide(a, b, t);
  return order_reduce(t);
}

Limbs order_sqr(const Limbs& a) {
  uint64_t t[9];
  sqr_wide(a, t);
  return order_reduce(t);
}

// Sliding windows of up to 4 bits over n-2, from the top: a run of zero bits
// costs one squaring each, and a window (which starts and ends with a one)
// one multiplication by an odd power a^1 .. a^15 after its squarings. n-2 is
// a public constant, so the branches and the table index below follow it
// alone: the same sequence of operations for every a.
Limbs order_inverse(const Limbs& a) {
  std::array<Limbs, 8> odd_powers;  // a^1, a^3, ..., a^15
  odd_powers[0] = a;
  const Limbs a2 = order_sqr(a);
  for (size_t i = 1; i < odd_powers.size(); ++i) odd_powers[i] = order_mul(odd_powers[i - 1], a2);
  Limbs r = kOrderN.one;
  int i = 255;
  while (i >= 0) {
    if (!exponent_bit(i)) {
      r = order_sqr(r);
      --i;
      continue;
    }
    int low = std::max(i - 3, 0);
    while (!exponent_bit(low)) ++low;  // the window ends on a one
    unsigned window = 0;
    for (int j = i; j >= low; --j) {
      r = order_sqr(r);
      window = (window << 1) | (exponent_bit(j) ? 1u : 0u);
    }
    r = order_mul(r, odd_powers[window >> 1]);
    i = low - 1;
  }
  return r;
}

}  // namespace tls12::crypto::p256
