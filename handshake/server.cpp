// The server's handshake state machine (RFC 5246 §7.3, §7.4), see server.h.
// Steps are numbered as in docs/handshake.md.
#include "handshake/server.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"
#include "handshake/signing.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

void emit_secret(Actions& actions, std::string name, ByteView value) {
  add_action(actions, SecretDerived{std::move(name), SecretBytes(value.begin(), value.end())});
}

template <class List, class T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::shared_ptr<const ServerConfig> checked(std::shared_ptr<const ServerConfig> config) {
  if (!config) throw std::invalid_argument("no server configuration");
  if (config->certificate.certificate_chain.empty() || !config->certificate.private_key)
    throw std::invalid_argument("a server needs a certificate chain and its private key");
  if (config->cipher_suites.empty()) throw std::invalid_argument("no cipher suites configured");
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
  Actions actions;
  using T = HandshakeType;
  const T type = parts.type;
  switch (state_) {
    case ServerState::wait_client_hello:
      if (type == T::client_hello) return on_client_hello(parts.body, message, actions), actions;
      break;
    case ServerState::wait_client_certificate:
      if (type == T::certificate) return on_certificate(parts.body, message), actions;
      break;
    case ServerState::wait_client_key_exchange:
      if (type == T::client_key_exchange) return on_client_key_exchange(parts.body, message, actions), actions;
      break;
    case ServerState::wait_certificate_verify:
      if (type == T::certificate_verify) return on_certificate_verify(parts.body, message), actions;
      break;
    case ServerState::wait_finished:
      if (type == T::finished) return on_finished(parts.body, message, actions), actions;
      break;
    case ServerState::connected:
      if (type == T::client_hello) return on_renegotiation_attempt(parts.body, actions), actions;
      break;
    case ServerState::wait_change_cipher_spec:
      break;
  }
  unexpected(handshake_type_name(type), state_name(state_));
}

Actions Server::handle_change_cipher_spec() {
  if (state_ != ServerState::wait_change_cipher_spec) unexpected("ChangeCipherSpec", state_name(state_));
  // Step 6 (server): the client's ChangeCipherSpec: its Finished comes
  // protected with client_write_key.
  Actions actions;
  add_action(actions, InstallReadKeys{client_write_keys(*negotiated_.cipher_suite, *key_block_)});
  state_ = ServerState::wait_finished;
  return actions;
}

// Step 2: the server reads ClientHello (§7.4.1.2) and answers with its whole
// first flight: ServerHello, Certificate, ServerKeyExchange (ECDHE),
// CertificateRequest (mutual authentication), ServerHelloDone.
void Server::on_client_hello(ByteView body, ByteView raw, Actions& actions) {
  ClientHello hello = ClientHello::decode(body);
  // TLS 1.2 only. A TLS 1.3 client says 0x0303 here and lists 0x0304 in
  // supported_versions, which we ignore: it gets TLS 1.2 (RFC 8446 §4.2.1).
  if (hello.client_version < TLS1_2)
    throw TlsError(AlertDescription::protocol_version, "client offers only versions older than TLS 1.2");
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

  if (try_resume(hello, ext, raw, actions)) return;
  const CipherSuiteInfo* suite = choose_cipher_suite(hello, ext);
  client_version_ = hello.client_version;
  negotiated_.version = TLS1_2;
  negotiated_.cipher_suite = suite;
  negotiated_.client_random = hello.random;
  negotiated_.server_name = ext.server_name.value_or("");
  if (suite->key_exchange == KeyExchange::ecdhe) {
    negotiated_.group = NamedGroup::x25519;
    server_scheme_ = choose_rsa_scheme(config_->signature_schemes, *ext.signature_algorithms);
    negotiated_.server_signature_scheme = server_scheme_;
  }
  transcript_.set_hash(suite->prf_hash);
  transcript_.add(raw);

  ServerHello reply;
  crypto::random_bytes(reply.random);
  negotiated_.server_random = reply.random;
  reply.cipher_suite = suite->id;
  reply.session_id = session_id_ = new_session_id();
  ServerHelloExtensions reply_ext;
  if (negotiated_.secure_renegotiation) reply_ext.renegotiation_info = Bytes{};
  reply_ext.extended_master_secret = negotiated_.extended_master_secret;
  if (suite->key_exchange == KeyExchange::ecdhe && ext.ec_point_formats)
    reply_ext.ec_point_formats = Bytes{ec_point_format_uncompressed};
  // RFC 5077 §3.2: a server that will send NewSessionTicket says so here.
  issue_ticket_ = reply_ext.session_ticket = config_->ticket_keys && ext.session_ticket.has_value();
  reply.extensions = reply_ext.to_list();
  send(reply.encode(), actions);

  Certificate certificate;
  certificate.certificate_list = config_->certificate.certificate_chain;
  send(certificate.encode(), actions);

  key_agreement_ = make_server_key_agreement(*suite, negotiated_.group.value_or(NamedGroup::x25519),
                                             config_->certificate.private_key, client_version_);
  if (suite->key_exchange != KeyExchange::rsa) send_server_key_exchange(actions);
  if (config_->client_authentication != ClientAuthentication::none) send_certificate_request(actions);
  send(ServerHelloDone{}.encode(), actions);
  state_ = negotiated_.client_certificate_requested ? ServerState::wait_client_certificate
                                                    : ServerState::wait_client_key_exchange;
}

