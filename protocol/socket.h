// A blocking adapter that runs a Connection over a connected socket: the thin
// shell around the sans-I/O engine (DESIGN.md) that the command-line tools and
// the interop tests use.
//
// It only moves bytes: everything TLS is in Connection. Each wait for the
// network is bounded by a timeout; when it expires the `on_timeout` hook may
// ask to keep waiting (return true), otherwise the call fails with
// SocketError. A TLS failure (an alert sent or received) is a
// ConnectionFailed carrying the alert.
#pragma once

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>

#include "crypto/bytes.h"
#include "protocol/connection.h"

namespace tls12::protocol {

// The transport failed (system call error, timeout, peer gone mid-handshake).
class SocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The TLS connection failed; `connection().alert_sent()` / `alert_received()` say how.
class ConnectionFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SocketOptions {
  std::chrono::milliseconds timeout{30000};
  // Called when a wait times out; return true to wait another `timeout`.
  std::function<bool()> on_timeout;
};

class SocketConnection {
 public:
  // Takes a connected socket (not owned: the caller closes it) and an engine.
  SocketConnection(int fd, Connection connection, SocketOptions options = {});

  // Runs the handshake to completion. Throws ConnectionFailed or SocketError.
  void handshake();
  // Reads application data into `out` (handshaking first if needed); returns
  // 0 at a clean end (close_notify). A truncated stream (end without
  // close_notify) is a ConnectionFailed.
  size_t read(MutableByteView out);
  // Sends all of `data`.
  void write(ByteView data);
  // Sends close_notify and flushes it; does not wait for the peer's.
  void close();

  Connection& connection() { return connection_; }
  const Connection& connection() const { return connection_; }

 private:
  void flush();
  void fill();
  void wait(short events);
  void throw_if_failed();

  int fd_;
  Connection connection_;
  SocketOptions options_;
};

}  // namespace tls12::protocol
