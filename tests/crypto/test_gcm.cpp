// AES-GCM (SP 800-38D) and the AEAD interface (crypto/aead.h): the classic
// GCM test cases through every implementation, tag-failure behaviour, the
// implementations against each other and against OpenSSL's EVP AES-GCM and
// ChaCha20-Poly1305, and portable GHASH against the PCLMULQDQ one.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <string>

#include "crypto/aead.h"
#include "crypto/cpu.h"
#include "crypto/gcm.h"
#include "crypto/random.h"
#include "tests/crypto/openssl_aead.h"

namespace tls12::crypto {
namespace {

// Sanitizer builds run 5-10x slower; the random sweeps shrink there.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSpeedDivisor = 4;
#else
constexpr int kSpeedDivisor = 1;
#endif

std::string impl_name(AeadImplementation impl) {
  switch (impl) {
    case AeadImplementation::reference: return "reference";
    case AeadImplementation::aesni: return "aesni";
    case AeadImplementation::vaes: return "vaes";
    case AeadImplementation::avx2: return "avx2";
    case AeadImplementation::best: return "best";
  }
  return "?";
}

AeadAlgorithm aes_for_key(size_t key_size) {
  return key_size == 16 ? AeadAlgorithm::aes_128_gcm : AeadAlgorithm::aes_256_gcm;
}

Aead::Nonce as_nonce(const Bytes& nonce) { return Aead::Nonce(nonce.data(), Aead::nonce_size); }

Bytes random_vector(size_t n) {
  Bytes b(n);
  if (n > 0) random_bytes(b);  // random_bytes passes data() on to libsodium, null when empty
  return b;
}

// The test cases of "The Galois/Counter Mode of Operation (GCM)", McGrew and
// Viega, Appendix B, that have 96-bit IVs (the only IV length TLS uses):
// 1-4 (AES-128) and 13-16 (AES-256). Cases 5, 6, 17 and 18 use 64- and
// 480-bit IVs, which the 12-byte nonce of the AEAD interface cannot express.
struct GcmCase {
  const char* name;
  const char* key;
  const char* iv;
  const char* plaintext;
  const char* aad;
  const char* ciphertext;
  const char* tag;
};

#define P3 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define P4 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define K3 "feffe9928665731c6d6a8f9467308308"
#define IV3 "cafebabefacedbaddecaf888"
const GcmCase kGcmCases[] = {
    {"TestCase1", "00000000000000000000000000000000", "000000000000000000000000", "", "", "",
     "58e2fccefa7e3061367f1d57a4e7455a"},
    {"TestCase2", "00000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"TestCase3", K3, IV3, P3, "",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"TestCase4", K3, IV3, P4, A4,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {"TestCase13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"TestCase14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000", "",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"TestCase15", K3 K3, IV3, P3, "",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
    {"TestCase16", K3 K3, IV3, P4, A4,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
     "76fc6ece0f4e1768cddf8853bb2d551b"},
};

class GcmImpl : public ::testing::TestWithParam<AeadImplementation> {
 protected:
  void SetUp() override {
    if (!aead_implementation_available(GetParam())) {
      GTEST_SKIP() << "CPU lacks the " << impl_name(GetParam()) << " implementation";
    }
  }
  std::unique_ptr<Aead> make(const Bytes& key) const {
    return make_aead(aes_for_key(key.size()), key, GetParam());
  }
};

TEST_P(GcmImpl, GcmSpecificationTestCasesSealAndOpen) {
  for (const GcmCase& tc : kGcmCases) {
    SCOPED_TRACE(tc.name);
    const auto aead = make(from_hex(tc.key));
    const Bytes iv = from_hex(tc.iv), aad = from_hex(tc.aad);
    Bytes data = from_hex(tc.plaintext);
    std::array<uint8_t, 16> tag{};
    aead->seal(as_nonce(iv), aad, data, tag);
    EXPECT_EQ(to_hex(data), tc.ciphertext);
    EXPECT_EQ(to_hex(tag), tc.tag);
    EXPECT_TRUE(aead->open(as_nonce(iv), aad, data, tag));
    EXPECT_EQ(to_hex(data), tc.plaintext);
  }
}

TEST_P(GcmImpl, ReportsItsNameAndAlgorithm) {
  const auto aead = make(Bytes(32, 7));
  EXPECT_EQ(aead->algorithm(), AeadAlgorithm::aes_256_gcm);
  if (GetParam() != AeadImplementation::best) {
    EXPECT_EQ(aead->implementation(), impl_name(GetParam()));
  }
}

// Flipping any one bit of the ciphertext, the tag or the AAD must make open
// fail, and leave no plaintext behind: every byte of data is zero.
TEST_P(GcmImpl, OpenRejectsAnyFlippedBitAndZeroesData) {
  for (size_t key_size : {16, 32}) {
    const auto aead = make(random_vector(key_size));
    const Bytes nonce = random_vector(12), aad = random_vector(13), plaintext = random_vector(100);
    Bytes sealed = plaintext;
    std::array<uint8_t, 16> tag{};
    aead->seal(as_nonce(nonce), aad, sealed, tag);
    for (size_t bit = 0; bit < 8 * (sealed.size() + tag.size() + aad.size()); bit += 7) {
      Bytes data = sealed, bad_aad = aad;
      std::array<uint8_t, 16> bad_tag = tag;
      const size_t byte = bit / 8;
      const uint8_t mask = static_cast<uint8_t>(1u << (bit % 8));
      if (byte < data.size()) {
        data[byte] ^= mask;
      } else if (byte < data.size() + 16) {
        bad_tag[byte - data.size()] ^= mask;
      } else {
        bad_aad[byte - data.size() - 16] ^= mask;
      }
      ASSERT_FALSE(aead->open(as_nonce(nonce), bad_aad, data, bad_tag)) << "bit " << bit;
      ASSERT_EQ(data, Bytes(data.size(), 0)) << "bit " << bit;
    }
    Bytes data = sealed;
    ASSERT_TRUE(aead->open(as_nonce(nonce), aad, data, tag));
    ASSERT_EQ(data, plaintext);
  }
}

// OpenSSL's EVP AES-GCM: seal, and open with the tag check (EVP_DecryptFinal_ex).
struct OpenSslResult {
  Bytes data;
  Bytes tag;
  bool ok = true;
};

using test_oracle::openssl_cipher;

OpenSslResult openssl_seal(AeadAlgorithm alg, const Bytes& key, const Bytes& nonce, const Bytes& aad,
                           const Bytes& plaintext) {
  OpenSslResult r;
  r.data.resize(plaintext.size() + 16);
  r.tag.resize(16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0, total = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx, openssl_cipher(alg), nullptr, key.data(), nonce.data()), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx, r.data.data(), &len, plaintext.data(),
                              static_cast<int>(plaintext.size())), 1);
  total = len;
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx, r.data.data() + total, &len), 1);
  total += len;
  r.data.resize(static_cast<size_t>(total));
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, r.tag.data()), 1);
  EVP_CIPHER_CTX_free(ctx);
  return r;
}

