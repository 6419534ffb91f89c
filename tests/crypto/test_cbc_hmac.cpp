// The primitives of the CBC cipher suites: SHA-1 (FIPS 180 examples), HMAC-SHA1
// (RFC 2202), AES-CBC (NIST SP 800-38A F.2) through every AES implementation,
// and the constant-time HMAC of the record check (crypto/hmac_ct.h) against
// the plain HMAC for every secret length, and its one-pass MAC + CBC sealing
// (stitched with SHA-256). OpenSSL's SHA-1 and AES-CBC are the oracle on
// random inputs.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <string>
#include <vector>

#include "crypto/aes.h"
#include "crypto/cpu.h"
#include "crypto/hmac.h"
#include "crypto/hmac_ct.h"
#include "crypto/random.h"
#include "crypto/sha1.h"

namespace tls12::crypto {
namespace {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes random(size_t n) {
  Bytes b(n);
  random_bytes(b);
  return b;
}

// ---- SHA-1 ------------------------------------------------------------------

TEST(Sha1, Fips180Examples) {
  // FIPS 180-2 Appendix A.1, A.2, A.3 (the examples NIST publishes for SHA-1).
  EXPECT_EQ(to_hex(sha1(text("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(to_hex(sha1(text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  Sha1 million;
  const Bytes thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.update(thousand);
  EXPECT_EQ(to_hex(million.finish()), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  EXPECT_EQ(to_hex(sha1({})), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(Sha1, AgreesWithOpenSslOnEveryLengthAroundTheBlocks) {
  for (size_t n = 0; n < 300; ++n) {
    const Bytes m = random(n);
    uint8_t expected[SHA_DIGEST_LENGTH];
    SHA1(m.data(), m.size(), expected);
    Sha1 split;  // fed in two pieces, to cross the buffering
    split.update(ByteView(m).first(n / 3));
    split.update(ByteView(m).subspan(n / 3));
    ASSERT_EQ(to_hex(split.finish()), to_hex(ByteView(expected, sizeof expected))) << n;
    ASSERT_EQ(to_hex(hash(HashAlgorithm::sha1, m)), to_hex(ByteView(expected, sizeof expected))) << n;
  }
}

TEST(Sha1, ShaNiAndPortableCompressionAgree) {
  if (!cpu_features().sha_ni) GTEST_SKIP() << "CPU lacks SHA-NI";
  for (size_t blocks : {1, 2, 7}) {
    const Bytes data = random(64 * blocks);
    std::array<uint32_t, 5> a = detail::sha1_initial_state(), b = a;
    for (uint32_t& w : a) w ^= static_cast<uint32_t>(blocks * 0x9e3779b9U);  // a state other than H(0)
    b = a;
    detail::sha1_compress_portable(a, data.data(), blocks);
    detail::sha1_compress_shani(b, data.data(), blocks);
    EXPECT_EQ(a, b) << blocks << " blocks";
  }
}

// ---- HMAC-SHA1 --------------------------------------------------------------

TEST(HmacSha1, Rfc2202TestCases) {
  struct Case {
    Bytes key, data;
    const char* digest;
  };
  Bytes key4;
  for (uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
  const Case cases[] = {
      {Bytes(20, 0x0b), text("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"},
      {text("Jefe"), text("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {Bytes(20, 0xaa), Bytes(50, 0xdd), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"},
      {key4, Bytes(50, 0xcd), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"},
      {Bytes(20, 0x0c), text("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"},
      {Bytes(80, 0xaa), text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "aa4ae5e15272d00e95705637ce8a3b55ed402112"},
      {Bytes(80, 0xaa), text("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"},
  };
  int number = 1;
  for (const Case& c : cases) {
    SCOPED_TRACE(number++);
    EXPECT_EQ(to_hex(hmac(HashAlgorithm::sha1, c.key, c.data)), c.digest);
    uint8_t ct[20];
    ConstantTimeHmac(HashAlgorithm::sha1, c.key).compute({}, c.data, ct);
    EXPECT_EQ(to_hex(ByteView(ct, 20)), c.digest);
  }
}

// ---- AES-CBC ----------------------------------------------------------------

class AesCbc : public ::testing::TestWithParam<AesImplementation> {
 protected:
  void SetUp() override {
    if (!aes_implementation_available(GetParam())) GTEST_SKIP() << "CPU lacks this AES implementation";
  }
};

// SP 800-38A F.2.1/F.2.2 (AES-128) and F.2.5/F.2.6 (AES-256): four blocks.
TEST_P(AesCbc, Sp800_38aKnownAnswers) {
  const Bytes iv = from_hex("000102030405060708090a0b0c0d0e0f");
  const std::string pt =
      "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
  struct Case {
    const char* key;
    const char* ct;
  } cases[] = {
      {"2b7e151628aed2a6abf7158809cf4f3c",
       "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
       "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"},
      {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
       "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
       "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b"},
  };
  for (const Case& c : cases) {
    const Aes aes(from_hex(c.key), GetParam());
    Bytes data = from_hex(pt), chain = iv;
    aes.cbc_encrypt(chain.data(), data.data(), 4);
    EXPECT_EQ(to_hex(data), c.ct);
    EXPECT_EQ(to_hex(chain), std::string(c.ct).substr(96)) << "the IV is left at the last ciphertext block";
    chain = iv;
    aes.cbc_decrypt(chain.data(), data.data(), 4);
    EXPECT_EQ(to_hex(data), pt);
  }
}

// OpenSSL as oracle over 1..40 blocks (the AES-NI decryption runs 8 at a time,
// so this crosses every remainder), processed whole and in two pieces.
TEST_P(AesCbc, AgreesWithOpenSslOnRandomInputs) {
  for (size_t key_size : {16, 32}) {
    const Bytes key = random(key_size), iv = random(16);
    const Aes aes(key, GetParam());
    for (size_t blocks = 1; blocks <= 40; ++blocks) {
      const Bytes pt = random(16 * blocks);
      Bytes expected(pt.size());
      EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
      int len = 0;
      ASSERT_EQ(EVP_EncryptInit_ex(ctx, key_size == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc(), nullptr,
                                   key.data(), iv.data()), 1);
      EVP_CIPHER_CTX_set_padding(ctx, 0);
      ASSERT_EQ(EVP_EncryptUpdate(ctx, expected.data(), &len, pt.data(), static_cast<int>(pt.size())), 1);
      EVP_CIPHER_CTX_free(ctx);

      Bytes data = pt, chain = iv;
      const size_t first = blocks / 2;
      aes.cbc_encrypt(chain.data(), data.data(), first);
      aes.cbc_encrypt(chain.data(), data.data() + 16 * first, blocks - first);
      ASSERT_EQ(data, expected) << blocks << " blocks";
      chain = iv;
      aes.cbc_decrypt(chain.data(), data.data(), blocks - first);
      aes.cbc_decrypt(chain.data(), data.data() + 16 * (blocks - first), first);
      ASSERT_EQ(data, pt) << blocks << " blocks";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Implementations, AesCbc,
                         ::testing::Values(AesImplementation::reference, AesImplementation::aesni),
                         [](const auto& info) {
                           return std::string(info.param == AesImplementation::reference ? "reference" : "aesni");
                         });

// ---- constant-time HMAC -----------------------------------------------------

// Every secret length in [min_length, data.size()] must give exactly the HMAC
// of header || data[0..length): the block holding the 0x80 and the bit length
// moves across block boundaries as the length changes, which is where a
// wrong mask would show.
TEST(ConstantTimeHmac, EqualsHmacForEveryLengthInTheWindow) {
  for (HashAlgorithm alg : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha384}) {
    SCOPED_TRACE(std::string(hash_name(alg)));
    const Bytes key = random(digest_size(alg));
    const ConstantTimeHmac mac(alg, key);
    const Bytes header = random(13), data = random(600);
    for (size_t max : {size_t{0}, size_t{1}, size_t{50}, size_t{300}, size_t{600}}) {
      const size_t min = max > 256 + 48 ? max - 256 - 48 : 0;
      for (size_t length = min; length <= max; ++length) {
        Hmac expected(alg, key);
        expected.update(header);
        expected.update(ByteView(data).first(length));
        uint8_t got[48];
        mac.compute(header, ByteView(data).first(max), min, length, got);
        ASSERT_EQ(to_hex(ByteView(got, mac.size())), to_hex(expected.finish())) << "max " << max << " length " << length;
      }
    }
  }
}

TEST(ConstantTimeHmac, LongKeysAreHashedFirstAndOtherHashesRefused) {
  const Bytes key = random(200), data = random(77);
  for (HashAlgorithm alg : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha384}) {
    uint8_t got[48];
    ConstantTimeHmac(alg, key).compute({}, data, got);
    EXPECT_EQ(to_hex(ByteView(got, digest_size(alg))), to_hex(hmac(alg, key, data)));
  }
  EXPECT_THROW(ConstantTimeHmac(HashAlgorithm::sha512, key), std::invalid_argument);
}

// The sealing half of MAC-then-encrypt in one call: the MAC must be the HMAC
// of header || content and content the AES-CBC encryption of what it was, for
// every length around the stitched loop's 64-byte steps (the first block holds
// the 13-byte header), with AES-128 and AES-256; and where the CPU can stitch
// (SHA-256, AES-NI, SHA-NI) the call must really encrypt the whole steps.
TEST(ConstantTimeHmac, ComputeAndEncryptEqualsHmacThenCbc) {
  const bool can_stitch = cpu_features().aesni && cpu_features().sha_ni;
  for (HashAlgorithm alg : {HashAlgorithm::sha1, HashAlgorithm::sha256, HashAlgorithm::sha384}) {
    for (size_t key_size : {16, 32}) {
      SCOPED_TRACE(std::string(hash_name(alg)) + " AES-" + std::to_string(8 * key_size));
      const Bytes mac_key = random(digest_size(alg)), aes_key = random(key_size), iv = random(16);
      const Bytes header = random(13), all = random(16384 + 64);
      const ConstantTimeHmac mac(alg, mac_key);
      const Aes aes(aes_key);
      std::vector<size_t> lengths;
      for (size_t n = 0; n <= 400; ++n) lengths.push_back(n);
      for (size_t n : {1023, 1024, 1025, 16383, 16384}) lengths.push_back(n);
      for (size_t length : lengths) {
        // What the caller hands in: content, then room for the MAC; only
        // whole blocks are ever encrypted, so compare those.
        Bytes content(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(length));
        content.resize(length + 48);
        uint8_t chain[16];
        std::copy(iv.begin(), iv.end(), chain);
        const size_t done = mac.compute_and_encrypt(header, content.data(), length, aes, chain, content.data() + length);

        Hmac expected_mac(alg, mac_key);
        expected_mac.update(header);
        expected_mac.update(ByteView(all).first(length));
        ASSERT_EQ(to_hex(ByteView(content).subspan(length, mac.size())), to_hex(expected_mac.finish())) << length;
        ASSERT_EQ(done % 16, 0u) << length;
        ASSERT_LE(done, length) << length;
        if (can_stitch && alg == HashAlgorithm::sha256 && length >= 51 + 64) {
          ASSERT_EQ(done, (length - 51) / 64 * 64) << length;
        }
        Bytes expected(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(done));
        uint8_t expected_chain[16];
        std::copy(iv.begin(), iv.end(), expected_chain);
        aes.cbc_encrypt(expected_chain, expected.data(), done / 16);
        ASSERT_EQ(to_hex(ByteView(content).first(done)), to_hex(expected)) << length;
        ASSERT_EQ(to_hex(ByteView(chain, 16)), to_hex(ByteView(expected_chain, 16))) << length;
      }
    }
  }
}

}  // namespace
}  // namespace tls12::crypto
