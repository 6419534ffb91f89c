// AES (FIPS-197): the Appendix B and C known answers through every
// implementation, encryption and decryption; reference vs AES-NI on random
// keys and blocks; and OpenSSL's AES-ECB as an independent oracle.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <stdexcept>

#include "crypto/aes.h"
#include "crypto/aes_internal.h"
#include "crypto/random.h"

namespace tls12::crypto {
namespace {

struct KnownAnswer {
  const char* name;
  const char* key;
  const char* plaintext;
  const char* ciphertext;
};

const KnownAnswer kKnownAnswers[] = {
    // Appendix B, the cipher example worked through round by round.
    {"AppendixB", "2b7e151628aed2a6abf7158809cf4f3c", "3243f6a8885a308d313198a2e0370734",
     "3925841d02dc09fbdc118597196a0b32"},
    // Appendix C.1, AES-128.
    {"C1_AES128", "000102030405060708090a0b0c0d0e0f", "00112233445566778899aabbccddeeff",
     "69c4e0d86a7b0430d8cdb78070b4c55a"},
    // Appendix C.3, AES-256.
    {"C3_AES256", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
     "00112233445566778899aabbccddeeff", "8ea2b7ca516745bfeafc49904b496089"},
};

class AesImpl : public ::testing::TestWithParam<AesImplementation> {
 protected:
  void SetUp() override {
    if (!aes_implementation_available(GetParam())) GTEST_SKIP() << "CPU lacks this AES implementation";
  }
};

TEST_P(AesImpl, Fips197KnownAnswersEncryptAndDecrypt) {
  for (const KnownAnswer& ka : kKnownAnswers) {
    SCOPED_TRACE(ka.name);
    const Aes aes(from_hex(ka.key), GetParam());
    const Bytes pt = from_hex(ka.plaintext);
    Bytes out(16);
    aes.encrypt_block(pt.data(), out.data());
    EXPECT_EQ(to_hex(out), ka.ciphertext);
    aes.decrypt_block(out.data(), out.data());  // in place
    EXPECT_EQ(to_hex(out), ka.plaintext);
  }
}

TEST_P(AesImpl, ReportsWhichImplementationRuns) {
  const Aes aes(Bytes(16, 0), GetParam());
  if (GetParam() == AesImplementation::reference) {
    EXPECT_EQ(aes.implementation(), "reference");
  }
  if (GetParam() == AesImplementation::aesni) {
    EXPECT_EQ(aes.implementation(), "aesni");
  }
  EXPECT_EQ(aes.rounds(), 10);
  EXPECT_EQ(Aes(Bytes(32, 0), GetParam()).rounds(), 14);
}

// OpenSSL's AES-ECB on one block: an implementation we did not write.
Bytes openssl_ecb(ByteView key, ByteView block, bool encrypt) {
  const EVP_CIPHER* cipher = key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb();
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  Bytes out(32);
  int len = 0;
  EXPECT_EQ(EVP_CipherInit_ex(ctx, cipher, nullptr, key.data(), nullptr, encrypt ? 1 : 0), 1);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  EXPECT_EQ(EVP_CipherUpdate(ctx, out.data(), &len, block.data(), 16), 1);
  EXPECT_EQ(len, 16);
  EVP_CIPHER_CTX_free(ctx);
  out.resize(16);
  return out;
}

TEST_P(AesImpl, MatchesOpenSslOnRandomKeysAndBlocks) {
  for (int i = 0; i < 64; ++i) {
    Bytes key(i % 2 == 0 ? 16 : 32), block(16), out(16);
    random_bytes(key);
    random_bytes(block);
    const Aes aes(key, GetParam());
    aes.encrypt_block(block.data(), out.data());
    ASSERT_EQ(out, openssl_ecb(key, block, true));
    aes.decrypt_block(block.data(), out.data());
    ASSERT_EQ(out, openssl_ecb(key, block, false));
  }
}

INSTANTIATE_TEST_SUITE_P(All, AesImpl,
                         ::testing::Values(AesImplementation::reference, AesImplementation::aesni,
                                           AesImplementation::best),
                         [](const auto& info) {
                           switch (info.param) {
                             case AesImplementation::reference: return std::string("reference");
                             case AesImplementation::aesni: return std::string("aesni");
                             default: return std::string("best");
                           }
                         });

TEST(Aes, ReferenceAndAesniAgreeOnRandomInputs) {
  if (!aes_implementation_available(AesImplementation::aesni)) GTEST_SKIP() << "no AES-NI";
  for (int i = 0; i < 200; ++i) {
    Bytes key(i % 2 == 0 ? 16 : 32), block(16), a(16), b(16);
    random_bytes(key);
    random_bytes(block);
    const Aes ref(key, AesImplementation::reference), ni(key, AesImplementation::aesni);
    ref.encrypt_block(block.data(), a.data());
    ni.encrypt_block(block.data(), b.data());
    ASSERT_EQ(a, b);
    ref.decrypt_block(block.data(), a.data());
    ni.decrypt_block(block.data(), b.data());
    ASSERT_EQ(a, b);
  }
}

// The AESKEYGENASSIST key schedule is word for word the §5.2 one, for both
// key sizes, including the AES-256 words that take SubWord without RotWord.
TEST(Aes, AesniKeyExpansionEqualsTheReferenceSchedule) {
  if (!aes_implementation_available(AesImplementation::aesni)) GTEST_SKIP() << "no AES-NI";
  for (int i = 0; i < 200; ++i) {
    Bytes key(i % 2 == 0 ? 16 : 32);
    random_bytes(key);
    uint8_t reference[16 * 15] = {}, aesni[16 * 15] = {};
    const int nr = aes_detail::key_expansion(key, reference);
    ASSERT_EQ(aes_detail::aesni_key_expansion(key, aesni), nr);
    ASSERT_EQ(Bytes(reference, reference + 16 * (nr + 1)), Bytes(aesni, aesni + 16 * (nr + 1))) << to_hex(key);
  }
  EXPECT_THROW(aes_detail::aesni_key_expansion(Bytes(24, 1), nullptr), std::invalid_argument);
}

TEST(Aes, RejectsKeysOfOtherSizes) {
  for (size_t size : {0, 15, 17, 24, 31, 33}) {
    EXPECT_THROW(Aes(Bytes(size, 1)), std::invalid_argument) << size;
  }
}

}  // namespace
}  // namespace tls12::crypto
