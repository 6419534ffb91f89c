// Command-line spellings of the handshake settings of handshake/config.h,
// shared by `tls12 client`, `tls12 server` and `tls12 demo`: cipher-suite,
// group and signature-scheme lists (RFC 5246 §7.4.1.2, §7.4.1.4.1; RFC 8422
// §5.1.1), trace levels, certificates and keys with their passphrases, the
// key log, and the options that exist but whose feature does not yet.
//
// Every parser throws UsageError with one sentence naming the problem; the
// commands print it and exit with status 2.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "handshake/cipher_suites.h"
#include "handshake/config.h"
#include "protocol/connection.h"
#include "protocol/trace.h"
#include "x509/path_validation.h"

namespace tls12::tools {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A feature the option asks for that tls12 does not have yet: a UsageError
// "--OPTION: not supported yet (WHAT)".
[[noreturn]] void not_supported_yet(std::string_view option, std::string_view what);

// "A:B,C": RFC or OpenSSL names, separated by ':' or ','.
std::vector<std::string> split_list(std::string_view text);
std::vector<handshake::CipherSuite> parse_cipher_suites(std::string_view text,
                                                      std::string_view option = "--ciphers");
std::vector<handshake::NamedGroup> parse_groups(std::string_view text);
std::vector<handshake::SignatureScheme> parse_signature_schemes(std::string_view text);
protocol::TraceLevel parse_trace(std::string_view text);

// ALPN protocol names, comma-separated (RFC 7301 §3.1: each 1 to 255 bytes);
// an empty name is a UsageError, not silently dropped.
std::vector<std::string> parse_alpn(std::string_view text);
// --policy rfc5280|web (x509::Policy, docs/x509.md): which certificate rules
// the peer's chain must meet. Defined once for verify, client and server.
void add_policy_option(CLI::App& command, std::string& policy);
x509::Policy policy_from_option(const std::string& policy);
// The help text of --allow-cn-fallback (verify and client).
inline constexpr const char* kAllowCnFallbackHelp =
    "compatibility: match the host name against the subject commonName when the leaf has no subjectAltName "
    "(RFC 6125 §6.4.4 legacy; name constraints still apply to the CN)";

x509::PassphraseSource parse_passphrase(std::string_view text);
std::shared_ptr<const x509::TrustStore> load_trust_store(const std::string& file);
// Debian's bundle of the system's trusted roots (package ca-certificates),
// what curl and the client use when no --ca or --capath is given.
inline constexpr std::string_view kSystemTrustStore = "/etc/ssl/certs/ca-certificates.crt";
// Adds every certificate of a PEM file (`option` names the option in errors).
void add_trust_file(x509::TrustStore& store, const std::string& file, std::string_view option);
// Adds the certificates of every PEM file in a directory (like openssl
// -CApath, without needing the hashed names); returns how many files had one.
size_t add_trust_directory(x509::TrustStore& store, const std::string& directory);
// A PEM chain file (leaf first, then intermediates) and its key. An encrypted
// key without a passphrase source is asked for on the terminal when there is
// one (the prompt names the file), otherwise the error names --pass.
handshake::CertifiedKey load_certified_key(const std::string& chain_file, const std::string& key_file,
                                           const x509::PassphraseSource& passphrase);
// The same from PEM texts (the demo's embedded PKI).
handshake::CertifiedKey certified_key_from_pem(std::string_view chain_pem, std::string_view key_pem);

// The key log file to write: `option` if given, else (for `environment`, the
// client, as browsers and curl do) $SSLKEYLOGFILE, else "". A server writes
// one only when asked with --keylog: a long-running server must not start
// disclosing every connection's keys because of its environment.
enum class KeylogDefault { none, environment };
std::string keylog_path(const std::string& option, KeylogDefault fallback = KeylogDefault::none);

// "AB:CD:...": the SHA-256 of a certificate's DER, as browsers and
// `openssl x509 -fingerprint -sha256` show it.
std::string sha256_fingerprint(ByteView der);
// Subject, issuer, validity and fingerprint, one "name: value" line each.
std::string certificate_lines(ByteView der, std::string_view indent);

// "TLS 1.2 (0x0303)".
std::string version_name(uint16_t version);

// What a completed handshake decided, one "name: value" line each (version,
// suite, group, signature scheme, extended master secret, ALPN, session reuse,
// the peer's chain and its verification with the reason), each line prefixed
// by `indent`.
std::string connection_summary(const protocol::Connection& connection, std::string_view indent);

}  // namespace tls12::tools
