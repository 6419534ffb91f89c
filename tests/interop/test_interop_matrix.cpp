// The OpenSSL interop matrix over 127.0.0.1: our client against `openssl
// s_server` and our server against `openssl s_client`, for every cipher suite
// the library supports (handshake::default_cipher_suites()) x {server-only,
// mutual authentication} x {full handshake (RFC 5246 §7.3), resumed by session
// ID (§7.4.1.2), resumed by session ticket (RFC 5077)}, and for the AES-CBC
// suites x {Encrypt-then-MAC (RFC 7366), OpenSSL with -no_etm}.
//
// Every case asserts on what OpenSSL itself reports, not only on what our side
// believes:
//   - s_server runs with -www: it answers an HTTP GET with a page describing
//     the connection as OpenSSL sees it ("New, TLSv1.2, Cipher is ...",
//     "Reused, ...", "Protocol  : TLSv1.2", "Verify return code: 0 (ok)" for
//     the client certificate, and the client certificate itself);
//   - s_client prints the same summary for its side ("Protocol  :",
//     "Cipher    :", "New,"/"Reused,", "Verify return code: 0 (ok)" for our
//     server's chain, checked with -verify_return_error and -verify_hostname).
// Each case is one parameterised test, so each is its own CTest case and
// `ctest -j` spreads them over the cores; each prints one row of the matrix
// table ("| side | suite | auth | mode | OpenSSL said | result |").
//
// Resumption is made unambiguous on the OpenSSL side: for "session ID" the
// ticket extension is off (-no_ticket), for "ticket" s_server keeps no session
// cache (-no_cache) and our server keeps only ticket keys, so a "Reused" can
// only have come from the mechanism under test.
//
// The tests after the matrix cover ALPN, SNI, a 10 MiB transfer each way
// checked by SHA-256, close_notify from each side, refused renegotiation
// (RFC 5746 §4.4 / RFC 5246 §7.2.2 no_renegotiation) and a missing required
// client certificate (§7.4.6).
//
// Every child process is killed by its Child destructor if it is still
// running; every wait is bounded.
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "handshake/cipher_suites.h"
#include "handshake/client_session_store.h"
#include "handshake/config.h"
#include "tests/handshake/breadth_test_support.h"
#include "tests/interop/interop_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
using record::AlertDescription;
using test::breadth_file;
using test::Child;
using test::Fd;
using test::is_ed25519;
using test::openssl_name;
using test::pki_file;
using test::read_line;

// A child that dies early must fail the test, not kill it: writing to its
// stdin pipe would otherwise raise SIGPIPE in this process.
[[maybe_unused]] const bool kSigpipeIgnored = (signal(SIGPIPE, SIG_IGN), true);

// ------------------------------------------------------------ the matrix table

enum class Side { our_client, our_server };  // our client vs s_server / our server vs s_client
enum class Auth { server_only, mutual };
enum class Mode { full, session_id, ticket };

struct MatrixCase {
  Side side;
  CipherSuite suite;
  Auth auth;
  Mode mode;
  bool no_etm = false;  // OpenSSL runs with -no_etm (CBC suites only)
};

bool is_cbc(CipherSuite suite) { return handshake::find_cipher_suite(suite)->is_cbc(); }
// What both sides must have negotiated.
bool expects_etm(const MatrixCase& c) { return is_cbc(c.suite) && !c.no_etm; }

// The axes. A new suite joins through default_cipher_suites(); a new mode or
// authentication is one more entry here (and one branch in the runners).
constexpr std::array kSides = {Side::our_client, Side::our_server};
constexpr std::array kAuths = {Auth::server_only, Auth::mutual};
constexpr std::array kModes = {Mode::full, Mode::session_id, Mode::ticket};

std::vector<MatrixCase> matrix_cases() {
  std::vector<MatrixCase> cases;
  for (Side side : kSides)
    for (CipherSuite suite : handshake::default_cipher_suites())
      for (Auth auth : kAuths)
        for (Mode mode : kModes)
          for (bool no_etm : {false, true})
            if (!no_etm || is_cbc(suite)) cases.push_back({side, suite, auth, mode, no_etm});
  return cases;
}

const char* side_name(Side side) {
  return side == Side::our_client ? "our client -> s_server" : "s_client -> our server";
}
const char* auth_name(Auth auth) { return auth == Auth::mutual ? "mutual" : "server-only"; }
const char* mode_name(Mode mode) {
  switch (mode) {
    case Mode::full: return "full";
    case Mode::session_id: return "session ID";
    case Mode::ticket: return "ticket";
  }
  return "?";
}

