// Connection-level failures, each asserting the exact alert the failing side
// sends (RFC 5246 §7.2.2) and that the peer receives it: certificate checks
// (wrong host name, untrusted CA, client certificate missing or from another
// CA), negotiation failures (no common suite or group), a tampered record, an
// old version, an out-of-order message, truncation, and the NSS key log.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "handshake/messages.h"
#include "protocol/connection.h"
#include "protocol/keylog.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using record::AlertDescription;
namespace suites = handshake::suites;
using test::expect_alert;
using test::pump;
using test::test_pki;

TEST(ConnectionNegative, WrongHostnameIsBadCertificate) {
  ClientConfig cc = test::test_client_config();
  cc.server_name = "www.example.org";
  Connection client(cc);
  Connection server(test::test_server_config());
  pump(client, server);
  expect_alert(client, server, AlertDescription::bad_certificate);
  EXPECT_NE(client.alert_sent()->reason.find("hostname"), std::string::npos) << client.alert_sent()->reason;
}

TEST(ConnectionNegative, UntrustedCaIsUnknownCa) {
  ClientConfig cc = test::test_client_config();
  cc.trust_store = test_pki().other_ca;
  Connection client(cc);
  Connection server(test::test_server_config());
  pump(client, server);
  expect_alert(client, server, AlertDescription::unknown_ca);
}

TEST(ConnectionNegative, VerificationOffAcceptsAnUntrustedServerButSaysSo) {
  ClientConfig cc = test::test_client_config();
  cc.trust_store = test_pki().other_ca;
  cc.verify_server_certificate = false;
  Connection client(cc);
  Connection server(test::test_server_config());
  pump(client, server);
  EXPECT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_FALSE(client.peer_verified());
}

TEST(ConnectionNegative, ClientCertificateMissingWhenRequiredIsHandshakeFailure) {
  ServerConfig sc = test::test_server_config();
  sc.client_authentication = ClientAuthentication::required;
  Connection client(test::test_client_config());
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::handshake_failure);
}

TEST(ConnectionNegative, ClientCertificateMissingWhenOptionalIsAccepted) {
  ServerConfig sc = test::test_server_config();
  sc.client_authentication = ClientAuthentication::optional;
  Connection client(test::test_client_config());
  Connection server(sc);
  pump(client, server);
  ASSERT_TRUE(server.handshake_complete()) << server.error();
  EXPECT_TRUE(server.negotiated().client_certificate_requested);
  EXPECT_FALSE(server.negotiated().client_authenticated);
  EXPECT_TRUE(server.peer_certificate_chain().empty());
}

TEST(ConnectionNegative, ClientCertificateFromAnotherCaIsUnknownCa) {
  ServerConfig sc = test::test_server_config();
  sc.client_authentication = ClientAuthentication::required;
  ClientConfig cc = test::test_client_config();
  cc.client_certificate = test_pki().client_other;
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::unknown_ca);
}

TEST(ConnectionNegative, ServerCertificateOfferedAsClientCertificateIsRefused) {
  // Purpose "client": a certificate whose extKeyUsage says serverAuth only.
  ServerConfig sc = test::test_server_config();
  sc.client_authentication = ClientAuthentication::required;
  ClientConfig cc = test::test_client_config();
  cc.client_certificate = test_pki().server2048;
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::unsupported_certificate);
}

TEST(ConnectionNegative, NoCommonSuiteIsHandshakeFailure) {
  ClientConfig cc = test::test_client_config();
  cc.cipher_suites = {suites::TLS_RSA_WITH_AES_128_GCM_SHA256};
  ServerConfig sc = test::test_server_config();
  sc.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::handshake_failure);
}

TEST(ConnectionNegative, NoCommonGroupIsHandshakeFailure) {
  ClientConfig cc = test::test_client_config();
  cc.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  cc.groups = {handshake::NamedGroup::secp256r1};
  ServerConfig sc = test::test_server_config();
  sc.groups = {handshake::NamedGroup::x25519};
  Connection client(cc);
  Connection server(sc);
  pump(client, server);
  expect_alert(server, client, AlertDescription::handshake_failure);
}

TEST(ConnectionNegative, TamperedRecordIsBadRecordMac) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete());
  client.write(as_bytes("attack at dawn"));
  Bytes record = client.take_output();
  ASSERT_GT(record.size(), 20u);
  record[record.size() - 20] ^= 0x01;  // inside the ciphertext
  server.feed(record);
  pump(client, server);
  expect_alert(server, client, AlertDescription::bad_record_mac, false);
  EXPECT_EQ(server.readable(), 0u);
}

