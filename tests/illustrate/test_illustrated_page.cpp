// The illustrated page (illustrate/page.h) of a known in-memory connection,
// checked in a real browser: headless Chromium loads it with the network
// disabled and tests/illustrate/check_page.py asserts that every record
// (RFC 5246 §6.2) and every handshake field (§7.4) of the connection is in the
// DOM with its value, that secrets (§8.1, §6.3) are shown or redacted as
// asked, that the page names no external resource, and that a screenshot of
// it is a real image.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <variant>

#include "illustrate/html.h"
#include "illustrate/page.h"
#include "illustrate/recording.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::illustrate {
namespace {

using protocol::Direction;
namespace suites = handshake::suites;

// What the test knows of the connection, from the client's own events.
struct Known {
  struct Seen {
    Direction direction;
    uint8_t type;
    Bytes wire, plaintext;
    bool protected_record;
  };
  std::vector<Seen> records;
  std::vector<std::pair<Direction, protocol::HandshakeMessage>> messages;  // raw copied below
  std::vector<Bytes> message_raws;
  std::vector<Bytes> secrets;

  void on_event(const protocol::Event& event) {
    if (const auto* r = std::get_if<protocol::RecordSeen>(&event)) {
      records.push_back({r->direction, r->content_type, Bytes(r->wire.begin(), r->wire.end()),
                         Bytes(r->plaintext.begin(), r->plaintext.end()), !r->protection.empty()});
    } else if (const auto* m = std::get_if<protocol::HandshakeMessage>(&event)) {
      messages.emplace_back(m->direction, *m);
      message_raws.emplace_back(m->raw.begin(), m->raw.end());
    } else if (const auto* s = std::get_if<protocol::SecretDerived>(&event)) {
      secrets.emplace_back(s->value.begin(), s->value.end());
    }
  }