bool contains(const std::string& text, const std::string& word) { return text.find(word) != std::string::npos; }

// OpenSSL's "New, TLSv1.2, Cipher is X" names the oldest protocol version
// the *suite* belongs to, not the one negotiated ("Protocol  :" says that):
// "SSLv3" for AES128-SHA, "TLSv1.0" for ECDHE-RSA-AES128-SHA.
std::string openssl_suite_version(CipherSuite suite) {
  static SSL_CTX* ctx = SSL_CTX_new(TLS_method());
  static SSL* ssl = SSL_new(ctx);
  const unsigned char bytes[2] = {static_cast<unsigned char>(suite >> 8), static_cast<unsigned char>(suite)};
  const SSL_CIPHER* cipher = SSL_CIPHER_find(ssl, bytes);
  return cipher ? SSL_CIPHER_get_version(cipher) : "?";
}

std::string openssl_new_or_reused(const MatrixCase& c, bool resumed) {
  return std::string(resumed ? "Reused" : "New") + ", " + openssl_suite_version(c.suite) + ", Cipher is " +
         openssl_name(c.suite);
}

// The line of `text` that starts with `prefix` (after leading spaces), or "".
std::string line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t start = line.find_first_not_of(' ');
    if (start != std::string::npos && line.compare(start, prefix.size(), prefix) == 0) return line.substr(start);
  }
  return "";
}

// What OpenSSL said, condensed for the table: "Reused, TLSv1.2, Cipher is X;
// verify 0 (ok)" (s_client: its check of our server's chain; s_server: its
// check of our client certificate, "0 (ok)" also when none was asked for).
std::string openssl_summary(const std::string& report) {
  std::string said = line_starting(report, "Reused,");
  if (said.empty()) said = line_starting(report, "New,");
  std::string verify = line_starting(report, "Verify return code:");
  if (!verify.empty()) said += "; verify " + verify.substr(std::string("Verify return code: ").size());
  return said.empty() ? "(no summary)" : said;
}

// gtest (and so the CTest case list) shows a case by this, not by its bytes.
void PrintTo(const MatrixCase& c, std::ostream* os) {
  *os << side_name(c.side) << ", " << openssl_name(c.suite) << (c.no_etm ? " -no_etm" : "") << ", "
      << auth_name(c.auth) << ", " << mode_name(c.mode);
}

// The table: each case prints its own row (under ctest every case is its own
// process, so a row is all one process has); a run of the whole program also
// gets the complete table at the end, from this environment.
class MatrixTable : public ::testing::Environment {
 public:
  static std::vector<std::string>& rows() {
    static std::vector<std::string> all;
    return all;
  }
  void TearDown() override {
    if (rows().size() < 2) return;
    std::cout << "\nOpenSSL interop matrix (" << rows().size() << " cases)\n"
              << "| side | suite | authentication | handshake | OpenSSL said | result |\n"
              << "|---|---|---|---|---|---|\n";
    for (const auto& row : rows()) std::cout << row << "\n";
    std::cout << std::flush;
  }
};
[[maybe_unused]] ::testing::Environment* const kMatrixTable = ::testing::AddGlobalTestEnvironment(new MatrixTable);

void print_row(const MatrixCase& c, const std::string& said, bool passed) {
  std::ostringstream row;
  row << "| " << side_name(c.side) << " | " << openssl_name(c.suite) << (c.no_etm ? " -no_etm" : "") << " | "
      << auth_name(c.auth) << " | "
      << mode_name(c.mode) << " | " << said << " | " << (passed ? "pass" : "FAIL") << " |";
  std::cout << row.str() << std::endl;
  MatrixTable::rows().push_back(row.str());
}

// The certificates of a case: Ed25519 chains for the ECDHE_ECDSA suites
// (RFC 8422 §5.1.3), RSA ones otherwise; both signed by the test CA.
std::string server_cert_file(CipherSuite s) {
  return is_ed25519(s) ? breadth_file("ed-server.pem") : pki_file("server.pem");
}
std::string server_key_file(CipherSuite s) {
  return is_ed25519(s) ? breadth_file("ed-server.key") : pki_file("server.key");
}
std::string client_cert_file(CipherSuite s) {
  return is_ed25519(s) ? breadth_file("ed-client.pem") : pki_file("client2048.pem");
}
std::string client_key_file(CipherSuite s) {
  return is_ed25519(s) ? breadth_file("ed-client.key") : pki_file("client2048.key");
}
const handshake::CertifiedKey& server_identity(CipherSuite s) {
  return is_ed25519(s) ? test::breadth_pki().ed_server : test::test_pki().server2048;
}
const handshake::CertifiedKey& client_identity(CipherSuite s) {
  return is_ed25519(s) ? test::breadth_pki().ed_client : test::test_pki().client2048;
}

