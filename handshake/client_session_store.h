// The client's memory of sessions (RFC 5246 §7.4.1.2, RFC 5077 §3.4): one
// session per server, keyed by server name and port, offered again by the
// next connection to the same server, by ticket if it has one, otherwise by
// session ID.
//
// Share one store between connections through ClientConfig::session_store;
// it is thread-safe and bounded (least recently stored goes first). A session
// past its lifetime (the ticket's lifetime hint, at most 7 days, or a default
// for session IDs) is never offered. A client takes the session out when it
// offers it and stores it again only when that handshake completes, so a
// failed resumption is not retried with the same session.
//
// save_client_session / load_client_session write and read one session as a
// file (the binary form of session.h, wrapped in PEM-like text so it can be
// looked at), for `tls12 client --sess-out/--sess-in` as `openssl s_client
// -sess_out/-sess_in` do. The file holds the master secret: it is created
// with mode 0600 (crypto/secret_file.h), and the text read back is wiped.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>

#include "handshake/session.h"

namespace tls12::handshake {

// The store's key for a server: "name:port".
std::string session_store_key(const std::string& server_name, uint16_t port);

class ClientSessionStore {
 public:
  static constexpr size_t default_capacity = 1000;
  explicit ClientSessionStore(size_t capacity = default_capacity, Clock clock = system_time_now);

  // Replaces the session kept for `key`.
  void store(const std::string& key, SharedSession session);
  void store(const std::string& key, Session session);
  // The session for `key` unless it expired (an expired one is dropped):
  // shared with the store, not copied; null when there is none.
  SharedSession find(const std::string& key);
  void erase(const std::string& key);
  size_t size() const;
  int64_t now() const { return clock_(); }

 private:
  mutable std::mutex mutex_;
  std::list<std::pair<std::string, SharedSession>> sessions_;  // most recent first
  size_t capacity_;
  Clock clock_;
};

// Throws std::runtime_error if the file cannot be written or read, and
// std::invalid_argument if its content is not a session.
void save_client_session(const std::string& path, const Session& session);
Session load_client_session(const std::string& path);

}  // namespace tls12::handshake
