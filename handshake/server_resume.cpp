// The server's side of session resumption (RFC 5246 §7.3 Figure 2,
// §7.4.1.2-3; RFC 5077 §3; RFC 7627 §5.3): finding the session a ClientHello
// offers, deciding whether resuming it is safe, the abbreviated reply, and
// keeping the session of a full handshake (cache and/or ticket).
//
//   ClientHello (session_id / ticket) -------->
//                                            ServerHello (echoes session_id)
//                                            [NewSessionTicket]   (renewal)
//                                            [ChangeCipherSpec]
//                                 <--------  Finished
//   [ChangeCipherSpec]
//   Finished                      -------->
#include "handshake/server.h"

#include <algorithm>

#include "crypto/random.h"
#include "handshake/alpn.h"
#include "handshake/session_keys.h"
#include "handshake/encrypt_then_mac.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

// A ticket in session_ticket is looked at first (RFC 5077 §3.4); without one,
// the session ID in our cache (§7.4.1.2). Anything that does not open, is
// unknown or expired gives nullopt: a full handshake, never an error.
SharedSession Server::find_session(const ClientHello& hello, const ClientHelloExtensions& ext) {
  if (ext.session_ticket && !ext.session_ticket->empty()) {
    if (!config_->ticket_keys) return nullptr;
    auto opened = config_->ticket_keys->open(*ext.session_ticket);
    if (!opened) return nullptr;
    renew_ticket_ = opened->renew;
    return std::make_shared<const Session>(std::move(opened->session));
  }
  if (config_->session_cache && !hello.session_id.empty()) return config_->session_cache->find(hello.session_id);
  return nullptr;
}

// Whether resuming `session` now is as safe as the full handshake it stands
// for: the same version and a suite the client offers again and we still
// allow (§7.4.1.2: the client "MUST include at least the cipher_suite from
// that session"), the same server name (RFC 6066 §3), the same client
// certificate policy (a server that now requires certificates must not let an
// unauthenticated session in). The extended master secret rules come after.
bool Server::can_resume(const Session& session, const ClientHello& hello, const ClientHelloExtensions& ext) const {
  const auto& ours = config_->cipher_suites;
  return session.version == TLS1_2 && find_cipher_suite(session.cipher_suite) != nullptr &&
         hello.offers(session.cipher_suite) &&
         std::find(ours.begin(), ours.end(), session.cipher_suite) != ours.end() &&
         session.server_name == ext.server_name.value_or("") &&
         session.client_authentication_policy == static_cast<uint8_t>(config_->client_authentication);
}

// Step 2 (resumption): the session to resume, or null for a full handshake.
SharedSession Server::resumable_session(const ClientHello& hello, const ClientHelloExtensions& ext) {
  SharedSession session = find_session(hello, ext);
  if (!session || !can_resume(*session, hello, ext)) return nullptr;
  // RFC 7627 §5.3: a session made with the extended master secret is resumed
  // only by a client that still offers it ("the server MUST abort the
  // abbreviated handshake" with handshake_failure); a session made without
  // it is never resumed (full handshake instead): the old master secret is
  // not bound to its handshake, which is what the triple-handshake attack
  // exploits.
  if (session->extended_master_secret && !ext.extended_master_secret)
    throw TlsError(AlertDescription::handshake_failure,
                   "client resumes a session with the extended master secret but does not offer it");
  // A session made without it is never resumed, whatever the new ClientHello
  // says: §5.3 leaves the server to abort or to carry on "no longer protected",
  // and a full handshake is the third way that neither fails nor exposes it.
  if (!session->extended_master_secret) return nullptr;
  if (!session_resumable_with(*session, ext)) return nullptr;  // RFC 7366 §3.1: no EtM downgrade
  return session;
}

