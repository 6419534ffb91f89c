// Checks that ChaCha20-Poly1305 (RFC 8439; both engines) never branches on
// the key or the plaintext nor uses them to index memory: they are poisoned
// for valgrind's memcheck, and any jump or address computed from them is an
// error (the harness is in constant_time_support.h).
//
// What the library declares public on purpose (ct_declassify): whether the
// received tag verified, which the record layer answers with an alert.
#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "crypto/random.h"
#include "tests/crypto/constant_time_support.h"

namespace tls12::crypto {
namespace {

using namespace ct_test;

// Seal and open with a poisoned key and plaintext under `impl`; the outputs
// must carry the taint and, once unpoisoned, equal a clean run's.
void seal_and_open_poisoned(AeadImplementation impl, size_t length) {
  SCOPED_TRACE(std::to_string(length) + " bytes");
  Bytes key(32), plaintext(length), nonce(12), aad(13);
  random_bytes(key);
  random_bytes(plaintext);
  random_bytes(nonce);
  random_bytes(aad);
  Bytes expected = plaintext;
  std::array<uint8_t, 16> expected_tag{};
  make_aead(AeadAlgorithm::chacha20_poly1305, key, impl)->seal(Aead::Nonce(nonce.data(), 12), aad, expected, expected_tag);

  Bytes secret_key = key, data = plaintext;
  poison(secret_key.data(), secret_key.size());
  poison(data.data(), data.size());
  const auto aead = make_aead(AeadAlgorithm::chacha20_poly1305, secret_key, impl);
  std::array<uint8_t, 16> tag{};
  aead->seal(Aead::Nonce(nonce.data(), 12), aad, data, tag);
  EXPECT_TRUE(tainted(tag));
  EXPECT_EQ(tainted(data), length > 0);  // no bytes, nothing to carry taint
  ASSERT_TRUE(aead->open(Aead::Nonce(nonce.data(), 12), aad, data, tag));
  unpoison(data);
  EXPECT_EQ(data, plaintext);
  unpoison(tag);
  EXPECT_EQ(tag, expected_tag);
  // A wrong tag: refused, still without a secret-dependent branch before the verdict.
  data = expected;
  tag[0] ^= 1;
  EXPECT_FALSE(aead->open(Aead::Nonce(nonce.data(), 12), aad, data, tag));
}

TEST_F(UnderValgrind, ChaCha20Poly1305Reference) {
  for (size_t length : {0, 15, 64, 1000}) seal_and_open_poisoned(AeadImplementation::reference, length);
}

TEST_F(UnderValgrind, ChaCha20Poly1305Avx2) {
  if (!aead_implementation_available(AeadAlgorithm::chacha20_poly1305, AeadImplementation::avx2)) {
    // Counted as a pass by the driver, so check the reference engine instead
    // of passing without checking anything.
    seal_and_open_poisoned(AeadImplementation::reference, 600);
    return;
  }
  for (size_t length : {0, 15, 64, 1000, 2048 + 13}) seal_and_open_poisoned(AeadImplementation::avx2, length);
}

// A deliberate secret-dependent branch: valgrind must report it.
TEST_F(UnderValgrind, CanaryBranchOnSecret) { branch_on_a_secret(); }

// ---- The driver ----------------------------------------------------------------

TEST_F(RunUnderValgrind, ChaCha20Poly1305SecretsNeverReachBranchesOrAddresses) { expect_clean_under_valgrind(2); }
TEST_F(RunUnderValgrind, CanaryIsCaught) { expect_canary_caught(); }

}  // namespace
}  // namespace tls12::crypto
