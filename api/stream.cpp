// tls12::Stream (include/tls12/tls12.h): one protocol::Connection driven over
// a connected socket with the send and receive steps of protocol/transport.h.
// On a blocking socket each call loops until it is done, waiting with poll()
// (so that the handshake can keep its deadline); on a non-blocking one it
// returns want_read / want_write where it would wait.
#include <fcntl.h>
#include <poll.h>

#include <cerrno>
#include <cstring>

#include "api/context_state.h"
#include "protocol/connection.h"
#include "protocol/transport.h"

namespace tls12 {

using Clock = std::chrono::steady_clock;

struct Stream::Impl {
  int fd;
  protocol::Connection connection;
  std::chrono::milliseconds handshake_timeout;
  std::optional<Clock::time_point> handshake_deadline;  // set by the first handshake() call
  bool shut_down = false;

  bool blocking() const { return (::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0; }
  void wait(short events);
  Status send_all();
  Status receive();
  void throw_if_failed();
};

namespace {

Error usage_error(const std::string& what) { return Error(Error::Kind::usage, what); }

protocol::Connection make_connection(Context::State& state, const std::string& server_name) {
  if (state.role == Role::server) return protocol::Connection(server_config(state));
  // The server's name is this connection's own: a copy of the shared
  // configuration (its keys and stores stay shared).
  protocol::ClientConfig config = *client_config(state);
  config.server_name = server_name;
  if (config.verify_server_certificate && server_name.empty())
    throw Error(Error::Kind::configuration,
                "a client Stream needs the server's name to check its certificate (Stream(context, fd, name))");
  return protocol::Connection(std::move(config));
}

// The engine's own errors (std::invalid_argument for a configuration it
// refuses, std::logic_error for misuse) and the socket's, as Errors.
template <class F>
auto translated(F&& call) {
  try {
    return call();
  } catch (const Error&) {
    throw;
  } catch (const protocol::SocketError& e) {
    throw Error(Error::Kind::transport, e.what());
  } catch (const std::invalid_argument& e) {
    throw Error(Error::Kind::configuration, e.what());
  } catch (const std::logic_error& e) {
    throw usage_error(e.what());
  }
}

}  // namespace

// Blocking only: waits for the socket, bounded by the handshake's deadline
// while there is one.
void Stream::Impl::wait(short events) {
  for (;;) {
    int timeout = -1;
    if (handshake_deadline && !connection.handshake_complete()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*handshake_deadline - Clock::now());
      if (left.count() <= 0)
        throw Error(Error::Kind::transport,
                    "the handshake did not complete within " + std::to_string(handshake_timeout.count()) + " ms");
      timeout = static_cast<int>(left.count());
    }
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, timeout);
    if (n > 0) return;
    if (n < 0 && errno != EINTR) throw Error(Error::Kind::transport, std::string("poll: ") + std::strerror(errno));
  }
}

Status Stream::Impl::send_all() {
  for (;;) {
    if (protocol::send_pending(fd, connection) == protocol::Step::done) return Status::done;
    if (!blocking()) return Status::want_write;
    wait(POLLOUT);
  }
}

// One receive from the socket into the engine (or the end of the stream).
Status Stream::Impl::receive() {
  for (;;) {
    if (blocking()) wait(POLLIN);
    if (protocol::receive_available(fd, connection) != protocol::Step::would_block) return Status::done;
    if (!blocking()) return Status::want_read;
  }
}

// The engine failed: its alert goes out (best effort), then the Error
// carries the alert and the engine's sentence.
void Stream::Impl::throw_if_failed() {
  if (!connection.failed() && !connection.truncated()) return;
  try {
    send_all();
  } catch (const std::exception&) {
  }
  std::string what = connection.error();
  if (const auto& sent = connection.alert_sent(); sent && sent->level == record::AlertLevel::fatal)
    throw Error(Error::Kind::tls, what, sent->description, true);
  if (const auto& received = connection.alert_received())
    throw Error(Error::Kind::tls, what, received->description, false);
  if (!connection.handshake_complete()) what = "the peer closed the connection during the handshake";
  throw Error(Error::Kind::transport, what);
}

Stream::Stream(const Context& context, int fd, const std::string& server_name) {
  if (fd < 0) throw usage_error("Stream needs a connected socket, not fd " + std::to_string(fd));
  Context::State& state = *context.state_;
  impl_ = std::make_unique<Impl>(Impl{fd, translated([&] { return make_connection(state, server_name); }),
                                      state.handshake_timeout, std::nullopt, false});
}

