// illustrate/passive.h on the recorded connection of
// ../shared/testvectors/illustrated-tls12 (TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
// every secret known), put in a capture and decoded from it: every record
// opened, the plaintexts those of the recording, both Finished values right;
// and the reasons given where decoding must stop.
#include <gtest/gtest.h>

#include "handshake/messages.h"
#include "illustrate/passive.h"
#include "tests/handshake/illustrated_connection.h"
#include "tests/illustrate/capture_builder.h"

namespace tls12::illustrate {
namespace {

namespace rec = test::illustrated;
using protocol::Direction;
using test::capture::Options;

// The records of the connection in the order they crossed the wire.
const std::vector<std::pair<bool, std::string>>& wire_order() {
  static const std::vector<std::pair<bool, std::string>> order = {
      {true, "clienthello"},       {false, "serverhello"},    {false, "servercert"},  {false, "serverkeyexchange"},
      {false, "serverhellodone"},  {true, "clientkeyexchange"}, {true, "clientccs"},  {true, "clientfinished"},
      {false, "serverccs"},        {false, "serverfinished"}, {true, "clientdata"},   {false, "serverdata"},
      {true, "clientalert"}};
  return order;
}

// Each record in its own TCP segment, after a SYN each way.
Bytes recorded_capture(const Options& o = {}) {
  std::vector<test::capture::Segment> segments = {{true, 100, {}, true, false}, {false, 900, {}, true, true}};
  uint32_t next_client = 101, next_server = 901;
  for (const auto& [from_client, name] : wire_order()) {
    const Bytes r = rec::record(name);
    uint32_t& next = from_client ? next_client : next_server;
    segments.push_back({from_client, next, r, false, true});
    next += static_cast<uint32_t>(r.size());
  }
  return test::capture::capture_of(segments, o);
}

KeyLog recorded_keylog() { return KeyLog::parse(test::read_text(rec::dir() / "keylog.txt")); }

struct Collected {
  std::vector<protocol::Event> events;  // copies of the small events
  std::vector<std::pair<Direction, Bytes>> plaintexts;  // of protected records
  std::vector<std::pair<Direction, std::string>> undecoded;
  std::vector<handshake::FinishedChecked> finished;
  std::vector<std::string> messages;
  std::vector<std::string> secrets;
  bool complete = false;
};

Collected decode(const TcpConnection& c, const KeyLog& keylog, PassiveSummary* summary = nullptr) {
  Collected out;
  const protocol::Observer observer = [&](const protocol::Event& e) {
    if (const auto* r = std::get_if<protocol::RecordSeen>(&e); r && !r->protection.empty())
      out.plaintexts.emplace_back(r->direction, Bytes(r->plaintext.begin(), r->plaintext.end()));
    if (const auto* u = std::get_if<protocol::Undecoded>(&e)) out.undecoded.emplace_back(u->direction, u->reason);
    if (const auto* f = std::get_if<protocol::FinishedChecked>(&e)) out.finished.push_back(*f);
    if (const auto* m = std::get_if<protocol::HandshakeMessage>(&e))
      out.messages.push_back(std::string(m->direction == Direction::sent ? "> " : "< ") + m->name);
    if (const auto* s = std::get_if<protocol::SecretDerived>(&e))
      out.secrets.push_back(std::string(handshake::secret_name(s->secret)) + " " + to_hex(s->value));
    if (std::holds_alternative<protocol::HandshakeComplete>(e)) out.complete = true;
  };
  const PassiveSummary s = decode_passively(c, keylog, observer);
  if (summary) *summary = s;
  return out;
}

Bytes plain_prefix(const std::string& name, size_t n) {
  const Bytes p = rec::record(name);
  return Bytes(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(std::min(n, p.size())));
}

TEST(Passive, RecordedConnectionEveryRecordOpened) {
  for (bool pcapng : {false, true}) {
    Options o;
    o.pcapng = pcapng;
    const TcpConnection c = read_tcp_connection(recorded_capture(o), std::nullopt);
    PassiveSummary summary;
    const Collected got = decode(c, recorded_keylog(), &summary);
    EXPECT_TRUE(got.undecoded.empty());
    EXPECT_EQ(summary.records, 13u);
    EXPECT_EQ(summary.records_opened, 5u);
    EXPECT_EQ(summary.cipher_suite, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
    EXPECT_TRUE(summary.handshake_complete);
    EXPECT_FALSE(summary.resumed);
    EXPECT_TRUE(got.complete);
    EXPECT_EQ(got.messages, (std::vector<std::string>{"> ClientHello", "< ServerHello", "< Certificate",
                                                      "< ServerKeyExchange", "< ServerHelloDone",
                                                      "> ClientKeyExchange", "> Finished", "< Finished"}));
    // The plaintexts of the recording (its *plain files also hold the MAC and
    // padding after the content).
    ASSERT_EQ(got.plaintexts.size(), 5u);
    EXPECT_EQ(got.plaintexts[0].second, plain_prefix("clientfinishedplain", 16));
    EXPECT_EQ(got.plaintexts[1].second, plain_prefix("serverfinishedplain", 16));
    EXPECT_EQ(got.plaintexts[2].second, test::capture::text("ping"));
    EXPECT_EQ(got.plaintexts[2].second, plain_prefix("clientdataplain", 4));
    EXPECT_EQ(got.plaintexts[3].second, test::capture::text("pong"));
    EXPECT_EQ(got.plaintexts[3].second, plain_prefix("serverdataplain", 4));
    EXPECT_EQ(got.plaintexts[4].second, (Bytes{1, 0}));  // warning close_notify
    // Both Finished values recomputed and equal to those received.
    ASSERT_EQ(got.finished.size(), 2u);
    EXPECT_TRUE(got.finished[0].equal);
    EXPECT_EQ(to_hex(got.finished[0].expected), "cf919626f1360c536aaad73a");
    EXPECT_TRUE(got.finished[1].equal);
    EXPECT_EQ(to_hex(got.finished[1].received), "844d3c10746dd722f92f0c7e");
    // The key log's master_secret, and the key_block parts of a CBC suite.
    ASSERT_EQ(got.secrets.size(), 5u);
    EXPECT_EQ(got.secrets[0], "master_secret " + to_hex(rec::keylog_master_secret()));
  }
}

TEST(Passive, RecordSeenCarriesLayoutAndSequenceNumbers) {
  const TcpConnection c = read_tcp_connection(recorded_capture(), std::nullopt);
  std::vector<protocol::RecordSeen> records;
  std::vector<Bytes> wires;
  decode_passively(c, recorded_keylog(), [&](const protocol::Event& e) {
    if (const auto* r = std::get_if<protocol::RecordSeen>(&e)) {
      records.push_back(*r);
      wires.emplace_back(r->wire.begin(), r->wire.end());
    }
  });
  ASSERT_EQ(records.size(), 13u);
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(wires[i], rec::record(wire_order()[i].second)) << i;
  // clientdata: the client's second protected record (seq 1), AES-128-CBC with HMAC-SHA1.
  const protocol::RecordSeen& data = records[10];
  EXPECT_EQ(data.direction, Direction::sent);
  EXPECT_EQ(data.sequence_number, 1u);
  EXPECT_EQ(data.record_iv_length, 16u);
  EXPECT_EQ(data.mac_length, 20u);
  EXPECT_FALSE(data.encrypt_then_mac);
  EXPECT_EQ(data.protection, "AES-128-CBC with HMAC-SHA1, MAC-then-encrypt");
  EXPECT_EQ(records[1].sequence_number, 0u);
  EXPECT_EQ(records[3].sequence_number, 2u);  // ServerKeyExchange: the server's third plaintext record
}

TEST(Passive, NoKeyLogLineStopsBothDirectionsAtTheirEncryptedRecords) {
  const TcpConnection c = read_tcp_connection(recorded_capture(), std::nullopt);
  const KeyLog other = KeyLog::parse("CLIENT_RANDOM " + std::string(64, 'a') + " " + std::string(96, 'b') + "\n");
  const Collected got = decode(c, other);
  const std::string why = "encrypted, and the key log has no CLIENT_RANDOM line for this connection (client_random "
                          "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f)";
  ASSERT_EQ(got.undecoded.size(), 2u);
  EXPECT_EQ(got.undecoded[0], std::pair(Direction::sent, "record 4: " + why));
  EXPECT_EQ(got.undecoded[1], std::pair(Direction::received, "record 6: " + why));
  EXPECT_FALSE(got.complete);
}

TEST(Passive, WrongMasterSecretIsBadRecordMac) {
  const TcpConnection c = read_tcp_connection(recorded_capture(), std::nullopt);
  const std::string random = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  const Collected got = decode(c, KeyLog::parse("CLIENT_RANDOM " + random + " " + std::string(96, '0')));
  ASSERT_EQ(got.undecoded.size(), 2u);
  EXPECT_EQ(got.undecoded[0], std::pair(Direction::sent, std::string("record 4: CBC record does not authenticate (bad_record_mac)")));
  EXPECT_EQ(got.undecoded[1], std::pair(Direction::received, std::string("record 6: CBC record does not authenticate (bad_record_mac)")));
}

PassiveInput streams(const Bytes& client, const Bytes& server) {
  PassiveInput in;
  in.client_to_server = client;
  in.server_to_client = server;
  return in;
}

std::vector<std::pair<Direction, std::string>> reasons(const PassiveInput& in) {
  std::vector<std::pair<Direction, std::string>> out;
  decode_passively(in, recorded_keylog(), [&](const protocol::Event& e) {
    if (const auto* u = std::get_if<protocol::Undecoded>(&e)) out.emplace_back(u->direction, u->reason);
  });
  return out;
}

TEST(Passive, PlainHttpIsNotTls) {
  const Bytes http = test::capture::text("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  const Bytes reply = test::capture::text("HTTP/1.1 200 OK\r\n\r\n");
  const auto got = reasons(streams(http, reply));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].second, "not TLS: the stream starts with \"GET / HTTP/1.1\" (plain HTTP), not a TLS record header");
  EXPECT_EQ(got[1].second, "not TLS: the stream starts with \"HTTP/1.1 200 OK\" (plain HTTP), not a TLS record header");
}

TEST(Passive, Tls13ServerHelloIsNamed) {
  handshake::ServerHello hello;
  hello.cipher_suite = 0x1301;
  hello.extensions = {{handshake::ExtensionType::supported_versions, {0x03, 0x04}}};
  const Bytes message = hello.encode();
  Bytes record = {0x16, 0x03, 0x03, uint8_t(message.size() >> 8), uint8_t(message.size())};
  record.insert(record.end(), message.begin(), message.end());
  record.insert(record.end(), {0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb});  // encrypted from here
  const Bytes client = rec::record("clienthello");
  const auto got = reasons(streams(client, record));
  const std::string why = "TLS 1.3 connection (supported_versions 0x0304): only TLS 1.2 can be illustrated";
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], std::pair(Direction::sent, why));
  EXPECT_EQ(got[1], std::pair(Direction::received, why));
}

