// Command-line spellings of the handshake settings (see tls_options.h).
#include "tools/tls_options.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "crypto/sha2.h"
#include "protocol/printable.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/pem.h"
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

std::vector<std::string> parse_alpn(std::string_view text) {
  std::vector<std::string> out;
  if (text.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(',', start);
    std::string_view name = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (name.empty() || name.size() > 255)
      throw UsageError("--alpn: each protocol name must be 1 to 255 bytes ('" + std::string(text) + "')");
    out.emplace_back(name);
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
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

void add_trust_file(x509::TrustStore& store, const std::string& file, std::string_view option) {
  try {
    size_t before = store.anchors().size();
    store.add_pem(x509::read_text_file(file));
    if (store.anchors().size() == before) throw std::runtime_error("no certificate in the file");
  } catch (const std::exception& e) {
    throw UsageError(std::string(option) + " " + file + ": " + e.what());
  }
}

size_t add_trust_directory(x509::TrustStore& store, const std::string& directory) {
  std::error_code ec;
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) throw UsageError("--capath " + directory + ": " + ec.message());
  size_t files = 0;
  for (const auto& entry : it) {
    if (!entry.is_regular_file(ec)) continue;
    try {
      size_t before = store.anchors().size();
      store.add_pem(x509::read_text_file(entry.path()));
      if (store.anchors().size() > before) ++files;
    } catch (const std::exception&) {
      // Not a certificate file (a hash link's target is read once as itself).
    }
  }
  if (files == 0) throw UsageError("--capath " + directory + ": no PEM certificate file in the directory");
  return files;
}

namespace {

bool is_encrypted_key_file(const std::string& key_file) {
  try {
    return x509::read_text_file(key_file).find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos;
  } catch (const std::exception&) {
    return false;  // unreadable: the load below says why
  }
}

bool have_terminal() { return ::isatty(0) != 0 || ::isatty(2) != 0; }

// "The key does not belong to the certificate" most often means the chain
// file starts with the CA: say so, since the order is the fix.
std::string hint_for(const std::string& message, const std::string& chain_file) {
  if (message.find("does not belong") == std::string::npos) return message;
  try {
    auto chain = x509::parse_certificates_pem(x509::read_text_file(chain_file));
    if (chain.size() > 1 && chain.front().is_self_issued())
      return message + " (the file starts with a CA certificate: put the server's own certificate first, "
                       "then the intermediates, e.g. cat server.crt ca.crt > bundle.crt)";
  } catch (const std::exception&) {
  }
  return message;
}

}  // namespace

handshake::CertifiedKey load_certified_key(const std::string& chain_file, const std::string& key_file,
                                           const x509::PassphraseSource& passphrase) {
  x509::PassphraseSource source = passphrase;
  if (source.kind == x509::PassphraseSource::Kind::none && is_encrypted_key_file(key_file)) {
    if (!have_terminal())
      throw UsageError("--key " + key_file + " is encrypted: give its passphrase with --pass "
                       "(pass:TEXT, env:VAR, file:PATH or prompt)");
    source.kind = x509::PassphraseSource::Kind::prompt;
  }
  if (source.kind == x509::PassphraseSource::Kind::prompt) source.argument = key_file;
  try {
    return handshake::CertifiedKey::load(chain_file, key_file, source);
  } catch (const std::exception& e) {
    throw UsageError("--cert " + chain_file + " / --key " + key_file + ": " + hint_for(e.what(), chain_file));
  }
}

handshake::CertifiedKey certified_key_from_pem(std::string_view chain_pem, std::string_view key_pem) {
  handshake::CertifiedKey out;
  for (const auto& cert : x509::parse_certificates_pem(chain_pem)) out.certificate_chain.push_back(cert.der());
  out.private_key = std::make_shared<const x509::PrivateKey>(x509::load_private_key_pem(key_pem));
  return out;
}

std::string keylog_path(const std::string& option, KeylogDefault fallback) {
  if (!option.empty() || fallback == KeylogDefault::none) return option;
  const char* env = std::getenv("SSLKEYLOGFILE");
  return env != nullptr ? env : "";
}

std::string sha256_fingerprint(ByteView der) {
  auto digest = crypto::sha256(der);
  std::string hex = to_hex(digest), out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    if (!out.empty()) out += ':';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i])));
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(hex[i + 1])));
  }
  return out;
}

std::string certificate_lines(ByteView der, std::string_view indent) {
  const std::string in(indent);
  try {
    auto cert = x509::Certificate::parse(der);
    return in + "subject: " + protocol::printable(cert.display_name()) + "\n" + in +
           "issuer: " + protocol::printable(cert.issuer.to_string()) + "\n" + in +
           "validity: " + x509::format_time(cert.not_before) + " to " + x509::format_time(cert.not_after) + "\n" +
           in + "SHA-256 fingerprint: " + sha256_fingerprint(der) + "\n";
  } catch (const std::exception& e) {
    return in + "(unparsable: " + protocol::printable(e.what()) + ")\n" + in + "SHA-256 fingerprint: " + sha256_fingerprint(der) + "\n";
  }
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
  // Values quote the peer (server name, ALPN, certificate names): printable.
  auto line = [&](std::string_view name, const std::string& value) {
    out += std::string(indent) + std::string(name) + ": " + protocol::printable(value) + "\n";
  };
  line("Protocol", version_name(n.version));
  line("Cipher suite", n.cipher_suite != nullptr ? std::string(n.cipher_suite->name) + " (" +
                                                       std::string(n.cipher_suite->openssl_name) + ")"
                                                 : "none");
  // An abbreviated handshake (§7.3 Figure 2) exchanges no keys and signs
  // nothing: its group and scheme are those of an earlier connection.
  const std::string absent = n.resumed ? "none (resumed: no key exchange in this handshake)" : "none (RSA key exchange)";
  line("Group", n.group ? handshake::named_group_name(*n.group) : absent);
  auto scheme = connection.signature_scheme();
  line("Signature scheme", scheme ? handshake::signature_scheme_name(*scheme) : absent);
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
      out += std::string(indent) + peer + " certificate " + std::to_string(i) + ":\n";
      out += certificate_lines(chain[i], std::string(indent) + "  ");
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
