// The AES-CBC suites end to end through two in-memory Connections: every
// suite with and without Encrypt-then-MAC (RFC 7366), against a server holding
// an RSA and a P-256 chain (the ECDHE_ECDSA suites of RFC 8422 get the P-256
// one), the preference for AEAD suites, resumption keeping EtM (§3.1), a
// tampered CBC record (bad_record_mac), and the EtM negotiation rules one by
// one.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <variant>

#include "handshake/client_session_store.h"
#include "handshake/encrypt_then_mac.h"
#include "handshake/session_cache.h"
#include "protocol/connection.h"
#include "tests/handshake/breadth_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
namespace suites = handshake::suites;
using record::AlertDescription;
using test::pump;

const CipherSuite kCbcSuites[] = {
    suites::TLS_RSA_WITH_AES_128_CBC_SHA,          suites::TLS_RSA_WITH_AES_256_CBC_SHA,
    suites::TLS_RSA_WITH_AES_128_CBC_SHA256,       suites::TLS_RSA_WITH_AES_256_CBC_SHA256,
    suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,    suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,    suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
};

// Drops encrypt_then_mac from our client's hello: a peer without RFC 7366.
void without_etm(handshake::ClientHello& hello) {
  std::erase_if(hello.extensions,
                [](const handshake::Extension& e) { return e.type == handshake::ExtensionType::encrypt_then_mac; });
}

ClientConfig client_offering(std::vector<CipherSuite> suites, bool etm) {
  ClientConfig c = test::test_client_config();
  c.cipher_suites = std::move(suites);
  if (!etm) c.edit_client_hello = without_etm;
  return c;
}

// The test server with the P-256 chain beside its RSA one: it must pick the
// chain the negotiated suite's authentication names.
ServerConfig dual_chain_server() {
  ServerConfig config = test::test_server_config();
  config.additional_certificates = {test::ec_pki().server};
  return config;
}

bool served_p256(const Connection& client) {
  const auto& key = client.negotiated().peer.leaf_key;
  return key.has_value() && std::holds_alternative<x509::EcPublicKey>(*key);
}

void exchange_data(Connection& client, Connection& server) {
  Bytes big(40000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 31);
  client.write(big);
  server.write(Bytes{'o', 'k'});
  pump(client, server);
  EXPECT_EQ(server.read_all(), big);
  EXPECT_EQ(client.read_all(), (Bytes{'o', 'k'}));
}

class CbcSuite : public ::testing::TestWithParam<std::tuple<CipherSuite, bool>> {};

TEST_P(CbcSuite, HandshakeAndDataBothWays) {
  const auto [suite, etm] = GetParam();
  Connection client(client_offering({suite}, etm));
  Connection server(dual_chain_server());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error() << " / " << server.error();
  ASSERT_TRUE(server.handshake_complete());
  EXPECT_EQ(client.cipher_suite()->id, suite);
  EXPECT_EQ(served_p256(client), client.cipher_suite()->authentication == handshake::Authentication::ecdsa);
  EXPECT_EQ(client.negotiated().encrypt_then_mac, etm);
  EXPECT_EQ(server.negotiated().encrypt_then_mac, etm);
  exchange_data(client, server);
}

INSTANTIATE_TEST_SUITE_P(AllCbcSuites, CbcSuite, ::testing::Combine(::testing::ValuesIn(kCbcSuites), ::testing::Bool()),
                         [](const auto& info) {
                           std::string name(handshake::find_cipher_suite(std::get<0>(info.param))->openssl_name);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name + (std::get<1>(info.param) ? "_etm" : "_mac_then_encrypt");
                         });

TEST(CbcPreference, ServerPrefersAnyAeadSuiteToCbcWhateverTheClientsOrder) {
  Connection client(client_offering({suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, suites::TLS_RSA_WITH_AES_128_GCM_SHA256},
                                    true));
  Connection server(test::test_server_config());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_EQ(client.cipher_suite()->id, suites::TLS_RSA_WITH_AES_128_GCM_SHA256);
  EXPECT_FALSE(client.negotiated().encrypt_then_mac) << "no EtM answer with an AEAD suite (RFC 7366 §3)";
}

