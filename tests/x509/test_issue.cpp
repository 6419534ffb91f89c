// Writing keys, PKCS #10 requests and certificates (x509/key_writer.h,
// request.h, issue.h): everything made is read back by our strict parsers and
// accepted by OpenSSL (pkey, rsa -check, req -verify, verify, x509 -text,
// asn1parse -strictpem); the refusals name their reason.
#include <gtest/gtest.h>

#include <ctime>
#include <utility>

#include "crypto/ecdsa.h"
#include "tests/support/test_support.h"
#include "x509/certificate.h"
#include "x509/hostname.h"
#include "x509/issue.h"
#include "x509/key_writer.h"
#include "x509/path_validation.h"
#include "x509/pem.h"
#include "x509/pki_set.h"
#include "x509/request.h"

namespace tls12::x509 {
namespace {

constexpr int64_t kDay = 86400;

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

// One RSA key for the whole file: generating them is the slow part.
const GeneratedKey& rsa_key() {
  static const GeneratedKey key = generate_key(KeyType::rsa2048);
  return key;
}

std::string key_pem(const GeneratedKey& k, std::string_view passphrase = {}) {
  return private_key_pem(k.private_key_info, as_bytes(passphrase));
}

struct TestPki {
  GeneratedKey ca_key = generate_key(KeyType::ed25519);
  Bytes ca_cert;
  Bytes server_cert;
  Bytes client_cert;
  TestPki(PermittedNames permitted = {}) {
    const Bytes ca_name = encode_distinguished_name("/CN=tls12 test CA/O=tls12");
    CertificateTemplate ca{CertificateProfile::ca, ca_name,
                           encode_subject_public_key_info(public_key_of(ca_key.key)), {}, now() - kDay,
                           now() + 30 * kDay, 0, std::move(permitted)};
    ca_cert = issue_certificate(ca, self_issuer(ca_name, ca_key.key), now());
    const Issuer issuer = issuer_from(Certificate::parse(ca_cert), ca_key.key);
    CertificateTemplate server{CertificateProfile::server, encode_distinguished_name("/CN=localhost"),
                               encode_subject_public_key_info(public_key_of(rsa_key().key)),
                               parse_subject_alt_names({"localhost", "127.0.0.1", "::1"}), now() - kDay,
                               now() + 10 * kDay, std::nullopt, {}};
    server_cert = issue_certificate(server, issuer, now());
    CertificateTemplate client = server;
    client.profile = CertificateProfile::client;
    client.subject = encode_distinguished_name("/CN=tls12 test client");
    client.alt_names = {};
    client_cert = issue_certificate(client, issuer, now());
  }
};

VerifyResult verify(const TestPki& pki, const Bytes& leaf, Purpose purpose, std::optional<std::string> host) {
  TrustStore trust;
  trust.add(Certificate::parse(pki.ca_cert));
  VerifyOptions options;
  options.purpose = purpose;
  options.hostname = std::move(host);
  return verify_chain(Certificate::parse(leaf), {}, trust, options);
}

test::CommandResult openssl(const std::string& args) { return test::run_command("openssl " + args + " 2>&1"); }

TEST(KeyWriter, PrivateKeyInfoRoundTripsThroughOurReader) {
  const GeneratedKey ed = generate_key(KeyType::ed25519);
  const PrivateKey back = parse_pkcs8_private_key(ed.private_key_info);
  EXPECT_TRUE(same_public_key(public_key_of(back), public_key_of(ed.key)));
  const PrivateKey rsa_back = load_private_key_pem(key_pem(rsa_key()));
  EXPECT_TRUE(same_public_key(public_key_of(rsa_back), public_key_of(rsa_key().key)));
  // The SubjectPublicKeyInfo we write is the one we read.
  const Bytes spki = encode_subject_public_key_info(public_key_of(rsa_key().key));
  EXPECT_TRUE(same_public_key(parse_subject_public_key_info(spki), public_key_of(rsa_key().key)));
}

TEST(KeyWriter, EncryptedKeysOpenWithThePassphraseOnly) {
  const std::string pem = key_pem(rsa_key(), "correct horse");
  EXPECT_NE(pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
  const auto der = pem_blocks_with_label(pem, "ENCRYPTED PRIVATE KEY").at(0);
  EXPECT_EQ(describe_encrypted_private_key_info(der),
            "PBES2: PBKDF2 with HMAC-SHA-256, 100000 iterations, 16-byte salt; AES-256-CBC");
  const PrivateKey back = load_private_key_pem(pem, PassphraseSource::parse("pass:correct horse"));
  EXPECT_TRUE(same_public_key(public_key_of(back), public_key_of(rsa_key().key)));
  EXPECT_THROW(load_private_key_pem(pem, PassphraseSource::parse("pass:wrong")), std::runtime_error);
}

TEST(KeyWriter, OpenSslAcceptsOurKeys) {
  const auto dir = test::make_temp_dir("keywriter");
  const std::string rsa = (dir / "rsa.key").string(), ed = (dir / "ed.key").string(),
                    enc = (dir / "enc.key").string();
  test::write_file(rsa, as_bytes(key_pem(rsa_key())));
  test::write_file(ed, as_bytes(key_pem(generate_key(KeyType::ed25519))));
  test::write_file(enc, as_bytes(key_pem(rsa_key(), "s3cret")));
  const auto check = openssl("rsa -check -noout -in " + rsa);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_NE(check.output.find("RSA key ok"), std::string::npos) << check.output;
  EXPECT_EQ(openssl("pkey -noout -in " + ed).exit_code, 0);
  const auto opened = openssl("pkey -in " + enc + " -passin pass:s3cret -pubout");
  EXPECT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_EQ(opened.output, openssl("pkey -in " + rsa + " -pubout").output);
  EXPECT_NE(openssl("pkey -noout -in " + enc + " -passin pass:nope").exit_code, 0);
  for (const std::string& f : {rsa, ed, enc}) EXPECT_EQ(openssl("asn1parse -strictpem -in " + f).exit_code, 0) << f;
}

TEST(Request, MadeParsedAndSelfSignatureChecked) {
  const Bytes der = make_certification_request(rsa_key().key, encode_distinguished_name("/CN=localhost/O=tls12"),
                                               parse_subject_alt_names({"localhost", "127.0.0.1"}));
  const CertificationRequest req = CertificationRequest::parse(der);
  EXPECT_EQ(req.subject.to_string(), "O=tls12,CN=localhost");
  EXPECT_EQ(req.alt_names.dns_names, std::vector<std::string>{"localhost"});
  ASSERT_EQ(req.alt_names.ip_addresses.size(), 1u);
  EXPECT_EQ(to_hex(req.alt_names.ip_addresses[0]), "7f000001");
  EXPECT_TRUE(req.signature_verifies());
  // One flipped bit in the signed part and the signature no longer verifies.
  Bytes tampered = der;
  tampered[40] ^= 0x01;
  EXPECT_FALSE(CertificationRequest::parse(tampered).signature_verifies());
}

TEST(Request, OpenSslVerifiesOurRequests) {
  const auto dir = test::make_temp_dir("request");
  for (const GeneratedKey* key : {&rsa_key()}) {
    const Bytes der = make_certification_request(key->key, encode_distinguished_name("/CN=example.test"),
                                                 parse_subject_alt_names({"example.test"}));
    const std::string file = (dir / "req.csr").string();
    test::write_file(file, as_bytes(encode_pem("CERTIFICATE REQUEST", der)));
    const auto r = openssl("req -verify -noout -in " + file);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("verify OK"), std::string::npos) << r.output;
    EXPECT_EQ(openssl("asn1parse -strictpem -in " + file).exit_code, 0);
  }
  const GeneratedKey ed = generate_key(KeyType::ed25519);
  const Bytes ed_req = make_certification_request(ed.key, encode_distinguished_name("/CN=client"), {});
  EXPECT_TRUE(CertificationRequest::parse(ed_req).signature_verifies());
}

TEST(Issue, ChainVerifiesWithOurValidatorForBothPurposes) {
  const TestPki pki;
  EXPECT_TRUE(verify(pki, pki.server_cert, Purpose::server, "localhost").ok());
  EXPECT_TRUE(verify(pki, pki.client_cert, Purpose::client, std::nullopt).ok());
  // The extKeyUsage keeps each certificate to its purpose.
  EXPECT_FALSE(verify(pki, pki.client_cert, Purpose::server, std::nullopt).ok());
  EXPECT_EQ(verify(pki, pki.server_cert, Purpose::server, "example.com").reason, Reason::hostname_mismatch);
  const Certificate server = Certificate::parse(pki.server_cert);
  EXPECT_EQ(server.serial_number.size(), 16u);
  EXPECT_EQ(server.serial_number[0] & 0x80, 0);
  EXPECT_TRUE(server.has_key_usage(KeyUsageBit::key_encipherment));
  EXPECT_EQ(*server.authority_key_identifier, *Certificate::parse(pki.ca_cert).subject_key_identifier);
  EXPECT_NE(Certificate::parse(pki.client_cert).serial_number, server.serial_number);
}

TEST(Issue, NameConstraintsOnTheCaLimitWhatItCanVouchFor) {
  const TestPki pki(PermittedNames{{"localhost"}, {Bytes{127, 0, 0, 1}, *parse_ip_address("::1")}});
  EXPECT_TRUE(verify(pki, pki.server_cert, Purpose::server, "localhost").ok());
  // Every name in the leaf must be permitted: the server certificate names
  // ::1, which these constraints leave out, and localhost, which these do.
  const TestPki no_ipv6(PermittedNames{{"localhost"}, {Bytes{127, 0, 0, 1}}});
  EXPECT_EQ(verify(no_ipv6, no_ipv6.server_cert, Purpose::server, "localhost").reason,
            Reason::name_constraints_violation);
  const TestPki other(PermittedNames{{"example.com"}, {}});
  EXPECT_EQ(verify(other, other.server_cert, Purpose::server, "localhost").reason, Reason::name_constraints_violation);
  ASSERT_TRUE(Certificate::parse(pki.ca_cert).name_constraints);
  EXPECT_EQ(Certificate::parse(pki.ca_cert).name_constraints->permitted.size(), 3u);
}

TEST(Issue, OpenSslVerifiesAndPrintsOurCertificates) {
  const TestPki pki(PermittedNames{{"localhost"}, {Bytes{127, 0, 0, 1}, *parse_ip_address("::1")}});
  const auto dir = test::make_temp_dir("issue");
  const std::string ca = (dir / "ca.crt").string(), server = (dir / "server.crt").string(),
                    client = (dir / "client.crt").string();
  test::write_file(ca, as_bytes(encode_pem("CERTIFICATE", pki.ca_cert)));
  test::write_file(server, as_bytes(encode_pem("CERTIFICATE", pki.server_cert)));
  test::write_file(client, as_bytes(encode_pem("CERTIFICATE", pki.client_cert)));
  const auto v = openssl("verify -CAfile " + ca + " -purpose sslserver -verify_hostname localhost " + server);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  const auto c = openssl("verify -CAfile " + ca + " -purpose sslclient " + client);
  EXPECT_EQ(c.exit_code, 0) << c.output;
  const auto text = openssl("x509 -noout -text -in " + server);
  EXPECT_EQ(text.exit_code, 0);
  for (const char* part : {"DNS:localhost", "IP Address:127.0.0.1", "TLS Web Server Authentication",
                           "Digital Signature, Key Encipherment", "CA:FALSE", "X509v3 Authority Key Identifier"})
    EXPECT_NE(text.output.find(part), std::string::npos) << part << "\n" << text.output;
  const auto ca_text = openssl("x509 -noout -text -in " + ca);
  EXPECT_NE(ca_text.output.find("Permitted:"), std::string::npos) << ca_text.output;
  EXPECT_NE(ca_text.output.find("Certificate Sign, CRL Sign"), std::string::npos) << ca_text.output;
  for (const std::string& f : {ca, server, client})
    EXPECT_EQ(openssl("asn1parse -strictpem -in " + f).exit_code, 0) << f;
}

TEST(Issue, RefusalsNameTheProblem) {
  const TestPki pki;
  const Certificate server = Certificate::parse(pki.server_cert);
  try {
    issuer_from(server, rsa_key().key);
    FAIL() << "a server certificate was accepted as a CA";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("is not a CA"), std::string::npos) << e.what();
  }
  try {
    issuer_from(Certificate::parse(pki.ca_cert), rsa_key().key);
    FAIL() << "a key that is not the CA's was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not belong"), std::string::npos) << e.what();
  }
  CertificateTemplate t{CertificateProfile::server, encode_distinguished_name("/CN=x"),
                        encode_subject_public_key_info(public_key_of(rsa_key().key)),
                        parse_subject_alt_names({"x.test"}), now() - 10 * kDay, now() - kDay, std::nullopt, {}};
  const Issuer issuer = issuer_from(Certificate::parse(pki.ca_cert), pki.ca_key.key);
  EXPECT_THROW(issue_certificate(t, issuer, now()), std::invalid_argument);  // in the past
  t.not_after = now() + kDay;
  t.alt_names = {};
  EXPECT_THROW(issue_certificate(t, issuer, now()), std::invalid_argument);  // no names
  EXPECT_THROW(parse_subject_alt_names({"bad..name"}), std::invalid_argument);
  EXPECT_THROW(parse_subject_alt_names({"under_score.example"}), std::invalid_argument);
  EXPECT_THROW(parse_subject_alt_names({"-leading.example"}), std::invalid_argument);
  EXPECT_THROW(parse_subject_alt_names({""}), std::invalid_argument);
  EXPECT_THROW(encode_distinguished_name("CN=no-slash"), std::invalid_argument);
  EXPECT_THROW(encode_distinguished_name("/XX=unknown"), std::invalid_argument);
  EXPECT_THROW(encode_distinguished_name("/C=USA"), std::invalid_argument);
}

