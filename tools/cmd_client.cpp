// `tls12 client HOST:PORT`: a TLS 1.2 client, like `openssl s_client`, for
// trying the client side of RFC 5246 against real servers.
//
//   tls12 client HOST:PORT --ca ca.crt [--cert client.crt --key client.key [--pass SPEC]]
//                [--servername NAME] [--ciphers LIST] [--groups LIST] [--sigalgs LIST]
//                [--keylog FILE] [--trace[=messages|bytes|secrets]] [--insecure]
//
// It handshakes, prints a summary of what was negotiated and how the server's
// chain was verified (on standard error, so that standard output carries only
// the server's data), then copies standard input to the connection and the
// connection to standard output until either side closes. At the end of
// standard input it sends close_notify (RFC 5246 §7.2.1) and waits, bounded
// by --timeout, for the server's.
//
// Exit status: 0 clean end; 1 handshake failure or a connection that ended
// without close_notify; 2 usage errors.
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "handshake/client_session_store.h"
#include "protocol/connection.h"
#include "protocol/trace.h"
#include "tools/commands.h"
#include "tools/net.h"
#include "tools/tls_options.h"

namespace tls12::tools {

namespace {

struct ClientArgs {
  std::string address;
  std::string ca;
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
  bool insecure = false;
  std::string policy = "rfc5280";
  bool allow_cn_fallback = false;
  int timeout_seconds = 10;
};

std::string session_key(const protocol::ClientConfig& config) {
  return handshake::session_store_key(config.server_name, config.server_port);
}

protocol::ClientConfig make_config(const ClientArgs& a, const HostPort& target) {
  if (a.cert.empty() != a.key.empty()) throw UsageError("--cert and --key go together");
  if (a.ca.empty() && !a.insecure)
    throw UsageError("--ca is required to verify the server (or --insecure to skip verification)");
  if (a.timeout_seconds < 1) throw UsageError("--timeout: must be at least 1 second");

  protocol::ClientConfig config;
  config.server_name = a.servername.empty() ? target.host : a.servername;
  if (!a.ca.empty()) config.trust_store = load_trust_store(a.ca);
  if (a.insecure) config.verify_server_certificate = false;
  config.verification_policy = policy_from_option(a.policy);
  config.allow_common_name_fallback = a.allow_cn_fallback;
  if (!a.cert.empty()) config.client_certificate = load_certified_key(a.cert, a.key, parse_passphrase(a.pass));
  if (!a.ciphers.empty()) config.cipher_suites = parse_cipher_suites(a.ciphers);
  if (!a.groups.empty()) config.groups = parse_groups(a.groups);
  if (!a.sigalgs.empty()) config.signature_schemes = parse_signature_schemes(a.sigalgs);
  config.alpn_protocols = split_list(a.alpn);
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
  config.keylog_file = keylog_path(a.keylog);
  auto level = parse_trace(a.trace);
  if (level != protocol::TraceLevel::off) config.observer = protocol::trace_observer(std::cerr, level, "client");
  return config;
}

void write_stdout(const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(1, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw std::runtime_error(std::string("writing standard output: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
}

// Copies stdin -> connection and connection -> stdout until the connection
// ends. Returns false if it ended without close_notify.
bool copy_loop(int fd, protocol::Connection& connection, Pump& pump, std::chrono::milliseconds timeout) {
  bool stdin_open = true;
  std::array<char, 16384> buffer;
  for (;;) {
    if (connection.readable() > 0) {
      Bytes data = connection.read_all();
      write_stdout(std::string(data.begin(), data.end()));
    }
    pump.throw_if_failed();
    if (connection.peer_closed() || connection.is_closed()) {
      pump.flush();  // our close_notify in reply
      return !connection.truncated();
    }
    pollfd fds[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
    // Once stdin is done, only the server's close_notify is awaited, and not forever.
    int n = ::poll(fds, stdin_open ? 2 : 1, stdin_open ? -1 : static_cast<int>(timeout.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw NetError(std::string("poll: ") + std::strerror(errno));
    if (n == 0) return true;  // we closed cleanly; the server did not answer in time
    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP)) != 0) {
      ssize_t got = ::read(0, buffer.data(), buffer.size());
      if (got > 0) {
        pump.write(std::string_view(buffer.data(), static_cast<size_t>(got)));
      } else if (got == 0 || errno != EINTR) {
        stdin_open = false;
        connection.close();
        pump.flush();
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      pump.fill();
      pump.flush();
    }
  }
}

// One connection: handshake and summary; with `interactive`, then the copy
// loop, otherwise an immediate close (the first connection of --reconnect).
int connect_once(const ClientArgs& a, const HostPort& target, const protocol::ClientConfig& config,
                 bool interactive) {
  std::chrono::milliseconds timeout = std::chrono::seconds(a.timeout_seconds);
  Fd fd = connect_tcp(target.host, target.port, timeout);
  protocol::Connection connection(config);
  Pump pump(fd.get(), connection, timeout);
  try {
    pump.handshake();
  } catch (const std::exception& e) {
    std::cerr << "tls12 client: handshake failed: " << e.what() << "\n";
    return kExitFailed;
  }
  std::cerr << "Connected to " << target.host << ":" << target.port << "\n" << connection_summary(connection, "  ")
            << "---\n";
  if (!interactive) {
    pump.close();
  } else if (!copy_loop(fd.get(), connection, pump, timeout)) {
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
  cmd->add_option("--ca", args->ca, "PEM CA certificates that the server's chain must lead to");
  cmd->add_option("--cert", args->cert, "PEM client certificate chain (leaf first), sent if the server asks");
  cmd->add_option("--key", args->key, "PEM private key of --cert");
  cmd->add_option("--pass", args->pass, "Passphrase of an encrypted key: pass:TEXT, env:VAR, file:PATH or prompt");
  cmd->add_option("--servername", args->servername, "Name sent in SNI and checked in the certificate (default HOST)");
  cmd->add_option("--alpn", args->alpn, "ALPN protocols to offer, comma-separated");
  cmd->add_option("--ciphers", args->ciphers, "Cipher suites to offer (RFC or OpenSSL names, ':' or ',' separated)");
  cmd->add_option("--groups", args->groups, "Groups to offer (e.g. x25519)");
  cmd->add_option("--sigalgs", args->sigalgs, "Signature schemes to offer (e.g. rsa_pss_rsae_sha256)");
  cmd->add_flag("--reconnect", args->reconnect, "Connect a second time, resuming the session");
  cmd->add_option("--sess-out", args->sess_out, "Save the session to this file");
  cmd->add_option("--sess-in", args->sess_in, "Resume the session saved in this file");
  cmd->add_option("--keylog", args->keylog, "Append NSS key log lines here (default: $SSLKEYLOGFILE)");
  cmd->add_option("--trace", args->trace, "Trace level on stderr: messages, bytes or secrets (use --trace=LEVEL)")
      ->expected(0, 1)
      ->default_str("messages");
  cmd->add_flag("--insecure", args->insecure, "Do not verify the server's certificate (prints a warning)");
  add_policy_option(*cmd, args->policy);
  cmd->add_flag("--allow-cn-fallback", args->allow_cn_fallback, kAllowCnFallbackHelp);
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds to wait for the server")->default_val(10);
  cmd->callback([args] {
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
