// ECDSA in the handshake (RFC 8422 §5.4, §5.8; RFC 5246 §7.4.3, §7.4.8): the
// ECDHE_ECDSA suites with a P-256 certificate, ecdsa_secp256r1_sha256 in
// ServerKeyExchange and CertificateVerify, ECDSA client certificates, and a
// server holding an RSA and a P-256 chain that picks by the client's suites
// and signature_algorithms. A changed signature is decrypt_error.
#include <gtest/gtest.h>

#include "handshake/client.h"
#include "handshake/server.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/breadth_test_support.h"
#include "tests/handshake/state_machine_support.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using test_support::client_config;
using test_support::flip_last_byte;
using test_support::Outcome;
using test_support::run;
using test_support::server_config;

ServerConfig ec_server(bool mutual) {
  ServerConfig config = server_config(mutual);
  config.certificate = test::ec_pki().server;
  return config;
}

class EcdsaSuites : public ::testing::TestWithParam<CipherSuite> {};

TEST_P(EcdsaSuites, P256CertificateSignsServerKeyExchange) {
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {GetParam()};
  Client client(cc);
  Server server(ec_server(false));
  Outcome outcome = run(client, server);
  ASSERT_TRUE(outcome.completed) << outcome.message;
  EXPECT_EQ(client.negotiated().cipher_suite->id, GetParam());
  EXPECT_EQ(client.negotiated().server_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  ASSERT_TRUE(client.negotiated().peer.leaf_key.has_value());
  EXPECT_TRUE(std::holds_alternative<x509::EcPublicKey>(*client.negotiated().peer.leaf_key));
}

INSTANTIATE_TEST_SUITE_P(EveryEcdsaSuite, EcdsaSuites,
                         ::testing::Values(suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                           suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                           suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256));

TEST(EcdsaHandshake, EcdsaClientCertificateSignsCertificateVerify) {
  for (bool ec_server_key : {false, true}) {
    ClientConfig cc = client_config(false);
    cc.client_certificate = test::ec_pki().client;
    Client client(cc);
    Server server(ec_server_key ? ec_server(true) : server_config(true));
    Outcome outcome = run(client, server);
    ASSERT_TRUE(outcome.completed) << outcome.message;
    EXPECT_EQ(server.negotiated().client_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
    EXPECT_TRUE(std::holds_alternative<x509::EcPublicKey>(*server.negotiated().peer.leaf_key));
  }
}

TEST(EcdsaHandshake, ChangedServerKeyExchangeSignatureIsDecryptError) {
  ClientConfig cc = client_config(false);
  Client client(cc);
  Server server(ec_server(false));
  Outcome outcome = run(client, server, flip_last_byte(false, HandshakeType::server_key_exchange));
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(EcdsaHandshake, ChangedCertificateVerifyIsDecryptError) {
  ClientConfig cc = client_config(false);
  cc.client_certificate = test::ec_pki().client;
  Client client(cc);
  Server server(server_config(true));
  Outcome outcome = run(client, server, flip_last_byte(true, HandshakeType::certificate_verify));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
}

// --- sha512 + ecdsa and sha224 + ecdsa (RFC 5246 §7.4.1.4.1: in TLS 1.2 the
// scheme names a hash and ecdsa, not a curve)

class EcdsaHashes : public ::testing::TestWithParam<SignatureScheme> {};

// A client that offers only this scheme gets a ServerKeyExchange signed with
// it, and checks it; then a CertificateVerify from a P-256 client key.
TEST_P(EcdsaHashes, SignsAndVerifiesServerKeyExchangeAndCertificateVerify) {
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  cc.signature_schemes = {GetParam()};
  cc.client_certificate = test::ec_pki().client;
  ServerConfig sc = ec_server(true);
  sc.signature_schemes = {GetParam()};
  Client client(cc);
  Server server(sc);
  Outcome outcome = run(client, server);
  ASSERT_TRUE(outcome.completed) << outcome.message;
  EXPECT_EQ(client.negotiated().server_signature_scheme, GetParam());
  EXPECT_EQ(server.negotiated().client_signature_scheme, GetParam());
}

// A changed signature under these schemes is decrypt_error, as under the
// others: the signature is checked, not just parsed.
TEST_P(EcdsaHashes, ChangedSignatureIsDecryptError) {
  ClientConfig cc = client_config(false);
  cc.signature_schemes = {GetParam()};
  Client client(cc);
  Server server(ec_server(false));
  Outcome outcome = run(client, server, flip_last_byte(false, HandshakeType::server_key_exchange));
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

INSTANTIATE_TEST_SUITE_P(Sha512AndSha224, EcdsaHashes,
                         ::testing::Values(SignatureScheme::ecdsa_secp521r1_sha512, SignatureScheme::ecdsa_sha224));

// --- one server, an RSA and a P-256 chain

ServerConfig dual_server() {
  ServerConfig config = server_config(false);  // RSA first
  config.additional_certificates = {test::ec_pki().server};
  return config;
}

bool served_ecdsa(const Client& client) {
  return std::holds_alternative<x509::EcPublicKey>(*client.negotiated().peer.leaf_key);
}

TEST(EcdsaHandshake, DualChainServerPicksByTheClientsSuites) {
  ClientConfig only_ecdsa = client_config(false);
  only_ecdsa.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  ClientConfig only_rsa = client_config(false);
  only_rsa.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  for (auto [cc, ecdsa] : {std::pair{only_ecdsa, true}, std::pair{only_rsa, false}}) {
    Client client(cc);
    Server server(dual_server());
    ASSERT_TRUE(run(client, server).completed);
    EXPECT_EQ(served_ecdsa(client), ecdsa);
  }
}

TEST(EcdsaHandshake, DualChainServerPicksByTheClientsSignatureAlgorithms) {
  // Both kinds of suite offered, ECDSA first (our default order), but no
  // ECDSA scheme: only the RSA chain can sign.
  ClientConfig cc = client_config(false);
  cc.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::rsa_pkcs1_sha256};
  Client client(cc);
  Server server(dual_server());
  ASSERT_TRUE(run(client, server).completed);
  EXPECT_FALSE(served_ecdsa(client));
  // With the ECDSA scheme the server's preference (ECDSA suites first) wins.
  Client default_client(client_config(false));
  Server server2(dual_server());
  ASSERT_TRUE(run(default_client, server2).completed);
  EXPECT_TRUE(served_ecdsa(default_client));
}

TEST(EcdsaHandshake, EcdsaSuiteWithAnRsaOnlyServerIsHandshakeFailure) {
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  Client client(cc);
  Server server(server_config(false));
  Outcome outcome = run(client, server);
  EXPECT_EQ(outcome.server_alert, AlertDescription::handshake_failure) << outcome.message;
}

}  // namespace
}  // namespace tls12::handshake
