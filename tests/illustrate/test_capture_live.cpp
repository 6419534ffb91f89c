// Captures made now with tcpdump on the loopback interface (as root), of
// openssl s_client <-> openssl s_server, our client <-> our server, and curl
// <-> our server, each writing an NSS key log: decoded passively, the
// application data must be what each side sent. A TLS 1.3 connection and a
// capture cut short give their one-line reasons. tcpdump missing is a
// failure, not a skip (scripts/deps.sh installs it).
#include <gtest/gtest.h>
#include <signal.h>

#include "illustrate/passive.h"
#include "illustrate/pcap.h"
#include "tests/tools/cli_test_support.h"

namespace tls12::illustrate {
namespace {

using protocol::Direction;
using test::contains;

std::string q(const std::string& s) { return "'" + s + "'"; }

// tcpdump writing every packet of `port` on lo to `file` as it comes: -U
// writes each packet at once, --immediate-mode reads it at once (without it
// the kernel may hold packets up to a second, past the end of a short test).
class Tcpdump {
 public:
  Tcpdump(const std::filesystem::path& file, uint16_t port, const std::filesystem::path& dir)
      : child_({"tcpdump", "-i", "lo", "--immediate-mode", "-w", file.string(), "-U", "port", std::to_string(port)},
               dir / "tcpdump.log") {
    if (!child_.wait_for_log("listening on", 10)) throw std::runtime_error("tcpdump did not start: " + child_.log());
  }
  // Lets the last packets reach the file, then ends tcpdump.
  void stop() {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    child_.signal(SIGINT);
    child_.wait(10);
  }

 private:
  test::Child child_;
};

struct Decoded {
  std::string client_data, server_data;  // application data, in order
  std::vector<std::string> undecoded;
  PassiveSummary summary;
  std::string protection;  // of the last protected record
  bool encrypt_then_mac = false;
};

Decoded decode_capture(const std::filesystem::path& capture, const std::filesystem::path& keylog, uint16_t port) {
  const Bytes file = test::read_file(capture);
  const TcpConnection connection = read_tcp_connection(file, port);
  const KeyLog log = KeyLog::parse(test::read_text(keylog));
  Decoded out;
  out.summary = decode_passively(connection, log, [&](const protocol::Event& e) {
    if (const auto* r = std::get_if<protocol::RecordSeen>(&e); r && r->content_type == 23)
      (r->direction == Direction::sent ? out.client_data : out.server_data)
          .append(reinterpret_cast<const char*>(r->plaintext.data()), r->plaintext.size());
    if (const auto* r = std::get_if<protocol::RecordSeen>(&e); r && !r->protection.empty()) {
      out.protection = r->protection;
      out.encrypt_then_mac = r->encrypt_then_mac;
    }
    if (const auto* u = std::get_if<protocol::Undecoded>(&e)) out.undecoded.push_back(u->reason);
  });
  return out;
}

class CaptureLive : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(test::run_command("command -v tcpdump").exit_code, 0) << "tcpdump is needed (scripts/deps.sh)";
    dir = test::make_temp_dir("tls12-capture");
  }
  std::filesystem::path dir;
};

// openssl s_server -rev answers each line reversed. OpenSSL's default suite
// (AES-256-GCM, extended master secret), an AES-CBC suite (OpenSSL then
// negotiates Encrypt-then-MAC, RFC 7366) and ChaCha20-Poly1305.
TEST_F(CaptureLive, OpensslClientAndServer) {
  for (const std::string suite : {"", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-CHACHA20-POLY1305"}) {
    SCOPED_TRACE(suite);
    const uint16_t port = test::free_port();
    test::Child server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                        test::demo_pki("server.crt"), "-key", test::demo_pki("server.key"), "-tls1_2", "-rev"},
                       dir / "s_server.log");
    ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
    const std::filesystem::path capture = dir / ("cap" + suite + ".pcap"), keys = dir / ("keys" + suite);
    Tcpdump tcpdump(capture, port, dir);
    const auto r = test::run_command("(printf 'ping from s_client\\n'; sleep 1) | timeout 20 openssl s_client -connect "
                                     "127.0.0.1:" + std::to_string(port) + (suite.empty() ? "" : " -cipher " + suite) +
                                     " -keylogfile " + q(keys.string()) + " 2>&1");
    tcpdump.stop();
    ASSERT_TRUE(contains(r.output, "tneilc_s morf gnip")) << r.output;
    const Decoded d = decode_capture(capture, keys, port);
    EXPECT_TRUE(d.undecoded.empty()) << d.undecoded.front();
    EXPECT_TRUE(d.summary.handshake_complete);
    EXPECT_EQ(d.client_data, "ping from s_client\n");
    EXPECT_TRUE(contains(d.server_data, "tneilc_s morf gnip\n")) << d.server_data;
    if (suite == "ECDHE-RSA-AES128-SHA256") {
      EXPECT_TRUE(d.encrypt_then_mac);
      EXPECT_EQ(d.protection, "AES-128-CBC with HMAC-SHA256, encrypt-then-MAC");
    }
    if (suite == "ECDHE-RSA-CHACHA20-POLY1305") {
      EXPECT_EQ(d.protection, "CHACHA20-POLY1305");
    }
  }
}

