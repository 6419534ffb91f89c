// Variable-size big integers (see bignum.h): conversions from and to octet
// strings (RFC 8017 §4.1 I2OSP, §4.2 OS2IP), comparison, addition,
// subtraction, schoolbook multiplication, Knuth's long division and the
// extended Euclidean inverse.
//
// Everything in this file runs in time that depends on the values: it is used
// for public numbers and for one-off work when a key is loaded. Secrets go
// through the fixed-width Montgomery code in montgomery.cpp.
#include "crypto/bignum.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

#include "crypto/random.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TLS12_HAVE_VALGRIND 1
#endif
#endif

namespace tls12::crypto {

using u128 = unsigned __int128;

void ct_declassify(const void* data, size_t size) {
#if defined(TLS12_HAVE_VALGRIND)
  (void)VALGRIND_MAKE_MEM_DEFINED(data, size);
#else
  (void)data;
  (void)size;
#endif
}

void ct_select(Limb mask, Limb* r, const Limb* a, const Limb* b, size_t n) {
  for (size_t i = 0; i < n; ++i) r[i] = ct_select(mask, a[i], b[i]);
}

void ct_limbs_to_bytes(const Limb* limbs, size_t n, MutableByteView out) {
  const size_t len = out.size();
  for (size_t i = 0; i < len; ++i) {
    const size_t limb = i / 8;
    out[len - 1 - i] = limb < n ? static_cast<uint8_t>(limbs[limb] >> (8 * (i % 8))) : 0;
  }
}

BigInt::BigInt(uint64_t value) {
  if (value != 0) limbs_.push_back(value);
}

void BigInt::normalize() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

BigInt BigInt::from_bytes(ByteView big_endian) {
  BigInt r;
  r.limbs_.assign((big_endian.size() + 7) / 8, 0);
  for (size_t i = 0; i < big_endian.size(); ++i) {
    size_t pos = big_endian.size() - 1 - i;  // byte i counted from the least significant end
    r.limbs_[i / 8] |= Limb{big_endian[pos]} << (8 * (i % 8));
  }
  r.normalize();
  return r;
}

BigInt BigInt::from_limbs(const Limb* limbs, size_t count) {
  BigInt r;
  r.limbs_.assign(limbs, limbs + count);
  r.normalize();
  return r;
}

BigInt BigInt::random_below(const BigInt& bound) {
  if (bound <= BigInt(1)) throw std::invalid_argument("random_below needs a bound of at least 2");
  size_t bits = bound.bit_length();
  SecretBytes buf((bits + 7) / 8);
  // Rejection sampling: draw as many bits as the bound has until the value
  // lands in [1, bound); each draw succeeds with probability above 1/2.
  for (;;) {
    random_bytes(buf);
    if (bits % 8 != 0) buf[0] &= static_cast<uint8_t>((1u << (bits % 8)) - 1);
    BigInt r = from_bytes(buf);
    if (!r.is_zero() && r < bound) return r;
  }
}

void BigInt::to_bytes(MutableByteView out) const {
  if (byte_length() > out.size()) throw std::invalid_argument("integer too large for I2OSP length");
  for (size_t i = 0; i < out.size(); ++i) {
    size_t limb = i / 8;
    uint8_t byte = limb < limbs_.size() ? static_cast<uint8_t>(limbs_[limb] >> (8 * (i % 8))) : 0;
    out[out.size() - 1 - i] = byte;
  }
}

Bytes BigInt::to_bytes(size_t length) const {
  Bytes out(length);
  to_bytes(out);
  return out;
}

Bytes BigInt::to_bytes() const { return to_bytes(byte_length()); }

size_t BigInt::bit_length() const {
  if (limbs_.empty()) return 0;
  return 64 * limbs_.size() - static_cast<size_t>(std::countl_zero(limbs_.back()));
}

bool BigInt::bit(size_t index) const {
  size_t limb = index / 64;
  return limb < limbs_.size() && ((limbs_[limb] >> (index % 64)) & 1) != 0;
}

LimbVector BigInt::to_fixed(size_t count) const {
  if (limbs_.size() > count) throw std::invalid_argument("integer wider than the fixed width");
  LimbVector r(count, 0);
  std::copy(limbs_.begin(), limbs_.end(), r.begin());
  return r;
}

std::strong_ordering operator<=>(const BigInt& a, const BigInt& b) {
  if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() <=> b.limbs_.size();
  for (size_t i = a.limbs_.size(); i-- > 0;) {
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
  }
  return std::strong_ordering::equal;
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  const BigInt& big = a.limbs_.size() >= b.limbs_.size() ? a : b;
  const BigInt& small = a.limbs_.size() >= b.limbs_.size() ? b : a;
  BigInt r;
  r.limbs_.resize(big.limbs_.size() + 1);
  Limb carry = 0;
  for (size_t i = 0; i < big.limbs_.size(); ++i) {
    u128 s = u128{big.limbs_[i]} + (i < small.limbs_.size() ? small.limbs_[i] : 0) + carry;
    r.limbs_[i] = static_cast<Limb>(s);
    carry = static_cast<Limb>(s >> 64);
  }
  r.limbs_.back() = carry;
  r.normalize();
  return r;
}

BigInt operator-(const BigInt& a, const BigInt& b) {
  if (a < b) throw std::invalid_argument("big integer subtraction would be negative");
  BigInt r;
  r.limbs_.resize(a.limbs_.size());
  Limb borrow = 0;
  for (size_t i = 0; i < a.limbs_.size(); ++i) {
    Limb bi = i < b.limbs_.size() ? b.limbs_[i] : 0;
    u128 d = u128{a.limbs_[i]} - bi - borrow;
    r.limbs_[i] = static_cast<Limb>(d);
    borrow = static_cast<Limb>(d >> 64) & 1;
  }
  r.normalize();
  return r;
}

BigInt operator*(const BigInt& a, const BigInt& b) {
  if (a.is_zero() || b.is_zero()) return BigInt();
  BigInt r;
  r.limbs_.assign(a.limbs_.size() + b.limbs_.size(), 0);
  for (size_t i = 0; i < a.limbs_.size(); ++i) {
    Limb carry = 0;
    for (size_t j = 0; j < b.limbs_.size(); ++j) {
      u128 t = u128{a.limbs_[i]} * b.limbs_[j] + r.limbs_[i + j] + carry;
      r.limbs_[i + j] = static_cast<Limb>(t);
      carry = static_cast<Limb>(t >> 64);
    }
    r.limbs_[i + b.limbs_.size()] = carry;
  }
  r.normalize();
  return r;
}

BigInt BigInt::operator<<(size_t bits) const {
  if (is_zero()) return BigInt();
  size_t limb_shift = bits / 64, bit_shift = bits % 64;
  BigInt r;
  r.limbs_.assign(limbs_.size() + limb_shift + 1, 0);
  for (size_t i = 0; i < limbs_.size(); ++i) {
    r.limbs_[i + limb_shift] |= limbs_[i] << bit_shift;
    if (bit_shift != 0) r.limbs_[i + limb_shift + 1] |= limbs_[i] >> (64 - bit_shift);
  }
  r.normalize();
  return r;
}

BigInt BigInt::operator>>(size_t bits) const {
  size_t limb_shift = bits / 64, bit_shift = bits % 64;
  if (limb_shift >= limbs_.size()) return BigInt();
  BigInt r;
  r.limbs_.assign(limbs_.size() - limb_shift, 0);
  for (size_t i = 0; i < r.limbs_.size(); ++i) {
    r.limbs_[i] = limbs_[i + limb_shift] >> bit_shift;
    if (bit_shift != 0 && i + limb_shift + 1 < limbs_.size()) {
      r.limbs_[i] |= limbs_[i + limb_shift + 1] << (64 - bit_shift);
    }
  }
  r.normalize();
  return r;
}

// Long division by a single limb.
static void divide_by_limb(const BigInt& a, Limb d, BigInt& quotient, BigInt& remainder) {
  LimbVector q(a.limb_count());
  Limb rem = 0;
  for (size_t i = a.limb_count(); i-- > 0;) {
    u128 cur = (u128{rem} << 64) | a.limbs()[i];
    q[i] = static_cast<Limb>(cur / d);
    rem = static_cast<Limb>(cur % d);
  }
  quotient = BigInt::from_limbs(q.data(), q.size());
  remainder = BigInt(rem);
}

void BigInt::divide(const BigInt& a, const BigInt& b, BigInt& quotient, BigInt& remainder) {
  if (b.is_zero()) throw std::invalid_argument("big integer division by zero");
  if (a < b) {
    remainder = a;
    quotient = BigInt();
    return;
  }
  if (b.limbs_.size() == 1) {
    divide_by_limb(a, b.limbs_[0], quotient, remainder);
    return;
  }
  // Normalise so the divisor's top limb has its high bit set: then the
  // estimate qhat from the top two limbs is at most 2 too large (Knuth D3).
  const int shift = std::countl_zero(b.limbs_.back());
  const size_t n = b.limbs_.size();
  const size_t m = a.limbs_.size() - n;
  LimbVector v = (b << static_cast<size_t>(shift)).limbs_;
  LimbVector u = (a << static_cast<size_t>(shift)).limbs_;
  u.resize(a.limbs_.size() + 1, 0);
  LimbVector q(m + 1, 0);

  for (size_t j = m + 1; j-- > 0;) {
    // D3: estimate the quotient limb from the top two limbs of the remainder.
    u128 num = (u128{u[j + n]} << 64) | u[j + n - 1];
    u128 qhat = num / v[n - 1];
    u128 rhat = num % v[n - 1];
    while (qhat >> 64 != 0 ||
           qhat * v[n - 2] > ((rhat << 64) | u[j + n - 2])) {
      --qhat;
      rhat += v[n - 1];
      if (rhat >> 64 != 0) break;
    }
    // D4: multiply and subtract.
    Limb carry = 0, borrow = 0;
    for (size_t i = 0; i < n; ++i) {
      u128 p = qhat * v[i] + carry;
      carry = static_cast<Limb>(p >> 64);
      u128 d = u128{u[i + j]} - static_cast<Limb>(p) - borrow;
      u[i + j] = static_cast<Limb>(d);
      borrow = static_cast<Limb>(d >> 64) & 1;
    }
    u128 d = u128{u[j + n]} - carry - borrow;
    u[j + n] = static_cast<Limb>(d);
    borrow = static_cast<Limb>(d >> 64) & 1;
    // D5/D6: the estimate was one too large (rare): add the divisor back.
    if (borrow != 0) {
      --qhat;
      Limb c = 0;
      for (size_t i = 0; i < n; ++i) {
        u128 s = u128{u[i + j]} + v[i] + c;
        u[i + j] = static_cast<Limb>(s);
        c = static_cast<Limb>(s >> 64);
      }
      u[j + n] += c;
    }
    q[j] = static_cast<Limb>(qhat);
  }
  quotient = from_limbs(q.data(), q.size());
  remainder = from_limbs(u.data(), n) >> static_cast<size_t>(shift);
}

BigInt operator/(const BigInt& a, const BigInt& b) {
  BigInt q, r;
  BigInt::divide(a, b, q, r);
  return q;
}

BigInt operator%(const BigInt& a, const BigInt& b) {
  BigInt q, r;
  BigInt::divide(a, b, q, r);
  return r;
}

BigInt gcd(BigInt a, BigInt b) {
  while (!b.is_zero()) {
    BigInt r = a % b;
    a = std::move(b);
    b = std::move(r);
  }
  return a;
}

BigInt mod_inverse(const BigInt& a, const BigInt& m) {
  if (m < BigInt(2)) throw std::invalid_argument("modular inverse needs a modulus of at least 2");
  // Extended Euclid: r_i == t_i * a (mod m) throughout, with
  // t_(i+1) = t_(i-1) - q_i * t_i. The t_i alternate in sign and stay below m
  // in size, so the loop keeps magnitudes and one sign, |t_(i+1)| =
  // |t_(i-1)| + q_i * |t_i|, instead of reducing a product mod m at every step
  // (that division made a 2048-bit inverse, drawn for each new RSA blinding
  // pair, cost more than a private operation).
  BigInt r0 = m, r1 = a % m;
  BigInt t0, t1(1);
  bool t1_negative = false;
  while (!r1.is_zero()) {
    BigInt q, r2;
    BigInt::divide(r0, r1, q, r2);
    BigInt t2 = t0 + q * t1;
    r0 = std::move(r1);
    r1 = std::move(r2);
    t0 = std::move(t1);
    t1 = std::move(t2);
    t1_negative = !t1_negative;
  }
  if (r0 != BigInt(1)) throw std::invalid_argument("value has no inverse modulo m");
  // t0 carries the sign opposite to t1's.
  const BigInt t = t0 % m;
  return !t1_negative && !t.is_zero() ? m - t : t;
}

BigInt mod_exp_public(const BigInt& a, const BigInt& e, const BigInt& m) {
  if (m.is_zero()) throw std::invalid_argument("modular exponentiation by a zero modulus");
  if (m == BigInt(1)) return BigInt();
  BigInt base = a % m;
  if (m.is_odd()) {
    Montgomery mont(m);
    LimbVector b = base.to_fixed(mont.limbs());
    LimbVector r = mont.exp_public(b.data(), e);
    return BigInt::from_limbs(r.data(), r.size());
  }
  BigInt result(1);
  for (size_t i = e.bit_length(); i-- > 0;) {
    result = (result * result) % m;
    if (e.bit(i)) result = (result * base) % m;
  }
  return result;
}

}  // namespace tls12::crypto
