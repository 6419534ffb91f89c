// Standard input and output over a TLS connection (see stdio_copy.h).
#include "tools/stdio_copy.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "tools/net.h"

namespace tls12::tools {

namespace {

using Clock = std::chrono::steady_clock;

void write_stdout(ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(1, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("writing standard output: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

std::string with_crlf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

class StdioCopy {
 public:
  StdioCopy(int fd, protocol::SocketConnection& tls, const CopyOptions& options)
      : fd_(fd), tls_(tls), options_(options) {}

  bool run() {
    protocol::Connection& connection = tls_.connection();
    for (;;) {
      if (connection.readable() > 0) {
        write_stdout(connection.read_all());
        last_from_server_ = Clock::now();
      }
      tls_.throw_if_failed();
      if (connection.peer_closed() || connection.is_closed()) {
        tls_.flush();  // our close_notify in reply
        return !connection.truncated();
      }
      pollfd fds[2] = {{fd_, POLLIN, 0}, {0, POLLIN, 0}};
      int n = ::poll(fds, input_open_ ? 2 : 1, wait_milliseconds());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw NetError(std::string("poll: ") + std::strerror(errno));
      if (n == 0) {
        if (closing_) return true;  // we closed cleanly; the server did not answer in time
        close();
        continue;
      }
      if (input_open_ && (fds[1].revents & (POLLIN | POLLHUP)) != 0) read_input();
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        tls_.fill();
        tls_.flush();
      }
    }
  }

 private:
  // How long the next wait may last: for ever while the user may still type;
  // after the input ended, the quiet time, the server's, or our close's.
  int wait_milliseconds() const {
    if (input_open_) return -1;
    if (closing_ || options_.at_end_of_input == AtEndOfInput::wait_for_server)
      return static_cast<int>(options_.timeout.count());
    auto quiet_until = last_from_server_ + options_.quiet_time;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(quiet_until - Clock::now()).count();
    return static_cast<int>(std::max<long long>(left, 0));
  }

  void read_input() {
    std::array<char, 16384> buffer;
    ssize_t got = ::read(0, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) return;
    if (got > 0) {
      std::string_view text(buffer.data(), static_cast<size_t>(got));
      std::string converted = options_.crlf ? with_crlf(text) : std::string(text);
      tls_.write(as_bytes(converted));
      return;
    }
    input_open_ = false;
    last_from_server_ = Clock::now();  // the quiet time starts now
    if (options_.at_end_of_input == AtEndOfInput::close) close();
  }

  void close() {
    closing_ = true;
    tls_.close();
  }

  int fd_;
  protocol::SocketConnection& tls_;
  const CopyOptions& options_;
  bool input_open_ = true;
  bool closing_ = false;
  Clock::time_point last_from_server_ = Clock::now();
};

}  // namespace

bool copy_stdio(int fd, protocol::SocketConnection& tls, const CopyOptions& options) {
  return StdioCopy(fd, tls, options).run();
}

}  // namespace tls12::tools
