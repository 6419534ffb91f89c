// The client side of the TLS 1.2 handshake (RFC 5246 §7.3, Figure 1) as an
// explicit state machine that returns actions instead of doing I/O.
//
// The nine steps of docs/steps.md, as the client sees them:
//
//   Client                                   Server
//   1  ClientHello               -------->
//                                            ServerHello          2
//                                            Certificate          2
//                                            ServerKeyExchange*   2 (ECDHE, DHE)
//                                            CertificateRequest*  2
//                                <--------   ServerHelloDone      2
//   3  verify the server's chain and name
//   5  Certificate*
//   4  ClientKeyExchange
//   6  master_secret, key_block
//   5  CertificateVerify*
//   7  [ChangeCipherSpec]
//   7  Finished                  -------->
//                                            [ChangeCipherSpec]   8
//                                <--------   Finished             8
//   9  Application Data          <------->   Application Data     9
//
// Each received message has one function (on_server_hello, on_certificate,
// ...), named after the message and commented with its step; `handler_for`
// decides in one place whether a message may arrive in the current state
// (anything else is unexpected_message), and `handle` adds it to the
// transcript before calling its handler.
#pragma once

#include <memory>
#include <optional>

#include "handshake/config.h"
#include "handshake/key_agreement.h"
#include "handshake/key_schedule.h"
#include "handshake/messages.h"
#include "handshake/negotiated.h"
#include "handshake/session.h"
#include "handshake/state.h"
#include "handshake/transcript.h"

namespace tls12::handshake {

class Client {
 public:
  // Throws std::invalid_argument for a configuration that cannot work (no
  // suites, verification on without trust anchors).
  explicit Client(ClientConfig config);
  // Shares one configuration between many clients (no copy per connection).
  explicit Client(std::shared_ptr<const ClientConfig> config);

  // Before start(): offer this session (resumption, docs/resumption.md) on
  // this connection, instead of looking one up in ClientConfig::session_store.
  // It is offered only if the configuration would still negotiate it.
  void offer(Session session);
  // Step 1: the ClientHello.
  Actions start();
  // One whole handshake message (4-byte header included), as the record layer
  // reassembled it. Throws TlsError with the alert to send.
  Actions handle(ByteView message);
  // A ChangeCipherSpec record (already checked to be the single byte 1).
  Actions handle_change_cipher_spec();

  ClientState state() const { return state_; }
  const Negotiated& negotiated() const { return negotiated_; }
  // Once connected, frees what only the handshake needed (transcript, master
  // secret, the peer's parsed key); negotiated() and session() stay. For the
  // release-buffers mode (protocol/config.h); does nothing before then.
  void release_finished_state();
  // The resumable session this handshake made or renewed (an ID or a ticket
  // from the server), once it completed; empty otherwise. What
  // ClientConfig::session_store keeps, for a caller that keeps its own.
  const SharedSession& session() const { return session_; }

 private:
  // Every received message has one handler, with the same signature.
  using Handler = void (Client::*)(ByteView body, Actions& actions);
  Handler handler_for(HandshakeType type) const;
  void on_server_hello(ByteView body, Actions& actions);
  void on_certificate(ByteView body, Actions& actions);
  void on_server_key_exchange(ByteView body, Actions& actions);
  void on_certificate_request(ByteView body, Actions& actions);
  void on_server_hello_done(ByteView body, Actions& actions);
  void on_finished(ByteView body, Actions& actions);
  void on_hello_request(ByteView body, Actions& actions);

  void send(Bytes message, Actions& actions);
  void send_client_certificate(Actions& actions);
  void send_certificate_verify(Actions& actions);
  void send_finished(Actions& actions);

  // Resumption (handshake/client_resume.cpp, docs/resumption.md).
  void offer_session(ClientHelloExtensions& ext);
  SharedSession session_to_offer() const;
  SharedSession made_session();
  bool accepts_resumption(const ServerHello& hello, const ServerHelloExtensions& ext) const;
  void resume_session(Actions& actions);
  void on_new_session_ticket(ByteView body, Actions& actions);
  void finish_abbreviated_handshake(Actions& actions);
  void remember_session();
  bool can_send_ticket(size_t size) const;

  std::shared_ptr<const ClientConfig> config_;
  ClientState state_ = ClientState::start;
  int renegotiation_refusals_ = 0;  // HelloRequests answered with no_renegotiation
  Negotiated negotiated_;
  std::unique_ptr<ClientHello> client_hello_;  // what we offered, kept until connected
  Transcript transcript_;
  crypto::Digest hash_before_finished_;  // the transcript hash the server's Finished is checked against
  std::unique_ptr<ClientKeyAgreement> key_agreement_;
  std::optional<CertificateRequest> certificate_request_;
  bool sent_client_certificate_with_key_ = false;
  SecretBytes master_secret_;
  std::unique_ptr<KeyBlock> key_block_;  // only during the handshake: not inline in every connection
  SharedSession given_session_;    // offer(): this connection's own session
  SharedSession offered_session_;  // the session our ClientHello offers
  SharedSession session_;          // session(): the session to keep
  Bytes server_session_id_;                 // ServerHello.session_id
  bool expect_new_session_ticket_ = false;  // ServerHello had session_ticket (RFC 5077 §3.3)
  std::optional<NewSessionTicket> new_session_ticket_;
};

}  // namespace tls12::handshake
