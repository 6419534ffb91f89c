// P-256 against OpenSSL's command-line peers over 127.0.0.1, OpenSSL held
// to that one curve (`-groups P-256` on s_server, `-curves prime256v1` on
// s_client), so a handshake that completes can only have used our P-256:
// ECDHE_RSA (RSA certificate) and ECDHE_ECDSA (P-256 certificate from
// tests/handshake/make_ec_pki.sh) in both directions, without a client
// certificate, with an RSA one and with a P-256 one, and a session resumed
// by its ID; the ECDHE_ECDSA AES-CBC suites (RFC 8422, RFC 5289) the same way,
// with Encrypt-then-MAC (RFC 7366) and with OpenSSL's -no_etm, resumed, and
// offered by our default client;
// a P-384 client certificate from OpenSSL verified; no curve in common
// refused with handshake_failure both ways. What OpenSSL reports ("Server
// Temp Key: ECDH, prime256v1", "Peer signature type: ECDSA") is checked
// beside our own side's view.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handshake/cipher_suites.h"
#include "handshake/client_session_store.h"
#include "tests/handshake/breadth_test_support.h"
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

enum class ClientCert { none, rsa, ecdsa };
// (suite, client certificate, OpenSSL with -no_etm: CBC suites only).
using Param = std::tuple<CipherSuite, ClientCert, bool>;

bool ecdsa_suite(CipherSuite suite) {
  return handshake::find_cipher_suite(suite)->authentication == handshake::Authentication::ecdsa;
}
// Both sides must agree on EtM for a CBC suite unless OpenSSL refuses it.
bool expects_etm(CipherSuite suite, bool no_etm) { return handshake::find_cipher_suite(suite)->is_cbc() && !no_etm; }
std::string server_cert(CipherSuite s) { return ecdsa_suite(s) ? test::ec_file("ec-server.pem") : pki_file("server.pem"); }
std::string server_key(CipherSuite s) { return ecdsa_suite(s) ? test::ec_file("ec-server.key") : pki_file("server.key"); }

class P256Interop : public ::testing::TestWithParam<Param> {};

TEST_P(P256Interop, OurClientAgainstOpensslServerOnP256Only) {
  auto [suite, client_cert, no_etm] = GetParam();
  std::vector<std::string> args = {"-groups", "P-256", "-cipher", openssl_name(suite),
                                   "-cert", server_cert(suite), "-key", server_key(suite)};
  if (no_etm) args.push_back("-no_etm");
  if (client_cert != ClientCert::none) args.insert(args.end(), {"-Verify", "1", "-CAfile", pki_file("ca.pem")});
  OpensslServer server(args);

  ClientConfig config = test::test_client_config();  // groups: x25519, secp256r1
  config.cipher_suites = {suite};
  if (client_cert == ClientCert::rsa) config.client_certificate = test::test_pki().client2048;
  if (client_cert == ClientCert::ecdsa) config.client_certificate = test::ec_pki().client;
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().negotiated().encrypt_then_mac, expects_etm(suite, no_etm));
  EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().negotiated().client_certificate_requested, client_cert != ClientCert::none);
  if (ecdsa_suite(suite)) {
    EXPECT_EQ(tls.connection().negotiated().server_signature_scheme, handshake::SignatureScheme::ecdsa_secp256r1_sha256);
  }
  if (client_cert == ClientCert::ecdsa) {
    EXPECT_EQ(tls.connection().negotiated().client_signature_scheme, handshake::SignatureScheme::ecdsa_secp256r1_sha256);
  }
  tls.write(as_bytes("hello p256\n"));
  EXPECT_EQ(read_line(tls), "652p olleh\n") << server.child->output();
  tls.close();
  server.child->wait(5);
}

