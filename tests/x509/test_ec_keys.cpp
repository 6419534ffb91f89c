// P-256 and P-384 keys in SubjectPublicKeyInfo (x509/ec_keys.h, RFC 5480 §2) and ECDSA
// signatures on certificates in path validation (RFC 5758 §3.2): keys and
// chains made by the openssl command-line tool, including mixed RSA/ECDSA
// chains, and the refusals where tls12 is stricter than OpenSSL (explicit
// curve parameters and compressed points, which `openssl pkey` reads).
#include <gtest/gtest.h>

#include <string>

#include "crypto/ecdsa.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/ec_keys.h"
#include "x509/path_validation.h"
#include "x509/pem.h"
#include "tests/support/test_support.h"

namespace tls12::x509 {
namespace {

struct Pki {
  std::filesystem::path dir;
};

// Runs a shell script in `dir`, failing the test with its output if it fails.
void sh(const std::filesystem::path& dir, const std::string& script) {
  const auto r = test::run_command("cd '" + dir.string() + "' && (" + script + ") 2>&1");
  ASSERT_EQ(r.exit_code, 0) << script << "\n" << r.output;
}

Bytes spki_der(const std::filesystem::path& pem) {
  return pem_blocks_with_label(test::read_text(pem), "PUBLIC KEY").at(0);
}

// An EC CA (P-256), an RSA CA, and leaves:
//   ec_leaf  <- ec_ca (ecdsa-with-SHA256)
//   ec_leaf2 <- rsa_ca (sha256WithRSAEncryption, an EC key in an RSA chain)
//   rsa_leaf <- ec_ca (ecdsa-with-SHA384, an RSA key in an ECDSA chain)
//   ec_leaf3 <- p384_ca (ecdsa-with-SHA384 by a P-384 key)
const Pki& pki() {
  static const Pki p = [] {
    Pki out{test::make_temp_dir("tls12-ec-pki")};
    const std::string leaf_ext = "printf 'basicConstraints=CA:FALSE\\nsubjectAltName=DNS:localhost\\n' > leaf.cnf";
    sh(out.dir,
       leaf_ext + " && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec_ca.key && "
       "openssl req -x509 -new -key ec_ca.key -sha256 -days 30 -subj '/CN=EC CA' -addext basicConstraints=critical,CA:TRUE "
       "-addext keyUsage=critical,keyCertSign -out ec_ca.pem && "
       "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa_ca.key && "
       "openssl req -x509 -new -key rsa_ca.key -sha256 -days 30 -subj '/CN=RSA CA' -addext basicConstraints=critical,CA:TRUE "
       "-addext keyUsage=critical,keyCertSign -out rsa_ca.pem && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec_leaf.key && "
       "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa_leaf.key && "
       "openssl req -new -key ec_leaf.key -subj '/CN=localhost' -out ec_leaf.csr && "
       "openssl req -new -key rsa_leaf.key -subj '/CN=localhost' -out rsa_leaf.csr && "
       "openssl x509 -req -in ec_leaf.csr -CA ec_ca.pem -CAkey ec_ca.key -CAcreateserial -sha256 -days 30 "
       "-extfile leaf.cnf -out ec_leaf.pem && "
       "openssl x509 -req -in ec_leaf.csr -CA rsa_ca.pem -CAkey rsa_ca.key -CAcreateserial -sha256 -days 30 "
       "-extfile leaf.cnf -out ec_leaf2.pem && "
       "openssl x509 -req -in rsa_leaf.csr -CA ec_ca.pem -CAkey ec_ca.key -CAcreateserial -sha384 -days 30 "
       "-extfile leaf.cnf -out rsa_leaf.pem && "
       "openssl pkey -in ec_leaf.key -pubout -out ec_leaf.pub && "
       "openssl ec -in ec_leaf.key -pubout -conv_form compressed -out compressed.pub && "
       "openssl ec -in ec_leaf.key -pubout -param_enc explicit -out explicit.pub && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384.key && "
       "openssl pkey -in p384.key -pubout -out p384.pub && "
       "openssl req -x509 -new -key p384.key -sha384 -days 30 -subj '/CN=P-384 CA' -addext basicConstraints=critical,CA:TRUE "
       "-addext keyUsage=critical,keyCertSign -out p384_ca.pem && "
       "openssl x509 -req -in ec_leaf.csr -CA p384_ca.pem -CAkey p384.key -CAcreateserial -sha384 -days 30 "
       "-extfile leaf.cnf -out ec_leaf3.pem && "
       "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521 -out p521.key && "
       "openssl pkey -in p521.key -pubout -out p521.pub && "
       "openssl pkey -in ec_leaf.key -pubout -outform DER | tail -c 65 | od -An -tx1 | tr -d ' \\n' > ec_leaf.point");
    return out;
  }();
  return p;
}

Certificate cert(const char* name) {
  return parse_certificates_pem(test::read_text(pki().dir / name)).at(0);
}

VerifyResult verify(const char* leaf, const char* anchor) {
  TrustStore trust;
  trust.add(cert(anchor));
  VerifyOptions options;
  options.hostname = "localhost";
  return verify_chain(cert(leaf), {}, trust, options);
}

TEST(EcKeys, ReadsANamedCurveKeyMadeByOpenssl) {
  const EcPublicKey key = parse_ec_subject_public_key_info(spki_der(pki().dir / "ec_leaf.pub"));
  EXPECT_EQ(key.curve, EcCurve::p256);
  EXPECT_EQ(to_hex(key.point), test::read_text(pki().dir / "ec_leaf.point"));
  const EcPublicKey p384 = parse_ec_subject_public_key_info(spki_der(pki().dir / "p384.pub"));
  EXPECT_EQ(p384.curve, EcCurve::p384);
  EXPECT_EQ(p384.point.size(), 97u);
}

TEST(EcKeys, RefusesWhatRfc5480AndRfc8422Exclude) {
  // Both of these are read by `openssl pkey -pubin`; tls12 refuses them on purpose.
  EXPECT_THROW(parse_ec_subject_public_key_info(spki_der(pki().dir / "explicit.pub")), UnsupportedError);
  EXPECT_THROW(parse_ec_subject_public_key_info(spki_der(pki().dir / "compressed.pub")), DerError);
  EXPECT_THROW(parse_ec_subject_public_key_info(spki_der(pki().dir / "p521.pub")), UnsupportedError);
  // A point off the curve.
  Bytes spki = spki_der(pki().dir / "ec_leaf.pub");
  spki.back() ^= 1;
  EXPECT_THROW(parse_ec_subject_public_key_info(spki), DerError);
  // Trailing bytes after the SubjectPublicKeyInfo.
  spki = spki_der(pki().dir / "ec_leaf.pub");
  spki.push_back(0);
  EXPECT_THROW(parse_ec_subject_public_key_info(spki), DerError);
}

TEST(EcKeys, CertificateSignatureAlgorithmsAreRead) {
  ASSERT_TRUE(cert("ec_leaf.pem").signature_algorithm.has_value());
  EXPECT_EQ(cert("ec_leaf.pem").signature_algorithm->kind, SignatureAlgorithm::Kind::ecdsa);
  EXPECT_EQ(cert("ec_leaf.pem").signature_algorithm->name(), "ecdsa-with-SHA256");
  EXPECT_EQ(cert("rsa_leaf.pem").signature_algorithm->name(), "ecdsa-with-SHA384");
}

TEST(EcdsaChains, EcdsaAndMixedChainsVerify) {
  const auto ec = verify("ec_leaf.pem", "ec_ca.pem");
  EXPECT_TRUE(ec.ok()) << ec.message;
  const auto ec_under_rsa = verify("ec_leaf2.pem", "rsa_ca.pem");
  EXPECT_TRUE(ec_under_rsa.ok()) << ec_under_rsa.message;
  const auto rsa_under_ec = verify("rsa_leaf.pem", "ec_ca.pem");
  EXPECT_TRUE(rsa_under_ec.ok()) << rsa_under_ec.message;
  const auto under_p384 = verify("ec_leaf3.pem", "p384_ca.pem");
  EXPECT_TRUE(under_p384.ok()) << under_p384.message;
}

TEST(EcdsaChains, TamperedP384SignatureIsBadSignature) {
  Bytes der = pem_blocks_with_label(test::read_text(pki().dir / "ec_leaf3.pem"), "CERTIFICATE").at(0);
  der[der.size() - 2] ^= 0x01;  // inside s; the DER still parses
  TrustStore trust;
  trust.add(cert("p384_ca.pem"));
  VerifyOptions options;
  options.hostname = "localhost";
  EXPECT_EQ(verify_chain(Certificate::parse(der), {}, trust, options).reason, Reason::bad_signature);
}

TEST(EcdsaChains, WrongIssuerOrTamperedSignatureIsBadSignature) {
  // Same subject name, other key: an EC CA made again with the same name. Its
  // key identifier differs from the leaf's authorityKeyIdentifier, so no path
  // reaches it.
  sh(pki().dir,
     "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other_ca.key && "
     "openssl req -x509 -new -key other_ca.key -sha256 -days 30 -subj '/CN=EC CA' "
     "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -out other_ca.pem");
  EXPECT_EQ(verify("ec_leaf.pem", "other_ca.pem").reason, Reason::unknown_issuer);

  // Flip a bit inside s of the leaf's signature: the DER still parses.
  // The issuer is found (same key identifier), so the failure is the signature.
  Bytes der = pem_blocks_with_label(test::read_text(pki().dir / "ec_leaf.pem"), "CERTIFICATE").at(0);
  der[der.size() - 2] ^= 0x01;
  TrustStore trust;
  trust.add(cert("ec_ca.pem"));
  VerifyOptions options;
  options.hostname = "localhost";
  EXPECT_EQ(verify_chain(Certificate::parse(der), {}, trust, options).reason, Reason::bad_signature);
}

}  // namespace
}  // namespace tls12::x509
