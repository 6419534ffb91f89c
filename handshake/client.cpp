// The client's handshake state machine (RFC 5246 §7.3, §7.4), see client.h.
// Steps are the nine of docs/steps.md; the client does 1, 3, 4, 5, 7 and its
// half of 6, and checks the server's 2 and 8.
#include "handshake/client.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"
#include "handshake/alpn.h"
#include "handshake/dhe.h"
#include "handshake/encrypt_then_mac.h"
#include "handshake/key_schedule.h"
#include "handshake/key_usage.h"
#include "handshake/session_keys.h"
#include "handshake/signing.h"
#include "x509/hostname.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

bool has_suite_with(const std::vector<CipherSuite>& suites, KeyExchange key_exchange) {
  return std::any_of(suites.begin(), suites.end(), [&](CipherSuite id) {
    const CipherSuiteInfo* info = find_cipher_suite(id);
    return info != nullptr && info->key_exchange == key_exchange;
  });
}

}  // namespace

Client::Client(ClientConfig config) : Client(std::make_shared<const ClientConfig>(std::move(config))) {}

Client::Client(std::shared_ptr<const ClientConfig> config) : config_(std::move(config)) {
  if (!config_) throw std::invalid_argument("no client configuration");
  if (config_->cipher_suites.empty()) throw std::invalid_argument("no cipher suites configured");
  for (CipherSuite id : config_->cipher_suites)
    if (find_cipher_suite(id) == nullptr)
      throw std::invalid_argument("cipher suite " + cipher_suite_name(id) + " is not implemented");
  check_application_protocols(config_->alpn_protocols);
  if (config_->verify_server_certificate) {
    if (!config_->trust_store || config_->trust_store->empty())
      throw std::invalid_argument("server verification is on but no trust anchors are configured");
    if (config_->server_name.empty() && (!config_->verify_name || config_->verify_name->empty()))
      throw std::invalid_argument("server verification is on but no server name is configured");
  }
}

// Step 1: the client says hello (§7.4.1.2). It offers our suites, a fresh
// random, and the extensions that make the handshake safe: the groups and
// signature schemes we accept, the extended master secret (RFC 7627) and an
// empty renegotiation_info (RFC 5746 §3.4: "this is an initial handshake").
Actions Client::start() {
  if (state_ != ClientState::start) throw std::logic_error("Client::start called twice");
  client_hello_ = std::make_unique<ClientHello>();
  client_hello_->client_version = TLS1_2;
  crypto::random_bytes(client_hello_->random);
  client_hello_->cipher_suites = config_->cipher_suites;

  ClientHelloExtensions ext;
  bool name_is_ip = x509::parse_ip_address(config_->server_name).has_value();
  // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName".
  if (config_->send_server_name && !config_->server_name.empty() && !name_is_ip) ext.server_name = config_->server_name;
  // supported_groups names curves for ECDHE and, since RFC 7919 §3, ffdhe
  // groups for DHE; point formats concern curves only.
  const bool ecdhe = has_suite_with(config_->cipher_suites, KeyExchange::ecdhe);
  if (ecdhe || has_suite_with(config_->cipher_suites, KeyExchange::dhe)) ext.supported_groups = config_->groups;
  if (ecdhe) ext.ec_point_formats = Bytes{ec_point_format_uncompressed};
  if (!config_->alpn_protocols.empty()) ext.alpn_protocols = config_->alpn_protocols;
  ext.signature_algorithms = config_->signature_schemes;
  ext.extended_master_secret = true;
  ext.encrypt_then_mac = config_->offer_encrypt_then_mac && client_offers_encrypt_then_mac(config_->cipher_suites);
  ext.renegotiation_info = Bytes{};
  offer_session(ext);
  client_hello_->extensions = ext.to_list();
  if (config_->edit_client_hello) config_->edit_client_hello(*client_hello_);

  negotiated_.client_random = client_hello_->random;
  negotiated_.server_name = config_->server_name;
  Actions actions;
  send(client_hello_->encode(), actions);
  state_ = ClientState::wait_server_hello;
  return actions;
}