TEST_F(CaptureLive, OurClientAndServer) {
  test::OurServer server({"--echo"}, dir);
  Tcpdump tcpdump(dir / "cap.pcap", server.port(), dir);
  const auto r = test::run_command("(printf 'ping\\npong\\n'; sleep 1) | timeout 20 " + test::tls12_program() +
                                   " client 127.0.0.1:" + std::to_string(server.port()) + " --ca " +
                                   q(test::demo_pki("ca.crt")) + " --keylog " + q((dir / "keys").string()) +
                                   " 2>/dev/null");
  tcpdump.stop();
  ASSERT_EQ(r.output, "ping\npong\n");
  const Decoded d = decode_capture(dir / "cap.pcap", dir / "keys", server.port());
  EXPECT_TRUE(d.undecoded.empty()) << d.undecoded.front();
  EXPECT_TRUE(d.summary.handshake_complete);
  EXPECT_EQ(d.client_data, "ping\npong\n");
  EXPECT_EQ(d.server_data, "ping\npong\n");
}

// A resumed session (RFC 5246 §7.3 Figure 2): the first run keeps the
// session in a file, the captured second run resumes it; the key log line of
// the second connection holds the session's master_secret.
TEST_F(CaptureLive, ResumedSessionOfOurClient) {
  test::OurServer server({"--echo", "--tickets", "off"}, dir);
  const std::string client = test::tls12_program() + " client 127.0.0.1:" + std::to_string(server.port()) +
                             " --ca " + q(test::demo_pki("ca.crt")) + " ";
  const std::string session = q((dir / "session.pem").string());
  ASSERT_EQ(test::run_command("timeout 20 " + client + "--sess-out " + session + " </dev/null").exit_code, 0);
  Tcpdump tcpdump(dir / "cap.pcap", server.port(), dir);
  const auto r = test::run_command("(printf 'again\\n'; sleep 1) | timeout 20 " + client + "--sess-in " + session +
                                   " --keylog " + q((dir / "keys").string()) + " 2>&1");
  tcpdump.stop();
  ASSERT_TRUE(contains(r.output, "Session reused: yes")) << r.output;
  const Decoded d = decode_capture(dir / "cap.pcap", dir / "keys", server.port());
  EXPECT_TRUE(d.undecoded.empty()) << d.undecoded.front();
  EXPECT_TRUE(d.summary.handshake_complete);
  EXPECT_TRUE(d.summary.resumed);
  EXPECT_EQ(d.client_data, "again\n");
  EXPECT_EQ(d.server_data, "again\n");
}

TEST_F(CaptureLive, CurlAndOurWwwServer) {
  test::OurServer server({"--www"}, dir);
  Tcpdump tcpdump(dir / "cap.pcap", server.port(), dir);
  const auto r = test::run_command("SSLKEYLOGFILE=" + q((dir / "keys").string()) +
                                   " timeout 20 curl -sS --tlsv1.2 --tls-max 1.2 --cacert " +
                                   q(test::demo_pki("ca.crt")) + " --resolve localhost:" +
                                   std::to_string(server.port()) + ":127.0.0.1 https://localhost:" +
                                   std::to_string(server.port()) + "/ 2>&1");
  tcpdump.stop();
  ASSERT_TRUE(contains(r.output, "TLS")) << r.output;
  const Decoded d = decode_capture(dir / "cap.pcap", dir / "keys", server.port());
  EXPECT_TRUE(d.undecoded.empty()) << d.undecoded.front();
  EXPECT_EQ(d.client_data.rfind("GET / HTTP/1.1\r\n", 0), 0u) << d.client_data;
  EXPECT_EQ(d.server_data.rfind("HTTP/1.", 0), 0u) << d.server_data;
  // The body curl printed is the end of what the server sent.
  ASSERT_GE(d.server_data.size(), r.output.size());
  EXPECT_EQ(d.server_data.substr(d.server_data.size() - r.output.size()), r.output);
}

TEST_F(CaptureLive, Tls13ConnectionIsNamedAndACutCaptureIsOneLine) {
  const uint16_t port = test::free_port();
  test::Child server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                      test::demo_pki("server.crt"), "-key", test::demo_pki("server.key"), "-rev"},
                     dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
  Tcpdump tcpdump(dir / "cap.pcap", port, dir);
  const auto r = test::run_command("(printf 'hi\\n'; sleep 1) | timeout 20 openssl s_client -connect 127.0.0.1:" +
                                   std::to_string(port) + " -keylogfile " + q((dir / "keys").string()) + " 2>&1");
  tcpdump.stop();
  ASSERT_TRUE(contains(r.output, "TLSv1.3")) << r.output;
  const Decoded d = decode_capture(dir / "cap.pcap", dir / "keys", port);
  const std::string why = "TLS 1.3 connection (supported_versions 0x0304): only TLS 1.2 can be illustrated";
  EXPECT_EQ(d.undecoded, (std::vector<std::string>{why, why}));
  // The same through the program: the reason on its line, exit status 1.
  const std::string cmd = test::tls12_program() + " illustrate --pcap " + q((dir / "cap.pcap").string()) +
                          " --keylog " + q((dir / "keys").string()) + " --port " + std::to_string(port);
  const auto shown = test::run_command(cmd + " 2>&1");
  EXPECT_EQ(shown.exit_code, 1);
  EXPECT_TRUE(contains(shown.output, "client < undecoded, ")) << shown.output;
  EXPECT_TRUE(contains(shown.output, " bytes: " + why + "\n")) << shown.output;
  // The capture cut inside its first packet record: one line, status 2.
  const Bytes whole = test::read_file(dir / "cap.pcap");
  test::write_file(dir / "cut.pcap", ByteView(whole).first(30));
  const auto cut = test::run_command(test::tls12_program() + " illustrate --pcap " + q((dir / "cut.pcap").string()) +
                                     " --keylog " + q((dir / "keys").string()) + " 2>&1");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_EQ(cut.output, "tls12 illustrate: capture offset 24: pcap packet record 1 header cut short (6 of 16 bytes)\n");
}

}  // namespace
}  // namespace tls12::illustrate
