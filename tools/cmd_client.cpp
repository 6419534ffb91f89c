// `tls12 client HOST:PORT`: a TLS 1.2 client, like `openssl s_client`, for
// trying the client side of RFC 5246 against real servers.
//
//   tls12 client HOST:PORT [--ca ca.crt | --capath DIR] [--cert client.crt --key client.key [--pass SPEC]]
//                [--servername NAME] [--ciphers LIST] [--groups LIST] [--sigalgs LIST]
//                [--keylog FILE] [--trace[=messages|bytes|secrets]] [--insecure] [--illustrate PAGE.html]
//
// It handshakes, prints a summary of what was negotiated and how the server's
// chain was verified (on standard error, so that standard output carries only
// the server's data), then copies standard input to the connection and the
// connection to standard output until either side closes (stdio_copy.h says
// what happens at the end of standard input). Without --ca or --capath the
// server is checked against the system's roots, as curl does.
//
// Exit status: 0 clean end; 1 handshake failure or a connection that ended
// without close_notify; 2 usage errors.
#include <iostream>
#include <memory>

#include "handshake/client_session_store.h"
#include "protocol/connection.h"
#include "protocol/socket.h"
#include "protocol/trace.h"
#include "tools/illustrate_pages.h"
#include "tools/commands.h"
#include "tools/net.h"
#include "tools/stdio_copy.h"
#include "x509/pem.h"
#include "tools/tls_options.h"

