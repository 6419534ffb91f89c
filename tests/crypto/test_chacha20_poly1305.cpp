// ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD (RFC 8439; crypto/
// chacha20.cpp, poly1305.cpp, chacha20_avx2.cpp, chacha20_poly1305.cpp):
// the RFC's known answers (§2.4.2, §2.5.2, §2.8.2, A.5) for both engines,
// the AVX2 and AVX-512 ChaCha20 and the vector Poly1305 paths against the
// reference ones (chacha20_avx512.cpp, poly1305_avx2.cpp, poly1305_avx512.cpp,
// poly1305_ifma.cpp), and the AEAD against libsodium and OpenSSL for every
// length 0..4096.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <random>
#include <string>

#include "crypto/aead.h"
#include "crypto/chacha20_poly1305.h"
#include "crypto/cpu.h"
#include "crypto/random.h"

namespace tls12::crypto {
namespace {

const std::string kSunscreen =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
    "sunscreen would be it.";

Bytes random_vector(size_t n) {
  Bytes b(n);
  if (n > 0) random_bytes(b);
  return b;
}

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

// ---------------------------------------------------------------- ChaCha20

using ChaChaXor = void (*)(const uint8_t*, uint32_t, const uint8_t*, MutableByteView);

struct ChaChaEngine {
  const char* name;
  ChaChaXor xor_keystream;
};

// The ChaCha20 engines this CPU can run.
std::vector<ChaChaEngine> chacha_engines() {
  std::vector<ChaChaEngine> engines{{"reference", chacha20_xor_reference}};
  if (aead_implementation_available(AeadAlgorithm::chacha20_poly1305, AeadImplementation::avx2))
    engines.push_back({"avx2", chacha20_xor_avx2});
  if (cpu_features().avx512f) engines.push_back({"avx512", chacha20_xor_avx512});
  return engines;
}

// RFC 8439 §2.4.2: key 00..1f, nonce 00000000 0000004a 00000000, counter 1.
TEST(ChaCha20, Rfc8439Encryption242) {
  const Bytes key = from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  const Bytes nonce = from_hex("000000000000004a00000000");
  const Bytes expected = from_hex(
      "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
      "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
      "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
      "5af90bbf74a35be6b40b8eedf2785e42874d");
  for (const auto& engine : chacha_engines()) {
    Bytes data = text(kSunscreen);
    engine.xor_keystream(key.data(), 1, nonce.data(), data);
    EXPECT_EQ(to_hex(data), to_hex(expected)) << engine.name;
  }
}

// The vector keystreams equal the reference one for every length 0..4096
// and for starting counters just below 2^32 (the lanes count separately).
TEST(ChaCha20, VectorEnginesMatchReferenceEveryLength) {
  const auto engines = chacha_engines();
  if (engines.size() < 2) GTEST_SKIP() << "CPU lacks AVX2";
  const Bytes key = random_vector(32), nonce = random_vector(12);
  std::mt19937 rng(std::random_device{}());
  for (size_t n = 0; n <= 4096; ++n) {
    const uint32_t counter = n % 3 == 0 ? 0xffffffffu - static_cast<uint32_t>(n % 40) : static_cast<uint32_t>(rng());
    const Bytes input = random_vector(n);
    Bytes ref = input;
    chacha20_xor_reference(key.data(), counter, nonce.data(), ref);
    for (size_t e = 1; e < engines.size(); ++e) {
      Bytes fast = input;
      engines[e].xor_keystream(key.data(), counter, nonce.data(), fast);
      ASSERT_EQ(ref, fast) << engines[e].name << ", length " << n << " counter " << counter;
    }
  }
}

// ---------------------------------------------------------------- Poly1305

// RFC 8439 §2.5.2.
TEST(Poly1305, Rfc8439Mac252) {
  const Bytes key = from_hex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
  const Bytes message = text("Cryptographic Forum Research Group");
  uint8_t tag[16];
  poly1305_mac<Poly1305Reference>(key.data(), message, tag);
  EXPECT_EQ(to_hex(ByteView(tag, 16)), "a8061dc1305136c6c22b8baf0c0127a9");
  poly1305_mac<Poly1305Fast>(key.data(), message, tag);
  EXPECT_EQ(to_hex(ByteView(tag, 16)), "a8061dc1305136c6c22b8baf0c0127a9");
}

// libsodium's one-time authenticator is Poly1305 itself: an independent oracle.
Bytes sodium_poly1305(const Bytes& key, const Bytes& message) {
  Bytes tag(crypto_onetimeauth_poly1305_BYTES);
  crypto_onetimeauth_poly1305(tag.data(), message.data(), message.size(), key.data());
  return tag;
}

// Poly1305Fast with its AVX2 path for the whole blocks.
void poly1305_avx2_mac(const uint8_t key[32], ByteView message, uint8_t tag[16]) {
  Poly1305Fast poly(key);
  poly.add_blocks_avx2(message.data(), message.size() / 16);
  if (message.size() % 16 != 0) poly.add_final_partial(message.data() + message.size() / 16 * 16, message.size() % 16);
  poly.finish(tag);
}

// Poly1305Fast with its AVX-512 path (26-bit limbs, or 44-bit with IFMA) for
// the whole blocks.
void poly1305_avx512_mac(const uint8_t key[32], ByteView message, uint8_t tag[16], bool ifma) {
  Poly1305Fast poly(key);
  if (ifma) {
    poly.add_blocks_ifma(message.data(), message.size() / 16);
  } else {
    poly.add_blocks_avx512(message.data(), message.size() / 16);
  }
  if (message.size() % 16 != 0) poly.add_final_partial(message.data() + message.size() / 16 * 16, message.size() % 16);
  poly.finish(tag);
}

// All the ways agree with libsodium on random messages of every length
// 0..2048, including keys and messages of all-ones bytes, where every carry
// and the final reduction are at their largest.
TEST(Poly1305, AllLayoutsMatchLibsodiumEveryLength) {
  ASSERT_GE(sodium_init(), 0);
  const bool avx2 = aead_implementation_available(AeadAlgorithm::chacha20_poly1305, AeadImplementation::avx2);
  for (size_t n = 0; n <= 2048; ++n) {
    const Bytes key = n % 4 == 0 ? Bytes(32, 0xff) : random_vector(32);
    const Bytes message = n % 5 == 0 ? Bytes(n, 0xff) : random_vector(n);
    const Bytes expected = sodium_poly1305(key, message);
    Bytes reference(16), fast(16), vector(16);
    poly1305_mac<Poly1305Reference>(key.data(), message, reference.data());
    poly1305_mac<Poly1305Fast>(key.data(), message, fast.data());
    ASSERT_EQ(to_hex(reference), to_hex(expected)) << "reference, length " << n;
    ASSERT_EQ(to_hex(fast), to_hex(expected)) << "64-bit limbs, length " << n;
    if (!avx2) continue;
    poly1305_avx2_mac(key.data(), message, vector.data());
    ASSERT_EQ(to_hex(vector), to_hex(expected)) << "AVX2, length " << n;
    if (!cpu_features().avx512f) continue;
    poly1305_avx512_mac(key.data(), message, vector.data(), false);
    ASSERT_EQ(to_hex(vector), to_hex(expected)) << "AVX-512, length " << n;
    if (!poly1305_ifma_available()) continue;
    poly1305_avx512_mac(key.data(), message, vector.data(), true);
    ASSERT_EQ(to_hex(vector), to_hex(expected)) << "AVX-512 IFMA, length " << n;
  }
}

// ---------------------------------------------------------------- the AEAD

class ChaCha20Poly1305Test : public testing::TestWithParam<AeadImplementation> {
 protected:
  void SetUp() override {
    if (!aead_implementation_available(AeadAlgorithm::chacha20_poly1305, GetParam()))
      GTEST_SKIP() << "CPU lacks this implementation";
  }
  std::unique_ptr<Aead> make(const Bytes& key) const {
    auto aead = make_aead(AeadAlgorithm::chacha20_poly1305, key, GetParam());
    EXPECT_EQ(aead->implementation(), GetParam() == AeadImplementation::avx2 ? "avx2" : "reference");
    return aead;
  }
  void expect_seals_to(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& plaintext,
                       const std::string& ciphertext_hex, const std::string& tag_hex) const {
    const auto aead = make(key);
    Bytes data = plaintext;
    std::array<uint8_t, 16> tag{};
    aead->seal(Aead::Nonce(nonce.data(), 12), aad, data, tag);
    EXPECT_EQ(to_hex(data), ciphertext_hex);
    EXPECT_EQ(to_hex(tag), tag_hex);
    ASSERT_TRUE(aead->open(Aead::Nonce(nonce.data(), 12), aad, data, tag));
    EXPECT_EQ(data, plaintext);
  }
};

// RFC 8439 §2.8.2.
TEST_P(ChaCha20Poly1305Test, Rfc8439Aead282) {
  expect_seals_to(from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
                  from_hex("070000004041424344454647"), from_hex("50515253c0c1c2c3c4c5c6c7"),
                  text(kSunscreen),
                  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                  "3ff4def08e4b7a9de576d26586cec64b6116",
                  "1ae10b594f09e26a7e902ecbd0600691");
}

// RFC 8439 A.5: the decryption example (265 bytes, so a partial last block).
TEST_P(ChaCha20Poly1305Test, Rfc8439DecryptionA5) {
  expect_seals_to(from_hex("1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0"),
                  from_hex("000000000102030405060708"), from_hex("f33388860000000000004e91"),
                  from_hex("496e7465726e65742d4472616674732061726520647261667420646f63756d65"
                           "6e74732076616c696420666f722061206d6178696d756d206f6620736978206d"
                           "6f6e74687320616e64206d617920626520757064617465642c207265706c6163"
                           "65642c206f72206f62736f6c65746564206279206f7468657220646f63756d65"
                           "6e747320617420616e792074696d652e20497420697320696e617070726f7072"
                           "6961746520746f2075736520496e7465726e65742d4472616674732061732072"
                           "65666572656e6365206d6174657269616c206f7220746f206369746520746865"
                           "6d206f74686572207468616e206173202fe2809c776f726b20696e2070726f67"
                           "726573732e2fe2809d"),
                  "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
                  "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
                  "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
                  "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
                  "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
                  "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
                  "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
                  "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
                  "a6ad5cb4022b02709b",
                  "eead9d67890cbb22392336fea1851f38");
}

Bytes sodium_seal(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& plaintext) {
  Bytes out(plaintext.size() + 16);
  unsigned long long out_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(),
                                            aad.data(), aad.size(), nullptr, nonce.data(), key.data());
  return out;
}

Bytes openssl_seal(const Bytes& key, const Bytes& nonce, const Bytes& aad, const Bytes& plaintext) {
  Bytes out(plaintext.size() + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), nullptr, key.data(), nonce.data()) == 1;
  ok = ok && EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  ok = ok && EVP_EncryptUpdate(ctx, out.data(), &len, plaintext.data(), static_cast<int>(plaintext.size())) == 1;
  ok = ok && EVP_EncryptFinal_ex(ctx, out.data() + len, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.data() + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL ChaCha20-Poly1305 seal failed");
  return out;
}

// Every length 0..4096 with a random split of the same bytes into AAD and
// data (so both the AAD's and the data's partial blocks take every size):
// the ciphertext and tag equal libsodium's and OpenSSL's, opening gives the
// plaintext back, and a flipped ciphertext bit is refused with zeroed data.
TEST_P(ChaCha20Poly1305Test, MatchesLibsodiumAndOpensslEveryLength) {
  ASSERT_GE(sodium_init(), 0);
  std::mt19937 rng(std::random_device{}());
  const Bytes key = random_vector(32);
  const auto aead = make(key);
  for (size_t total = 0; total <= 4096; ++total) {
    const size_t aad_len = std::uniform_int_distribution<size_t>(0, std::min<size_t>(total, 80))(rng);
    const Bytes bytes = random_vector(total), nonce = random_vector(12);
    const Bytes aad(bytes.begin(), bytes.begin() + static_cast<long>(aad_len));
    const Bytes plaintext(bytes.begin() + static_cast<long>(aad_len), bytes.end());
    Bytes data = plaintext;
    std::array<uint8_t, 16> tag{};
    aead->seal(Aead::Nonce(nonce.data(), 12), aad, data, tag);
    Bytes sealed = data;
    sealed.insert(sealed.end(), tag.begin(), tag.end());
    ASSERT_EQ(to_hex(sealed), to_hex(sodium_seal(key, nonce, aad, plaintext))) << "libsodium, total " << total;
    ASSERT_EQ(to_hex(sealed), to_hex(openssl_seal(key, nonce, aad, plaintext))) << "OpenSSL, total " << total;
    ASSERT_TRUE(aead->open(Aead::Nonce(nonce.data(), 12), aad, data, tag));
    ASSERT_EQ(data, plaintext);
    if (plaintext.empty()) continue;
    std::copy(sealed.begin(), sealed.end() - 16, data.begin());
    data[total % data.size()] ^= 0x80;
    ASSERT_FALSE(aead->open(Aead::Nonce(nonce.data(), 12), aad, data, tag)) << "total " << total;
    ASSERT_TRUE(std::all_of(data.begin(), data.end(), [](uint8_t b) { return b == 0; }));
  }
}

// A record-sized message (2^14 + 256 bytes, past many 512-byte turns) under
// both engines gives the same bytes as libsodium.
TEST_P(ChaCha20Poly1305Test, RecordSizedMessageMatchesLibsodium) {
  ASSERT_GE(sodium_init(), 0);
  const Bytes key = random_vector(32), nonce = random_vector(12), aad = random_vector(13);
  const Bytes plaintext = random_vector(16384 + 256);
  Bytes data = plaintext;
  std::array<uint8_t, 16> tag{};
  make(key)->seal(Aead::Nonce(nonce.data(), 12), aad, data, tag);
  data.insert(data.end(), tag.begin(), tag.end());
  EXPECT_EQ(data, sodium_seal(key, nonce, aad, plaintext));
}

INSTANTIATE_TEST_SUITE_P(Engines, ChaCha20Poly1305Test,
                         testing::Values(AeadImplementation::reference, AeadImplementation::avx2),
                         [](const auto& info) {
                           return std::string(info.param == AeadImplementation::avx2 ? "avx2" : "reference");
                         });

// best picks AVX2 where the CPU has it; the AES-GCM engine names mean best
// for ChaCha20-Poly1305 (one configured choice serves every suite).
TEST(ChaCha20Poly1305Choice, BestAndForeignNamesPickTheFastestEngine) {
  const Bytes key(32, 7);
  const bool avx2 = aead_implementation_available(AeadAlgorithm::chacha20_poly1305, AeadImplementation::avx2);
  const std::string fastest = avx2 ? "avx2" : "reference";
  for (auto impl : {AeadImplementation::best, AeadImplementation::aesni, AeadImplementation::vaes})
    EXPECT_EQ(make_aead(AeadAlgorithm::chacha20_poly1305, key, impl)->implementation(), fastest);
  EXPECT_EQ(make_aead(AeadAlgorithm::chacha20_poly1305, key, AeadImplementation::reference)->implementation(),
            "reference");
  EXPECT_FALSE(aead_implementation_available(AeadAlgorithm::chacha20_poly1305, AeadImplementation::aesni));
  EXPECT_FALSE(aead_implementation_available(AeadAlgorithm::aes_128_gcm, AeadImplementation::avx2));
  EXPECT_NE(make_aead(AeadAlgorithm::aes_128_gcm, Bytes(16, 7), AeadImplementation::avx2)->implementation(), "avx2");
}

}  // namespace
}  // namespace tls12::crypto