// ---- P-256 -------------------------------------------------------------------

const GeneratedKey& p256_key() {
  static const GeneratedKey key = generate_key(KeyType::p256);
  return key;
}

// A CA made with `ca_key` and a server certificate for localhost with
// `leaf_key`, each checked by issue_certificate itself before it returns.
std::pair<Bytes, Bytes> ca_and_server(const PrivateKey& ca_key, const PrivateKey& leaf_key) {
  const Bytes ca_name = encode_distinguished_name("/CN=mixed CA");
  CertificateTemplate ca{CertificateProfile::ca, ca_name, encode_subject_public_key_info(public_key_of(ca_key)), {},
                         now() - kDay, now() + 30 * kDay, 0, {}};
  Bytes ca_cert = issue_certificate(ca, self_issuer(ca_name, ca_key), now());
  CertificateTemplate server{CertificateProfile::server, encode_distinguished_name("/CN=localhost"),
                             encode_subject_public_key_info(public_key_of(leaf_key)),
                             parse_subject_alt_names({"localhost"}), now() - kDay, now() + 10 * kDay,
                             std::nullopt, {}};
  Bytes leaf = issue_certificate(server, issuer_from(Certificate::parse(ca_cert), ca_key), now());
  return {std::move(ca_cert), std::move(leaf)};
}

