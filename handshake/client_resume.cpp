// The client's side of session resumption (RFC 5246 §7.3 Figure 2, §7.4.1.2;
// RFC 5077 §3; RFC 7627 §5.3): offering a kept session, recognising the
// abbreviated handshake, and keeping the session a handshake made.
//
//   Client                                   Server
//   ClientHello (session_id / ticket) -------->
//                                            ServerHello (same session_id)
//                                            [NewSessionTicket]
//                                            [ChangeCipherSpec]
//                                 <--------  Finished
//   [ChangeCipherSpec]
//   Finished                      -------->
//
// The server speaks first with its Finished: both sides already share the
// master_secret, so only new keys (from the new randoms, §6.3) and the two
// Finished messages are needed.
#include "handshake/client.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"
#include "handshake/session_keys.h"
#include "handshake/encrypt_then_mac.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

constexpr uint32_t default_session_id_lifetime = SessionCache::default_lifetime;

// The most of a ticket_lifetime_hint the client honours (7 days, the limit RFC
// 8446 §4.6.1 sets for TLS 1.3 tickets): the hint is a uint32, up to 136 years.
constexpr uint32_t max_ticket_lifetime = 7 * 24 * 60 * 60;

}  // namespace

// Step 1 (resumption): offer the session kept for this server, if it is one
// this configuration would still negotiate. A ticket goes in session_ticket
// with a session ID (the server's or a random one) that the server echoes
// when it accepts the ticket (RFC 5077 §3.4); that echo is how the client
// recognises the abbreviated handshake.
void Client::offer(Session session) {
  if (state_ != ClientState::start) throw std::logic_error("Client::offer after the ClientHello was sent");
  given_session_ = std::make_shared<const Session>(std::move(session));
}

// The session given to this connection, else the store's for this server.
SharedSession Client::session_to_offer() const {
  if (given_session_) return given_session_;
  if (!config_->session_store) return nullptr;
  return config_->session_store->find(session_store_key(config_->server_name, config_->server_port));
}

void Client::offer_session(ClientHelloExtensions& ext) {
  if (!config_->session_store && !given_session_ && !config_->keep_session) return;
  if (config_->session_tickets) ext.session_ticket = Bytes{};
  SharedSession session = session_to_offer();
  if (!session || session->version != TLS1_2 || session->server_name != config_->server_name ||
      std::find(config_->cipher_suites.begin(), config_->cipher_suites.end(), session->cipher_suite) ==
          config_->cipher_suites.end())
    return;
  // RFC 7627 §5.3: "the client SHOULD NOT offer an abbreviated handshake to
  // resume a session that does not use an extended master secret".
  if (!session->extended_master_secret) return;
  // A session whose server certificate was never checked (verification was
  // off) must not stand in for a check this configuration requires.
  if (config_->verify_server_certificate && !session->peer_verified) return;
  if (!session->ticket.empty() && config_->session_tickets) {
    ext.session_ticket = session->ticket;
    client_hello_->session_id = session->session_id;
    // A ticket without an ID gets a random one for this ClientHello only
    // (the session itself is shared and stays as it is).
    if (client_hello_->session_id.empty()) {
      client_hello_->session_id.resize(32);
      crypto::random_bytes(client_hello_->session_id);
    }
  } else if (session->session_id.empty()) {
    return;
  } else {
    client_hello_->session_id = session->session_id;
  }
  offered_session_ = std::move(session);
  // Offered once: the session goes back into the store only when this
  // handshake completes (remember_session). A resumption attempt that fails,
  // for whatever reason, must not be retried with the same session forever.
  if (config_->session_store)
    config_->session_store->erase(session_store_key(config_->server_name, config_->server_port));
}

// Step 2 (resumption, received): the server resumes by echoing the session ID we sent
// (§7.4.1.3). It must then keep the session's suite and version, and, RFC 7627
// §5.3, its extended-master-secret state: "If the server's extended master
// secret state differs, the client MUST abort with handshake_failure."
bool Client::accepts_resumption(const ServerHello& hello, const ServerHelloExtensions& ext) const {
  if (!offered_session_ || hello.session_id.empty() || hello.session_id != client_hello_->session_id) return false;
  if (hello.cipher_suite != offered_session_->cipher_suite)
    throw TlsError(AlertDescription::illegal_parameter,
                   "server resumed the session with a cipher suite other than the session's");
  if (ext.extended_master_secret != offered_session_->extended_master_secret)
    throw TlsError(AlertDescription::handshake_failure,
                   "server resumed a session whose extended master secret state differs");
  check_resumed_encrypt_then_mac(*offered_session_, ext);
  return true;
}

