// keyUsage against the handshake's use of a key (handshake/key_usage.h; RFC
// 5280 §4.2.1.3, RFC 5246 §7.4.2), on both sides:
//   - a server does not pick a suite its certificate's keyUsage forbids
//     (keyEncipherment only: no ECDHE; digitalSignature only: no RSA key
//     transport), and says handshake_failure when nothing is left;
//   - a client refuses a server certificate unfit for the negotiated suite
//     with unsupported_certificate (a server swapping in such a certificate);
//   - a server refuses a client certificate that may not sign CertificateVerify
//     with unsupported_certificate.
#include <gtest/gtest.h>

#include "handshake/key_usage.h"
#include "tests/handshake/state_machine_support.h"
#include "tests/protocol/handshake_test_support.h"
#include "x509/certificate.h"

namespace tls12::protocol {
namespace {

using handshake::CertifiedKey;
using handshake::CipherSuite;
using record::AlertDescription;
namespace suites = handshake::suites;

constexpr CipherSuite ecdhe_rsa = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
constexpr CipherSuite rsa = suites::TLS_RSA_WITH_AES_128_GCM_SHA256;

std::string key_usage_file(const std::string& name) {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::path(TLS12_BINARY_DIR) / "test-pki-key-usage";
    const std::string pki = test::handshake_pki_dir().string();
    if (!std::filesystem::exists(d / "done")) {
      std::string script = std::string(TLS12_SOURCE_DIR) + "/tests/protocol/make_key_usage_pki.sh";
      test::CommandResult r = test::run_command("flock '" + d.string() + ".lock' sh -c 'test -f \"" +
                                                (d / "done").string() + "\" || sh \"" + script + "\" \"" + d.string() +
                                                "\" \"" + pki + "\"'");
      if (r.exit_code != 0) throw std::runtime_error("making the keyUsage PKI failed: " + r.output);
    }
    return d;
  }();
  return (dir / name).string();
}

CertifiedKey server_with(const std::string& leaf) {
  return CertifiedKey::load(key_usage_file(leaf), test::pki_file("server.key"));
}

TEST(KeyUsage, BitsAreReadFromTheLeaf) {
  const auto ke = handshake::leaf_key_usage(server_with("server-ke.pem").certificate_chain.front());
  ASSERT_TRUE(ke.has_value());
  EXPECT_TRUE(handshake::key_usage_allows(ke, handshake::KeyUse::key_transport));
  EXPECT_FALSE(handshake::key_usage_allows(ke, handshake::KeyUse::signing));
  const auto ds = handshake::leaf_key_usage(server_with("server-ds.pem").certificate_chain.front());
  EXPECT_FALSE(handshake::key_usage_allows(ds, handshake::KeyUse::key_transport));
  EXPECT_TRUE(handshake::key_usage_allows(ds, handshake::KeyUse::signing));
  EXPECT_TRUE(handshake::key_usage_allows(std::nullopt, handshake::KeyUse::signing));  // no extension: any use
}

// Runs a Connection handshake offering `offered`; returns the server.
struct Run {
  Connection client;
  Connection server;
};

std::unique_ptr<Run> handshake_with(const CertifiedKey& server_certificate, std::vector<CipherSuite> offered) {
  ClientConfig cc = test::test_client_config();
  cc.cipher_suites = std::move(offered);
  ServerConfig sc = test::test_server_config();
  sc.certificate = server_certificate;
  auto run = std::make_unique<Run>(Run{Connection(cc), Connection(sc)});
  test::pump(run->client, run->server);
  return run;
}

TEST(KeyUsage, ServerWithKeyEnciphermentOnlyPicksRsaKeyTransportOrRefuses) {
  const CertifiedKey ke = server_with("server-ke.pem");
  auto both = handshake_with(ke, {ecdhe_rsa, rsa});
  ASSERT_TRUE(both->client.handshake_complete()) << both->client.error();
  EXPECT_EQ(both->server.cipher_suite()->id, rsa);
  auto ecdhe_only = handshake_with(ke, {ecdhe_rsa});
  test::expect_alert(ecdhe_only->server, ecdhe_only->client, AlertDescription::handshake_failure);
  EXPECT_NE(ecdhe_only->server.alert_sent()->reason.find("keyUsage"), std::string::npos)
      << ecdhe_only->server.alert_sent()->reason;
}

TEST(KeyUsage, ServerWithDigitalSignatureOnlyPicksEcdheOrRefuses) {
  const CertifiedKey ds = server_with("server-ds.pem");
  auto both = handshake_with(ds, {rsa, ecdhe_rsa});
  ASSERT_TRUE(both->client.handshake_complete()) << both->client.error();
  EXPECT_EQ(both->server.cipher_suite()->id, ecdhe_rsa);
  auto rsa_only = handshake_with(ds, {rsa});
  test::expect_alert(rsa_only->server, rsa_only->client, AlertDescription::handshake_failure);
}

// A server that sends a certificate unfit for the suite it chose (here: the
// test swaps it in; the key is the same, so only keyUsage is wrong).
AlertDescription client_alert_for_swapped_certificate(CipherSuite suite, const std::string& leaf) {
  using namespace handshake::test_support;
  handshake::ClientConfig cc = test::test_client_config();
  cc.cipher_suites = {suite};
  handshake::Client client(cc);
  handshake::Server server(static_cast<handshake::ServerConfig>(test::test_server_config()));
  const Bytes swapped = server_with(leaf).certificate_chain.front();
  Outcome outcome = run(client, server, [&](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != handshake::HandshakeType::certificate) return;
    msg.bytes = handshake::Certificate{{swapped}}.encode();
  });
  EXPECT_FALSE(outcome.server_alert.has_value());
  EXPECT_NE(outcome.message.find("keyUsage"), std::string::npos) << outcome.message;
  return outcome.client_alert.value_or(AlertDescription::close_notify);
}

TEST(KeyUsage, ClientRefusesAServerCertificateUnfitForTheSuite) {
  EXPECT_EQ(client_alert_for_swapped_certificate(ecdhe_rsa, "server-ke.pem"), AlertDescription::unsupported_certificate);
  EXPECT_EQ(client_alert_for_swapped_certificate(rsa, "server-ds.pem"), AlertDescription::unsupported_certificate);
}

TEST(KeyUsage, ServerRefusesAClientCertificateThatMayNotSign) {
  ClientConfig cc = test::test_client_config();
  cc.client_certificate = CertifiedKey::load(key_usage_file("client-ka.pem"), test::pki_file("client2048.key"));
  ServerConfig sc = test::test_server_config();
  sc.client_authentication = ClientAuthentication::required;
  Connection client(cc);
  Connection server(sc);
  test::pump(client, server);
  test::expect_alert(server, client, AlertDescription::unsupported_certificate);
  EXPECT_NE(server.alert_sent()->reason.find("digitalSignature"), std::string::npos) << server.alert_sent()->reason;
}

}  // namespace
}  // namespace tls12::protocol
