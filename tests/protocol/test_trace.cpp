// The trace renderer (protocol/trace.h): level parsing, what each level shows
// and hides, the annotated bytes of real handshake messages from an in-memory
// handshake, and the layout of a protected record.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <tuple>

#include "protocol/connection.h"
#include "handshake/extensions.h"
#include "protocol/printable.h"
#include "protocol/trace.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Trace, ParsesLevels) {
  EXPECT_EQ(parse_trace_level("off"), TraceLevel::off);
  EXPECT_EQ(parse_trace_level("messages"), TraceLevel::messages);
  EXPECT_EQ(parse_trace_level("bytes"), TraceLevel::bytes);
  EXPECT_EQ(parse_trace_level("secrets"), TraceLevel::secrets);
  EXPECT_EQ(parse_trace_level("Bytes"), std::nullopt);
  EXPECT_EQ(parse_trace_level(""), std::nullopt);
  for (auto level : {TraceLevel::off, TraceLevel::messages, TraceLevel::bytes, TraceLevel::secrets})
    EXPECT_EQ(parse_trace_level(trace_level_name(level)), level);
}

TEST(Trace, HexLines) {
  Bytes bytes{0x00, 0x01, 0xab, 0xff, 0x10};
  EXPECT_EQ(hex_lines(bytes, "  ", 2), "  00 01\n  ab ff\n  10\n");
  EXPECT_EQ(hex_lines({}, "  "), "");
}

TEST(Trace, LevelsShowAndHide) {
  Bytes secret(48, 0x5a);
  Bytes client_random(32, 0x01);
  Event event = SecretDerived{Secret::master_secret, secret, client_random};
  EXPECT_EQ(TraceRenderer(TraceLevel::messages, "client").render(event), "");
  EXPECT_EQ(TraceRenderer(TraceLevel::bytes, "client").render(event), "");
  std::string shown = TraceRenderer(TraceLevel::secrets, "client").render(event);
  EXPECT_TRUE(contains(shown, "client: SECRET master_secret (48 bytes)")) << shown;
  EXPECT_EQ(std::count(shown.begin(), shown.end(), '\n'), 3) << "a title and two lines of 24 bytes: " << shown;

  Event alert = AlertEvent{Direction::sent, record::AlertLevel::fatal, record::AlertDescription::bad_certificate,
                           "the chain does not verify"};
  EXPECT_EQ(TraceRenderer(TraceLevel::messages, "server").render(alert),
            "server > Alert fatal bad_certificate: the chain does not verify\n");
  EXPECT_EQ(TraceRenderer(TraceLevel::off, "server").render(alert), "");
  EXPECT_EQ(TraceRenderer(TraceLevel::messages, "client").render(Event{ChangeCipherSpec{Direction::received}}),
            "client < ChangeCipherSpec\n");
}