Actions Client::handle(ByteView message) {
  HandshakeParts parts = split_handshake(message);
  const Handler handler = handler_for(parts.type);
  // The one place a received message enters the transcript (§7.4.9), once it
  // is known to be allowed here; HelloRequest never does (§7.4.1.1). The
  // server's Finished is checked against the hash of everything before it,
  // so that hash is taken first.
  if (parts.type != HandshakeType::hello_request) {
    if (parts.type == HandshakeType::finished) hash_before_finished_ = transcript_.current_hash();
    transcript_.add(message);
  }
  Actions actions;
  (this->*handler)(parts.body, actions);
  return actions;
}

// The one decision of which message may come in which state; any other is
// unexpected_message.
Client::Handler Client::handler_for(HandshakeType type) const {
  using T = HandshakeType;
  // RFC 5077 §3.3: NewSessionTicket comes after our Finished (full handshake)
  // or after ServerHello (resumption), before the server's ChangeCipherSpec.
  if (type == T::new_session_ticket && expect_new_session_ticket_ && state_ == ClientState::wait_change_cipher_spec)
    return &Client::on_new_session_ticket;
  switch (state_) {
    case ClientState::wait_server_hello:
      if (type == T::server_hello) return &Client::on_server_hello;
      break;
    case ClientState::wait_certificate:
      if (type == T::certificate) return &Client::on_certificate;
      break;
    case ClientState::wait_server_key_exchange:
      if (type == T::server_key_exchange) return &Client::on_server_key_exchange;
      break;
    case ClientState::wait_certificate_request:
      if (type == T::certificate_request) return &Client::on_certificate_request;
      if (type == T::server_hello_done) return &Client::on_server_hello_done;
      break;
    case ClientState::wait_server_hello_done:
      if (type == T::server_hello_done) return &Client::on_server_hello_done;
      break;
    case ClientState::wait_finished:
      if (type == T::finished) return &Client::on_finished;
      break;
    case ClientState::start:
    case ClientState::wait_change_cipher_spec:
    case ClientState::connected:
      break;
  }
  // HelloRequest may come at any time after ClientHello (§7.4.1.1).
  if (type == T::hello_request && state_ != ClientState::start) return &Client::on_hello_request;
  unexpected(handshake_type_name(type), state_name(state_));
}

Actions Client::handle_change_cipher_spec() {
  if (state_ != ClientState::wait_change_cipher_spec)
    unexpected("ChangeCipherSpec", state_name(state_));
  if (expect_new_session_ticket_) unexpected("ChangeCipherSpec", "wait_new_session_ticket");
  // Step 8 (received): the server's ChangeCipherSpec (§7.1): its next record,
  // the Finished, is protected with server_write_key.
  Actions actions;
  add_action(actions, InstallReadKeys{server_write_keys(*negotiated_.cipher_suite, *key_block_,
                                                        negotiated_.encrypt_then_mac)});
  state_ = ClientState::wait_finished;
  return actions;
}

