// Key files as openssl writes them: PKCS#1, PKCS#8, encrypted PKCS#8
// (PBES2/PBKDF2/AES-CBC) with each passphrase source, Ed25519 (RFC 8410) and
// SubjectPublicKeyInfo; P-256 keys read (more in test_ec_private_keys.cpp).
// Loaded keys are checked
// against OpenSSL's reading of the same file, and signatures cross-checked in
// both directions (OpenSSL signs / we verify, we sign / OpenSSL verifies).
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "crypto/ed25519.h"
#include "crypto/rsa.h"
#include "tests/support/test_support.h"
#include "tests/x509/test_pki.h"
#include "x509/certificate.h"
#include "x509/keys.h"
#include "x509/pem.h"

namespace tls12::x509 {
namespace {

const char* const kPass = "tls12-test-passphrase";

std::filesystem::path pki(const char* file) { return test::test_pki_dir() / file; }

EVP_PKEY* openssl_load(const std::filesystem::path& file) {
  FILE* f = std::fopen(file.c_str(), "r");
  if (f == nullptr) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, const_cast<char*>(kPass));
  std::fclose(f);
  return key;
}

Bytes openssl_modulus(EVP_PKEY* key) {
  BIGNUM* n = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n), 1);
  Bytes out(static_cast<size_t>(BN_num_bytes(n)));
  BN_bn2bin(n, out.data());
  BN_free(n);
  return out;
}

Bytes openssl_sign(EVP_PKEY* key, const EVP_MD* md, bool pss, ByteView message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  EXPECT_EQ(EVP_DigestSignInit(ctx, &pctx, md, nullptr, key), 1);
  if (pss) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
  }
  size_t len = 0;
  EVP_DigestSign(ctx, nullptr, &len, message.data(), message.size());
  Bytes sig(len);
  EXPECT_EQ(EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()), 1);
  sig.resize(len);
  EVP_MD_CTX_free(ctx);
  return sig;
}