namespace tls12::tools {

namespace {

struct ClientArgs {
  std::string address;
  std::string ca;
  std::string capath;
  std::string cert;
  std::string key;
  std::string pass;
  std::string servername;
  std::string alpn;
  std::string ciphers;
  std::string groups;
  std::string sigalgs;
  bool reconnect = false;
  std::string sess_out;
  std::string sess_in;
  std::string keylog;
  std::string trace = "off";
  std::string illustrate;
  bool insecure = false;
  std::string policy = "rfc5280";
  bool allow_cn_fallback = false;
  int timeout_seconds = 10;
  bool showcerts = false;
  bool quiet = false;
  bool brief = false;
  bool ign_eof = false;
  bool close_at_eof = false;
  bool no_ticket = false;
  bool crlf = false;
  std::string verify_hostname;
  bool noservername = false;
  int verify_depth = 10;
  bool ciphers_given = false;  // --ciphers '' is an error, not the default list
};

std::string session_key(const protocol::ClientConfig& config) {
  return handshake::session_store_key(config.server_name, config.server_port);
}

// --ca and --capath, or the system's roots when neither is given.
std::shared_ptr<const x509::TrustStore> client_trust_store(const ClientArgs& a) {
  auto store = std::make_shared<x509::TrustStore>();
  if (!a.ca.empty()) add_trust_file(*store, a.ca, "--ca");
  if (!a.capath.empty()) add_trust_directory(*store, a.capath);
  if (a.ca.empty() && a.capath.empty()) {
    try {
      add_trust_file(*store, std::string(kSystemTrustStore), "the system trust store");
    } catch (const UsageError& e) {
      throw UsageError(std::string(e.what()) +
                       " (install Debian's ca-certificates, or give the server's CA with --ca)");
    }
  }
  return store;
}

void check_client_args(const ClientArgs& a) {
  if (a.cert.empty() != a.key.empty()) throw UsageError("--cert and --key go together");
  if (a.timeout_seconds < 1) throw UsageError("--timeout: must be at least 1 second");
  if (a.ign_eof && a.close_at_eof) throw UsageError("--ign-eof and --close-at-eof exclude each other");
  if (a.quiet && a.brief) throw UsageError("--quiet and --brief exclude each other");
  if (a.verify_depth < 1) throw UsageError("--verify-depth: must be at least 1");
}

protocol::ClientConfig make_config(const ClientArgs& a, const HostPort& target) {
  check_client_args(a);
  protocol::ClientConfig config;
  config.server_name = a.servername.empty() ? target.host : a.servername;
  if (!a.insecure || !a.ca.empty() || !a.capath.empty()) config.trust_store = client_trust_store(a);
  if (a.insecure) config.verify_server_certificate = false;
  config.verification_policy = policy_from_option(a.policy);
  config.allow_common_name_fallback = a.allow_cn_fallback;
  if (!a.cert.empty()) config.client_certificate = load_certified_key(a.cert, a.key, parse_passphrase(a.pass));
  if (a.ciphers_given) config.cipher_suites = parse_cipher_suites(a.ciphers);
  if (!a.groups.empty()) config.groups = parse_groups(a.groups);
  if (!a.sigalgs.empty()) config.signature_schemes = parse_signature_schemes(a.sigalgs);
  config.alpn_protocols = parse_alpn(a.alpn);
  config.session_tickets = !a.no_ticket;
  config.send_server_name = !a.noservername;
  if (!a.verify_hostname.empty()) config.verify_name = a.verify_hostname;
  config.max_verify_depth = static_cast<size_t>(a.verify_depth);
  // Sessions are kept in memory for --reconnect, and go to / come from a file
  // for --sess-out / --sess-in.
  if (a.reconnect || !a.sess_in.empty() || !a.sess_out.empty()) {
    config.session_store = std::make_shared<handshake::ClientSessionStore>();
    config.server_port = target.port;
    if (!a.sess_in.empty()) {
      try {
        config.session_store->store(session_key(config), handshake::load_client_session(a.sess_in));
      } catch (const std::exception& e) {
        throw UsageError("--sess-in " + a.sess_in + ": " + e.what());
      }
    }
  }
  config.keylog_file = keylog_path(a.keylog, KeylogDefault::environment);
  auto level = parse_trace(a.trace);
  if (level != protocol::TraceLevel::off) config.observer = protocol::trace_observer(std::cerr, level, "client");
  return config;
}

CopyOptions copy_options(const ClientArgs& a) {
  CopyOptions options;
  options.at_end_of_input = a.ign_eof        ? AtEndOfInput::wait_for_server
                            : a.close_at_eof ? AtEndOfInput::close
                                             : AtEndOfInput::wait_for_quiet;
  options.timeout = std::chrono::seconds(a.timeout_seconds);
  options.crlf = a.crlf;
  return options;
}

// What the user sees once the handshake is done, on standard error.
void print_connected(const ClientArgs& a, const HostPort& target, const protocol::Connection& connection) {
  if (a.quiet) return;
  if (a.brief) {
    const auto& n = connection.negotiated();
    std::cerr << "Connected to " << target.host << ":" << target.port << ": " << version_name(n.version) << ", "
              << (n.cipher_suite != nullptr ? std::string(n.cipher_suite->name) : "?") << ", verification "
              << (connection.peer_verified() ? "OK" : "not done") << "\n";
    return;
  }
  std::cerr << "Connected to " << target.host << ":" << target.port << "\n" << connection_summary(connection, "  ");
  if (a.showcerts)
    for (const Bytes& der : connection.peer_certificate_chain()) std::cerr << x509::encode_pem("CERTIFICATE", der);
  std::cerr << "---\n";
}

// A failed handshake, with what the alert most likely means when the reason
// is not in the alert itself.
std::string handshake_failure_hint(const protocol::Connection& connection, const ClientArgs& a) {
  const auto& received = connection.alert_received();
  if (received && received->description == record::AlertDescription::handshake_failure &&
      connection.negotiated().client_certificate_requested && a.cert.empty())
    return " (the server asked for a client certificate and none was sent: give --cert and --key)";
  return "";
}

// One connection: handshake and summary; with `interactive`, then the copy
// loop, otherwise an immediate close (the first connection of --reconnect).
int connect_once(const ClientArgs& a, const HostPort& target, const protocol::ClientConfig& config,
                 bool interactive) {
  std::chrono::milliseconds timeout = std::chrono::seconds(a.timeout_seconds);
  Fd fd = connect_tcp(target.host, target.port, timeout);
  illustrate::Builder builder(illustrate::Perspective::client);
  protocol::ClientConfig drawn = config;
  if (!a.illustrate.empty()) observe_for_page(drawn, builder);
  protocol::SocketConnection tls(fd.get(), protocol::Connection(a.illustrate.empty() ? config : drawn), {timeout, {}});
  const protocol::Connection& connection = tls.connection();
  // The page is written however the connection ends: a failed handshake is
  // worth seeing too.
  struct PageAtEnd {
    const ClientArgs& a;
    const HostPort& target;
    const illustrate::Builder& builder;
    ~PageAtEnd() {
      if (a.illustrate.empty()) return;
      illustrate::PageOptions options;
      options.show_secrets = parse_trace(a.trace) == protocol::TraceLevel::secrets;
      options.title = "tls12 client to " + target.host + ":" + std::to_string(target.port);
      options.subtitle = "Drawn by tls12 client from its own connection.";
      try {
        illustrate::write_page(a.illustrate, builder.recording(), options);
        std::cerr << "tls12 client: wrote the illustrated page " << a.illustrate << "\n";
      } catch (const std::exception& e) {
        std::cerr << "tls12 client: " << e.what() << "\n";
      }
    }
  } page_at_end{a, target, builder};
  try {
    tls.handshake();
  } catch (const std::exception& e) {
    std::cerr << "tls12 client: handshake failed: " << e.what() << handshake_failure_hint(connection, a) << "\n";
    return kExitFailed;
  }
  print_connected(a, target, connection);
  if (!interactive) {
    tls.close_and_await_peer();
  } else if (!copy_stdio(fd.get(), tls, copy_options(a))) {
    std::cerr << "tls12 client: " << connection.error() << "\n";
    return kExitFailed;
  }
  if (!a.sess_out.empty()) {
    auto session = config.session_store->find(session_key(config));
    if (!session) {
      std::cerr << "tls12 client: --sess-out: the server gave no resumable session\n";
      return kExitFailed;
    }
    handshake::save_client_session(a.sess_out, *session);
  }
  return kExitOk;
}

int run_client(const ClientArgs& a) {
  HostPort target;
  try {
    target = parse_host_port(a.address);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  protocol::ClientConfig config = make_config(a, target);
  if (a.insecure) std::cerr << "tls12 client: WARNING: --insecure: the server's certificate is not verified\n";
  if (a.reconnect) {
    if (int status = connect_once(a, target, config, false); status != kExitOk) return status;
    std::cerr << "Reconnecting to resume the session\n";
  }
  return connect_once(a, target, config, true);
}

}  // namespace

void add_client_command(CLI::App& app) {
  auto args = std::make_shared<ClientArgs>();
  CLI::App* cmd = app.add_subcommand("client", "A TLS 1.2 client (like openssl s_client): stdin to the server, "
                                               "the server to stdout.");
  cmd->add_option("address", args->address, "HOST:PORT of the server")->required();
  cmd->add_option("--ca", args->ca,
                  "PEM CA certificates that the server's chain must lead to (default, without --capath: "
                  "the system's, " + std::string(kSystemTrustStore) + ")");
  cmd->add_option("--capath", args->capath, "A directory of PEM CA certificate files (added to --ca)");
  cmd->add_option("--cert", args->cert, "PEM client certificate chain (leaf first), sent if the server asks");
  cmd->add_option("--key", args->key, "PEM private key of --cert: RSA, Ed25519 or P-256 (PKCS#1, SEC 1, PKCS#8, encrypted PKCS#8; stricter than OpenSSL: named curves only, no P-384 private keys)");
  cmd->add_option("--pass", args->pass, "Passphrase of an encrypted key: pass:TEXT, env:VAR, file:PATH or prompt");
  cmd->add_option("--servername", args->servername, "Name sent in SNI and checked in the certificate (default HOST)");
  cmd->add_option("--alpn", args->alpn, "ALPN protocols to offer, comma-separated");
  auto* ciphers =
      cmd->add_option("--ciphers", args->ciphers, "Cipher suites to offer (RFC or OpenSSL names, ':' or ',' separated)");
  cmd->add_option("--groups", args->groups, "Groups to offer, most preferred first, any case (x25519, secp256r1 alias P-256 or prime256v1, ffdhe2048, ffdhe3072; default x25519,secp256r1)");
  cmd->add_option("--sigalgs", args->sigalgs, "Signature schemes to offer (e.g. rsa_pss_rsae_sha256)");
  cmd->add_flag("--reconnect", args->reconnect, "Connect a second time, resuming the session");
  cmd->add_option("--sess-out", args->sess_out, "Save the session to this file");
  cmd->add_option("--sess-in", args->sess_in, "Resume the session saved in this file");
  cmd->add_option("--keylog", args->keylog, "Append NSS key log lines here (mode 0600; default: $SSLKEYLOGFILE)");
  cmd->add_option("--trace", args->trace,
                  "Trace on stderr: messages, bytes or secrets (off by default; a bare --trace means messages)")
      ->expected(0, 1)
      ->default_str("messages")
      ->option_text("[=LEVEL]");
  cmd->add_option("--illustrate", args->illustrate,
                  "Write the illustrated page of the connection to this HTML file (self-contained; secrets only "
                  "with --trace=secrets; with --reconnect, the second connection's)");
  cmd->add_flag("--insecure", args->insecure, "Do not verify the server's certificate (prints a warning)");
  add_policy_option(*cmd, args->policy);
  cmd->add_flag("--allow-cn-fallback", args->allow_cn_fallback, kAllowCnFallbackHelp);
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds to wait for the server")->default_val(10);
  cmd->add_flag("--showcerts", args->showcerts, "Print the server's certificates as PEM after the summary");
  cmd->add_flag("--quiet", args->quiet, "No summary: only the server's data (and errors)");
  cmd->add_flag("--brief", args->brief, "A one-line summary instead of the full one");
  cmd->add_flag("--ign-eof", args->ign_eof,
                "At the end of input, wait for the server to close (at most --timeout without data)");
  cmd->add_flag("--close-at-eof", args->close_at_eof,
                "At the end of input, send close_notify at once (default: once the server is quiet for 2 s)");
  cmd->add_flag("--no-ticket", args->no_ticket, "Do not ask for a session ticket (RFC 5077)");
  cmd->add_flag("--crlf", args->crlf, "Send each line feed of the input as CR LF");
  cmd->add_option("--verify-hostname", args->verify_hostname,
                  "Check the certificate against this name instead of the one sent in SNI");
  cmd->add_flag("--noservername", args->noservername, "Send no server_name (SNI); the name is still checked");
  cmd->add_option("--verify-depth", args->verify_depth, "Longest certificate path accepted, anchor included")
      ->default_val(10);
  cmd->callback([args, ciphers] {
    args->ciphers_given = ciphers->count() > 0;
    try {
      exit_status() = run_client(*args);
    } catch (const UsageError& e) {
      std::cerr << "tls12 client: " << e.what() << "\n";
      exit_status() = kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "tls12 client: " << e.what() << "\n";
      exit_status() = kExitFailed;
    }
  });
}

}  // namespace tls12::tools
