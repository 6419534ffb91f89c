// Interop smoke tests against OpenSSL's command-line peers over 127.0.0.1:
// our client against `openssl s_server`, our server against `openssl
// s_client`, for each of the five suites, with and without a client
// certificate. Every child runs with a bounded timeout and is killed at the end.
//
// `s_server -rev` echoes each line reversed, so the client test checks real
// application data both ways; `s_server` would exit when its standard input
// closes, so it gets a pipe that stays open until we are done.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "handshake/cipher_suites.h"
#include "protocol/socket.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
namespace suites = handshake::suites;

// A child process with its stdin a pipe we hold and stdout+stderr in a file.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log) : log_(log) {
    int in[2];
    if (pipe(in) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, 1);
      dup2(out, 2);
      ::close(in[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    ::close(in[0]);
    stdin_ = in[1];
  }
  ~Child() {
    close_stdin();
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  void write_stdin(const std::string& s) { (void)!::write(stdin_, s.data(), s.size()); }
  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }
  // Waits up to `seconds` for the child to exit; kills it otherwise. Returns its exit code (-1 if killed).
  int wait(int seconds) {
    for (int i = 0; i < seconds * 20; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    exited_ = true;
    return -1;
  }
  std::string output() const { return test::read_text(log_); }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool exited_ = false;
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A listening socket on a free port chosen by the kernel.
int listen_on_free_port(uint16_t& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = loopback(0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0)
    throw std::runtime_error("cannot listen");
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

uint16_t free_port() {
  uint16_t port = 0;
  Fd fd(listen_on_free_port(port));
  return port;
}

// Connects, retrying while the server starts (bounded).
int connect_with_retry(uint16_t port, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("cannot connect to port " + std::to_string(port));
}

std::string openssl_name(CipherSuite suite) { return std::string(handshake::find_cipher_suite(suite)->openssl_name); }

SocketOptions short_timeout() {
  SocketOptions options;
  options.timeout = std::chrono::milliseconds(10000);
  return options;
}

using Param = std::tuple<CipherSuite, bool>;
class Interop : public ::testing::TestWithParam<Param> {};

TEST_P(Interop, OurClientAgainstOpensslServer) {
  auto [suite, client_cert] = GetParam();
  auto dir = test::make_temp_dir("tls12-interop");
  uint16_t port = free_port();
  std::vector<std::string> argv = {"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "1",
                                   "-cert", test::pki_file("server.pem"), "-key", test::pki_file("server.key"),
                                   "-tls1_2", "-cipher", openssl_name(suite), "-rev", "-quiet"};
  if (client_cert) {
    for (const char* a : {"-Verify", "1", "-CAfile"}) argv.push_back(a);
    argv.push_back(test::pki_file("ca.pem"));
  }
  Child server(argv, (dir / "s_server.log").string());

  ClientConfig config = test::test_client_config();
  config.cipher_suites = {suite};
  if (client_cert) config.client_certificate = test::test_pki().client2048;
  Fd fd(connect_with_retry(port, 10));
  SocketConnection tls(fd.get(), Connection(config), short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << server.output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_TRUE(tls.connection().peer_verified());
  EXPECT_EQ(tls.connection().negotiated().client_certificate_requested, client_cert);

  tls.write(as_bytes("hello openssl\n"));
  std::string reply;
  std::array<uint8_t, 256> buffer;
  while (reply.find('\n') == std::string::npos) {
    size_t n = tls.read(buffer);
    if (n == 0) break;
    reply.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  EXPECT_EQ(reply, "lssnepo olleh\n") << server.output();
  tls.close();
  server.wait(5);
}

TEST_P(Interop, OpensslClientAgainstOurServer) {
  auto [suite, client_cert] = GetParam();
  auto dir = test::make_temp_dir("tls12-interop");
  uint16_t port = 0;
  Fd listener(listen_on_free_port(port));
  std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                   "-tls1_2", "-cipher", openssl_name(suite), "-CAfile", test::pki_file("ca.pem"),
                                   "-verify_return_error", "-verify_hostname", "localhost",
                                   "-servername", "localhost", "-quiet"};
  if (client_cert) {
    for (const char* a : {"-cert"}) argv.push_back(a);
    argv.push_back(test::pki_file("client2048.pem"));
    argv.push_back("-key");
    argv.push_back(test::pki_file("client2048.key"));
  }
  Child client(argv, (dir / "s_client.log").string());
  client.write_stdin("ping\n");

  pollfd p{listener.get(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1) << "s_client never connected: " << client.output();
  Fd fd(accept(listener.get(), nullptr, nullptr));
  ServerConfig config = test::test_server_config();
  config.cipher_suites = {suite};
  if (client_cert) config.client_authentication = ClientAuthentication::required;
  SocketConnection tls(fd.get(), Connection(config), short_timeout());
  ASSERT_NO_THROW(tls.handshake()) << client.output();
  EXPECT_EQ(tls.connection().cipher_suite()->id, suite);
  EXPECT_EQ(tls.connection().negotiated().server_name, "localhost");
  EXPECT_EQ(tls.connection().peer_verified(), client_cert);
  EXPECT_TRUE(tls.connection().extended_master_secret());

  std::string request;
  std::array<uint8_t, 256> buffer;
  while (request.find('\n') == std::string::npos) {
    size_t n = tls.read(buffer);
    if (n == 0) break;
    request.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  EXPECT_EQ(request, "ping\n");
  tls.write(as_bytes("pong\n"));
  tls.close();
  shutdown(fd.get(), SHUT_WR);
  int code = client.wait(10);
  EXPECT_EQ(code, 0) << client.output();
  EXPECT_NE(client.output().find("pong"), std::string::npos) << client.output();
}

std::string param_name(const ::testing::TestParamInfo<Param>& info) {
  auto [suite, client_cert] = info.param;
  std::string name = openssl_name(suite);
  for (char& c : name)
    if (c == '-') c = '_';
  return name + (client_cert ? "_client_cert" : "_no_client_cert");
}

INSTANTIATE_TEST_SUITE_P(EverySuite, Interop,
                         ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                                              suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                                              suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_RSA_WITH_AES_256_GCM_SHA384),
                                            ::testing::Bool()),
                         param_name);

}  // namespace
}  // namespace tls12::protocol
