// `tls12 server` and `tls12 client` run as programs against real peers:
// openssl s_client and curl against our server (--www, --echo, client
// certificates), our client against openssl s_server, a client that vanishes
// mid-handshake, SIGTERM, the key log, traces, and the exit status and
// one-line message of bad arguments. Every child runs under a timeout and is
// killed at the end of its test.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <regex>

#include "tests/tools/cli_test_support.h"

namespace tls12::tools {
namespace {

using test::contains;
using test::demo_pki;

std::string q(const std::string& s) { return "'" + s + "'"; }

// `openssl s_client` against 127.0.0.1:port with the demo CA; `input` is its stdin.
test::CommandResult s_client(uint16_t port, const std::string& options, const std::string& input = "") {
  return test::run_command("printf '" + input + "' | timeout 30 openssl s_client -connect 127.0.0.1:" +
                           std::to_string(port) + " -servername localhost -CAfile " + q(demo_pki("ca.crt")) +
                           " -verify_return_error " + options);
}

test::CommandResult tls12(const std::string& args) {
  return test::run_command("timeout 60 " + test::tls12_program() + " " + args);
}

class CliClientServer : public ::testing::Test {
 protected:
  std::filesystem::path dir = test::make_temp_dir("tls12-cli");
};

TEST_F(CliClientServer, OpensslClientGetsMutualAuthenticationFromOurServer) {
  test::OurServer server({"--ca", demo_pki("ca.crt"), "--verify-client", "required"}, dir);
  auto r = s_client(server.port(),
                    "-brief -cert " + q(demo_pki("client.crt")) + " -key " + q(demo_pki("client.key")), "hello\\n");
  EXPECT_TRUE(contains(r.output, "Protocol version: TLSv1.2")) << r.output;
  EXPECT_TRUE(contains(r.output, "Ciphersuite: ECDHE-RSA-AES128-GCM-SHA256")) << r.output;
  EXPECT_TRUE(contains(r.output, "Verification: OK")) << r.output;
  ASSERT_TRUE(server.child().wait_for_log("hello\n", 20)) << server.child().log();
  std::string log = server.child().log();
  EXPECT_TRUE(contains(log, "Client certificate 0:\n    subject: CN=tls12 demo client,O=tls12 demo")) << log;
  EXPECT_TRUE(contains(log, "Verification: OK")) << log;
}

TEST_F(CliClientServer, OurServerRefusesAMissingRequiredClientCertificate) {
  test::OurServer server({"--ca", demo_pki("ca.crt"), "--verify-client", "required"}, dir);
  auto r = s_client(server.port(), "-brief", "hello\\n");
  EXPECT_TRUE(contains(r.output, "handshake failure")) << r.output;
  ASSERT_TRUE(server.child().wait_for_log("failed", 20)) << server.child().log();
  EXPECT_TRUE(contains(server.child().log(), "sent handshake_failure")) << server.child().log();
}

TEST_F(CliClientServer, OurServerHonoursCiphers) {
  test::OurServer server({"--ciphers", "AES256-GCM-SHA384"}, dir);
  auto r = s_client(server.port(), "-brief", "x");
  EXPECT_TRUE(contains(r.output, "Ciphersuite: AES256-GCM-SHA384")) << r.output;
}

TEST_F(CliClientServer, WwwAnswersOpensslWithBareLineFeeds) {
  test::OurServer server({"--www"}, dir);
  auto r = s_client(server.port(), "-quiet", "GET /page HTTP/1.0\\n\\n");
  EXPECT_TRUE(contains(r.output, "HTTP/1.0 200 OK\r\n")) << r.output;
  EXPECT_TRUE(contains(r.output, "Request: GET /page HTTP/1.0")) << r.output;
  EXPECT_TRUE(contains(r.output, "Protocol: TLS 1.2 (0x0303)")) << r.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex("Content-Length: (\\d+)\r\n"))) << r.output;
  size_t head_end = r.output.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << r.output;
  std::string body = r.output.substr(head_end + 4);
  body = body.substr(0, body.find("</html>\n") + 8);
  EXPECT_EQ(std::to_string(body.size()), m[1].str()) << "Content-Length must match the body";
}

