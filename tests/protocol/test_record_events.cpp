// RecordSeen (protocol/events.h): every record of a connection reported with
// its wire bytes (RFC 5246 §6.2.1), its plaintext and how it was protected
// (§6.2.3.2 CBC, §6.2.3.3 AEAD; RFC 5288 AES-GCM, RFC 7905 ChaCha20-Poly1305,
// RFC 7366 encrypt-then-MAC), only when EngineConfig::observe_records asks.
#include <gtest/gtest.h>

#include <variant>

#include "protocol/connection.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

namespace suites = handshake::suites;

std::string to_string(ByteView bytes) { return std::string(bytes.begin(), bytes.end()); }

struct SeenRecord {
  Direction direction;
  uint8_t type;
  uint64_t seq;
  Bytes wire;
  Bytes plaintext;
  std::string protection;
  size_t record_iv_length;
  size_t mac_length;
  bool etm;
};

// What one side's observer saw: its records and handshake messages, copied.
struct Seen {
  std::vector<SeenRecord> records;
  Bytes messages[2];  // handshake messages sent [0] and received [1], concatenated

  Observer observer() {
    return [this](const Event& event) {
      if (const auto* r = std::get_if<RecordSeen>(&event)) {
        records.push_back({r->direction, r->content_type, r->sequence_number, Bytes(r->wire.begin(), r->wire.end()),
                           Bytes(r->plaintext.begin(), r->plaintext.end()), r->protection, r->record_iv_length,
                           r->mac_length, r->encrypt_then_mac});
      } else if (const auto* m = std::get_if<HandshakeMessage>(&event)) {
        Bytes& out = messages[m->direction == Direction::sent ? 0 : 1];
        out.insert(out.end(), m->raw.begin(), m->raw.end());
      }
    };
  }
  Bytes concat(Direction direction, bool wire, int type = -1) const {
    Bytes out;
    for (const auto& r : records) {
      if (r.direction != direction || (type >= 0 && r.type != type)) continue;
      const Bytes& b = wire ? r.wire : r.plaintext;
      out.insert(out.end(), b.begin(), b.end());
    }
    return out;
  }
};

// A connection pumped by hand so that every byte crossing is kept.
struct Crossed {
  Bytes to_server, to_client;
};

Crossed run(handshake::CipherSuite suite, Seen& client_seen, Seen& server_seen, bool observe = true) {
  ClientConfig client_config = test::test_client_config();
  client_config.cipher_suites = {suite};
  client_config.observer = client_seen.observer();
  client_config.observe_records = observe;
  ServerConfig server_config = test::test_server_config();
  server_config.observer = server_seen.observer();
  server_config.observe_records = observe;
  Connection client(std::move(client_config)), server(std::move(server_config));
  const std::string request = "GET / HTTP/1.0\r\n\r\n", answer = "HTTP/1.0 200 OK\r\n\r\nhello";
  client.write(as_bytes(request));
  Crossed crossed;
  auto pump_once = [&] {
    for (int round = 0; round < 100; ++round) {
      Bytes a = client.take_output(), b = server.take_output();
      if (a.empty() && b.empty()) return;
      crossed.to_server.insert(crossed.to_server.end(), a.begin(), a.end());
      crossed.to_client.insert(crossed.to_client.end(), b.begin(), b.end());
      server.feed(a);
      client.feed(b);
    }
  };
  pump_once();
  EXPECT_TRUE(client.handshake_complete()) << client.error() << server.error();
  server.write(as_bytes(answer));
  client.close();
  pump_once();
  EXPECT_EQ(to_string(server.read_all()), request);
  EXPECT_EQ(to_string(client.read_all()), answer);
  return crossed;
}

void expect_records_are_the_wire(handshake::CipherSuite suite, const std::string& protection, size_t iv, size_t mac,
                                 bool etm) {
  Seen client, server;
  Crossed crossed = run(suite, client, server);
  // Each side's records, sent and received, are exactly the bytes that crossed.
  EXPECT_EQ(client.concat(Direction::sent, true), crossed.to_server);
  EXPECT_EQ(server.concat(Direction::received, true), crossed.to_server);
  EXPECT_EQ(server.concat(Direction::sent, true), crossed.to_client);
  EXPECT_EQ(client.concat(Direction::received, true), crossed.to_client);
  // Handshake plaintexts are the handshake messages, in order.
  EXPECT_EQ(client.concat(Direction::sent, false, 22), client.messages[0]);
  EXPECT_EQ(client.concat(Direction::received, false, 22), client.messages[1]);
  EXPECT_EQ(server.concat(Direction::sent, false, 22), server.messages[0]);
  EXPECT_EQ(server.concat(Direction::received, false, 22), server.messages[1]);
  EXPECT_EQ(to_string(client.concat(Direction::sent, false, 23)), "GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(to_string(server.concat(Direction::sent, false, 23)), "HTTP/1.0 200 OK\r\n\r\nhello");

  // Protection: clear until ChangeCipherSpec, then the suite's, with the
  // sequence number starting again at 0 (§6.1).
  bool after_ccs = false;
  uint64_t expected_seq = 0;
  for (const auto& r : client.records) {
    if (r.direction != Direction::sent) continue;
    ASSERT_GE(r.wire.size(), 5u);
    EXPECT_EQ(r.wire[0], r.type);
    EXPECT_EQ(r.seq, expected_seq++);
    if (!after_ccs) {
      EXPECT_EQ(r.protection, "");
      EXPECT_EQ(Bytes(r.wire.begin() + 5, r.wire.end()), r.plaintext);
      EXPECT_EQ(r.record_iv_length + r.mac_length, 0u);
    } else {
      EXPECT_EQ(r.protection, protection);
      EXPECT_EQ(r.record_iv_length, iv);
      EXPECT_EQ(r.mac_length, mac);
      EXPECT_EQ(r.etm, etm);
      EXPECT_GE(r.wire.size(), 5 + iv + r.plaintext.size() + mac);
    }
    if (r.type == 20) {
      after_ccs = true;
      expected_seq = 0;
    }
  }
  EXPECT_TRUE(after_ccs);
}

TEST(RecordEvents, AesGcmRecordsAreTheBytesThatCrossed) {
  expect_records_are_the_wire(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "AES-128-GCM", 8, 16, false);
}

TEST(RecordEvents, ChaCha20Poly1305RecordsAreTheBytesThatCrossed) {
  expect_records_are_the_wire(suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "CHACHA20-POLY1305", 0, 16,
                              false);
}

TEST(RecordEvents, CbcRecordsAreTheBytesThatCrossed) {
  expect_records_are_the_wire(suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
                              "AES-128-CBC with HMAC-SHA256, encrypt-then-MAC", 16, 32, true);
}

TEST(RecordEvents, NoRecordEventsUnlessAsked) {
  Seen client, server;
  run(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, client, server, /*observe=*/false);
  EXPECT_TRUE(client.records.empty());
  EXPECT_TRUE(server.records.empty());
  EXPECT_FALSE(client.messages[0].empty());  // the observer itself did run
}

}  // namespace
}  // namespace tls12::protocol