TEST_P(P256Interop, OpensslClientOnP256OnlyAgainstOurServer) {
  auto [suite, client_cert, no_etm] = GetParam();
  std::vector<std::string> args = {"-curves", "prime256v1", "-cipher", openssl_name(suite),
                                   "-verify_hostname", "localhost", "-servername", "localhost"};
  if (no_etm) args.push_back("-no_etm");
  if (client_cert == ClientCert::rsa)
    args.insert(args.end(), {"-cert", pki_file("client2048.pem"), "-key", pki_file("client2048.key")});
  if (client_cert == ClientCert::ecdsa)
    args.insert(args.end(), {"-cert", test::ec_file("ec-client.pem"), "-key", test::ec_file("ec-client.key")});
  OpensslClient client(args, false);
  Fd fd(client.accept_connection());

  ServerConfig config = test::test_server_config();  // groups: x25519 first, then secp256r1
  config.cipher_suites = {suite};
  if (ecdsa_suite(suite)) config.certificate = test::ec_pki().server;
  if (client_cert != ClientCert::none) config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().negotiated().encrypt_then_mac, expects_etm(suite, no_etm));
  EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
  EXPECT_EQ(tls.connection().peer_verified(), client_cert != ClientCert::none);
  if (client_cert == ClientCert::ecdsa) {
    EXPECT_EQ(tls.connection().negotiated().client_signature_scheme, handshake::SignatureScheme::ecdsa_secp256r1_sha256);
  }
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.child->wait(10), 0) << client.child->output();
  const std::string out = client.child->output();
  EXPECT_NE(out.find("Server Temp Key: ECDH, prime256v1, 256 bits"), std::string::npos) << out;
  EXPECT_NE(out.find("Verify return code: 0 (ok)"), std::string::npos) << out;
  if (ecdsa_suite(suite)) {
    EXPECT_NE(out.find("Peer signature type: ECDSA"), std::string::npos) << out;
  }
  EXPECT_NE(out.find("Cipher is " + openssl_name(suite)), std::string::npos) << out;
  EXPECT_NE(out.find("pong"), std::string::npos) << out;
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  auto [suite, client_cert, no_etm] = info.param;
  std::string name = openssl_name(suite);
  for (char& c : name)
    if (c == '-') c = '_';
  return name + (client_cert == ClientCert::none ? "_no_client_cert"
                 : client_cert == ClientCert::rsa ? "_rsa_client_cert"
                                                  : "_ecdsa_client_cert") +
         (no_etm ? "_no_etm" : "");
}

INSTANTIATE_TEST_SUITE_P(EcdheRsaAndEcdsa, P256Interop,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256),
                                            ::testing::Values(ClientCert::none, ClientCert::rsa, ClientCert::ecdsa),
                                            ::testing::Values(false)),
                         param_name);

INSTANTIATE_TEST_SUITE_P(EcdsaCbc, P256Interop,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
                                            ::testing::Values(ClientCert::none, ClientCert::rsa, ClientCert::ecdsa),
                                            ::testing::Bool()),
                         param_name);

// Our client as configured by default, against an s_server that allows only
// the ECDHE_ECDSA CBC suites: it offers them (after every AEAD suite) and
// Encrypt-then-MAC, and OpenSSL picks one.
TEST(P256InteropDefaults, DefaultClientGetsAnEcdsaCbcSuiteFromACbcOnlyServer) {
  OpensslServer server({"-groups", "P-256", "-cipher", "ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA", "-cert",
                        test::ec_file("ec-server.pem"), "-key", test::ec_file("ec-server.key")});
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(test::test_client_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  const auto* suite = tls.connection().cipher_suite();
  EXPECT_TRUE(suite->id == suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 ||
              suite->id == suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA)
      << suite->name;
  EXPECT_TRUE(tls.connection().negotiated().encrypt_then_mac);
  tls.write(as_bytes("ecdsa cbc\n"));
  EXPECT_EQ(read_line(tls), "cbc asdce\n") << server.child->output();
  tls.close();
  server.child->wait(5);
}

// (suite, by ticket): session ID resumption with tickets off on the OpenSSL
// side (-no_ticket), ticket resumption with its session cache off (-no_cache)
// or, for s_client, our server keeping ticket keys and no cache.
class P256InteropResumption : public ::testing::TestWithParam<std::tuple<CipherSuite, bool>> {
 protected:
  CipherSuite suite() const { return std::get<0>(GetParam()); }
  bool ticket() const { return std::get<1>(GetParam()); }
};

TEST_P(P256InteropResumption, OurClientResumesWithOpensslServerOnP256) {
  // Two connections to one s_server (session cache, no tickets): the second
  // is the abbreviated handshake of the session made over P-256.
  const uint16_t port = test::free_port();
  auto dir = test::make_temp_dir("tls12-p256-interop");
  Child server({"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "2", "-tls1_2", "-rev",
                "-quiet", "-groups", "P-256", ticket() ? "-no_cache" : "-no_ticket", "-cert",
                server_cert(suite()), "-key", server_key(suite())},
               (dir / "s_server.log").string());
  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suite()};
  config.server_port = port;
  config.session_store = std::make_shared<handshake::ClientSessionStore>();
  config.session_tickets = ticket();
  for (bool second : {false, true}) {
    Fd fd(test::connect_with_retry(port, 10));
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << server.output();
    EXPECT_EQ(tls.connection().negotiated().resumed, second);
    EXPECT_EQ(tls.connection().negotiated().encrypt_then_mac, expects_etm(suite(), false));
    if (!second) {
      EXPECT_EQ(tls.connection().group(), NamedGroup::secp256r1);
    }
    tls.write(as_bytes("abc\n"));
    EXPECT_EQ(read_line(tls), "cba\n") << server.output();
    tls.close();
  }
  EXPECT_EQ(server.wait(5), 0) << server.output();
}

