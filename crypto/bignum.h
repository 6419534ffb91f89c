// Big unsigned integers for RSA (RFC 8017) and finite-field Diffie-Hellman
// (RFC 7919), on 64-bit limbs stored least significant first.
//
// Two kinds of arithmetic live here, on purpose kept apart:
//
//  * `BigInt`: variable-size integers with ordinary, variable-time algorithms
//    (schoolbook multiplication, Knuth's long division, Euclid's inverse). Only
//    for public values (moduli, public exponents, signatures) and for work done
//    once when a key is loaded.
//  * `Montgomery`: arithmetic modulo one odd modulus on fixed-width limb
//    vectors, written so that the sequence of instructions and the memory
//    addresses touched depend only on the widths, never on the values. This is
//    what the RSA private operation and DH use on secrets.
//
// I2OSP and OS2IP of RFC 8017 §4 are `to_bytes` and `from_bytes`.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "crypto/bytes.h"

namespace tls12::crypto {

using Limb = uint64_t;
// Limb storage is wiped when freed: intermediate values of a private-key
// operation are as secret as the key.
using LimbVector = std::vector<Limb, ZeroingAllocator<Limb>>;

class BigInt {
 public:
  BigInt() = default;
  explicit BigInt(uint64_t value);
  // OS2IP: a big-endian octet string (leading zeros allowed) to an integer.
  static BigInt from_bytes(ByteView big_endian);
  static BigInt from_limbs(const Limb* limbs, size_t count);
  // A uniformly random integer in [1, bound), for bound >= 2.
  static BigInt random_below(const BigInt& bound);

  // I2OSP: exactly `length` bytes; throws std::invalid_argument if the value
  // needs more.
  Bytes to_bytes(size_t length) const;
  void to_bytes(MutableByteView out) const;
  Bytes to_bytes() const;  // minimal (empty for zero)

  bool is_zero() const { return limbs_.empty(); }
  bool is_odd() const { return !limbs_.empty() && (limbs_[0] & 1) != 0; }
  size_t bit_length() const;
  size_t byte_length() const { return (bit_length() + 7) / 8; }
  bool bit(size_t index) const;
  size_t limb_count() const { return limbs_.size(); }
  const LimbVector& limbs() const { return limbs_; }
  // The limbs padded with zeros to `count` (throws if the value needs more).
  LimbVector to_fixed(size_t count) const;

  friend std::strong_ordering operator<=>(const BigInt& a, const BigInt& b);
  friend bool operator==(const BigInt& a, const BigInt& b) { return a.limbs_ == b.limbs_; }

  friend BigInt operator+(const BigInt& a, const BigInt& b);
  // Throws std::invalid_argument if b > a (the integers are unsigned).
  friend BigInt operator-(const BigInt& a, const BigInt& b);
  friend BigInt operator*(const BigInt& a, const BigInt& b);
  friend BigInt operator/(const BigInt& a, const BigInt& b);
  friend BigInt operator%(const BigInt& a, const BigInt& b);
  BigInt operator<<(size_t bits) const;
  BigInt operator>>(size_t bits) const;

  // Knuth's algorithm D (TAOCP vol. 2, §4.3.1); throws on division by zero.
  static void divide(const BigInt& a, const BigInt& b, BigInt& quotient, BigInt& remainder);