// Whether this server can run `suite` with what the client sent.
bool Server::can_use(const CipherSuiteInfo& suite, const ClientHelloExtensions& ext) const {
  if (suite.authentication != Authentication::rsa ||
      !std::holds_alternative<crypto::RsaPrivateKey>(*config_->certificate.private_key))
    return false;
  if (suite.key_exchange == KeyExchange::rsa) return true;  // signs nothing (§7.4.7.1)
  if (suite.key_exchange != KeyExchange::ecdhe) return false;
  // ECDHE needs a common group (RFC 8422 §5.1.1) ...
  if (!contains(config_->groups, NamedGroup::x25519) || !ext.supported_groups ||
      !contains(*ext.supported_groups, NamedGroup::x25519))
    return false;
  // ... and a signature the client accepts. Without signature_algorithms the
  // client could only take rsa_pkcs1_sha1 (§7.4.1.4.1), which we refuse.
  return ext.signature_algorithms &&
         choose_rsa_scheme(config_->signature_schemes, *ext.signature_algorithms).has_value();
}

// The suite (§7.4.1.3): by default the first of the server's list that the
// client offers and that can run; with prefer_server_cipher_order off, the
// client's order. None: handshake_failure.
const CipherSuiteInfo* Server::choose_cipher_suite(const ClientHello& hello, const ClientHelloExtensions& ext) {
  const auto& ours = config_->cipher_suites;
  auto usable = [&](CipherSuite id) {
    const CipherSuiteInfo* info = find_cipher_suite(id);
    return info != nullptr && contains(ours, id) && hello.offers(id) && can_use(*info, ext) ? info : nullptr;
  };
  const auto& first = config_->prefer_server_cipher_order ? ours : hello.cipher_suites;
  for (CipherSuite id : first)
    if (const CipherSuiteInfo* info = usable(id)) return info;

  bool any_common = std::any_of(ours.begin(), ours.end(), [&](CipherSuite id) { return hello.offers(id); });
  if (!any_common) throw TlsError(AlertDescription::handshake_failure, "no cipher suite in common with the client");
  if (!ext.signature_algorithms)
    throw TlsError(AlertDescription::handshake_failure,
                   "client sent no signature_algorithms: it could only accept SHA-1 signatures");
  if (!ext.supported_groups || !contains(*ext.supported_groups, NamedGroup::x25519))
    throw TlsError(AlertDescription::handshake_failure, "no ECDHE group in common with the client");
  throw TlsError(AlertDescription::handshake_failure, "no signature scheme in common with the client");
}

// Step 3 (server, ECDHE): ServerKeyExchange (§7.4.3, RFC 8422 §5.4): our
// ephemeral x25519 key, signed with the certificate key over
// client_random + server_random + params.
void Server::send_server_key_exchange(Actions& actions) {
  ServerKeyExchange ske;
  ske.params = *key_agreement_->server_params();
  ske.signed_params.algorithm = *server_scheme_;
  const auto& key = std::get<crypto::RsaPrivateKey>(*config_->certificate.private_key);
  ske.signed_params.signature = sign_with_scheme(
      *server_scheme_, key, ske.signed_content(negotiated_.client_random, negotiated_.server_random));
  send(ske.encode(), actions);
}

// Step 3 (mutual authentication): CertificateRequest (§7.4.4): RSA
// certificates, our signature schemes, and the names of our trust anchors so
// the client can pick a certificate they issued.
void Server::send_certificate_request(Actions& actions) {
  CertificateRequest request;
  request.certificate_types = {ClientCertificateType::rsa_sign};
  for (SignatureScheme scheme : config_->signature_schemes)
    if (is_rsa_scheme(scheme)) request.supported_signature_algorithms.push_back(scheme);
  request.certificate_authorities = config_->trust_store->subject_names();
  negotiated_.client_certificate_requested = true;
  send(request.encode(), actions);
}

// Step 4' (mutual authentication): the client's Certificate (§7.4.6). Empty
// means it has none: fine when the certificate is optional, handshake_failure
// when required. Otherwise the chain must lead to our trust anchors with
// purpose "client".
void Server::on_certificate(ByteView body, ByteView raw) {
  Certificate certificate = Certificate::decode(body);
  transcript_.add(raw);
  if (certificate.certificate_list.empty()) {
    if (config_->client_authentication == ClientAuthentication::required)
      throw TlsError(AlertDescription::handshake_failure, "client sent no certificate, which this server requires");
    state_ = ServerState::wait_client_key_exchange;
    return;
  }
  x509::VerifyOptions options;
  options.purpose = x509::Purpose::client;
  options.time = config_->verification_time;
  negotiated_.peer = check_peer_certificates(std::move(certificate.certificate_list), config_->trust_store.get(),
                                             options);
  if (!std::holds_alternative<crypto::RsaPublicKey>(*negotiated_.peer.leaf_key))
    throw TlsError(AlertDescription::unsupported_certificate, "the client's certificate key is not RSA");
  state_ = ServerState::wait_client_key_exchange;
}

