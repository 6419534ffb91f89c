// RSA (crypto/rsa.h): Wycheproof vectors for PKCS #1 v1.5 decryption, signature
// generation and verification and PSS verification; interop with the openssl
// command-line tool in both directions on fresh 2048- and 4096-bit keys; the
// RFC 5246 §7.4.7.1 premaster countermeasure; key validation errors.
#include "crypto/rsa.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "crypto/bignum.h"
#include "crypto/random.h"
#include "tests/support/test_support.h"

namespace tls12::crypto {
namespace {

using nlohmann::json;

Bytes as_bytes_vec(std::string_view s) {
  ByteView v = as_bytes(s);
  return Bytes(v.begin(), v.end());
}
void random_fill(Bytes& b) { random_bytes(b); }

// ---- Keys from OpenSSL ----------------------------------------------------

struct KeyFiles {
  std::filesystem::path dir, private_pem, public_pem;
  Bytes n, e, d, p, q, dp, dq, qinv;
};

Bytes bn_param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) throw std::runtime_error(name);
  Bytes out(static_cast<size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_clear_free(bn);
  return out;
}

// Generates a key with `openssl genpkey` and reads its components with libcrypto.
KeyFiles generate_key(int bits) {
  KeyFiles k;
  k.dir = test::make_temp_dir("rsa" + std::to_string(bits));
  k.private_pem = k.dir / "key.pem";
  k.public_pem = k.dir / "pub.pem";
  auto r = test::run_command("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:" +
                             std::to_string(bits) + " -out " + k.private_pem.string());
  if (r.exit_code != 0) throw std::runtime_error("genpkey failed: " + r.output);
  r = test::run_command("openssl pkey -in " + k.private_pem.string() + " -pubout -out " +
                        k.public_pem.string());
  if (r.exit_code != 0) throw std::runtime_error("pkey -pubout failed: " + r.output);
  FILE* f = std::fopen(k.private_pem.c_str(), "r");
  EVP_PKEY* pkey = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (pkey == nullptr) throw std::runtime_error("cannot read generated key");
  k.n = bn_param(pkey, OSSL_PKEY_PARAM_RSA_N);
  k.e = bn_param(pkey, OSSL_PKEY_PARAM_RSA_E);
  k.d = bn_param(pkey, OSSL_PKEY_PARAM_RSA_D);
  k.p = bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1);
  k.q = bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
  k.dp = bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1);
  k.dq = bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2);
  k.qinv = bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
  EVP_PKEY_free(pkey);
  return k;
}

RsaPrivateKey load(const KeyFiles& k) {
  return RsaPrivateKey::from_components(k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qinv);
}

class RsaInterop : public ::testing::TestWithParam<int> {
 protected:
  static const KeyFiles& key(int bits) {
    static std::map<int, KeyFiles> keys;
    auto it = keys.find(bits);
    if (it == keys.end()) it = keys.emplace(bits, generate_key(bits)).first;
    return it->second;
  }
};

const char* dgst_name(HashAlgorithm h) {
  switch (h) {
    case HashAlgorithm::sha256: return "-sha256";
    case HashAlgorithm::sha384: return "-sha384";
    case HashAlgorithm::sha512: return "-sha512";
    case HashAlgorithm::sha1:
    case HashAlgorithm::sha224: break;  // never used for RSA signatures
  }
  return "";
}

constexpr std::array<HashAlgorithm, 3> kHashes = {HashAlgorithm::sha256, HashAlgorithm::sha384,
                                                  HashAlgorithm::sha512};

TEST_P(RsaInterop, OurSignaturesVerifyWithOpenSSL) {
  const KeyFiles& k = key(GetParam());
  RsaPrivateKey priv = load(k);
  EXPECT_EQ(priv.public_key().bits(), static_cast<size_t>(GetParam()));
  const Bytes msg = as_bytes_vec("ServerKeyExchange params signed by tls12");
  test::write_file(k.dir / "msg", msg);
  for (HashAlgorithm h : kHashes) {
    test::write_file(k.dir / "sig", rsassa_pkcs1_v15_sign(priv, h, msg));
    auto r = test::run_command(std::string("openssl dgst ") + dgst_name(h) + " -verify " +
                               k.public_pem.string() + " -signature " + (k.dir / "sig").string() + " " +
                               (k.dir / "msg").string());
    EXPECT_EQ(r.exit_code, 0) << hash_name(h) << ": " << r.output;

    test::write_file(k.dir / "sig", rsassa_pss_sign(priv, h, msg));
    r = test::run_command(std::string("openssl dgst ") + dgst_name(h) +
                          " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -verify " +
                          k.public_pem.string() + " -signature " + (k.dir / "sig").string() + " " +
                          (k.dir / "msg").string());
    EXPECT_EQ(r.exit_code, 0) << "PSS " << hash_name(h) << ": " << r.output;
  }
}

