// TCP plumbing shared by `tls12 client`, `tls12 server` and `tls12 demo`:
// parsing HOST:PORT, connecting and listening. Moving a Connection's bytes
// over a socket is protocol/transport.h's job (protocol/socket.h blocks on
// one socket, tools/event_server.h waits on many); everything TLS stays in
// Connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tls12::tools {

// The network failed (refused, timed out, peer vanished).
class NetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A file descriptor closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release();

 private:
  int fd_ = -1;
};

struct HostPort {
  std::string host;
  uint16_t port = 0;
};
// "host:port", "[v6addr]:port"; throws std::invalid_argument naming the problem.
HostPort parse_host_port(std::string_view text);
// A port number 1..65535 (0 too when `allow_zero`); throws std::invalid_argument.
uint16_t parse_port(std::string_view text, bool allow_zero);

// Connects to host:port (any address getaddrinfo returns), within `timeout`.
Fd connect_tcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);
// Listens on address:port (port 0: the system picks one); returns the socket
// and sets `bound_port` to the port actually bound.
Fd listen_tcp(const std::string& address, uint16_t port, uint16_t& bound_port);

// Application data as text, for the tools that print or compare it.
inline std::string as_text(ByteView data) { return std::string(data.begin(), data.end()); }

// Waits until `fd` is readable, at most `timeout`; false on timeout.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace tls12::tools