// Peer-controlled text cannot drive the terminal or forge a log line.
TEST(Trace, ControlCharactersArePrintedEscaped) {
  EXPECT_EQ(printable("ok.example"), "ok.example");
  EXPECT_EQ(printable(std::string("a\x1b[2J\nb\\c\x7f\0", 11)), "a\\x1b[2J\\x0ab\\\\c\\x7f\\x00");
  EXPECT_EQ(printable("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 is kept
  Event alert = AlertEvent{Direction::received, record::AlertLevel::fatal, record::AlertDescription::bad_certificate,
                           "name \"\x1b]0;owned\x07\"\nserver: forged line"};
  const std::string line = TraceRenderer(TraceLevel::messages, "client").render(alert);
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_NE(line.find("\\x1b]0;owned\\x07"), std::string::npos) << line;
}

// A server name with a control character: the server refuses it, and neither
// its alert's sentence nor its trace carries the raw byte.
TEST(Trace, APeersServerNameIsEscapedInAlertsAndTraces) {
  std::ostringstream server_out;
  auto client_config = test::test_client_config();
  client_config.edit_client_hello = [](handshake::ClientHello& hello) {
    for (auto& extension : hello.extensions)
      if (extension.type == handshake::ExtensionType::server_name)
        extension.data = handshake::encode_server_name(".\x1b[2J");
  };
  auto server_config = test::test_server_config();
  server_config.observer = trace_observer(server_out, TraceLevel::bytes, "server");
  Connection client(std::move(client_config));
  Connection server(std::move(server_config));
  test::pump(client, server);
  ASSERT_TRUE(server.alert_sent().has_value());
  EXPECT_EQ(server.alert_sent()->description, record::AlertDescription::illegal_parameter);
  EXPECT_EQ(server.alert_sent()->reason.find('\x1b'), std::string::npos) << server.alert_sent()->reason;
  EXPECT_NE(server.alert_sent()->reason.find("\\x1b[2J"), std::string::npos) << server.alert_sent()->reason;
  EXPECT_EQ(server_out.str().find('\x1b'), std::string::npos) << server_out.str();
}

// A real handshake in memory, traced on both sides.
struct TracedHandshake {
  std::ostringstream client_out, server_out;
  // `suites`: what the client offers; empty: the test default.
  explicit TracedHandshake(TraceLevel level, std::vector<handshake::CipherSuite> suites = {}) {
    auto client_config = test::test_client_config();
    if (!suites.empty()) client_config.cipher_suites = std::move(suites);
    client_config.observer = trace_observer(client_out, level, "client");
    auto server_config = test::test_server_config();
    server_config.observer = trace_observer(server_out, level, "server");
    Connection client(std::move(client_config));
    Connection server(std::move(server_config));
    test::pump(client, server);
    EXPECT_TRUE(client.handshake_complete());
  }
};

TEST(Trace, MessagesLevelIsOneLinePerStep) {
  TracedHandshake h(TraceLevel::messages);
  std::string c = h.client_out.str();
  std::regex order("client > ClientHello \\(\\d+ bytes\\).*\n"
                   "client < ServerHello \\(\\d+ bytes\\): cipher_suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.*\n"
                   "client < Certificate \\(\\d+ bytes\\): 1 certificate, first CN=localhost.*\n"
                   "client: the server's chain verified: CN=localhost.* <- .*; name localhost matched\n"
                   "client < ServerKeyExchange \\(\\d+ bytes\\): named_curve x25519, signed with rsa_pss_rsae_sha256\n"
                   "client: ServerKeyExchange signature \\(rsa_pss_rsae_sha256\\) verified\n"
                   "client < ServerHelloDone \\(4 bytes\\)\n"
                   "client > ClientKeyExchange \\(\\d+ bytes\\)\n"
                   "client > ChangeCipherSpec\n"
                   "client: records it sends are now protected with AES-128-GCM\n"
                   "client > Finished \\(16 bytes\\): verify_data [0-9a-f]{24}\n"
                   "client < ChangeCipherSpec\n"
                   "client: records it receives are now protected with AES-128-GCM\n"
                   "client < Finished \\(16 bytes\\): verify_data [0-9a-f]{24}\n"
                   "client: the server's Finished: received verify_data [0-9a-f]{24}, expected [0-9a-f]{24}: equal\n"
                   "client: handshake complete, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n");
  EXPECT_TRUE(std::regex_match(c, order)) << c;
  EXPECT_FALSE(contains(h.server_out.str(), "SECRET"));
  EXPECT_TRUE(contains(h.server_out.str(), "server < ClientHello")) << h.server_out.str();
}

TEST(Trace, BytesLevelAnnotatesEveryByteOfTheClientHello) {
  TracedHandshake h(TraceLevel::bytes);
  std::string c = h.client_out.str();
  // The ClientHello's annotated block: every hex byte shown, in wire order.
  size_t start = c.find("client > ClientHello (");
  ASSERT_NE(start, std::string::npos) << c;
  size_t declared = std::stoul(c.substr(start + 22));
  size_t end = c.find("\nclient ", start + 1);
  std::string block = c.substr(c.find('\n', start) + 1, end - c.find('\n', start));
  EXPECT_TRUE(std::regex_search(block, std::regex("^    01 +msg_type: ClientHello\n"))) << block;
  EXPECT_TRUE(std::regex_search(block, std::regex("\n    03 03 +client_version: TLS 1\\.2 \\(0x0303\\)\n")))
      << block;
  EXPECT_TRUE(contains(block, "extensions.server_name: localhost")) << block;
  size_t hex_bytes = 0;
  std::istringstream lines(block);
  for (std::string line; std::getline(lines, line);) {
    std::string hex = line.substr(4, 36);
    for (size_t i = 0; i + 1 < hex.size(); i += 3)
      if (std::isxdigit(static_cast<unsigned char>(hex[i]))) ++hex_bytes;
  }
  EXPECT_EQ(hex_bytes, declared) << "every byte of the message appears exactly once\n" << block;
  EXPECT_FALSE(contains(c, "SECRET"));
}

TEST(Trace, SecretsLevelShowsTheKeySchedule) {
  TracedHandshake h(TraceLevel::secrets);
  std::string c = h.client_out.str();
  for (const char* name : {"pre_master_secret (32 bytes)", "master_secret (48 bytes)", "client_write_key (16 bytes)",
                           "server_write_key (16 bytes)", "client_write_IV (4 bytes)", "server_write_IV (4 bytes)"})
    EXPECT_TRUE(contains(c, std::string("client: SECRET ") + name)) << name << "\n" << c;
  // Both sides derive the same master_secret.
  auto master = [](const std::string& text) {
    size_t at = text.find("SECRET master_secret");
    size_t line = text.find('\n', at) + 1;
    return text.substr(line, text.find("\n", text.find('\n', line) + 1) - line);
  };
  EXPECT_EQ(master(c), master(h.server_out.str()));
}

// A CBC suite's key_block (RFC 5246 §6.3) is client_write_MAC_key,
// server_write_MAC_key, client_write_key, server_write_key; its IVs have
// length 0 (each record carries its own), so no IV is shown.
TEST(Trace, SecretsLevelShowsTheCbcKeyBlock) {
  for (auto [suite, mac, key] : {std::tuple{handshake::suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 20, 16},
                                 std::tuple{handshake::suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, 48, 32}}) {
    TracedHandshake h(TraceLevel::secrets, {suite});
    const std::string c = h.client_out.str();
    const std::string parts[] = {
        "client: SECRET master_secret (48 bytes)",
        "client: SECRET client_write_MAC_key (" + std::to_string(mac) + " bytes)",
        "client: SECRET server_write_MAC_key (" + std::to_string(mac) + " bytes)",
        "client: SECRET client_write_key (" + std::to_string(key) + " bytes)",
        "client: SECRET server_write_key (" + std::to_string(key) + " bytes)"};
    size_t at = 0;
    for (const auto& part : parts) {
      at = c.find(part, at);
      ASSERT_NE(at, std::string::npos) << part << " (in this order)\n" << c;
    }
    EXPECT_FALSE(contains(c, "_write_IV")) << c;
  }
}

// The checks reach the observer, and the trace, as the engine made them: a
// refused chain with its reason before the alert it causes, and a handshake
// that passes reports each check passed.
TEST(Trace, ChecksAreReportedWithTheirResults) {
  ClientConfig cc = test::test_client_config();
  cc.server_name = "www.example.org";
  std::vector<std::string> order;
  std::optional<PeerChainChecked> refused;
  cc.observer = [&](const Event& event) {
    if (const auto* chain = std::get_if<PeerChainChecked>(&event)) {
      refused = *chain;
      order.push_back("chain");
    }
    if (const auto* alert = std::get_if<AlertEvent>(&event); alert && alert->direction == Direction::sent)
      order.push_back("alert");
  };
  Connection client(cc);
  Connection server(test::test_server_config());
  test::pump(client, server);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(order, (std::vector<std::string>{"chain", "alert"}));
  EXPECT_EQ(refused->reason, x509::Reason::hostname_mismatch);
  EXPECT_EQ(TraceRenderer(TraceLevel::messages, "client").render(Event{*refused}).rfind(
                "client: the server's chain refused (hostname_mismatch): ", 0),
            0u);

  std::ostringstream out;
  ClientConfig good = test::test_client_config();
  good.observer = trace_observer(out, TraceLevel::messages, "client");
  Connection client2(good);
  Connection server2(test::test_server_config());
  test::pump(client2, server2);
  ASSERT_TRUE(client2.handshake_complete()) << client2.error();
  const std::string trace = out.str();
  EXPECT_TRUE(contains(trace, "client: the server's chain verified: ")) << trace;
  EXPECT_TRUE(contains(trace, "name localhost matched")) << trace;
  EXPECT_TRUE(std::regex_search(trace, std::regex("client: the server's Finished: received verify_data ([0-9a-f]{24}), "
                                                  "expected \\1: equal\n")))
      << trace;
}

// A Finished that does not match is reported with both values, unequal.
TEST(Trace, FinishedMismatchRendersBothValues) {
  FinishedChecked check;
  check.sender = handshake::Sender::client;
  check.expected.fill(0x11);
  check.received.fill(0x22);
  check.equal = false;
  EXPECT_EQ(TraceRenderer(TraceLevel::messages, "server").render(Event{check}),
            "server: the client's Finished: received verify_data 222222222222222222222222, expected "
            "111111111111111111111111: NOT equal\n");
}

TEST(Trace, ProtectedRecordLayout) {
  Bytes record{0x17, 0x03, 0x03, 0x00, 0x1b};
  for (int i = 0; i < 8; ++i) record.push_back(static_cast<uint8_t>(i));     // nonce_explicit
  for (int i = 0; i < 3; ++i) record.push_back(0xc0);                        // ciphertext
  for (int i = 0; i < 16; ++i) record.push_back(0xee);                       // tag
  std::string gcm = TraceRenderer::render_protected_record(record, 8, "");
  EXPECT_TRUE(contains(gcm, "17                                    ContentType: application_data (23)")) << gcm;
  EXPECT_TRUE(contains(gcm, "00 1b                                 length: 27")) << gcm;
  EXPECT_TRUE(contains(gcm, "00 01 02 03 04 05 06 07               nonce_explicit")) << gcm;
  EXPECT_TRUE(contains(gcm, "c0 c0 c0                              encrypted content (3 bytes")) << gcm;
  EXPECT_TRUE(contains(gcm, "ee ee ee ee ee ee ee ee ee ee ee ee   authentication tag")) << gcm;
  std::string chacha = TraceRenderer::render_protected_record(record, 0, "");
  EXPECT_FALSE(contains(chacha, "nonce_explicit"));
  EXPECT_TRUE(contains(chacha, "encrypted content (11 bytes")) << chacha;
  std::string short_record = TraceRenderer::render_protected_record(ByteView(record).first(10), 8, "");
  EXPECT_TRUE(contains(short_record, "too short")) << short_record;
}

}  // namespace
}  // namespace tls12::protocol
