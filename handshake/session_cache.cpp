// The server's LRU session cache (see session_cache.h; RFC 5246 §7.4.1.2).
#include "handshake/session_cache.h"

#include <stdexcept>

namespace tls12::handshake {

namespace {

std::string_view key_of(ByteView id) { return std::string_view(reinterpret_cast<const char*>(id.data()), id.size()); }

}  // namespace

SessionCache::SessionCache(size_t capacity, uint32_t lifetime, Clock clock)
    : capacity_(capacity), lifetime_(lifetime), clock_(std::move(clock)) {
  if (capacity_ == 0) throw std::invalid_argument("a session cache needs room for at least one session");
  if (!clock_) throw std::invalid_argument("a session cache needs a clock");
}

void SessionCache::store(ByteView session_id, Session session) {
  session.lifetime = lifetime_;
  store(session_id, std::make_shared<const Session>(std::move(session)));
}

void SessionCache::store(ByteView session_id, SharedSession shared) {
  if (session_id.empty() || session_id.size() > 32)
    throw std::invalid_argument("a session ID has 1 to 32 bytes");
  if (!shared) throw std::invalid_argument("a session cache keeps sessions, not nothing");
  if (shared->lifetime != lifetime_) return store(session_id, Session(*shared));
  std::string key(key_of(session_id));
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->session = std::move(shared);
    entries_.splice(entries_.begin(), entries_, it->second);
    return;
  }
  if (entries_.size() >= capacity_) {
    index_.erase(entries_.back().id);
    entries_.pop_back();
  }
  entries_.push_front(Entry{key, std::move(shared)});
  index_.emplace(std::move(key), entries_.begin());
}

SharedSession SessionCache::find(ByteView session_id) {
  if (session_id.empty()) return nullptr;
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  auto it = index_.find(key_of(session_id));
  if (it == index_.end()) return nullptr;
  if (it->second->session->expired(now)) {
    entries_.erase(it->second);
    index_.erase(it);
    return nullptr;
  }
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->session;
}

void SessionCache::erase(ByteView session_id) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key_of(session_id));
  if (it == index_.end()) return;
  entries_.erase(it->second);
  index_.erase(it);
}

size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tls12::handshake