TEST(P256KeyWriter, KeyInfoAndPublicKeyRoundTripThroughOurReader) {
  const auto& ec = std::get<EcPrivateKey>(p256_key().key);
  EXPECT_EQ(ec.d.size(), 32u);
  EXPECT_EQ(crypto::p256::KeyPair::from_private_key(ec.d).public_key[0], 0x04);
  const PrivateKey back = parse_pkcs8_private_key(p256_key().private_key_info);
  ASSERT_TRUE(std::holds_alternative<EcPrivateKey>(back));
  EXPECT_EQ(std::get<EcPrivateKey>(back).d, ec.d);
  EXPECT_TRUE(same_public_key(public_key_of(back), public_key_of(p256_key().key)));
  // PrivateKeyInfo { 0, { id-ecPublicKey, prime256v1 }, ECPrivateKey { 1, d, [1] Q } }:
  // the curve named once, outside, as openssl genpkey writes it.
  const std::string info = to_hex(p256_key().private_key_info);
  const std::string head = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420";
  EXPECT_EQ(info.substr(0, head.size()), head);
  EXPECT_EQ(info.substr(head.size() + 64, 10), "a144034200");  // [1] { BIT STRING, 0 unused bits }
  EXPECT_EQ(info.size(), 2 * 138u);
  const Bytes spki = encode_subject_public_key_info(public_key_of(p256_key().key));
  EXPECT_EQ(to_hex(spki).substr(0, 52), "3059301306072a8648ce3d020106082a8648ce3d030107034200");
  EXPECT_TRUE(same_public_key(parse_subject_public_key_info(spki), public_key_of(p256_key().key)));
  // A second key is another key.
  EXPECT_NE(std::get<EcPrivateKey>(generate_key(KeyType::p256).key).d, ec.d);
}