TEST(Passive, SslV2HelloAndTruncatedRecord) {
  const Bytes v2 = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15};
  auto got = reasons(streams(v2, {}));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].second,
            "record 1: an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2): only TLS 1.2 records can be decoded");
  Bytes hello = rec::record("clienthello");
  hello.resize(40);
  got = reasons(streams(hello, {}));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].second, "record 1: truncated: the capture ends after 40 of its " +
                               std::to_string(rec::record("clienthello").size()) + " bytes");
}

// Every prefix of the server's stream of the recorded connection: decoded as
// far as it goes, never a throw; an Undecoded when the cut is inside a
// record, and the handshake complete once the server's Finished is in.
TEST(Passive, EveryPrefixOfTheServerStream) {
  const TcpConnection whole = read_tcp_connection(recorded_capture(), std::nullopt);
  const KeyLog keylog = recorded_keylog();
  std::vector<size_t> boundaries = {0};
  for (const auto& [from_client, name] : wire_order())
    if (!from_client) boundaries.push_back(boundaries.back() + rec::record(name).size());
  const size_t after_finished = boundaries[6];  // hello, cert, key exchange, hello done, ccs, finished
  for (size_t n = 0; n < whole.server_to_client.size(); ++n) {
    TcpConnection cut = whole;
    cut.server_to_client.resize(n);
    PassiveSummary summary;
    EXPECT_NO_THROW(summary = decode_passively(cut, keylog, {}));
    const bool boundary = std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end();
    // Without the ServerHello the client's Finished cannot be opened either.
    EXPECT_EQ(summary.undecoded, (boundary ? 0u : 1u) + (n < boundaries[1] ? 1u : 0u)) << n;
    EXPECT_EQ(summary.handshake_complete, n >= after_finished) << n;
  }
}

TEST(Passive, KeyLogErrorsNameTheLine) {
  try {
    KeyLog::parse("# comment\nCLIENT_RANDOM 00 11\n");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "key log line 2: client_random is not 64 hex digits");
  }
  const KeyLog log = KeyLog::parse("CLIENT_HANDSHAKE_TRAFFIC_SECRET aa bb\n" + test::read_text(rec::dir() / "keylog.txt"));
  EXPECT_EQ(log.size(), 1u);
}

}  // namespace
}  // namespace tls12::illustrate
