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
// The fixed-width multiply loops gain about a quarter from full unrolling,
// which the project's -O2 does not do; this file alone asks for it.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "unroll-loops")
#endif
#include <stdexcept>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "crypto/bignum.h"
#include "crypto/cpu.h"
#include "crypto/montgomery_internal.h"

namespace tls12::crypto {

using u128 = unsigned __int128;

namespace {

using detail::final_subtract;
using detail::kMaxLimbs;

// Montgomery multiplication by product scanning ("FIPS", Koc, Acar and
// Kaliski, "Analyzing and comparing Montgomery multiplication algorithms",
// 1996): column by column, a three-limb accumulator (acc, hi) collects every
// partial product a[j]*b[i-j] and q[j]*m[i-j] of output column i. In the low k
// columns the reduction digit q[i] is chosen so that the column becomes zero
// (that is the division by R); the high k columns are the result.
//
// Each partial product costs one multiply and three additions with carry, and
// only one carry chain is live, which is what makes this form fast in portable
// C++. K is the limb count when known at compile time (so loops have constant
// bounds), 0 when known only at run time.
//
// Bound: for a*b < m*R the result before the final step is below 2m, so one
// masked subtraction of m reduces it (this covers a < R, b < m, used by
// `reduce`).
inline void mac(u128& acc, Limb& hi, Limb x, Limb y) {
  // The carry out of the 128-bit addition goes straight into the third limb
  // (add, adc, adc on x86-64).
  hi += static_cast<Limb>(__builtin_add_overflow(acc, u128{x} * y, &acc));
}

inline void shift_column(u128& acc, Limb& hi) {
  acc = (acc >> 64) | (u128{hi} << 64);
  hi = 0;
}

template <size_t K>
void mont_mul(Limb* r, const Limb* a, const Limb* b, const Limb* m, Limb m0inv, size_t k_runtime) {
  const size_t k = K != 0 ? K : k_runtime;
  Limb q[K != 0 ? K : kMaxLimbs];
  Limb t[K != 0 ? K : kMaxLimbs];
  u128 acc = 0;
  Limb hi = 0;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < i; ++j) {
      mac(acc, hi, a[j], b[i - j]);
      mac(acc, hi, q[j], m[i - j]);
    }
    mac(acc, hi, a[i], b[0]);
    q[i] = static_cast<Limb>(acc) * m0inv;  // makes column i vanish
    mac(acc, hi, q[i], m[0]);
    shift_column(acc, hi);
  }
  for (size_t i = k; i < 2 * k - 1; ++i) {
    for (size_t j = i - k + 1; j < k; ++j) {
      mac(acc, hi, a[j], b[i - j]);
      mac(acc, hi, q[j], m[i - j]);
    }
    t[i - k] = static_cast<Limb>(acc);
    shift_column(acc, hi);
  }
  t[k - 1] = static_cast<Limb>(acc);
  final_subtract<K>(r, t, static_cast<Limb>(acc >> 64), m, k);
}

// Squaring: the products a[j]*a[i-j] and a[i-j]*a[j] are equal, so each
// column sums the products with j < i-j once, doubles that, and adds the
// square a[i/2]^2 of even columns: about half of the multiplications of a*b.
template <size_t K>
void mont_sqr(Limb* r, const Limb* a, const Limb* m, Limb m0inv, size_t k_runtime) {
  const size_t k = K != 0 ? K : k_runtime;
  Limb q[K != 0 ? K : kMaxLimbs];
  Limb t[K != 0 ? K : kMaxLimbs];
  u128 acc = 0;
  Limb hi = 0;
  auto square_column = [&](size_t i, size_t j_begin) {
    u128 cross = 0;
    Limb cross_hi = 0;
    for (size_t j = j_begin; 2 * j < i; ++j) mac(cross, cross_hi, a[j], a[i - j]);
    // acc += 2 * cross (three limbs)
    cross_hi = (cross_hi << 1) | static_cast<Limb>(cross >> 127);
    cross <<= 1;
    acc += cross;
    hi += cross_hi + static_cast<Limb>(acc < cross);
    if (i % 2 == 0) mac(acc, hi, a[i / 2], a[i / 2]);
  };
  for (size_t i = 0; i < k; ++i) {
    square_column(i, 0);
    for (size_t j = 0; j < i; ++j) mac(acc, hi, q[j], m[i - j]);
    q[i] = static_cast<Limb>(acc) * m0inv;
    mac(acc, hi, q[i], m[0]);
    shift_column(acc, hi);
  }
  for (size_t i = k; i < 2 * k - 1; ++i) {
    square_column(i, i - k + 1);
    for (size_t j = i - k + 1; j < k; ++j) mac(acc, hi, q[j], m[i - j]);
    t[i - k] = static_cast<Limb>(acc);
    shift_column(acc, hi);
  }
  t[k - 1] = static_cast<Limb>(acc);
  final_subtract<K>(r, t, static_cast<Limb>(acc >> 64), m, k);
}