TEST_F(CliClientServer, CurlFetchesTheWwwPage) {
  if (test::run_command("command -v curl").exit_code != 0) GTEST_SKIP() << "curl is not installed";
  test::OurServer server({"--www"}, dir);
  std::string url = "https://localhost:" + std::to_string(server.port()) + "/";
  auto r = test::run_command("timeout 30 curl -sS -i --cacert " + q(demo_pki("ca.crt")) + " " + url);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "HTTP/1.1 200 OK")) << r.output;
  EXPECT_TRUE(contains(r.output, "Request: GET / HTTP/1.1")) << r.output;
  EXPECT_TRUE(contains(r.output, "Server name: localhost")) << r.output;
  auto r10 = test::run_command("timeout 30 curl -sS -i --http1.0 --cacert " + q(demo_pki("ca.crt")) + " " + url);
  EXPECT_EQ(r10.exit_code, 0) << r10.output;
  EXPECT_TRUE(contains(r10.output, "HTTP/1.0 200 OK")) << r10.output;
  EXPECT_TRUE(contains(r10.output, "Request: GET / HTTP/1.0")) << r10.output;
}

TEST_F(CliClientServer, OurClientAndServerEcho) {
  test::OurServer server({"--echo"}, dir);
  // stdin stays open a moment: at its end the client sends close_notify, after
  // which the server may not send anything (RFC 5246 §7.2.1).
  auto r = test::run_command("(printf 'ping\\npong\\n'; sleep 1) | timeout 30 " + test::tls12_program() + " client 127.0.0.1:" +
                             std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "ping\npong\n");
}

TEST_F(CliClientServer, OurClientAgainstOpensslServerWithClientCertificate) {
  uint16_t port = test::free_port();
  test::Child server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                      demo_pki("server.crt"), "-key", demo_pki("server.key"), "-CAfile", demo_pki("ca.crt"),
                      "-Verify", "1", "-verify_return_error", "-rev"},
                     dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
  std::string keylog = (dir / "keylog.txt").string();
  auto r = test::run_command("printf 'hello world\\n' | timeout 30 " + test::tls12_program() + " client 127.0.0.1:" +
                             std::to_string(port) + " --servername localhost --ca " + q(demo_pki("ca.crt")) +
                             " --cert " + q(demo_pki("client.crt")) + " --key " + q(demo_pki("client.key")) +
                             " --keylog " + q(keylog));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "dlrow olleh")) << r.output;
  EXPECT_TRUE(contains(r.output, "Protocol: TLS 1.2 (0x0303)")) << r.output;
  EXPECT_TRUE(contains(r.output, "Server certificate 0:\n    subject: CN=localhost,O=tls12 demo")) << r.output;
  EXPECT_TRUE(contains(r.output, "Verification: OK")) << r.output;
  ASSERT_TRUE(server.wait_for_log("CONNECTION ESTABLISHED", 10)) << server.log();
  EXPECT_TRUE(contains(server.log(), "depth=0 O = tls12 demo, CN = tls12 demo client")) << server.log();
  EXPECT_TRUE(std::regex_search(test::read_text(keylog), std::regex("^CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n$")))
      << test::read_text(keylog);
}

TEST_F(CliClientServer, KeyLogFromSslkeylogfileOnBothSides) {
  std::string server_log = (dir / "server-keys.txt").string(), client_log = (dir / "client-keys.txt").string();
  test::OurServer server({"--echo", "--keylog", server_log}, dir);
  auto r = test::run_command("SSLKEYLOGFILE=" + q(client_log) + " timeout 30 " + test::tls12_program() +
                             " client 127.0.0.1:" + std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) +
                             " </dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(server.child().wait_for_log("closed", 20)) << server.child().log();
  std::string line = test::read_text(client_log);
  EXPECT_TRUE(std::regex_match(line, std::regex("CLIENT_RANDOM [0-9a-f]{64} [0-9a-f]{96}\n"))) << line;
  EXPECT_EQ(test::read_text(server_log), line) << "both sides log the same client_random and master_secret";
  EXPECT_EQ(std::filesystem::status(client_log).permissions(), std::filesystem::perms(0600));
  EXPECT_EQ(std::filesystem::status(server_log).permissions(), std::filesystem::perms(0600));
}

