// TCP plumbing for the tls12 program (see net.h): resolving, connecting with
// a bounded wait, listening.
#include "tools/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace tls12::tools {

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

int Fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

uint16_t parse_port(std::string_view text, bool allow_zero) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535 ||
      (value == 0 && !allow_zero))
    throw std::invalid_argument("invalid port '" + std::string(text) + "' (expected 1-65535)");
  return static_cast<uint16_t>(value);
}

HostPort parse_host_port(std::string_view text) {
  HostPort out;
  size_t colon;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw std::invalid_argument("invalid address '" + std::string(text) + "' (expected [ADDRESS]:PORT)");
    out.host = std::string(text.substr(1, close - 1));
    colon = close + 1;
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
      throw std::invalid_argument("invalid address '" + std::string(text) + "' (expected HOST:PORT)");
    out.host = std::string(text.substr(0, colon));
  }
  out.port = parse_port(text.substr(colon + 1), false);
  return out;
}

namespace {

bool wait_for(int fd, short events, std::chrono::milliseconds timeout) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) throw NetError(std::string("poll: ") + std::strerror(errno));
  }
}

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

bool wait_readable(int fd, std::chrono::milliseconds timeout) { return wait_for(fd, POLLIN, timeout); }

// A non-blocking connect, so that an unreachable host costs at most `timeout`.
Fd connect_tcp(const std::string& host, uint16_t port, std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0)
    throw NetError("cannot resolve " + host + ": " + ::gai_strerror(rc));
  std::string last_error = "no address for " + host;
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    Fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (fd.get() < 0) continue;
    int flags = ::fcntl(fd.get(), F_GETFL);
    ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
    int rc = ::connect(fd.get(), ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      if (!wait_for(fd.get(), POLLOUT, timeout)) {
        last_error = "timed out connecting to " + host + ":" + service;
        continue;
      }
      int error = 0;
      socklen_t length = sizeof error;
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
      errno = error;
      rc = error == 0 ? 0 : -1;
    }
    if (rc != 0) {
      last_error = system_error("cannot connect to " + host + ":" + service);
      continue;
    }
    ::fcntl(fd.get(), F_SETFL, flags);
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::freeaddrinfo(list);
    return fd;
  }
  ::freeaddrinfo(list);
  throw NetError(last_error);
}

Fd listen_tcp(const std::string& address, uint16_t port, uint16_t& bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
  addrinfo* list = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &list); rc != 0)
    throw NetError("invalid bind address " + address + ": " + ::gai_strerror(rc));
  Fd fd(::socket(list->ai_family, list->ai_socktype | SOCK_CLOEXEC, list->ai_protocol));
  if (fd.get() < 0) {
    ::freeaddrinfo(list);
    throw NetError(system_error("socket"));
  }
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc = ::bind(fd.get(), list->ai_addr, list->ai_addrlen);
  ::freeaddrinfo(list);
  if (rc != 0) throw NetError(system_error("cannot listen on " + address + ":" + service));
  if (::listen(fd.get(), SOMAXCONN) != 0) throw NetError(system_error("listen"));
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &length);
  bound_port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                           : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return fd;
}

}  // namespace tls12::tools
