// The server's session cache for resumption by session ID (RFC 5246 §7.3,
// §7.4.1.2): "the server will look in its session cache for a match".
//
// Bounded and safe to share: many connections, on many threads, store and look
// up sessions at once, so every operation takes one mutex (the work under it
// is a hash look-up and a list splice, microseconds at most). When full, the
// least recently used session goes (LRU). Each session expires `lifetime`
// seconds after it was made (RFC 5246 §7.4.1.2 suggests an upper limit of
// 24 hours); an expired session is removed when it is found and never resumed.
//
// Session IDs come from ServerHello and are 32 random bytes: guessing one is
// as hard as guessing a key, which is why a lookup by ID is safe.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "handshake/session.h"

namespace tls12::handshake {

class SessionCache {
 public:
  static constexpr uint32_t default_lifetime = 2 * 60 * 60;  // two hours, as OpenSSL's default
  static constexpr size_t default_capacity = 20000;

  explicit SessionCache(size_t capacity = default_capacity, uint32_t lifetime = default_lifetime,
                        Clock clock = system_time_now);

  // Remembers `session` under `session_id` (its lifetime becomes the cache's;
  // creation_time is kept). Evicts the least recently used session when full.
  void store(ByteView session_id, Session session);
  // The same for a shared session: kept as it is, without a copy, when its
  // lifetime already is the cache's.
  void store(ByteView session_id, SharedSession session);
  // The session for `session_id` if present and not expired (then it becomes
  // the most recently used), shared with the cache rather than copied; null
  // otherwise. Expired entries are dropped.
  SharedSession find(ByteView session_id);
  void erase(ByteView session_id);

  size_t size() const;
  size_t capacity() const { return capacity_; }
  uint32_t lifetime() const { return lifetime_; }
  int64_t now() const { return clock_(); }

 private:
  struct Entry {
    std::string id;
    SharedSession session;
  };
  using List = std::list<Entry>;
  // Looked up by a view of the ID: no string is made per look-up.
  struct IdHash {
    using is_transparent = void;
    size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
  };

  mutable std::mutex mutex_;
  List entries_;  // most recently used first
  std::unordered_map<std::string, List::iterator, IdHash, std::equal_to<>> index_;
  size_t capacity_;
  uint32_t lifetime_;
  Clock clock_;
};

}  // namespace tls12::handshake
