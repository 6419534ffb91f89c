// Tests for HMAC (RFC 2104), PBKDF2 (RFC 8018 §5.2) and the TLS 1.2 PRF
// (RFC 5246 §5): RFC 4231 test cases 1-7, the published TLS 1.2 PRF vectors,
// OpenSSL's TLS1-PRF and PBKDF2 as oracles on random inputs, RFC 7914 §11, and
// the master secret and Finished verify_data of the illustrated TLS 1.2
// connection.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <memory>
#include <new>
#include <random>
#include <sstream>
#include <string>

#include "crypto/hmac.h"
#include "crypto/prf.h"
#include "crypto/random.h"
#include "tests/support/sanitizer.h"
#include "tests/support/test_support.h"

namespace tls12::crypto {
namespace {

using test::kSanitized;

constexpr HashAlgorithm kAll[] = {HashAlgorithm::sha256, HashAlgorithm::sha384,
                                  HashAlgorithm::sha512};

Bytes repeat(uint8_t byte, size_t n) { return Bytes(n, byte); }

Bytes random_bytes_of(size_t n) {
  Bytes b(n);
  if (n > 0) random_bytes(b);
  return b;
}

// ------------------------------------------------------------ HMAC, RFC 4231

struct Rfc4231Case {
  int number;
  Bytes key;
  Bytes data;
  const char* sha256;
  const char* sha384;
  const char* sha512;
};

std::vector<Rfc4231Case> rfc4231_cases() {
  Bytes key4;
  for (uint8_t i = 1; i <= 25; ++i) key4.push_back(i);
  const auto text = [](std::string_view s) { return Bytes(s.begin(), s.end()); };
  return {
      {1, repeat(0x0b, 20), text("Hi There"),
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
       "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
       "faea9ea9076ede7f4af152e8b2fa9cb6",
       "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
       "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
      {2, text("Jefe"), text("what do ya want for nothing?"),
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
       "8e2240ca5e69e2c78b3239ecfab21649",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
      {3, repeat(0xaa, 20), repeat(0xdd, 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
       "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
       "2a5ab39dc13814b94e3ab6e101a34f27",
       "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
       "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
      {4, key4, repeat(0xcd, 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
       "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
       "6801dd23c4a7d679ccf8a386c674cffb",
       "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
       "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
      // Case 5: the RFC gives only the first 128 bits (truncated output).
      {5, repeat(0x0c, 20), text("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b",
       "3abf34c3503b2a23a46efc619baef897", "415fad6271580a531d4179bc891d87a6"},
      // Cases 6 and 7: a 131-byte key, longer than every block, is hashed first.
      {6, repeat(0xaa, 131), text("Test Using Larger Than Block-Size Key - Hash Key First"),
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
       "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
       "0c2ef6ab4030fe8296248df163f44952",
       "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
       "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
      {7, repeat(0xaa, 131),
       text("This is a test using a larger than block-size key and a larger than block-size "
            "data. The key needs to be hashed before being used by the HMAC algorithm."),
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
       "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
       "a678cc31e799176d3860e6110c46523e",
       "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
       "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
  };
}

TEST(Hmac, Rfc4231TestCases1To7) {
  for (const auto& c : rfc4231_cases()) {
    const char* expected[] = {c.sha256, c.sha384, c.sha512};
    for (int i = 0; i < 3; ++i) {
      const std::string mac = to_hex(hmac(kAll[i], c.key, c.data));
      EXPECT_EQ(mac.substr(0, std::string(expected[i]).size()), expected[i])
          << "RFC 4231 case " << c.number << ", HMAC-" << hash_name(kAll[i]);
    }
  }
}

// Streaming and copying: a keyed Hmac copied, then fed in pieces, must agree
// with the one-shot MAC (the PRF and PBKDF2 depend on copies).
TEST(Hmac, StreamingAndCopiesAgreeWithOneShot) {
  const auto c = rfc4231_cases()[6];
  for (auto alg : kAll) {
    const Hmac keyed(alg, c.key);
    Hmac a = keyed;
    Hmac b = keyed;
    ByteView data = c.data;
    a.update(data.first(10));
    a.update(data.subspan(10));
    b.update(as_bytes("something else"));
    EXPECT_EQ(a.finish(), hmac(alg, c.key, c.data)) << hash_name(alg);
    EXPECT_EQ(b.finish(), hmac(alg, c.key, as_bytes("something else"))) << hash_name(alg);
  }
}

// Keys of exactly the block size are used as they are; one byte more is hashed.
TEST(Hmac, MatchesOpenSslAroundTheBlockSize) {
  for (auto alg : kAll) {
    const EVP_MD* md = alg == HashAlgorithm::sha256   ? EVP_sha256()
                       : alg == HashAlgorithm::sha384 ? EVP_sha384()
                                                      : EVP_sha512();
    const size_t B = block_size(alg);
    for (size_t key_len : {size_t{0}, size_t{1}, B - 1, B, B + 1, 2 * B + 3}) {
      const Bytes key = random_bytes_of(key_len);
      const Bytes data = random_bytes_of(key_len * 3 + 1);
      uint8_t expected[EVP_MAX_MD_SIZE];
      unsigned int expected_len = 0;
      ASSERT_NE(HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                     expected, &expected_len),
                nullptr);
      EXPECT_EQ(to_hex(hmac(alg, key, data)), to_hex({expected, expected_len}))
          << hash_name(alg) << ", key length " << key_len;
    }
  }
}

// ------------------------------------------------------------ the TLS PRF

// The TLS 1.2 PRF test vectors published on the IETF TLS list and used by many
// implementations' test suites (label "test label").
TEST(Prf, PublishedSha256Vector) {
  const Bytes secret = from_hex("9bbe436ba940f017b17652849a71db35");
  const Bytes seed = from_hex("a0ba9f936cda311827a6f796ffd5198c");
  const SecretBytes out = prf(HashAlgorithm::sha256, secret, "test label", seed, 100);
  EXPECT_EQ(to_hex(out),
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
            "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
            "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
            "87347b66");
}

TEST(Prf, PublishedSha384Vector) {
  const Bytes secret = from_hex("b80b733d6ceefcdc71566ea48e5567df");
  const Bytes seed = from_hex("cd665cf6a8447dd6ff8b27555edb7465");
  const SecretBytes out = prf(HashAlgorithm::sha384, secret, "test label", seed, 148);
  EXPECT_EQ(to_hex(out),
            "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
            "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
            "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
            "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
            "91c8f3a26854308d5eaa3be85e0990703d73e56f");
}

// OpenSSL's "TLS1-PRF" KDF as an oracle, with the label passed as the first
// seed part exactly as RFC 5246 §5 concatenates it.
Bytes openssl_tls1_prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
                       size_t length) {
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr),
                                                        EVP_KDF_free);
  EXPECT_NE(kdf, nullptr);
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                EVP_KDF_CTX_free);
  std::string digest(alg == HashAlgorithm::sha256   ? "SHA256"
                     : alg == HashAlgorithm::sha384 ? "SHA384"
                                                    : "SHA512");
  std::string label_copy(label);
  Bytes secret_copy(secret.begin(), secret.end()), seed_copy(seed.begin(), seed.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, secret_copy.data(),
                                        secret_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_copy.data(), label_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, seed_copy.data(), seed_copy.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  EXPECT_EQ(EVP_KDF_derive(ctx.get(), out.data(), out.size(), params), 1);
  return out;
}

TEST(Prf, MatchesOpenSslTls1PrfOnRandomInputs) {
  std::mt19937 rng(5);
  const int rounds = kSanitized ? 30 : 200;
  for (int i = 0; i < rounds; ++i) {
    for (auto alg : kAll) {
      const Bytes secret = random_bytes_of(std::uniform_int_distribution<size_t>(1, 200)(rng));
      const Bytes seed = random_bytes_of(std::uniform_int_distribution<size_t>(0, 150)(rng));
      const size_t length = std::uniform_int_distribution<size_t>(1, 300)(rng);
      const std::string label = "label " + std::to_string(i);
      const SecretBytes ours = prf(alg, secret, label, seed, length);
      ASSERT_EQ(to_hex(ours), to_hex(openssl_tls1_prf(alg, secret, label, seed, length)))
          << hash_name(alg) << ", secret " << secret.size() << ", seed " << seed.size()
          << ", length " << length;
    }
  }
}

// A shorter output is a prefix of a longer one (P_hash is a stream), and the
// span overload writes exactly the bytes it is given.
TEST(Prf, ShorterOutputIsAPrefixAndSpanOverloadAgrees) {
  const Bytes secret = random_bytes_of(48);
  const Bytes seed = random_bytes_of(64);
  const SecretBytes long_out = prf(HashAlgorithm::sha256, secret, "key expansion", seed, 136);
  for (size_t n : {0, 1, 12, 31, 32, 33, 64, 100}) {
    Bytes buf(n + 2, 0xee);
    prf(HashAlgorithm::sha256, secret, "key expansion", seed, MutableByteView(buf).first(n));
    EXPECT_TRUE(std::equal(buf.begin(), buf.begin() + static_cast<long>(n), long_out.begin())) << n;
    EXPECT_EQ(buf[n], 0xee) << "wrote past the end, n = " << n;
    EXPECT_EQ(buf[n + 1], 0xee) << "wrote past the end, n = " << n;
  }
}

// ------------------------------------------------------------ illustrated TLS 1.2

std::filesystem::path illustrated_dir() {
  return test::shared_dir() / "testvectors" / "illustrated-tls12";
}

// The raw 32-byte X25519 key of a PEM file (PKCS#8 private or SPKI public).
Bytes x25519_raw_key(const std::string& file, bool is_private) {
  const std::string pem = test::read_text(illustrated_dir() / file);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* raw = is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                             : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(raw, EVP_PKEY_free);
  if (!pkey) throw std::runtime_error("cannot read " + file);
  Bytes key(32);
  size_t len = key.size();
  const int ok = is_private ? EVP_PKEY_get_raw_private_key(pkey.get(), key.data(), &len)
                            : EVP_PKEY_get_raw_public_key(pkey.get(), key.data(), &len);
  if (ok != 1 || len != 32) throw std::runtime_error("not an X25519 key: " + file);
  return key;
}

// A handshake record from caps/: drop the 5-byte record header (RFC 5246 §6.2.1).
Bytes handshake_message(const std::string& name) {
  const Bytes record = test::read_file(illustrated_dir() / "caps" / name);
  if (record.size() < 5 || record[0] != 22)
    throw std::runtime_error(name + " is not a handshake record");
  return Bytes(record.begin() + 5, record.end());
}

// Hello.random: after msg_type(1), length(3) and client/server_version(2).
Bytes hello_random(const std::string& name) {
  const Bytes msg = handshake_message(name);
  return Bytes(msg.begin() + 6, msg.begin() + 6 + 32);
}

SecretBytes illustrated_master_secret() {
  ensure_sodium();
  const Bytes client_private = x25519_raw_key("client-ephemeral-private.key", true);
  const Bytes server_public = x25519_raw_key("server-ephemeral-public.key", false);
  Bytes pre_master_secret(32);
  if (crypto_scalarmult(pre_master_secret.data(), client_private.data(), server_public.data()) != 0)
    throw std::runtime_error("X25519 failed");
  // RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret",
  //                                     ClientHello.random + ServerHello.random)[0..47]
  Bytes seed = hello_random("clienthello");
  const Bytes server_random = hello_random("serverhello");
  seed.insert(seed.end(), server_random.begin(), server_random.end());
  return prf(HashAlgorithm::sha256, pre_master_secret, "master secret", seed, 48);
}

TEST(Prf, IllustratedConnectionMasterSecretMatchesKeyLog) {
  // keylog.txt: "CLIENT_RANDOM <client_random> <master_secret>".
  std::istringstream keylog(test::read_text(illustrated_dir() / "keylog.txt"));
  std::string tag, client_random, master_secret;
  keylog >> tag >> client_random >> master_secret;
  ASSERT_EQ(tag, "CLIENT_RANDOM");
  ASSERT_EQ(client_random, to_hex(hello_random("clienthello")));
  EXPECT_EQ(to_hex(illustrated_master_secret()), master_secret);
}

// RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label,
// Hash(handshake_messages))[0..11], with the running transcript hash copied at
// each Finished.
TEST(Prf, IllustratedConnectionFinishedVerifyData) {
  const SecretBytes master = illustrated_master_secret();
  Sha256 transcript;
  for (const char* name : {"clienthello", "serverhello", "servercert", "serverkeyexchange",
                           "serverhellodone", "clientkeyexchange"})
    transcript.update(handshake_message(name));

  const Bytes client_finished = test::read_file(illustrated_dir() / "caps" / "clientfinishedplain");
  const Bytes server_finished = test::read_file(illustrated_dir() / "caps" / "serverfinishedplain");
  ASSERT_GE(client_finished.size(), 16u);
  ASSERT_GE(server_finished.size(), 16u);

  Sha256 at_client_finished = transcript;
  const auto client_hash = at_client_finished.finish();
  EXPECT_EQ(to_hex(prf(HashAlgorithm::sha256, master, "client finished", client_hash, 12)),
            to_hex(ByteView(client_finished).subspan(4, 12)));

  transcript.update(ByteView(client_finished).first(16));  // the Finished message itself
  const auto server_hash = transcript.finish();
  EXPECT_EQ(to_hex(prf(HashAlgorithm::sha256, master, "server finished", server_hash, 12)),
            to_hex(ByteView(server_finished).subspan(4, 12)));
}

// ------------------------------------------------------------ PBKDF2

// RFC 7914 §11 (PBKDF2-HMAC-SHA256 test vectors).
TEST(Pbkdf2, Rfc7914Vectors) {
  Bytes out(64);
  pbkdf2_hmac(HashAlgorithm::sha256, as_bytes("passwd"), as_bytes("salt"), 1, out);
  EXPECT_EQ(to_hex(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  pbkdf2_hmac(HashAlgorithm::sha256, as_bytes("Password"), as_bytes("NaCl"), 80000, out);
  EXPECT_EQ(to_hex(out),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST(Pbkdf2, MatchesOpenSslOnRandomInputs) {
  std::mt19937 rng(6);
  const int rounds = kSanitized ? 10 : 60;
  for (int i = 0; i < rounds; ++i) {
    for (auto alg : kAll) {
      const EVP_MD* md = alg == HashAlgorithm::sha256   ? EVP_sha256()
                         : alg == HashAlgorithm::sha384 ? EVP_sha384()
                                                        : EVP_sha512();
      const Bytes password = random_bytes_of(std::uniform_int_distribution<size_t>(0, 150)(rng));
      const Bytes salt = random_bytes_of(std::uniform_int_distribution<size_t>(0, 40)(rng));
      const uint32_t iterations = std::uniform_int_distribution<uint32_t>(1, 50)(rng);
      const size_t length = std::uniform_int_distribution<size_t>(1, 200)(rng);
      Bytes ours(length), expected(length);
      pbkdf2_hmac(alg, password, salt, iterations, ours);
      ASSERT_EQ(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                                  static_cast<int>(password.size()), salt.data(),
                                  static_cast<int>(salt.size()), static_cast<int>(iterations), md,
                                  static_cast<int>(length), expected.data()),
                1);
      ASSERT_EQ(to_hex(ours), to_hex(expected))
          << hash_name(alg) << ", password " << password.size() << ", salt " << salt.size()
          << ", iterations " << iterations << ", length " << length;
    }
  }
}

TEST(Pbkdf2, ZeroIterationsIsRejected) {
  Bytes out(32);
  try {
    pbkdf2_hmac(HashAlgorithm::sha256, as_bytes("pw"), as_bytes("salt"), 0, out);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "PBKDF2 iteration count must be at least 1");
  }
}

// The paused hashes of a keyed Hmac are the key in disguise (for the PRF:
// keyed with the pre_master_secret or the master_secret). Once the object is
// gone, its storage must hold none of them: only the counters (lengths, the
// algorithm, the variant's index) may be left non-zero.
template <class T, class Make>
size_t nonzero_bytes_left_by(Make make) {
  // Zeroed first: a SHA-256 state leaves part of the variant's room untouched.
  alignas(T) unsigned char storage[sizeof(T)] = {};
  T* object = make(storage);
  object->~T();
  size_t nonzero = 0;
  for (unsigned char byte : storage) nonzero += byte != 0;
  return nonzero;
}

TEST(Wiping, HashesAndHmacLeaveNoStateBehind) {
  const Bytes key(100, 0xa5), text(70, 0x5a);  // a long key: hashed first (RFC 2104 §2)
  for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    SCOPED_TRACE(std::string(hash_name(alg)));
    const size_t hmac_left = nonzero_bytes_left_by<Hmac>([&](void* at) {
      auto* mac = new (at) Hmac(alg, key);
      mac->update(text);
      return mac;
    });
    // Two hashes, each with at most a 16-byte length, a buffered count and a tag.
    EXPECT_LE(hmac_left, 2u * 12) << "keyed midstates left in memory";
    const size_t hash_left = nonzero_bytes_left_by<Hash>([&](void* at) {
      auto* h = new (at) Hash(alg);
      h->update(key);
      return h;
    });
    EXPECT_LE(hash_left, 12u);
  }
}

}  // namespace
}  // namespace tls12::crypto