TEST(ConnectionNegative, TamperedHandshakeRecordIsBadRecordMac) {
  // The client's flight ends with its encrypted Finished: flip its last byte.
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  server.feed(client.take_output());
  client.feed(server.take_output());
  Bytes flight = client.take_output();
  flight.back() ^= 0x80;
  server.feed(flight);
  pump(client, server);
  expect_alert(server, client, AlertDescription::bad_record_mac);
}

TEST(ConnectionNegative, OldVersionClientHelloIsProtocolVersion) {
  Connection server(test::test_server_config());
  handshake::ClientHello hello;
  hello.client_version = 0x0301;
  hello.cipher_suites = {suites::TLS_RSA_WITH_AES_128_GCM_SHA256};
  Bytes message = hello.encode();
  Bytes record = {22, 0x03, 0x01, static_cast<uint8_t>(message.size() >> 8), static_cast<uint8_t>(message.size())};
  record.insert(record.end(), message.begin(), message.end());
  server.feed(record);
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, AlertDescription::protocol_version);
  // The alert is on the wire: 21, version, length 2, fatal(2), protocol_version(70).
  Bytes out = server.take_output();
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0], 21);
  EXPECT_EQ(out[5], 2);
  EXPECT_EQ(out[6], 70);
}

TEST(ConnectionNegative, OutOfOrderMessageIsUnexpectedMessage) {
  // A Finished in the clear instead of a ServerHello.
  Connection client(test::test_client_config());
  client.take_output();
  Bytes message = handshake::Finished{}.encode();
  Bytes record = {22, 0x03, 0x03, 0, static_cast<uint8_t>(message.size())};
  record.insert(record.end(), message.begin(), message.end());
  client.feed(record);
  ASSERT_TRUE(client.alert_sent().has_value());
  EXPECT_EQ(client.alert_sent()->description, AlertDescription::unexpected_message);
  EXPECT_EQ(client.handshake_state(), "wait_server_hello");
}

TEST(ConnectionNegative, EndOfStreamWithoutCloseNotifyIsTruncation) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump(client, server);
  server.write(as_bytes("partial"));
  client.feed(server.take_output());
  client.feed_eof();
  EXPECT_TRUE(client.truncated());
  EXPECT_TRUE(client.is_closed());
  EXPECT_NE(client.error().find("truncation"), std::string::npos);
  EXPECT_EQ(client.read_all().size(), 7u);  // what did arrive is still readable

  // After close_notify, end of stream is clean.
  Connection c2(test::test_client_config());
  Connection s2(test::test_server_config());
  pump(c2, s2);
  s2.close();
  c2.feed(s2.take_output());
  c2.feed_eof();
  EXPECT_TRUE(c2.peer_closed());
  EXPECT_FALSE(c2.truncated());
  EXPECT_FALSE(c2.failed());
}

// §7.2.1: close_notify ends the connection; before Finished it ends a
// handshake that did not complete, which is a failure, not a clean close.
TEST(ConnectionNegative, CloseNotifyDuringTheHandshakeIsAFailedHandshake) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  server.feed(client.take_output());  // ClientHello; the server answers
  client.close();
  server.feed(client.take_output());
  EXPECT_TRUE(server.is_closed());
  EXPECT_TRUE(server.peer_closed());
  EXPECT_TRUE(server.failed());
  EXPECT_FALSE(server.handshake_complete());
  EXPECT_FALSE(server.truncated());
  ASSERT_TRUE(server.alert_received().has_value());
  EXPECT_EQ(server.alert_received()->description, AlertDescription::close_notify);
  EXPECT_NE(server.error().find("before the handshake completed"), std::string::npos) << server.error();
}

// "SSL death alert": warning alerts in a row, which a peer could send forever.
TEST(ConnectionNegative, RepeatedWarningAlertsAreUnexpectedMessage) {
  Connection server(test::test_server_config());
  const Bytes warning{21, 3, 3, 0, 2, 1, 112};  // unrecognized_name, warning
  for (int i = 0; i < record::kMaxConsecutiveWarningAlerts; ++i) server.feed(warning);
  EXPECT_FALSE(server.is_closed());
  server.feed(warning);
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, AlertDescription::unexpected_message);
  EXPECT_TRUE(server.failed());
}

