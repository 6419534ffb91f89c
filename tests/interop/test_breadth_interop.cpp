// Interop of the handshake breadth features with OpenSSL's command-line peers
// over 127.0.0.1: the DHE and ECDHE_ECDSA (Ed25519 certificate, made with
// `openssl genpkey -algorithm ed25519`) suites, each with and without a client
// certificate, in both directions; ALPN with `-alpn`; SNI with `-servername`
// (and `-servername_fatal`, `-cert2`) on both sides.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handshake/cipher_suites.h"
#include "tests/handshake/breadth_test_support.h"
#include "tests/interop/interop_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
using record::AlertDescription;
using test::breadth_file;
using test::Child;
using test::Fd;
using test::OpensslClient;
using test::OpensslServer;
using test::is_ed25519;
using test::openssl_name;
using test::pki_file;
using test::read_line;
namespace suites = handshake::suites;

// ------------------------------------------------------------ each new suite

using Param = std::tuple<CipherSuite, bool>;
class BreadthInterop : public ::testing::TestWithParam<Param> {};

TEST_P(BreadthInterop, OurClientAgainstOpensslServer) {
  auto [suite, client_cert] = GetParam();
  const bool ed = is_ed25519(suite);
  std::vector<std::string> args = {"-cipher", openssl_name(suite), "-cert",
                                   ed ? breadth_file("ed-server.pem") : pki_file("server.pem"), "-key",
                                   ed ? breadth_file("ed-server.key") : pki_file("server.key")};
  if (client_cert)
    for (const std::string& a : {std::string("-Verify"), std::string("1"), std::string("-CAfile"), pki_file("ca.pem")})
      args.push_back(a);
  OpensslServer server(args);

  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suite};
  if (client_cert) config.client_certificate = ed ? test::breadth_pki().ed_client : test::test_pki().client2048;
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().negotiated().client_certificate_requested, client_cert);
  // OpenSSL 3.0 ignores RFC 7919 in TLS 1.2 and sends a 2048-bit prime of its
  // own (not an ffdhe group): the client accepts it through the generic
  // checks (odd, at least 2048 bits, 1 < g < p-1, 1 < Ys < p-1).
  if (ed) {
    EXPECT_EQ(tls.connection().negotiated().server_signature_scheme, handshake::SignatureScheme::ed25519);
  }

  tls.write(as_bytes("hello openssl\n"));
  EXPECT_EQ(read_line(tls), "lssnepo olleh\n") << server.child->output();
  tls.close();
  server.child->wait(5);
}

TEST_P(BreadthInterop, OpensslClientAgainstOurServer) {
  auto [suite, client_cert] = GetParam();
  const bool ed = is_ed25519(suite);
  std::vector<std::string> args = {"-cipher", openssl_name(suite), "-verify_hostname", "localhost",
                                   "-servername", "localhost"};
  if (client_cert)
    for (const std::string& a : {std::string("-cert"), ed ? breadth_file("ed-client.pem") : pki_file("client2048.pem"),
                                 std::string("-key"), ed ? breadth_file("ed-client.key") : pki_file("client2048.key")})
      args.push_back(a);
  OpensslClient client(args);
  Fd fd(client.accept_connection());

  ServerConfig config = test::test_server_config();
  config.cipher_suites = {suite};
  if (ed) config.certificate = test::breadth_pki().ed_server;
  if (client_cert) config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().peer_verified(), client_cert);
  if (client_cert) {
    EXPECT_EQ(tls.connection().negotiated().client_signature_scheme == handshake::SignatureScheme::ed25519, ed);
  }
  // s_client lists no ffdhe group, so our server uses ffdhe2048 (RFC 7919 §4).
  if (!ed) {
    EXPECT_EQ(tls.connection().group(), handshake::NamedGroup::ffdhe2048);
  }

  EXPECT_EQ(read_line(tls), "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.child->wait(10), 0) << client.child->output();
  EXPECT_NE(client.child->output().find("pong"), std::string::npos) << client.child->output();
}

