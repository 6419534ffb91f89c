// Command-line spellings of the handshake settings (see tls_options.h).
#include "tools/tls_options.h"

#include <cstdio>
#include <cstdlib>

#include "x509/certificate.h"
#include "x509/keys.h"

namespace tls12::tools {

using handshake::CipherSuite;
using handshake::KeyExchange;

void not_supported_yet(std::string_view option, std::string_view what) {
  throw UsageError(std::string(option) + ": not supported yet (" + std::string(what) + ")");
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(":,", start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<CipherSuite> parse_cipher_suites(std::string_view text, std::string_view option) {
  const std::string opt(option);
  std::vector<CipherSuite> out;
  for (const auto& name : split_list(text)) {
    const auto* info = handshake::find_cipher_suite(std::string_view(name));
    if (info == nullptr) throw UsageError(opt + ": unknown cipher suite '" + name + "'");
    out.push_back(info->id);
  }
  if (out.empty()) throw UsageError(opt + ": the list is empty");
  return out;
}

std::vector<handshake::NamedGroup> parse_groups(std::string_view text) {
  std::vector<handshake::NamedGroup> out;
  for (const auto& name : split_list(text)) {
    auto group = handshake::find_named_group(name);
    if (!group) throw UsageError("--groups: unknown group '" + name + "'");
    if (!handshake::is_supported(*group)) not_supported_yet("--groups", "group " + name);
    out.push_back(*group);
  }
  if (out.empty()) throw UsageError("--groups: the list is empty");
  return out;
}

std::vector<handshake::SignatureScheme> parse_signature_schemes(std::string_view text) {
  std::vector<handshake::SignatureScheme> out;
  for (const auto& name : split_list(text)) {
    const auto* info = handshake::find_signature_scheme(std::string_view(name));
    if (info == nullptr) throw UsageError("--sigalgs: unknown signature scheme '" + name + "'");
    if (!info->supported) not_supported_yet("--sigalgs", "signature scheme " + name);
    out.push_back(info->scheme);
  }
  if (out.empty()) throw UsageError("--sigalgs: the list is empty");
  return out;
}

protocol::TraceLevel parse_trace(std::string_view text) {
  auto level = protocol::parse_trace_level(text);
  if (!level) throw UsageError("--trace: unknown level '" + std::string(text) + "' (messages, bytes or secrets)");
  return *level;
}

void add_policy_option(CLI::App& command, std::string& policy) {
  command
      .add_option("--policy", policy,
                  "certificate rules for the peer's chain: 'rfc5280' (what every conforming verifier enforces) or "
                  "'web' (rfc5280 plus the CA/Browser Forum certificate profile, as browsers enforce)")
      ->check(CLI::IsMember({"rfc5280", "web"}))
      ->default_str("rfc5280");
}

x509::Policy policy_from_option(const std::string& policy) {
  if (policy.empty()) return x509::Policy::rfc5280;
  auto p = x509::parse_policy(policy);
  if (!p) throw UsageError("--policy: unknown policy '" + policy + "' (rfc5280 or web)");
  return *p;
}

x509::PassphraseSource parse_passphrase(std::string_view text) {
  if (text.empty()) return {};
  try {
    return x509::PassphraseSource::parse(text);
  } catch (const std::exception& e) {
    throw UsageError(std::string("--pass: ") + e.what());
  }
}

std::shared_ptr<const x509::TrustStore> load_trust_store(const std::string& file) {
  try {
    auto store = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(file));
    if (store->empty()) throw std::runtime_error("no certificate in the file");
    return store;
  } catch (const std::exception& e) {
    throw UsageError("--ca " + file + ": " + e.what());
  }
}

handshake::CertifiedKey load_certified_key(const std::string& chain_file, const std::string& key_file,
                                           const x509::PassphraseSource& passphrase) {
  try {
    return handshake::CertifiedKey::load(chain_file, key_file, passphrase);
  } catch (const std::exception& e) {
    throw UsageError("--cert " + chain_file + " / --key " + key_file + ": " + e.what());
  }
}

handshake::CertifiedKey certified_key_from_pem(std::string_view chain_pem, std::string_view key_pem) {
  handshake::CertifiedKey out;
  for (const auto& cert : x509::parse_certificates_pem(chain_pem)) out.certificate_chain.push_back(cert.der());
  out.private_key = std::make_shared<const x509::PrivateKey>(x509::load_private_key_pem(key_pem));
  return out;
}

std::string keylog_path(const std::string& option) {
  if (!option.empty()) return option;
  const char* env = std::getenv("SSLKEYLOGFILE");
  return env != nullptr ? env : "";
}

std::string version_name(uint16_t version) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%04x", version);
  std::string name = version == 0x0303 ? "TLS 1.2" : version == 0x0302 ? "TLS 1.1" : "unknown";
  return name + " (" + hex + ")";
}

std::string connection_summary(const protocol::Connection& connection, std::string_view indent) {
  const auto& n = connection.negotiated();
  std::string out;
  auto line = [&](std::string_view name, const std::string& value) {
    out += std::string(indent) + std::string(name) + ": " + value + "\n";
  };
  line("Protocol", version_name(n.version));
  line("Cipher suite", n.cipher_suite != nullptr ? std::string(n.cipher_suite->name) + " (" +
                                                       std::string(n.cipher_suite->openssl_name) + ")"
                                                 : "none");
  line("Group", n.group ? handshake::named_group_name(*n.group) : "none (RSA key exchange)");
  auto scheme = connection.signature_scheme();
  line("Signature scheme", scheme ? handshake::signature_scheme_name(*scheme) : "none (RSA key exchange)");
  line("Extended master secret", n.extended_master_secret ? "yes (RFC 7627)" : "no");
  line("Server name", n.server_name.empty() ? "none" : n.server_name);
  line("ALPN", n.alpn_protocol.empty() ? "none" : n.alpn_protocol);
  line("Session reused", n.resumed ? "yes (abbreviated handshake, §7.3)" : "no");
  const auto& chain = connection.peer_certificate_chain();
  std::string peer = connection.role() == protocol::Role::client ? "Server" : "Client";
  if (chain.empty()) {
    line(peer + " certificate", "none");
  } else {
    for (size_t i = 0; i < chain.size(); ++i) {
      std::string name;
      try {
        name = x509::Certificate::parse(chain[i]).display_name();
      } catch (const std::exception& e) {
        name = std::string("(unparsable: ") + e.what() + ")";
      }
      line(peer + " certificate " + std::to_string(i), name);
    }
    const auto& check = n.peer;
    line("Verification", !check.checked ? "not checked"
                         : check.verified() ? "OK"
                                            : std::string(x509::reason_name(check.verification)) + ": " +
                                                  check.verification_message);
  }
  return out;
}

}  // namespace tls12::tools