TEST_P(P256InteropResumption, OpensslClientResumesWithOurServerOnP256) {
  auto dir = test::make_temp_dir("tls12-p256-interop");
  const std::string session_file = (dir / "session.pem").string();
  ServerConfig server_config = test::test_server_config();
  if (ticket())
    server_config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  else
    server_config.session_cache = std::make_shared<handshake::SessionCache>();
  if (ecdsa_suite(suite())) server_config.certificate = test::ec_pki().server;
  auto config = std::make_shared<const ServerConfig>(std::move(server_config));
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  for (bool second : {false, true}) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                     "-tls1_2", "-CAfile", pki_file("ca.pem"), "-verify_return_error",
                                     "-curves", "prime256v1", "-servername", "localhost",
                                     "-cipher", openssl_name(suite()), second ? "-sess_in" : "-sess_out",
                                     session_file};
    if (!ticket()) argv.push_back("-no_ticket");
    Child client(argv, (dir / (second ? "second.log" : "first.log")).string());
    client.write_stdin("ping\n");
    pollfd p{listener.get(), POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 10000), 1) << client.output();
    Fd fd(accept(listener.get(), nullptr, nullptr));
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << client.output();
    EXPECT_EQ(tls.connection().negotiated().resumed, second);
    EXPECT_EQ(tls.connection().negotiated().encrypt_then_mac, expects_etm(suite(), false));
    EXPECT_EQ(read_line(tls), "ping\n");
    tls.write(as_bytes("pong\n"));
    tls.close();
    shutdown(fd.get(), SHUT_WR);
    EXPECT_EQ(client.wait(10), 0) << client.output();
    const std::string out = client.output();
    // "New, TLSv1.0, Cipher is ECDHE-ECDSA-AES128-SHA": OpenSSL names the
    // version the suite first appeared in there; "Protocol" is the one in use.
    EXPECT_NE(out.find(second ? "Reused, TLSv1." : "New, TLSv1."), std::string::npos) << out;
    EXPECT_NE(out.find("Protocol  : TLSv1.2"), std::string::npos) << out;
    if (!second) {
      EXPECT_NE(out.find("Server Temp Key: ECDH, prime256v1, 256 bits"), std::string::npos) << out;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EcdheRsaAndEcdsa, P256InteropResumption,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
                                                              suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384),
                                            ::testing::Bool()),
                         [](const ::testing::TestParamInfo<std::tuple<CipherSuite, bool>>& info) {
                           std::string name = openssl_name(std::get<0>(info.param));
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name + (std::get<1>(info.param) ? "_ticket" : "_session_id");
                         });

// ---------------------------------------------------------- P-384 and refusals

TEST(P384Interop, OurServerVerifiesAP384ClientCertificate) {
  // tls12 signs with P-256 only, but checks P-384 keys: OpenSSL's client with
  // a P-384 certificate signs CertificateVerify with it. (A P-384 server
  // certificate would need secp384r1 in our supported_groups, RFC 8422 §5.1,
  // which would also offer ECDHE on P-384, which tls12 lacks; OpenSSL's
  // server refuses such a client with "no shared cipher".)
  OpensslClient client({"-servername", "localhost", "-cert", test::ec_file("p384-client.pem"), "-key",
                        test::ec_file("p384-client.key")});
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_TRUE(tls.connection().peer_verified());
  const auto& leaf = *tls.connection().negotiated().peer.leaf_key;
  ASSERT_TRUE(std::holds_alternative<x509::EcPublicKey>(leaf));
  EXPECT_EQ(std::get<x509::EcPublicKey>(leaf).curve, x509::EcCurve::p384);
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  client.child->wait(10);
}