// Step 6 (resumption): the master_secret is the session's; the
// key_block comes from it and the two new randoms (§6.3), so the keys are new.
// The peer is the one the original handshake authenticated.
void Client::resume_session(Actions& actions) {
  negotiated_.resumed = true;
  negotiated_.session = offered_session_;
  negotiated_.peer.checked = offered_session_->peer_verified;
  negotiated_.peer.verification = x509::Reason::ok;
  SessionKeys keys = resume_session_keys(negotiated_, offered_session_->master_secret, actions);
  master_secret_ = std::move(keys.master_secret);
  key_block_ = std::make_unique<KeyBlock>(std::move(keys.key_block));
  transcript_.release_messages();  // no CertificateVerify in this handshake
  state_ = ClientState::wait_change_cipher_spec;
}

// Step 8 (received, with tickets): NewSessionTicket (RFC 5077 §3.3), just
// before the server's ChangeCipherSpec; kept until the handshake completes; an
// empty ticket means the server will not issue one after all.
void Client::on_new_session_ticket(ByteView body, Actions&) {
  NewSessionTicket ticket = NewSessionTicket::decode(body);
  expect_new_session_ticket_ = false;
  if (!ticket.ticket.empty()) new_session_ticket_ = std::move(ticket);
}

// Step 7 (resumption): after the server's Finished (step 8, which comes first
// here), our ChangeCipherSpec and Finished, which covers the server's too.
void Client::finish_abbreviated_handshake(Actions& actions) {
  add_action(actions, SendChangeCipherSpec{});
  add_action(actions, InstallWriteKeys{client_write_keys(*negotiated_.cipher_suite, *key_block_,
                                                         negotiated_.encrypt_then_mac)});
  send_finished(actions);
}

// Whether a ClientHello like ours can carry a ticket of `size` bytes: its
// extension block is a vector<0..2^16-1> (RFC 5246 §7.4.1.2). A ticket that
// does not fit would make every later ClientHello unencodable, so it is not
// kept.
bool Client::can_send_ticket(size_t size) const {
  size_t others = 4;  // the session_ticket extension's own type and length
  for (const Extension& extension : client_hello_->extensions)
    if (extension.type != ExtensionType::session_ticket) others += 4 + extension.data.size();
  return others + size <= 0xffff;
}

// Keeps the session for the next connection to this server: after a full
// handshake a new one (if the server gave it an ID or a ticket), after a
// resumption the same session with the newest ticket.
void Client::remember_session() {
  session_ = made_session();
  if (session_->session_id.empty() && session_->ticket.empty()) session_.reset();  // the server keeps none for us
  if (!config_->session_store) return;
  const std::string key = session_store_key(config_->server_name, config_->server_port);
  if (!session_) {
    config_->session_store->erase(key);
    return;
  }
  config_->session_store->store(key, session_);
}

// The session as the next connection would offer it: after a full handshake a
// new one, after a resumption the same session (shared, not copied), or a
// copy of it with the newest ticket when the server sent one.
SharedSession Client::made_session() {
  if (negotiated_.resumed && !new_session_ticket_) return offered_session_;
  const int64_t now = config_->session_store ? config_->session_store->now() : system_time_now();
  Session session;
  if (negotiated_.resumed) {
    session = *offered_session_;
  } else {
    session.version = negotiated_.version;
    session.cipher_suite = negotiated_.cipher_suite->id;
    session.master_secret = master_secret_;
    session.extended_master_secret = negotiated_.extended_master_secret;
    session.encrypt_then_mac = negotiated_.encrypt_then_mac;
    session.server_name = config_->server_name;
    session.peer_certificate_chain = std::move(negotiated_.peer.chain);
    session.peer_verified = negotiated_.peer.verified();
    session.creation_time = now;
    session.lifetime = default_session_id_lifetime;
    session.session_id = server_session_id_;
  }
  if (new_session_ticket_ && can_send_ticket(new_session_ticket_->ticket.size())) {
    session.ticket = std::move(new_session_ticket_->ticket);
    // RFC 5077 §3.3: a hint of 0 says nothing about the lifetime.
    if (new_session_ticket_->ticket_lifetime_hint != 0) {
      session.creation_time = now;
      session.lifetime = std::min(new_session_ticket_->ticket_lifetime_hint, max_ticket_lifetime);
    }
  }
  new_session_ticket_.reset();
  auto made = std::make_shared<const Session>(std::move(session));
  // The full handshake's peer chain now lives in the session; the connection
  // reads it from there, as after a resumption.
  if (!negotiated_.resumed) negotiated_.session = made;
  return made;
}

}  // namespace tls12::handshake
