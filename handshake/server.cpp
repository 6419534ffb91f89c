// The server's handshake state machine (RFC 5246 §7.3, §7.4), see server.h.
// Steps are the nine of docs/steps.md; the server does 2, 8 and its half of
// 6, and checks the client's 1, 4, 5 and 7.
#include "handshake/server.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"
#include "handshake/alpn.h"
#include "handshake/certificate_selection.h"
#include "handshake/encrypt_then_mac.h"
#include "handshake/key_usage.h"
#include "handshake/limits.h"
#include "handshake/session_keys.h"
#include "record/handshake_reassembler.h"
#include "handshake/signing.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

template <class List, class T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::shared_ptr<const ServerConfig> checked(std::shared_ptr<const ServerConfig> config) {
  if (!config) throw std::invalid_argument("no server configuration");
  if (config->certificate.certificate_chain.empty() || !config->certificate.private_key)
    throw std::invalid_argument("a server needs a certificate chain and its private key");
  if (config->cipher_suites.empty()) throw std::invalid_argument("no cipher suites configured");
  for (const CertifiedKey& extra : config->additional_certificates)
    if (extra.certificate_chain.empty() || !extra.private_key)
      throw std::invalid_argument("each additional certificate needs a chain and its private key");
  check_application_protocols(config->alpn_protocols);
  for (CipherSuite id : config->cipher_suites)
    if (find_cipher_suite(id) == nullptr)
      throw std::invalid_argument("cipher suite " + cipher_suite_name(id) + " is not implemented");
  if (config->client_authentication != ClientAuthentication::none &&
      (!config->trust_store || config->trust_store->empty()))
    throw std::invalid_argument("client authentication needs trust anchors");
  return config;
}

}  // namespace

Server::Server(ServerConfig config) : Server(std::make_shared<const ServerConfig>(std::move(config))) {}
Server::Server(std::shared_ptr<const ServerConfig> config) : config_(checked(std::move(config))) {}

Actions Server::handle(ByteView message) {
  HandshakeParts parts = split_handshake(message);
  const Handler handler = handler_for(parts.type);
  // The one place a received message enters the transcript (§7.4.9), once it
  // is known to be allowed here; once connected, a ClientHello
  // (renegotiation, refused) belongs to no handshake. The client's Finished
  // is checked against the hash of everything before it, so that hash is
  // taken first.
  if (state_ != ServerState::connected) {
    if (parts.type == HandshakeType::finished) hash_before_finished_ = transcript_.current_hash();
    transcript_.add(message);
  }
  Actions actions;
  (this->*handler)(parts.body, actions);
  return actions;
}

// The one decision of which message may come in which state; any other is
// unexpected_message.
Server::Handler Server::handler_for(HandshakeType type) const {
  using T = HandshakeType;
  switch (state_) {
    case ServerState::wait_client_hello:
      if (type == T::client_hello) return &Server::on_client_hello;
      break;
    case ServerState::wait_client_certificate:
      if (type == T::certificate) return &Server::on_certificate;
      break;
    case ServerState::wait_client_key_exchange:
      if (type == T::client_key_exchange) return &Server::on_client_key_exchange;
      break;
    case ServerState::wait_certificate_verify:
      if (type == T::certificate_verify) return &Server::on_certificate_verify;
      break;
    case ServerState::wait_finished:
      if (type == T::finished) return &Server::on_finished;
      break;
    case ServerState::connected:
      if (type == T::client_hello) return &Server::on_renegotiation_attempt;
      break;
    case ServerState::wait_change_cipher_spec:
      break;
  }
  unexpected(handshake_type_name(type), state_name(state_));
}

Actions Server::handle_change_cipher_spec() {
  if (state_ != ServerState::wait_change_cipher_spec) unexpected("ChangeCipherSpec", state_name(state_));
  // Step 7 (received): the client's ChangeCipherSpec: its Finished comes
  // protected with client_write_key.
  Actions actions;
  add_action(actions, InstallReadKeys{client_write_keys(*negotiated_.cipher_suite, *key_block_,
                                                        negotiated_.encrypt_then_mac)});
  state_ = ServerState::wait_finished;
  return actions;
}

