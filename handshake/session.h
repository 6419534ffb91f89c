// The state a TLS 1.2 session carries from one connection to the next, so that
// a later handshake can be abbreviated (RFC 5246 §7.3, §7.4.1.2; RFC 5077 §4).
//
// RFC 5246 §7.3 lists a session's state: the session identifier, the peer
// certificate, the compression method, the cipher spec, the master secret and
// "is resumable". tls12 keeps those (compression is always null) and what the
// later RFCs add as conditions for resuming safely:
//   - whether the master secret is an extended one (RFC 7627 §5.3), because a
//     session without it must never be resumed by a handshake that uses it;
//   - the server name (RFC 6066 §3: a session is only resumed for the name it
//     was made for);
//   - the client-authentication policy under which it was made, so that a
//     server that now demands certificates cannot be bypassed by an old session;
//   - the creation time, against which every lifetime is measured.
//
// The master secret lives in SecretBytes and is wiped when a Session goes away.
// `encode_session`/`decode_session` give a strict, versioned binary form: the
// plaintext of a session ticket (handshake/session_ticket.h) and the file a
// client saves with `save_client_session`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/messages.h"

namespace tls12::handshake {

// Unix seconds. Caches, ticket keys and the client store read the time through
// a Clock so that tests can move it; the default is the system clock.
using Clock = std::function<int64_t()>;
int64_t system_time_now();

struct Session {
  ProtocolVersion version = TLS1_2;
  CipherSuite cipher_suite{};
  SecretBytes master_secret;          // 48 bytes (§8.1)
  bool extended_master_secret = false;  // RFC 7627
  bool encrypt_then_mac = false;        // RFC 7366
  std::string server_name;            // SNI of the original handshake ("" if none)
  // The peer's chain (DER, leaf first) as the original handshake saw it: the
  // server's chain for a client, the client's chain for a server (empty when
  // the client sent none; in a ticket, the leaf only). A resumed connection
  // reports it as its peer.
  std::vector<Bytes> peer_certificate_chain;
  bool peer_verified = false;          // the original handshake accepted the chain
  bool client_authenticated = false;   // server: the client proved its key (CertificateVerify)
  uint8_t client_authentication_policy = 0;  // server: ClientAuthentication as a number
  int64_t creation_time = 0;           // unix seconds
  uint32_t lifetime = 0;               // seconds the session may be resumed for

  // Client only: how to offer the session again.
  Bytes session_id;                    // from ServerHello (may be empty with a ticket)
  Bytes ticket;                        // from NewSessionTicket (RFC 5077 §3.3)

  // Whether the session may still be resumed at `now`.
  bool expired(int64_t now) const {
    return now < creation_time || now - creation_time >= static_cast<int64_t>(lifetime);
  }
};

// A session as stores, caches and handshakes hold it: shared and immutable, so
// that resuming one (a look-up, the handshake, keeping it again) copies
// neither its master secret nor its peer chain. A changed session is a new one.
using SharedSession = std::shared_ptr<const Session>;

// Strict binary form (a format version byte, then the fields). decode_session
// throws std::invalid_argument on anything malformed, unknown or trailing.
Bytes encode_session(const Session& session);
Session decode_session(ByteView data);

}  // namespace tls12::handshake