using detail::MontMulFn;
using detail::MontSqrFn;

}  // namespace

// Widths used by RSA-2048..4096 (n and its CRT halves) and ffdhe2048/3072
// get their own instantiation; anything else takes the run-time loop bounds.
MontMulFn detail::portable_mul_for(size_t k) {
  switch (k) {
    case 16: return mont_mul<16>;
    case 24: return mont_mul<24>;
    case 32: return mont_mul<32>;
    case 48: return mont_mul<48>;
    case 64: return mont_mul<64>;
    default: return mont_mul<0>;
  }
}

MontSqrFn detail::portable_sqr_for(size_t k) {
  switch (k) {
    case 16: return mont_sqr<16>;
    case 24: return mont_sqr<24>;
    case 32: return mont_sqr<32>;
    case 48: return mont_sqr<48>;
    case 64: return mont_sqr<64>;
    default: return mont_sqr<0>;
  }
}

namespace {

// The BMI2/ADX versions (montgomery_adx.cpp) where the CPU has them.
MontMulFn pick_mul(size_t k) {
  MontMulFn adx = detail::adx_mul_for(k);
  return adx != nullptr ? adx : detail::portable_mul_for(k);
}

MontSqrFn pick_sqr(size_t k) {
  MontSqrFn adx = detail::adx_sqr_for(k);
  return adx != nullptr ? adx : detail::portable_sqr_for(k);
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

// The index of a table lookup is a window of the secret exponent, so the
// lookup reads every entry and keeps one with a mask: the cache lines touched,
// and the number of instructions, do not depend on it.
void detail::portable_table_select(Limb* r, const Limb* table, size_t entries, size_t k, Limb index) {
  for (size_t j = 0; j < k; ++j) r[j] = 0;
  for (size_t i = 0; i < entries; ++i) {
    const Limb mask = ct_mask_eq(i, index);
    const Limb* entry = &table[i * k];
    for (size_t j = 0; j < k; ++j) r[j] |= entry[j] & mask;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same scan with AVX2, for k a multiple of 8: eight limbs (two 256-bit
// registers) of every entry per pass, the mask made by a vector compare of
// the entry number with the index (all ones in each lane where equal), and the
// kept limbs collected in registers rather than in memory. For RSA-2048 this
// is 64 loads per lookup instead of 512 loads, ands and read-modify-writes.
// Still constant time: each pass reads all entries in order, and the compare
// result is only ever used as data (and/or), never for a branch or address.
namespace {
__attribute__((target("avx2"))) void table_select_avx2(Limb* r, const Limb* table, size_t entries, size_t k,
                                                       Limb index) {
  const __m256i want = _mm256_set1_epi64x(static_cast<long long>(index));
  const __m256i one = _mm256_set1_epi64x(1);
  for (size_t j = 0; j < k; j += 8) {
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    __m256i i_vec = _mm256_setzero_si256();
    const Limb* entry = table + j;
    for (size_t i = 0; i < entries; ++i, entry += k) {
      const __m256i mask = _mm256_cmpeq_epi64(i_vec, want);
      lo = _mm256_or_si256(lo, _mm256_and_si256(mask, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entry))));
      hi = _mm256_or_si256(hi, _mm256_and_si256(mask, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entry + 4))));
      i_vec = _mm256_add_epi64(i_vec, one);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r + j), lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(r + j + 4), hi);
  }
}

}  // namespace

detail::TableSelectFn detail::avx2_table_select_for(size_t k) {
  return cpu_features().avx2 && k % 8 == 0 ? table_select_avx2 : nullptr;
}
#else
detail::TableSelectFn detail::avx2_table_select_for(size_t) { return nullptr; }
#endif


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

  mul_fn_ = pick_mul(k_);
  sqr_fn_ = pick_sqr(k_);
  r2_ = square_of_r();
}

