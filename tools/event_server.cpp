// The event loop of `tls12 server` (see event_server.h): epoll workers that
// carry sans-I/O Connections, with a deadline for each handshake, an idle
// timeout after it, a memory bound on connections, and prompt careful closes.
#include "tools/event_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "protocol/transport.h"

namespace tls12::tools {

namespace {

using Clock = std::chrono::steady_clock;

// How often each worker looks for passed deadlines: the granularity of every
// timeout, and the longest a stop request waits to be seen.
constexpr std::chrono::milliseconds kTick{100};
// New connections one worker accepts per wake-up, so that a burst is shared
// between workers instead of landing on the first one woken.
constexpr int kAcceptBatch = 32;
// Reads of one socket per wake-up: a fast sender cannot starve the others
// (epoll is level-triggered: what is left wakes us again).
constexpr int kReadsPerWake = 4;

// A plaintext fatal internal_error alert (RFC 5246 §6.2.1, §7.2): what a
// client over the connection bound reads before the clean close.
constexpr std::array<uint8_t, 7> kOverloadedAlert = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50};

enum class Phase {
  handshake,    // until Finished; bounded by the handshake deadline
  established,  // application data; bounded by the idle timeout
  closing,      // TLS is over; our last records are still being sent
  lingering     // all sent, SHUT_WR done; dropping what the peer still sends
};

struct Client {
  int fd = -1;
  uint64_t id = 0;
  Phase phase = Phase::handshake;
  Clock::time_point deadline;
  bool watching_output = false;
  bool closed_by_us = false;  // we sent close_notify (application done, idle)
  std::optional<protocol::Connection> tls;
  std::unique_ptr<ServerApplication> app;
};

// What all workers share.
struct Shared {
  int listener;
  const EventServerLimits& limits;
  const EventServerCallbacks& callbacks;
  std::atomic<size_t> open{0};        // clients holding an engine
  std::atomic<uint64_t> accepted{0};  // connections accepted (served or refused)
  std::atomic<bool> stop{false};

  // Claims the right to accept one more connection under accept_count;
  // returns its number, or 0 when the count is reached.
  uint64_t reserve_accept() {
    uint64_t n = accepted.load();
    do {
      if (limits.accept_count != 0 && n >= limits.accept_count) return 0;
    } while (!accepted.compare_exchange_weak(n, n + 1));
    return n + 1;
  }
  bool accepting_done() const { return limits.accept_count != 0 && accepted.load() >= limits.accept_count; }
};

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

class Worker {
 public:
  explicit Worker(Shared& shared);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void run();

 private:
  void accept_new();
  void admit(int fd, uint64_t id);
  void refuse(int fd);
  void on_event(Client& c, uint32_t events);
  void read_from(Client& c);
  void drop_incoming(Client& c);
  void advance(Client& c);
  void deliver(Client& c);
  void flush(Client& c);
  void end_tls(Client& c, std::string_view transport);
  void begin_linger(Client& c);
  void watch(Client& c, bool output);
  void listen(bool on);
  void check_deadlines();
  void on_deadline(Client& c);
  void stop_all();
  void destroy(Client& c);
  void release_engine(Client& c);

  Shared& shared_;
  int epoll_fd_;
  bool listening_ = true;
  // Set when accept() ran out of file descriptors: the listener rests until
  // then instead of waking us again and again for a connection we cannot take.
  std::optional<Clock::time_point> listener_resting_until_;
  std::unordered_map<int, std::unique_ptr<Client>> clients_;
  // Received data goes from the record it was decrypted in straight here, a
  // record at a time (Connection::read): one buffer per worker, not per call.
  Bytes received_ = Bytes(16384);
};

Worker::Worker(Shared& shared) : shared_(shared), epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epoll_fd_ < 0) throw std::runtime_error(errno_text("epoll_create1"));
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.fd = shared_.listener;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, shared_.listener, &ev) != 0) {
    ::close(epoll_fd_);
    throw std::runtime_error(errno_text("epoll_ctl"));
  }
}

void Worker::listen(bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.fd = shared_.listener;
  ::epoll_ctl(epoll_fd_, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, shared_.listener, &ev);
}

Worker::~Worker() { ::close(epoll_fd_); }

