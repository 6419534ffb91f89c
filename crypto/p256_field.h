// Arithmetic modulo the two primes of NIST P-256 (FIPS 186-5 §6, SP 800-186
// §3.2.1.3): the field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1, in which
// point coordinates live, and the group order n, in which ECDSA's scalars
// (private keys, nonces, r and s) live.
//
// The arithmetic that does not depend on the prime (Montgomery form,
// constant-time masks) is ec_field.h's, here with four limbs; this file adds
// P-256's constants and the multiplication specialised to p's shape, where
// the point formulas spend most of their time.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "crypto/ec_field.h"

namespace tls12::crypto::p256 {

using Limbs = ec_field::Limbs<4>;
using Modulus = ec_field::Modulus<4>;
using ec_field::u128;
using ec_field::mask_from_bit;
using ec_field::select;
using ec_field::is_zero_mask;
using ec_field::equal_mask;
using ec_field::sub_borrow;
using ec_field::less_than_mask;
using ec_field::mod_add;
using ec_field::mod_sub;
using ec_field::mont_mul;
using ec_field::to_mont;
using ec_field::from_mont;
using ec_field::mont_pow;
using ec_field::mont_inverse;

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

// t = a * b, the full 512-bit product (t[8] stays 0 for the reduction's
// carry), schoolbook: shared by the arithmetic mod p and mod n.
[[gnu::always_inline]] inline void mul_wide(const Limbs& a, const Limbs& b, uint64_t (&t)[9]) {
  TLS12_UNROLL for (int k = 0; k < 9; ++k) t[k] = 0;
  TLS12_UNROLL for (int i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    TLS12_UNROLL for (int j = 0; j < 4; ++j) {
      const u128 c = static_cast<u128>(a[j]) * b[i] + t[i + j] + carry;
      t[i + j] = static_cast<uint64_t>(c);
      carry = static_cast<uint64_t>(c >> 64);
    }
    t[i + 4] = carry;
  }
}

// t = a * a with 10 word products instead of 16: each a_i*a_j with i != j
// appears twice in the square, so it is computed once and doubled.
[[gnu::always_inline]] inline void sqr_wide(const Limbs& a, uint64_t (&t)[9]) {
  TLS12_UNROLL for (int k = 0; k < 9; ++k) t[k] = 0;
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
}

// a * b * R^-1 mod p: the same result as mont_mul(a, b, kFieldP), faster.
[[gnu::always_inline]] inline Limbs field_mul(const Limbs& a, const Limbs& b) {
  uint64_t t[9];
  mul_wide(a, b, t);
  return field_reduce(t);
}

// a * a * R^-1 mod p.
[[gnu::always_inline]] inline Limbs field_sqr(const Limbs& a) {
  uint64_t t[9];
  sqr_wide(a, t);
  return field_reduce(t);
}

// a^-1 mod p by an addition chain for the exponent p - 2 (255 squarings and
// 12 multiplications, against about 480 operations for mont_inverse): the
// inversion that turns every projective result back into x and y. Same
// result as mont_inverse(a, kFieldP); the chain is fixed, so still constant time.
Limbs field_inverse(const Limbs& a);

// ---- Scalars mod n (ECDSA) -------------------------------------------------------

// a * b * R^-1 mod n and a * a * R^-1 mod n: the same results as
// mont_mul(a, b, kOrderN), with the product and the reduction as separate
// steps so that squaring can use sqr_wide's 10 word products.
Limbs order_mul(const Limbs& a, const Limbs& b);
Limbs order_sqr(const Limbs& a);

// a^-1 mod n for a in Montgomery form (result in Montgomery form; 0 maps to
// 0): a^(n-2) with about 256 squarings and 50 multiplications, where
// mont_inverse spends 256 multiplications on squarings plus 79 more. The
// inverse of ECDSA's secret nonce k, so every step is fixed: the windows are
// read from the public exponent n-2, never from a.
Limbs order_inverse(const Limbs& a);

// ---- Bytes --------------------------------------------------------------------

// Big-endian 32 bytes (how SEC 1 §2.3.7 writes field elements and scalars) to
// limbs, not reduced.
inline Limbs limbs_from_bytes(std::span<const uint8_t, 32> in) { return ec_field::limbs_from_bytes<4>(in); }
inline void limbs_to_bytes(const Limbs& a, std::span<uint8_t, 32> out) { ec_field::limbs_to_bytes<4>(a, out); }

// ---- The field of coordinates, with operators so that the point formulas in
// p256.cpp read like the paper's.

struct Fe {
  Limbs v;  // Montgomery form mod p
};

// Forced inline: the point formulas are a few dozen of these in a row, and a
// call per operation costs more than a modular addition itself.
[[gnu::always_inline]] inline Fe operator+(const Fe& a, const Fe& b) { return {mod_add(a.v, b.v, kFieldP)}; }
[[gnu::always_inline]] inline Fe operator-(const Fe& a, const Fe& b) { return {mod_sub(a.v, b.v, kFieldP)}; }
[[gnu::always_inline]] inline Fe operator*(const Fe& a, const Fe& b) { return {field_mul(a.v, b.v)}; }
[[gnu::always_inline]] inline Fe square(const Fe& a) { return {field_sqr(a.v)}; }

}  // namespace tls12::crypto::p256
