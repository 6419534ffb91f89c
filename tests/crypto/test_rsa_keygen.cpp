// RSA key generation (crypto/rsa_keygen.h): Miller-Rabin against known primes,
// Carmichael numbers and strong pseudoprimes to small bases; trial division;
// generated keys checked for the FIPS 186-5 §A.1.3 conditions, used to sign,
// and their primes confirmed by OpenSSL's own primality test.
#include "crypto/rsa_keygen.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include "crypto/dh.h"
#include "crypto/rsa.h"

namespace tls12::crypto {
namespace {

BigInt from_decimal(std::string_view text) {
  BigInt v;
  for (char c : text) v = v * BigInt(10) + BigInt(static_cast<uint64_t>(c - '0'));
  return v;
}

bool openssl_says_prime(ByteView big_endian) {
  BIGNUM* bn = BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), nullptr);
  const int verdict = BN_check_prime(bn, nullptr, nullptr);
  BN_free(bn);
  return verdict == 1;
}

TEST(MillerRabin, AcceptsKnownPrimes) {
  for (uint64_t p : {5ull, 7ull, 97ull, 65537ull, 2147483647ull, 18446744073709551557ull})
    EXPECT_TRUE(is_probable_prime(BigInt(p), 10)) << p;
  // 2^127 - 1 and 2^521 - 1 (Mersenne primes) and the RFC 7919 ffdhe2048 prime.
  const BigInt one(1);
  EXPECT_TRUE(is_probable_prime((one << 127) - one, 10));
  EXPECT_TRUE(is_probable_prime((one << 521) - one, 10));
  EXPECT_TRUE(is_probable_prime(BigInt::from_bytes(ffdhe_prime(FfdheGroup::ffdhe2048)), 5));
  EXPECT_TRUE(is_probable_prime(BigInt(2), 1));
  EXPECT_TRUE(is_probable_prime(BigInt(3), 1));
}

TEST(MillerRabin, RejectsCompositesAndSmallNonPrimes) {
  for (uint64_t n : {0ull, 1ull, 4ull, 9ull, 15ull, 65535ull, 4294967297ull /* F5 = 641 * 6700417 */})
    EXPECT_FALSE(is_probable_prime(BigInt(n), 10)) << n;
  const BigInt one(1);
  // 2^128 + 1 = 59649589127497217 * 5704689200685129054721; and a product of
  // two large primes.
  EXPECT_FALSE(is_probable_prime((one << 128) + one, 10));
  EXPECT_FALSE(is_probable_prime(((one << 127) - one) * ((one << 89) - one), 10));
}

TEST(MillerRabin, RejectsCarmichaelNumbers) {
  // Fermat's test with a base prime to n passes every Carmichael number;
  // Miller-Rabin must not (no trial division helps here: we call it directly).
  for (const char* n : {"561", "1105", "1729", "2465", "2821", "6601", "8911", "41041", "825265", "321197185",
                        "5394826801", "232250619601", "9746347772161"})
    EXPECT_FALSE(is_probable_prime(from_decimal(n), 20)) << n;
}

TEST(MillerRabin, StrongPseudoprimesFoolOnlyTheirBases) {
  // The smallest strong pseudoprimes to the first k prime bases (OEIS A014233):
  // each passes a round with every one of those bases, and fails with the next
  // prime (two of them are the smallest for several k at once).
  struct Case {
    const char* n;
    std::vector<uint64_t> fooling_bases;
    uint64_t exposing_base;
  };
  const Case cases[] = {
      {"2047", {2}, 3},
      {"1373653", {2, 3}, 5},
      {"25326001", {2, 3, 5}, 7},
      {"3215031751", {2, 3, 5, 7}, 11},
      {"2152302898747", {2, 3, 5, 7, 11}, 13},
      {"3474749660383", {2, 3, 5, 7, 11, 13}, 17},
      {"341550071728321", {2, 3, 5, 7, 11, 13, 17, 19}, 23},
      {"3825123056546413051", {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31}, 37},
  };
  for (const Case& c : cases) {
    const BigInt n = from_decimal(c.n);
    for (uint64_t b : c.fooling_bases) EXPECT_TRUE(miller_rabin_round(n, BigInt(b))) << c.n << " base " << b;
    EXPECT_FALSE(miller_rabin_round(n, BigInt(c.exposing_base))) << c.n << " base " << c.exposing_base;
    EXPECT_FALSE(is_probable_prime(n, 20)) << c.n;
  }
}

TEST(TrialDivision, FindsSmallFactorsButNotInPrimes) {
  EXPECT_TRUE(has_small_factor(BigInt(561)));      // 3 * 11 * 17
  EXPECT_TRUE(has_small_factor(BigInt(1018081)));  // 1009^2
  EXPECT_TRUE(has_small_factor(BigInt(1u << 20)));
  EXPECT_FALSE(has_small_factor(BigInt(1021)));  // a prime below the bound is not its own factor
  EXPECT_FALSE(has_small_factor(BigInt(1031ull * 1033ull)));  // factors above the bound
  EXPECT_FALSE(has_small_factor(BigInt::from_bytes(ffdhe_prime(FfdheGroup::ffdhe2048))));
}

TEST(MillerRabin, RoundsFollowFips186Table) {
  EXPECT_EQ(miller_rabin_rounds(1024), 5);
  EXPECT_EQ(miller_rabin_rounds(1536), 4);
  EXPECT_EQ(miller_rabin_rounds(2048), 4);
}

void check_generated_key(size_t bits) {
  const RsaKeyComponents c = rsa_generate_key(bits);
  const BigInt n = BigInt::from_bytes(c.n), p = BigInt::from_bytes(c.p), q = BigInt::from_bytes(c.q),
               d = BigInt::from_bytes(c.d), one(1);
  EXPECT_EQ(n.bit_length(), bits);
  EXPECT_EQ(to_hex(c.e), "010001");
  EXPECT_EQ(p * q, n);
  EXPECT_EQ(p.bit_length(), bits / 2);
  EXPECT_EQ(q.bit_length(), bits / 2);
  EXPECT_GT(p - q, one << (bits / 2 - 100));  // p is the larger one
  EXPECT_GT(d, one << (bits / 2));
  EXPECT_TRUE(openssl_says_prime(c.p));
  EXPECT_TRUE(openssl_says_prime(c.q));
  // from_components checks d, dP, dQ and qInv against p, q and e.
  const RsaPrivateKey key = rsa_private_key_from(c);
  const Bytes message = {'p', 'k', 'i'};
  const Bytes sig = rsassa_pkcs1_v15_sign(key, HashAlgorithm::sha256, message);
  EXPECT_TRUE(rsassa_pkcs1_v15_verify(key.public_key(), HashAlgorithm::sha256, message, sig));
}

TEST(RsaKeyGeneration, Makes2048BitKeysThatMeetFips186) { check_generated_key(2048); }
TEST(RsaKeyGeneration, Makes3072BitKeysThatMeetFips186) { check_generated_key(3072); }

TEST(RsaKeyGeneration, TwoKeysDiffer) {
  EXPECT_NE(to_hex(rsa_generate_key(2048).n), to_hex(rsa_generate_key(2048).n));
}

TEST(RsaKeyGeneration, RefusesOtherSizes) {
  EXPECT_THROW(rsa_generate_key(1024), std::invalid_argument);
  EXPECT_THROW(rsa_generate_key(2047), std::invalid_argument);
  EXPECT_THROW(rsa_generate_key(8192), std::invalid_argument);
}

}  // namespace
}  // namespace tls12::crypto