TEST(CbcPreference, DefaultClientOffersCbcAfterEveryAeadSuiteAndEtm) {
  const auto defaults = handshake::default_cipher_suites();
  bool seen_cbc = false;
  for (CipherSuite id : defaults) {
    const bool cbc = handshake::find_cipher_suite(id)->is_cbc();
    EXPECT_FALSE(seen_cbc && !cbc) << handshake::cipher_suite_name(id) << " offered after a CBC suite";
    seen_cbc |= cbc;
  }
  EXPECT_TRUE(seen_cbc);
  EXPECT_TRUE(handshake::client_offers_encrypt_then_mac(defaults));
  EXPECT_FALSE(handshake::client_offers_encrypt_then_mac({suites::TLS_RSA_WITH_AES_128_GCM_SHA256}));
}

// Offered only CBC suites, a server with both chains follows its own order:
// ECDHE_ECDSA before ECDHE_RSA, as for the AEAD suites.
TEST(CbcPreference, DualChainServerPrefersEcdsaCbcToItsRsaTwin) {
  Connection client(client_offering({suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
                                     suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256},
                                    true));
  Connection server(dual_chain_server());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_EQ(client.cipher_suite()->id, suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256);
  EXPECT_TRUE(served_p256(client));
  EXPECT_TRUE(client.negotiated().encrypt_then_mac);
}

TEST(CbcPreference, DefaultClientOffersEveryEcdsaCbcSuite) {
  const auto defaults = handshake::default_cipher_suites();
  for (CipherSuite id : {suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
                         suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
                         suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384})
    EXPECT_NE(std::find(defaults.begin(), defaults.end(), id), defaults.end()) << handshake::cipher_suite_name(id);
}

// An RSA-only server has no key for an ECDHE_ECDSA CBC suite: with nothing
// else offered it answers handshake_failure (RFC 5246 §7.4.1.3).
TEST(CbcPreference, EcdsaCbcSuiteWithAnRsaOnlyServerIsHandshakeFailure) {
  Connection client(client_offering({suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}, true));
  Connection server(test::test_server_config());
  pump(client, server);
  EXPECT_FALSE(client.handshake_complete());
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, AlertDescription::handshake_failure);
}

// A bit flipped in a CBC record in flight: the receiver sends bad_record_mac
// and delivers nothing.
TEST(CbcRecords, TamperedRecordIsBadRecordMacInBothModes) {
  for (bool etm : {true, false}) {
    SCOPED_TRACE(etm);
    Connection client(client_offering({suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}, etm));
    Connection server(test::test_server_config());
    pump(client, server);
    ASSERT_TRUE(server.handshake_complete());
    client.write(Bytes(100, 'x'));
    Bytes wire = client.take_output();
    wire[wire.size() - 20] ^= 0x01;
    server.feed(wire);
    ASSERT_TRUE(server.alert_sent().has_value());
    EXPECT_EQ(server.alert_sent()->description, AlertDescription::bad_record_mac);
    EXPECT_TRUE(server.read_all().empty());
  }
}

// ---- resumption (RFC 7366 §3.1) -------------------------------------------------

TEST(CbcResumption, EtmSessionResumesWithEtm) {
  ClientConfig client = client_offering({suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384}, true);
  client.session_store = std::make_shared<handshake::ClientSessionStore>();
  client.session_tickets = false;
  ServerConfig server = test::test_server_config();
  server.session_cache = std::make_shared<handshake::SessionCache>(10);
  for (int i = 0; i < 2; ++i) {
    Connection c(client), s(server);
    pump(c, s);
    ASSERT_TRUE(c.handshake_complete()) << c.error();
    EXPECT_EQ(c.negotiated().resumed, i == 1);
    EXPECT_TRUE(c.negotiated().encrypt_then_mac);
    EXPECT_TRUE(s.negotiated().encrypt_then_mac);
    exchange_data(c, s);
  }
}