INSTANTIATE_TEST_SUITE_P(NewSuites, BreadthInterop,
                         ::testing::Combine(::testing::Values(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
                                            ::testing::Bool()),
                         test::suite_param_name);

// ------------------------------------------------------------------------ ALPN

TEST(AlpnInterop, OurClientGetsOpensslServersChoice) {
  OpensslServer server({"-cert", pki_file("server.pem"), "-key", pki_file("server.key"), "-alpn", "http/1.1"});
  ClientConfig config = test::test_client_config();
  config.alpn_protocols = {"h2", "http/1.1"};
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_EQ(tls.connection().negotiated().alpn_protocol, "http/1.1");
  tls.close();
  server.child->wait(5);
}

TEST(AlpnInterop, OurServerChoosesByItsPreferenceForOpensslClient) {
  OpensslClient client({"-servername", "localhost", "-alpn", "http/1.1,h2"}, false);
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.alpn_protocols = {"h2", "http/1.1"};
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_EQ(tls.connection().negotiated().alpn_protocol, "h2");
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  client.child->wait(10);
  EXPECT_NE(client.child->output().find("ALPN protocol: h2"), std::string::npos) << client.child->output();
}

TEST(AlpnInterop, NoOverlapWithOpensslClientIsNoApplicationProtocol) {
  OpensslClient client({"-servername", "localhost", "-alpn", "spdy/3"});
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.alpn_protocols = {"h2"};
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  ASSERT_TRUE(tls.connection().alert_sent().has_value());
  EXPECT_EQ(tls.connection().alert_sent()->description, AlertDescription::no_application_protocol);
  EXPECT_NE(client.child->wait(10), 0);
  EXPECT_NE(client.child->output().find("no application protocol"), std::string::npos) << client.child->output();
}

// ------------------------------------------------------------------------- SNI

TEST(SniInterop, OpensslClientGetsTheChainForItsName) {
  for (const char* name : {"alpha.example", "www.beta.example", "gamma.example", "localhost"}) {
    OpensslClient client({"-servername", name, "-verify_hostname", name});
    Fd fd(client.accept_connection());
    ServerConfig config = test::test_server_config();
    config.additional_certificates = {test::breadth_pki().sni_alpha, test::breadth_pki().sni_beta,
                                      test::breadth_pki().sni_gamma};
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << name << ": " << client.child->output();
    EXPECT_EQ(tls.connection().negotiated().server_name, name);
    EXPECT_EQ(read_line(tls), "ping\n");
    tls.close();
    shutdown(fd.get(), SHUT_WR);
    // s_client verified the chain against the name (-verify_return_error).
    EXPECT_EQ(client.child->wait(10), 0) << name << ": " << client.child->output();
  }
}

TEST(SniInterop, OurClientSendsItsNameToOpensslServer) {
  // -servername with -cert2: OpenSSL serves the second chain to a client
  // naming alpha.example; our client must send that name and verify it.
  OpensslServer server({"-cert", pki_file("server.pem"), "-key", pki_file("server.key"), "-servername",
                        "alpha.example", "-cert2", breadth_file("sni-alpha.pem"), "-key2", breadth_file("sni.key")});
  ClientConfig config = test::test_client_config();
  config.server_name = "alpha.example";
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().peer_certificate_chain(), test::breadth_pki().sni_alpha.certificate_chain);
  tls.close();
  server.child->wait(5);
}

TEST(SniInterop, OpensslServerWithServernameFatalRefusesAnotherName) {
  OpensslServer server({"-cert", pki_file("server.pem"), "-key", pki_file("server.key"), "-servername",
                        "alpha.example", "-cert2", breadth_file("sni-alpha.pem"), "-key2", breadth_file("sni.key"),
                        "-servername_fatal"});
  ClientConfig config = test::test_client_config();  // server_name "localhost"
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  ASSERT_TRUE(tls.connection().alert_received().has_value()) << server.child->output();
  EXPECT_EQ(tls.connection().alert_received()->description, AlertDescription::unrecognized_name);
  server.child->wait(5);
}

}  // namespace
}  // namespace tls12::protocol
