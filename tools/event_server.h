// The event loop behind `tls12 server`: many TLS connections on a few
// threads, each connection a sans-I/O Connection (protocol/connection.h)
// whose bytes this loop carries with the steps of protocol/transport.h.
//
// Because the engine never blocks and never touches a socket, serving a
// connection is only "when its socket is readable, feed the engine; when the
// engine has output, send it". So one thread can hold thousands of
// connections: each worker thread owns an epoll set and the connections it
// accepted; the listening socket is in every worker's set (EPOLLEXCLUSIVE:
// one worker is woken per new connection).
//
// What it bounds, by time and memory, not by the number of legal things a
// client may do:
//   handshake deadline  the whole handshake, from accept to Finished: a client
//                       that trickles one byte a second is dropped at the
//                       deadline, whatever it sends;
//   idle timeout        after the handshake, time without data from the client
//                       (the connection is then closed with close_notify);
//   max_clients         connections holding an engine at once: the memory
//                       bound; a client over it gets a fatal internal_error
//                       alert and a clean close, never a silent reset;
//   linger              after our last byte: how long we still read (and drop)
//                       what the peer sends before closing the socket.
//
// Closing. A connection's socket is closed the moment its TLS connection
// ends, the careful way: our last records (an alert, close_notify) are sent,
// then shutdown(SHUT_WR) gives the peer its end of stream at once, then what
// the peer is still sending is read and dropped until it closes too or the
// linger time passes. Closing a socket with unread bytes would make the
// kernel send a TCP reset, which can destroy the alert before the peer reads
// it ("connection reset by peer" instead of the reason).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "protocol/connection.h"

namespace tls12::tools {

struct EventServerLimits {
  unsigned workers = 0;  // 0: one per core
  size_t max_clients = 10000;
  std::chrono::milliseconds handshake_deadline{10000};
  std::chrono::milliseconds idle_timeout{10000};
  std::chrono::milliseconds linger{1000};
  uint64_t accept_count = 0;  // stop after this many connections (0: until stopped)
};

// What the server does with one connection. Callbacks run on the worker
// thread that owns the connection; an exception from one ends the connection.
class ServerApplication {
 public:
  virtual ~ServerApplication() = default;
  // The handshake completed.
  virtual void on_handshake(protocol::Connection& connection) = 0;
  // Application data arrived (in pieces of up to 16 KiB, however it was
  // sent). Replies go through connection.write(). Return
  // false to end the connection (close_notify follows what was written).
  virtual bool on_data(protocol::Connection& connection, std::string_view data) = 0;
  // The connection is over: `connection` says how (failed(), error(),
  // peer_closed(), ...); `transport` names a problem outside TLS, if any
  // (deadline passed, socket error, server stopping).
  virtual void on_end(const protocol::Connection& connection, std::string_view transport) = 0;
};

// What the loop asks of its user.
struct EventServerCallbacks {
  // A new engine and a new application for connection number `id` (1, 2, ...).
  std::function<protocol::Connection(uint64_t id)> make_connection;
  std::function<std::unique_ptr<ServerApplication>(uint64_t id)> make_application;
  // Asked at least every 100 ms: true ends the loop.
  std::function<bool()> stopping;
  // A connection was refused because max_clients were open (may be empty).
  std::function<void()> on_refused;
};

// Serves connections accepted on `listener` (made non-blocking here) until
// `stopping()` returns true or `accept_count` connections have been served.
// On stop, every open connection gets close_notify (when its handshake is
// complete) and its socket is closed. Throws std::runtime_error if the loop
// cannot be set up.
void run_event_server(int listener, const EventServerLimits& limits, const EventServerCallbacks& callbacks);

// Raises this process's open-file limit towards what `max_clients`
// connections need (up to the hard limit); returns the limit now in force.
uint64_t raise_open_file_limit(size_t max_clients);

}  // namespace tls12::tools
