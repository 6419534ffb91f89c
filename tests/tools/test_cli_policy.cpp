// The validation policy and the common-name fallback from the command line:
// `tls12 client --policy rfc5280|web` and `--allow-cn-fallback` against
// `openssl s_server` serving certificates of the x509 test PKI, and the
// --policy option of verify, client and server (help text, bad values).
#include <gtest/gtest.h>

#include "tests/tools/cli_test_support.h"
#include "tests/x509/test_pki.h"

namespace tls12::tools {
namespace {

using test::contains;

std::string pki(const char* file) { return (test::test_pki_dir() / file).string(); }

test::CommandResult tls12(const std::string& args) {
  return test::run_command("timeout 60 " + test::tls12_program() + " " + args + " 2>&1");
}

class ClientPolicy : public ::testing::Test {
 protected:
  std::filesystem::path dir = test::make_temp_dir("tls12-cli-policy");

  // openssl s_server with this certificate (all test PKI leaves use
  // server.key); it is killed when the test ends.
  void s_server(const char* cert) {
    port_ = test::free_port();
    server_.emplace(std::vector<std::string>{"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port_),
                                             "-cert", pki(cert), "-key", pki("server.key"), "-rev"},
                    dir / (std::string(cert) + ".log"));
    ASSERT_TRUE(test::wait_for_port(port_, 20)) << server_->log();
  }
  test::CommandResult client(const std::string& options) {
    return tls12("client 127.0.0.1:" + std::to_string(port_) + " --servername localhost --ca " + pki("ca.pem") + " " +
                 options + " </dev/null");
  }
  uint16_t port_ = 0;
  std::optional<test::Child> server_;
};

TEST_F(ClientPolicy, LeafWithoutSubjectAltNameSaysHowToFixIt) {
  s_server("v1-leaf.pem");
  const auto refused = client("");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(contains(refused.output, "sent bad_certificate")) << refused.output;
  EXPECT_TRUE(contains(refused.output,
                       "certificate at depth 0 'CN=localhost,O=tls12 test' has no subjectAltName, so it names no host "
                       "name (RFC 6125 §6.4.4: the subject CN is not used); reissue it with -addext "
                       "\"subjectAltName=DNS:localhost\", or accept the CN with --allow-cn-fallback"))
      << refused.output;
}

TEST_F(ClientPolicy, CommonNameFallbackAcceptsTheSameLeaf) {
  s_server("v1-leaf.pem");
  const auto accepted = client("--allow-cn-fallback");
  EXPECT_EQ(accepted.exit_code, 0) << accepted.output;
  EXPECT_TRUE(contains(accepted.output, "Verification: OK")) << accepted.output;
}

TEST_F(ClientPolicy, WebPolicyRefusesALeafWithoutExtendedKeyUsage) {
  s_server("web-no-eku.pem");
  const auto rfc5280 = client("");
  EXPECT_EQ(rfc5280.exit_code, 0) << "rfc5280 (the default) accepts it: " << rfc5280.output;
  const auto web = client("--policy web");
  EXPECT_EQ(web.exit_code, 1) << web.output;
  EXPECT_TRUE(contains(web.output, "sent unsupported_certificate")) << web.output;
  EXPECT_TRUE(contains(web.output, "bad_extended_key_usage")) << web.output;
  EXPECT_TRUE(contains(web.output, "has no extKeyUsage; a server leaf needs serverAuth (BR 7.1.2.7.10)")) << web.output;
}

TEST(PolicyOption, EveryCommandHasItAndRefusesUnknownPolicies) {
  for (const char* command : {"verify", "client", "server"}) {
    const auto help = tls12(std::string(command) + " --help");
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_TRUE(contains(help.output, "--policy")) << command << "\n" << help.output;
  }
  EXPECT_TRUE(contains(tls12("client --help").output, "--allow-cn-fallback"));
  const std::string cert = " --cert " + pki("server.pem") + " --key " + pki("server.key");
  for (const std::string& args : {"verify --policy strict --ca " + pki("ca.pem") + " " + pki("server.pem"),
                                  "client 127.0.0.1:1 --policy strict --ca " + pki("ca.pem"),
                                  "server --policy strict" + cert}) {
    const auto r = tls12(args + " </dev/null");
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_TRUE(contains(test::first_line(r.output), "--policy")) << args << "\n" << r.output;
  }
}

}  // namespace
}  // namespace tls12::tools
