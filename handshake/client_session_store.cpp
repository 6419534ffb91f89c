// The client's session store and session files (see client_session_store.h).
#include "handshake/client_session_store.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crypto/secret_file.h"

namespace tls12::handshake {

namespace {

constexpr const char* begin_line = "-----BEGIN TLS12 SESSION-----";
constexpr const char* end_line = "-----END TLS12 SESSION-----";

// The hex text of a session file spells out the master secret.
void wipe(std::string& text) {
  secure_zero(text.data(), text.size());
  text.clear();
}

}  // namespace

std::string session_store_key(const std::string& server_name, uint16_t port) {
  return server_name + ":" + std::to_string(port);
}

ClientSessionStore::ClientSessionStore(size_t capacity, Clock clock) : capacity_(capacity), clock_(std::move(clock)) {
  if (capacity_ == 0) throw std::invalid_argument("a session store needs room for at least one session");
  if (!clock_) throw std::invalid_argument("a session store needs a clock");
}

void ClientSessionStore::store(const std::string& key, Session session) {
  store(key, std::make_shared<const Session>(std::move(session)));
}

void ClientSessionStore::store(const std::string& key, SharedSession session) {
  if (!session) throw std::invalid_argument("a session store keeps sessions, not nothing");
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return entry.first == key; });
  if (sessions_.size() >= capacity_) sessions_.pop_back();
  sessions_.emplace_front(key, std::move(session));
}

SharedSession ClientSessionStore::find(const std::string& key) {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->first != key) continue;
    if (it->second->expired(now)) {
      sessions_.erase(it);
      return nullptr;
    }
    return it->second;
  }
  return nullptr;
}

void ClientSessionStore::erase(const std::string& key) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& entry) { return entry.first == key; });
}

size_t ClientSessionStore::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void save_client_session(const std::string& path, const Session& session) {
  Bytes data = encode_session(session);
  std::string hex = to_hex(data);
  secure_zero(data.data(), data.size());
  std::string text;
  text.reserve(hex.size() + hex.size() / 64 + 80);
  text.append(begin_line).push_back('\n');
  for (size_t i = 0; i < hex.size(); i += 64) text.append(hex, i, 64).push_back('\n');
  text.append(end_line).push_back('\n');
  wipe(hex);
  // Owner-only from the start (crypto/secret_file.h): it holds the master secret.
  std::FILE* file = crypto::open_secret_file(path, crypto::SecretFileMode::truncate);
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  wipe(text);
  if (std::fclose(file) != 0 || !written) throw std::runtime_error("cannot write the session file " + path);
}

Session load_client_session(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the session file " + path);
  std::string line, hex;
  // Room for a usual session (a chain of a few certificates) up front, so that
  // growing seldom leaves a copy of the hex behind.
  line.reserve(256);
  hex.reserve(2 * 0x20000);
  bool inside = false, ended = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == begin_line && !inside && !ended) {
      inside = true;
    } else if (line == end_line && inside) {
      inside = false;
      ended = true;
    } else if (inside) {
      hex += line;
    }
  }
  wipe(line);
  if (!ended) {
    wipe(hex);
    throw std::invalid_argument(path + " holds no TLS12 SESSION block");
  }
  SecretBytes data;
  try {
    Bytes raw = from_hex(hex);
    data.assign(raw.begin(), raw.end());
    secure_zero(raw.data(), raw.size());
  } catch (...) {
    wipe(hex);
    throw;
  }
  wipe(hex);
  return decode_session(data);
}

}  // namespace tls12::handshake
