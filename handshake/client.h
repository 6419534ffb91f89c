// The client side of the TLS 1.2 handshake (RFC 5246 §7.3, Figure 1) as an
// explicit state machine that returns actions instead of doing I/O.
//
//   Client                                   Server
//   Step 1  ClientHello          -------->
//                                            ServerHello          Step 2
//                                            Certificate
//                                            ServerKeyExchange*   (ECDHE)
//                                            CertificateRequest*
//                                <--------   ServerHelloDone
//   Step 4  Certificate*
//           ClientKeyExchange
//           CertificateVerify*
//           [ChangeCipherSpec]
//           Finished             -------->
//                                            [ChangeCipherSpec]   Step 6
//                                <--------   Finished
//           Application Data     <------->   Application Data
//
// Each received message has one function (on_server_hello, on_certificate,
// ...), named after the message and commented with its step; `handle` decides
// in one place whether a message may arrive in the current state, and anything
// else is unexpected_message.
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
  // The resumable session this handshake made or renewed (an ID or a ticket
  // from the server), once it completed; empty otherwise. What
  // ClientConfig::session_store keeps, for a caller that keeps its own.
  const std::optional<Session>& session() const { return session_; }

 private:
  void on_server_hello(ByteView body, ByteView raw, Actions& actions);
  void on_certificate(ByteView body, ByteView raw);
  void on_server_key_exchange(ByteView body, ByteView raw);
  void on_certificate_request(ByteView body, ByteView raw);
  void on_server_hello_done(ByteView body, ByteView raw, Actions& actions);
  void on_finished(ByteView body, ByteView raw, Actions& actions);
  void on_hello_request(ByteView body, Actions& actions);

  void send(Bytes message, Actions& actions);
  void send_client_certificate(Actions& actions);
  void derive_master_secret(ByteView pre_master_secret, Actions& actions);
  void send_certificate_verify(Actions& actions);
  void send_finished(Actions& actions);

  // Resumption (handshake/client_resume.cpp, docs/resumption.md).
  void offer_session(ClientHelloExtensions& ext);
  std::optional<Session> session_to_offer() const;
  Session made_session();
  bool accepts_resumption(const ServerHello& hello, const ServerHelloExtensions& ext) const;
  void resume_session(Actions& actions);
  void on_new_session_ticket(ByteView body, ByteView raw);
  void finish_abbreviated_handshake(Actions& actions);
  void remember_session();
  bool can_send_ticket(size_t size) const;

  std::shared_ptr<const ClientConfig> config_;
  ClientState state_ = ClientState::start;
  int renegotiation_refusals_ = 0;  // HelloRequests answered with no_renegotiation
  Negotiated negotiated_;
  ClientHello client_hello_;
  Transcript transcript_;
  std::unique_ptr<ClientKeyAgreement> key_agreement_;
  std::optional<CertificateRequest> certificate_request_;
  bool sent_client_certificate_with_key_ = false;
  SecretBytes master_secret_;
  std::optional<KeyBlock> key_block_;
  std::optional<Session> given_session_;    // offer(): this connection's own session
  std::optional<Session> offered_session_;  // the session our ClientHello offers
  std::optional<Session> session_;          // session(): the session to keep
  Bytes server_session_id_;                 // ServerHello.session_id
  bool expect_new_session_ticket_ = false;  // ServerHello had session_ticket (RFC 5077 §3.3)
  std::optional<NewSessionTicket> new_session_ticket_;
};

}  // namespace tls12::handshake
