// Arithmetic modulo the primes of the NIST curves (FIPS 186-5 §6, SP 800-186
// §3.2.1): the field primes p, in which point coordinates live, and the group
// orders n, in which ECDSA's scalars live. P-256 (p256_field.h) uses it with
// four 64-bit limbs, P-384 (p384.h) with six.
//
// A residue is N limbs (least significant first) kept in Montgomery form
// a*R mod m with R = 2^(64 N), multiplied with Montgomery's reduction (word by
// word, "CIOS", on unsigned __int128 products). `Modulus` carries what
// differs from one prime to another.
//
// Constant time: every function here runs the same instructions and touches
// the same memory whatever the values are. There is no `if` on a limb; a
// choice between two results is made with an all-ones/all-zeros mask
// (`select`), and "is it zero / is it smaller" comes back as such a mask, not
// as a bool, so that the caller cannot branch on it by accident. Only the
// exponent of `mont_pow` (m-2: a public constant) steers a loop.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tls12::crypto::ec_field {

// The loops below run over N limbs. GCC at -O2 does not unroll them by itself,
// and a rolled loop keeps the limbs in memory; unrolled, they stay in
// registers (this roughly halves the time of a P-256 multiplication).
#define TLS12_UNROLL _Pragma("GCC unroll 8")

template <size_t N>
using Limbs = std::array<uint64_t, N>;  // little-endian: limbs[0] is the least significant
using u128 = unsigned __int128;

template <size_t N>
struct Modulus {
  Limbs<N> m;      // the prime
  uint64_t m0inv;  // -m^-1 mod 2^64, for Montgomery reduction
  Limbs<N> r2;     // R^2 mod m: to_mont(a) = mont_mul(a, R^2)
  Limbs<N> one;    // R mod m: 1 in Montgomery form
};

// ---- Masks -------------------------------------------------------------------

// All ones if `bit` (0 or 1) is 1, else zero: 0 - 1 wraps to all ones.
inline uint64_t mask_from_bit(uint64_t bit) { return 0 - bit; }

// out = mask ? a : out, for a mask of all ones or all zeros. Mixing bits with
// AND/OR instead of branching keeps the choice out of the branch predictor
// and the instruction cache.
template <size_t N>
inline void select(Limbs<N>& out, const Limbs<N>& a, uint64_t mask) {
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) out[i] = (out[i] & ~mask) | (a[i] & mask);
}

// All ones if a == 0. OR-ing the limbs and testing the top bit of (x - 1) &
// ~x avoids the comparison a compiler might turn into a jump.
template <size_t N>
inline uint64_t is_zero_mask(const Limbs<N>& a) {
  uint64_t x = 0;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) x |= a[i];
  return mask_from_bit(((x - 1) & ~x) >> 63);
}

template <size_t N>
inline uint64_t equal_mask(const Limbs<N>& a, const Limbs<N>& b) {
  Limbs<N> x;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) x[i] = a[i] ^ b[i];
  return is_zero_mask(x);
}

// a - b over N limbs; returns the final borrow (0 or 1).
template <size_t N>
inline uint64_t sub_borrow(Limbs<N>& out, const Limbs<N>& a, const Limbs<N>& b) {
  uint64_t borrow = 0;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) {
    const u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
    out[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;  // the wrapped high half is all ones on a borrow
  }
  return borrow;
}

// All ones if a < b: the borrow of a - b, turned into a mask.
template <size_t N>
inline uint64_t less_than_mask(const Limbs<N>& a, const Limbs<N>& b) {
  Limbs<N> ignored;
  return mask_from_bit(sub_borrow(ignored, a, b));
}

// ---- Modular addition and subtraction (inputs already reduced) ----------------

