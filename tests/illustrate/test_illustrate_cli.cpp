// `tls12 illustrate` as a user runs it: the recorded connection of
// ../shared/testvectors/illustrated-tls12 in a capture file, decoded to the
// end, in the terminal and as an illustrated page checked in headless
// Chromium; and the one-line errors of bad arguments and files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/handshake/illustrated_connection.h"
#include "tests/illustrate/capture_builder.h"
#include "tests/tools/cli_test_support.h"

namespace tls12::illustrate {
namespace {

namespace rec = test::illustrated;
using test::contains;

// The recorded connection's records, in the order they crossed.
const char* const kRecords[] = {"clienthello", "serverhello", "servercert", "serverkeyexchange", "serverhellodone",
                                "clientkeyexchange", "clientccs", "clientfinished", "serverccs", "serverfinished",
                                "clientdata", "serverdata", "clientalert"};

class IllustrateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test::make_temp_dir("tls12-illustrate-cli");
    std::vector<test::capture::Segment> segments = {{true, 7, {}, true, false}};
    uint32_t client = 8, server = 1;
    for (const char* name : kRecords) {
      const bool from_client = std::string(name).rfind("client", 0) == 0;
      const Bytes r = rec::record(name);
      uint32_t& next = from_client ? client : server;
      segments.push_back({from_client, next, r, false, true});
      next += static_cast<uint32_t>(r.size());
    }
    test::capture::Options o;
    o.pcapng = true;
    o.link_type = kLinkLinuxSll2;
    test::write_file(dir / "cap.pcapng", test::capture::capture_of(segments, o));
  }
  test::CommandResult illustrate(const std::string& args) {
    return test::run_command(test::tls12_program() + " illustrate " + args + " 2>&1");
  }
  std::string capture() const { return "--pcap '" + (dir / "cap.pcapng").string() + "'"; }
  std::string keylog() const { return "--keylog '" + (rec::dir() / "keylog.txt").string() + "'"; }
  std::filesystem::path dir;
};

// What check_page.py must find on the page: each recorded record in its lane
// with its exact bytes, and the key log's master secret shown.
nlohmann::json expected_page() {
  nlohmann::json out;
  out["show_secrets"] = true;
  out["secrets"] = nlohmann::json::array({to_hex(rec::keylog_master_secret())});
  out["records"] = nlohmann::json::array();
  for (const char* name : kRecords) {
    nlohmann::json record;
    record["from"] = std::string(name).rfind("client", 0) == 0 ? "client" : "server";
    record["wire"] = to_hex(rec::record(name));
    record["protected"] = false;
    record["plaintext"] = "";
    record["fields"] = nlohmann::json::array();
    out["records"].push_back(record);
  }
  return out;
}

TEST_F(IllustrateCli, RecordedConnectionDecodedToTheEnd) {
  const auto r = illustrate(capture() + " " + keylog() + " --port 4433 --trace=secrets");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "connection 127.0.0.1:50000 -> 127.0.0.2:4433: 14 TCP segments")) << r.output;
  EXPECT_TRUE(contains(r.output, "client > record application_data, 53 bytes, seq 1, AES-128-CBC with HMAC-SHA1, "
                                 "MAC-then-encrypt, 4 bytes of plaintext\n    70 69 6e 67\n"))
      << r.output;
  EXPECT_TRUE(contains(r.output, "client: SECRET master_secret (48 bytes)")) << r.output;
  EXPECT_TRUE(contains(r.output, "\n13 records, 5 decrypted, handshake complete\n")) << r.output;
}

TEST_F(IllustrateCli, PageOfTheRecordedConnectionShowsEveryRecordInABrowser) {
  const auto page = dir / "recorded.html", json = dir / "expected.json";
  const auto r = illustrate(capture() + " " + keylog() + " --trace=secrets -o '" + page.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "page written to " + page.string())) << r.output;
  const std::string html = test::read_text(page);
  // The decrypted application data of both sides: "ping" and "pong".
  EXPECT_TRUE(contains(html, "70 69 6e 67")) << "no ping on the page";
  EXPECT_TRUE(contains(html, "70 6f 6e 67")) << "no pong on the page";
  test::write_file(json, as_bytes(expected_page().dump()));
  const test::CommandResult checked =
      test::run_command("timeout 60 /usr/bin/python3 " + std::string(TLS12_SOURCE_DIR) +
                        "/tests/illustrate/check_page.py " + page.string() + " " + json.string() + " " + dir.string());
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_TRUE(contains(checked.output, "13 records")) << checked.output;
}

TEST_F(IllustrateCli, PageWithoutTraceSecretsRedactsTheKeyLogSecret) {
  const auto page = dir / "redacted.html";
  const auto r = illustrate(capture() + " " + keylog() + " -o '" + page.string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string html = test::read_text(page);
  const std::string master = to_hex(rec::keylog_master_secret());
  std::string spaced;
  for (size_t i = 0; i < master.size(); i += 2) spaced += (i ? " " : "") + master.substr(i, 2);
  EXPECT_FALSE(contains(html, spaced.substr(0, 47))) << "the master secret is on a page without --trace=secrets";
  EXPECT_TRUE(contains(html, "redacted (48 bytes)"));
}

TEST_F(IllustrateCli, BadArgumentsAndFilesAreOneLine) {
  auto r = illustrate(capture() + " --keylog /nonexistent/keys");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "tls12 illustrate: cannot open key log /nonexistent/keys\n");
  r = illustrate("--pcap /tmp " + keylog());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "tls12 illustrate: cannot read capture /tmp: it is a directory\n");
  r = illustrate(capture() + " " + keylog() + " --trace=messages");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "tls12 illustrate: --trace must be bytes or secrets, not 'messages'\n");
  test::write_file(dir / "bad-keys", test::capture::text("CLIENT_RANDOM 0011 22\n"));
  r = illustrate(capture() + " --keylog '" + (dir / "bad-keys").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "tls12 illustrate: key log line 1: client_random is not 64 hex digits\n");
  r = illustrate(capture() + " " + keylog() + " --port 80");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "tls12 illustrate: no TCP segment to or from port 80 in the capture\n");
  r = illustrate(keylog());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(test::first_line(r.output), "tls12 illustrate: --pcap is required (see tls12 illustrate --help)");
}

}  // namespace
}  // namespace tls12::illustrate