// Step 5 (server): ClientKeyExchange (§7.4.7): decrypt the premaster (RSA,
// with the countermeasure) or compute X25519 with the client's key (ECDHE);
// then the master_secret and the key_block.
void Server::on_client_key_exchange(ByteView body, ByteView raw, Actions& actions) {
  const CipherSuiteInfo& suite = *negotiated_.cipher_suite;
  ClientKeyExchange cke = ClientKeyExchange::decode(body, suite.key_exchange);
  SecretBytes pre_master_secret = key_agreement_->pre_master_secret(cke.exchange_keys);
  key_agreement_.reset();
  transcript_.add(raw);
  emit_secret(actions, "pre_master_secret", pre_master_secret);
  master_secret_ = negotiated_.extended_master_secret
                       ? compute_extended_master_secret(suite.prf_hash, pre_master_secret, transcript_.current_hash())
                       : compute_master_secret(suite.prf_hash, pre_master_secret, negotiated_.client_random,
                                               negotiated_.server_random);
  emit_secret(actions, "master_secret", master_secret_);
  key_block_ = derive_key_block(suite, master_secret_, negotiated_.client_random, negotiated_.server_random);
  emit_secret(actions, "client_write_key", key_block_->client_write_key);
  emit_secret(actions, "server_write_key", key_block_->server_write_key);
  emit_secret(actions, "client_write_IV", key_block_->client_write_IV);
  emit_secret(actions, "server_write_IV", key_block_->server_write_IV);
  if (negotiated_.peer.leaf_key) {
    state_ = ServerState::wait_certificate_verify;
  } else {
    transcript_.release_messages();
    state_ = ServerState::wait_change_cipher_spec;
  }
}

// Step 4'' (mutual authentication): CertificateVerify (§7.4.8): the client's
// signature over every handshake message before this one, with the key of the
// certificate it sent. This is what proves the client holds that key.
void Server::on_certificate_verify(ByteView body, ByteView raw) {
  CertificateVerify verify = CertificateVerify::decode(body);
  const SignatureScheme scheme = verify.signature.algorithm;
  if (!is_rsa_scheme(scheme) || !contains(config_->signature_schemes, scheme))
    throw TlsError(AlertDescription::illegal_parameter,
                   "CertificateVerify uses " + signature_scheme_name(scheme) + ", which the server did not offer");
  const auto& key = std::get<crypto::RsaPublicKey>(*negotiated_.peer.leaf_key);
  if (!verify_with_scheme(scheme, key, transcript_.messages(), verify.signature.signature))
    throw TlsError(AlertDescription::decrypt_error,
                   "CertificateVerify signature does not verify with the client certificate's key");
  negotiated_.client_signature_scheme = scheme;
  negotiated_.client_authenticated = true;
  transcript_.add(raw);
  transcript_.release_messages();
  state_ = ServerState::wait_change_cipher_spec;
}

// Step 6 (server): the client's Finished (§7.4.9), checked in constant time;
// then Step 7: our ChangeCipherSpec and Finished.
void Server::on_finished(ByteView body, ByteView raw, Actions& actions) {
  const CipherSuiteInfo& suite = *negotiated_.cipher_suite;
  Finished finished = Finished::decode(body);
  auto expected = compute_verify_data(suite.prf_hash, master_secret_, Sender::client, transcript_.current_hash());
  if (!constant_time_equal(expected, finished.verify_data))
    throw TlsError(AlertDescription::decrypt_error, "client's Finished verify_data does not match the handshake");
  negotiated_.client_verify_data = finished.verify_data;
  transcript_.add(raw);
  if (negotiated_.resumed) {  // abbreviated handshake: our Finished went first
    add_action(actions, HandshakeComplete{});
    state_ = ServerState::connected;
    key_block_.reset();
    return;
  }
  if (issue_ticket_) send_new_session_ticket(actions);
  remember_session();

  Finished ours;
  ours.verify_data = compute_verify_data(suite.prf_hash, master_secret_, Sender::server, transcript_.current_hash());
  negotiated_.server_verify_data = ours.verify_data;
  add_action(actions, SendChangeCipherSpec{});
  add_action(actions, InstallWriteKeys{server_write_keys(suite, *key_block_)});
  send(ours.encode(), actions);
  add_action(actions, HandshakeComplete{});
  state_ = ServerState::connected;
  key_block_.reset();
}

// A ClientHello on an established connection asks for renegotiation, which
// tls12 refuses with a no_renegotiation warning (§7.2.2, RFC 5746 §4.4) and
// carries on with the current session.
void Server::on_renegotiation_attempt(ByteView body, Actions& actions) {
  ClientHello::decode(body);
  add_action(actions, SendWarningAlert{AlertDescription::no_renegotiation, "renegotiation is not supported"});
}

void Server::send(Bytes message, Actions& actions) {
  transcript_.add(message);
  add_action(actions, SendHandshake{std::move(message)});
}

}  // namespace tls12::handshake