// Reads until the peer's close_notify (read() returns 0).
std::string read_to_end(SocketConnection& tls) {
  std::string text;
  std::array<uint8_t, 4096> buffer;
  for (size_t n; (n = tls.read(buffer)) != 0;)
    text.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  return text;
}

// ------------------------------------------------- our client vs openssl s_server

void add(std::vector<std::string>& argv, std::initializer_list<std::string> more) { argv.insert(argv.end(), more); }

std::vector<std::string> s_server_args(uint16_t port, int connections) {
  return {"openssl", "s_server", "-accept", std::to_string(port), "-naccept", std::to_string(connections), "-tls1_2"};
}

struct PageFetch {
  std::string page;  // s_server -www's description of the connection
  bool resumed = false;
  bool peer_verified = false;
  bool encrypt_then_mac = false;
  CipherSuite suite = 0;
};

// One connection of our client to `s_server -www`: GET, then the page up to
// s_server's close_notify.
PageFetch fetch_page(uint16_t port, const ClientConfig& config) {
  Fd fd(test::connect_with_retry(port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  tls.handshake();
  tls.write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
  PageFetch fetch;
  fetch.page = read_to_end(tls);
  fetch.resumed = tls.connection().negotiated().resumed;
  fetch.peer_verified = tls.connection().peer_verified();
  fetch.encrypt_then_mac = tls.connection().negotiated().encrypt_then_mac;
  fetch.suite = tls.connection().cipher_suite()->id;
  tls.close();
  return fetch;
}

void expect_page(const PageFetch& fetch, const MatrixCase& c, bool resumed) {
  const std::string cipher = openssl_name(c.suite);
  const std::string& page = fetch.page;
  EXPECT_EQ(fetch.suite, c.suite);
  EXPECT_EQ(fetch.resumed, resumed);
  EXPECT_EQ(fetch.encrypt_then_mac, expects_etm(c));
  EXPECT_TRUE(fetch.peer_verified);
  EXPECT_TRUE(contains(page, openssl_new_or_reused(c, resumed))) << page;
  EXPECT_EQ(line_starting(page, "Protocol  :"), "Protocol  : TLSv1.2") << page;
  EXPECT_EQ(line_starting(page, "Cipher    :"), "Cipher    : " + cipher) << page;
  if (c.auth == Auth::mutual) {
    // OpenSSL checked our certificate against the CA (-Verify 1 -CAfile), and
    // a resumed session keeps that result.
    EXPECT_EQ(line_starting(page, "Verify return code:"), "Verify return code: 0 (ok)") << page;
    EXPECT_TRUE(contains(page, "Client certificate")) << page;
    const std::string key_algorithm = is_ed25519(c.suite) ? "ED25519" : "rsaEncryption";
    EXPECT_TRUE(contains(page, "Public Key Algorithm: " + key_algorithm)) << page;
  } else {
    EXPECT_TRUE(contains(page, "no client certificate available")) << page;
  }
}

std::string run_our_client(const MatrixCase& c) {
  auto dir = test::make_temp_dir("tls12-matrix");
  const uint16_t port = test::free_port();
  const bool resuming = c.mode != Mode::full;
  auto argv = s_server_args(port, resuming ? 2 : 1);
  add(argv, {"-www", "-cipher", openssl_name(c.suite), "-cert", server_cert_file(c.suite), "-key",
             server_key_file(c.suite)});
  if (c.auth == Auth::mutual) add(argv, {"-Verify", "1", "-CAfile", pki_file("ca.pem")});
  if (c.mode == Mode::session_id) add(argv, {"-no_ticket"});
  if (c.mode == Mode::ticket) add(argv, {"-no_cache"});
  if (c.no_etm) add(argv, {"-no_etm"});
  Child server(argv, (dir / "s_server.log").string());

  ClientConfig config = test::test_client_config();
  config.cipher_suites = {c.suite};
  if (c.auth == Auth::mutual) config.client_certificate = client_identity(c.suite);
  if (resuming) {
    config.server_port = port;
    config.session_store = std::make_shared<handshake::ClientSessionStore>();
    config.session_tickets = c.mode == Mode::ticket;
  }
  PageFetch first = fetch_page(port, config);
  expect_page(first, c, false);
  if (!resuming) {
    server.wait(5);
    return openssl_summary(first.page);
  }
  auto kept = config.session_store->find(handshake::session_store_key("localhost", port));
  if (!kept) {
    ADD_FAILURE() << "no session kept after the full handshake";
    return openssl_summary(first.page);
  }
  EXPECT_EQ(kept->ticket.empty(), c.mode == Mode::session_id);
  PageFetch second = fetch_page(port, config);
  expect_page(second, c, true);
  server.wait(5);
  return openssl_summary(second.page);
}

// ------------------------------------------------- openssl s_client vs our server

// s_client trusting the test CA and failing on any verification error.
std::vector<std::string> s_client_base(uint16_t port) {
  return {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port), "-tls1_2",
          "-CAfile", pki_file("ca.pem"), "-verify_return_error"};
}

std::vector<std::string> s_client_args(uint16_t port, CipherSuite suite) {
  auto argv = s_client_base(port);
  add(argv, {"-cipher", openssl_name(suite), "-verify_hostname", "localhost", "-servername", "localhost"});
  return argv;
}

// A server configuration for the case: a session cache for session IDs,
// ticket keys (and no cache) for tickets.
std::shared_ptr<const ServerConfig> matrix_server_config(const MatrixCase& c) {
  ServerConfig config = test::test_server_config();
  config.cipher_suites = {c.suite};
  config.certificate = server_identity(c.suite);
  if (c.auth == Auth::mutual) config.client_authentication = ClientAuthentication::required;
  if (c.mode == Mode::session_id) config.session_cache = std::make_shared<handshake::SessionCache>();
  if (c.mode == Mode::ticket) config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  return std::make_shared<const ServerConfig>(std::move(config));
}

// Accepts one s_client, handshakes, reads its "ping", answers "pong" and
// closes (close_notify): s_client then exits by itself. Returns s_client's
// output; `resumed` gets our server's view.
std::string serve_one(int listener, const std::shared_ptr<const ServerConfig>& config, Child& client,
                      const MatrixCase& c, bool& resumed) {
  client.write_stdin("ping\n");
  pollfd p{listener, POLLIN, 0};
  if (poll(&p, 1, 10000) != 1) {
    ADD_FAILURE() << "s_client never connected: " << client.output();
    return client.output();
  }
  Fd fd(accept(listener, nullptr, nullptr));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  try {
    tls.handshake();
    resumed = tls.connection().negotiated().resumed;
    EXPECT_EQ(tls.connection().cipher_suite()->id, c.suite);
    EXPECT_EQ(tls.connection().negotiated().server_name, "localhost");
    EXPECT_EQ(tls.connection().negotiated().encrypt_then_mac, expects_etm(c));
    if (!resumed) {
      EXPECT_EQ(tls.connection().peer_verified(), c.auth == Auth::mutual);
    }
    EXPECT_EQ(read_line(tls), "ping\n");
    tls.write(as_bytes("pong\n"));
    tls.close();
  } catch (const std::exception& error) {
    ADD_FAILURE() << error.what() << "\n" << client.output();
  }
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.wait(10), 0) << client.output();
  return client.output();
}

