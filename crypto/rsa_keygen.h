// RSA key generation (FIPS 186-5 §A.1.3, "generation of random primes that are
// probably prime", and Appendix B.3.1, the Miller-Rabin test), for the keys
// `tls12 pki` writes: 2048, 3072 or 4096 bits with e = 65537 (RFC 8017 §3.1).
//
//   1. p: random nlen/2 bits, odd, the top two bits set (so p >= sqrt(2) *
//      2^(nlen/2-1) and n = p*q has exactly nlen bits), p-1 prime to e;
//      trial division by the small odd primes, then Miller-Rabin with the
//      number of rounds of FIPS 186-5 Table B.1 (5, 4, 4 for 1024-, 1536-
//      and 2048-bit primes: error below 2^-112, 2^-128, 2^-144).
//   2. q: the same, and also |p - q| > 2^(nlen/2 - 100) (§A.1.3 step 5.4):
//      primes too close together fall to Fermat's factoring method.
//   3. d = e^-1 mod lcm(p-1, q-1), which must exceed 2^(nlen/2) (§A.1.1);
//      dP, dQ, qInv for the CRT (RFC 8017 §3.2).
//
// Timing: the exponentiations of Miller-Rabin run on the constant-time
// Montgomery code, and an accepted prime goes through every trial division
// (no early exit for it: only rejected candidates stop early, and they are
// thrown away). Step 3 uses the variable-time BigInt arithmetic once per key,
// like loading a key does (rsa.cpp).
#pragma once

#include <cstddef>

#include "crypto/bignum.h"
#include "crypto/bytes.h"
#include "crypto/rsa.h"

namespace tls12::crypto {

// The RSAPrivateKey components of RFC 8017 Appendix A.1.2, big-endian and
// minimal: what PKCS#1 and PKCS#8 files store.
struct RsaKeyComponents {
  SecretBytes n, e, d, p, q, dp, dq, qinv;
};

// A new key of `bits` (2048, 3072 or 4096; std::invalid_argument otherwise).
RsaKeyComponents rsa_generate_key(size_t bits);
RsaPrivateKey rsa_private_key_from(const RsaKeyComponents& components);

// FIPS 186-5 Table B.1: Miller-Rabin rounds for a prime of this size (the
// error-probability column for the security strength of the key).
int miller_rabin_rounds(size_t prime_bits);

// Whether w is even or has an odd prime factor below 2^10 other than itself
// (trial division).
bool has_small_factor(const BigInt& w);
// One round of Miller-Rabin (FIPS 186-5 B.3.1 steps 4.2-4.7) with the base b,
// 1 < b < w-1, for odd w > 3: false means w is certainly composite.
bool miller_rabin_round(const BigInt& w, const BigInt& b);
// Miller-Rabin with `rounds` random bases (B.3.1): false means composite;
// true means prime with error below 4^-rounds. Small w (below 5) are decided
// directly.
bool is_probable_prime(const BigInt& w, int rounds);

}  // namespace tls12::crypto