  // Each record with the fields of the handshake messages wholly inside it.
  nlohmann::json expected(bool show_secrets) const {
    nlohmann::json out;
    out["show_secrets"] = show_secrets;
    out["secrets"] = nlohmann::json::array();
    for (const auto& s : secrets) out["secrets"].push_back(to_hex(s));
    out["records"] = nlohmann::json::array();
    size_t stream[2] = {0, 0};
    for (const auto& r : records) {
      nlohmann::json record;
      record["from"] = r.direction == Direction::sent ? "client" : "server";
      record["wire"] = to_hex(r.wire);
      record["plaintext"] = to_hex(r.plaintext);
      record["protected"] = r.protected_record;
      record["fields"] = nlohmann::json::array();
      if (r.type == 22) {
        const int lane = r.direction == Direction::sent ? 0 : 1;
        const size_t begin = stream[lane], end = begin + r.plaintext.size();
        size_t at = 0;
        for (size_t i = 0; i < messages.size(); ++i) {
          if ((messages[i].first == Direction::sent ? 0 : 1) != lane) continue;
          const size_t m_begin = at, m_end = at + message_raws[i].size();
          at = m_end;
          if (m_begin < begin || m_end > end) continue;
          for (const auto& field : messages[i].second.fields)
            record["fields"].push_back({messages[i].second.name + "." + field.name, field.value});
        }
        stream[lane] = end;
      }
      out["records"].push_back(record);
    }
    return out;
  }
};

// A client and server in memory, the client's view drawn; the connection
// carries an HTTP request and answer, then closes.
std::pair<Recording, nlohmann::json> connection(handshake::CipherSuite suite, bool show_secrets) {
  Builder builder(Perspective::client);
  auto known = std::make_shared<Known>();
  protocol::ClientConfig client_config = test::test_client_config();
  client_config.cipher_suites = {suite};
  client_config.observe_records = true;
  client_config.observer = [builder, known](const protocol::Event& event) {
    builder.on_event(event);
    known->on_event(event);
  };
  protocol::Connection client(std::move(client_config)), server(test::test_server_config());
  client.write(as_bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  test::pump(client, server);
  EXPECT_TRUE(client.handshake_complete()) << client.error();
  server.write(as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello <b>&"));
  client.close();
  test::pump(client, server);
  return {builder.recording(), known->expected(show_secrets)};
}

void check_in_browser(handshake::CipherSuite suite, bool show_secrets, const std::string& name) {
  auto [recording, expected] = connection(suite, show_secrets);
  ASSERT_GE(expected["records"].size(), 10u);
  const auto dir = test::make_temp_dir("illustrate-" + name);
  const auto page = dir / "page.html", json = dir / "expected.json";
  PageOptions options;
  options.show_secrets = show_secrets;
  options.title = "tls12 test connection";
  write_page(page.string(), recording, options);
  test::write_file(json, as_bytes(expected.dump()));
  const test::CommandResult result =
      test::run_command("timeout 60 /usr/bin/python3 " + std::string(TLS12_SOURCE_DIR) +
                        "/tests/illustrate/check_page.py " + page.string() + " " + json.string() + " " + dir.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(std::to_string(expected["records"].size()) + " records"), std::string::npos)
      << result.output;
}

TEST(IllustratedPage, AesGcmConnectionWithSecretsInBrowser) {
  check_in_browser(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, true, "gcm");
}

TEST(IllustratedPage, CbcConnectionRedactedInBrowser) {
  check_in_browser(suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, false, "cbc");
}

// Runs a check script of tests/illustrate/ on the page of an AES-GCM
// connection (secrets redacted); it must pass and print `summary`.
void check_page_with(const std::string& script, const std::string& summary) {
  auto recording = connection(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, false).first;
  const auto dir = test::make_temp_dir("illustrate-" + script);
  const auto page = dir / "page.html";
  write_page(page.string(), recording, {});
  const test::CommandResult result =
      test::run_command("timeout 60 /usr/bin/python3 " + std::string(TLS12_SOURCE_DIR) + "/tests/illustrate/" +
                        script + ".py " + page.string() + " " + dir.string());
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(summary), std::string::npos) << result.output;
}

// The page's script in a real browser: Tab and the arrow keys move between
// fields and a mouse move over a byte shows its field, each highlighted and
// named in the info bar; no request leaves the page
// (tests/illustrate/check_interaction.py drives Chromium's DevTools protocol).
TEST(IllustratedPage, KeyboardAndHoverInBrowser) {
  check_page_with("check_interaction", "keyboard and hover checked");
}

// Printing: --print-to-pdf makes a real PDF of several pages, and the
// @media print rules alone expand every record's field table
// (tests/illustrate/check_print.py).
TEST(IllustratedPage, PrintsEveryFieldTable) { check_page_with("check_print", "printing checked"); }

// Peer-chosen text never becomes markup: an Undecoded reason, an alert
// reason and application data are escaped.
TEST(IllustratedPage, PeerTextIsEscaped) {
  Builder builder(Perspective::client);
  const uint8_t bytes[] = {0x3c, 0x68, 0x31, 0x3e};
  builder.on_event(protocol::Undecoded{Direction::received, bytes, "record 1: <script>alert(1)</script>"});
  const std::string page = render_page(builder.recording(), {});
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("3c 68 31 3e"), std::string::npos);
  EXPECT_EQ(escape("a<b>\"c'&"), "a&lt;b&gt;&quot;c&#39;&amp;");
}

// A long connection keeps memory bounded: past the limit records are counted,
// not kept, and the page says how many are missing.
TEST(IllustratedPage, RecordsPastTheLimitAreCountedNotKept) {
  Builder builder(Perspective::client, /*max_bytes=*/100);
  const uint8_t record[60] = {23, 3, 3, 0, 55};
  for (int i = 0; i < 3; ++i)
    builder.on_event(protocol::RecordSeen{Direction::sent, 23, static_cast<uint64_t>(i), record, {}, "", 0, 0, false});
  EXPECT_EQ(builder.recording().items.size(), 1u);
  EXPECT_EQ(builder.recording().items_dropped, 2u);
  EXPECT_NE(render_page(builder.recording(), {}).find("2 more records (120 bytes) are not drawn"), std::string::npos);
}

// Without show_secrets no secret's bytes appear anywhere in the file.
TEST(IllustratedPage, SecretsRedactedUnlessAsked) {
  auto [recording, expected] = connection(suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, false);
  const std::string redacted = render_page(recording, {});
  PageOptions with;
  with.show_secrets = true;
  const std::string shown = render_page(recording, with);
  ASSERT_FALSE(recording.secrets.empty());
  for (const auto& secret : recording.secrets) {
    std::string spaced;
    for (size_t i = 0; i < secret.value.size(); ++i) spaced += (i ? " " : "") + to_hex(ByteView(secret.value).subspan(i, 1));
    EXPECT_EQ(redacted.find(spaced), std::string::npos) << handshake::secret_name(secret.secret);
    EXPECT_NE(shown.find(spaced), std::string::npos) << handshake::secret_name(secret.secret);
  }
  EXPECT_NE(redacted.find("redacted (48 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace tls12::illustrate