// A ClientHello begun in one record and interleaved with an alert (§6.2.1).
TEST(ConnectionNegative, ClientHelloInterleavedWithAnAlertIsUnexpectedMessage) {
  Connection client(test::test_client_config());
  Bytes hello_record = client.take_output();
  const size_t half = 5 + (hello_record.size() - 5) / 2;
  Bytes first{22, 3, 1, static_cast<uint8_t>((half - 5) >> 8), static_cast<uint8_t>(half - 5)};
  first.insert(first.end(), hello_record.begin() + 5, hello_record.begin() + static_cast<std::ptrdiff_t>(half));
  Connection server(test::test_server_config());
  server.feed(first);
  EXPECT_FALSE(server.is_closed());
  server.feed(Bytes{21, 3, 1, 0, 2, 1, 112});
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, AlertDescription::unexpected_message) << server.alert_sent()->reason;
}

// The key log holds every connection's master secret: 0600 at open, whatever
// the umask, and an existing world-readable file is tightened before use.
TEST(KeyLog, FileIsMode0600EvenOverAWorldReadableFile) {
  auto dir = test::make_temp_dir("tls12-keylog-mode");
  const auto fresh = dir / "fresh.log", existing = dir / "existing.log";
  { std::ofstream(existing) << "CLIENT_RANDOM old\n"; }
  std::filesystem::permissions(existing, std::filesystem::perms(0644));
  const mode_t old_mask = ::umask(0);
  { KeyLogFile a(fresh.string()), b(existing.string()); }
  ::umask(old_mask);
  EXPECT_EQ(std::filesystem::status(fresh).permissions(), std::filesystem::perms(0600));
  EXPECT_EQ(std::filesystem::status(existing).permissions(), std::filesystem::perms(0600));
  EXPECT_EQ(test::read_text(existing), "CLIENT_RANDOM old\n");  // appended to, not truncated
  EXPECT_THROW(KeyLogFile((dir / "missing" / "keys.log").string()), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(ConnectionNegative, WriteAfterCloseIsALogicError) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump(client, server);
  client.close();
  EXPECT_THROW(client.write(as_bytes("x")), std::logic_error);
}

TEST(Connection, DataWrittenBeforeTheHandshakeGoesOutAfterIt) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  client.write(as_bytes("early"));
  pump(client, server);
  EXPECT_EQ(server.read_all(), Bytes(as_bytes("early").begin(), as_bytes("early").end()));
}

TEST(Connection, ByteAtATimeDeliveryCompletesTheHandshake) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  for (int round = 0; round < 10 && !(client.handshake_complete() && server.handshake_complete()); ++round) {
    for (uint8_t b : client.take_output()) server.feed(ByteView(&b, 1));
    for (uint8_t b : server.take_output()) client.feed(ByteView(&b, 1));
  }
  EXPECT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_TRUE(server.handshake_complete()) << server.error();
}

TEST(Connection, EventsReportEveryMessageSecretAndTheKeyLog) {
  auto dir = test::make_temp_dir("tls12-keylog");
  std::vector<std::string> sent, received, secrets;
  ClientConfig cc = test::test_client_config();
  cc.keylog_file = (dir / "keys.log").string();
  Bytes master;
  handshake::Random client_random{};
  cc.observer = [&](const Event& event) {
    if (const auto* m = std::get_if<HandshakeMessage>(&event)) {
      (m->direction == Direction::sent ? sent : received).push_back(m->name);
      EXPECT_GE(m->fields.size(), 2u);  // msg_type, length, ...
      if (m->name == "ClientHello") {
        bool has_random = false;
        for (const auto& f : m->fields)
          if (f.name == "random") {
            has_random = true;
            std::copy(f.raw.begin(), f.raw.end(), client_random.begin());
          }
        EXPECT_TRUE(has_random);
      }
    }
    if (const auto* s = std::get_if<SecretDerived>(&event)) {
      secrets.push_back(std::string(handshake::secret_name(s->secret)));
      if (s->secret == Secret::master_secret) master.assign(s->value.begin(), s->value.end());
    }
  };
  Connection client(cc);
  Connection server(test::test_server_config());
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete());
  EXPECT_EQ(sent, (std::vector<std::string>{"ClientHello", "ClientKeyExchange", "Finished"}));
  EXPECT_EQ(received, (std::vector<std::string>{"ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone",
                                                "Finished"}));
  EXPECT_EQ(secrets, (std::vector<std::string>{"pre_master_secret", "master_secret", "client_write_key",
                                               "server_write_key", "client_write_IV", "server_write_IV"}));
  EXPECT_EQ(client_random, client.negotiated().client_random);
  ASSERT_EQ(master.size(), 48u);
  std::string line = test::read_text(dir / "keys.log");
  EXPECT_EQ(line, "CLIENT_RANDOM " + to_hex(client.negotiated().client_random) + " " + to_hex(master) + "\n");
}

}  // namespace
}  // namespace tls12::protocol
