// `tls12 verify`: certification path validation (RFC 5280 §6) from the command
// line, with the decisions a TLS client (--purpose server, the default) or
// server (--purpose client) would make about the peer's certificate chain.
//
//   tls12 verify --ca ca.pem [--untrusted intermediates.pem]
//                [--host NAME | --ip ADDRESS] [--at UNIX_SECONDS]
//                [--purpose server|client] [--policy rfc5280|web]
//                [--allow-cn-fallback] leaf.pem
//
// Exit status: 0 the chain is valid; 1 it is not (one line on stderr naming the
// reason, the certificate and the rule), including a certificate that does
// not parse; 2 usage errors or unreadable input (a missing file, a file with
// no CERTIFICATE block).
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "tools/commands.h"
#include "tools/tls_options.h"
#include "x509/path_validation.h"
#include "x509/pem.h"

namespace tls12::tools {

namespace {

struct VerifyArgs {
  std::string ca_file;
  std::string untrusted_file;
  std::string host;
  std::string ip;
  std::optional<int64_t> at;
  std::string purpose = "server";
  std::string policy = "rfc5280";
  bool allow_cn_fallback = false;
  std::string leaf_file;
};

// A file's certificates. A file that cannot be read or holds no certificate
// is a usage error (UnreadableInput); a certificate that does not parse is a
// rejected chain (MalformedChain), as it would be in a TLS Certificate message.
struct MalformedChain : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct UnreadableInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<x509::Certificate> read_certificates(const std::string& file) {
  std::vector<Bytes> blocks;
  try {
    blocks = x509::certificate_ders(x509::read_text_file(file));
  } catch (const std::exception& e) {
    throw UnreadableInput(file + ": " + e.what());
  }
  if (blocks.empty()) throw UnreadableInput(file + ": no CERTIFICATE block found");
  std::vector<x509::Certificate> out;
  for (size_t i = 0; i < blocks.size(); ++i) {
    try {
      out.push_back(x509::Certificate::parse(blocks[i]));
    } catch (const std::exception& e) {
      throw MalformedChain("certificate " + std::to_string(i) + " of " + file + " does not parse: " + e.what() +
                           " (RFC 5280 §4.1, X.690 DER)");
    }
  }
  return out;
}

int run_verify(const VerifyArgs& a) {
  x509::TrustStore trust;
  std::vector<x509::Certificate> leaf_file_certs;
  std::vector<x509::Certificate> untrusted;
  try {
    for (auto& c : read_certificates(a.ca_file)) trust.add(std::move(c));
    leaf_file_certs = read_certificates(a.leaf_file);
    if (!a.untrusted_file.empty()) untrusted = read_certificates(a.untrusted_file);
  } catch (const UnreadableInput& e) {
    std::cerr << "tls12 verify: " << e.what() << "\n";
    return kExitUsage;
  } catch (const MalformedChain& e) {
    std::cerr << "tls12 verify: " << x509::reason_name(x509::Reason::malformed) << ": " << e.what() << "\n";
    return kExitFailed;
  }
  // The first certificate of LEAF is the one verified; any further ones (a
  // server's bundle file) are offered as intermediates, as in a TLS Certificate message.
  for (size_t i = 1; i < leaf_file_certs.size(); ++i) untrusted.push_back(leaf_file_certs[i]);

  x509::VerifyOptions options;
  options.purpose = a.purpose == "client" ? x509::Purpose::client : x509::Purpose::server;
  options.policy = policy_from_option(a.policy);
  if (!a.host.empty()) options.hostname = a.host;
  if (!a.ip.empty()) options.ip_address = a.ip;
  options.time = a.at;
  options.allow_common_name_fallback = a.allow_cn_fallback;
  x509::VerifyResult result;
  try {
    result = x509::verify_chain(leaf_file_certs.front(), untrusted, trust, options);
  } catch (const std::invalid_argument& e) {
    std::cerr << "tls12 verify: " << e.what() << "\n";
    return kExitUsage;
  }
  if (!result.ok()) {
    std::cerr << "tls12 verify: " << x509::reason_name(result.reason) << ": " << result.message << "\n";
    return kExitFailed;
  }
  std::cout << a.leaf_file << ": OK\n";
  for (size_t i = 0; i < result.chain.size(); ++i)
    std::cout << "  " << i << " " << result.chain[i].display_name()
              << (i + 1 == result.chain.size() ? "  (trust anchor)" : "") << "\n";
  return kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify a certificate chain as a TLS peer would (RFC 5280 path validation, RFC 6125 host names).\n"
      "Exit status: 0 valid, 1 not valid (the reason on stderr; a certificate that does not parse is not valid),\n"
      "2 usage error or unreadable input.\n"
      "Stricter than `openssl verify` on purpose (docs/x509.md lists each difference and its rule): SHA-1\n"
      "signatures, host names only from subjectAltName, name constraints on every name form, and the\n"
      "certificate profile of --policy.");
  cmd->add_option("--ca", args->ca_file, "PEM file of trusted root certificates (trust anchors)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--untrusted", args->untrusted_file,
                  "PEM file of intermediate certificates that may be used to build the chain")
      ->check(CLI::ExistingFile);
  // An empty name would silently check nothing: refused as a usage error.
  auto* host = cmd->add_option("--host", args->host,
                               "check that the leaf is valid for this DNS name (subjectAltName dNSName)")
                   ->check(CLI::Validator(
                       [](std::string& value) { return value.empty() ? std::string("must not be empty") : ""; },
                       "NAME"));
  auto* ip = cmd->add_option("--ip", args->ip, "check that the leaf is valid for this IP address (subjectAltName iPAddress)");
  host->excludes(ip);
  ip->excludes(host);
  cmd->add_option("--at", args->at, "verify at this time, in seconds since 1970-01-01 UTC (default: now)");
  cmd->add_option("--purpose", args->purpose,
                  "what the leaf must be good for: 'server' (extKeyUsage serverAuth) or 'client' (clientAuth)")
      ->check(CLI::IsMember({"server", "client"}))
      ->capture_default_str();
  add_policy_option(*cmd, args->policy);
  cmd->add_flag("--allow-cn-fallback", args->allow_cn_fallback, kAllowCnFallbackHelp);
  cmd->add_option("LEAF", args->leaf_file,
                  "PEM file whose first certificate is verified (further certificates count as intermediates)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->callback([args] { exit_status() = run_verify(*args); });
}

}  // namespace tls12::tools