// Step 1 (received) and step 2: the server reads ClientHello (§7.4.1.2) and
// answers with its whole first flight. The limits of a public server come
// first, before any work on the contents (handshake/limits.h).
void Server::on_client_hello(ByteView body, Actions& actions) {
  check_client_hello_size(record::kHandshakeHeaderSize + body.size(), config_->limits);
  ClientHello hello = ClientHello::decode(body);
  ClientHelloExtensions ext = check_client_hello(hello);
  // Resumption (server_resume.cpp): a session the client offers that is safe
  // to resume gets the abbreviated handshake of §7.3 Figure 2.
  if (SharedSession session = resumable_session(hello, ext)) return resume(std::move(session), hello, ext, actions);
  ServerChoice choice = negotiate(hello, ext);
  send_server_flight(choice, ext, actions);
}

// Step 1 (received): what every ClientHello must offer, whatever follows:
// TLS 1.2, null compression, sane renegotiation_info, and the extended master
// secret when we require it. Returns its extensions, parsed.
ClientHelloExtensions Server::check_client_hello(const ClientHello& hello) {
  // TLS 1.2 only. A TLS 1.3 client says 0x0303 here and lists 0x0304 in
  // supported_versions, which we ignore: it gets TLS 1.2 (RFC 8446 §4.2.1).
  // An older version is protocol_version even with TLS_FALLBACK_SCSV: RFC 7507
  // §3 asks for inappropriate_fallback "unless it responds with a fatal
  // protocol_version alert because the version indicated in
  // ClientHello.client_version is unsupported", which is our case (and what
  // OpenSSL and tlsfuzzer's test-fallback-scsv expect).
  if (hello.client_version < TLS1_2)
    throw TlsError(AlertDescription::protocol_version, "client offers only versions older than TLS 1.2");
  check_fallback_scsv(hello, TLS1_2);
  if (!contains(hello.compression_methods, compression_null))
    throw TlsError(AlertDescription::illegal_parameter, "client does not offer the null compression method");
  ClientHelloExtensions ext = ClientHelloExtensions::parse(hello.extensions);

  // RFC 5746 §3.6: the client supports secure renegotiation if it sends the
  // SCSV or an (empty, on an initial handshake) renegotiation_info.
  if (ext.renegotiation_info && !ext.renegotiation_info->empty())
    throw TlsError(AlertDescription::handshake_failure, "renegotiation_info is not empty on an initial handshake");
  negotiated_.secure_renegotiation =
      ext.renegotiation_info.has_value() || hello.offers(suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  // RFC 7627 §5.2.
  negotiated_.extended_master_secret = ext.extended_master_secret;
  if (!ext.extended_master_secret && config_->extended_master_secret == ExtendedMasterSecret::required)
    throw TlsError(AlertDescription::handshake_failure, "client does not offer the extended master secret");
  // RFC 8422 §5.1.2: a client that names a curve of RFC 8422 in
  // supported_groups but leaves uncompressed out of ec_point_formats cannot
  // read any point we would send.
  if (ext.ec_point_formats && !contains(*ext.ec_point_formats, ec_point_format_uncompressed) &&
      ext.supported_groups &&
      std::any_of(ext.supported_groups->begin(), ext.supported_groups->end(), [](NamedGroup g) { return !is_ffdhe(g); }))
    throw TlsError(AlertDescription::illegal_parameter, "client's ec_point_formats lacks the uncompressed format");
  return ext;
}

// Step 2 (full handshake): the suite and the certificate chain together (SNI,
// key types: handshake/certificate_selection.h), ALPN, and what follows from
// the suite: the group, the signature scheme and the transcript's hash.
ServerChoice Server::negotiate(const ClientHello& hello, const ClientHelloExtensions& ext) {
  ServerChoice choice = choose_suite_and_certificate(*config_, hello, ext);
  certificate_ = choice.certificate;
  std::optional<std::string> alpn =
      select_application_protocol(config_->alpn_protocols, ext.alpn_protocols, config_->alpn_required);
  client_version_ = hello.client_version;
  negotiated_.version = TLS1_2;
  negotiated_.cipher_suite = choice.suite;
  negotiated_.client_random = hello.random;
  negotiated_.server_name = ext.server_name.value_or("");
  negotiated_.alpn_protocol = alpn.value_or("");  // ProtocolName is never empty (RFC 7301 §3.1)
  negotiated_.group = choice.group;
  server_scheme_ = choice.scheme;
  negotiated_.server_signature_scheme = server_scheme_;
  transcript_.set_hash(choice.suite->prf_hash);
  return choice;
}

// Step 2 (full handshake): ServerHello with our random and a new session ID,
// Certificate, ServerKeyExchange (ECDHE, DHE), CertificateRequest (mutual
// authentication), ServerHelloDone.
void Server::send_server_flight(const ServerChoice& choice, const ClientHelloExtensions& ext, Actions& actions) {
  const CipherSuiteInfo* suite = choice.suite;
  ServerHello reply;
  crypto::random_bytes(reply.random);
  negotiated_.server_random = reply.random;
  reply.cipher_suite = suite->id;
  reply.session_id = session_id_ = new_session_id();
  ServerHelloExtensions reply_ext;
  if (negotiated_.secure_renegotiation) reply_ext.renegotiation_info = Bytes{};
  reply_ext.extended_master_secret = negotiated_.extended_master_secret;
  reply_ext.encrypt_then_mac = negotiated_.encrypt_then_mac = server_uses_encrypt_then_mac(*suite, ext);
  reply_ext.server_name = choice.server_name_matched;  // RFC 6066 §3: the name was used
  if (!negotiated_.alpn_protocol.empty()) reply_ext.alpn_protocol = negotiated_.alpn_protocol;
  if (suite->key_exchange == KeyExchange::ecdhe && ext.ec_point_formats)
    reply_ext.ec_point_formats = Bytes{ec_point_format_uncompressed};
  // RFC 5077 §3.2: a server that will send NewSessionTicket says so here.
  issue_ticket_ = reply_ext.session_ticket = config_->ticket_keys && ext.session_ticket.has_value();
  reply.extensions = reply_ext.to_list();
  send(reply.encode(), actions);

  Certificate certificate;
  certificate.certificate_list = certificate_->certificate_chain;
  send(certificate.encode(), actions);

  key_agreement_ = make_server_key_agreement(*suite, negotiated_.group.value_or(NamedGroup::x25519),
                                             certificate_->private_key, client_version_);
  if (suite->key_exchange != KeyExchange::rsa) send_server_key_exchange(actions);
  if (config_->client_authentication != ClientAuthentication::none) send_certificate_request(actions);
  send(ServerHelloDone{}.encode(), actions);
  state_ = negotiated_.client_certificate_requested ? ServerState::wait_client_certificate
                                                    : ServerState::wait_client_key_exchange;
}

// Step 2 (ECDHE and DHE): ServerKeyExchange (§7.4.3, RFC 8422 §5.4):
// our ephemeral x25519 or secp256r1 key or ServerDHParams (handshake/dhe.h), signed with
// the chosen certificate's key (RSA, ECDSA or Ed25519) over
// client_random + server_random + params.
void Server::send_server_key_exchange(Actions& actions) {
  ServerKeyExchange ske;
  ske.params = *key_agreement_->server_params();
  ske.signed_params.algorithm = *server_scheme_;
  ske.signed_params.signature =
      sign_with_scheme(*server_scheme_, *certificate_->private_key,
                       ske.signed_content(negotiated_.client_random, negotiated_.server_random));
  send(ske.encode(), actions);
}

// Step 2 (mutual authentication): CertificateRequest (§7.4.4): RSA
// certificates, and ECDSA or Ed25519 ones (ecdsa_sign, RFC 8422 §5.5) when an
// ECDSA scheme or ed25519 is among our schemes; our signature schemes; and
// the names of our trust anchors so the client can pick a certificate they
// issued.
void Server::send_certificate_request(Actions& actions) {
  CertificateRequest request;
  request.certificate_types = {ClientCertificateType::rsa_sign};
  const auto& schemes = config_->signature_schemes;
  if (std::any_of(schemes.begin(), schemes.end(),
                  [](SignatureScheme s) { return is_supported(s) && !is_rsa_scheme(s); }))
    request.certificate_types.push_back(ClientCertificateType::ecdsa_sign);
  for (SignatureScheme scheme : schemes)
    if (is_supported(scheme)) request.supported_signature_algorithms.push_back(scheme);
  request.certificate_authorities = config_->trust_store->subject_names();
  negotiated_.client_certificate_requested = true;
  send(request.encode(), actions);
}

// Step 6 (mutual authentication): the server verifies the client's
// Certificate (§7.4.6, sent in step 5). Empty means it has none: fine when the
// certificate is optional, handshake_failure when required. Otherwise the
// chain must lead to our trust anchors with purpose "client".
void Server::on_certificate(ByteView body, Actions& actions) {
  Certificate certificate = Certificate::decode(body);
  check_certificate_chain_limits(certificate.certificate_list, config_->limits);
  if (certificate.certificate_list.empty()) {
    if (config_->client_authentication == ClientAuthentication::required)
      throw TlsError(AlertDescription::handshake_failure, "client sent no certificate, which this server requires");
    state_ = ServerState::wait_client_key_exchange;
    return;
  }
  x509::VerifyOptions options;
  options.purpose = x509::Purpose::client;
  options.time = config_->verification_time;
  options.max_depth = config_->max_verify_depth;
  options.policy = config_->verification_policy;
  negotiated_.peer = check_peer_certificates(std::move(certificate.certificate_list), config_->trust_store.get(),
                                             options, Sender::client, actions);
  // Every key x509 reads (RSA, Ed25519, EC) can sign CertificateVerify (which
  // scheme is checked there), if its keyUsage lets it (key_usage.h).
  check_key_usage(negotiated_.peer.leaf_key_usage, KeyUse::signing, "the client's");
  state_ = ServerState::wait_client_key_exchange;
}

// Step 6: the server recovers the premaster from ClientKeyExchange (§7.4.7,
// sent in step 4): decrypts it (RSA, with the countermeasure) or agrees it
// with the client's ephemeral key (ECDHE, DHE); then the master_secret and
// the key_block. The session hash runs through this message (RFC 7627 §4).
void Server::on_client_key_exchange(ByteView body, Actions& actions) {
  const CipherSuiteInfo& suite = *negotiated_.cipher_suite;
  ClientKeyExchange cke = ClientKeyExchange::decode(body, suite.key_exchange);
  SecretBytes pre_master_secret = key_agreement_->pre_master_secret(cke.exchange_keys);
  key_agreement_.reset();
  report(actions, PreMasterRecovered{suite.key_exchange, suite.key_exchange == KeyExchange::rsa});
  SessionKeys keys = derive_session_keys(negotiated_, pre_master_secret,
                                         negotiated_.extended_master_secret ? transcript_.current_hash() : crypto::Digest{},
                                         actions);
  master_secret_ = std::move(keys.master_secret);
  key_block_ = std::make_unique<KeyBlock>(std::move(keys.key_block));
  if (negotiated_.peer.leaf_key) {
    state_ = ServerState::wait_certificate_verify;
  } else {
    transcript_.release_messages();
    state_ = ServerState::wait_change_cipher_spec;
  }
}

// Step 6 (mutual authentication): the server checks CertificateVerify
// (§7.4.8, sent in step 5): the client's signature over every handshake
// message before this one, with the key of the certificate it sent. This is
// what proves the client holds that key.
void Server::on_certificate_verify(ByteView body, Actions& actions) {
  CertificateVerify verify = CertificateVerify::decode(body);
  const SignatureScheme scheme = verify.signature.algorithm;
  const x509::PublicKey& key = *negotiated_.peer.leaf_key;
  if (!scheme_fits_key(scheme, key) || !contains(config_->signature_schemes, scheme))
    throw TlsError(AlertDescription::illegal_parameter,
                   "CertificateVerify uses " + signature_scheme_name(scheme) +
                       ", which the server did not offer for the client certificate's key");
  // `handle` has added this message already: the signed part is everything
  // before its own header and body.
  ByteView messages = transcript_.messages();
  ByteView signed_messages = messages.first(messages.size() - record::kHandshakeHeaderSize - body.size());
  if (!verify_with_scheme(scheme, key, signed_messages, verify.signature.signature))
    throw CheckFailed(SignatureChecked{"CertificateVerify", scheme, false}, AlertDescription::decrypt_error,
                      "CertificateVerify signature does not verify with the client certificate's key");
  report(actions, SignatureChecked{"CertificateVerify", scheme, true});
  negotiated_.client_signature_scheme = scheme;
  negotiated_.client_authenticated = true;
  transcript_.release_messages();
  state_ = ServerState::wait_change_cipher_spec;
}

void Server::release_finished_state() {
  if (state_ != ServerState::connected) return;
  transcript_ = Transcript{};
  hash_before_finished_ = crypto::Digest{};
  SecretBytes().swap(master_secret_);  // wiped as it goes
  Bytes().swap(session_id_);
  negotiated_.peer.leaf_key.reset();
  key_agreement_.reset();
}

// Step 7 (received): the client's Finished (§7.4.9), checked in constant time
// (check_finished, session_keys.h); then step 8: our ChangeCipherSpec and
// Finished.
void Server::on_finished(ByteView body, Actions& actions) {
  Finished finished = Finished::decode(body);
  check_finished(negotiated_, master_secret_, Sender::client, hash_before_finished_, finished, actions);
  negotiated_.client_verify_data = finished.verify_data;
  if (negotiated_.resumed) {  // abbreviated handshake: our Finished went first
    add_action(actions, HandshakeComplete{});
    state_ = ServerState::connected;
    key_block_.reset();
    return;
  }
  if (issue_ticket_) send_new_session_ticket(actions);
  remember_session();

  send_finished(actions);
  add_action(actions, HandshakeComplete{});
  state_ = ServerState::connected;
  key_block_.reset();
}

// Not one of the nine steps: a ClientHello on an established connection asks
// for renegotiation, which
// tls12 refuses with a no_renegotiation warning (§7.2.2, RFC 5746 §4.4) and
// carries on with the current session.
void Server::on_renegotiation_attempt(ByteView body, Actions& actions) {
  ClientHello::decode(body);
  refuse_renegotiation(renegotiation_refusals_, "ClientHello", actions);
}

// Step 8: our ChangeCipherSpec (§7.1), then Finished (§7.4.9) over every
// handshake message so far, protected with server_write_key.
void Server::send_finished(Actions& actions) {
  const CipherSuiteInfo& suite = *negotiated_.cipher_suite;
  Finished ours;
  ours.verify_data = compute_verify_data(suite.prf_hash, master_secret_, Sender::server, transcript_.current_hash());
  negotiated_.server_verify_data = ours.verify_data;
  add_action(actions, SendChangeCipherSpec{});
  add_action(actions, InstallWriteKeys{server_write_keys(suite, *key_block_, negotiated_.encrypt_then_mac)});
  send(ours.encode(), actions);
}

// Every message we send enters the transcript as it goes out.
void Server::send(Bytes message, Actions& actions) {
  transcript_.add(message);
  add_action(actions, SendHandshake{std::move(message)});
}

}  // namespace tls12::handshake