void Worker::run() {
  std::array<epoll_event, 256> events;
  auto next_check = Clock::now() + kTick;
  while (!shared_.stop.load()) {
    if (listening_ && shared_.accepting_done()) {
      if (!listener_resting_until_) listen(false);
      listening_ = false;
    }
    if (!listening_ && clients_.empty()) return;
    int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), static_cast<int>(kTick.count()));
    if (n < 0 && errno != EINTR) throw std::runtime_error(errno_text("epoll_wait"));
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == shared_.listener) {
        accept_new();
      } else if (auto it = clients_.find(events[i].data.fd); it != clients_.end()) {
        on_event(*it->second, events[i].events);
      }
    }
    if (Clock::now() >= next_check) {
      if (shared_.callbacks.stopping()) shared_.stop.store(true);
      if (listener_resting_until_ && *listener_resting_until_ <= Clock::now()) {
        listener_resting_until_.reset();
        if (listening_) listen(true);
      }
      check_deadlines();
      next_check = Clock::now() + kTick;
    }
  }
  stop_all();
}

// ------------------------------------------------------------- accepting

void Worker::accept_new() {
  for (int i = 0; i < kAcceptBatch && listening_; ++i) {
    uint64_t id = shared_.reserve_accept();
    if (id == 0) return;
    int fd = ::accept4(shared_.listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      shared_.accepted.fetch_sub(1);  // nothing was taken: give the reservation back
      if ((errno == EMFILE || errno == ENFILE) && !listener_resting_until_) {
        listen(false);
        listener_resting_until_ = Clock::now() + kTick;
      }
      return;
    }
    // Records go out as soon as they are made: without this, a response and
    // the close_notify after it wait for Nagle's algorithm and a delayed ACK.
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (shared_.open.fetch_add(1) >= shared_.limits.max_clients) {
      shared_.open.fetch_sub(1);
      refuse(fd);
      if (shared_.callbacks.on_refused) shared_.callbacks.on_refused();
    } else {
      admit(fd, id);
    }
  }
}

void Worker::admit(int fd, uint64_t id) {
  auto client = std::make_unique<Client>();
  client->fd = fd;
  client->id = id;
  client->deadline = Clock::now() + shared_.limits.handshake_deadline;
  try {
    client->tls.emplace(shared_.callbacks.make_connection(id));
    client->app = shared_.callbacks.make_application(id);
  } catch (const std::exception&) {
    shared_.open.fetch_sub(1);
    ::close(fd);
    return;
  }
  Client& c = *client;
  clients_.emplace(fd, std::move(client));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) destroy(c);
}

// Over the bound: the alert, then the same careful close as any connection,
// without an engine (a lingering client costs a few dozen bytes).
void Worker::refuse(int fd) {
  [[maybe_unused]] ssize_t sent = ::send(fd, kOverloadedAlert.data(), kOverloadedAlert.size(), MSG_NOSIGNAL);
  auto client = std::make_unique<Client>();
  client->fd = fd;
  Client& c = *client;
  clients_.emplace(fd, std::move(client));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) return destroy(c);
  begin_linger(c);
}

// ------------------------------------------------------------- one client

void Worker::on_event(Client& c, uint32_t events) {
  if (c.phase == Phase::lingering) return drop_incoming(c);
  try {
    // Input is read only while no output waits (see watch()).
    if (!c.watching_output && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0) read_from(c);
    advance(c);
  } catch (const std::exception& e) {
    // The socket failed (protocol::SocketError), or the application did.
    end_tls(c, e.what());
    destroy(c);
  }
}

void Worker::read_from(Client& c) {
  for (int i = 0; i < kReadsPerWake && !c.tls->is_closed(); ++i)
    if (protocol::receive_available(c.fd, *c.tls) != protocol::Step::done) return;
}

// Lingering: read and drop until the peer's end of stream, then close.
void Worker::drop_incoming(Client& c) {
  std::array<uint8_t, 4096> sink;
  for (int i = 0; i < kReadsPerWake; ++i) {
    ssize_t n = ::recv(c.fd, sink.data(), sink.size(), 0);
    if (n > 0) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    return destroy(c);  // end of stream or error: the peer is done
  }
}

// After any input: hand data to the application, send what the engine made,
// and move the client along its phases.
void Worker::advance(Client& c) {
  protocol::Connection& tls = *c.tls;
  if (c.phase == Phase::handshake && tls.handshake_complete()) {
    c.phase = Phase::established;
    c.deadline = Clock::now() + shared_.limits.idle_timeout;
    c.app->on_handshake(tls);
  }
  if (c.phase == Phase::established) deliver(c);
  if (c.phase == Phase::closing) return flush(c);
  if (c.phase != Phase::closing && (tls.is_closed() || tls.peer_closed() || c.closed_by_us)) end_tls(c, "");
  flush(c);
}

