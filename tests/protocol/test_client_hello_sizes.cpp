// Large ClientHellos through two in-memory Connections (RFC 5246 §7.4.1.2, §6.2.1):
// the server's limits are sizes, not counts (handshake/limits.h). Hellos of
// 16, 32, 64 and 128 KiB, up to the largest the encoding allows (131,396 bytes
// of body), with 1 to 32,000 cipher suites, 16,000 extensions, a 16 KiB ALPN
// list or 30,000 signature schemes complete the handshake; a header announcing
// more than the largest ClientHello, or more than a server's configured limit,
// is illegal_parameter before the rest is buffered.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

#include "handshake/extensions.h"
#include "handshake/messages.h"
#include "protocol/connection.h"
#include "record/record.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
using handshake::ClientHello;
using handshake::Extension;
using handshake::ExtensionType;
using record::AlertDescription;
namespace suites = handshake::suites;

constexpr CipherSuite kSuite = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
constexpr auto kPadding = static_cast<ExtensionType>(21);  // RFC 7685

size_t message_size(const ClientHello& hello) { return hello.encode().size(); }

size_t extension_block_size(const ClientHello& hello) {
  size_t size = 0;
  for (const Extension& extension : hello.extensions) size += 4 + extension.data.size();
  return size;
}

// `count` cipher suites nobody implements (no SCSV either), in front of the
// real ones: the server has to look past all of them.
void add_unknown_suites(ClientHello& hello, size_t count) {
  std::vector<CipherSuite> unknown;
  for (uint32_t code = 0x0100; unknown.size() < count; ++code) {
    const auto suite = static_cast<CipherSuite>(code);
    if (handshake::find_cipher_suite(suite) == nullptr && suite != suites::TLS_FALLBACK_SCSV) unknown.push_back(suite);
  }
  hello.cipher_suites.insert(hello.cipher_suites.begin(), unknown.begin(), unknown.end());
}

// Grows the hello to exactly `target` bytes (header included): unknown suites
// for what the 65,535-byte extension block cannot hold, then one padding
// extension of zeros for the rest.
void grow_to(ClientHello& hello, size_t target) {
  const size_t room_in_extensions = 0xffff - extension_block_size(hello);  // padding header included
  const size_t need = target - message_size(hello);
  if (need > room_in_extensions) add_unknown_suites(hello, (need - room_in_extensions + 1) / 2);
  hello.extensions.push_back(Extension{kPadding, Bytes(target - message_size(hello) - 4, 0)});
  ASSERT_EQ(message_size(hello), target);
}

ClientConfig client_editing(std::function<void(ClientHello&)> edit) {
  ClientConfig config = test::test_client_config();
  config.cipher_suites = {kSuite};
  config.edit_client_hello = std::move(edit);
  return config;
}

// Runs the handshake; expects it complete on both sides with kSuite.
void expect_handshake(const ClientConfig& client_config, const ServerConfig& server_config = test::test_server_config()) {
  Connection client(client_config);
  Connection server(server_config);
  test::pump(client, server);
  ASSERT_TRUE(server.handshake_complete()) << server.error();
  ASSERT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_EQ(server.negotiated().cipher_suite->id, kSuite);
}

TEST(ClientHelloSizes, HellosOf16To128KiBCompleteTheHandshake) {
  for (size_t kib : {16, 32, 64, 128}) {
    SCOPED_TRACE(std::to_string(kib) + " KiB");
    size_t seen = 0;
    expect_handshake(client_editing([&](ClientHello& hello) {
      grow_to(hello, kib * 1024);
      seen = message_size(hello);
    }));
    EXPECT_EQ(seen, kib * 1024);
  }
}

TEST(ClientHelloSizes, TheLargestEncodableHelloCompletesTheHandshake) {
  expect_handshake(client_editing([](ClientHello& hello) {
    hello.session_id = Bytes(32, 0x5a);  // unknown to the server: a full handshake
    hello.compression_methods.resize(255);
    for (size_t i = 1; i < 255; ++i) hello.compression_methods[i] = static_cast<uint8_t>(i);
    add_unknown_suites(hello, 32767 - hello.cipher_suites.size());
    grow_to(hello, record::kHandshakeHeaderSize + record::kMaxClientHelloBodySize);
  }));
}