void expect_s_client_report(const std::string& out, const MatrixCase& c, bool resumed) {
  const std::string cipher = openssl_name(c.suite);
  EXPECT_TRUE(contains(out, openssl_new_or_reused(c, resumed))) << out;
  EXPECT_EQ(line_starting(out, "Protocol  :"), "Protocol  : TLSv1.2") << out;
  EXPECT_EQ(line_starting(out, "Cipher    :"), "Cipher    : " + cipher) << out;
  EXPECT_EQ(line_starting(out, "Verify return code:"), "Verify return code: 0 (ok)") << out;
  EXPECT_TRUE(contains(out, "pong")) << out;
  // Only a full handshake carries a CertificateRequest (§7.4.4).
  if (!resumed) {
    EXPECT_EQ(contains(out, "Acceptable client certificate CA names"), c.auth == Auth::mutual) << out;
  }
  if (c.mode == Mode::ticket && !resumed) {
    EXPECT_TRUE(contains(out, "TLS session ticket:")) << out;
  }
}

std::string run_our_server(const MatrixCase& c) {
  auto dir = test::make_temp_dir("tls12-matrix");
  const std::string session_file = (dir / "session.pem").string();
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  auto config = matrix_server_config(c);
  const bool resuming = c.mode != Mode::full;

  auto args = s_client_args(port, c.suite);
  if (c.auth == Auth::mutual) add(args, {"-cert", client_cert_file(c.suite), "-key", client_key_file(c.suite)});
  if (c.mode == Mode::session_id) add(args, {"-no_ticket"});
  if (c.no_etm) add(args, {"-no_etm"});
  auto first_args = args;
  if (resuming) add(first_args, {"-sess_out", session_file});
  bool resumed = false;
  std::string out;
  {
    Child client(first_args, (dir / "first.log").string());
    out = serve_one(listener.get(), config, client, c, resumed);
  }
  EXPECT_FALSE(resumed);
  expect_s_client_report(out, c, false);
  if (!resuming) return openssl_summary(out);

  if (!std::filesystem::exists(session_file)) {
    ADD_FAILURE() << "s_client wrote no session: " << out;
    return openssl_summary(out);
  }
  add(args, {"-sess_in", session_file});
  Child client(args, (dir / "second.log").string());
  out = serve_one(listener.get(), config, client, c, resumed);
  EXPECT_TRUE(resumed);
  expect_s_client_report(out, c, true);
  return openssl_summary(out);
}