// R^2 mod m, the constant that to_mont multiplies by. Doubling 1 all the way
// (2*64*k doublings of k limbs each) cost as much as a dozen RSA verifications
// and dominated public-key set-up; instead this takes
//   1. 2^(64k + k) mod m by doubling: 2^(64(k-1)) is already below m (m has k
//      limbs and is odd, so it is not 2^(64(k-1)) itself), and 64 + k
//      doublings, each reduced, take it there;
//   2. then it works in Montgomery form, where x is kept as x*R mod m with
//      R = 2^(64k): the number above is the form of 2^k, and a squaring turns
//      the form of 2^s into that of 2^(2s). Six squarings give the form of
//      2^(64k) = R, which is R*R mod m.
// Starting the squarings from 2^k rather than from 2 saves about log2(k) of them
// for k more doublings, which are far cheaper (a doubling is linear in k, a
// squaring quadratic). Every loop bound depends only on k and each doubling
// reduces with a masked subtraction, so the secret CRT primes p and q get the
// same branch-free, address-independent set-up as before.
LimbVector Montgomery::square_of_r() const {
  const size_t k = k_;
  LimbVector x(k, 0), d(k);
  x[k - 1] = 1;  // 2^(64(k-1)) < m
  for (size_t i = 0; i < 64 + k; ++i) {
    const Limb carry = x[k - 1] >> 63;
    for (size_t j = k; j-- > 1;) x[j] = (x[j] << 1) | (x[j - 1] >> 63);
    x[0] <<= 1;
    const Limb borrow = sub_limbs(d.data(), x.data(), m_.data(), k);
    ct_select(ct_mask_nonzero(carry) | ct_mask_zero(borrow), x.data(), d.data(), x.data(), k);
  }
  for (int i = 0; i < 6; ++i) sqr(x.data(), x.data());  // 2^k -> 2^(64k), in form
  return x;
}

void Montgomery::mul(Limb* r, const Limb* a, const Limb* b) const {
  mul_fn_(r, a, b, m_.data(), m0inv_, k_);
}

void Montgomery::sqr(Limb* r, const Limb* a) const {
  sqr_fn_(r, a, m_.data(), m0inv_, k_);
}

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
  // 5-bit windows from 1024-bit exponents (the CRT halves of RSA-2048 and
  // up), 4-bit below: the table (2^w entries, each built once and scanned on
  // every lookup) against the multiplications saved (one per w bits). For
  // 1024 bits, w = 5 takes 205 + 30 multiplications instead of 256 + 14.
  const unsigned w = exp_limbs * 64 >= 1024 ? 5 : 4;
  const size_t entries = size_t{1} << w;
  LimbVector table(entries * k_);
  LimbVector one(k_, 0);
  one[0] = 1;
  to_mont(&table[0], one.data());
  to_mont(&table[k_], base);
  // Even entries are squares of the one at half the index: a squaring costs
  // less than a multiplication.
  for (size_t i = 2; i < entries; ++i) {
    if (i % 2 == 0) {
      sqr(&table[i * k_], &table[(i / 2) * k_]);
    } else {
      mul(&table[i * k_], &table[(i - 1) * k_], &table[k_]);
    }
  }

  LimbVector acc(k_), pick(k_);
  detail::TableSelectFn select_fn = detail::avx2_table_select_for(k_);
  if (select_fn == nullptr) select_fn = detail::portable_table_select;
  auto select = [&](Limb index) { select_fn(pick.data(), table.data(), entries, k_, index); };

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

// Left to right, starting from the top bit (base itself, so no squaring of
// 1). The last step multiplies by the base in normal form rather than in
// Montgomery form: mul(x*R, b) = x*b mod m, so the result comes out already
// in normal form and needs no from_mont. For e = 65537 that is exactly one
// conversion in, 16 squarings and one multiplication.
LimbVector Montgomery::exp_public(const Limb* base, const BigInt& exp) const {
  LimbVector result(k_, 0);
  const size_t bits = exp.bit_length();
  if (bits == 0) {  // x^0 = 1 (m > 1)
    result[0] = 1;
    return result;
  }
  if (bits == 1) {  // x^1 = x, already below m
    std::copy(base, base + k_, result.begin());
    return result;
  }
  LimbVector b(k_), acc(k_);
  to_mont(b.data(), base);
  acc = b;
  for (size_t i = bits - 1; i-- > 1;) {
    sqr(acc.data(), acc.data());
    if (exp.bit(i)) mul(acc.data(), acc.data(), b.data());
  }
  sqr(acc.data(), acc.data());
  if (exp.bit(0)) {
    mul(result.data(), acc.data(), base);
  } else {
    from_mont(result.data(), acc.data());
  }
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