bool openssl_verify(EVP_PKEY* key, const EVP_MD* md, ByteView message, ByteView sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestVerifyInit(ctx, nullptr, md, nullptr, key);
  const bool ok = EVP_DigestVerify(ctx, sig.data(), sig.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

const crypto::RsaPrivateKey& rsa(const PrivateKey& k) { return std::get<crypto::RsaPrivateKey>(k); }

TEST(Keys, RsaKeyInEveryEncodingIsTheCertificateKey) {
  const PublicKey cert_key = load_certificates_file(pki("server.pem")).front().public_key();
  EVP_PKEY* ossl = openssl_load(pki("server.key"));
  ASSERT_NE(ossl, nullptr);
  for (const char* file : {"server.key", "server-pkcs1.key", "server-pkcs8.key"}) {
    SCOPED_TRACE(file);
    const PrivateKey key = load_private_key_file(pki(file));
    EXPECT_TRUE(same_public_key(public_key_of(key), cert_key));
    EXPECT_EQ(to_hex(rsa(key).public_key().modulus()), to_hex(openssl_modulus(ossl)));
    EXPECT_EQ(rsa(key).public_key().bits(), 2048u);
  }
  EXPECT_NE(test::read_text(pki("server-pkcs1.key")).find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  const PublicKey spki = parse_subject_public_key_info(pem_blocks_with_label(test::read_text(pki("server-pub.pem")), "PUBLIC KEY").front());
  EXPECT_TRUE(same_public_key(spki, cert_key));
  EVP_PKEY_free(ossl);
}

TEST(Keys, EncryptedKeyWithEachPassphraseSource) {
  const PublicKey cert_key = load_certificates_file(pki("client.pem")).front().public_key();
  EXPECT_NE(test::read_text(pki("client.key")).find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  const PrivateKey k1 = load_private_key_file(pki("client.key"), PassphraseSource::parse(std::string("pass:") + kPass));
  EXPECT_TRUE(same_public_key(public_key_of(k1), cert_key));
  EXPECT_EQ(rsa(k1).public_key().bits(), 4096u);

  EXPECT_EQ(describe_encrypted_private_key_info(
                pem_blocks_with_label(test::read_text(pki("client.key")), "ENCRYPTED PRIVATE KEY").front()),
            "PBES2: PBKDF2 with HMAC-SHA-256, 2048 iterations, 8-byte salt; AES-256-CBC");

  ASSERT_EQ(setenv("TLS12_TEST_PASSPHRASE", kPass, 1), 0);
  const PrivateKey k2 = load_private_key_file(pki("client.key"), PassphraseSource::parse("env:TLS12_TEST_PASSPHRASE"));
  EXPECT_TRUE(same_public_key(public_key_of(k2), cert_key));

  const auto dir = test::make_temp_dir("tls12-pass");
  test::write_file(dir / "pass.txt", as_bytes(std::string(kPass) + "\n"));
  const PrivateKey k3 = load_private_key_file(pki("client.key"), PassphraseSource::parse("file:" + (dir / "pass.txt").string()));
  EXPECT_TRUE(same_public_key(public_key_of(k3), cert_key));
  std::filesystem::remove_all(dir);
}

// The decryption reports the parameters it used (what `tls12 demo` shows as
// step 0): the same salt, iteration count and IV as OpenSSL reads from the
// file, not values a second parser could have got wrong on its own.
TEST(Keys, DecryptionReportsThePbes2ParametersItUsed) {
  Pbes2Opening opening;
  const SecretBytes info = decrypt_encrypted_private_key_info(
      pem_blocks_with_label(test::read_text(pki("client.key")), "ENCRYPTED PRIVATE KEY").front(), as_bytes(std::string(kPass)),
      &opening);
  EXPECT_FALSE(info.empty());
  // asn1parse prints the salt, then the iteration count, then the IV.
  auto parsed = test::run_command("openssl asn1parse -in " + pki("client.key").string());
  ASSERT_EQ(parsed.exit_code, 0) << parsed.output;
  std::vector<std::string> octets;
  std::string iterations;
  std::istringstream lines(parsed.output);
  for (std::string line; std::getline(lines, line);) {
    if (auto at = line.find("OCTET STRING      [HEX DUMP]:"); at != std::string::npos)
      octets.push_back(line.substr(at + 29));
    if (auto at = line.find("prim: INTEGER           :"); at != std::string::npos && iterations.empty())
      iterations = line.substr(at + 25);
  }
  ASSERT_GE(octets.size(), 2u) << parsed.output;
  auto lower = [](std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  };
  EXPECT_EQ(to_hex(opening.salt), lower(octets[0]));
  EXPECT_EQ(to_hex(opening.iv), lower(octets[1]));
  EXPECT_EQ(opening.iterations, std::stoul(iterations, nullptr, 16));
  EXPECT_EQ(opening.iv.size(), 16u);
  EXPECT_EQ(opening.key_length, 32u);
  EXPECT_EQ(opening.prf, crypto::HashAlgorithm::sha256);

  // A wrong passphrase reports nothing: the parameters describe a success.
  Pbes2Opening untouched;
  EXPECT_THROW(load_private_key_pem(test::read_text(pki("client.key")), PassphraseSource::parse("pass:wrong"), &untouched),
               std::runtime_error);
  EXPECT_EQ(untouched.iterations, 0u);
}

TEST(Keys, EncryptedKeyFailures) {
  try {
    load_private_key_file(pki("client.key"), PassphraseSource::parse("pass:wrong"));
    ADD_FAILURE() << "wrong passphrase accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("wrong passphrase"), std::string::npos) << e.what();
  }
  try {
    load_private_key_file(pki("client.key"));
    ADD_FAILURE() << "encrypted key loaded without a passphrase";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("passphrase is needed"), std::string::npos) << e.what();
  }
  EXPECT_THROW(PassphraseSource::parse("secret"), std::invalid_argument);
  unsetenv("TLS12_NO_SUCH_VARIABLE");
  EXPECT_THROW(read_passphrase(PassphraseSource::parse("env:TLS12_NO_SUCH_VARIABLE")), std::runtime_error);
}

TEST(Keys, OtherPbes2ParametersFromOpenSsl) {
  const auto dir = test::make_temp_dir("tls12-pbes2");
  const std::string in = pki("server.key").string();
  const auto aes128 = test::run_command("openssl pkcs8 -topk8 -in " + in + " -v2 aes-128-cbc -v2prf hmacWithSHA512 -passout pass:x -out " +
                                        (dir / "aes128.key").string());
  ASSERT_EQ(aes128.exit_code, 0) << aes128.output;
  const PrivateKey k = load_private_key_file(dir / "aes128.key", PassphraseSource::parse("pass:x"));
  EXPECT_TRUE(same_public_key(public_key_of(k), load_certificates_file(pki("server.pem")).front().public_key()));
  // HMAC-SHA-1 as the PBKDF2 PRF is refused by name, not misread.
  const auto sha1 = test::run_command("openssl pkcs8 -topk8 -in " + in + " -v2 aes-256-cbc -v2prf hmacWithSHA1 -passout pass:x -out " +
                                      (dir / "sha1.key").string());
  ASSERT_EQ(sha1.exit_code, 0) << sha1.output;
  EXPECT_THROW(load_private_key_file(dir / "sha1.key", PassphraseSource::parse("pass:x")), UnsupportedError);
  std::filesystem::remove_all(dir);
}

TEST(Keys, Ed25519KeysMatchOpenSsl) {
  const PrivateKey key = load_private_key_file(pki("ed25519.key"));
  ASSERT_TRUE(std::holds_alternative<Ed25519PrivateKey>(key));
  EVP_PKEY* ossl = openssl_load(pki("ed25519.key"));
  ASSERT_NE(ossl, nullptr);
  uint8_t raw[32];
  size_t len = sizeof raw;
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(ossl, raw, &len), 1);
  EXPECT_EQ(to_hex(std::get<Ed25519PrivateKey>(key).public_key), to_hex(ByteView(raw, len)));
  const PublicKey spki = parse_subject_public_key_info(pem_blocks_with_label(test::read_text(pki("ed25519-pub.pem")), "PUBLIC KEY").front());
  EXPECT_TRUE(same_public_key(spki, public_key_of(key)));
  // OpenSSL signs, we verify; one flipped bit and we refuse.
  const Bytes message = from_hex("00112233445566778899");
  Bytes sig = openssl_sign(ossl, nullptr, false, message);
  SignatureAlgorithm ed{SignatureAlgorithm::Kind::ed25519};
  EXPECT_TRUE(verify_signature(spki, ed, message, sig));
  sig[10] ^= 0x20;
  EXPECT_FALSE(verify_signature(spki, ed, message, sig));
  EVP_PKEY_free(ossl);
}

TEST(Keys, RsaSignaturesCrossCheckWithOpenSsl) {
  EVP_PKEY* ossl = openssl_load(pki("server.key"));
  ASSERT_NE(ossl, nullptr);
  const PrivateKey key = load_private_key_file(pki("server-pkcs1.key"));
  const PublicKey pub = public_key_of(key);
  const std::string_view text = "ServerKeyExchange params";
  const Bytes message(text.begin(), text.end());
  struct {
    crypto::HashAlgorithm hash;
    const EVP_MD* md;
  } hashes[] = {{crypto::HashAlgorithm::sha256, EVP_sha256()},
                {crypto::HashAlgorithm::sha384, EVP_sha384()},
                {crypto::HashAlgorithm::sha512, EVP_sha512()}};
  for (const auto& h : hashes) {
    SignatureAlgorithm pkcs1{SignatureAlgorithm::Kind::rsa_pkcs1_v15, h.hash};
    SignatureAlgorithm pss{SignatureAlgorithm::Kind::rsa_pss, h.hash, crypto::digest_size(h.hash)};
    EXPECT_TRUE(verify_signature(pub, pkcs1, message, openssl_sign(ossl, h.md, false, message)));
    EXPECT_TRUE(verify_signature(pub, pss, message, openssl_sign(ossl, h.md, true, message)));
    EXPECT_FALSE(verify_signature(pub, pss, message, openssl_sign(ossl, h.md, false, message)));
    EXPECT_TRUE(openssl_verify(ossl, h.md, message, crypto::rsassa_pkcs1_v15_sign(rsa(key), h.hash, message)));
  }
  // A key of the wrong type never verifies.
  SignatureAlgorithm ed{SignatureAlgorithm::Kind::ed25519};
  EXPECT_FALSE(verify_signature(pub, ed, message, Bytes(64)));
  EVP_PKEY_free(ossl);
}

TEST(Keys, P256KeysAreReadAndMatch) {
  const PublicKey pub =
      parse_subject_public_key_info(pem_blocks_with_label(test::read_text(pki("p256-pub.pem")), "PUBLIC KEY").front());
  ASSERT_TRUE(std::holds_alternative<EcPublicKey>(pub));
  EXPECT_EQ(std::get<EcPublicKey>(pub).curve, EcCurve::p256);
  EXPECT_EQ(describe(pub), "EC P-256");
  const PrivateKey key = load_private_key_file(pki("p256.key"));
  EXPECT_TRUE(same_public_key(public_key_of(key), pub));
  // A key of another type is never the same key.
  EXPECT_FALSE(same_public_key(public_key_of(load_private_key_file(pki("ed25519.key"))), pub));
}

TEST(Keys, MalformedKeysAreDerErrors) {
  Bytes der = pem_blocks_with_label(test::read_text(pki("server-pkcs8.key")), "PRIVATE KEY").front();
  for (size_t n : {size_t{0}, size_t{10}, der.size() / 2, der.size() - 1})
    EXPECT_THROW(parse_pkcs8_private_key(ByteView(der).first(n)), DerError) << n;
  der.push_back(0);
  EXPECT_THROW(parse_pkcs8_private_key(der), DerError);
}

}  // namespace
}  // namespace tls12::x509
