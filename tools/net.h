// TCP plumbing shared by `tls12 client`, `tls12 server` and `tls12 demo`:
// parsing HOST:PORT, connecting, listening, and moving a Connection's bytes
// over a socket (the sans-I/O engine's feed()/pending_output(), see
// protocol/connection.h). Everything TLS stays in Connection; this file only
// waits for sockets, with a timeout on every wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "protocol/connection.h"

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

// Moves a Connection's bytes over a connected socket. Each wait is bounded by
// `timeout`; a wait that expires is a NetError.
class Pump {
 public:
  Pump(int fd, protocol::Connection& connection, std::chrono::milliseconds timeout)
      : fd_(fd), connection_(connection), timeout_(timeout) {}

  // Sends everything the engine has queued.
  void flush();
  // Waits for bytes and feeds them to the engine (feed_eof() at end of stream).
  // Returns false at end of stream.
  bool fill();
  // Runs the handshake; throws NetError (transport) or std::runtime_error
  // carrying Connection::error() (TLS failure, after the alert went out).
  void handshake();
  // Reads application data until some is available or the stream ends;
  // returns "" at the end (close_notify, or any closure).
  std::string read_some();
  void write(std::string_view data);
  // Sends close_notify, and waits (bounded) for the peer's.
  void close();
  // Throws if the connection failed (after sending our alert).
  void throw_if_failed();

 private:
  int fd_;
  protocol::Connection& connection_;
  std::chrono::milliseconds timeout_;
};

// Waits until `fd` is readable, at most `timeout`; false on timeout.
bool wait_readable(int fd, std::chrono::milliseconds timeout);

}  // namespace tls12::tools
