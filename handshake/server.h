// The server side of the TLS 1.2 handshake (RFC 5246 §7.3, Figure 1) as an
// explicit state machine that returns actions instead of doing I/O.
//
// The nine steps of docs/steps.md, as the server sees them:
//
//   Client                                   Server
//   1  ClientHello           -------->
//                                            ServerHello          2
//                                            Certificate          2
//                                            ServerKeyExchange*   2 (ECDHE, DHE)
//                                            CertificateRequest*  2 (mutual auth)
//                            <--------       ServerHelloDone      2
//   5  Certificate*                          verify the chain     6
//   4  ClientKeyExchange                     recover premaster,   6
//                                            master_secret,
//                                            key_block
//   5  CertificateVerify*                    check the signature  6
//   7  [ChangeCipherSpec]
//   7  Finished              -------->       check Finished       7
//                                            [ChangeCipherSpec]   8
//                            <--------       Finished             8
//   9  Application Data      <------->       Application Data     9
//
// Each received message has one function (on_client_hello, ...);
// `handler_for` decides in one place whether a message may arrive in the
// current state (anything else is unexpected_message), and `handle` adds it to
// the transcript before calling its handler.
#pragma once

#include <memory>
#include <optional>

#include "handshake/certificate_selection.h"
#include "handshake/config.h"
#include "handshake/key_agreement.h"
#include "handshake/key_schedule.h"
#include "handshake/messages.h"
#include "handshake/negotiated.h"
#include "handshake/session.h"
#include "handshake/state.h"
#include "handshake/transcript.h"

namespace tls12::handshake {

class Server {
 public:
  // Throws std::invalid_argument for a configuration that cannot work (no
  // certificate or key, no suites, client authentication without trust anchors).
  explicit Server(ServerConfig config);
  // Shares one configuration between many servers (no copy per connection).
  explicit Server(std::shared_ptr<const ServerConfig> config);

  Actions handle(ByteView message);
  Actions handle_change_cipher_spec();

  ServerState state() const { return state_; }
  const Negotiated& negotiated() const { return negotiated_; }
  // Once connected, frees what only the handshake needed (transcript, master
  // secret, the peer's parsed key); negotiated() and session() stay. For the
  // release-buffers mode (protocol/config.h); does nothing before then.
  void release_finished_state();

 private:
  // Every received message has one handler, with the same signature.
  using Handler = void (Server::*)(ByteView body, Actions& actions);
  Handler handler_for(HandshakeType type) const;
  void on_client_hello(ByteView body, Actions& actions);
  ClientHelloExtensions check_client_hello(const ClientHello& hello);
  ServerChoice negotiate(const ClientHello& hello, const ClientHelloExtensions& ext);
  void send_server_flight(const ServerChoice& choice, const ClientHelloExtensions& ext, Actions& actions);
  void on_certificate(ByteView body, Actions& actions);
  void on_client_key_exchange(ByteView body, Actions& actions);
  void on_certificate_verify(ByteView body, Actions& actions);
  void on_finished(ByteView body, Actions& actions);
  void on_renegotiation_attempt(ByteView body, Actions& actions);

  void send(Bytes message, Actions& actions);
  void send_server_key_exchange(Actions& actions);
  void send_certificate_request(Actions& actions);
  void send_finished(Actions& actions);

  // Resumption (handshake/server_resume.cpp, docs/resumption.md).
  SharedSession find_session(const ClientHello& hello, const ClientHelloExtensions& ext);
  bool can_resume(const Session& session, const ClientHello& hello, const ClientHelloExtensions& ext) const;
  SharedSession resumable_session(const ClientHello& hello, const ClientHelloExtensions& ext);
  void resume(SharedSession session, const ClientHello& hello, const ClientHelloExtensions& ext, Actions& actions);
  Bytes new_session_id();
  void send_new_session_ticket(Actions& actions);
  const SharedSession& current_session();
  void remember_session();

  std::shared_ptr<const ServerConfig> config_;
  ServerState state_ = ServerState::wait_client_hello;
  int renegotiation_refusals_ = 0;  // renegotiation ClientHellos answered with no_renegotiation
  Negotiated negotiated_;
  ProtocolVersion client_version_ = 0;
  std::optional<SignatureScheme> server_scheme_;  // for ServerKeyExchange
  const CertifiedKey* certificate_ = nullptr;     // the chain chosen for this client (in config_)
  Transcript transcript_;
  crypto::Digest hash_before_finished_;  // the transcript hash the client's Finished is checked against
  std::unique_ptr<ServerKeyAgreement> key_agreement_;
  SecretBytes master_secret_;
  std::unique_ptr<KeyBlock> key_block_;  // only during the handshake: not inline in every connection
  Bytes session_id_;                 // ServerHello.session_id (empty: not cached)
  bool issue_ticket_ = false;        // NewSessionTicket promised in ServerHello
  bool renew_ticket_ = false;        // the ticket opened with a retired key
};

}  // namespace tls12::handshake
