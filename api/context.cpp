// tls12::Context (include/tls12/tls12.h): certificates, keys, trust anchors
// and negotiation settings, turned into the protocol layer's ClientConfig or
// ServerConfig (protocol/config.h, handshake/config.h). Every mistake is
// reported here, when it is made, as Error(Kind::configuration) with a
// sentence naming it, rather than as a failed handshake later.
#include <stdexcept>

#include "api/context_state.h"
#include "handshake/cipher_suites.h"
#include "handshake/client_session_store.h"
#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "x509/certificate.h"
#include "x509/keys.h"

namespace tls12 {

namespace {

Error configuration_error(const std::string& what) { return Error(Error::Kind::configuration, what); }

// Runs a loader, turning its exception into a configuration Error that
// says what was being loaded.
template <class F>
auto loading(const std::string& what, F&& load) {
  try {
    return load();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw configuration_error(what + ": " + e.what());
  }
}

x509::PassphraseSource passphrase_source(const std::string& passphrase) {
  if (passphrase.empty()) return {};
  return x509::PassphraseSource{x509::PassphraseSource::Kind::value, passphrase};
}

std::string_view as_text(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Once both halves are in, the pair goes where the role uses it; a key that
// is not the certificate's is refused now (CertifiedKey's check).
void pair_credentials(Context::State& s) {
  if (s.chain_der.empty() || !s.key) return;
  handshake::CertifiedKey pair;
  try {
    pair = handshake::CertifiedKey::from_parts(s.chain_der, s.key, s.chain_name, s.key_name);
  } catch (const std::exception& e) {
    throw configuration_error(e.what());  // already names both halves
  }
  if (s.role == Role::server)
    s.server.certificate = std::move(pair);
  else
    s.client.client_certificate = std::move(pair);
}

// A new store each time: Streams made earlier keep the anchors they started with.
x509::TrustStore& trust_store(Context::State& s) {
  s.trust = s.trust ? std::make_shared<x509::TrustStore>(*s.trust) : std::make_shared<x509::TrustStore>();
  s.common().trust_store = s.trust;
  return *s.trust;
}

}  // namespace

Context Context::client() {
  auto state = std::make_shared<State>();
  state->role = Role::client;
  // Stream::session() works without a cache, as SSL_get1_session does.
  state->client.keep_session = true;
  return Context(std::move(state));
}

Context Context::server() {
  auto state = std::make_shared<State>();
  state->role = Role::server;
  return Context(std::move(state));
}

Role Context::role() const { return state_->role; }

Context::State& Context::edit() {
  state_->built_client.reset();
  state_->built_server.reset();
  return *state_;
}

Context& Context::use_certificate_chain_file(const std::string& path) {
  State& s = edit();
  std::vector<Bytes> chain;
  loading(path, [&] {
    for (const auto& cert : x509::load_certificates_file(path)) chain.push_back(cert.der());
    return 0;
  });
  if (chain.empty()) throw configuration_error("no certificate in " + path);
  s.chain_der = std::move(chain);
  s.chain_name = path;
  pair_credentials(s);
  return *this;
}

Context& Context::use_private_key_file(const std::string& path, const std::string& passphrase) {
  State& s = edit();
  s.key = loading(path, [&] {
    return std::make_shared<const x509::PrivateKey>(x509::load_private_key_file(path, passphrase_source(passphrase)));
  });
  s.key_name = "the key in " + path;
  pair_credentials(s);
  return *this;
}

Context& Context::use_certificate_chain(std::span<const uint8_t> pem_or_der) {
  State& s = edit();
  std::vector<Bytes> chain = loading("certificate chain", [&] { return x509::certificate_ders(as_text(pem_or_der)); });
  if (chain.empty()) throw configuration_error("no certificate in the certificate chain given");
  // Parsed now so that a broken certificate is named here, not in a handshake.
  loading("certificate chain", [&] { return x509::Certificate::parse(chain.front()); });
  s.chain_der = std::move(chain);
  s.chain_name = "the certificate chain given";
  pair_credentials(s);
  return *this;
}

Context& Context::use_private_key(std::span<const uint8_t> pem_or_der, const std::string& passphrase) {
  State& s = edit();
  s.key = loading("private key", [&] {
    return std::make_shared<const x509::PrivateKey>(x509::load_private_key(pem_or_der, passphrase_source(passphrase)));
  });
  s.key_name = "the private key given";
  pair_credentials(s);
  return *this;
}

Context& Context::load_verify_file(const std::string& path) {
  State& s = edit();
  auto anchors = loading(path, [&] { return x509::load_certificates_file(path); });
  if (anchors.empty()) throw configuration_error("no certificate in " + path);
  x509::TrustStore& store = trust_store(s);
  for (auto& anchor : anchors) store.add(std::move(anchor));
  return *this;
}

Context& Context::add_trust_anchor(std::span<const uint8_t> pem_or_der) {
  State& s = edit();
  size_t added = loading("trust anchor", [&] { return trust_store(s).add_pem_or_der(pem_or_der); });
  if (added == 0) throw configuration_error("no certificate in the trust anchor given");
  return *this;
}

Context& Context::verify(Verify mode) {
  State& s = edit();
  if (s.role == Role::client) {
    if (mode == Verify::optional)
      throw configuration_error("Verify::optional is for servers: a client verifies the server (required) or not (none)");
    s.client.verify_server_certificate = mode == Verify::required;
  } else {
    s.server.client_authentication = mode == Verify::none       ? protocol::ClientAuthentication::none
                                     : mode == Verify::optional ? protocol::ClientAuthentication::optional
                                                                : protocol::ClientAuthentication::required;
  }
  return *this;
}

Context& Context::verification_policy(const std::string& name) {
  State& s = edit();
  std::optional<x509::Policy> policy = x509::parse_policy(name);
  if (!policy) throw configuration_error("unknown verification policy \"" + name + "\" (rfc5280 or web)");
  s.common().verification_policy = *policy;
  return *this;
}

Context& Context::verify_depth(size_t depth) {
  edit().common().max_verify_depth = depth;
  return *this;
}

Context& Context::cipher_suites(const std::vector<std::string>& names) {
  std::vector<handshake::CipherSuite> suites;
  for (const auto& name : names) {
    const auto* info = handshake::find_cipher_suite(std::string_view(name));
    if (info == nullptr) throw configuration_error("unknown cipher suite \"" + name + "\"");
    suites.push_back(info->id);
  }
  if (suites.empty()) throw configuration_error("an empty list of cipher suites");
  edit().common().cipher_suites = std::move(suites);
  return *this;
}

Context& Context::groups(const std::vector<std::string>& names) {
  std::vector<handshake::NamedGroup> groups;
  for (const auto& name : names) {
    auto group = handshake::find_named_group(name);
    if (!group || !handshake::is_supported(*group))
      throw configuration_error("unknown or unsupported group \"" + name + "\"");
    groups.push_back(*group);
  }
  edit().common().groups = std::move(groups);
  return *this;
}

Context& Context::alpn_protocols(const std::vector<std::string>& protocols) {
  State& s = edit();
  for (const auto& protocol : protocols)
    if (protocol.empty() || protocol.size() > 255)
      throw configuration_error("an ALPN protocol name is 1 to 255 bytes (RFC 7301 §3.1)");
  if (s.role == Role::client)
    s.client.alpn_protocols = protocols;
  else
    s.server.alpn_protocols = protocols;
  return *this;
}

Context& Context::session_cache(bool on) {
  State& s = edit();
  if (s.role == Role::client)
    s.client.session_store = on ? std::make_shared<handshake::ClientSessionStore>() : nullptr;
  else
    s.server.session_cache = on ? std::make_shared<handshake::SessionCache>() : nullptr;
  return *this;
}

Context& Context::session_tickets(bool on) {
  State& s = edit();
  if (s.role == Role::client)
    s.client.session_tickets = on;
  else
    s.server.ticket_keys = on ? std::make_shared<handshake::SessionTicketKeys>() : nullptr;
  return *this;
}

Context& Context::handshake_timeout(std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) throw configuration_error("the handshake timeout must be positive");
  edit().handshake_timeout = timeout;
  return *this;
}

// ---------------------------------------------------------------- for Stream

// Half a pair is a mistake the handshake would only show as a failure.
namespace {

void check_pair_complete(const Context::State& s) {
  if (!s.chain_der.empty() && !s.key)
    throw configuration_error("the context has a certificate chain (" + s.chain_name +
                              ") but no private key: call use_private_key_file()");
  if (s.chain_der.empty() && s.key)
    throw configuration_error("the context has a private key but no certificate chain: call "
                              "use_certificate_chain_file()");
}

}  // namespace

std::shared_ptr<const protocol::ClientConfig> client_config(Context::State& s) {
  std::lock_guard lock(s.build_mutex);
  if (!s.built_client) {
    check_pair_complete(s);
    if (s.client.verify_server_certificate && (!s.trust || s.trust->empty()))
      throw configuration_error("a client context without trust anchors cannot verify the server: call "
                                "load_verify_file() (or verify(Verify::none) for tests)");
    s.built_client = std::make_shared<const protocol::ClientConfig>(s.client);
  }
  return s.built_client;
}

std::shared_ptr<const protocol::ServerConfig> server_config(Context::State& s) {
  std::lock_guard lock(s.build_mutex);
  if (!s.built_server) {
    if (s.chain_der.empty() && !s.key)
      throw configuration_error("a server context needs a certificate chain and its private key: call "
                                "use_certificate_chain_file() and use_private_key_file()");
    check_pair_complete(s);
    if (s.server.client_authentication != protocol::ClientAuthentication::none && (!s.trust || s.trust->empty()))
      throw configuration_error("a server that asks for client certificates needs trust anchors: call "
                                "load_verify_file()");
    s.built_server = std::make_shared<const protocol::ServerConfig>(s.server);
  }
  return s.built_server;
}

}  // namespace tls12
