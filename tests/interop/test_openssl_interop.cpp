// Interop smoke tests against OpenSSL's command-line peers over 127.0.0.1:
// our client against `openssl s_server`, our server against `openssl
// s_client`, for each of the five suites, with and without a client
// certificate. Every child runs with a bounded timeout and is killed at the end.
//
// `s_server -rev` echoes each line reversed, so the client test checks real
// application data both ways; `s_server` would exit when its standard input
// closes, so it gets a pipe that stays open until we are done.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "handshake/cipher_suites.h"
#include "protocol/socket.h"
#include "tests/interop/interop_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
namespace suites = handshake::suites;
using test::Child;
using test::connect_with_retry;
using test::Fd;
using test::free_port;
using test::listen_on_free_port;
using test::openssl_name;
using test::read_line;
using test::short_timeout;

using Param = std::tuple<CipherSuite, bool>;
class Interop : public ::testing::TestWithParam<Param> {};

TEST_P(Interop, OurClientAgainstOpensslServer) {
  auto [suite, client_cert] = GetParam();
  auto dir = test::make_temp_dir("tls12-interop");
  uint16_t port = free_port();
  std::vector<std::string> argv = {"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "1",
                                   "-cert", test::pki_file("server.pem"), "-key", test::pki_file("server.key"),
                                   "-tls1_2", "-cipher", openssl_name(suite), "-rev", "-quiet"};
  if (client_cert) {
    for (const char* a : {"-Verify", "1", "-CAfile"}) argv.push_back(a);
    argv.push_back(test::pki_file("ca.pem"));
  }
  Child server(argv, (dir / "s_server.log").string());

  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suite};
  if (client_cert) config.client_certificate = test::test_pki().client2048;
  Fd fd(connect_with_retry(port, 10));
  SocketConnection tls(fd.get(), Connection(config), short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().negotiated().client_certificate_requested, client_cert);

  tls.write(as_bytes("hello openssl\n"));
  EXPECT_EQ(read_line(tls), "lssnepo olleh\n") << server.output();
  tls.close();
  server.wait(5);
}

TEST_P(Interop, OpensslClientAgainstOurServer) {
  auto [suite, client_cert] = GetParam();
  auto dir = test::make_temp_dir("tls12-interop");
  uint16_t port = 0;
  Fd listener(listen_on_free_port(port));
  std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                   "-tls1_2", "-cipher", openssl_name(suite), "-CAfile", test::pki_file("ca.pem"),
                                   "-verify_return_error", "-verify_hostname", "localhost",
                                   "-servername", "localhost", "-quiet"};
  if (client_cert) {
    for (const char* a : {"-cert"}) argv.push_back(a);
    argv.push_back(test::pki_file("client2048.pem"));
    argv.push_back("-key");
    argv.push_back(test::pki_file("client2048.key"));
  }
  Child client(argv, (dir / "s_client.log").string());
  client.write_stdin("ping\n");

  pollfd p{listener.get(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1) << "s_client never connected: " << client.output();
  Fd fd(accept(listener.get(), nullptr, nullptr));
  ServerConfig config = test::test_server_config();
  config.cipher_suites = {suite};
  if (client_cert) config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().negotiated().server_name, "localhost");
  EXPECT_EQ(tls.connection().peer_verified(), client_cert);
  EXPECT_TRUE(tls.connection().extended_master_secret());

  EXPECT_EQ(read_line(tls), "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  int code = client.wait(10);
  EXPECT_EQ(code, 0) << client.output();
  EXPECT_NE(client.output().find("pong"), std::string::npos) << client.output();
}

INSTANTIATE_TEST_SUITE_P(EverySuite, Interop,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                                              suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_RSA_WITH_AES_256_GCM_SHA384),
                                            ::testing::Bool()),
                         test::suite_param_name);

}  // namespace
}  // namespace tls12::protocol