TEST(ClientHelloSizes, AnyNumberOfCipherSuitesCompletesTheHandshake) {
  for (size_t count : {1, 256, 1000, 32000}) {
    SCOPED_TRACE(std::to_string(count) + " suites");
    size_t seen = 0;
    expect_handshake(client_editing([&](ClientHello& hello) {
      add_unknown_suites(hello, count - hello.cipher_suites.size());
      seen = hello.cipher_suites.size();
    }));
    EXPECT_EQ(seen, count);
  }
}

TEST(ClientHelloSizes, SixteenThousandExtensionsCompleteTheHandshake) {
  expect_handshake(client_editing([](ClientHello& hello) {
    for (uint16_t i = 0; i < 16000; ++i) hello.extensions.push_back(Extension{static_cast<ExtensionType>(0x1000 + i), {}});
  }));
}

TEST(ClientHelloSizes, ASixteenKiBAlpnListCompletesTheHandshake) {
  ClientConfig cc = client_editing({});
  for (int i = 0; i < 80; ++i) cc.alpn_protocols.push_back(std::string(200, static_cast<char>('a' + i % 26)) + std::to_string(i));
  cc.alpn_protocols.push_back("http/1.1");
  ServerConfig sc = test::test_server_config();
  sc.alpn_protocols = {"http/1.1"};
  Connection client(cc);
  Connection server(sc);
  test::pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << server.error();
  EXPECT_EQ(server.negotiated().alpn_protocol, "http/1.1");
}

TEST(ClientHelloSizes, ThirtyThousandSignatureSchemesCompleteTheHandshake) {
  expect_handshake(client_editing([](ClientHello& hello) {
    std::vector<handshake::SignatureScheme> schemes;
    for (uint16_t i = 0; i < 30000; ++i) schemes.push_back(static_cast<handshake::SignatureScheme>(0x1000 + i));
    schemes.push_back(handshake::SignatureScheme::rsa_pss_rsae_sha256);
    for (Extension& extension : hello.extensions)
      if (extension.type == ExtensionType::signature_algorithms)
        extension.data = handshake::encode_signature_algorithms(schemes);
  }));
}

// The first record of a ClientHello whose header announces `body_length`.
Bytes first_record_announcing(size_t body_length) {
  constexpr size_t fragment_size = 1000;
  Bytes record(record::kRecordHeaderSize + fragment_size, 0);
  const uint8_t header[] = {static_cast<uint8_t>(record::ContentType::handshake), 3, 1, fragment_size >> 8,
                            fragment_size & 0xff,
                            // the handshake header: client_hello, uint24 length
                            1, static_cast<uint8_t>(body_length >> 16), static_cast<uint8_t>(body_length >> 8),
                            static_cast<uint8_t>(body_length)};
  std::copy(std::begin(header), std::end(header), record.begin());
  return record;
}

// Above the largest ClientHello: no such hello can exist, so the header alone
// decides, and the answer is the one for any excessive message.
TEST(ClientHelloSizes, AHeaderAboveTheLargestHelloIsIllegalParameter) {
  Connection server(test::test_server_config());
  server.feed(first_record_announcing(record::kMaxClientHelloBodySize + 1));
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, AlertDescription::illegal_parameter) << server.alert_sent()->reason;
  // The largest one itself is not refused at its header.
  Connection patient(test::test_server_config());
  patient.feed(first_record_announcing(record::kMaxClientHelloBodySize));
  EXPECT_FALSE(patient.alert_sent().has_value());
}

TEST(ClientHelloSizes, AConfiguredLimitIsIllegalParameterAtTheHeader) {
  ServerConfig sc = test::test_server_config();
  sc.limits.max_client_hello_size = 16 * 1024;
  expect_handshake(client_editing([](ClientHello& hello) { grow_to(hello, 16 * 1024); }), sc);
  Connection client(client_editing([](ClientHello& hello) { grow_to(hello, 16 * 1024 + 1); }));
  Connection server(sc);
  test::pump(client, server);
  test::expect_alert(server, client, AlertDescription::illegal_parameter);
  // The record layer's limit is on the body: 16 KiB less the 4-byte header.
  EXPECT_NE(server.alert_sent()->reason.find("limit of 16380"), std::string::npos) << server.alert_sent()->reason;
}

}  // namespace
}  // namespace tls12::protocol