Stream::~Stream() = default;
Stream::Stream(Stream&&) noexcept = default;
Stream& Stream::operator=(Stream&&) noexcept = default;

void Stream::offer_session(handshake::Session session) {
  translated([&] {
    impl_->connection.offer_session(std::move(session));
    return 0;
  });
}

Status Stream::handshake() {
  Impl& s = *impl_;
  if (s.shut_down) throw usage_error("handshake() after shutdown()");
  if (!s.handshake_deadline) s.handshake_deadline = Clock::now() + s.handshake_timeout;
  return translated([&] {
    for (;;) {
      if (Status sent = s.send_all(); sent != Status::done) return sent;
      s.throw_if_failed();
      if (s.connection.handshake_complete()) return Status::done;
      if (s.connection.is_closed())
        throw Error(Error::Kind::transport, "the peer closed the connection during the handshake");
      if (Status received = s.receive(); received != Status::done) return received;
    }
  });
}

IoResult Stream::read(std::span<uint8_t> out) {
  Impl& s = *impl_;
  if (s.shut_down) throw usage_error("read() after shutdown()");
  if (!s.connection.handshake_complete()) throw usage_error("read() before the handshake completed: call handshake() first");
  return translated([&]() -> IoResult {
    for (;;) {
      if (s.connection.readable() > 0 || out.empty()) return {Status::done, s.connection.read(out)};
      s.throw_if_failed();
      if (s.connection.peer_closed() || s.connection.is_closed()) {
        s.send_all();  // our close_notify in reply (§7.2.1)
        return {Status::closed, 0};
      }
      if (Status received = s.receive(); received != Status::done) return {received, 0};
      // What reading made the engine say (a warning alert) goes out too.
      if (Status sent = s.send_all(); sent != Status::done) return {sent, 0};
    }
  });
}

IoResult Stream::write(std::span<const uint8_t> data) {
  Impl& s = *impl_;
  if (s.shut_down) throw usage_error("write() after shutdown()");
  if (!s.connection.handshake_complete()) throw usage_error("write() before the handshake completed: call handshake() first");
  return translated([&]() -> IoResult {
    s.throw_if_failed();
    if (s.connection.is_closed()) throw usage_error("write() after the connection closed");
    s.connection.write(data);
    Status sent = s.send_all();
    s.throw_if_failed();
    return {sent, data.size()};
  });
}

IoResult Stream::write(std::string_view text) {
  return write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

Status Stream::flush() {
  return translated([&] { return impl_->send_all(); });
}

Status Stream::shutdown() {
  Impl& s = *impl_;
  s.shut_down = true;
  return translated([&] {
    s.connection.close();
    return s.send_all();
  });
}

std::string Stream::read_string() {
  std::string text(16384, '\0');
  IoResult r = read(std::span<uint8_t>(reinterpret_cast<uint8_t*>(text.data()), text.size()));
  text.resize(r.bytes);
  return text;
}

// ---------------------------------------------------------------- negotiated

std::string Stream::version() const { return impl_->connection.handshake_complete() ? "TLSv1.2" : ""; }

std::string Stream::cipher_suite() const {
  const auto* suite = impl_->connection.cipher_suite();
  return suite ? std::string(suite->name) : "";
}

std::string Stream::group() const {
  auto group = impl_->connection.group();
  return group ? handshake::named_group_name(*group) : "";
}

std::string Stream::alpn_protocol() const { return impl_->connection.negotiated().alpn_protocol; }
bool Stream::resumed() const { return impl_->connection.negotiated().resumed; }
const std::vector<Bytes>& Stream::peer_certificates() const { return impl_->connection.peer_certificate_chain(); }
bool Stream::peer_verified() const { return impl_->connection.peer_verified(); }
std::optional<handshake::Session> Stream::session() const { return impl_->connection.session(); }
const protocol::Connection& Stream::connection() const { return impl_->connection; }

std::string_view status_name(Status status) {
  switch (status) {
    case Status::done: return "done";
    case Status::want_read: return "want_read";
    case Status::want_write: return "want_write";
    case Status::closed: return "closed";
  }
  return "unknown";
}

}  // namespace tls12
