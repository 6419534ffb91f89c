// Sealing and opening session tickets with rotating AES-256-GCM keys
// (RFC 5077 §4; see session_ticket.h).
#include "handshake/session_ticket.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"

namespace tls12::handshake {

SessionTicketKeys::SessionTicketKeys(TicketKeyOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {
  if (!clock_) throw std::invalid_argument("ticket keys need a clock");
  if (options_.rotation_interval == 0 || options_.ticket_lifetime == 0)
    throw std::invalid_argument("ticket key rotation interval and ticket lifetime must be positive");
  keys_.push_back(make_key(clock_()));
}

std::shared_ptr<const SessionTicketKeys::Key> SessionTicketKeys::make_key(int64_t now) const {
  auto key = std::make_shared<Key>();
  crypto::random_bytes(key->name);
  SecretBytes secret(crypto::aead_key_size(crypto::AeadAlgorithm::aes_256_gcm));
  crypto::random_bytes(secret);
  // The AES key schedule is expanded once per key, not once per ticket.
  key->aead = crypto::make_aead(crypto::AeadAlgorithm::aes_256_gcm, secret);
  key->created = now;
  return key;
}

void SessionTicketKeys::refresh(int64_t now) {
  if (now - keys_.front()->created >= static_cast<int64_t>(options_.rotation_interval)) {
    auto retired = std::make_shared<Key>(*keys_.front());
    retired->retired = now;
    keys_.front() = std::move(retired);
    keys_.insert(keys_.begin(), make_key(now));
  }
  std::erase_if(keys_, [&](const std::shared_ptr<const Key>& key) {
    return key->retired != 0 && now - key->retired >= static_cast<int64_t>(options_.grace_period);
  });
}

void SessionTicketKeys::rotate() {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  auto retired = std::make_shared<Key>(*keys_.front());
  retired->retired = now;
  keys_.front() = std::move(retired);
  keys_.insert(keys_.begin(), make_key(now));
  refresh(now);
}

size_t SessionTicketKeys::key_count() {
  const int64_t now = clock_();
  std::lock_guard lock(mutex_);
  refresh(now);
  return keys_.size();
}

Bytes SessionTicketKeys::seal(Session session) {
  const int64_t now = clock_();
  std::shared_ptr<const Key> key;
  {
    std::lock_guard lock(mutex_);
    refresh(now);
    key = keys_.front();
  }
  session.lifetime = options_.ticket_lifetime;
  session.session_id.clear();  // a server-side state names no ID of its own
  session.ticket.clear();
  Bytes state = encode_session(session);

  Bytes ticket(overhead + state.size());
  auto name = std::span(ticket).first(key_name_size);
  auto nonce = std::span(ticket).subspan(key_name_size, crypto::Aead::nonce_size);
  auto body = std::span(ticket).subspan(key_name_size + crypto::Aead::nonce_size, state.size());
  auto tag = std::span(ticket).last<crypto::Aead::tag_size>();
  std::copy(key->name.begin(), key->name.end(), name.begin());
  crypto::random_bytes(nonce);
  std::copy(state.begin(), state.end(), body.begin());
  std::fill(state.begin(), state.end(), uint8_t{0});  // it held the master secret
  key->aead->seal(crypto::Aead::Nonce(nonce.data(), crypto::Aead::nonce_size),
                  ByteView(ticket).first(key_name_size + crypto::Aead::nonce_size), body, tag);
  return ticket;
}

std::optional<SessionTicketKeys::Opened> SessionTicketKeys::open(ByteView ticket) {
  if (ticket.size() <= overhead) return std::nullopt;
  const int64_t now = clock_();
  std::shared_ptr<const Key> key;
  bool current = false;
  {
    std::lock_guard lock(mutex_);
    refresh(now);
    for (const auto& candidate : keys_)
      if (std::equal(candidate->name.begin(), candidate->name.end(), ticket.begin())) {
        key = candidate;
        current = candidate == keys_.front();
        break;
      }
  }
  if (!key) return std::nullopt;
  SecretBytes state(ticket.begin() + overhead - crypto::Aead::tag_size, ticket.end() - crypto::Aead::tag_size);
  auto nonce = ticket.subspan(key_name_size, crypto::Aead::nonce_size);
  auto tag = ticket.last<crypto::Aead::tag_size>();
  if (!key->aead->open(crypto::Aead::Nonce(nonce.data(), crypto::Aead::nonce_size),
                       ticket.first(key_name_size + crypto::Aead::nonce_size), state, tag))
    return std::nullopt;
  Opened opened;
  try {
    opened.session = decode_session(state);
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // authentic but not ours to read (another format): full handshake
  }
  if (opened.session.expired(now)) return std::nullopt;
  opened.renew = !current;
  return opened;
}

}  // namespace tls12::handshake