TEST_F(CliClientServer, OurClientRefusesAServerNameTheCertificateDoesNotHold) {
  test::OurServer server({"--echo"}, dir);
  auto r = tls12("client 127.0.0.1:" + std::to_string(server.port()) + " --servername other.example --ca " +
                 q(demo_pki("ca.crt")) + " </dev/null");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "handshake failed: sent bad_certificate")) << r.output;
  EXPECT_TRUE(server.child().wait_for_log("received bad_certificate", 20)) << server.child().log();
}

TEST_F(CliClientServer, OurClientTracesEveryByteOnStderr) {
  test::OurServer server({"--echo"}, dir);
  auto r = tls12("client 127.0.0.1:" + std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) +
                 " --trace=bytes </dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "client > ClientHello (")) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\n    01 +msg_type: ClientHello\n"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\n    03 03 +client_version: TLS 1.2"))) << r.output;
  EXPECT_TRUE(contains(r.output, "client < Finished (16 bytes)")) << r.output;
  EXPECT_FALSE(contains(r.output, "SECRET")) << "secrets only at --trace=secrets";
  auto s = tls12("client 127.0.0.1:" + std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) +
                 " --trace=secrets </dev/null");
  EXPECT_TRUE(contains(s.output, "client: SECRET master_secret (48 bytes)")) << s.output;
}