OpenSslResult openssl_open(AeadAlgorithm alg, const Bytes& key, const Bytes& nonce, const Bytes& aad,
                           const Bytes& ciphertext, Bytes tag) {
  OpenSslResult r;
  r.data.resize(ciphertext.size() + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0, total = 0;
  EXPECT_EQ(EVP_DecryptInit_ex(ctx, openssl_cipher(alg), nullptr, key.data(), nonce.data()), 1);
  EXPECT_EQ(EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())), 1);
  EXPECT_EQ(EVP_DecryptUpdate(ctx, r.data.data(), &len, ciphertext.data(),
                              static_cast<int>(ciphertext.size())), 1);
  total = len;
  EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag.data()), 1);
  r.ok = EVP_DecryptFinal_ex(ctx, r.data.data() + total, &len) == 1;
  total += len;
  r.data.resize(static_cast<size_t>(total));
  EVP_CIPHER_CTX_free(ctx);
  return r;
}

// Seals a random message with `aead` and with OpenSSL and checks both agree,
// then opens each side's output with the other.
void check_against_openssl(const Aead& aead, const Bytes& key, size_t length) {
  const Bytes nonce = random_vector(12), aad = random_vector(length % 40), plaintext = random_vector(length);
  Bytes data = plaintext;
  std::array<uint8_t, 16> tag{};
  aead.seal(as_nonce(nonce), aad, data, tag);
  const OpenSslResult theirs = openssl_seal(aead.algorithm(), key, nonce, aad, plaintext);
  ASSERT_EQ(data, theirs.data) << "length " << length;
  ASSERT_EQ(Bytes(tag.begin(), tag.end()), theirs.tag) << "length " << length;
  const OpenSslResult opened = openssl_open(aead.algorithm(), key, nonce, aad, data, theirs.tag);
  ASSERT_TRUE(opened.ok);
  ASSERT_EQ(opened.data, plaintext);
  ASSERT_TRUE(aead.open(as_nonce(nonce), aad, data, tag));
  ASSERT_EQ(data, plaintext);
}

