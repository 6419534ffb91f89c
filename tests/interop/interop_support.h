// Helpers for the interop tests against OpenSSL's command-line peers: a
// child process (openssl s_server / s_client) whose stdin we hold and whose
// output goes to a log file, killed at the end; loopback sockets on free
// ports; bounded connect retries while a child starts; and the small pieces
// the interop tests share (suite names, reading a line, test names, an
// s_server or s_client for one connection).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "handshake/cipher_suites.h"
#include "protocol/socket.h"
#include "tests/protocol/handshake_test_support.h"
#include "tests/support/test_support.h"

namespace tls12::test {

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
  std::string output() const { return read_text(log_); }

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

inline sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A listening socket on a free port chosen by the kernel.
inline int listen_on_free_port(uint16_t& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = loopback(0);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 4) != 0)
    throw std::runtime_error("cannot listen");
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port = ntohs(addr.sin_port);
  return fd;
}

inline uint16_t free_port() {
  uint16_t port = 0;
  Fd fd(listen_on_free_port(port));
  return port;
}

// Connects, retrying while the server starts (bounded).
inline int connect_with_retry(uint16_t port, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = loopback(port);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    ::close(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("cannot connect to port " + std::to_string(port));
}

inline protocol::SocketOptions short_timeout() {
  protocol::SocketOptions options;
  options.timeout = std::chrono::milliseconds(10000);
  return options;
}

// OpenSSL's name for one of our cipher suites, as `-cipher` takes it.
inline std::string openssl_name(handshake::CipherSuite suite) {
  return std::string(handshake::find_cipher_suite(suite)->openssl_name);
}

// Our ECDHE_ECDSA suites are served with the Ed25519 certificates (RFC 8422).
inline bool is_ed25519(handshake::CipherSuite suite) {
  return handshake::find_cipher_suite(suite)->authentication == handshake::Authentication::ecdsa;
}

// Reads application data up to and including the first '\n' (or to the end
// of the stream): the line-based exchanges the OpenSSL peers take part in.
inline std::string read_line(protocol::SocketConnection& tls) {
  std::string line;
  std::array<uint8_t, 256> buffer;
  while (line.find('\n') == std::string::npos) {
    size_t n = tls.read(buffer);
    if (n == 0) break;
    line.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return line;
}

// The GoogleTest name of a (cipher suite, client certificate or not) case:
// OpenSSL's suite name with '-' made '_', which test names cannot hold.
inline std::string suite_param_name(const ::testing::TestParamInfo<std::tuple<handshake::CipherSuite, bool>>& info) {
  auto [suite, client_cert] = info.param;
  std::string name = openssl_name(suite);
  for (char& c : name)
    if (c == '-') c = '_';
  return name + (client_cert ? "_client_cert" : "_no_client_cert");
}

// `openssl s_server` on a free port, answering each line reversed (-rev).
struct OpensslServer {
  uint16_t port = free_port();
  std::filesystem::path dir = make_temp_dir("tls12-interop");
  std::unique_ptr<Child> child;

  explicit OpensslServer(std::vector<std::string> extra) {
    std::vector<std::string> argv = {"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "1",
                                     "-tls1_2", "-rev", "-quiet"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    child = std::make_unique<Child>(argv, (dir / "s_server.log").string());
  }
};

// `openssl s_client` connecting to a listener of ours; returns the accepted socket.
struct OpensslClient {
  uint16_t port = 0;
  Fd listener{listen_on_free_port(port)};
  std::filesystem::path dir = make_temp_dir("tls12-interop");
  std::unique_ptr<Child> child;

  explicit OpensslClient(std::vector<std::string> extra, bool quiet = true) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                     "-tls1_2", "-CAfile", pki_file("ca.pem"), "-verify_return_error"};
    if (quiet) argv.push_back("-quiet");
    argv.insert(argv.end(), extra.begin(), extra.end());
    child = std::make_unique<Child>(argv, (dir / "s_client.log").string());
    child->write_stdin("ping\n");
  }
  int accept_connection() {
    pollfd p{listener.get(), POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) throw std::runtime_error("s_client never connected: " + child->output());
    return accept(listener.get(), nullptr, nullptr);
  }
};

}  // namespace tls12::test