TEST_F(CliClientServer, AlpnWithOpensslBothWays) {
  test::OurServer server({"--echo", "--alpn", "h2,http/1.1"}, dir);
  auto r = s_client(server.port(), "-alpn http/1.1", "x");
  EXPECT_TRUE(contains(r.output, "ALPN protocol: http/1.1")) << r.output;
  ASSERT_TRUE(server.child().wait_for_log("ALPN: http/1.1", 20)) << server.child().log();

  uint16_t port = test::free_port();
  test::Child openssl({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                       demo_pki("server.crt"), "-key", demo_pki("server.key"), "-alpn", "http/1.1", "-rev"},
                      dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << openssl.log();
  auto ours = tls12("client 127.0.0.1:" + std::to_string(port) + " --servername localhost --ca " +
                    q(demo_pki("ca.crt")) + " --alpn h2,http/1.1 </dev/null");
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_TRUE(contains(ours.output, "ALPN: http/1.1")) << ours.output;
}

// Two --cert/--key pairs: the client's server_name picks the chain (RFC 6066 §3).
TEST_F(CliClientServer, ServerNameChoosesAmongSeveralCertificates) {
  // A second PKI for other.test: the demo CA is name-constrained to localhost.
  const std::string other_pki = (dir / "other").string();
  auto made = tls12("pki quick " + q(other_pki) + " --host other.test 2>&1");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  test::OurServer server({"--echo", "--cert", other_pki + "/server.crt", "--key", other_pki + "/server.key"}, dir);
  auto other = test::run_command("printf x | timeout 30 openssl s_client -brief -connect 127.0.0.1:" +
                                 std::to_string(server.port()) + " -servername other.test -verify_hostname other.test"
                                 " -verify_return_error -CAfile " + q(other_pki + "/ca.crt"));
  EXPECT_TRUE(contains(other.output, "Peer certificate: O = tls12 demo, CN = other.test")) << other.output;
  EXPECT_TRUE(contains(other.output, "Verification: OK")) << other.output;
  auto fallback = s_client(server.port(), "-brief", "x");
  EXPECT_TRUE(contains(fallback.output, "Peer certificate: O = tls12 demo, CN = localhost")) << fallback.output;
}

TEST_F(CliClientServer, OpensslResumesWithOurServerByTicketAndById) {
  for (std::string tickets : {"on", "off"}) {
    test::OurServer server({"--echo", "--tickets", tickets}, dir);
    auto r = s_client(server.port(), "-reconnect" + std::string(tickets == "off" ? " -no_ticket" : ""), "");
    EXPECT_TRUE(contains(r.output, "Reused, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256")) << tickets << "\n"
                                                                                               << r.output;
    EXPECT_TRUE(server.child().wait_for_log("Session reused: yes", 20)) << server.child().log();
  }
}

TEST_F(CliClientServer, OurClientResumesWithOpensslServer) {
  uint16_t port = test::free_port();
  test::Child openssl({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                       demo_pki("server.crt"), "-key", demo_pki("server.key"), "-rev"},
                      dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << openssl.log();
  auto r = tls12("client 127.0.0.1:" + std::to_string(port) + " --servername localhost --ca " +
                 q(demo_pki("ca.crt")) + " --reconnect </dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::string second = r.output.substr(r.output.find("Reconnecting"));
  EXPECT_TRUE(contains(r.output, "Session reused: no")) << r.output;
  EXPECT_TRUE(contains(second, "Session reused: yes")) << r.output;
  // The resumed handshake exchanged no keys; it must not claim RSA key exchange.
  EXPECT_TRUE(contains(second, "Group: none (resumed")) << second;
  EXPECT_TRUE(contains(second, "Signature scheme: none (resumed")) << second;
}

TEST_F(CliClientServer, SessionFileCarriesASessionToTheNextRun) {
  test::OurServer server({"--echo"}, dir);
  std::string session = (dir / "session.bin").string();
  std::string client = "client 127.0.0.1:" + std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt"));
  auto first = tls12(client + " --sess-out " + q(session) + " </dev/null");
  EXPECT_EQ(first.exit_code, 0) << first.output;
  EXPECT_TRUE(contains(first.output, "Session reused: no")) << first.output;
  auto second = tls12(client + " --sess-in " + q(session) + " </dev/null");
  EXPECT_EQ(second.exit_code, 0) << second.output;
  EXPECT_TRUE(contains(second.output, "Session reused: yes")) << second.output;
}

TEST_F(CliClientServer, ServerSurvivesAClientThatVanishesMidHandshake) {
  test::OurServer server({"--echo", "--handshake-timeout", "1"}, dir);
  // One client sends half a record header and goes silent; another connects and leaves.
  int silent = test::connect_raw(server.port());
  ASSERT_GE(silent, 0);
  ASSERT_EQ(::write(silent, "\x16\x03", 2), 2);
  int gone = test::connect_raw(server.port());
  ASSERT_GE(gone, 0);
  ::close(gone);
  EXPECT_TRUE(server.child().wait_for_log("closed: handshake deadline passed", 20)) << server.child().log();
  ::close(silent);
  auto r = test::run_command("(printf 'still here'; sleep 1) | timeout 30 " + test::tls12_program() + " client 127.0.0.1:" +
                             std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) + " 2>/dev/null");
  EXPECT_EQ(r.output, "still here");
}

TEST_F(CliClientServer, ServerServesClientsConcurrently) {
  test::OurServer server({"--echo", "--workers", "1"}, dir);
  std::string client = test::tls12_program() + " client 127.0.0.1:" + std::to_string(server.port()) + " --ca " +
                       q(demo_pki("ca.crt")) + " 2>/dev/null";
  // Three clients at once on one worker thread, each holding its connection open for a second.
  auto r = test::run_command("for i in 1 2 3; do ((printf c$i; sleep 1) | timeout 30 " + client + " > " +
                             q(dir.string()) + "/out$i) & done; wait");
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(test::read_text(dir / ("out" + std::to_string(i))), "c" + std::to_string(i)) << server.child().log();
}

TEST_F(CliClientServer, ServerStopsCleanlyOnSigtermEvenWithAnIdleClient) {
  test::OurServer server({"--echo", "--timeout", "30"}, dir);
  int idle = test::connect_raw(server.port());
  ASSERT_GE(idle, 0);
  ASSERT_TRUE(test::wait_for_port(server.port(), 5));
  server.child().signal(SIGTERM);
  EXPECT_EQ(server.child().wait(10), std::optional<int>(0)) << server.child().log();
  EXPECT_TRUE(contains(server.child().log(), "stopped by signal")) << server.child().log();
  ::close(idle);
}

TEST_F(CliClientServer, ServerStopsOnSigint) {
  test::OurServer server({"--www"}, dir);
  server.child().signal(SIGINT);
  EXPECT_EQ(server.child().wait(10), std::optional<int>(0)) << server.child().log();
}

// Bad arguments: exit status 2, and the first line names the problem.
TEST(CliArguments, BadArgumentsExitTwoWithOneLine) {
  const std::string ca = q(demo_pki("ca.crt"));
  const std::string cert = " --cert " + q(demo_pki("server.crt")) + " --key " + q(demo_pki("server.key"));
  struct Case {
    std::string args;
    std::string message;
  };
  const std::vector<Case> cases{
      {"client", "address is required"},
      {"client localhost --ca " + ca, "invalid address 'localhost' (expected HOST:PORT)"},
      {"client localhost:99999 --ca " + ca, "invalid port '99999'"},
      {"client localhost:443 --ca /nonexistent.pem", "--ca /nonexistent.pem: cannot read /nonexistent.pem: No such file"},
      {"client localhost:443 --capath /nonexistent", "--capath /nonexistent: No such file or directory"},
      {"client localhost:443 --ca " + ca + " --ciphers ''", "--ciphers: the list is empty"},
      {"client localhost:443 --ca " + ca + " --alpn h2,,http/1.1", "--alpn: each protocol name must be 1 to 255 bytes"},
      {"client localhost:443 --ca " + ca + " --ign-eof --close-at-eof", "--ign-eof and --close-at-eof exclude"},
      {"client localhost:443 --ca " + ca + " --bogus", "tls12 client: The following argument was not expected: --bogus"},
      {"frobnicate", "tls12: unknown command 'frobnicate' (commands: verify, show, demo, server, client"},
      {"server" + cert + " --ciphers ''", "--ciphers: the list is empty"},
      {"server" + cert + " --www --alpn h2", "--alpn: --www serves HTTP/1.x only"},
      {"server" + cert + " --chain /nonexistent.pem", "--chain /nonexistent.pem: cannot read"},
      {"server" + cert + " --groups x9", "--groups: unknown group 'x9'"},
      {"server" + cert + " --workers lots", "tls12 server: Could not convert: --workers = lots"},
      {"client localhost:443 --ca " + ca + " --ciphers NOPE", "--ciphers: unknown cipher suite 'NOPE'"},
      {"client localhost:443 --ca " + ca + " --groups x9", "--groups: unknown group 'x9'"},
      {"client localhost:443 --ca " + ca + " --groups P-384", "--groups: not supported yet (group P-384)"},
      {"client localhost:443 --ca " + ca + " --sigalgs rsa_md5", "--sigalgs: unknown signature scheme"},
      {"client localhost:443 --ca " + ca + " --trace=loud", "--trace: unknown level 'loud'"},
      {"client localhost:443 --ca " + ca + " --cert " + ca, "--cert and --key go together"},
      {"server", "--cert and --key are required"},
      {"server" + cert + " --port 70000", "--port: invalid port '70000'"},
      {"server" + cert + " --verify-client always --ca " + ca, "--verify-client: expected optional or required"},
      {"server" + cert + " --verify-client required", "--verify-client needs --ca"},
      {"server" + cert + " --www --echo", "--www and --echo exclude each other"},
      {"server" + cert + " --tickets maybe", "--tickets: expected on or off"},
      {"server" + cert + " --cert " + q(demo_pki("client.crt")), "give one --key for each --cert"},
      {"client localhost:443 --ca " + ca + " --sess-in /nonexistent.sess", "--sess-in /nonexistent.sess"},
      {"server --cert " + q(demo_pki("server.crt")) + " --key " + q(demo_pki("client.key")), "does not belong"},
      {"demo --kx quantum", "--kx: unknown key exchange 'quantum'"},
      {"demo --suite NOPE", "--suite: unknown cipher suite 'NOPE'"},
      {"demo --trace=loud", "--trace: unknown level 'loud'"},
  };
  for (const auto& c : cases) {
    auto r = tls12(c.args + " </dev/null");
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.output;
    EXPECT_TRUE(contains(test::first_line(r.output), c.message)) << c.args << "\n" << r.output;
  }
}

TEST(CliArguments, HelpListsTheOptions) {
  auto client = tls12("client --help");
  EXPECT_EQ(client.exit_code, 0);
  for (const char* option : {"--ca", "--cert", "--key", "--pass", "--servername", "--alpn", "--ciphers", "--groups",
                             "--sigalgs", "--reconnect", "--sess-out", "--sess-in", "--keylog", "--trace", "--insecure"})
    EXPECT_TRUE(contains(client.output, option)) << option;
  auto server = tls12("server --help");
  EXPECT_EQ(server.exit_code, 0);
  for (const char* option : {"--port", "--bind", "--cert", "--key", "--ca", "--verify-client", "--alpn", "--ciphers",
                             "--www", "--echo", "--keylog", "--trace", "--tickets"})
    EXPECT_TRUE(contains(server.output, option)) << option;
}

}  // namespace
}  // namespace tls12::tools