TEST_P(GcmImpl, MatchesOpenSslOnRandomInputs) {
  const bool slow = GetParam() == AeadImplementation::reference;
  for (int i = 0; i < 60 / kSpeedDivisor; ++i) {
    const Bytes key = random_vector(i % 2 == 0 ? 16 : 32);
    const auto aead = make(key);
    const size_t length = random_vector(2)[0] * (slow ? 2u : 16u) + static_cast<size_t>(i);
    check_against_openssl(*aead, key, length);
  }
}

INSTANTIATE_TEST_SUITE_P(All, GcmImpl,
                         ::testing::Values(AeadImplementation::reference, AeadImplementation::aesni,
                                           AeadImplementation::vaes, AeadImplementation::best),
                         [](const auto& info) { return impl_name(info.param); });

// The accelerated engines against the reference on every length 0..300 (each
// tail of a 16-block or 8-block loop and every partial block) and random
// longer lengths, with random keys, nonces and AAD lengths; seal and open.
class GcmDifferential : public ::testing::TestWithParam<AeadImplementation> {};

TEST_P(GcmDifferential, AgreesWithReferenceOnEveryLength) {
  if (!aead_implementation_available(GetParam())) GTEST_SKIP() << "CPU lacks this implementation";
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 300; n += static_cast<size_t>(kSpeedDivisor)) lengths.push_back(n);
  for (int i = 0; i < 40 / kSpeedDivisor; ++i) lengths.push_back(300 + random_vector(2)[0] * 7u + random_vector(1)[0]);
  for (size_t length : lengths) {
    const Bytes key = random_vector(length % 3 == 0 ? 32 : 16);
    const auto ref = make_aead(aes_for_key(key.size()), key, AeadImplementation::reference);
    const auto fast = make_aead(aes_for_key(key.size()), key, GetParam());
    const Bytes nonce = random_vector(12), aad = random_vector((length * 7) % 70),
                plaintext = random_vector(length);
    Bytes a = plaintext, b = plaintext;
    std::array<uint8_t, 16> tag_a{}, tag_b{};
    ref->seal(as_nonce(nonce), aad, a, tag_a);
    fast->seal(as_nonce(nonce), aad, b, tag_b);
    ASSERT_EQ(a, b) << "length " << length;
    ASSERT_EQ(tag_a, tag_b) << "length " << length;
    ASSERT_TRUE(fast->open(as_nonce(nonce), aad, b, tag_b)) << "length " << length;
    ASSERT_EQ(b, plaintext) << "length " << length;
    if (length > 0) {
      a[length - 1] ^= 0x80;  // a flipped last byte: the tail path's GHASH must see it
      ASSERT_FALSE(fast->open(as_nonce(nonce), aad, a, tag_a)) << "length " << length;
      ASSERT_EQ(a, Bytes(length, 0));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fast, GcmDifferential,
                         ::testing::Values(AeadImplementation::aesni, AeadImplementation::vaes),
                         [](const auto& info) { return impl_name(info.param); });

TEST(Gcm, AcceleratedAgreeOnLongMessages) {
  const bool vaes = aead_implementation_available(AeadImplementation::vaes);
  if (!aead_implementation_available(AeadImplementation::aesni)) GTEST_SKIP() << "no AES-NI";
  for (size_t length : {4096u, 16384u, 16384u + 13u, 65536u + 255u}) {
    const Bytes key = random_vector(16), nonce = random_vector(12), aad = random_vector(13),
                plaintext = random_vector(length);
    const auto ni = make_aead(AeadAlgorithm::aes_128_gcm, key, AeadImplementation::aesni);
    Bytes a = plaintext;
    std::array<uint8_t, 16> tag_a{};
    ni->seal(as_nonce(nonce), aad, a, tag_a);
    const OpenSslResult theirs = openssl_seal(AeadAlgorithm::aes_128_gcm, key, nonce, aad, plaintext);
    ASSERT_EQ(a, theirs.data);
    ASSERT_EQ(Bytes(tag_a.begin(), tag_a.end()), theirs.tag);
    if (vaes) {
      const auto v = make_aead(AeadAlgorithm::aes_128_gcm, key, AeadImplementation::vaes);
      Bytes b = plaintext;
      std::array<uint8_t, 16> tag_b{};
      v->seal(as_nonce(nonce), aad, b, tag_b);
      ASSERT_EQ(a, b);
      ASSERT_EQ(tag_a, tag_b);
      ASSERT_TRUE(v->open(as_nonce(nonce), aad, b, tag_b));
      ASSERT_EQ(b, plaintext);
    }
  }
}

TEST(Gcm, GhashPortableAndPclmulAgree) {
  if (!cpu_features().pclmulqdq) GTEST_SKIP() << "no PCLMULQDQ";
  for (size_t length = 0; length < 400; length += 3) {
    const Bytes h = random_vector(16), y0 = random_vector(16), data = random_vector(length);
    uint8_t a[16], b[16];
    std::copy(y0.begin(), y0.end(), a);
    std::copy(y0.begin(), y0.end(), b);
    ghash_portable(h.data(), a, data);
    ghash_pclmul(h.data(), b, data);
    ASSERT_EQ(to_hex(ByteView(a, 16)), to_hex(ByteView(b, 16))) << "length " << length;
  }
}

// GHASH's defining property (SP 800-38D §6.4): one block X gives X • H, and
// multiplying by the field's one (the block 0x80 00 ... 00) returns X itself.
TEST(Gcm, GhashPortableMultipliesByOne) {
  const Bytes x = random_vector(16);
  Bytes one(16, 0);
  one[0] = 0x80;
  uint8_t y[16] = {};
  ghash_portable(one.data(), y, x);
  EXPECT_EQ(to_hex(ByteView(y, 16)), to_hex(x));
}

TEST(Aead, ChaCha20Poly1305MatchesOpenSsl) {
  for (size_t length : {0u, 1u, 13u, 64u, 100u, 1024u, 16384u}) {
    const Bytes key = random_vector(32);
    const auto aead = make_aead(AeadAlgorithm::chacha20_poly1305, key);
    EXPECT_NE(aead->implementation(), "libsodium");  // ours (crypto/chacha20_poly1305.h)
    check_against_openssl(*aead, key, length);
  }
}

TEST(Aead, ChaCha20Poly1305RejectsFlippedTagAndZeroesData) {
  const Bytes key = random_vector(32), nonce = random_vector(12), aad = random_vector(13);
  const auto aead = make_aead(AeadAlgorithm::chacha20_poly1305, key);
  Bytes data = random_vector(50);
  std::array<uint8_t, 16> tag{};
  aead->seal(as_nonce(nonce), aad, data, tag);
  tag[15] ^= 1;
  EXPECT_FALSE(aead->open(as_nonce(nonce), aad, data, tag));
  EXPECT_EQ(data, Bytes(50, 0));
}

TEST(Aead, NamesAndKeySizes) {
  EXPECT_EQ(aead_name(AeadAlgorithm::aes_128_gcm), "AES-128-GCM");
  EXPECT_EQ(aead_name(AeadAlgorithm::aes_256_gcm), "AES-256-GCM");
  EXPECT_EQ(aead_name(AeadAlgorithm::chacha20_poly1305), "CHACHA20-POLY1305");
  EXPECT_EQ(aead_key_size(AeadAlgorithm::aes_128_gcm), 16u);
  EXPECT_EQ(aead_key_size(AeadAlgorithm::aes_256_gcm), 32u);
  EXPECT_EQ(aead_key_size(AeadAlgorithm::chacha20_poly1305), 32u);
}

TEST(Aead, RejectsWrongKeySize) {
  EXPECT_THROW(make_aead(AeadAlgorithm::aes_128_gcm, Bytes(32, 0)), std::invalid_argument);
  EXPECT_THROW(make_aead(AeadAlgorithm::aes_256_gcm, Bytes(16, 0)), std::invalid_argument);
  EXPECT_THROW(make_aead(AeadAlgorithm::chacha20_poly1305, Bytes(16, 0)), std::invalid_argument);
}

TEST(Aead, UnavailableImplementationThrows) {
  for (AeadImplementation impl : {AeadImplementation::aesni, AeadImplementation::vaes}) {
    if (aead_implementation_available(impl)) continue;
    EXPECT_THROW(make_aead(AeadAlgorithm::aes_128_gcm, Bytes(16, 0), impl), std::runtime_error);
  }
  EXPECT_TRUE(aead_implementation_available(AeadImplementation::reference));
  EXPECT_TRUE(aead_implementation_available(AeadImplementation::best));
}

}  // namespace
}  // namespace tls12::crypto