class InteropMatrix : public ::testing::TestWithParam<MatrixCase> {};

TEST_P(InteropMatrix, HandshakeAsOpensslReportsIt) {
  const MatrixCase& c = GetParam();
  std::string said;
  try {
    said = c.side == Side::our_client ? run_our_client(c) : run_our_server(c);
  } catch (const std::exception& error) {
    ADD_FAILURE() << error.what();
    said = std::string("error: ") + error.what();
  }
  print_row(c, said, !HasFailure());
}

std::string case_name(const ::testing::TestParamInfo<MatrixCase>& info) {
  const MatrixCase& c = info.param;
  std::string name = std::string(c.side == Side::our_client ? "OurClient_" : "OurServer_") + openssl_name(c.suite) +
                     (c.auth == Auth::mutual ? "_mutual" : "_server_only");
  name += c.mode == Mode::full ? "_full" : c.mode == Mode::session_id ? "_session_id" : "_ticket";
  if (c.no_etm) name += "_no_etm";
  for (char& ch : name)
    if (ch == '-') ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(EverySupportedSuite, InteropMatrix, ::testing::ValuesIn(matrix_cases()), case_name);


// ------------------------------------------------ helpers for the tests below

// `openssl s_server` (our client's peer) on a free port with the RSA
// certificate; `extra` adds options. One connection (-naccept 1).
struct OpensslServer {
  uint16_t port = test::free_port();
  std::filesystem::path dir = test::make_temp_dir("tls12-matrix");
  std::unique_ptr<Child> child;

  explicit OpensslServer(std::initializer_list<std::string> extra) {
    auto argv = s_server_args(port, 1);
    add(argv, {"-cert", pki_file("server.pem"), "-key", pki_file("server.key")});
    add(argv, extra);
    child = std::make_unique<Child>(argv, (dir / "s_server.log").string());
  }
  std::string output() const { return child->output(); }
};

// `openssl s_client` (our server's peer) connecting to a listener of ours.
struct OpensslClient {
  uint16_t port = 0;
  Fd listener{test::listen_on_free_port(port)};
  std::filesystem::path dir = test::make_temp_dir("tls12-matrix");
  std::unique_ptr<Child> child;

  explicit OpensslClient(std::initializer_list<std::string> extra) {
    auto argv = s_client_base(port);
    add(argv, extra);
    child = std::make_unique<Child>(argv, (dir / "s_client.log").string());
  }
  int accept_connection() {
    pollfd p{listener.get(), POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) throw std::runtime_error("s_client never connected: " + child->output());
    return accept(listener.get(), nullptr, nullptr);
  }
  std::string output() const { return child->output(); }
};

// ------------------------------------------------------------------------ ALPN

TEST(InteropAlpn, OurClientGetsTheProtocolOpensslServerChose) {
  OpensslServer server({"-www", "-alpn", "http/1.1"});
  ClientConfig config = test::test_client_config();
  config.alpn_protocols = {"h2", "http/1.1"};
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  EXPECT_EQ(tls.connection().negotiated().alpn_protocol, "http/1.1");
  tls.write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(contains(read_to_end(tls), "Protocol  : TLSv1.2"));
  tls.close();
  server.child->wait(5);
  // OpenSSL saw both protocols offered, in our order.
  EXPECT_TRUE(contains(server.output(), "ALPN protocols advertised by the client: h2, http/1.1")) << server.output();
}

TEST(InteropAlpn, OpensslClientGetsOurServersChoice) {
  OpensslClient client({"-servername", "localhost", "-alpn", "http/1.1,h2"});
  client.child->write_stdin("ping\n");
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.alpn_protocols = {"h2", "http/1.1"};
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(tls.connection().negotiated().alpn_protocol, "h2");
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client.child->wait(10), 0) << client.output();
  EXPECT_TRUE(contains(client.output(), "ALPN protocol: h2")) << client.output();
}

// ------------------------------------------------------------------------- SNI