// sha512+ecdsa and sha224+ecdsa (RFC 5246 §7.4.1.4.1: hash + ecdsa, any
// curve) with OpenSSL both ways: s_server signs its ServerKeyExchange and asks
// for a CertificateVerify with the scheme, which our client checks and makes;
// s_client offers only the scheme and checks our server's signature.
using HashParam = std::tuple<handshake::SignatureScheme, std::string, std::string>;  // scheme, -sigalgs, digest
class P256InteropHashes : public ::testing::TestWithParam<HashParam> {};

TEST_P(P256InteropHashes, OurClientAgainstOpensslServer) {
  auto [scheme, sigalg, digest] = GetParam();
  OpensslServer server({"-groups", "P-256", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-cert",
                        test::ec_file("ec-server.pem"), "-key", test::ec_file("ec-server.key"), "-Verify", "1",
                        "-CAfile", pki_file("ca.pem"), "-client_sigalgs", sigalg});
  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  config.signature_schemes = {scheme};
  config.client_certificate = test::ec_pki().client;
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.child->output();
  EXPECT_EQ(tls.connection().negotiated().server_signature_scheme, scheme);
  EXPECT_EQ(tls.connection().negotiated().client_signature_scheme, scheme);
  tls.write(as_bytes("hello p256\n"));
  EXPECT_EQ(read_line(tls), "652p olleh\n") << server.child->output();
  tls.close();
  server.child->wait(5);
}

TEST_P(P256InteropHashes, OpensslClientAgainstOurServer) {
  auto [scheme, sigalg, digest] = GetParam();
  OpensslClient client({"-groups", "P-256", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256", "-sigalgs", sigalg,
                        "-verify_hostname", "localhost", "-servername", "localhost"},
                       false);
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.cipher_suites = {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  config.certificate = test::ec_pki().server;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.child->output();
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.child->wait(10), 0) << client.child->output();
  const std::string out = client.child->output();
  EXPECT_NE(out.find("Peer signing digest: " + digest), std::string::npos) << out;
  EXPECT_NE(out.find("Peer signature type: ECDSA"), std::string::npos) << out;
  EXPECT_NE(out.find("Verify return code: 0 (ok)"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Sha512AndSha224, P256InteropHashes,
                         ::testing::Values(HashParam{handshake::SignatureScheme::ecdsa_secp521r1_sha512,
                                                     "ECDSA+SHA512", "SHA512"},
                                           HashParam{handshake::SignatureScheme::ecdsa_sha224, "ECDSA+SHA224",
                                                     "SHA224"}),
                         [](const ::testing::TestParamInfo<HashParam>& info) { return std::get<2>(info.param); });

TEST(P256InteropNegative, OpensslClientOfferingOnlyP384GetsHandshakeFailure) {
  // Our server has no curve in common with a client that offers secp384r1
  // only, and no other suite it could run: handshake_failure (RFC 8422 §5.1.1).
  OpensslClient client({"-servername", "localhost", "-curves", "secp384r1", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"});
  Fd fd(client.accept_connection());
  SocketConnection tls(fd.get(), Connection(test::test_server_config()), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  ASSERT_TRUE(tls.connection().alert_sent().has_value());
  EXPECT_EQ(tls.connection().alert_sent()->description, record::AlertDescription::handshake_failure);
  EXPECT_NE(client.child->wait(10), 0);
}

TEST(P256InteropNegative, OpensslServerOnP384OnlyRefusesOurClient) {
  // Our client offers x25519 and secp256r1; s_server held to P-384 has no
  // curve for it and answers with a handshake_failure alert.
  OpensslServer server({"-groups", "P-384", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", "-cert", pki_file("server.pem"),
                        "-key", pki_file("server.key")});
  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  ASSERT_TRUE(tls.connection().alert_received().has_value()) << server.child->output();
  EXPECT_EQ(tls.connection().alert_received()->description, record::AlertDescription::handshake_failure);
  server.child->wait(5);
}

}  // namespace
}  // namespace tls12::protocol
