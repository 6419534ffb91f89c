// The blocking socket adapter (see socket.h): poll() between the send and
// receive steps of protocol/transport.h.
#include "protocol/socket.h"

#include <poll.h>

#include <cerrno>
#include <cstring>

namespace tls12::protocol {

SocketConnection::SocketConnection(int fd, Connection connection, SocketOptions options)
    : fd_(fd), connection_(std::move(connection)), options_(std::move(options)) {}

void SocketConnection::wait(short events) {
  for (;;) {
    pollfd p{fd_, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(options_.timeout.count()));
    if (n > 0) return;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw SocketError(std::string("poll: ") + std::strerror(errno));
    }
    if (!options_.on_timeout || !options_.on_timeout())
      throw SocketError("timed out waiting for the peer");
  }
}

void SocketConnection::flush() {
  while (send_pending(fd_, connection_) == Step::would_block) wait(POLLOUT);
}

bool SocketConnection::fill() {
  for (;;) {
    wait(POLLIN);
    Step step = receive_available(fd_, connection_);
    if (step != Step::would_block) return step == Step::done;
  }
}

void SocketConnection::throw_if_failed() {
  if (!connection_.failed()) return;
  // The alert we queued (if any) still goes out before we report.
  try {
    flush();
  } catch (const SocketError&) {
  }
  throw ConnectionFailed(connection_.error());
}

void SocketConnection::handshake() {
  flush();
  while (!connection_.handshake_complete()) {
    throw_if_failed();
    if (connection_.is_closed()) throw ConnectionFailed("the connection closed during the handshake");
    fill();
    flush();
  }
  throw_if_failed();
}

size_t SocketConnection::read(MutableByteView out) {
  if (!connection_.handshake_complete()) handshake();
  while (connection_.readable() == 0) {
    throw_if_failed();
    if (connection_.peer_closed()) {
      flush();  // our close_notify in reply
      return 0;
    }
    if (connection_.truncated()) throw ConnectionFailed(connection_.error());
    if (connection_.is_closed()) return 0;
    fill();
    flush();
  }
  return connection_.read(out);
}

Bytes SocketConnection::read_some() {
  uint8_t first = 0;
  if (read(MutableByteView(&first, 1)) == 0) return {};
  Bytes data{first};
  Bytes rest = connection_.read_all();
  data.insert(data.end(), rest.begin(), rest.end());
  return data;
}

void SocketConnection::write(ByteView data) {
  if (!connection_.handshake_complete()) handshake();
  connection_.write(data);
  flush();
  throw_if_failed();
}

void SocketConnection::close() {
  connection_.close();
  flush();
}

void SocketConnection::close_and_await_peer() {
  close();
  try {
    while (!connection_.peer_closed() && !connection_.is_closed() && fill()) connection_.read_all();
  } catch (const SocketError&) {
    // The peer went away or did not answer in time: we are closing anyway.
  }
}

}  // namespace tls12::protocol
