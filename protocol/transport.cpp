// One send() or recv() step for a Connection (see transport.h).
#include "protocol/transport.h"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace tls12::protocol {

namespace {
// One TLSCiphertext at its largest (RFC 5246 §6.2.3: 2^14 + 2048, plus the
// 5-byte header), so that one receive can carry a whole record.
constexpr size_t kReceiveChunk = 16384 + 2048 + 5;
}  // namespace

Step send_pending(int fd, Connection& connection) {
  while (connection.wants_write()) {
    ByteView out = connection.pending_output();
    ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return Step::would_block;
      throw SocketError(std::string("send: ") + std::strerror(errno));
    }
    connection.consume_output(static_cast<size_t>(n));
  }
  return Step::done;
}

Step receive_available(int fd, Connection& connection) {
  std::array<uint8_t, kReceiveChunk> buffer;
  ssize_t n;
  do {
    n = ::recv(fd, buffer.data(), buffer.size(), 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Step::would_block;
    if (errno != ECONNRESET) throw SocketError(std::string("recv: ") + std::strerror(errno));
    n = 0;
  }
  if (n == 0) {
    connection.feed_eof();
    return Step::end_of_stream;
  }
  connection.feed(ByteView(buffer.data(), static_cast<size_t>(n)));
  return Step::done;
}

}  // namespace tls12::protocol
