// Handshake breadth, end to end through two in-memory Connections: the DHE
// suites (RFC 5246 §8.1.2, RFC 7919) and the ECDHE_ECDSA suites with Ed25519
// certificates (RFC 8422), each with server-only and mutual authentication;
// a server holding RSA and Ed25519 certificates; SNI choosing among several
// chains (RFC 6066 §3); ALPN (RFC 7301).
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "handshake/cipher_suites.h"
#include "handshake/dhe.h"
#include "handshake/signing.h"
#include "tests/handshake/breadth_test_support.h"

namespace tls12::handshake {
namespace {

using protocol::Connection;
using record::AlertDescription;
using test::breadth_pki;
using test::pump;
using test::test_pki;

protocol::ClientConfig client_for(CipherSuite suite) {
  protocol::ClientConfig config = test::test_client_config();
  config.cipher_suites = {suite};
  return config;
}

protocol::ServerConfig server_for(CipherSuite suite) {
  protocol::ServerConfig config = test::test_server_config();
  config.cipher_suites = {suite};
  if (find_cipher_suite(suite)->authentication == Authentication::ecdsa) config.certificate = breadth_pki().ed_server;
  return config;
}

// Application data both ways: the keys the handshake derived really work.
void expect_data_flows(Connection& client, Connection& server) {
  client.write(as_bytes("ping"));
  server.write(as_bytes("pong"));
  pump(client, server);
  EXPECT_EQ(server.read_all(), Bytes(as_bytes("ping").begin(), as_bytes("ping").end()));
  EXPECT_EQ(client.read_all(), Bytes(as_bytes("pong").begin(), as_bytes("pong").end()));
}

void expect_alert(const Connection& failing, const Connection& peer, AlertDescription alert) {
  ASSERT_TRUE(failing.alert_sent().has_value()) << "no alert sent; peer: " << peer.error();
  EXPECT_EQ(failing.alert_sent()->description, alert)
      << record::alert_name(failing.alert_sent()->description) << ": " << failing.alert_sent()->reason;
  EXPECT_EQ(failing.alert_sent()->level, record::AlertLevel::fatal);
  ASSERT_TRUE(peer.alert_received().has_value());
  EXPECT_EQ(peer.alert_received()->description, alert);
  EXPECT_FALSE(peer.handshake_complete());
}

// ------------------------------------------------------- each new suite x auth

using SuiteParam = std::tuple<CipherSuite, bool>;
class NewSuites : public ::testing::TestWithParam<SuiteParam> {};

TEST_P(NewSuites, HandshakeCompletesAndCarriesData) {
  auto [suite, mutual] = GetParam();
  const CipherSuiteInfo& info = *find_cipher_suite(suite);
  const bool ed25519 = info.authentication == Authentication::ecdsa;
  protocol::ClientConfig cc = client_for(suite);
  protocol::ServerConfig sc = server_for(suite);
  if (mutual) {
    // The client certificate's key type follows the server's, so both
    // CertificateVerify kinds run.
    cc.client_certificate = ed25519 ? breadth_pki().ed_client : test_pki().client2048;
    sc.client_authentication = ClientAuthentication::required;
  }
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << server.error();
  ASSERT_TRUE(server.handshake_complete());
  EXPECT_EQ(client.cipher_suite()->id, suite);
  EXPECT_EQ(server.cipher_suite()->id, suite);
  EXPECT_TRUE(client.peer_verified());
  const NamedGroup group = info.key_exchange == KeyExchange::dhe ? NamedGroup::ffdhe2048 : NamedGroup::x25519;
  EXPECT_EQ(client.group(), group);
  EXPECT_EQ(server.group(), group);
  const auto& negotiated = client.negotiated();
  ASSERT_TRUE(negotiated.server_signature_scheme.has_value());
  if (ed25519)
    EXPECT_EQ(*negotiated.server_signature_scheme, SignatureScheme::ed25519);
  else
    EXPECT_TRUE(is_rsa_scheme(*negotiated.server_signature_scheme));
  EXPECT_EQ(server.negotiated().client_authenticated, mutual);
  EXPECT_EQ(server.peer_verified(), mutual);
  if (mutual) {
    ASSERT_TRUE(server.negotiated().client_signature_scheme.has_value());
    EXPECT_EQ(*server.negotiated().client_signature_scheme == SignatureScheme::ed25519, ed25519);
  }
  expect_data_flows(client, server);
}

INSTANTIATE_TEST_SUITE_P(
    Breadth, NewSuites,
    ::testing::Combine(::testing::Values(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
                                         suites::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                         suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                         suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
                       ::testing::Bool()),
    [](const auto& info) {
      return std::string(find_cipher_suite(std::get<0>(info.param))->name) +
             (std::get<1>(info.param) ? "_mutual" : "_server_only");
    });

// ------------------------------------------------------------------ DHE groups

TEST(Dhe, ServerUsesTheFfdheGroupTheClientLists) {
  protocol::ClientConfig cc = client_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  cc.groups = {NamedGroup::ffdhe3072};
  protocol::ServerConfig sc = server_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  sc.groups = {NamedGroup::x25519, NamedGroup::ffdhe2048, NamedGroup::ffdhe3072};
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << server.error();
  EXPECT_EQ(client.group(), NamedGroup::ffdhe3072);
  EXPECT_EQ(server.group(), NamedGroup::ffdhe3072);
  expect_data_flows(client, server);
}

TEST(Dhe, ClientListingOnlyUnknownFfdheGroupsGetsHandshakeFailure) {
  protocol::ClientConfig cc = client_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  cc.groups = {NamedGroup::ffdhe4096};
  Connection client(cc);
  Connection server(server_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256));
  pump(client, server);
  expect_alert(server, client, AlertDescription::handshake_failure);
}

// A client that names no ffdhe group gets the server's configured one, not a
// built-in default.
TEST(Dhe, ClientNamingNoFfdheGroupGetsTheServersFirstGroup) {
  protocol::ClientConfig cc = client_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  cc.groups = {NamedGroup::x25519};
  protocol::ServerConfig sc = server_for(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  sc.groups = {NamedGroup::ffdhe3072, NamedGroup::ffdhe2048};
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << server.error();
  EXPECT_EQ(server.group(), NamedGroup::ffdhe3072);
  EXPECT_EQ(client.group(), NamedGroup::ffdhe3072);
}

TEST(Dhe, GroupChoiceFollowsRfc7919) {
  const std::vector<NamedGroup> server_groups = {NamedGroup::ffdhe3072, NamedGroup::ffdhe2048};
  using Groups = std::optional<std::vector<NamedGroup>>;
  // No supported_groups, or only curves: the server's first configured group;
  // ffdhe2048 for a server that configured none.
  EXPECT_EQ(choose_dhe_group(server_groups, Groups{}), NamedGroup::ffdhe3072);
  EXPECT_EQ(choose_dhe_group(server_groups, Groups{{NamedGroup::x25519}}), NamedGroup::ffdhe3072);
  EXPECT_EQ(choose_dhe_group(std::vector<NamedGroup>{NamedGroup::x25519}, Groups{}), NamedGroup::ffdhe2048);
  // The server's preference among those the client lists.
  EXPECT_EQ(choose_dhe_group(server_groups, Groups{{NamedGroup::ffdhe2048, NamedGroup::ffdhe3072}}),
            NamedGroup::ffdhe3072);
  EXPECT_EQ(choose_dhe_group(std::vector<NamedGroup>{NamedGroup::x25519}, Groups{{NamedGroup::ffdhe3072}}),
            std::nullopt);
  EXPECT_EQ(choose_dhe_group(server_groups, Groups{{NamedGroup::ffdhe4096}}), std::nullopt);
}

// --------------------------------------------------- RSA and Ed25519 together

protocol::ServerConfig dual_server() {
  protocol::ServerConfig sc = test::test_server_config();
  sc.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  sc.additional_certificates = {breadth_pki().ed_server};
  return sc;
}

struct DualCase {
  std::vector<CipherSuite> client_suites;
  std::vector<SignatureScheme> client_schemes;
  bool expect_ed25519;
};

class DualCertificates : public ::testing::TestWithParam<DualCase> {};

TEST_P(DualCertificates, ServerPicksTheCertificateTheClientCanUse) {
  const DualCase& c = GetParam();
  protocol::ClientConfig cc = test::test_client_config();
  cc.cipher_suites = c.client_suites;
  cc.signature_schemes = c.client_schemes;
  Connection client(cc);
  Connection server(dual_server());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << server.error();
  const auto& expected = c.expect_ed25519 ? breadth_pki().ed_server : test_pki().server2048;
  EXPECT_EQ(client.peer_certificate_chain(), expected.certificate_chain);
  EXPECT_EQ(client.negotiated().server_signature_scheme == SignatureScheme::ed25519, c.expect_ed25519);
}

INSTANTIATE_TEST_SUITE_P(
    Breadth, DualCertificates,
    ::testing::Values(
        // Only an ECDSA suite: the Ed25519 certificate.
        DualCase{{suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, default_signature_schemes(), true},
        // Only an RSA suite: the RSA certificate.
        DualCase{{suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}, default_signature_schemes(), false},
        // Both suites, but only Ed25519 signatures accepted.
        DualCase{{suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
                 {SignatureScheme::ed25519},
                 true},
        // Both suites, only RSA signatures accepted.
        DualCase{{suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
                 {SignatureScheme::rsa_pss_rsae_sha256},
                 false}));

TEST(DualCertificatesNegative, ClientAcceptingNeitherKeyGetsHandshakeFailure) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  cc.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256};
  Connection client(cc);
  Connection server(dual_server());
  pump(client, server);
  expect_alert(server, client, AlertDescription::handshake_failure);
}

TEST(DualCertificatesNegative, RsaCertificateForAnEcdsaSuiteIsUnsupportedCertificate) {
  // A server configured with an RSA chain only, lying about it, is caught by
  // the client: an ECDSA suite needs an Ed25519 (or ECDSA) key.
  protocol::ServerConfig sc = test::test_server_config();
  sc.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  sc.certificate = breadth_pki().ed_server;
  sc.certificate.certificate_chain = test_pki().server2048.certificate_chain;  // wrong leaf for the key
  protocol::ClientConfig cc = client_for(suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(client, server, AlertDescription::unsupported_certificate);
}

// ------------------------------------------------------------------------- SNI

protocol::ServerConfig sni_server() {
  protocol::ServerConfig sc = test::test_server_config();  // default: localhost
  sc.additional_certificates = {breadth_pki().sni_alpha, breadth_pki().sni_beta, breadth_pki().sni_gamma};
  return sc;
}

struct SniCase {
  std::string name;
  const handshake::CertifiedKey* expected;
};

class Sni : public ::testing::TestWithParam<int> {};

TEST_P(Sni, ServerChoosesTheChainForTheRequestedName) {
  const std::vector<SniCase> cases = {
      {"alpha.example", &breadth_pki().sni_alpha},   {"www.beta.example", &breadth_pki().sni_beta},
      {"gamma.example", &breadth_pki().sni_gamma},   {"GAMMA.example", &breadth_pki().sni_gamma},
      {"localhost", &test_pki().server2048},
  };
  const SniCase& c = cases.at(static_cast<size_t>(GetParam()));
  protocol::ClientConfig cc = test::test_client_config();
  cc.server_name = c.name;
  Connection client(cc);
  Connection server(sni_server());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << c.name << ": " << client.error() << server.error();
  EXPECT_TRUE(client.peer_verified()) << "the client checks the chain against the name it sent";
  EXPECT_EQ(client.peer_certificate_chain(), c.expected->certificate_chain) << c.name;
  EXPECT_EQ(server.negotiated().server_name, c.name);
}

INSTANTIATE_TEST_SUITE_P(Breadth, Sni, ::testing::Range(0, 5));

TEST(SniNegative, UnknownNameGetsTheDefaultChainWhichTheClientRefuses) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.server_name = "delta.example";
  Connection client(cc);
  Connection server(sni_server());
  pump(client, server);
  // The default (localhost) does not name delta.example: RFC 6125 says no.
  expect_alert(client, server, AlertDescription::bad_certificate);
  EXPECT_EQ(server.negotiated().server_name, "delta.example");
}

TEST(SniNegative, UnknownNameWithStrictServerIsUnrecognizedName) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.server_name = "delta.example";
  protocol::ServerConfig sc = sni_server();
  sc.reject_unknown_server_name = true;
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::unrecognized_name);
}

TEST(SniNegative, WildcardDoesNotMatchTwoLabels) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.server_name = "a.b.beta.example";
  protocol::ServerConfig sc = sni_server();
  sc.reject_unknown_server_name = true;
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::unrecognized_name);
}

