// Moving a Connection's bytes over a socket, one non-blocking step at a time:
// the only code in tls12 that calls send() and recv() for a TLS connection.
//
// The sans-I/O engine (connection.h) never touches a socket; something must
// carry its records. Two kinds of driver do: the blocking SocketConnection
// (socket.h: the client, the demo, the tests) waits with poll() between
// steps, and the event-driven server (tools/event_server.h) waits for many
// sockets at once with epoll. Both take their steps here, so there is one
// piece of code that knows how a record travels, whatever waits between.
#pragma once

#include <stdexcept>

#include "protocol/connection.h"

namespace tls12::protocol {

// The transport failed (system call error, timeout, peer gone mid-handshake).
class SocketError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Step {
  done,          // sent everything / read something and fed it to the engine
  would_block,   // the socket is not ready: wait, then take the step again
  end_of_stream  // the peer closed (or reset) the connection: feed_eof() was called
};

// Sends as much of the engine's pending output as the socket takes now:
// `done` once nothing is left, `would_block` when the socket is full. Throws
// SocketError for any failure (a peer that is gone included: EPIPE, ECONNRESET).
Step send_pending(int fd, Connection& connection);

// One recv() of whatever the socket holds, fed to the engine. A reset by the
// peer is an end of stream like an orderly close: either way no more bytes
// come, and the engine decides whether the stream was cut short (truncated()).
Step receive_available(int fd, Connection& connection);

}  // namespace tls12::protocol
