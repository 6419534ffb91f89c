// `tls12 verify`: certification path validation (RFC 5280 §6) from the command
// line, with the decisions a TLS client (--purpose server, the default) or
// server (--purpose client) would make about the peer's certificate chain.
//
//   tls12 verify --ca ca.pem [--untrusted intermediates.pem]
//                [--host NAME | --ip ADDRESS] [--at UNIX_SECONDS]
//                [--purpose server|client] [--allow-cn-fallback] leaf.pem
//
// Exit status: 0 the chain is valid; 1 it is not (one line on stderr naming the
// reason, the certificate and the rule); 2 usage errors or unreadable input.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "tools/commands.h"
#include "x509/path_validation.h"

namespace tls12::tools {

namespace {

struct VerifyArgs {
  std::string ca_file;
  std::string untrusted_file;
  std::string host;
  std::string ip;
  std::optional<int64_t> at;
  std::string purpose = "server";
  bool allow_cn_fallback = false;
  std::string leaf_file;
};

int run_verify(const VerifyArgs& a) {
  x509::TrustStore trust;
  std::vector<x509::Certificate> leaf_file_certs;
  std::vector<x509::Certificate> untrusted;
  try {
    trust = x509::TrustStore::from_pem_file(a.ca_file);
    leaf_file_certs = x509::load_certificates_file(a.leaf_file);
    if (!a.untrusted_file.empty()) untrusted = x509::load_certificates_file(a.untrusted_file);
  } catch (const std::exception& e) {
    std::cerr << "tls12 verify: " << e.what() << "\n";
    return kExitUsage;
  }
  // The first certificate of LEAF is the one verified; any further ones (a
  // server's bundle file) are offered as intermediates, as in a TLS Certificate message.
  for (size_t i = 1; i < leaf_file_certs.size(); ++i) untrusted.push_back(leaf_file_certs[i]);

  x509::VerifyOptions options;
  options.purpose = a.purpose == "client" ? x509::Purpose::client : x509::Purpose::server;
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
      "Exit status: 0 valid, 1 not valid (the reason on stderr), 2 usage error or unreadable input.");
  cmd->add_option("--ca", args->ca_file, "PEM file of trusted root certificates (trust anchors)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--untrusted", args->untrusted_file,
                  "PEM file of intermediate certificates that may be used to build the chain")
      ->check(CLI::ExistingFile);
  auto* host = cmd->add_option("--host", args->host,
                               "check that the leaf is valid for this DNS name (subjectAltName dNSName)");
  auto* ip = cmd->add_option("--ip", args->ip, "check that the leaf is valid for this IP address (subjectAltName iPAddress)");
  host->excludes(ip);
  ip->excludes(host);
  cmd->add_option("--at", args->at, "verify at this time, in seconds since 1970-01-01 UTC (default: now)");
  cmd->add_option("--purpose", args->purpose,
                  "what the leaf must be good for: 'server' (extKeyUsage serverAuth) or 'client' (clientAuth)")
      ->check(CLI::IsMember({"server", "client"}))
      ->capture_default_str();
  cmd->add_flag("--allow-cn-fallback", args->allow_cn_fallback,
                "compatibility: match --host against the subject commonName when the leaf has no subjectAltName");
  cmd->add_option("LEAF", args->leaf_file,
                  "PEM file whose first certificate is verified (further certificates count as intermediates)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->callback([args] { exit_status() = run_verify(*args); });
}

}  // namespace tls12::tools