// Step 2 (received): the server's answer (§7.4.1.3). It must pick TLS 1.2, a
// suite and compression we offered, and only extensions we offered (§7.4.1.4).
void Client::on_server_hello(ByteView body, Actions& actions) {
  ServerHello hello = ServerHello::decode(body);
  if (hello.server_version != TLS1_2)
    throw TlsError(AlertDescription::protocol_version, "server chose a version other than TLS 1.2");
  const CipherSuiteInfo* suite = find_cipher_suite(hello.cipher_suite);
  if (!client_hello_->offers(hello.cipher_suite) || suite == nullptr)
    throw TlsError(AlertDescription::illegal_parameter,
                   "server chose " + cipher_suite_name(hello.cipher_suite) + ", which the client did not offer");
  if (hello.compression_method != compression_null)
    throw TlsError(AlertDescription::illegal_parameter, "server chose a compression method the client did not offer");
  check_server_extensions_offered(client_hello_->extensions, false, hello.extensions);
  ServerHelloExtensions ext = ServerHelloExtensions::parse(hello.extensions);
  check_selected_application_protocol(config_->alpn_protocols, ext.alpn_protocol);  // RFC 7301 §3.1
  negotiated_.alpn_protocol = ext.alpn_protocol.value_or("");

  // RFC 5746 §3.4: on an initial handshake the server's renegotiation_info
  // must be empty; without it the server does not support secure renegotiation
  // (harmless here: tls12 never renegotiates).
  if (ext.renegotiation_info) {
    if (!ext.renegotiation_info->empty())
      throw TlsError(AlertDescription::handshake_failure,
                     "renegotiation_info is not empty on an initial handshake");
    negotiated_.secure_renegotiation = true;
  }
  negotiated_.encrypt_then_mac = client_uses_encrypt_then_mac(*suite, ext);  // RFC 7366
  // RFC 7627 §5.3: a client that requires the extended master secret aborts.
  negotiated_.extended_master_secret = ext.extended_master_secret;
  if (!ext.extended_master_secret && config_->extended_master_secret == ExtendedMasterSecret::required)
    throw TlsError(AlertDescription::handshake_failure, "server does not support the extended master secret");
  // RFC 8422 §5.2: the only point format is uncompressed.
  if (ext.ec_point_formats &&
      std::find(ext.ec_point_formats->begin(), ext.ec_point_formats->end(), ec_point_format_uncompressed) ==
          ext.ec_point_formats->end())
    throw TlsError(AlertDescription::illegal_parameter, "server's ec_point_formats lacks uncompressed");

  negotiated_.version = hello.server_version;
  negotiated_.cipher_suite = suite;
  negotiated_.server_random = hello.random;
  // The PRF hash is known now: the transcript starts hashing (§7.4.9).
  transcript_.set_hash(suite->prf_hash);
  server_session_id_ = hello.session_id;
  expect_new_session_ticket_ = ext.session_ticket;
  // Resumption: the same session ID back (client_resume.cpp).
  if (accepts_resumption(hello, ext)) return resume_session(actions);
  key_agreement_ = make_client_key_agreement(*suite, config_->groups, client_hello_->client_version);
  state_ = ClientState::wait_certificate;
}

// Step 3: the server's certificate chain (§7.4.2, received in step 2). The
// client checks it for purpose "server" and the name it asked for (RFC 6125),
// and reports what it found (PeerChainChecked).
void Client::on_certificate(ByteView body, Actions& actions) {
  Certificate certificate = Certificate::decode(body);
  check_certificate_chain_limits(certificate.certificate_list, config_->limits);
  x509::VerifyOptions options;
  options.purpose = x509::Purpose::server;
  const std::string& name = config_->verify_name ? *config_->verify_name : config_->server_name;
  if (x509::parse_ip_address(name))
    options.ip_address = name;
  else if (!name.empty())
    options.hostname = name;
  options.time = config_->verification_time;
  options.max_depth = config_->max_verify_depth;
  options.policy = config_->verification_policy;
  options.allow_common_name_fallback = config_->allow_common_name_fallback;
  const x509::TrustStore* trust = config_->verify_server_certificate ? config_->trust_store.get() : nullptr;
  negotiated_.peer =
      check_peer_certificates(std::move(certificate.certificate_list), trust, options, Sender::server, actions);
  // *_RSA_* suites need an RSA key, ECDHE_ECDSA suites an EC (P-256, P-384)
  // or Ed25519 key (RFC 8422 §2, §5.1.3).
  if (!key_fits_authentication(negotiated_.cipher_suite->authentication, *negotiated_.peer.leaf_key))
    throw TlsError(AlertDescription::unsupported_certificate,
                   "the server's certificate key is " + x509::describe(*negotiated_.peer.leaf_key) +
                       ", which " + std::string(negotiated_.cipher_suite->name) + " cannot use");
  // And its keyUsage must allow what the suite does with it (key_usage.h).
  check_key_usage(negotiated_.peer.leaf_key_usage, server_key_use(negotiated_.cipher_suite->key_exchange),
                  "the server's");
  state_ = negotiated_.cipher_suite->key_exchange == KeyExchange::rsa ? ClientState::wait_certificate_request
                                                                       : ClientState::wait_server_key_exchange;
}

