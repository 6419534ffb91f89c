// The blocking socket adapter (see socket.h): poll(), send() and recv()
// around Connection's feed()/pending_output().
#include "protocol/socket.h"

#include <poll.h>
#include <sys/socket.h>

#include <array>
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

// Sends everything the engine has queued (records, alerts).
void SocketConnection::flush() {
  while (connection_.wants_write()) {
    ByteView out = connection_.pending_output();
    ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait(POLLOUT);
        continue;
      }
      throw SocketError(std::string("send: ") + std::strerror(errno));
    }
    connection_.consume_output(static_cast<size_t>(n));
  }
}

// Waits for bytes from the peer and gives them to the engine.
void SocketConnection::fill() {
  wait(POLLIN);
  std::array<uint8_t, 16384 + 2048 + 5> buffer;
  ssize_t n;
  do {
    n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw SocketError(std::string("recv: ") + std::strerror(errno));
  if (n == 0) {
    connection_.feed_eof();
    return;
  }
  connection_.feed(ByteView(buffer.data(), static_cast<size_t>(n)));
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

}  // namespace tls12::protocol
