// Checks that P-256 scalar multiplication (variable base for ECDH, fixed base
// for key generation and signing) and ECDSA signing with RFC 6979 nonces never
// branch on secrets nor use them to index memory: the private scalar is
// poisoned for valgrind's memcheck, and any jump or address computed from it
// is an error (the harness is in constant_time_support.h).
//
// What the library declares public on purpose (ct_declassify): whether a
// private key lies in [1, n-1], whether an RFC 6979 candidate does (skipped
// with probability 2^-32), whether the ECDH product is infinity, and r and s
// once computed (they are the signature).
#include <gtest/gtest.h>

#include "crypto/ecdh.h"
#include "crypto/ecdsa.h"
#include "crypto/p256.h"
#include "crypto/random.h"
#include "tests/crypto/constant_time_support.h"

namespace tls12::crypto {
namespace {

using namespace ct_test;

TEST_F(UnderValgrind, P256ScalarMultiplications) {
  const auto peer = p256::KeyPair::generate();
  const auto ours = p256::KeyPair::generate();
  SecretBytes d = ours.private_key;
  poison(d.data(), d.size());
  // Fixed base (key generation): the public key computed from a poisoned scalar.
  const auto pair = p256::KeyPair::from_private_key(d);
  EXPECT_TRUE(tainted(pair.public_key));
  unpoison(pair.public_key);
  EXPECT_EQ(pair.public_key, ours.public_key);
  // Variable base (ECDH).
  std::array<uint8_t, 32> shared{}, expected{};
  ASSERT_TRUE(p256_ecdh(d, peer.public_key, shared));
  EXPECT_TRUE(tainted(shared));
  unpoison(shared);
  ASSERT_TRUE(p256_ecdh(peer.private_key, ours.public_key, expected));
  EXPECT_EQ(shared, expected);
}

TEST_F(UnderValgrind, EcdsaSigning) {
  const auto key = p256::KeyPair::generate();
  SecretBytes d = key.private_key;
  poison(d.data(), d.size());
  for (const char* message : {"one", "two"}) {
    Bytes sig = ecdsa_p256_sign(d, HashAlgorithm::sha256, as_bytes(message));
    unpoison(sig);
    EXPECT_TRUE(ecdsa_p256_verify(key.public_key, HashAlgorithm::sha256, as_bytes(message), sig));
  }
}

// A deliberate secret-dependent branch: valgrind must report it.
TEST_F(UnderValgrind, CanaryBranchOnSecret) { branch_on_a_secret(); }

// ---- The driver ----------------------------------------------------------------

TEST_F(RunUnderValgrind, P256SecretsNeverReachBranchesOrAddresses) { expect_clean_under_valgrind(2); }
TEST_F(RunUnderValgrind, CanaryIsCaught) { expect_canary_caught(); }

}  // namespace
}  // namespace tls12::crypto