TEST(Sni, IpAddressIsNeverSentAsServerName) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.server_name = "127.0.0.1";
  Connection client(cc);
  Connection server(sni_server());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << server.error();
  EXPECT_EQ(server.negotiated().server_name, "");
  EXPECT_TRUE(client.peer_verified()) << "checked against the certificate's IP address entry";
  EXPECT_EQ(client.peer_certificate_chain(), test_pki().server2048.certificate_chain);
}

// ------------------------------------------------------------------------ ALPN

struct AlpnOutcome {
  std::string client, server;
  std::optional<AlertDescription> server_alert;
};

AlpnOutcome run_alpn(std::vector<std::string> client_protocols, std::vector<std::string> server_protocols,
                     bool required = false) {
  protocol::ClientConfig cc = test::test_client_config();
  cc.alpn_protocols = std::move(client_protocols);
  protocol::ServerConfig sc = test::test_server_config();
  sc.alpn_protocols = std::move(server_protocols);
  sc.alpn_required = required;
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  AlpnOutcome out;
  if (server.alert_sent()) {
    out.server_alert = server.alert_sent()->description;
    EXPECT_EQ(client.alert_received()->description, *out.server_alert);
    return out;
  }
  EXPECT_TRUE(client.handshake_complete()) << client.error();
  out.client = client.negotiated().alpn_protocol;
  out.server = server.negotiated().alpn_protocol;
  return out;
}

