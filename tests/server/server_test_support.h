// Clients for the tests of `tls12 server` under traffic (tests/server/): TLS
// connections made with our own engine over blocking sockets, raw sockets
// that misbehave, and what the tests measure (time, the server's memory).
// Everything talks to 127.0.0.1 only, and every wait is bounded.
#pragma once

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "protocol/socket.h"
#include "tests/tools/cli_test_support.h"
#include "x509/path_validation.h"

namespace tls12::test {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Raises the open-file limit to `wanted` (or the hard limit); returns it.
inline uint64_t raise_fd_limit(uint64_t wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

// Resident memory of a process, in KiB (VmRSS in /proc/PID/status).
inline long resident_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

// A client configuration that trusts the demo CA and checks "localhost".
inline std::shared_ptr<const protocol::ClientConfig> demo_client_config() {
  auto config = std::make_shared<protocol::ClientConfig>();
  config->trust_store =
      std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(demo_pki("ca.crt")));
  config->server_name = "localhost";
  return config;
}

// A TLS connection from our engine to the server under test.
struct TlsClient {
  int fd = -1;
  std::unique_ptr<protocol::SocketConnection> tls;

  TlsClient(uint16_t port, std::shared_ptr<const protocol::ClientConfig> config) : fd(connect_raw(port)) {
    if (fd < 0) throw std::runtime_error("cannot connect to the server");
    tls = std::make_unique<protocol::SocketConnection>(fd, protocol::Connection(std::move(config)),
                                                       protocol::SocketOptions{std::chrono::seconds(20), {}});
  }
  ~TlsClient() {
    if (fd >= 0) ::close(fd);
  }
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // GET / over the connection; returns the whole answer, up to the server's close.
  std::string get() {
    tls->write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
    std::string answer;
    for (Bytes part; !(part = tls->read_some()).empty();) answer.append(part.begin(), part.end());
    return answer;
  }
};

// Reads until `want` bytes arrived or the peer closed, at most `seconds`.
inline std::string read_until_closed_or(int fd, size_t want, double seconds, bool& closed) {
  std::string received;
  auto start = Clock::now();
  closed = false;
  while (received.size() < want && seconds_since(start) < seconds) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buffer[4096];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      closed = true;
      break;
    }
    received.append(buffer, static_cast<size_t>(n));
  }
  return received;
}

// Waits until the peer closes `fd` (end of stream or reset), at most
// `seconds`; returns everything received before that. Sets `closed`.
inline std::string read_until_closed(int fd, double seconds, bool& closed) {
  return read_until_closed_or(fd, static_cast<size_t>(-1), seconds, closed);
}

// Whether the peer has closed `fd` by now (without waiting).
inline bool closed_by_peer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  char buffer[256];
  ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

}  // namespace tls12::test