// (a + b) mod m: add, then subtract m and keep the difference unless it
// borrowed past the carry of the addition. Both results are computed; the
// mask chooses.
template <size_t N>
inline Limbs<N> mod_add(const Limbs<N>& a, const Limbs<N>& b, const Modulus<N>& M) {
  Limbs<N> sum;
  uint64_t carry = 0;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) {
    const u128 s = static_cast<u128>(a[i]) + b[i] + carry;
    sum[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  Limbs<N> reduced;
  const uint64_t borrow = sub_borrow(reduced, sum, M.m);
  // sum + carry*R < m exactly when the subtraction borrowed and there was no carry.
  select(sum, reduced, ~mask_from_bit(borrow & (carry ^ 1)));
  return sum;
}

// (a - b) mod m: subtract, then add m back, masked by the borrow.
template <size_t N>
inline Limbs<N> mod_sub(const Limbs<N>& a, const Limbs<N>& b, const Modulus<N>& M) {
  Limbs<N> diff;
  const uint64_t mask = mask_from_bit(sub_borrow(diff, a, b));
  uint64_t carry = 0;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) {
    const u128 s = static_cast<u128>(diff[i]) + (M.m[i] & mask) + carry;
    diff[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  return diff;
}

// ---- Montgomery multiplication -------------------------------------------------

// a * b * R^-1 mod m (Montgomery, CIOS: Koç, Acar, Kaliski 1996). Each of the
// N rounds adds a * b[i] and then the multiple q*m that clears the lowest
// limb, and drops that limb (a division by 2^64 that costs nothing). The
// result is below 2m; one masked subtraction brings it below m.
template <size_t N>
[[gnu::always_inline]] inline Limbs<N> mont_mul(const Limbs<N>& a, const Limbs<N>& b, const Modulus<N>& M) {
  uint64_t t[N + 2] = {};
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) {
    u128 c = 0;
    TLS12_UNROLL for (size_t j = 0; j < N; ++j) {
      c = static_cast<u128>(a[j]) * b[i] + t[j] + (c >> 64);
      t[j] = static_cast<uint64_t>(c);
    }
    c = static_cast<u128>(t[N]) + (c >> 64);
    t[N] = static_cast<uint64_t>(c);
    t[N + 1] = static_cast<uint64_t>(c >> 64);

    const uint64_t q = t[0] * M.m0inv;
    c = static_cast<u128>(q) * M.m[0] + t[0];
    TLS12_UNROLL for (size_t j = 1; j < N; ++j) {
      c = static_cast<u128>(q) * M.m[j] + t[j] + (c >> 64);
      t[j - 1] = static_cast<uint64_t>(c);
    }
    c = static_cast<u128>(t[N]) + (c >> 64);
    t[N - 1] = static_cast<uint64_t>(c);
    t[N] = t[N + 1] + static_cast<uint64_t>(c >> 64);
  }
  Limbs<N> result, reduced;
  TLS12_UNROLL for (size_t i = 0; i < N; ++i) result[i] = t[i];
  const uint64_t borrow = sub_borrow(reduced, result, M.m);
  select(result, reduced, ~mask_from_bit(borrow & (t[N] ^ 1)));
  return result;
}

template <size_t N>
inline Limbs<N> to_mont(const Limbs<N>& a, const Modulus<N>& M) {
  return mont_mul(a, M.r2, M);
}
template <size_t N>
inline Limbs<N> from_mont(const Limbs<N>& a, const Modulus<N>& M) {
  Limbs<N> one{};
  one[0] = 1;
  return mont_mul(a, one, M);
}

// a^e in Montgomery form, with fixed 4-bit windows over the exponent: 64 N
// squarings and 16 N multiplications by a^0..a^15. Only for public exponents
// (m-2 in this library): it looks a power up by the exponent's digits.
template <size_t N>
Limbs<N> mont_pow(const Limbs<N>& a, const Limbs<N>& e, const Modulus<N>& M) {
  std::array<Limbs<N>, 16> powers;
  powers[0] = M.one;
  for (size_t i = 1; i < 16; ++i) powers[i] = mont_mul(powers[i - 1], a, M);
  Limbs<N> r = M.one;
  for (int w = static_cast<int>(16 * N) - 1; w >= 0; --w) {
    for (int i = 0; i < 4; ++i) r = mont_mul(r, r, M);
    r = mont_mul(r, powers[(e[w / 16] >> (4 * (w % 16))) & 15], M);
  }
  return r;
}

// a^-1 = a^(m-2) (Fermat; m is prime). Runs the same steps for every a, so
// inverting a secret (an ECDSA nonce, a Z coordinate) leaks nothing. 0 maps to 0.
template <size_t N>
Limbs<N> mont_inverse(const Limbs<N>& a, const Modulus<N>& M) {
  Limbs<N> two{}, e;
  two[0] = 2;
  sub_borrow(e, M.m, two);
  return mont_pow(a, e, M);
}

// ---- Bytes --------------------------------------------------------------------

// Big-endian 8 N bytes (how SEC 1 §2.3.7 writes field elements and scalars)
// to limbs, not reduced.
template <size_t N>
Limbs<N> limbs_from_bytes(std::span<const uint8_t, 8 * N> in) {
  Limbs<N> out{};
  for (size_t i = 0; i < 8 * N; ++i) out[N - 1 - i / 8] = (out[N - 1 - i / 8] << 8) | in[i];
  return out;
}

template <size_t N>
void limbs_to_bytes(const Limbs<N>& a, std::span<uint8_t, 8 * N> out) {
  for (size_t i = 0; i < 8 * N; ++i) out[i] = static_cast<uint8_t>(a[N - 1 - i / 8] >> (8 * (7 - i % 8)));
}

}  // namespace tls12::crypto::ec_field
