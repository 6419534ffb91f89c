// Session tickets (RFC 5077): the server seals the session state into an opaque
// ticket that the client keeps and hands back, so the server stores nothing.
//
// Ticket format (our choice; RFC 5077 §4 recommends a similar one):
//
//   struct {
//     opaque key_name[16];     // which ticket key sealed it
//     opaque nonce[12];        // random per ticket
//     opaque encrypted_state<..>;  // AES-256-GCM(SessionState of session.h)
//     opaque tag[16];
//   } ticket;                  // key_name and nonce are the AEAD's additional data
//
// AES-256-GCM both hides the master secret and authenticates the state: a
// ticket altered in any bit fails to open. The nonces are random: with 96 bits
// and keys that rotate, a repeat within one key is out of reach (SP 800-38D
// §8.3 bounds a key to 2^32 random nonces; rotation keeps far below that).
//
// Keys rotate. The current key seals new tickets; every `rotation_interval`
// seconds a fresh one replaces it, and the retired key is still accepted for
// `grace_period` seconds so that tickets issued just before the rotation keep
// working. A ticket opened with a retired key asks for a fresh ticket
// (`renew`). RFC 5077 §3.4: a ticket that does not open, names an unknown key
// or has expired leads to a full handshake, never to an error: open() returns
// nullopt and never throws for what a client sends.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "crypto/aead.h"
#include "handshake/session.h"

namespace tls12::handshake {

struct TicketKeyOptions {
  uint32_t rotation_interval = 12 * 60 * 60;  // seconds a key seals new tickets
  uint32_t grace_period = 12 * 60 * 60;       // seconds a retired key still opens them
  uint32_t ticket_lifetime = 2 * 60 * 60;     // ticket_lifetime_hint and the session's lifetime
};

class SessionTicketKeys {
 public:
  static constexpr size_t key_name_size = 16;
  static constexpr size_t overhead = key_name_size + crypto::Aead::nonce_size + crypto::Aead::tag_size;

  explicit SessionTicketKeys(TicketKeyOptions options = {}, Clock clock = system_time_now);

  // Seals `session` with the current key (rotating first if it is due). The
  // session's lifetime becomes options.ticket_lifetime.
  Bytes seal(Session session);

  struct Opened {
    Session session;
    bool renew = false;  // sealed with a retired key: issue a new ticket
  };
  // The session inside `ticket`, or nullopt if it does not open (unknown key,
  // wrong tag, malformed) or has expired.
  std::optional<Opened> open(ByteView ticket);

  // Makes a fresh key current now; the old one enters its grace period.
  void rotate();
  // Keys that open tickets at the moment (current + in their grace period).
  size_t key_count();
  const TicketKeyOptions& options() const { return options_; }
  int64_t now() const { return clock_(); }

 private:
  struct Key {
    std::array<uint8_t, key_name_size> name{};
    std::shared_ptr<const crypto::Aead> aead;
    int64_t created = 0;
    int64_t retired = 0;  // 0 while current
  };
  std::shared_ptr<const Key> make_key(int64_t now) const;
  // Under the mutex: rotate if due, drop keys past their grace period.
  void refresh(int64_t now);

  TicketKeyOptions options_;
  Clock clock_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<const Key>> keys_;  // keys_.front() is current
};

}  // namespace tls12::handshake