 private:
  void normalize();
  LimbVector limbs_;  // no leading (most significant) zero limbs; zero is empty
};

// Euclid's greatest common divisor, variable time (public values, or work
// done once on a key).
BigInt gcd(BigInt a, BigInt b);
// a^-1 mod m; throws std::invalid_argument if gcd(a, m) != 1 or m < 2.
// Variable time: for public values, or for random values independent of any
// secret (the RSA blinding factor).
BigInt mod_inverse(const BigInt& a, const BigInt& m);
// a^e mod m by square-and-multiply, variable time (public exponents only).
// Any m >= 1; odd moduli go through Montgomery multiplication.
BigInt mod_exp_public(const BigInt& a, const BigInt& e, const BigInt& m);

// ---- Constant-time building blocks -------------------------------------
//
// A "mask" is all ones (true) or all zeros (false). Choosing with masks instead
// of `if` keeps secret values out of branch conditions, which the CPU's branch
// predictor and caches would otherwise leak through timing.

// Hides a value from the optimiser so that it cannot turn mask arithmetic back
// into a branch.
inline Limb ct_barrier(Limb x) {
  __asm__("" : "+r"(x));
  return x;
}
inline Limb ct_mask_nonzero(Limb x) {
  x = ct_barrier(x);
  return Limb{0} - ((x | (Limb{0} - x)) >> 63);
}
inline Limb ct_mask_zero(Limb x) { return ~ct_mask_nonzero(x); }
inline Limb ct_mask_eq(Limb a, Limb b) { return ct_mask_zero(a ^ b); }
// a < b for values below 2^63 (lengths and indices).
inline Limb ct_mask_lt_small(Limb a, Limb b) { return Limb{0} - ((a - b) >> 63); }
inline Limb ct_select(Limb mask, Limb a, Limb b) { return (a & mask) | (b & ~mask); }
// r = mask ? a : b, element by element.
void ct_select(Limb mask, Limb* r, const Limb* a, const Limb* b, size_t n);
// I2OSP on a fixed-width limb vector: writes out.size() big-endian bytes from
// the low limbs, looking only at positions, never at values (limbs beyond `n`
// read as zero).
void ct_limbs_to_bytes(const Limb* limbs, size_t n, MutableByteView out);
// Declares a value public on purpose (the outcome of a fault check, an
// "is the padding valid" result that is revealed anyway). Under valgrind it
// marks the memory defined, so the constant-time test only reports accidental
// dependencies; otherwise it does nothing.
void ct_declassify(const void* data, size_t size);

// Arithmetic modulo one odd modulus m > 1, in Montgomery form: x is stored as
// x*R mod m with R = 2^(64*limbs()), so that a product needs no division
// (P. Montgomery, "Modular multiplication without trial division", 1985).
// All values are limbs() limbs wide and fully reduced (< m).
class Montgomery {
 public:
  explicit Montgomery(const BigInt& modulus);

  size_t limbs() const { return k_; }
  const LimbVector& modulus() const { return m_; }
  BigInt modulus_int() const { return BigInt::from_limbs(m_.data(), k_); }

  // r = a*b/R mod m (product scanning, Koc et al. 1996; separated operand
  // scanning with BMI2/ADX for the RSA widths, montgomery_adx.cpp). r may
  // alias a or b.
  void mul(Limb* r, const Limb* a, const Limb* b) const;
  void sqr(Limb* r, const Limb* a) const;
  void to_mont(Limb* r, const Limb* a) const;    // a*R mod m
  void from_mont(Limb* r, const Limb* a) const;  // a/R mod m
  // r = a mod m for an a of `n` limbs, in time that depends only on n and
  // limbs() (Horner's rule on limbs()-wide chunks, no branch on values).
  void reduce(Limb* r, const Limb* a, size_t n) const;
  // r = a - b mod m, r = a + b mod m, for a, b < m.
  void sub_mod(Limb* r, const Limb* a, const Limb* b) const;
  void add_mod(Limb* r, const Limb* a, const Limb* b) const;

  // base^exp mod m for a secret exponent of `exp_limbs` limbs (every bit is
  // processed, so only the width leaks). base < m in normal form; the result is
  // in normal form. Fixed window with a table scanned in full for each lookup.
  LimbVector exp_secret(const Limb* base, const Limb* exp, size_t exp_limbs) const;
  // base^exp mod m, variable time in exp (public exponents); base < m.
  LimbVector exp_public(const Limb* base, const BigInt& exp) const;

  Limb m0inv() const { return m0inv_; }
  const LimbVector& r2() const { return r2_; }

  // The memory that holds this modulus's constants (for the constant-time test
  // when the modulus is a secret prime).
  std::vector<std::span<const uint8_t>> memory() const;

 private:
  // R^2 mod m from m_ and m0inv_ (see montgomery.cpp), in constant time.
  LimbVector square_of_r() const;

  size_t k_;
  // The multiplication and squaring for this width and CPU, chosen once.
  void (*mul_fn_)(Limb*, const Limb*, const Limb*, const Limb*, Limb, size_t);
  void (*sqr_fn_)(Limb*, const Limb*, const Limb*, Limb, size_t);
  LimbVector m_;      // the modulus, k_ limbs
  Limb m0inv_;        // -m^-1 mod 2^64
  LimbVector r2_;     // R^2 mod m
};

// Whether this CPU can run the AVX-512 IFMA path (montgomery_ifma.cpp); false
// when TLS12_CPU=reference.
bool ifma_available();
// Both CRT exponentiations of RSA-2048 at once with AVX-512 IFMA: out_p =
// base_p^exp_p mod p and out_q = base_q^exp_q mod q, for 16-limb moduli,
// bases below them and 16-limb secret exponents, in constant time. Returns
// false without doing anything when IFMA is missing or the sizes differ (the
// caller then uses Montgomery::exp_secret).
bool exp_secret_pair_1024(const Montgomery& mp, const Limb* base_p, const Limb* exp_p, const Montgomery& mq,
                          const Limb* base_q, const Limb* exp_q, LimbVector& out_p, LimbVector& out_q);

}  // namespace tls12::crypto