TEST(InteropSni, OpensslServerSwitchesToTheChainForOurName) {
  OpensslServer server({"-www", "-servername", "alpha.example", "-cert2", breadth_file("sni-alpha.pem"), "-key2",
                        breadth_file("sni.key")});
  ClientConfig config = test::test_client_config();
  config.server_name = "alpha.example";
  PageFetch fetch = fetch_page(server.port, config);
  EXPECT_TRUE(fetch.peer_verified);
  EXPECT_TRUE(contains(fetch.page, "New, TLSv1.2")) << fetch.page;
  server.child->wait(5);
  EXPECT_TRUE(contains(server.output(), "Hostname in TLS extension: \"alpha.example\"")) << server.output();
  EXPECT_TRUE(contains(server.output(), "Switching server context.")) << server.output();
}

TEST(InteropSni, OpensslClientVerifiesTheChainOurServerChoseForItsName) {
  for (const char* name : {"alpha.example", "localhost"}) {
    OpensslClient client({"-servername", name, "-verify_hostname", name});
    client.child->write_stdin("ping\n");
    Fd fd(client.accept_connection());
    ServerConfig config = test::test_server_config();
    config.additional_certificates = {test::breadth_pki().sni_alpha, test::breadth_pki().sni_beta};
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    ASSERT_NO_THROW(tls.handshake()) << name << ": " << client.output();
    EXPECT_EQ(tls.connection().negotiated().server_name, name);
    EXPECT_EQ(read_line(tls), "ping\n");
    tls.close();
    shutdown(fd.get(), SHUT_WR);
    EXPECT_EQ(client.child->wait(10), 0) << client.output();
    const std::string out = client.output();
    EXPECT_EQ(line_starting(out, "Verify return code:"), "Verify return code: 0 (ok)") << out;
    EXPECT_TRUE(contains(out, std::string("subject=O = tls12 test, CN = ") + name)) << out;
  }
}

// ------------------------------------------------ 10 MiB each way, by SHA-256

constexpr size_t kBulkSize = 10u << 20;

// Deterministic bytes that no compression or repetition could fake.
Bytes bulk_data(uint64_t seed) {
  Bytes data(kBulkSize);
  uint64_t x = seed;
  for (auto& byte : data) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    byte = static_cast<uint8_t>(x >> 24);
  }
  return data;
}

// SHA-256 by OpenSSL, an oracle independent of our crypto.
std::string sha256_hex(ByteView data) {
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return to_hex(ByteView(digest.data(), length));
}

// Reads exactly `size` bytes of application data (or until the end).
Bytes read_exactly(SocketConnection& tls, size_t size) {
  Bytes data(size);
  size_t have = 0;
  while (have < size) {
    size_t n = tls.read(MutableByteView(data.data() + have, size - have));
    if (n == 0) break;
    have += n;
  }
  data.resize(have);
  return data;
}

// Waits (bounded) until `path` holds `size` bytes.
Bytes wait_for_file(const std::filesystem::path& path, size_t size) {
  for (int i = 0; i < 400; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) >= size && !ec) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return test::read_file(path);
}

// Runs `openssl ARGS` with stdout (the application data OpenSSL received,
// -quiet) in `out` and stderr in `err`; stdin stays our pipe.
std::unique_ptr<Child> openssl_to_file(const std::vector<std::string>& args, const std::filesystem::path& dir) {
  std::string command = "exec";
  for (const auto& a : args) command += " '" + a + "'";
  command += " > '" + (dir / "received").string() + "' 2> '" + (dir / "stderr.log").string() + "'";
  return std::make_unique<Child>(std::vector<std::string>{"sh", "-c", command}, (dir / "sh.log").string());
}

