// The server side of the TLS 1.2 handshake (RFC 5246 §7.3, Figure 1) as an
// explicit state machine that returns actions instead of doing I/O.
//
//   Client                                   Server
//   ClientHello          -------->                                Step 2
//                                            ServerHello
//                                            Certificate
//                                            ServerKeyExchange*   Step 3 (ECDHE)
//                                            CertificateRequest*  (mutual auth)
//                        <--------           ServerHelloDone
//   Certificate*                                                  Step 4'
//   ClientKeyExchange                                             Step 5
//   CertificateVerify*                                            Step 4''
//   [ChangeCipherSpec]
//   Finished             -------->                                Step 6
//                                            [ChangeCipherSpec]
//                        <--------           Finished             Step 7
//   Application Data     <------->           Application Data
//
// Each received message has one function (on_client_hello, ...); `handle`
// decides in one place whether a message may arrive in the current state,
// anything else is unexpected_message.
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

 private:
  void on_client_hello(ByteView body, ByteView raw, Actions& actions);
  void on_certificate(ByteView body, ByteView raw);
  void on_client_key_exchange(ByteView body, ByteView raw, Actions& actions);
  void on_certificate_verify(ByteView body, ByteView raw);
  void on_finished(ByteView body, ByteView raw, Actions& actions);
  void on_renegotiation_attempt(ByteView body, Actions& actions);

  void send(Bytes message, Actions& actions);
  void send_server_key_exchange(Actions& actions);
  void send_certificate_request(Actions& actions);

  // Resumption (handshake/server_resume.cpp, docs/resumption.md).
  std::optional<Session> find_session(const ClientHello& hello, const ClientHelloExtensions& ext);
  bool can_resume(const Session& session, const ClientHello& hello, const ClientHelloExtensions& ext) const;
  bool try_resume(const ClientHello& hello, const ClientHelloExtensions& ext, ByteView raw, Actions& actions);
  Bytes new_session_id();
  void send_new_session_ticket(Actions& actions);
  Session current_session() const;
  void remember_session();

  std::shared_ptr<const ServerConfig> config_;
  ServerState state_ = ServerState::wait_client_hello;
  int renegotiation_refusals_ = 0;  // renegotiation ClientHellos answered with no_renegotiation
  Negotiated negotiated_;
  ProtocolVersion client_version_ = 0;
  std::optional<SignatureScheme> server_scheme_;  // for ServerKeyExchange
  const CertifiedKey* certificate_ = nullptr;     // the chain chosen for this client (in config_)
  Transcript transcript_;
  std::unique_ptr<ServerKeyAgreement> key_agreement_;
  SecretBytes master_secret_;
  std::optional<KeyBlock> key_block_;
  Bytes session_id_;                 // ServerHello.session_id (empty: not cached)
  bool issue_ticket_ = false;        // NewSessionTicket promised in ServerHello
  std::optional<Session> resumed_session_;
  bool renew_ticket_ = false;        // the ticket opened with a retired key
};

}  // namespace tls12::handshake
