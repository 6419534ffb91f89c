// ECDHE over secp256r1 (RFC 8422, NIST P-256) against OpenSSL's command-line
// peers over 127.0.0.1, OpenSSL held to that one curve (`-groups P-256` on
// s_server, `-curves prime256v1` on s_client), so a handshake that completes
// can only have used our P-256: ECDHE_RSA with and without a client
// certificate in both directions, and a session resumed by its ID. What
// OpenSSL reports ("Server Temp Key: ECDH, prime256v1") is checked beside our
// own side's view.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handshake/cipher_suites.h"
#include "handshake/client_session_store.h"
#include "tests/interop/interop_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
using handshake::NamedGroup;
using test::Child;
using test::Fd;
using test::OpensslClient;
using test::OpensslServer;
using test::openssl_name;
using test::pki_file;
using test::read_line;
namespace suites = handshake::suites;

using Param = std::tuple<CipherSuite, bool>;
class P256Interop : public ::testing::TestWithParam<Param> {};

TEST_P(P256Interop, OurClientAgainstOpensslServerOnP256Only) {
  auto [suite, client_cert] = GetParam();
  std::vector<std::string> args = {"-groups", "P-256", "-cipher", openssl_name(suite),
                                   "-cert", pki_file("server.pem"), "-key", pki_file("server.key")};
  if (client_cert) args.insert(args.end(), {"-Verify", "1", "-CAfile", pki_file("ca.pem")});
  OpensslServer server(args);

  ClientConfig config = test::test_client_config();  // groups: x25519, secp256r1
  config.cipher_suites = {suite};
  if (client_cert) config.client_certificate = test::test_pki().client2048;
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().negotiated().client_certificate_requested, client_cert);
  tls.write(as_bytes("hello p256\n"));
  EXPECT_EQ(read_line(tls), "652p olleh\n") << server.child->output();
  tls.close();
  server.child->wait(5);
}

TEST_P(P256Interop, OpensslClientOnP256OnlyAgainstOurServer) {
  auto [suite, client_cert] = GetParam();
  std::vector<std::string> args = {"-curves", "prime256v1", "-cipher", openssl_name(suite),
                                   "-verify_hostname", "localhost", "-servername", "localhost"};
  if (client_cert) args.insert(args.end(), {"-cert", pki_file("client2048.pem"), "-key", pki_file("client2048.key")});
  OpensslClient client(args, false);
  Fd fd(client.accept_connection());

  ServerConfig config = test::test_server_config();  // groups: x25519 first, then secp256r1
  config.cipher_suites = {suite};
  if (client_cert) config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
  EXPECT_EQ(tls.connection().peer_verified(), client_cert);
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.child->wait(10), 0) << client.child->output();
  const std::string out = client.child->output();
  EXPECT_NE(out.find("Server Temp Key: ECDH, prime256v1, 256 bits"), std::string::npos) << out;
  EXPECT_NE(out.find("Verify return code: 0 (ok)"), std::string::npos) << out;
  EXPECT_NE(out.find("pong"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(EcdheRsa, P256Interop,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256),
                                            ::testing::Bool()),
                         test::suite_param_name);

TEST(P256InteropResumption, OurClientResumesWithOpensslServerOnP256) {
  // Two connections to one s_server (session cache, no tickets): the second
  // is the abbreviated handshake of the session made over P-256.
  const uint16_t port = test::free_port();
  auto dir = test::make_temp_dir("tls12-p256-interop");
  Child server({"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "2", "-tls1_2", "-rev",
                "-quiet", "-groups", "P-256", "-no_ticket", "-cert", pki_file("server.pem"), "-key",
                pki_file("server.key")},
               (dir / "s_server.log").string());
  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  config.server_port = port;
  config.session_store = std::make_shared<handshake::ClientSessionStore>();
  config.session_tickets = false;
  for (bool second : {false, true}) {
    Fd fd(test::connect_with_retry(port, 10));
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << server.output();
    EXPECT_EQ(tls.connection().negotiated().resumed, second);
    if (!second) {
      EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
    }
    tls.write(as_bytes("abc\n"));
    EXPECT_EQ(read_line(tls), "cba\n") << server.output();
    tls.close();
  }
  EXPECT_EQ(server.wait(5), 0) << server.output();
}

TEST(P256InteropResumption, OpensslClientResumesWithOurServerOnP256) {
  auto dir = test::make_temp_dir("tls12-p256-interop");
  const std::string session_file = (dir / "session.pem").string();
  ServerConfig server_config = test::test_server_config();
  server_config.session_cache = std::make_shared<handshake::SessionCache>();
  auto config = std::make_shared<const ServerConfig>(std::move(server_config));
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  for (bool second : {false, true}) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                     "-tls1_2", "-CAfile", pki_file("ca.pem"), "-verify_return_error",
                                     "-curves", "prime256v1", "-no_ticket", "-servername", "localhost",
                                     second ? "-sess_in" : "-sess_out", session_file};
    Child client(argv, (dir / (second ? "second.log" : "first.log")).string());
    client.write_stdin("ping\n");
    pollfd p{listener.get(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 10000), 1) << client.output();
    Fd fd(accept(listener.get(), nullptr, nullptr));
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << client.output();
    EXPECT_EQ(tls.connection().negotiated().resumed, second);
    EXPECT_EQ(read_line(tls), "ping\n");
    tls.write(as_bytes("pong\n"));
    tls.close();
    shutdown(fd.get(), SHUT_WR);
    EXPECT_EQ(client.wait(10), 0) << client.output();
    const std::string out = client.output();
    EXPECT_NE(out.find(second ? "Reused, TLSv1.2" : "New, TLSv1.2"), std::string::npos) << out;
    if (!second) {
      EXPECT_NE(out.find("Server Temp Key: ECDH, prime256v1, 256 bits"), std::string::npos) << out;
    }
  }
}

}  // namespace
}  // namespace tls12::protocol