TEST(InteropBulk, TenMebibytesEachWayWithOpensslServer) {
  const Bytes up = bulk_data(1), down = bulk_data(2);
  auto dir = test::make_temp_dir("tls12-matrix");
  const uint16_t port = test::free_port();
  auto args = s_server_args(port, 1);
  add(args, {"-cert", pki_file("server.pem"), "-key", pki_file("server.key"), "-quiet"});
  auto server = openssl_to_file(args, dir);

  ClientConfig config = test::test_client_config();
  Fd fd(test::connect_with_retry(port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << test::read_text(dir / "stderr.log");
  // Our 10 MiB first: s_server copies them to its stdout file. Only then
  // does it get its 10 MiB on stdin, so neither side blocks writing while the
  // other is blocked writing too.
  tls.write(up);
  std::thread feeder([&] { server->write_stdin(std::string(down.begin(), down.end())); });
  Bytes received = read_exactly(tls, kBulkSize);
  feeder.join();
  EXPECT_EQ(sha256_hex(received), sha256_hex(down));
  EXPECT_EQ(sha256_hex(wait_for_file(dir / "received", kBulkSize)), sha256_hex(up));
  tls.close();
  server->wait(10);
}

TEST(InteropBulk, TenMebibytesEachWayWithOpensslClient) {
  const Bytes up = bulk_data(3), down = bulk_data(4);
  auto dir = test::make_temp_dir("tls12-matrix");
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  auto args = s_client_args(port, handshake::suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
  add(args, {"-quiet"});
  auto client = openssl_to_file(args, dir);
  std::thread feeder([&] { client->write_stdin(std::string(up.begin(), up.end())); });

  pollfd p{listener.get(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1) << test::read_text(dir / "stderr.log");
  Fd fd(accept(listener.get(), nullptr, nullptr));
  SocketConnection tls(fd.get(), Connection(test::test_server_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << test::read_text(dir / "stderr.log");
  Bytes received = read_exactly(tls, kBulkSize);
  feeder.join();
  EXPECT_EQ(sha256_hex(received), sha256_hex(up));
  tls.write(down);
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  EXPECT_EQ(client->wait(20), 0) << test::read_text(dir / "stderr.log");
  EXPECT_EQ(sha256_hex(test::read_file(dir / "received")), sha256_hex(down));
}

// --------------------------------------------------- close_notify (§7.2.1)

TEST(InteropClose, OurClientClosesFirstAndOpensslServerSeesACleanClose) {
  OpensslServer server({});
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(test::test_client_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  tls.write(as_bytes("bye\n"));
  tls.close();
  // s_server answers our close_notify with its own.
  EXPECT_EQ(read_to_end(tls), "");
  EXPECT_TRUE(tls.connection().peer_closed());
  EXPECT_FALSE(tls.connection().truncated());
  server.child->wait(5);
  const std::string out = server.output();
  // "DONE" is s_server's SSL_ERROR_ZERO_RETURN: a close_notify, not a cut.
  EXPECT_TRUE(contains(out, "bye\nDONE")) << out;
  EXPECT_FALSE(contains(out, "unexpected eof")) << out;
}

TEST(InteropClose, OpensslServerClosesFirstAndOurClientSeesACleanClose) {
  // s_server -www closes with SSL_shutdown (close_notify) once its page is
  // written; its plain mode would only drop the socket.
  OpensslServer server({"-www"});
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(test::test_client_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  tls.write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(contains(read_to_end(tls), "New, TLSv1.2"));
  EXPECT_TRUE(tls.connection().peer_closed());
  EXPECT_FALSE(tls.connection().truncated());
  EXPECT_FALSE(tls.connection().failed());
  // Our answering close_notify went out with the peer's.
  ASSERT_TRUE(tls.connection().alert_sent().has_value());
  EXPECT_EQ(tls.connection().alert_sent()->description, AlertDescription::close_notify);
  EXPECT_EQ(server.child->wait(5), 0) << server.output();
}

TEST(InteropClose, OurServerClosesFirstAndOpensslClientSeesACleanClose) {
  OpensslClient client({"-servername", "localhost"});
  client.child->write_stdin("ping\n");
  Fd fd(client.accept_connection());
  SocketConnection tls(fd.get(), Connection(test::test_server_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(read_line(tls), "ping\n");
  tls.close();
  EXPECT_EQ(client.child->wait(10), 0) << client.output();
  // s_client prints "closed" for a close_notify (SSL_ERROR_ZERO_RETURN) and
  // answers with its own.
  EXPECT_TRUE(contains(client.output(), "closed")) << client.output();
  EXPECT_EQ(read_to_end(tls), "");
  EXPECT_TRUE(tls.connection().peer_closed());
  EXPECT_FALSE(tls.connection().truncated());
}

TEST(InteropClose, OpensslClientClosesFirstAndOurServerSeesACleanClose) {
  OpensslClient client({"-servername", "localhost"});
  client.child->write_stdin("ping\n");
  Fd fd(client.accept_connection());
  SocketConnection tls(fd.get(), Connection(test::test_server_config()), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(read_line(tls), "ping\n");
  client.child->close_stdin();  // s_client: end of input, so close_notify
  EXPECT_EQ(read_to_end(tls), "");
  EXPECT_TRUE(tls.connection().peer_closed());
  EXPECT_FALSE(tls.connection().truncated());
  EXPECT_FALSE(tls.connection().failed());
  tls.close();
  EXPECT_EQ(client.child->wait(10), 0) << client.output();
  EXPECT_TRUE(contains(client.output(), "DONE")) << client.output();
}

// ------------------------------------- renegotiation refused (RFC 5746 §4.4)

// The alerts a connection sent and received, from its observer: a sent
// warning is not kept by Connection::alert_sent(), which records what ended it.
struct AlertLog {
  std::shared_ptr<std::vector<AlertEvent>> events = std::make_shared<std::vector<AlertEvent>>();
  Observer observer() const {
    return [events = events](const Event& event) {
      if (auto* alert = std::get_if<AlertEvent>(&event)) events->push_back(*alert);
    };
  }
  bool has(Direction direction, record::AlertLevel level, AlertDescription description) const {
    for (const auto& e : *events)
      if (e.direction == direction && e.level == level && e.description == description) return true;
    return false;
  }
};

// OpenSSL treats a no_renegotiation answer to its own renegotiation as fatal
// (handshake_failure, "no renegotiation"): the connection ends, but only after
// OpenSSL has seen and reported our refusal.
void expect_renegotiation_refused(SocketConnection& tls, const AlertLog& alerts, const std::string& openssl_output) {
  EXPECT_TRUE(alerts.has(Direction::sent, record::AlertLevel::warning, AlertDescription::no_renegotiation))
      << openssl_output;
  EXPECT_TRUE(contains(openssl_output, "no renegotiation")) << openssl_output;
  ASSERT_TRUE(tls.connection().alert_received().has_value()) << openssl_output;
  EXPECT_EQ(tls.connection().alert_received()->description, AlertDescription::handshake_failure);
}

TEST(InteropRenegotiation, OurServerRefusesOpensslClientsRenegotiation) {
  OpensslClient client({"-servername", "localhost"});
  client.child->write_stdin("ping\n");
  Fd fd(client.accept_connection());
  AlertLog alerts;
  ServerConfig config = test::test_server_config();
  config.observer = alerts.observer();
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(read_line(tls), "ping\n");
  client.child->write_stdin("R\n");  // s_client: renegotiate (a new ClientHello)
  EXPECT_THROW(read_to_end(tls), ConnectionFailed);
  client.child->wait(10);
  EXPECT_TRUE(contains(client.output(), "RENEGOTIATING")) << client.output();
  expect_renegotiation_refused(tls, alerts, client.output());
}

TEST(InteropRenegotiation, OurClientRefusesOpensslServersHelloRequest) {
  OpensslServer server({});
  Fd fd(test::connect_with_retry(server.port, 10));
  AlertLog alerts;
  ClientConfig config = test::test_client_config();
  config.observer = alerts.observer();
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  tls.write(as_bytes("hi\n"));
  // Wait for s_server to have the line, so the handshake is done on its side too.
  for (int i = 0; i < 200 && !contains(server.output(), "hi\n"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  server.child->write_stdin("r\n");  // s_server: send HelloRequest
  EXPECT_THROW(read_to_end(tls), ConnectionFailed);
  server.child->wait(5);
  expect_renegotiation_refused(tls, alerts, server.output());
}

// ---------------------------- required client certificate missing (§7.4.6)

TEST(InteropClientCertificate, OpensslClientWithoutCertificateSeesOurHandshakeFailure) {
  OpensslClient client({"-servername", "localhost"});
  Fd fd(client.accept_connection());
  ServerConfig config = test::test_server_config();
  config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  ASSERT_TRUE(tls.connection().alert_sent().has_value());
  EXPECT_EQ(tls.connection().alert_sent()->description, AlertDescription::handshake_failure);
  EXPECT_NE(client.child->wait(10), 0);
  EXPECT_TRUE(contains(client.output(), "SSL alert number 40")) << client.output();
}

TEST(InteropClientCertificate, OurClientWithoutCertificateIsRefusedByOpensslServer) {
  // -Verify (capital): s_server requires a client certificate; ours has none
  // and sends an empty Certificate (§7.4.6).
  OpensslServer server({"-Verify", "1", "-CAfile", pki_file("ca.pem")});
  Fd fd(test::connect_with_retry(server.port, 10));
  SocketConnection tls(fd.get(), Connection(test::test_client_config()), test::short_timeout());
  EXPECT_THROW(tls.handshake(), ConnectionFailed);
  EXPECT_TRUE(tls.connection().negotiated().client_certificate_requested);
  ASSERT_TRUE(tls.connection().alert_received().has_value()) << server.output();
  EXPECT_EQ(tls.connection().alert_received()->description, AlertDescription::handshake_failure);
  server.child->wait(5);
  EXPECT_TRUE(contains(server.output(), "peer did not return a certificate")) << server.output();
}

}  // namespace
}  // namespace tls12::protocol
