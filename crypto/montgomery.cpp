// Constant-time modular arithmetic in Montgomery form (see bignum.h), the engine
// of the RSA private operation (RFC 8017 §5.1.2) and of finite-field DH
// (RFC 7919).
//
// Rules every function here follows, because the values are secret:
//  * loops run a number of times fixed by the limb counts (public);
//  * no `if` on a value: comparisons become masks (all ones / all zeros) and a
//    result is chosen with (a & mask) | (b & ~mask);
//  * no memory address depends on a value: a table lookup reads every entry.
// The constant-time test (tests/crypto/test_rsa_constant_time.cpp) checks this
// under valgrind with the secrets marked as undefined.
#include <stdexcept>

#include "crypto/bignum.h"

namespace tls12::crypto {

using u128 = unsigned __int128;

namespace {

// Working space lives on the stack; this bounds the modulus at 16384 bits,
// far above the 4096-bit RSA and 3072-bit DH moduli this library accepts.
constexpr size_t kMaxLimbs = 256;

// CIOS Montgomery multiplication with the multiply and reduce steps of each
// outer iteration fused into one inner loop. K is the limb count when known at
// compile time (so the compiler can unroll), 0 when it is only known at run time.
//
// Invariant: t < 2m after each outer iteration, so t needs k limbs plus one bit
// (kept in `top`), and one masked subtraction at the end gives a*b/R mod m. The
// same bound holds whenever a*b < m*R, e.g. a < R and b < m (used by `reduce`).
template <size_t K>
void mont_mul(Limb* r, const Limb* a, const Limb* b, const Limb* m, Limb m0inv, size_t k_runtime) {
  const size_t k = K != 0 ? K : k_runtime;
  Limb t[K != 0 ? K + 1 : kMaxLimbs + 1];
  for (size_t j = 0; j <= k; ++j) t[j] = 0;
  for (size_t i = 0; i < k; ++i) {
    const Limb ai = a[i];
    // t += a[i]*b, and at the same time t += q*m with q chosen so that the low
    // limb becomes zero; then t is shifted down one limb (the division by 2^64).
    u128 s = u128{ai} * b[0] + t[0];
    Limb c1 = static_cast<Limb>(s >> 64);
    const Limb t0 = static_cast<Limb>(s);
    const Limb q = t0 * m0inv;
    u128 s2 = u128{q} * m[0] + t0;
    Limb c2 = static_cast<Limb>(s2 >> 64);
    for (size_t j = 1; j < k; ++j) {
      s = u128{ai} * b[j] + t[j] + c1;
      c1 = static_cast<Limb>(s >> 64);
      s2 = u128{q} * m[j] + static_cast<Limb>(s) + c2;
      c2 = static_cast<Limb>(s2 >> 64);
      t[j - 1] = static_cast<Limb>(s2);
    }
    u128 top = u128{t[k]} + c1 + c2;
    t[k - 1] = static_cast<Limb>(top);
    t[k] = static_cast<Limb>(top >> 64);
  }
  // Final subtraction, kept only if t >= m (t[k] set, or no borrow).
  Limb borrow = 0;
  Limb d[K != 0 ? K : kMaxLimbs];
  for (size_t j = 0; j < k; ++j) {
    u128 diff = u128{t[j]} - m[j] - borrow;
    d[j] = static_cast<Limb>(diff);
    borrow = static_cast<Limb>(diff >> 64) & 1;
  }
  const Limb keep_diff = ct_mask_nonzero(t[k]) | ct_mask_zero(borrow);
  for (size_t j = 0; j < k; ++j) r[j] = ct_select(keep_diff, d[j], t[j]);
}

using MulFn = void (*)(Limb*, const Limb*, const Limb*, const Limb*, Limb, size_t);

MulFn pick_mul(size_t k) {
  switch (k) {
    case 16: return mont_mul<16>;  // RSA-2048 CRT halves
    case 24: return mont_mul<24>;  // RSA-3072 CRT halves
    case 32: return mont_mul<32>;  // RSA-2048 n, RSA-4096 halves, ffdhe2048
    case 48: return mont_mul<48>;  // RSA-3072 n, ffdhe3072
    case 64: return mont_mul<64>;  // RSA-4096 n
    default: return mont_mul<0>;
  }
}

// r = a - b over n limbs; returns the borrow (0 or 1).
Limb sub_limbs(Limb* r, const Limb* a, const Limb* b, size_t n) {
  Limb borrow = 0;
  for (size_t i = 0; i < n; ++i) {
    u128 d = u128{a[i]} - b[i] - borrow;
    r[i] = static_cast<Limb>(d);
    borrow = static_cast<Limb>(d >> 64) & 1;
  }
  return borrow;
}

// r = a + b over n limbs; returns the carry (0 or 1).
Limb add_limbs(Limb* r, const Limb* a, const Limb* b, size_t n) {
  Limb carry = 0;
  for (size_t i = 0; i < n; ++i) {
    u128 s = u128{a[i]} + b[i] + carry;
    r[i] = static_cast<Limb>(s);
    carry = static_cast<Limb>(s >> 64);
  }
  return carry;
}

// The bits [pos, pos + width) of a little-endian limb vector. `pos` is public
// (it walks the exponent from the top), only the returned value is secret.
Limb window_at(const Limb* e, size_t n, size_t pos, unsigned width) {
  const size_t limb = pos / 64, off = pos % 64;
  Limb v = e[limb] >> off;
  if (off + width > 64 && limb + 1 < n) v |= e[limb + 1] << (64 - off);
  return v & ((Limb{1} << width) - 1);
}

}  // namespace

Montgomery::Montgomery(const BigInt& modulus) {
  if (!modulus.is_odd() || modulus == BigInt(1)) {
    throw std::invalid_argument("Montgomery arithmetic needs an odd modulus greater than 1");
  }
  k_ = modulus.limb_count();
  if (k_ > kMaxLimbs) throw std::invalid_argument("modulus too large for Montgomery arithmetic");
  m_ = modulus.to_fixed(k_);

  // -m^-1 mod 2^64 by Newton's iteration: x = m0 is right to 3 bits for odd
  // m0, and each step x *= 2 - m0*x doubles the number of correct bits.
  Limb x = m_[0];
  for (int i = 0; i < 5; ++i) x *= 2 - m_[0] * x;
  m0inv_ = Limb{0} - x;

  // R^2 mod m by doubling 1 exactly 2*64*k times with a masked subtraction each
  // time: no division, and no branch on the (possibly secret) prime.
  r2_.assign(k_, 0);
  r2_[0] = 1;
  LimbVector d(k_);
  for (size_t i = 0; i < 128 * k_; ++i) {
    const Limb carry = r2_[k_ - 1] >> 63;
    for (size_t j = k_; j-- > 1;) r2_[j] = (r2_[j] << 1) | (r2_[j - 1] >> 63);
    r2_[0] <<= 1;
    const Limb borrow = sub_limbs(d.data(), r2_.data(), m_.data(), k_);
    ct_select(ct_mask_nonzero(carry) | ct_mask_zero(borrow), r2_.data(), d.data(), r2_.data(), k_);
  }
}

void Montgomery::mul(Limb* r, const Limb* a, const Limb* b) const {
  pick_mul(k_)(r, a, b, m_.data(), m0inv_, k_);
}

void Montgomery::sqr(Limb* r, const Limb* a) const { mul(r, a, a); }

void Montgomery::to_mont(Limb* r, const Limb* a) const { mul(r, a, r2_.data()); }

void Montgomery::from_mont(Limb* r, const Limb* a) const {
  LimbVector one(k_, 0);
  one[0] = 1;
  mul(r, a, one.data());
}

void Montgomery::add_mod(Limb* r, const Limb* a, const Limb* b) const {
  LimbVector s(k_), d(k_);
  const Limb carry = add_limbs(s.data(), a, b, k_);
  const Limb borrow = sub_limbs(d.data(), s.data(), m_.data(), k_);
  ct_select(ct_mask_nonzero(carry) | ct_mask_zero(borrow), r, d.data(), s.data(), k_);
}

void Montgomery::sub_mod(Limb* r, const Limb* a, const Limb* b) const {
  LimbVector d(k_), e(k_);
  const Limb borrow = sub_limbs(d.data(), a, b, k_);
  add_limbs(e.data(), d.data(), m_.data(), k_);
  ct_select(ct_mask_nonzero(borrow), r, e.data(), d.data(), k_);
}

void Montgomery::reduce(Limb* r, const Limb* a, size_t n) const {
  // Horner's rule on k-limb chunks from the top: acc = acc*R + chunk (mod m).
  // mul(x, R^2) = x*R mod m is exact for any x < R (see mont_mul), so a chunk
  // needs no prior reduction; a second mul by 1 takes it out of Montgomery form.
  LimbVector acc(k_, 0), chunk(k_), tmp(k_), one(k_, 0);
  one[0] = 1;
  const size_t chunks = (n + k_ - 1) / k_;
  for (size_t c = chunks; c-- > 0;) {
    for (size_t j = 0; j < k_; ++j) chunk[j] = c * k_ + j < n ? a[c * k_ + j] : 0;
    mul(acc.data(), acc.data(), r2_.data());
    mul(tmp.data(), chunk.data(), r2_.data());
    mul(tmp.data(), tmp.data(), one.data());
    add_mod(acc.data(), acc.data(), tmp.data());
  }
  std::copy(acc.begin(), acc.end(), r);
}

LimbVector Montgomery::exp_secret(const Limb* base, const Limb* exp, size_t exp_limbs) const {
  // 4-bit windows for exponents up to ~1100 bits, 5-bit above: the table
  // (2^w entries, each scanned on every lookup) against the multiplications
  // saved (one per w bits).
  const unsigned w = exp_limbs * 64 > 1100 ? 5 : 4;
  const size_t entries = size_t{1} << w;
  LimbVector table(entries * k_);
  LimbVector one(k_, 0);
  one[0] = 1;
  to_mont(&table[0], one.data());
  to_mont(&table[k_], base);
  for (size_t i = 2; i < entries; ++i) mul(&table[i * k_], &table[(i - 1) * k_], &table[k_]);

  LimbVector acc(k_), pick(k_);
  // Looks up table[index] by reading all entries and keeping one with a mask,
  // so the cache lines touched do not depend on the (secret) window value.
  auto select = [&](Limb index) {
    for (size_t j = 0; j < k_; ++j) pick[j] = 0;
    for (size_t i = 0; i < entries; ++i) {
      const Limb mask = ct_mask_eq(i, index);
      const Limb* entry = &table[i * k_];
      for (size_t j = 0; j < k_; ++j) pick[j] |= entry[j] & mask;
    }
  };

  const size_t bits = exp_limbs * 64;
  // Windows are aligned to the least significant bit; the top one may be short.
  size_t pos = (bits / w) * w;
  const unsigned top_width = static_cast<unsigned>(bits - pos);
  if (top_width != 0) {
    select(window_at(exp, exp_limbs, pos, top_width));
    acc = pick;
  } else {
    acc.assign(table.begin(), table.begin() + static_cast<std::ptrdiff_t>(k_));  // R mod m = 1
  }
  while (pos > 0) {
    pos -= w;
    for (unsigned s = 0; s < w; ++s) sqr(acc.data(), acc.data());
    select(window_at(exp, exp_limbs, pos, w));
    mul(acc.data(), acc.data(), pick.data());
  }
  LimbVector result(k_);
  from_mont(result.data(), acc.data());
  return result;
}

LimbVector Montgomery::exp_public(const Limb* base, const BigInt& exp) const {
  LimbVector one(k_, 0), b(k_), acc(k_);
  one[0] = 1;
  to_mont(b.data(), base);
  to_mont(acc.data(), one.data());
  for (size_t i = exp.bit_length(); i-- > 0;) {
    sqr(acc.data(), acc.data());
    if (exp.bit(i)) mul(acc.data(), acc.data(), b.data());
  }
  LimbVector result(k_);
  from_mont(result.data(), acc.data());
  return result;
}

std::vector<std::span<const uint8_t>> Montgomery::memory() const {
  auto bytes = [](const LimbVector& v) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(Limb));
  };
  return {bytes(m_), bytes(r2_),
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&m0inv_), sizeof m0inv_)};
}

}  // namespace tls12::crypto
