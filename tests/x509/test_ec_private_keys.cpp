// P-256 private keys (x509/ec_keys.h, x509/keys.h) as the openssl tool writes
// them: SEC 1 ECPrivateKey ("EC PRIVATE KEY", RFC 5915 §3), PKCS#8
// ("PRIVATE KEY", RFC 5915 §2) and passphrase-encrypted PKCS#8 (PBES2, as
// `openssl genpkey ... -aes256` writes it); each one's public half equals the
// SubjectPublicKeyInfo openssl derives, and our signature with it verifies
// with `openssl dgst -verify`. Refused: P-384 private keys (tls12 signs on
// P-256 only) and explicit curve parameters, both of which `openssl pkey`
// reads (deliberately stricter, as `tls12 server --help` says), and a
// publicKey that is not d*G.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "crypto/ecdsa.h"
#include "x509/der.h"
#include "x509/ec_keys.h"
#include "x509/keys.h"
#include "x509/pem.h"
#include "tests/support/test_support.h"

namespace tls12::x509 {
namespace {

void sh(const std::filesystem::path& dir, const std::string& script) {
  const auto r = test::run_command("cd '" + dir.string() + "' && (" + script + ") 2>&1");
  ASSERT_EQ(r.exit_code, 0) << script << "\n" << r.output;
}

const std::filesystem::path& dir() {
  static const std::filesystem::path d = [] {
    auto out = test::make_temp_dir("tls12-ec-private-keys");
    sh(out,
       "openssl ecparam -name prime256v1 -genkey -noout -out sec1.key && "
       "openssl pkey -in sec1.key -pubout -out sec1.pub && "
       "openssl ec -in sec1.key -outform DER -out sec1.der 2>/dev/null && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p8.key && "
       "openssl pkey -in p8.key -pubout -out p8.pub && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:correct-horse -out enc.key && "
       "openssl pkey -in enc.key -passin pass:correct-horse -pubout -out enc.pub && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key && "
       "openssl ec -in sec1.key -param_enc explicit -out explicit.key 2>/dev/null");
    return out;
  }();
  return d;
}

std::string text(const char* name) { return test::read_text(dir() / name); }
Bytes binary(const char* name) {
  const std::string t = text(name);
  return Bytes(t.begin(), t.end());
}

PublicKey spki(const char* name) {
  return parse_subject_public_key_info(pem_blocks_with_label(text(name), "PUBLIC KEY").at(0));
}

void expect_p256_pair(const PrivateKey& key, const char* pub_file) {
  ASSERT_TRUE(std::holds_alternative<EcPrivateKey>(key));
  EXPECT_EQ(std::get<EcPrivateKey>(key).d.size(), 32u);
  const PublicKey pub = public_key_of(key);
  EXPECT_TRUE(same_public_key(pub, spki(pub_file)));
  EXPECT_EQ(describe(pub), "EC P-256");
}

TEST(EcPrivateKeys, Sec1EcPrivateKeyPemAndDer) {
  expect_p256_pair(load_private_key_pem(text("sec1.key")), "sec1.pub");
  const Bytes der = binary("sec1.der");
  expect_p256_pair(load_private_key(der), "sec1.pub");
  expect_p256_pair(parse_sec1_ec_private_key(der), "sec1.pub");
}

TEST(EcPrivateKeys, Pkcs8AndEncryptedPkcs8) {
  expect_p256_pair(load_private_key_file(dir() / "p8.key"), "p8.pub");
  const auto pass = PassphraseSource::parse("pass:correct-horse");
  expect_p256_pair(load_private_key_file(dir() / "enc.key", pass), "enc.pub");
  EXPECT_THROW(load_private_key_file(dir() / "enc.key", PassphraseSource::parse("pass:wrong")), std::runtime_error);
}

TEST(EcPrivateKeys, OurSignatureVerifiesWithOpenssl) {
  const PrivateKey key = load_private_key_file(dir() / "p8.key");
  const std::string message = "ECDSA over P-256 with SHA-256";
  const Bytes signature =
      crypto::ecdsa_p256_sign(std::get<EcPrivateKey>(key).d, crypto::HashAlgorithm::sha256, as_bytes(message));
  std::ofstream(dir() / "msg", std::ios::binary) << message;
  std::ofstream(dir() / "msg.sig", std::ios::binary)
      .write(reinterpret_cast<const char*>(signature.data()), static_cast<std::streamsize>(signature.size()));
  const auto r = test::run_command("cd '" + dir().string() +
                                   "' && openssl dgst -sha256 -verify p8.pub -signature msg.sig msg 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Verified OK"), std::string::npos) << r.output;
}

TEST(EcPrivateKeys, RefusesP384ExplicitParametersAndAMismatchedPublicKey) {
  EXPECT_THROW(load_private_key_file(dir() / "p384.key"), UnsupportedError);
  EXPECT_THROW(load_private_key_file(dir() / "explicit.key"), UnsupportedError);
  // The last byte of the DER is the last byte of [1] publicKey's y.
  Bytes der = binary("sec1.der");
  der.back() ^= 0x01;
  EXPECT_THROW(parse_sec1_ec_private_key(der), DerError);
  // Every truncation is malformed DER, and so is a trailing byte.
  const Bytes whole = binary("sec1.der");
  for (size_t n : {size_t{0}, size_t{2}, size_t{7}, size_t{39}, whole.size() / 2, whole.size() - 1})
    EXPECT_THROW(parse_sec1_ec_private_key(ByteView(whole).first(n)), DerError) << n;
  Bytes longer = whole;
  longer.push_back(0);
  EXPECT_THROW(parse_sec1_ec_private_key(longer), DerError);
  // A scalar of zero is not a key (SEC 1 §3.2.1: d in [1, n-1]).
  Bytes zero = binary("sec1.der");
  std::fill(zero.begin() + 7, zero.begin() + 7 + 32, 0);  // 30 77 02 01 01 04 20 <d>
  EXPECT_THROW(parse_sec1_ec_private_key(zero), DerError);
}

}  // namespace
}  // namespace tls12::x509
