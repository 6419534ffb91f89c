// In-memory client <-> server handshakes through Connection (the sans-I/O
// engine): every cipher suite x {server authentication, mutual
// authentication} x {2048, 4096-bit keys}, then application data both ways
// and close_notify (RFC 5246 §7.3, §7.2.1).
#include <gtest/gtest.h>

#include <tuple>

#include "handshake/cipher_suites.h"
#include "protocol/connection.h"
#include "protocol/keylog.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
namespace suites = handshake::suites;
using test::pump;
using test::test_pki;

struct Case {
  CipherSuite suite;
  bool mutual;
  int bits;
};

class FullHandshake : public ::testing::TestWithParam<std::tuple<CipherSuite, bool, int>> {};

TEST_P(FullHandshake, ConnectsExchangesDataAndCloses) {
  auto [suite, mutual, bits] = GetParam();
  ClientConfig client_config = test::test_client_config();
  client_config.cipher_suites = {suite};
  ServerConfig server_config = test::test_server_config();
  server_config.certificate = bits == 2048 ? test_pki().server2048 : test_pki().server4096;
  if (mutual) {
    server_config.client_authentication = ClientAuthentication::required;
    client_config.client_certificate = bits == 2048 ? test_pki().client2048 : test_pki().client4096;
  }
  Connection client(std::move(client_config));
  Connection server(std::move(server_config));
  pump(client, server);

  ASSERT_TRUE(client.handshake_complete()) << client.error() << " / " << server.error();
  ASSERT_TRUE(server.handshake_complete()) << server.error();
  EXPECT_EQ(client.version(), 0x0303);
  EXPECT_EQ(client.cipher_suite()->id, suite);
  EXPECT_EQ(server.cipher_suite()->id, suite);
  EXPECT_TRUE(client.extended_master_secret());
  EXPECT_TRUE(server.extended_master_secret());
  EXPECT_TRUE(client.peer_verified());
  EXPECT_EQ(client.peer_certificate_chain().size(), 1u);
  bool ecdhe = handshake::find_cipher_suite(suite)->key_exchange == handshake::KeyExchange::ecdhe;
  EXPECT_EQ(client.group().has_value(), ecdhe);
  EXPECT_EQ(client.signature_scheme().has_value(), ecdhe);
  if (ecdhe) {
    EXPECT_EQ(*client.group(), handshake::NamedGroup::x25519);
    EXPECT_EQ(*client.signature_scheme(), handshake::SignatureScheme::rsa_pss_rsae_sha256);
  }
  EXPECT_EQ(server.peer_verified(), mutual);
  EXPECT_EQ(server.negotiated().client_authenticated, mutual);
  EXPECT_EQ(server.peer_certificate_chain().size(), mutual ? 1u : 0u);

  // Application data both ways, including more than one record's worth.
  Bytes big(40000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  client.write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
  server.write(big);
  pump(client, server);
  EXPECT_EQ(server.read_all(), Bytes(as_bytes("GET / HTTP/1.0\r\n\r\n").begin(), as_bytes("GET / HTTP/1.0\r\n\r\n").end()));
  EXPECT_EQ(client.read_all(), big);

  // close_notify from the client, answered by the server (§7.2.1).
  client.close();
  pump(client, server);
  EXPECT_TRUE(server.peer_closed());
  EXPECT_TRUE(client.peer_closed());
  EXPECT_FALSE(client.failed());
  EXPECT_FALSE(server.failed());
  EXPECT_FALSE(client.truncated());
  ASSERT_TRUE(client.alert_sent().has_value());
  EXPECT_EQ(client.alert_sent()->description, record::AlertDescription::close_notify);
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<CipherSuite, bool, int>>& info) {
  auto [suite, mutual, bits] = info.param;
  std::string name(handshake::find_cipher_suite(suite)->name);
  return name + (mutual ? "_mutual_" : "_server_auth_") + std::to_string(bits);
}

INSTANTIATE_TEST_SUITE_P(
    EverySuite, FullHandshake,
    ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                         suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                         suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_RSA_WITH_AES_256_GCM_SHA384),
                       ::testing::Bool(), ::testing::Values(2048, 4096)),
    case_name);

}  // namespace
}  // namespace tls12::protocol