// Step 2 (received, ECDHE and DHE): the server's ephemeral ECDH key or DH
// group and value, signed with its certificate key over client_random +
// server_random + params (§7.4.3, RFC 8422 §5.4). The signature is what ties
// the ephemeral key to the certificate; without checking it, anyone could sit
// in the middle.
void Client::on_server_key_exchange(ByteView body, Actions& actions) {
  ServerKeyExchange ske = ServerKeyExchange::decode(body, negotiated_.cipher_suite->key_exchange);
  const SignatureScheme scheme = ske.signed_params.algorithm;
  const x509::PublicKey& key = *negotiated_.peer.leaf_key;
  if (std::find(config_->signature_schemes.begin(), config_->signature_schemes.end(), scheme) ==
          config_->signature_schemes.end() ||
      !scheme_fits_key(scheme, key))
    throw TlsError(AlertDescription::illegal_parameter,
                   "ServerKeyExchange is signed with " + signature_scheme_name(scheme) +
                       ", which the client did not offer for the certificate's key");
  if (!verify_with_scheme(scheme, key, ske.signed_content(negotiated_.client_random, negotiated_.server_random),
                          ske.signed_params.signature))
    throw CheckFailed(SignatureChecked{"ServerKeyExchange", scheme, false}, AlertDescription::decrypt_error,
                      "ServerKeyExchange signature does not verify with the certificate's key");
  report(actions, SignatureChecked{"ServerKeyExchange", scheme, true});
  key_agreement_->process_server_params(ske.params);
  if (const auto* ecdh = std::get_if<ServerEcdhParams>(&ske.params)) negotiated_.group = ecdh->named_curve;
  if (const auto* dh = std::get_if<ServerDhParams>(&ske.params)) negotiated_.group = named_ffdhe_group(dh->dh_p);
  negotiated_.server_signature_scheme = scheme;
  state_ = ClientState::wait_certificate_request;
}

// Step 2 (received, mutual authentication): the server asks for our
// certificate (§7.4.4) and says which key types, signature schemes and CAs it
// accepts.
void Client::on_certificate_request(ByteView body, Actions&) {
  certificate_request_ = CertificateRequest::decode(body);
  negotiated_.client_certificate_requested = true;
  state_ = ClientState::wait_server_hello_done;
}

// ServerHelloDone (§7.4.5) ends step 2, the server's flight; the client
// answers with its whole flight:
//   5. Certificate, if asked (mutual authentication)
//   4. ClientKeyExchange: the premaster secret made and sent
//   6. the master_secret and key_block (the client's half)
//   5. CertificateVerify, if it sent a certificate with a key
//   7. ChangeCipherSpec and Finished
void Client::on_server_hello_done(ByteView body, Actions& actions) {
  ServerHelloDone::decode(body);
  if (certificate_request_) send_client_certificate(actions);

  // Step 4: the client encrypts the premaster secret to the server's public
  // key (RSA) or sends its ephemeral public key (ECDHE, DHE) (§7.4.7).
  ClientKeyExchangeResult exchange = key_agreement_->client_key_exchange(*negotiated_.peer.leaf_key);
  ClientKeyExchange cke;
  cke.key_exchange = negotiated_.cipher_suite->key_exchange;
  cke.exchange_keys = std::move(exchange.exchange_keys);
  send(cke.encode(), actions);

  // Step 6 (client's half): the session hash runs through ClientKeyExchange
  // (RFC 7627 §4), which binds the master_secret to this handshake.
  SessionKeys keys = derive_session_keys(negotiated_, exchange.pre_master_secret,
                                         negotiated_.extended_master_secret ? transcript_.current_hash() : crypto::Digest{},
                                         actions);
  master_secret_ = std::move(keys.master_secret);
  key_block_ = std::make_unique<KeyBlock>(std::move(keys.key_block));

  if (sent_client_certificate_with_key_) send_certificate_verify(actions);
  // No CertificateVerify can follow: only the running hash is needed now.
  transcript_.release_messages();

  // Step 7: ChangeCipherSpec (§7.1), then everything we send is protected
  // with client_write_key, starting with Finished.
  add_action(actions, SendChangeCipherSpec{});
  add_action(actions, InstallWriteKeys{client_write_keys(*negotiated_.cipher_suite, *key_block_,
                                                         negotiated_.encrypt_then_mac)});
  send_finished(actions);
  state_ = ClientState::wait_change_cipher_spec;
}

