// RSA key generation with random probable primes (FIPS 186-5 §A.1.3, B.3.1);
// see rsa_keygen.h for the steps and the timing notes.
#include "crypto/rsa_keygen.h"

#include <stdexcept>
#include <vector>

#include "crypto/random.h"

namespace tls12::crypto {

namespace {

constexpr uint64_t kPublicExponent = 65537;

// The odd primes below 2^10, by the sieve of Eratosthenes, once. A larger
// bound removes few more candidates (a fraction 1.12/ln(bound) survives) and
// costs more divisions than the Miller-Rabin rounds it saves.
const std::vector<uint32_t>& small_primes() {
  static const std::vector<uint32_t> primes = [] {
    constexpr uint32_t kLimit = 1u << 10;
    std::vector<bool> composite(kLimit, false);
    std::vector<uint32_t> out;
    for (uint32_t i = 3; i < kLimit; i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (uint64_t j = uint64_t{i} * i; j < kLimit; j += 2 * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

// w mod m for a small m, limb by limb from the most significant.
uint64_t mod_small(const BigInt& w, uint64_t m) {
  unsigned __int128 r = 0;
  const LimbVector& limbs = w.limbs();
  for (size_t i = limbs.size(); i-- > 0;) r = ((r << 64) | limbs[i]) % m;
  return static_cast<uint64_t>(r);
}

// A random odd integer of exactly `bits` bits with the top two bits set.
BigInt random_candidate(size_t bits) {
  SecretBytes buf((bits + 7) / 8);
  random_bytes(buf);
  const unsigned top = static_cast<unsigned>((bits - 1) % 8);  // index of the top bit in buf[0]
  buf[0] &= static_cast<uint8_t>((2u << top) - 1);
  buf[0] |= static_cast<uint8_t>(1u << top);
  if (top > 0) buf[0] |= static_cast<uint8_t>(1u << (top - 1));
  else buf[1] |= 0x80;
  buf.back() |= 1;
  return BigInt::from_bytes(buf);
}

// FIPS 186-5 §A.1.3 steps 4 and 5: a prime of `bits` bits, with p-1 prime to e.
BigInt random_prime(size_t bits) {
  const int rounds = miller_rabin_rounds(bits);
  for (;;) {
    BigInt w = random_candidate(bits);
    if (mod_small(w, kPublicExponent) == 1) continue;  // e divides w-1: no d exists
    if (has_small_factor(w)) continue;
    if (is_probable_prime(w, rounds)) return w;
  }
}

SecretBytes to_secret(const BigInt& v) {
  const Bytes b = v.to_bytes();
  SecretBytes out(b.begin(), b.end());
  secure_zero(const_cast<uint8_t*>(b.data()), b.size());
  return out;
}

}  // namespace

int miller_rabin_rounds(size_t prime_bits) {
  if (prime_bits >= 2048) return 4;  // 2^-144
  if (prime_bits >= 1536) return 4;  // 2^-128
  return 5;                          // 1024-bit primes: 2^-112
}

bool has_small_factor(const BigInt& w) {
  if (!w.is_odd()) return w != BigInt(2);
  // An accepted prime goes through every division; only a rejected
  // candidate, which is thrown away, stops early.
  for (uint32_t p : small_primes())
    if (mod_small(w, p) == 0 && w != BigInt(p)) return true;
  return false;
}

bool miller_rabin_round(const BigInt& w, const BigInt& b) {
  // Step 1-2: w - 1 = 2^a * m with m odd.
  const BigInt w1 = w - BigInt(1);
  size_t a = 0;
  while (!w1.bit(a)) ++a;
  const BigInt m = w1 >> a;
  const Montgomery mont(w);
  const size_t k = mont.limbs();
  const LimbVector base = b.to_fixed(k), exponent = m.to_fixed(k);
  // Step 4.3: z = b^m mod w, on the constant-time exponentiation: for the
  // prime being made, m is as secret as the prime.
  const LimbVector z_plain = mont.exp_secret(base.data(), exponent.data(), k);
  const BigInt one(1);
  BigInt z = BigInt::from_limbs(z_plain.data(), k);
  // Step 4.4: z = 1 or z = w-1 says nothing against primality.
  if (z == one || z == w1) return true;
  // Step 4.5: square up to a-1 times; reaching w-1 is what a prime does,
  // reaching 1 first means a non-trivial square root of 1: composite.
  LimbVector zm(k);
  mont.to_mont(zm.data(), z_plain.data());
  LimbVector plain(k);
  for (size_t j = 1; j < a; ++j) {
    mont.sqr(zm.data(), zm.data());
    mont.from_mont(plain.data(), zm.data());
    z = BigInt::from_limbs(plain.data(), k);
    if (z == w1) return true;
    if (z == one) return false;
  }
  return false;
}

bool is_probable_prime(const BigInt& w, int rounds) {
  if (w < BigInt(5)) return w == BigInt(2) || w == BigInt(3);
  if (!w.is_odd()) return false;
  const BigInt upper = w - BigInt(2);  // bases b in [2, w-2]
  for (int i = 0; i < rounds; ++i) {
    const BigInt b = BigInt::random_below(upper) + BigInt(1);
    if (!miller_rabin_round(w, b)) return false;
  }
  return true;
}

RsaKeyComponents rsa_generate_key(size_t bits) {
  if (bits != 2048 && bits != 3072 && bits != 4096)
    throw std::invalid_argument("RSA key size must be 2048, 3072 or 4096 bits, not " + std::to_string(bits));
  const BigInt e(kPublicExponent), one(1);
  const size_t half = bits / 2;
  const BigInt min_distance = one << (half - 100);
  const BigInt min_d = one << half;
  for (;;) {
    const BigInt p = random_prime(half);
    BigInt q = random_prime(half);
    // §A.1.3 step 5.4: |p - q| <= 2^(nlen/2 - 100) is refused.
    if ((p > q ? p - q : q - p) <= min_distance) continue;
    const BigInt p1 = p - one, q1 = q - one;
    const BigInt lambda = p1 / gcd(p1, q1) * q1;
    const BigInt d = mod_inverse(e, lambda);
    if (d <= min_d) continue;  // §A.1.1: d > 2^(nlen/2), else start again
    RsaKeyComponents out;
    out.n = to_secret(p * q);
    out.e = to_secret(e);
    // Keep p > q, the order OpenSSL writes (qInv is then q^-1 mod the larger prime).
    const bool p_larger = p > q;
    const BigInt& big = p_larger ? p : q;
    const BigInt& small = p_larger ? q : p;
    out.d = to_secret(d);
    out.p = to_secret(big);
    out.q = to_secret(small);
    out.dp = to_secret(d % (big - one));
    out.dq = to_secret(d % (small - one));
    out.qinv = to_secret(mod_inverse(small, big));
    return out;
  }
}

RsaPrivateKey rsa_private_key_from(const RsaKeyComponents& c) {
  return RsaPrivateKey::from_components(c.n, c.e, c.d, c.p, c.q, c.dp, c.dq, c.qinv);
}

}  // namespace tls12::crypto
