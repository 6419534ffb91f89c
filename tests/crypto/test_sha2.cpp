// Tests for SHA-256/384/512 (FIPS 180-4): the NIST known answers, differential
// tests against libsodium (SHA-256, SHA-512) and OpenSSL (SHA-384) for every
// length 0..1000 fed in random pieces, copy semantics (the transcript-hash
// pattern of RFC 5246 §7.4.9), and the SHA-NI (SHA-256) and AVX2 (SHA-512)
// compression functions against the portable ones.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <random>
#include <string>

#include "crypto/cpu.h"
#include "crypto/random.h"
#include "crypto/sha2.h"
#include "tests/support/sanitizer.h"

namespace tls12::crypto {
namespace {

using test::kSanitized;

template <size_t N>
std::string hex(const std::array<uint8_t, N>& a) {
  return to_hex(a);
}

const std::string kMsg448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kMsg896 =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmno"
    "pqrsmnopqrstnopqrstu";
const std::string kMillionA(1000000, 'a');

// ------------------------------------------------------------ known answers
// From NIST's "Cryptographic Standards and Guidelines: Examples with
// Intermediate Values" for FIPS 180-4, and the long-message tests of FIPS 180-2
// Appendix B/C (one million 'a').

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(hex(sha256(as_bytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256(as_bytes(kMsg448))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex(sha256(as_bytes(kMsg896))),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hex(sha256(as_bytes(kMillionA))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// SHA-224 (FIPS 180-4 §6.3): SHA-256 with its own H(0), cut to 28 bytes.
TEST(Sha224, KnownAnswers) {
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha224, as_bytes(""))),
            "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f");
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha224, as_bytes("abc"))),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha224, as_bytes(kMsg448))),
            "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525");
  EXPECT_EQ(digest_size(HashAlgorithm::sha224), 28u);
  EXPECT_EQ(block_size(HashAlgorithm::sha224), 64u);
  EXPECT_EQ(hash_name(HashAlgorithm::sha224), "SHA-224");
}