TEST_P(RsaInterop, OpenSSLSignaturesVerifyWithOurs) {
  const KeyFiles& k = key(GetParam());
  RsaPublicKey pub = RsaPublicKey::from_components(k.n, k.e);
  const Bytes msg = as_bytes_vec("CertificateVerify transcript hash input");
  test::write_file(k.dir / "msg2", msg);
  for (HashAlgorithm h : kHashes) {
    auto r = test::run_command(std::string("openssl dgst ") + dgst_name(h) + " -sign " +
                               k.private_pem.string() + " -out " + (k.dir / "osig").string() + " " +
                               (k.dir / "msg2").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    Bytes sig = test::read_file(k.dir / "osig");
    EXPECT_TRUE(rsassa_pkcs1_v15_verify(pub, h, msg, sig)) << hash_name(h);
    Bytes other = msg;
    other[0] ^= 1;
    EXPECT_FALSE(rsassa_pkcs1_v15_verify(pub, h, other, sig));
    EXPECT_FALSE(rsassa_pss_verify(pub, h, msg, sig, digest_size(h)));  // wrong scheme

    r = test::run_command(std::string("openssl dgst ") + dgst_name(h) +
                          " -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest -sign " +
                          k.private_pem.string() + " -out " + (k.dir / "osig").string() + " " +
                          (k.dir / "msg2").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    sig = test::read_file(k.dir / "osig");
    EXPECT_TRUE(rsassa_pss_verify(pub, h, msg, sig, digest_size(h))) << "PSS " << hash_name(h);
    EXPECT_FALSE(rsassa_pss_verify(pub, h, other, sig, digest_size(h)));
    EXPECT_FALSE(rsassa_pss_verify(pub, h, msg, sig, digest_size(h) - 1));  // wrong salt length
    EXPECT_FALSE(rsassa_pkcs1_v15_verify(pub, h, msg, sig));
  }
}

TEST_P(RsaInterop, OpenSSLEncryptsWeDecrypt) {
  const KeyFiles& k = key(GetParam());
  RsaPrivateKey priv = load(k);
  // A TLS 1.2 premaster: client_version 3,3 then 46 random bytes.
  Bytes pms(48);
  random_fill(pms);
  pms[0] = 3;
  pms[1] = 3;
  test::write_file(k.dir / "pms", pms);
  auto r = test::run_command("openssl pkeyutl -encrypt -pubin -inkey " + k.public_pem.string() +
                             " -pkeyopt rsa_padding_mode:pkcs1 -in " + (k.dir / "pms").string() +
                             " -out " + (k.dir / "ct").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const Bytes ct = test::read_file(k.dir / "ct");
  auto decrypted = rsaes_pkcs1_v15_decrypt(priv, ct);
  ASSERT_TRUE(decrypted.has_value());
  EXPECT_EQ(Bytes(decrypted->begin(), decrypted->end()), pms);
  std::array<uint8_t, 48> out{};
  rsa_decrypt_pre_master_secret(priv, ct, 0x0303, out);
  EXPECT_EQ(Bytes(out.begin(), out.end()), pms);
}

TEST_P(RsaInterop, WeEncryptOpenSSLDecrypts) {
  const KeyFiles& k = key(GetParam());
  RsaPublicKey pub = RsaPublicKey::from_components(k.n, k.e);
  const Bytes msg = as_bytes_vec("pre_master_secret stand-in");
  test::write_file(k.dir / "ct2", rsaes_pkcs1_v15_encrypt(pub, msg));
  auto r = test::run_command("openssl pkeyutl -decrypt -inkey " + k.private_pem.string() +
                             " -pkeyopt rsa_padding_mode:pkcs1 -in " + (k.dir / "ct2").string() +
                             " -out " + (k.dir / "pt2").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(test::read_file(k.dir / "pt2"), msg);
}

// RFC 8017 §7.2.1: EM = 0x00 || 0x02 || PS || 0x00 || M, PS at least eight bytes
// and none of them zero. Opening our ciphertexts with the raw private operation
// shows the block itself; a zero left in PS would cut the message short for the
// peer, once in a few hundred encryptions, so many are checked.
TEST_P(RsaInterop, EncryptionBlockHasNonZeroPaddingEveryTime) {
  const KeyFiles& k = key(GetParam());
  RsaPrivateKey priv = load(k);
  const Bytes msg(48, 0x00);  // zeros in M must stay where they are
  for (int i = 0; i < 64; ++i) {
    const SecretBytes em = rsa_private_operation(priv, rsaes_pkcs1_v15_encrypt(priv.public_key(), msg));
    ASSERT_EQ(em.size(), priv.public_key().size());
    const size_t ps_len = em.size() - msg.size() - 3;
    ASSERT_EQ(em[0], 0x00);
    ASSERT_EQ(em[1], 0x02);
    for (size_t j = 0; j < ps_len; ++j) ASSERT_NE(em[2 + j], 0x00) << "PS byte " << j;
    ASSERT_EQ(em[2 + ps_len], 0x00);
    EXPECT_EQ(Bytes(em.end() - static_cast<std::ptrdiff_t>(msg.size()), em.end()), msg);
  }
}

INSTANTIATE_TEST_SUITE_P(Sizes, RsaInterop, ::testing::Values(2048, 4096));

// ---- Wycheproof -------------------------------------------------------------

json load_vectors(const std::string& name) {
  std::ifstream in(test::wycheproof_dir() / name);
  if (!in) throw std::runtime_error("missing Wycheproof file " + name);
  return json::parse(in);
}

std::optional<HashAlgorithm> hash_from_name(const std::string& name) {
  if (name == "SHA-256") return HashAlgorithm::sha256;
  if (name == "SHA-384") return HashAlgorithm::sha384;
  if (name == "SHA-512") return HashAlgorithm::sha512;
  return std::nullopt;  // SHA-1, SHA-224, SHA-512/256: not used by TLS 1.2 here
}

// Counts per verdict so that a test can check it really ran the vectors.
struct Tally {
  int valid = 0, invalid = 0, acceptable = 0;
};

// "acceptable" cases may go either way (legacy encodings); "valid" must pass and
// "invalid" must fail.
void check_verdict(const json& t, bool ours, Tally& tally) {
  const std::string result = t["result"];
  if (result == "valid") {
    EXPECT_TRUE(ours) << "tcId " << t["tcId"] << " " << t["comment"];
    ++tally.valid;
  } else if (result == "invalid") {
    EXPECT_FALSE(ours) << "tcId " << t["tcId"] << " " << t["comment"];
    ++tally.invalid;
  } else {
    ++tally.acceptable;
  }
}

TEST(RsaWycheproof, Pkcs1Decrypt) {
  const json v = load_vectors("rsa_pkcs1_2048_test.json");
  Tally tally;
  for (const auto& g : v["testGroups"]) {
    const auto& pk = g["privateKey"];
    RsaPrivateKey key = RsaPrivateKey::from_components(
        from_hex(pk["modulus"].get<std::string>()), from_hex(pk["publicExponent"].get<std::string>()),
        from_hex(pk["privateExponent"].get<std::string>()), from_hex(pk["prime1"].get<std::string>()),
        from_hex(pk["prime2"].get<std::string>()), from_hex(pk["exponent1"].get<std::string>()),
        from_hex(pk["exponent2"].get<std::string>()), from_hex(pk["coefficient"].get<std::string>()));
    for (const auto& t : g["tests"]) {
      auto m = rsaes_pkcs1_v15_decrypt(key, from_hex(t["ct"].get<std::string>()));
      const bool ok = m.has_value() && Bytes(m->begin(), m->end()) == from_hex(t["msg"].get<std::string>());
      check_verdict(t, ok, tally);
    }
  }
  EXPECT_EQ(tally.valid, 42);
  EXPECT_EQ(tally.invalid, 25);
}

TEST(RsaWycheproof, Pkcs1SignatureVerify) {
  for (const char* file : {"rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json",
                           "rsa_signature_2048_sha512_test.json"}) {
    const json v = load_vectors(file);
    Tally tally;
    for (const auto& g : v["testGroups"]) {
      auto h = hash_from_name(g["sha"]);
      ASSERT_TRUE(h.has_value());
      RsaPublicKey key = RsaPublicKey::from_components(
          from_hex(g["publicKey"]["modulus"].get<std::string>()),
          from_hex(g["publicKey"]["publicExponent"].get<std::string>()));
      for (const auto& t : g["tests"]) {
        bool ok = rsassa_pkcs1_v15_verify(key, *h, from_hex(t["msg"].get<std::string>()),
                                          from_hex(t["sig"].get<std::string>()));
        check_verdict(t, ok, tally);
      }
    }
    EXPECT_GE(tally.valid, 7) << file;
    EXPECT_GE(tally.invalid, 249) << file;
  }
}

TEST(RsaWycheproof, PssVerify) {
  for (const char* file : {"rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json"}) {
    const json v = load_vectors(file);
    Tally tally;
    for (const auto& g : v["testGroups"]) {
      auto h = hash_from_name(g["sha"]);
      ASSERT_TRUE(h.has_value());
      ASSERT_EQ(g["mgfSha"], g["sha"]);
      RsaPublicKey key = RsaPublicKey::from_components(
          from_hex(g["publicKey"]["modulus"].get<std::string>()),
          from_hex(g["publicKey"]["publicExponent"].get<std::string>()));
      for (const auto& t : g["tests"]) {
        bool ok = rsassa_pss_verify(key, *h, from_hex(t["msg"].get<std::string>()),
                                    from_hex(t["sig"].get<std::string>()), g["sLen"].get<size_t>());
        check_verdict(t, ok, tally);
      }
    }
    EXPECT_GE(tally.valid, 63) << file;
    EXPECT_GE(tally.invalid, 45) << file;
  }
}

TEST(RsaWycheproof, Pkcs1SignatureGeneration) {
  const json v = load_vectors("rsa_pkcs1_2048_sig_gen_test.json");
  int compared = 0;
  for (const auto& g : v["testGroups"]) {
    auto h = hash_from_name(g["sha"]);
    if (!h) continue;  // SHA-1 and SHA-224 groups
    const auto& pk = g["privateKey"];
    RsaPrivateKey key = RsaPrivateKey::from_n_e_d(from_hex(pk["modulus"].get<std::string>()),
                                                  from_hex(pk["publicExponent"].get<std::string>()),
                                                  from_hex(pk["privateExponent"].get<std::string>()));
    for (const auto& t : g["tests"]) {
      // PKCS #1 v1.5 signatures are deterministic: ours must equal the vector.
      Bytes sig = rsassa_pkcs1_v15_sign(key, *h, from_hex(t["msg"].get<std::string>()));
      EXPECT_EQ(to_hex(sig), t["sig"].get<std::string>()) << "tcId " << t["tcId"];
      ++compared;
    }
  }
  EXPECT_GE(compared, 24);
}

// ---- The RFC 5246 §7.4.7.1 countermeasure -------------------------------------

class RsaPremaster : public ::testing::Test {
 protected:
  static const RsaPrivateKey& key() {
    static const RsaPrivateKey k = load(generate_key(2048));
    return k;
  }
  // Builds the 256-byte encryption block by hand and applies the public
  // operation, so a test can send any malformed block.
  static Bytes encrypt_block(const Bytes& em) { return rsa_public_operation(key().public_key(), em); }
  static Bytes well_formed_block(const Bytes& message) {
    const size_t k = key().public_key().size();
    Bytes em(k, 0x5a);
    em[0] = 0;
    em[1] = 2;
    em[k - message.size() - 1] = 0;
    std::copy(message.begin(), message.end(), em.end() - static_cast<std::ptrdiff_t>(message.size()));
    return em;
  }
  static Bytes premaster() {
    Bytes pms(48, 0x42);
    pms[0] = 3;
    pms[1] = 3;
    return pms;
  }
  static Bytes decrypt(ByteView ct, uint16_t version = 0x0303) {
    std::array<uint8_t, 48> out{};
    rsa_decrypt_pre_master_secret(key(), ct, version, out);
    return Bytes(out.begin(), out.end());
  }
  // A rejected ciphertext yields fresh random bytes each time: never the
  // decrypted value, and two runs differ.
  static void expect_random(ByteView ct, uint16_t version = 0x0303) {
    Bytes a = decrypt(ct, version), b = decrypt(ct, version);
    EXPECT_NE(a, premaster());
    EXPECT_NE(a, b);
    EXPECT_EQ(a.size(), 48u);
  }
};

TEST_F(RsaPremaster, WellFormedPremasterIsReturned) {
  EXPECT_EQ(decrypt(encrypt_block(well_formed_block(premaster()))), premaster());
  EXPECT_EQ(decrypt(rsaes_pkcs1_v15_encrypt(key().public_key(), premaster())), premaster());
}

TEST_F(RsaPremaster, VersionMismatchGivesRandom) {
  expect_random(encrypt_block(well_formed_block(premaster())), 0x0302);
  Bytes pms = premaster();
  pms[1] = 1;  // client sent 3,1 inside but 3,3 in ClientHello: rollback
  expect_random(encrypt_block(well_formed_block(pms)));
}

TEST_F(RsaPremaster, BadPaddingGivesRandom) {
  Bytes em = well_formed_block(premaster());
  em[1] = 1;  // block type 1 (signature), not 2
  expect_random(encrypt_block(em));
  em = well_formed_block(premaster());
  em[5] = 0;  // a zero inside PS: the message would be longer than 48 bytes
  expect_random(encrypt_block(em));
  em = well_formed_block(premaster());
  em[em.size() - 49] = 0x11;  // no separator where a 48-byte message needs it
  expect_random(encrypt_block(em));
}

TEST_F(RsaPremaster, WrongMessageLengthGivesRandom) {
  Bytes short_pms(47, 0x42);
  short_pms[0] = 3;
  short_pms[1] = 3;
  expect_random(encrypt_block(well_formed_block(short_pms)));
  Bytes long_pms(49, 0x42);
  long_pms[0] = 3;
  long_pms[1] = 3;
  expect_random(encrypt_block(well_formed_block(long_pms)));
}

TEST_F(RsaPremaster, WrongCiphertextLengthOrValueGivesRandom) {
  Bytes ct = rsaes_pkcs1_v15_encrypt(key().public_key(), premaster());
  expect_random(ByteView(ct).first(ct.size() - 1));
  Bytes longer = ct;
  longer.insert(longer.begin(), 0);
  expect_random(longer);
  expect_random(Bytes(ct.size(), 0xff));  // not below n
  expect_random(Bytes{});
}

// ---- Keys and errors ----------------------------------------------------------

TEST(RsaKeys, SizePolicy) {
  const KeyFiles k = generate_key(1024);
  try {
    (void)RsaPublicKey::from_components(k.n, k.e);
    FAIL() << "1024-bit key accepted by the standard policy";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "RSA modulus of 1024 bits is outside 2048..4096");
  }
  RsaPublicKey pub = RsaPublicKey::from_components(k.n, k.e, RsaKeyPolicy::allow_1024_for_verification);
  EXPECT_EQ(pub.bits(), 1024u);
  EXPECT_EQ(pub.size(), 128u);
  EXPECT_EQ(pub.modulus(), k.n);
  EXPECT_EQ(pub.public_exponent(), k.e);
  EXPECT_THROW(load(k), std::invalid_argument);  // never for signing or decryption
  // 1024-bit signatures verify only with the explicit policy.
  auto r = test::run_command("openssl dgst -sha256 -sign " + k.private_pem.string() + " -out " +
                             (k.dir / "s").string() + " " + k.public_pem.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(rsassa_pkcs1_v15_verify(pub, HashAlgorithm::sha256, test::read_file(k.public_pem),
                                      test::read_file(k.dir / "s")));
  Bytes big(513, 0);
  big[0] = 1;
  big[512] = 1;
  EXPECT_THROW(RsaPublicKey::from_components(big, k.e), std::invalid_argument);
}

TEST(RsaKeys, InconsistentComponentsAreRejected) {
  static const KeyFiles k = generate_key(2048);
  EXPECT_NO_THROW(load(k));
  auto expect_rejected = [&](KeyFiles bad) { EXPECT_THROW(load(bad), std::invalid_argument); };
  KeyFiles bad = k;
  std::swap(bad.dp, bad.dq);
  expect_rejected(bad);
  bad = k;
  bad.qinv.back() ^= 1;
  expect_rejected(bad);
  bad = k;
  bad.p.back() ^= 2;
  expect_rejected(bad);
  bad = k;
  bad.e = from_hex("010003");
  expect_rejected(bad);
  EXPECT_THROW(RsaPublicKey::from_components(k.n, from_hex("010000")), std::invalid_argument);  // even e
  // from_n_e_d recovers the same primes.
  RsaPrivateKey ned = RsaPrivateKey::from_n_e_d(k.n, k.e, k.d);
  const Bytes msg = as_bytes_vec("same key, two constructions");
  EXPECT_EQ(rsassa_pkcs1_v15_sign(ned, HashAlgorithm::sha256, msg),
            rsassa_pkcs1_v15_sign(load(k), HashAlgorithm::sha256, msg));
}

TEST(RsaKeys, PrimesInEitherOrder) {
  // RFC 8017 does not order p and q; with q > p the CRT recombination must
  // reduce m2 modulo p first.
  static const KeyFiles k = generate_key(2048);
  const Bytes qinv_swapped =
      mod_inverse(BigInt::from_bytes(k.p), BigInt::from_bytes(k.q)).to_bytes();
  RsaPrivateKey swapped = RsaPrivateKey::from_components(k.n, k.e, k.d, k.q, k.p, k.dq, k.dp, qinv_swapped);
  const Bytes msg = as_bytes_vec("either order");
  for (HashAlgorithm h : kHashes) {
    EXPECT_EQ(rsassa_pkcs1_v15_sign(swapped, h, msg), rsassa_pkcs1_v15_sign(load(k), h, msg));
  }
}

TEST(RsaKeys, PrimitiveInputChecks) {
  static const KeyFiles k = generate_key(2048);
  RsaPrivateKey priv = load(k);
  const RsaPublicKey& pub = priv.public_key();
  EXPECT_THROW(rsa_public_operation(pub, Bytes(255, 1)), std::invalid_argument);
  EXPECT_THROW(rsa_public_operation(pub, Bytes(256, 0xff)), std::invalid_argument);
  EXPECT_THROW(rsa_private_operation(priv, Bytes(256, 0xff)), std::invalid_argument);
  EXPECT_THROW(rsaes_pkcs1_v15_encrypt(pub, Bytes(246, 1)), std::invalid_argument);
  EXPECT_NO_THROW(rsaes_pkcs1_v15_encrypt(pub, Bytes(245, 1)));
  // Private then public operation is the identity, many times (exercises the
  // blinding refresh after every kBlindingUses operations).
  for (int i = 0; i < 70; ++i) {
    Bytes x(256);
    random_bytes(x);
    x[0] = 0;
    SecretBytes y = rsa_private_operation(priv, x);
    EXPECT_EQ(rsa_public_operation(pub, y), x);
  }
  EXPECT_FALSE(rsaes_pkcs1_v15_decrypt(priv, Bytes(255, 1)).has_value());
  EXPECT_FALSE(rsassa_pkcs1_v15_verify(pub, HashAlgorithm::sha256, {}, Bytes(255, 1)));
  EXPECT_FALSE(rsassa_pss_verify(pub, HashAlgorithm::sha256, {}, Bytes(256, 0xff), 32));
}

TEST(RsaKeys, Mgf1KnownAnswer) {
  // MGF1-SHA-256("foo", 3) and ("bar", 50) as computed by the definition in
  // RFC 8017 §B.2.1 with OpenSSL's PKCS1_MGF1 below.
  for (std::string_view seed : {"foo", "bar"}) {
    for (size_t len : {size_t{3}, size_t{50}, size_t{97}}) {
      Bytes expected(len);
      ByteView s = as_bytes(seed);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // PKCS1_MGF1 is the oracle here
      ASSERT_EQ(PKCS1_MGF1(expected.data(), static_cast<long>(len), s.data(), static_cast<long>(s.size()),
                           EVP_sha256()), 0);
#pragma GCC diagnostic pop
      EXPECT_EQ(mgf1(HashAlgorithm::sha256, s, len), expected);
    }
  }
}

}  // namespace
}  // namespace tls12::crypto