// An ECDHE_ECDSA CBC session with a P-256 client certificate, with and
// without EtM: the abbreviated handshake keeps the suite, the EtM choice and
// the client's identity.
TEST(CbcResumption, EcdsaCbcSessionWithClientCertificateResumes) {
  for (bool etm : {true, false}) {
    SCOPED_TRACE(etm);
    ClientConfig client = client_offering({suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}, etm);
    client.client_certificate = test::ec_pki().client;
    client.session_store = std::make_shared<handshake::ClientSessionStore>();
    client.session_tickets = false;
    ServerConfig server = dual_chain_server();
    server.client_authentication = ClientAuthentication::required;
    server.session_cache = std::make_shared<handshake::SessionCache>(10);
    for (int i = 0; i < 2; ++i) {
      Connection c(client), s(server);
      pump(c, s);
      ASSERT_TRUE(c.handshake_complete()) << c.error() << " / " << s.error();
      EXPECT_EQ(c.negotiated().resumed, i == 1);
      EXPECT_EQ(c.cipher_suite()->id, suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA);
      EXPECT_EQ(s.negotiated().encrypt_then_mac, etm);
      EXPECT_TRUE(s.peer_verified());
      exchange_data(c, s);
    }
  }
}

TEST(CbcResumption, EtmSessionIsNotResumedByAHelloWithoutEtm) {
  ClientConfig client = client_offering({suites::TLS_RSA_WITH_AES_128_CBC_SHA}, true);
  client.session_store = std::make_shared<handshake::ClientSessionStore>();
  client.session_tickets = false;
  ServerConfig server = test::test_server_config();
  server.session_cache = std::make_shared<handshake::SessionCache>(10);
  {
    Connection c(client), s(server);
    pump(c, s);
    ASSERT_TRUE(c.negotiated().encrypt_then_mac);
  }
  client.edit_client_hello = without_etm;  // same session offered, EtM dropped
  Connection c(client), s(server);
  pump(c, s);
  ASSERT_TRUE(c.handshake_complete()) << c.error();
  EXPECT_FALSE(s.negotiated().resumed) << "an EtM session must not be resumed without EtM";
  EXPECT_FALSE(c.negotiated().encrypt_then_mac);
  exchange_data(c, s);
}

TEST(EncryptThenMacRules, ClientRefusesEtmWithAnAeadSuiteAndADroppedEtmOnResumption) {
  handshake::ServerHelloExtensions etm;
  etm.encrypt_then_mac = true;
  const auto* gcm = handshake::find_cipher_suite(suites::TLS_RSA_WITH_AES_128_GCM_SHA256);
  const auto* cbc = handshake::find_cipher_suite(suites::TLS_RSA_WITH_AES_128_CBC_SHA);
  try {
    handshake::client_uses_encrypt_then_mac(*gcm, etm);
    FAIL() << "accepted encrypt_then_mac with an AEAD suite";
  } catch (const record::TlsError& e) {
    EXPECT_EQ(e.alert(), AlertDescription::illegal_parameter);
  }
  EXPECT_TRUE(handshake::client_uses_encrypt_then_mac(*cbc, etm));
  EXPECT_FALSE(handshake::client_uses_encrypt_then_mac(*cbc, {}));

  handshake::Session session;
  session.encrypt_then_mac = true;
  try {
    handshake::check_resumed_encrypt_then_mac(session, {});
    FAIL() << "accepted a resumption that dropped encrypt_then_mac";
  } catch (const record::TlsError& e) {
    EXPECT_EQ(e.alert(), AlertDescription::handshake_failure);
  }
  handshake::ClientHelloExtensions no_etm;
  EXPECT_FALSE(handshake::session_resumable_with(session, no_etm));
  session.encrypt_then_mac = false;
  EXPECT_TRUE(handshake::session_resumable_with(session, no_etm));
}

TEST(EncryptThenMacRules, SessionsRememberEtm) {
  handshake::Session s;
  s.master_secret.assign(48, 1);
  s.encrypt_then_mac = true;
  EXPECT_TRUE(handshake::decode_session(handshake::encode_session(s)).encrypt_then_mac);
  s.encrypt_then_mac = false;
  EXPECT_FALSE(handshake::decode_session(handshake::encode_session(s)).encrypt_then_mac);
}

}  // namespace
}  // namespace tls12::protocol
