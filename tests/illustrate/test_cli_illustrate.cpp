// `--illustrate` of `tls12 client`, `server` and `demo` as a user runs them:
// each writes the illustrated page (illustrate/page.h) of its connections
// (RFC 5246 §6.2 records, §7.4 messages), the server one numbered file per
// connection, secrets only with --trace=secrets.
#include <gtest/gtest.h>

#include <regex>

#include "tests/tools/cli_test_support.h"

namespace tls12::test {
namespace {

std::string client_hello_random(const std::string& page) {
  std::smatch m;
  static const std::regex random(R"(<td class="n">ClientHello\.random</td><td class="v">([0-9a-f]{64})</td>)");
  return std::regex_search(page, m, random) ? m[1].str() : "";
}

std::string client(uint16_t port, const std::string& options) {
  CommandResult r = run_command("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | " + tls12_program() + " client 127.0.0.1:" +
                                std::to_string(port) + " --ca " + demo_pki("ca.crt") + " --quiet " + options + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.output;
}

TEST(CliIllustrate, ClientAndServerDrawTheSameConnections) {
  const auto dir = make_temp_dir("cli-illustrate");
  OurServer server({"--www", "--accept", "2", "--illustrate", (dir / "server.html").string()}, dir);
  client(server.port(), "--illustrate " + (dir / "plain.html").string());
  client(server.port(), "--illustrate " + (dir / "secrets.html").string() + " --trace=secrets");
  ASSERT_EQ(server.child().wait(20), 0) << server.child().log();

  const std::string plain = read_text(dir / "plain.html"), secrets = read_text(dir / "secrets.html");
  const std::string first = read_text(dir / "server-1.html"), second = read_text(dir / "server-2.html");
  // Both sides drew each connection: the same ClientHello.random.
  ASSERT_FALSE(client_hello_random(plain).empty());
  EXPECT_EQ(client_hello_random(plain), client_hello_random(first));
  EXPECT_EQ(client_hello_random(secrets), client_hello_random(second));
  EXPECT_NE(client_hello_random(first), client_hello_random(second));
  // Secrets only where asked: the client with --trace=secrets.
  EXPECT_TRUE(contains(plain, "redacted (48 bytes)"));
  EXPECT_FALSE(contains(secrets, "redacted ("));
  EXPECT_TRUE(contains(first, "redacted (48 bytes)"));
  // The HTTP answer is on the client's page, as plaintext beside its record.
  EXPECT_TRUE(contains(plain, "HTTP/1.0 200 OK"));
}

TEST(CliIllustrate, IllustrateSelfNeedsWww) {
  CommandResult r = run_command(tls12_program() + " server --port 0 --cert " + demo_pki("server.bundle.crt") +
                                " --key " + demo_pki("server.key") + " --illustrate-self 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "--illustrate-self needs --www")) << r.output;
}

TEST(CliIllustrate, DemoWritesItsPageWithItsKeys) {
  const auto dir = make_temp_dir("demo-illustrate");
  CommandResult r = run_command(tls12_program() + " demo --kx ecdhe --illustrate " + (dir / "demo.html").string() +
                                " > /dev/null 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string page = read_text(dir / "demo.html");
  EXPECT_TRUE(contains(page, "ClientKeyExchange.exchange_keys.ecdh_Yc"));
  EXPECT_TRUE(contains(page, "client_write_key (16)"));
  EXPECT_FALSE(contains(page, "redacted ("));
}

}  // namespace
}  // namespace tls12::test