TEST(P256KeyWriter, EncryptedKeyOpensWithThePassphraseOnly) {
  const std::string pem = key_pem(p256_key(), "ec pass");
  EXPECT_NE(pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
  const PrivateKey back = load_private_key_pem(pem, PassphraseSource::parse("pass:ec pass"));
  EXPECT_TRUE(same_public_key(public_key_of(back), public_key_of(p256_key().key)));
  EXPECT_THROW(load_private_key_pem(pem, PassphraseSource::parse("pass:wrong")), std::runtime_error);
}

TEST(P256KeyWriter, SignsEcdsaWithSha256WithoutParameters) {
  // RFC 5758 §3.2: SEQUENCE { ecdsa-with-SHA256 } and nothing else (no NULL).
  EXPECT_EQ(to_hex(signature_algorithm_identifier(p256_key().key)), "300a06082a8648ce3d040302");
  const ByteView message = as_bytes(std::string_view("to be signed"));
  const Bytes signature = sign_message(p256_key().key, message);
  SignatureAlgorithm alg;
  alg.kind = SignatureAlgorithm::Kind::ecdsa;
  alg.hash = crypto::HashAlgorithm::sha256;
  EXPECT_TRUE(verify_signature(public_key_of(p256_key().key), alg, message, signature));
  EXPECT_FALSE(verify_signature(public_key_of(p256_key().key), alg, as_bytes(std::string_view("to be signeD")),
                                signature));
  // RFC 6979: the same message, the same signature.
  EXPECT_EQ(sign_message(p256_key().key, message), signature);
}

TEST(P256KeyWriter, OpenSslAcceptsOurKeysByteForByte) {
  const auto dir = test::make_temp_dir("keywriter-ec");
  const std::string plain = (dir / "ec.key").string(), enc = (dir / "enc.key").string();
  const std::string pem = key_pem(p256_key());
  test::write_file(plain, as_bytes(pem));
  test::write_file(enc, as_bytes(key_pem(p256_key(), "s3cret")));
  const auto check = openssl("ec -check -noout -in " + plain);
  EXPECT_NE(check.output.find("EC Key valid."), std::string::npos) << check.output;
  const auto pcheck = openssl("pkey -check -noout -in " + plain);
  EXPECT_NE(pcheck.output.find("Key is valid"), std::string::npos) << pcheck.output;
  // OpenSSL re-encodes the key exactly as we wrote it.
  EXPECT_EQ(openssl("pkey -in " + plain).output, pem);
  const auto opened = openssl("pkey -in " + enc + " -passin pass:s3cret");
  EXPECT_EQ(opened.output, pem);
  EXPECT_NE(openssl("pkey -noout -in " + enc + " -passin pass:nope").exit_code, 0);
  // And its SubjectPublicKeyInfo is ours.
  const auto pub = openssl("pkey -in " + plain + " -pubout");
  EXPECT_EQ(pub.output, encode_pem("PUBLIC KEY", encode_subject_public_key_info(public_key_of(p256_key().key))));
  for (const std::string& f : {plain, enc}) EXPECT_EQ(openssl("asn1parse -strictpem -in " + f).exit_code, 0) << f;
}

TEST(P256Request, SelfSignedRequestVerifiesHereAndInOpenSsl) {
  const Bytes der = make_certification_request(p256_key().key, encode_distinguished_name("/CN=ec.example.test"),
                                               parse_subject_alt_names({"ec.example.test"}));
  const CertificationRequest req = CertificationRequest::parse(der);
  EXPECT_EQ(to_hex(req.signature_algorithm), "300a06082a8648ce3d040302");
  EXPECT_TRUE(req.signature_verifies());
  Bytes tampered = der;
  tampered[40] ^= 0x01;
  EXPECT_FALSE(CertificationRequest::parse(tampered).signature_verifies());
  const auto dir = test::make_temp_dir("request-ec");
  const std::string file = (dir / "req.csr").string();
  test::write_file(file, as_bytes(encode_pem("CERTIFICATE REQUEST", der)));
  const auto r = openssl("req -verify -noout -in " + file);
  EXPECT_NE(r.output.find("verify OK"), std::string::npos) << r.output;
  EXPECT_EQ(openssl("asn1parse -strictpem -in " + file).exit_code, 0);
}

TEST(P256Issue, MixedChainsVerifyHereAndInOpenSsl) {
  const auto dir = test::make_temp_dir("issue-ec");
  const GeneratedKey other_p256 = generate_key(KeyType::p256);
  const std::pair<const PrivateKey*, const PrivateKey*> cases[] = {
      {&p256_key().key, &rsa_key().key},                     // a P-256 CA, an RSA server
      {&rsa_key().key, &p256_key().key},                     // an RSA CA, a P-256 server
      {&p256_key().key, &other_p256.key}};                  // P-256 throughout
  int n = 0;
  for (const auto& [ca_key, leaf_key] : cases) {
    SCOPED_TRACE(n);
    const auto [ca, leaf] = ca_and_server(*ca_key, *leaf_key);
    const Certificate parsed = Certificate::parse(leaf);
    ASSERT_TRUE(parsed.signature_algorithm);
    EXPECT_EQ(parsed.signature_algorithm->kind == SignatureAlgorithm::Kind::ecdsa,
              std::holds_alternative<EcPrivateKey>(*ca_key));
    // keyEncipherment only for an RSA server key (ECDHE_ECDSA signs, never decrypts).
    EXPECT_EQ(parsed.has_key_usage(KeyUsageBit::key_encipherment),
              std::holds_alternative<crypto::RsaPrivateKey>(*leaf_key));
    TrustStore trust;
    trust.add(Certificate::parse(ca));
    VerifyOptions options;
    options.hostname = "localhost";
    const VerifyResult ours = verify_chain(parsed, {}, trust, options);
    EXPECT_TRUE(ours.ok()) << ours.message;
    const std::string ca_file = (dir / ("ca" + std::to_string(n) + ".crt")).string();
    const std::string leaf_file = (dir / ("leaf" + std::to_string(n) + ".crt")).string();
    test::write_file(ca_file, as_bytes(encode_pem("CERTIFICATE", ca)));
    test::write_file(leaf_file, as_bytes(encode_pem("CERTIFICATE", leaf)));
    const auto v = openssl("verify -CAfile " + ca_file + " -purpose sslserver -verify_hostname localhost " + leaf_file);
    EXPECT_EQ(v.exit_code, 0) << v.output;
    EXPECT_EQ(openssl("asn1parse -strictpem -in " + leaf_file).exit_code, 0);
    ++n;
  }
}

TEST(PkiSet, MakesAConstrainedCaAServerAClientAndAnEncryptedServerKey) {
  PkiSetOptions options;
  options.key_type = KeyType::ed25519;  // fast; the RSA path is the CLI tests'
  options.encrypted_server_key = true;
  const PkiSet set = make_pki_set(options);
  const Certificate ca = parse_certificates_pem(set.ca_crt).at(0);
  ASSERT_TRUE(ca.name_constraints);
  EXPECT_EQ(ca.name_constraints->permitted.size(), 3u);  // localhost, 127.0.0.1, ::1
  TrustStore trust;
  trust.add(ca);
  VerifyOptions server_options;
  server_options.hostname = "localhost";
  EXPECT_TRUE(verify_chain(parse_certificates_pem(set.server_crt).at(0), {}, trust, server_options).ok());
  VerifyOptions client_options;
  client_options.purpose = Purpose::client;
  EXPECT_TRUE(verify_chain(parse_certificates_pem(set.client_crt).at(0), {}, trust, client_options).ok());
  // The encrypted server key opens with its passphrase to the same key.
  EXPECT_NE(set.server_key_encrypted.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(set.server_key_passphrase.size(), 48u);
  const PrivateKey plain = load_private_key_pem(set.server_key);
  const PrivateKey opened =
      load_private_key_pem(set.server_key_encrypted, PassphraseSource::parse("pass:" + set.server_key_passphrase));
  EXPECT_TRUE(same_public_key(public_key_of(plain), public_key_of(opened)));
  EXPECT_THROW(load_private_key_pem(set.server_key_encrypted, PassphraseSource::parse("pass:x")), std::runtime_error);
}

TEST(PkiSet, RefusesHostsThatAreNotNames) {
  PkiSetOptions options;
  options.key_type = KeyType::ed25519;
  options.hosts = {"localhost", "not a host"};
  EXPECT_THROW(make_pki_set(options), std::invalid_argument);
  options.hosts = {};
  EXPECT_THROW(make_pki_set(options), std::invalid_argument);
}

}  // namespace
}  // namespace tls12::x509