// Step 8 (received): the server's Finished (§7.4.9) proves it saw the same
// handshake and knows the master_secret (check_finished, session_keys.h).
void Client::on_finished(ByteView body, Actions& actions) {
  Finished finished = Finished::decode(body);
  check_finished(negotiated_, master_secret_, Sender::server, hash_before_finished_, finished, actions);
  negotiated_.server_verify_data = finished.verify_data;
  if (negotiated_.resumed) finish_abbreviated_handshake(actions);
  remember_session();
  add_action(actions, HandshakeComplete{});
  state_ = ClientState::connected;
  // What only the handshake needed goes now.
  key_agreement_.reset();
  key_block_.reset();
  client_hello_.reset();
  certificate_request_.reset();
}

void Client::release_finished_state() {
  if (state_ != ClientState::connected) return;
  transcript_ = Transcript{};
  hash_before_finished_ = crypto::Digest{};
  SecretBytes().swap(master_secret_);  // wiped as it goes
  Bytes().swap(server_session_id_);
  negotiated_.peer.leaf_key.reset();
  given_session_.reset();
  offered_session_.reset();
}

// Not one of the nine steps: HelloRequest (§7.4.1.1), ignored while a
// handshake is in progress (as the RFC says); once connected it asks for
// renegotiation, which tls12 refuses with a no_renegotiation warning (§7.2.2)
// and carries on.
void Client::on_hello_request(ByteView body, Actions& actions) {
  HelloRequest::decode(body);
  if (state_ == ClientState::connected) refuse_renegotiation(renegotiation_refusals_, "HelloRequest", actions);
}

// Every message we send enters the transcript as it goes out.
void Client::send(Bytes message, Actions& actions) {
  transcript_.add(message);
  add_action(actions, SendHandshake{std::move(message)});
}

// Step 5 (mutual authentication): our chain if the server accepts its key
// type (rsa_sign for RSA, ecdsa_sign for ECDSA and Ed25519, RFC 8422 §5.5) and a scheme
// we can make with it, else an empty Certificate (§7.4.6:
// "If no suitable certificate is available, the client MUST send a
// certificate message containing no certificates").
void Client::send_client_certificate(Actions& actions) {
  Certificate certificate;
  const auto& request = *certificate_request_;
  const auto& identity = config_->client_certificate;
  if (identity && identity->private_key) {
    const ClientCertificateType type = std::holds_alternative<crypto::RsaPrivateKey>(*identity->private_key)
                                           ? ClientCertificateType::rsa_sign
                                           : ClientCertificateType::ecdsa_sign;
    bool type_allowed = std::find(request.certificate_types.begin(), request.certificate_types.end(), type) !=
                        request.certificate_types.end();
    auto scheme = choose_scheme(config_->signature_schemes, request.supported_signature_algorithms,
                                *identity->private_key);
    if (!type_allowed) scheme.reset();
    if (scheme) {
      certificate.certificate_list = identity->certificate_chain;
      negotiated_.client_signature_scheme = scheme;
      sent_client_certificate_with_key_ = true;
    }
  }
  send(certificate.encode(), actions);
}

// Step 5 (mutual authentication): CertificateVerify (§7.4.8) signs every
// handshake message so far with our certificate's key, proving we hold it.
void Client::send_certificate_verify(Actions& actions) {
  const x509::PrivateKey& key = *config_->client_certificate->private_key;
  CertificateVerify verify;
  verify.signature.algorithm = *negotiated_.client_signature_scheme;
  verify.signature.signature = sign_with_scheme(verify.signature.algorithm, key, transcript_.messages());
  send(verify.encode(), actions);
}

// Step 7: our Finished (§7.4.9): PRF(master_secret, "client finished",
// Hash(handshake_messages))[0..11].
void Client::send_finished(Actions& actions) {
  Finished finished;
  finished.verify_data = compute_verify_data(negotiated_.cipher_suite->prf_hash, master_secret_, Sender::client,
                                             transcript_.current_hash());
  negotiated_.client_verify_data = finished.verify_data;
  send(finished.encode(), actions);
}

}  // namespace tls12::handshake
