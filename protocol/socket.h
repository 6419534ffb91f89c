// A blocking adapter that runs a Connection over a connected socket: the thin
// shell around the sans-I/O engine (docs/ARCHITECTURE.md) that the `tls12`
// client and demo and the interop tests use. (The server waits for many
// sockets at once instead: tools/event_server.h. Both move bytes with the
// same steps, protocol/transport.h.)
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
#include "protocol/transport.h"

namespace tls12::protocol {

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
  // Everything that is or becomes readable next, at least one byte; empty at
  // a clean end. Same failures as read().
  Bytes read_some();
  // Sends all of `data`.
  void write(ByteView data);
  // Sends close_notify and flushes it; does not wait for the peer's.
  void close();
  // Sends close_notify and waits (bounded by the timeout) for the peer's, so
  // that it is seen rather than cut off; data still arriving is dropped.
  void close_and_await_peer();

  // The two steps the calls above are made of, for a caller that waits on
  // more than this socket (the client's stdin loop):
  // sends everything the engine has queued, waiting while the socket is full;
  void flush();
  // waits for bytes from the peer and gives them to the engine; false at the
  // end of the stream (the engine has seen feed_eof()).
  bool fill();
  // Throws ConnectionFailed if the engine failed, after its alert went out.
  void throw_if_failed();

  Connection& connection() { return connection_; }
  const Connection& connection() const { return connection_; }

 private:
  void wait(short events);

  int fd_;
  Connection connection_;
  SocketOptions options_;
};

}  // namespace tls12::protocol