// The abbreviated handshake (§7.3 Figure 2): step 2 (ServerHello echoing the
// session ID), step 6 (the session's master_secret, a new key_block) and step
// 8 (our ChangeCipherSpec and Finished), which here come before the client's.
void Server::resume(SharedSession session, const ClientHello& hello, const ClientHelloExtensions& ext, Actions& actions) {
  // ALPN is negotiated on every handshake, resumed or not (RFC 7301 §3.1).
  std::optional<std::string> alpn =
      select_application_protocol(config_->alpn_protocols, ext.alpn_protocols, config_->alpn_required);
  const CipherSuiteInfo* suite = find_cipher_suite(session->cipher_suite);
  negotiated_.alpn_protocol = alpn.value_or("");
  client_version_ = hello.client_version;
  negotiated_.version = TLS1_2;
  negotiated_.cipher_suite = suite;
  negotiated_.client_random = hello.random;
  negotiated_.server_name = session->server_name;
  negotiated_.resumed = true;
  negotiated_.peer.checked = session->peer_verified;
  negotiated_.peer.verification = x509::Reason::ok;
  negotiated_.client_certificate_requested = session->client_authentication_policy != 0;
  negotiated_.client_authenticated = session->client_authenticated;
  transcript_.set_hash(suite->prf_hash);

  ServerHello reply;
  crypto::random_bytes(reply.random);
  negotiated_.server_random = reply.random;
  reply.cipher_suite = suite->id;
  // §7.4.1.3: the same session_id says "resumed"; RFC 5077 §3.4: with a
  // ticket, the client's session ID is echoed for the same purpose.
  reply.session_id = session_id_ = hello.session_id;
  ServerHelloExtensions reply_ext;
  if (negotiated_.secure_renegotiation) reply_ext.renegotiation_info = Bytes{};
  reply_ext.extended_master_secret = negotiated_.extended_master_secret;
  reply_ext.encrypt_then_mac = negotiated_.encrypt_then_mac = server_uses_encrypt_then_mac(*suite, ext);
  reply_ext.alpn_protocol = alpn;
  issue_ticket_ = reply_ext.session_ticket = renew_ticket_ && ext.session_ticket.has_value();
  reply.extensions = reply_ext.to_list();
  send(reply.encode(), actions);

  SessionKeys keys = resume_session_keys(negotiated_, session->master_secret, actions);
  master_secret_ = std::move(keys.master_secret);
  key_block_ = std::make_unique<KeyBlock>(std::move(keys.key_block));
  negotiated_.session = std::move(session);
  if (issue_ticket_) send_new_session_ticket(actions);
  transcript_.release_messages();

  // Step 8 (resumption): the server's ChangeCipherSpec and Finished come first.
  send_finished(actions);
  state_ = ServerState::wait_change_cipher_spec;
}

// 32 random bytes when a cache will remember the session; otherwise an empty
// ID, which tells the client the session cannot be resumed by ID (§7.4.1.3).
Bytes Server::new_session_id() {
  if (!config_->session_cache) return {};
  Bytes id(32);
  crypto::random_bytes(id);
  return id;
}

// The session as a ticket or the cache keeps it (session.h): the resumed
// one, or the full handshake's, made once for both (the peer chain moves
// into it; the connection reads it from there).
const SharedSession& Server::current_session() {
  if (negotiated_.session) return negotiated_.session;
  Session session;
  session.version = negotiated_.version;
  session.cipher_suite = negotiated_.cipher_suite->id;
  session.master_secret = master_secret_;
  session.extended_master_secret = negotiated_.extended_master_secret;
  session.encrypt_then_mac = negotiated_.encrypt_then_mac;
  session.server_name = negotiated_.server_name;
  session.peer_certificate_chain = std::move(negotiated_.peer.chain);
  session.peer_verified = negotiated_.peer.verified();
  session.client_authenticated = negotiated_.client_authenticated;
  session.client_authentication_policy = static_cast<uint8_t>(config_->client_authentication);
  session.creation_time = config_->session_cache ? config_->session_cache->now() : config_->ticket_keys->now();
  // The cache's lifetime, so that the cache keeps this very session (a
  // ticket sets its own lifetime in the copy it seals).
  if (config_->session_cache) session.lifetime = config_->session_cache->lifetime();
  negotiated_.session = std::make_shared<const Session>(std::move(session));
  return negotiated_.session;
}

// Step 8 (with tickets): NewSessionTicket (RFC 5077 §3.3), before our
// ChangeCipherSpec: the sealed session and its lifetime. A
// renewed ticket keeps the session's creation time, so renewing never
// stretches a session's life.
//
// The ticket carries the client's leaf certificate only, not its chain: the
// client must send the ticket back inside its ClientHello, and a long client
// chain would make a ticket it cannot send (the leaf is what a resumed
// connection reports as its peer; the chain was checked by the full handshake).
void Server::send_new_session_ticket(Actions& actions) {
  Session session = *current_session();
  if (session.peer_certificate_chain.size() > 1) session.peer_certificate_chain.resize(1);
  NewSessionTicket ticket;
  ticket.ticket = config_->ticket_keys->seal(std::move(session));
  ticket.ticket_lifetime_hint = config_->ticket_keys->options().ticket_lifetime;
  // A huge leaf can still make the state too big for ticket<0..2^16-1>. RFC
  // 5077 §3.3: a server that no longer wants to issue the promised ticket
  // sends a zero-length one.
  if (ticket.ticket.size() > 0xffff) {
    ticket.ticket.clear();
    ticket.ticket_lifetime_hint = 0;
  }
  send(ticket.encode(), actions);
}

// After a full handshake whose Finished checked out: the cache keeps the
// session under the ID ServerHello gave it.
void Server::remember_session() {
  if (config_->session_cache && !session_id_.empty()) config_->session_cache->store(session_id_, current_session());
}

}  // namespace tls12::handshake
