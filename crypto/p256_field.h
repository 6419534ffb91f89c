// Arithmetic modulo the two primes of NIST P-256 (FIPS 186-5 §6, SP 800-186
// §3.2.1.3): the field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1, in which
// point coordinates live, and the group order n, in which ECDSA's scalars
// (private keys, nonces, r and s) live.
//
// Both are 256-bit primes, so one piece of code serves both: a residue is four
// 64-bit limbs (least significant first), kept in Montgomery form a*R mod m
// with R = 2^256, and multiplied with Montgomery's reduction (word by word,
// "CIOS", on unsigned __int128 products). `Modulus` carries what differs.
//
// Constant time: every function here runs the same instructions and touches
// the same memory whatever the values are. There is no `if` on a limb; a
// choice between two results is made with an all-ones/all-zeros mask
// (`select`), and "is it zero / is it smaller" comes back as such a mask, not
// as a bool, so that the caller cannot branch on it by accident. Only the
// exponents of `mont_pow` (p-2, n-2: public constants) steer a loop.
#pragma once

#include <array>
#include <cstdint>
#include <span>

namespace tls12::crypto::p256 {

// The loops below run over four limbs. GCC at -O2 does not unroll them by
// itself, and a rolled loop keeps the limbs in memory; unrolled, they stay in
// registers (this roughly halves the time of a multiplication).
#define TLS12_UNROLL _Pragma("GCC unroll 4")

using Limbs = std::array<uint64_t, 4>;  // little-endian: limbs[0] is the least significant
using u128 = unsigned __int128;

struct Modulus {
  Limbs m;         // the prime
  uint64_t m0inv;  // -m^-1 mod 2^64, for Montgomery reduction
  Limbs r2;        // R^2 mod m: to_mont(a) = mont_mul(a, R^2)
  Limbs one;       // R mod m: 1 in Montgomery form
};

// p = 2^256 - 2^224 + 2^192 + 2^96 - 1. Its lowest limb is 2^64 - 1, so
// -p^-1 mod 2^64 is 1 and the reduction's quotient digit is the low limb itself.
inline constexpr Modulus kFieldP = {
    {0xffffffffffffffff, 0x00000000ffffffff, 0x0000000000000000, 0xffffffff00000001},
    0x0000000000000001,
    {0x0000000000000003, 0xfffffffbffffffff, 0xfffffffffffffffe, 0x00000004fffffffd},
    {0x0000000000000001, 0xffffffff00000000, 0xffffffffffffffff, 0x00000000fffffffe}};

// n, the order of the base point G (the curve's cofactor is 1: every point
// other than infinity has order n).
inline constexpr Modulus kOrderN = {
    {0xf3b9cac2fc632551, 0xbce6faada7179e84, 0xffffffffffffffff, 0xffffffff00000000},
    0xccd1c8aaee00bc4f,
    {0x83244c95be79eea2, 0x4699799c49bd6fa6, 0x2845b2392b6bec59, 0x66e12d94f3d95620},
    {0x0c46353d039cdaaf, 0x4319055258e8617b, 0x0000000000000000, 0x00000000ffffffff}};

// ---- Masks -------------------------------------------------------------------

// All ones if `bit` (0 or 1) is 1, else zero: 0 - 1 wraps to all ones.
inline uint64_t mask_from_bit(uint64_t bit) { return 0 - bit; }

// out = mask ? a : out, for a mask of all ones or all zeros. Mixing bits with
// AND/OR instead of branching keeps the choice out of the branch predictor
// and the instruction cache.
inline void select(Limbs& out, const Limbs& a, uint64_t mask) {
  TLS12_UNROLL for (int i = 0; i < 4; ++i) out[i] = (out[i] & ~mask) | (a[i] & mask);
}

// All ones if a == 0. OR-ing the limbs and testing the top bit of (x - 1) &
// ~x avoids the comparison a compiler might turn into a jump.
inline uint64_t is_zero_mask(const Limbs& a) {
  const uint64_t x = a[0] | a[1] | a[2] | a[3];
  return mask_from_bit(((x - 1) & ~x) >> 63);
}

inline uint64_t equal_mask(const Limbs& a, const Limbs& b) {
  return is_zero_mask({a[0] ^ b[0], a[1] ^ b[1], a[2] ^ b[2], a[3] ^ b[3]});
}

// a - b over four limbs; returns the final borrow (0 or 1).
inline uint64_t sub_borrow(Limbs& out, const Limbs& a, const Limbs& b) {
  uint64_t borrow = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {
    const u128 d = static_cast<u128>(a[i]) - b[i] - borrow;
    out[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;  // the wrapped high half is all ones on a borrow
  }
  return borrow;
}

// All ones if a < b: the borrow of a - b, turned into a mask.
inline uint64_t less_than_mask(const Limbs& a, const Limbs& b) {
  Limbs ignored;
  return mask_from_bit(sub_borrow(ignored, a, b));
}

// ---- Modular addition and subtraction (inputs already reduced) ----------------

// (a + b) mod m: add, then subtract m and keep the difference unless it
// borrowed past the carry of the addition. Both results are computed; the
// mask chooses.
inline Limbs mod_add(const Limbs& a, const Limbs& b, const Modulus& M) {
  Limbs sum;
  uint64_t carry = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {
    const u128 s = static_cast<u128>(a[i]) + b[i] + carry;
    sum[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  Limbs reduced;
  const uint64_t borrow = sub_borrow(reduced, sum, M.m);
  // sum + carry*2^256 < m exactly when the subtraction borrowed and there was no carry.
  select(sum, reduced, ~mask_from_bit(borrow & (carry ^ 1)));
  return sum;
}

// (a - b) mod m: subtract, then add m back, masked by the borrow.
inline Limbs mod_sub(const Limbs& a, const Limbs& b, const Modulus& M) {
  Limbs diff;
  const uint64_t mask = mask_from_bit(sub_borrow(diff, a, b));
  uint64_t carry = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {
    const u128 s = static_cast<u128>(diff[i]) + (M.m[i] & mask) + carry;
    diff[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  return diff;
}

// ---- Montgomery multiplication -------------------------------------------------

// a * b * R^-1 mod m (Montgomery, CIOS: Koç, Acar, Kaliski 1996). Each of the
// four rounds adds a * b[i] and then the multiple q*m that clears the lowest
// limb, and drops that limb (a division by 2^64 that costs nothing). The
// result is below 2m; one masked subtraction brings it below m.
[[gnu::always_inline]] inline Limbs mont_mul(const Limbs& a, const Limbs& b, const Modulus& M) {
  uint64_t t[6] = {0, 0, 0, 0, 0, 0};
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {
    u128 c = 0;
    TLS12_UNROLL for (int j = 0; j < 4; ++j) {
      c = static_cast<u128>(a[j]) * b[i] + t[j] + (c >> 64);
      t[j] = static_cast<uint64_t>(c);
    }
    c = static_cast<u128>(t[4]) + (c >> 64);
    t[4] = static_cast<uint64_t>(c);
    t[5] = static_cast<uint64_t>(c >> 64);

    const uint64_t q = t[0] * M.m0inv;
    c = static_cast<u128>(q) * M.m[0] + t[0];
    TLS12_UNROLL for (int j = 1; j < 4; ++j) {
      c = static_cast<u128>(q) * M.m[j] + t[j] + (c >> 64);
      t[j - 1] = static_cast<uint64_t>(c);
    }
    c = static_cast<u128>(t[4]) + (c >> 64);
    t[3] = static_cast<uint64_t>(c);
    t[4] = t[5] + static_cast<uint64_t>(c >> 64);
  }
  Limbs result = {t[0], t[1], t[2], t[3]}, reduced;
  const uint64_t borrow = sub_borrow(reduced, result, M.m);
  select(result, reduced, ~mask_from_bit(borrow & (t[4] ^ 1)));
  return result;
}

// t * R^-1 mod p for a 512-bit t (t[8] receives the final carry),
// Montgomery reduction specialised to p's shape (a Solinas prime): the
// quotient digit q is the low limb (-p^-1 mod 2^64 = 1), and
// q*p = q*2^256 - q*2^224 + q*2^192 + q*2^96 - q needs one multiplication by
// a constant instead of four. The point formulas spend most of their time here.
[[gnu::always_inline]] inline Limbs field_reduce(uint64_t (&t)[9]) {
  // Round i changes limbs i+1 .. i+4 only; its carry out of limb i+4 waits in
  // `pending` for the next round, which adds it where it touches that limb
  // last, so no round carries through the whole top half.
  uint64_t pending = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {  // t += q * p * 2^(64 i), clearing t[i]
    const uint64_t q = t[i];
    // Limb i: t[i] + q*(2^64 - 1) = q*2^64, so limb i+1 receives q plus its own
    // q*(2^32 - 1): q*2^32 in all. Limb i+2 of p is 0; limb i+3 is 2^64 - 2^32 + 1.
    u128 c = static_cast<u128>(t[i + 1]) + (static_cast<u128>(q) << 32);
    t[i + 1] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 2]) + (c >> 64);
    t[i + 2] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 3]) + static_cast<u128>(q) * 0xffffffff00000001 + (c >> 64);
    t[i + 3] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[i + 4]) + (c >> 64) + pending;
    t[i + 4] = static_cast<uint64_t>(c);
    pending = static_cast<uint64_t>(c >> 64);
  }
  t[8] = pending;
  // (t + Q*p) / 2^256 < 2p: at most one subtraction, masked.
  Limbs result = {t[4], t[5], t[6], t[7]}, reduced;
  const uint64_t borrow = sub_borrow(reduced, result, kFieldP.m);
  select(result, reduced, ~mask_from_bit(borrow & (t[8] ^ 1)));
  return result;
}

// a * b * R^-1 mod p: the same result as mont_mul(a, b, kFieldP), faster.
[[gnu::always_inline]] inline Limbs field_mul(const Limbs& a, const Limbs& b) {
  uint64_t t[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {  // t = a * b, schoolbook
    uint64_t carry = 0;
    TLS12_UNROLL for (int j = 0; j < 4; ++j) {
      const u128 c = static_cast<u128>(a[j]) * b[i] + t[i + j] + carry;
      t[i + j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    t[i + 4] = carry;
  }
  return field_reduce(t);
}

// a * a * R^-1 mod p with 10 word products instead of 16: each a_i*a_j with
// i != j appears twice in the square, so it is computed once and doubled.
[[gnu::always_inline]] inline Limbs field_sqr(const Limbs& a) {
  uint64_t t[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  TLS12_UNROLL for (int i = 0; i < 3; ++i) {  // the products a_i * a_j, i < j
    uint64_t carry = 0;
    TLS12_UNROLL for (int j = i + 1; j < 4; ++j) {
      const u128 c = static_cast<u128>(a[i]) * a[j] + t[i + j] + carry;
      t[i + j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    t[i + 4] = carry;
  }
  TLS12_UNROLL for (int k = 7; k >= 1; --k) t[k] = (t[k] << 1) | (t[k - 1] >> 63);  // doubled (t[0] is 0)
  u128 c = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {  // plus the squares a_i^2
    const u128 square = static_cast<u128>(a[i]) * a[i];
    c = static_cast<u128>(t[2 * i]) + static_cast<uint64_t>(square) + (c >> 64);
    t[2 * i] = static_cast<uint64_t>(c);
    c = static_cast<u128>(t[2 * i + 1]) + static_cast<uint64_t>(square >> 64) + (c >> 64);
    t[2 * i + 1] = static_cast<uint64_t>(c);
  }
  return field_reduce(t);
}

inline Limbs to_mont(const Limbs& a, const Modulus& M) { return mont_mul(a, M.r2, M); }
inline Limbs from_mont(const Limbs& a, const Modulus& M) { return mont_mul(a, {1, 0, 0, 0}, M); }

// a^e in Montgomery form. Only for public exponents: it looks a power up by
// the exponent's digits.
Limbs mont_pow(const Limbs& a, const Limbs& e, const Modulus& M);

// a^-1 = a^(m-2) (Fermat; m is prime). Runs the same steps for every a, so
// inverting a secret (an ECDSA nonce, a Z coordinate) leaks nothing. 0 maps to 0.
Limbs mont_inverse(const Limbs& a, const Modulus& M);

// a^-1 mod p by an addition chain for the exponent p - 2 (255 squarings and
// 12 multiplications, against about 480 operations for mont_inverse): the
// inversion that turns every projective result back into x and y. Same
// result as mont_inverse(a, kFieldP); the chain is fixed, so still constant time.
Limbs field_inverse(const Limbs& a);

// ---- Bytes --------------------------------------------------------------------

// Big-endian 32 bytes (how SEC 1 §2.3.7 writes field elements and scalars) to
// limbs, not reduced.
Limbs limbs_from_bytes(std::span<const uint8_t, 32> in);
void limbs_to_bytes(const Limbs& a, std::span<uint8_t, 32> out);

// ---- The field of coordinates, with operators so that the point formulas in
// p256.cpp read like the paper's.

struct Fe {
  Limbs v;  // Montgomery form mod p
};

inline Fe operator+(const Fe& a, const Fe& b) { return {mod_add(a.v, b.v, kFieldP)}; }
inline Fe operator-(const Fe& a, const Fe& b) { return {mod_sub(a.v, b.v, kFieldP)}; }
inline Fe operator*(const Fe& a, const Fe& b) { return {field_mul(a.v, b.v)}; }
inline Fe square(const Fe& a) { return {field_sqr(a.v)}; }

}  // namespace tls12::crypto::p256