TEST(Alpn, ServerChoosesByItsOwnPreference) {
  AlpnOutcome out = run_alpn({"http/1.1", "h2"}, {"h2", "http/1.1"});
  EXPECT_EQ(out.client, "h2");
  EXPECT_EQ(out.server, "h2");
  out = run_alpn({"h2", "http/1.1"}, {"http/1.1", "h2"});
  EXPECT_EQ(out.client, "http/1.1");
  EXPECT_EQ(out.server, "http/1.1");
}

TEST(Alpn, SingleOverlapIsChosen) {
  AlpnOutcome out = run_alpn({"spdy/3", "acme-tls/1"}, {"h2", "acme-tls/1"});
  EXPECT_EQ(out.client, "acme-tls/1");
}

TEST(Alpn, NoOverlapIsNoApplicationProtocol) {
  EXPECT_EQ(run_alpn({"spdy/3"}, {"h2"}).server_alert, AlertDescription::no_application_protocol);
}

TEST(Alpn, ClientWithoutAlpnIsAcceptedUnlessRequired) {
  AlpnOutcome out = run_alpn({}, {"h2"});
  EXPECT_EQ(out.server_alert, std::nullopt);
  EXPECT_EQ(out.client, "");
  EXPECT_EQ(run_alpn({}, {"h2"}, true).server_alert, AlertDescription::no_application_protocol);
}

TEST(Alpn, ServerWithoutAlpnIgnoresTheClientsList) {
  AlpnOutcome out = run_alpn({"h2"}, {});
  EXPECT_EQ(out.server_alert, std::nullopt);
  EXPECT_EQ(out.client, "");
  EXPECT_EQ(out.server, "");
}

}  // namespace
}  // namespace tls12::handshake