void Worker::deliver(Client& c) {
  protocol::Connection& tls = *c.tls;
  if (tls.readable() == 0) return;
  c.deadline = Clock::now() + shared_.limits.idle_timeout;
  bool keep_open = true;
  while (keep_open && tls.readable() > 0) {
    const size_t n = tls.read(received_);
    try {
      keep_open = c.app->on_data(tls, std::string_view(reinterpret_cast<const char*>(received_.data()), n));
    } catch (const std::exception&) {
      keep_open = false;
    }
  }
  if (!keep_open && !tls.is_closed()) {
    tls.close();
    c.closed_by_us = true;
  }
}

void Worker::flush(Client& c) {
  protocol::Step step = protocol::send_pending(c.fd, *c.tls);
  if (step == protocol::Step::would_block) return watch(c, true);
  if (c.watching_output) watch(c, false);
  if (c.phase == Phase::closing) begin_linger(c);
}

// The TLS connection is over (failed, closed either way, or cut short):
// report it once, and give our last records `linger` to leave.
void Worker::end_tls(Client& c, std::string_view transport) {
  if (c.phase == Phase::closing || c.phase == Phase::lingering) return;
  c.phase = Phase::closing;
  c.deadline = Clock::now() + shared_.limits.linger;
  if (c.app) c.app->on_end(*c.tls, transport);
}

void Worker::begin_linger(Client& c) {
  release_engine(c);
  c.phase = Phase::lingering;
  c.deadline = Clock::now() + shared_.limits.linger;
  ::shutdown(c.fd, SHUT_WR);
  if (c.watching_output) watch(c, false);
}

// Back-pressure: while the peer has not taken what we sent, we read nothing
// more from it, so a client that sends without reading (to an echo server,
// say) cannot make our output buffer grow.
void Worker::watch(Client& c, bool output) {
  epoll_event ev{};
  ev.events = output ? EPOLLOUT : EPOLLIN;
  ev.data.fd = c.fd;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  c.watching_output = output;
}

// ------------------------------------------------------------- time

void Worker::check_deadlines() {
  auto now = Clock::now();
  std::vector<Client*> due;
  for (auto& [fd, client] : clients_)
    if (client->deadline <= now) due.push_back(client.get());
  for (Client* c : due) on_deadline(*c);
}

void Worker::on_deadline(Client& c) {
  switch (c.phase) {
    case Phase::handshake:
      end_tls(c, "handshake deadline passed");
      return destroy(c);
    case Phase::established:
      // Idle: close_notify, then the usual careful close.
      c.tls->close();
      c.closed_by_us = true;
      end_tls(c, "idle timeout");
      try {
        flush(c);
      } catch (const protocol::SocketError&) {
        destroy(c);
      }
      return;
    case Phase::closing:  // the peer does not read what we send
    case Phase::lingering:
      return destroy(c);
  }
}

void Worker::stop_all() {
  std::vector<Client*> all;
  for (auto& [fd, client] : clients_) all.push_back(client.get());
  for (Client* c : all) {
    if (c->tls && c->tls->handshake_complete() && !c->tls->is_closed()) {
      c->tls->close();
      try {
        protocol::send_pending(c->fd, *c->tls);  // one try: we are not waiting for anyone now
      } catch (const protocol::SocketError&) {
      }
    }
    end_tls(*c, "server stopping");
    destroy(*c);
  }
}

void Worker::release_engine(Client& c) {
  if (!c.tls) return;
  c.tls.reset();
  c.app.reset();
  shared_.open.fetch_sub(1);
}

void Worker::destroy(Client& c) {
  release_engine(c);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  int fd = c.fd;
  ::close(fd);
  clients_.erase(fd);  // `c` is gone from here on
}

}  // namespace

uint64_t raise_open_file_limit(size_t max_clients) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  // One descriptor per client, as many again for clients refused or
  // lingering, plus the listener, the epoll sets and stdio.
  rlim_t wanted = 2 * static_cast<rlim_t>(max_clients) + 64;
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

void run_event_server(int listener, const EventServerLimits& limits, const EventServerCallbacks& callbacks) {
  int flags = ::fcntl(listener, F_GETFL);
  if (flags < 0 || ::fcntl(listener, F_SETFL, flags | O_NONBLOCK) != 0)
    throw std::runtime_error(errno_text("fcntl"));
  Shared shared{listener, limits, callbacks};
  unsigned count = limits.workers != 0 ? limits.workers : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < count; ++i) workers.push_back(std::make_unique<Worker>(shared));
  std::vector<std::thread> threads;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  for (auto& worker : workers)
    threads.emplace_back([&worker, &shared, &failure, &failure_mutex] {
      try {
        worker->run();
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        failure = std::current_exception();
        shared.stop.store(true);
      }
    });
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace tls12::tools