TEST(Sha384, KnownAnswers) {
  EXPECT_EQ(hex(sha384(as_bytes(""))),
            "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
            "274edebfe76f65fbd51ad2f14898b95b");
  EXPECT_EQ(hex(sha384(as_bytes("abc"))),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(hex(sha384(as_bytes(kMsg448))),
            "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6"
            "b0455a8520bc4e6f5fe95b1fe3c8452b");
  EXPECT_EQ(hex(sha384(as_bytes(kMsg896))),
            "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
            "fcc7c71a557e2db966c3e9fa91746039");
  EXPECT_EQ(hex(sha384(as_bytes(kMillionA))),
            "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b"
            "07b8b3dc38ecc4ebae97ddd87f3d8985");
}

TEST(Sha512, KnownAnswers) {
  EXPECT_EQ(hex(sha512(as_bytes(""))),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(hex(sha512(as_bytes("abc"))),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(hex(sha512(as_bytes(kMsg448))),
            "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
            "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445");
  EXPECT_EQ(hex(sha512(as_bytes(kMsg896))),
            "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
            "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
  EXPECT_EQ(hex(sha512(as_bytes(kMillionA))),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
            "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

// The million 'a' fed one byte at a time exercises the partial-block path.
TEST(Sha256, MillionAOneByteAtATime) {
  Sha256 h;
  const uint8_t a = 'a';
  for (int i = 0; i < 1000000; ++i) h.update({&a, 1});
  EXPECT_EQ(hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Empty updates (an empty span may carry a null pointer) change nothing, in
// the middle of a block or at its start.
TEST(Hash, EmptyUpdatesChangeNothing) {
  for (auto alg : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    Hash h(alg);
    h.update(ByteView{});
    h.update(as_bytes("ab"));
    h.update(ByteView{});
    h.update(as_bytes("c"));
    h.update(ByteView{});
    EXPECT_EQ(h.finish(), hash(alg, as_bytes("abc"))) << hash_name(alg);
  }
}

TEST(Hash, SelectorMatchesTheFixedClasses) {
  const auto msg = as_bytes("abc");
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha256, msg)), hex(sha256(msg)));
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha384, msg)), hex(sha384(msg)));
  EXPECT_EQ(to_hex(hash(HashAlgorithm::sha512, msg)), hex(sha512(msg)));
  EXPECT_EQ(digest_size(HashAlgorithm::sha256), 32u);
  EXPECT_EQ(digest_size(HashAlgorithm::sha384), 48u);
  EXPECT_EQ(digest_size(HashAlgorithm::sha512), 64u);
  EXPECT_EQ(block_size(HashAlgorithm::sha256), 64u);
  EXPECT_EQ(block_size(HashAlgorithm::sha384), 128u);
  EXPECT_EQ(block_size(HashAlgorithm::sha512), 128u);
  EXPECT_EQ(hash_name(HashAlgorithm::sha384), "SHA-384");
  Hash h(HashAlgorithm::sha384);
  EXPECT_EQ(h.algorithm(), HashAlgorithm::sha384);
  EXPECT_EQ(h.digest_size(), 48u);
  EXPECT_EQ(h.block_size(), 128u);
}

// ------------------------------------------------------------ differential

// Feeds `data` to `h` in random pieces (including empty ones).
template <class H>
void update_in_pieces(H& h, ByteView data, std::mt19937& rng) {
  while (!data.empty()) {
    std::uniform_int_distribution<size_t> piece(0, std::min<size_t>(data.size(), 300));
    const size_t n = piece(rng);
    h.update(data.first(n));
    data = data.subspan(n);
  }
}

Bytes random_message(size_t n) {
  Bytes m(n);
  if (n > 0) random_bytes(m);
  return m;
}

TEST(Sha256, MatchesLibsodiumForEveryLengthUpTo1000) {
  ensure_sodium();
  std::mt19937 rng(1);
  for (size_t len = 0; len <= 1000; ++len) {
    const Bytes m = random_message(len);
    std::array<uint8_t, crypto_hash_sha256_BYTES> expected;
    crypto_hash_sha256(expected.data(), m.data(), m.size());
    ASSERT_EQ(hex(sha256(m)), hex(expected)) << "one-shot, length " << len;
    Sha256 h;
    update_in_pieces(h, m, rng);
    ASSERT_EQ(hex(h.finish()), hex(expected)) << "in pieces, length " << len;
  }
}

// Up to 4096 bytes: 32 blocks, so the AVX2 path's pairs of blocks and its
// odd last block both occur at every alignment of the message's end.
TEST(Sha512, MatchesLibsodiumForEveryLengthUpTo4096) {
  ensure_sodium();
  std::mt19937 rng(2);
  for (size_t len = 0; len <= 4096; ++len) {
    const Bytes m = random_message(len);
    std::array<uint8_t, crypto_hash_sha512_BYTES> expected;
    crypto_hash_sha512(expected.data(), m.data(), m.size());
    ASSERT_EQ(hex(sha512(m)), hex(expected)) << "one-shot, length " << len;
    Sha512 h;
    update_in_pieces(h, m, rng);
    ASSERT_EQ(hex(h.finish()), hex(expected)) << "in pieces, length " << len;
  }
}

std::string openssl_sha384(ByteView m) {
  std::array<uint8_t, 48> md;
  unsigned int md_len = 0;
  EXPECT_EQ(EVP_Digest(m.data(), m.size(), md.data(), &md_len, EVP_sha384(), nullptr), 1);
  EXPECT_EQ(md_len, 48u);
  return hex(md);
}

TEST(Sha384, MatchesOpenSslForEveryLengthUpTo4096) {
  std::mt19937 rng(3);
  for (size_t len = 0; len <= 4096; ++len) {
    const Bytes m = random_message(len);
    const std::string expected = openssl_sha384(m);
    ASSERT_EQ(hex(sha384(m)), expected) << "one-shot, length " << len;
    Sha384 h;
    update_in_pieces(h, m, rng);
    ASSERT_EQ(hex(h.finish()), expected) << "in pieces, length " << len;
  }
}

// ------------------------------------------------------------ copy semantics

// Hash a prefix, copy, continue both with different suffixes: each must equal
// the one-shot hash of its own whole message (the TLS transcript-hash pattern).
template <class H, class OneShot>
void check_copy_semantics(OneShot one_shot) {
  for (size_t prefix_len : {0, 1, 55, 64, 100, 127, 128, 129, 300}) {
    const Bytes prefix = random_message(prefix_len);
    const Bytes suffix_a = random_message(77);
    const Bytes suffix_b = random_message(200);
    H original;
    original.update(prefix);
    H copy = original;
    original.update(suffix_a);
    copy.update(suffix_b);

    Bytes whole_a = prefix, whole_b = prefix;
    whole_a.insert(whole_a.end(), suffix_a.begin(), suffix_a.end());
    whole_b.insert(whole_b.end(), suffix_b.begin(), suffix_b.end());
    EXPECT_EQ(hex(original.finish()), hex(one_shot(whole_a))) << "prefix " << prefix_len;
    EXPECT_EQ(hex(copy.finish()), hex(one_shot(whole_b))) << "prefix " << prefix_len;
  }
}

TEST(Sha256, CopyContinuesIndependently) { check_copy_semantics<Sha256>(sha256); }
TEST(Sha384, CopyContinuesIndependently) { check_copy_semantics<Sha384>(sha384); }
TEST(Sha512, CopyContinuesIndependently) { check_copy_semantics<Sha512>(sha512); }

TEST(Hash, CopyContinuesIndependently) {
  for (auto alg : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    Hash transcript(alg);
    transcript.update(as_bytes("ClientHello"));
    Hash snapshot = transcript;
    transcript.update(as_bytes("ServerHello"));
    EXPECT_EQ(snapshot.finish(), hash(alg, as_bytes("ClientHello"))) << hash_name(alg);
    EXPECT_EQ(transcript.finish(), hash(alg, as_bytes("ClientHelloServerHello"))) << hash_name(alg);
  }
}

// ------------------------------------------------------------ SHA-NI

TEST(Sha256, ShaNiMatchesPortableOnRandomInputs) {
  if (!cpu_features().sha_ni) GTEST_SKIP() << "this CPU has no SHA-NI (or TLS12_CPU=reference)";
  std::mt19937 rng(4);
  const int rounds = kSanitized ? 100 : 2000;
  for (int i = 0; i < rounds; ++i) {
    // A random state, not only H(0): the SHA-NI path must carry any state.
    std::array<uint32_t, 8> state;
    for (auto& w : state) w = static_cast<uint32_t>(rng());
    const size_t blocks = std::uniform_int_distribution<size_t>(1, 9)(rng);
    const Bytes data = random_message(blocks * Sha256::block_size);
    auto portable = state;
    auto shani = state;
    detail::sha256_compress_portable(portable, data.data(), blocks);
    detail::sha256_compress_shani(shani, data.data(), blocks);
    ASSERT_EQ(portable, shani) << "iteration " << i << ", " << blocks << " blocks";
  }
  EXPECT_EQ(detail::sha256_compress_selected(), &detail::sha256_compress_shani);
}

// The portable path must be right on its own, whichever one Sha256 selects.
TEST(Sha256, PortableCompressionGivesTheKnownAnswer) {
  // "abc" padded by hand (§5.1.1): one block.
  std::array<uint8_t, 64> block{};
  block[0] = 'a';
  block[1] = 'b';
  block[2] = 'c';
  block[3] = 0x80;
  block[63] = 24;  // length in bits
  std::array<uint32_t, 8> h = {0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
                               0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U};
  detail::sha256_compress_portable(h, block.data(), 1);
  const std::array<uint32_t, 8> expected = {0xba7816bfU, 0x8f01cfeaU, 0x414140deU, 0x5dae2223U,
                                            0xb00361a3U, 0x96177a9cU, 0xb410ff61U, 0xf20015adU};
  EXPECT_EQ(h, expected);
}

// ------------------------------------------------------------ SHA-512 AVX2

void check_sha512_against_portable(detail::Sha512CompressFn compress) {
  std::mt19937 rng(5);
  const int rounds = kSanitized ? 100 : 2000;
  for (int i = 0; i < rounds; ++i) {
    // A random state, not only H(0), and 1..9 blocks (odd and even counts).
    std::array<uint64_t, 8> state;
    for (auto& w : state) w = (uint64_t{rng()} << 32) | rng();
    const size_t blocks = std::uniform_int_distribution<size_t>(1, 9)(rng);
    const Bytes data = random_message(blocks * Sha512::block_size);
    auto portable = state;
    auto vector = state;
    detail::sha512_compress_portable(portable, data.data(), blocks);
    compress(vector, data.data(), blocks);
    ASSERT_EQ(portable, vector) << "iteration " << i << ", " << blocks << " blocks";
  }
}

TEST(Sha512, Avx2MatchesPortableOnRandomInputs) {
  if (!cpu_features().avx2 || !cpu_features().bmi2) GTEST_SKIP() << "this CPU has no AVX2 and BMI2";
  check_sha512_against_portable(&detail::sha512_compress_avx2);
  if (!cpu_features().avx512f || !cpu_features().avx512vl) {
    EXPECT_EQ(detail::sha512_compress_selected(), &detail::sha512_compress_avx2);
  }
}

TEST(Sha512, Avx512vlMatchesPortableOnRandomInputs) {
  const CpuFeatures& cpu = cpu_features();
  if (!cpu.avx2 || !cpu.bmi2 || !cpu.avx512f || !cpu.avx512vl) GTEST_SKIP() << "this CPU has no AVX2, BMI2 and AVX-512VL";
  check_sha512_against_portable(&detail::sha512_compress_avx512vl);
  EXPECT_EQ(detail::sha512_compress_selected(), &detail::sha512_compress_avx512vl);
}

// The portable path must be right on its own, whichever one Sha512 selects.
TEST(Sha512, PortableCompressionGivesTheKnownAnswer) {
  // "abc" padded by hand (§5.1.2): one block.
  std::array<uint8_t, 128> block{};
  block[0] = 'a';
  block[1] = 'b';
  block[2] = 'c';
  block[3] = 0x80;
  block[127] = 24;  // length in bits
  std::array<uint64_t, 8> h = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                               0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                               0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
  detail::sha512_compress_portable(h, block.data(), 1);
  const std::array<uint64_t, 8> expected = {0xddaf35a193617abaULL, 0xcc417349ae204131ULL, 0x12e6fa4e89a97ea2ULL,
                                            0x0a9eeee64b55d39aULL, 0x2192992a274fc1a8ULL, 0x36ba3c23a3feebbdULL,
                                            0x454d4423643ce80eULL, 0x2a9ac94fa54ca49fULL};
  EXPECT_EQ(h, expected);
}

}  // namespace
}  // namespace tls12::crypto
