// `tls12 server`: a TLS 1.2 server on a TCP port, like `openssl s_server`,
// for trying the server side of RFC 5246 against real clients (openssl
// s_client, curl, browsers, conformance suites).
//
//   tls12 server --cert server.bundle.crt --key server.key [--port 4433] [--bind 127.0.0.1]
//                [--ca ca.crt --verify-client optional|required] [--ciphers LIST]
//                [--www | --echo] [--keylog FILE] [--trace[=messages|bytes|secrets]]
//                [--illustrate PAGE.html] [--www --illustrate-self]
//
// Concurrency: an event loop per worker thread (tools/event_server.h), so
// thousands of connections cost no thread each. Time is bounded by
// deadlines, not idle timers: the whole handshake has --handshake-timeout,
// an established connection --timeout without data. --max-clients bounds
// memory; a client over it gets an internal_error alert and a clean close.
// SIGINT/SIGTERM close every connection and end the program.
//
// --www reads one whole HTTP/1.0 or 1.1 request (up to its empty line, CRLF or
// bare LF) and answers with a small page describing the connection, written
// in one piece so that it travels in one record. --echo sends back what it
// reads. Otherwise what a client sends is copied to standard output; the
// log (listening, each connection's summary and end) goes to standard error.
//
// --illustrate PAGE.html writes the illustrated page of each connection when
// it ends, numbered PAGE-1.html, PAGE-2.html, ... by connection. With --www,
// --illustrate-self answers each request with the page of the very
// connection that carried it, secrets included (the page says so): a
// browser's own handshake, byte by byte.
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include "crypto/secret_file.h"
#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "protocol/connection.h"
#include "protocol/printable.h"
#include "protocol/trace.h"
#include "tools/illustrate_pages.h"
#include "tools/commands.h"
#include "tools/event_server.h"
#include "tools/net.h"
#include "tools/tls_options.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/pem.h"

namespace tls12::tools {

namespace {

constexpr size_t kMaxHttpRequest = 16384;

struct ServerArgs {
  std::string port = "4433";
  std::string bind = "127.0.0.1";
  std::vector<std::string> certs;
  std::vector<std::string> keys;
  std::string pass;
  std::string ca;
  std::string verify_client;
  std::string policy = "rfc5280";
  std::string alpn;
  std::string ciphers;
  bool ciphers_given = false;  // --ciphers '' is an error, not the default list
  std::string groups;
  std::string sigalgs;
  std::string chain;
  bool www = false;
  bool echo = false;
  bool quiet = false;
  std::string keylog;
  std::string trace = "off";
  std::string illustrate;
  bool illustrate_self = false;
  std::string tickets = "on";
  std::string buffers = "release";
  int verify_depth = 10;
  int workers = 0;  // 0: one per core
  int max_clients = 10000;
  int handshake_timeout_seconds = 10;
  int timeout_seconds = 60;
  int accept_count = 0;  // 0: serve until stopped
};

// Writes whole lines of the server's log to stderr from any thread; stdout
// carries only what clients send (without --www or --echo).
void log_line(const std::string& text) {
  std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
  std::cerr << text << "\n" << std::flush;
}

// What a client sends is data, copied as it is, unless it would go to a
// terminal, where control characters could rewrite the screen.
void print_data(const std::string& text) {
  static const bool to_terminal = ::isatty(1) != 0;
  std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
  std::cout << (to_terminal ? protocol::printable(text) : text) << std::flush;
}

// Start-up finds what every connection would otherwise find one by one: the
// key log file must be writable now, not at the first handshake.
void check_keylog_file(const std::string& path) {
  if (path.empty()) return;
  try {
    std::fclose(crypto::open_secret_file(path, crypto::SecretFileMode::append));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("--keylog: ") + e.what());
  }
}

void check_numbers(const ServerArgs& a) {
  if (a.max_clients < 1) throw UsageError("--max-clients: must be at least 1");
  if (a.workers < 0) throw UsageError("--workers: must be 0 (one per core) or more");
  if (a.handshake_timeout_seconds < 1) throw UsageError("--handshake-timeout: must be at least 1 second");
  if (a.timeout_seconds < 1) throw UsageError("--timeout: must be at least 1 second");
  if (a.accept_count < 0) throw UsageError("--accept: must be 0 (run until stopped) or more");
  if (a.verify_depth < 1) throw UsageError("--verify-depth: must be at least 1");
}

// --chain: intermediates sent after the first --cert's own chain.
void add_chain(handshake::CertifiedKey& key, const std::string& file) {
  try {
    auto extra = x509::parse_certificates_pem(x509::read_text_file(file));
    if (extra.empty()) throw std::runtime_error("no certificate in the file");
    for (const auto& cert : extra) key.certificate_chain.push_back(cert.der());
  } catch (const std::exception& e) {
    throw UsageError("--chain " + file + ": " + e.what());
  }
}

// --www speaks HTTP/1.x only, so it offers only the ALPN names of HTTP/1.x:
// selecting h2 and then answering in HTTP/1.1 leaves browsers with nothing.
std::vector<std::string> server_alpn(const ServerArgs& a) {
  std::vector<std::string> protocols = parse_alpn(a.alpn);
  if (!a.www || protocols.empty()) return protocols;
  std::vector<std::string> served;
  for (const auto& p : protocols)
    if (p == "http/1.1" || p == "http/1.0") served.push_back(p);
  if (served.empty())
    throw UsageError("--alpn: --www serves HTTP/1.x only; give http/1.1 (or leave out --alpn)");
  if (served.size() != protocols.size())
    std::cerr << "tls12 server: note: --www serves HTTP/1.x only; offering only the http/1.x names of --alpn\n";
  return served;
}

// A server whose certificate expired starts (a test may want exactly that),
// but says so: every verifying client will refuse it.
void warn_if_expired(const handshake::CertifiedKey& key, const std::string& file) {
  auto leaf = x509::Certificate::parse(key.certificate_chain.front());
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (leaf.not_after < now)
    std::cerr << "tls12 server: warning: the certificate in " << file << " expired on "
              << x509::format_time(leaf.not_after) << "; clients that verify it will refuse it\n";
  else if (leaf.not_before > now)
    std::cerr << "tls12 server: warning: the certificate in " << file << " is not valid before "
              << x509::format_time(leaf.not_before) << "\n";
}

protocol::ServerConfig make_config(const ServerArgs& a) {
  if (a.certs.empty() || a.keys.empty()) throw UsageError("--cert and --key are required");
  if (a.certs.size() != a.keys.size()) throw UsageError("give one --key for each --cert");
  if (a.tickets != "on" && a.tickets != "off") throw UsageError("--tickets: expected on or off");
  if (a.www && a.echo) throw UsageError("--www and --echo exclude each other");
  check_numbers(a);

  protocol::ServerConfig config;
  // The first pair is the default; the others are chosen by the client's
  // server_name and the key types it accepts (RFC 6066 §3).
  auto passphrase = parse_passphrase(a.pass);
  config.certificate = load_certified_key(a.certs.front(), a.keys.front(), passphrase);
  for (size_t i = 1; i < a.certs.size(); ++i)
    config.additional_certificates.push_back(load_certified_key(a.certs[i], a.keys[i], passphrase));
  if (!a.chain.empty()) add_chain(config.certificate, a.chain);
  config.alpn_protocols = server_alpn(a);
  if (!a.groups.empty()) config.groups = parse_groups(a.groups);
  if (!a.sigalgs.empty()) config.signature_schemes = parse_signature_schemes(a.sigalgs);
  // Resumption: session IDs always, session tickets (RFC 5077) unless turned off.
  config.session_cache = std::make_shared<handshake::SessionCache>();
  if (a.tickets == "on") config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  if (a.ciphers_given) config.cipher_suites = parse_cipher_suites(a.ciphers);
  // A server's connections are idle most of the time: with the buffers
  // released, an idle connection costs about 4 KB instead of about 40 KB
  // (after a full-size record), for an allocation per burst of records
  // (docs/record.md, "Memory per connection").
  if (a.buffers != "release" && a.buffers != "keep") throw UsageError("--buffers: expected release or keep");
  config.release_buffers_when_idle = a.buffers == "release";
  if (!a.verify_client.empty()) {
    if (a.verify_client == "optional") config.client_authentication = protocol::ClientAuthentication::optional;
    else if (a.verify_client == "required") config.client_authentication = protocol::ClientAuthentication::required;
    else throw UsageError("--verify-client: expected optional or required");
    if (a.ca.empty()) throw UsageError("--verify-client needs --ca (the CAs client certificates must chain to)");
  }
  if (!a.ca.empty()) config.trust_store = load_trust_store(a.ca);
  config.verification_policy = policy_from_option(a.policy);
  config.max_verify_depth = static_cast<size_t>(a.verify_depth);
  if (!a.ca.empty() && a.verify_client.empty())
    std::cerr << "tls12 server: note: --ca is used only with --verify-client optional|required; "
                 "client certificates are not requested\n";
  warn_if_expired(config.certificate, a.certs.front());
  // Only when asked: a server does not pick up SSLKEYLOGFILE by itself.
  check_keylog_file(a.keylog);
  config.keylog_file = a.keylog;
  return config;
}

// The request line once the header block is complete (an empty line, CRLF
// or bare LF), nullopt while more is needed.
std::optional<std::string> http_request_line(const std::string& request) {
  bool complete = request.find("\n\r\n") != std::string::npos || request.find("\n\n") != std::string::npos ||
                  request.rfind("\r\n", 0) == 0 || request.rfind("\n", 0) == 0;
  if (!complete) return std::nullopt;
  std::string line = request.substr(0, request.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

// An HTML page and its HTTP response head, as one string.
std::string http_page(const std::string& request_line, const std::string& body) {
  std::string version = request_line.find("HTTP/1.1") != std::string::npos ? "HTTP/1.1" : "HTTP/1.0";
  return version + " 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

// The page --www answers with.
std::string http_response(const std::string& request_line, const protocol::Connection& connection) {
  return http_page(request_line, "<!DOCTYPE html>\n<html><head><title>tls12 server</title></head><body>\n"
                                 "<h1>tls12 server</h1>\n<p>Request: " + html_escape(request_line) +
                                 "</p>\n<pre>\n" + html_escape(connection_summary(connection, "")) +
                                 "</pre>\n</body></html>\n");
}

// --illustrate-self: the page of the connection the request came on.
std::string illustrated_response(const std::string& request_line, const illustrate::Builder& builder) {
  illustrate::PageOptions options;
  options.show_secrets = true;
  options.title = "Your browser's TLS 1.2 connection to tls12 server";
  options.subtitle = "Request: " + request_line;
  options.notice =
      "This page shows the secrets of the very connection that carried it (premaster, master secret, keys): "
      "tls12 server --illustrate-self shows them to the client that made the connection, and only this mode does.";
  return http_page(request_line, illustrate::render_page(builder.recording(), options));
}

// Per-connection log lines are named "server[N]".
std::string connection_name(uint64_t id) { return "server[" + std::to_string(id) + "]"; }

// What every connection does, whatever it serves: log its handshake and end.
class LoggedConnection : public ServerApplication {
 public:
  LoggedConnection(uint64_t id, bool quiet) : id_(id), who_(connection_name(id)), quiet_(quiet) {}
  // --illustrate: the page of this connection goes to `file` when it ends.
  void illustrate_to(std::shared_ptr<PageRegistry> pages, std::string file, bool show_secrets) {
    pages_ = std::move(pages);
    page_file_ = std::move(file);
    show_secrets_ = show_secrets;
  }
  void on_handshake(protocol::Connection& connection) override {
    if (!quiet_) log_line(who_ + ": handshake complete\n" + connection_summary(connection, "  "));
  }
  void on_end(const protocol::Connection& connection, std::string_view transport) override {
    if (connection.failed() && !connection.error().empty()) log_line(who_ + ": failed: " + connection.error());
    else if (!transport.empty()) log_line(who_ + ": closed: " + std::string(transport));
    else if (!quiet_) log_line(who_ + ": closed");
    write_page();
  }

 protected:
  void log(const std::string& text) const {
    if (!quiet_) log_line(who_ + ": " + text);
  }
  std::optional<illustrate::Builder> builder() const {
    return pages_ ? pages_->find(id_) : std::nullopt;
  }

 private:
  void write_page() {
    if (!pages_) return;
    std::optional<illustrate::Builder> drawn = pages_->find(id_);
    pages_->forget(id_);
    if (!drawn || page_file_.empty()) return;
    illustrate::PageOptions options;
    options.show_secrets = show_secrets_;
    options.title = "tls12 server, connection " + std::to_string(id_);
    options.subtitle = "Drawn by tls12 server from its own connection.";
    const std::string path = numbered_page_path(page_file_, id_);
    try {
      illustrate::write_page(path, drawn->recording(), options);
      log("wrote the illustrated page " + path);
    } catch (const std::exception& e) {
      log_line(who_ + ": " + e.what());
    }
  }

  uint64_t id_;
  std::string who_;
  bool quiet_;
  std::shared_ptr<PageRegistry> pages_;
  std::string page_file_;
  bool show_secrets_ = false;
};

// --www: one HTTP request, one page, then close_notify.
class WwwConnection : public LoggedConnection {
 public:
  WwwConnection(uint64_t id, bool quiet, bool illustrate_self) : LoggedConnection(id, quiet), self_(illustrate_self) {}
  bool on_data(protocol::Connection& connection, std::string_view data) override {
    request_.append(data);
    std::optional<std::string> line = http_request_line(request_);
    if (!line) {
      if (request_.size() > kMaxHttpRequest) throw std::runtime_error("HTTP request header too large");
      return true;
    }
    if (connection.peer_closed()) return false;
    std::optional<illustrate::Builder> drawn = self_ ? builder() : std::nullopt;
    connection.write(as_bytes(drawn ? illustrated_response(protocol::printable(*line), *drawn)
                                    : http_response(*line, connection)));
    log("answered \"" + protocol::printable(*line) + "\"" + (drawn ? " with its illustrated page" : ""));
    return false;
  }

 private:
  std::string request_;
  bool self_;
};

// --echo: what arrives goes back; otherwise it is printed.
class EchoOrPrintConnection : public LoggedConnection {
 public:
  EchoOrPrintConnection(uint64_t id, bool quiet, bool echo) : LoggedConnection(id, quiet), echo_(echo) {}
  bool on_data(protocol::Connection& connection, std::string_view data) override {
    // After the client's close_notify nothing more may be sent (RFC 5246 §7.2.1).
    if (echo_ && !connection.peer_closed()) connection.write(as_bytes(data));
    else print_data(std::string(data));
    return true;
  }

 private:
  bool echo_;
};

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // the loop looks at g_stop every 100 ms
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

EventServerLimits make_limits(const ServerArgs& a) {
  EventServerLimits limits;
  limits.workers = static_cast<unsigned>(a.workers);
  limits.max_clients = static_cast<size_t>(a.max_clients);
  limits.handshake_deadline = std::chrono::seconds(a.handshake_timeout_seconds);
  limits.idle_timeout = std::chrono::seconds(a.timeout_seconds);
  limits.accept_count = static_cast<uint64_t>(a.accept_count);
  return limits;
}

EventServerCallbacks make_callbacks(const ServerArgs& a, std::shared_ptr<const protocol::ServerConfig> config) {
  EventServerCallbacks callbacks;
  auto level = parse_trace(a.trace);
  const bool drawing = !a.illustrate.empty() || a.illustrate_self;
  auto pages = drawing ? std::make_shared<PageRegistry>() : nullptr;
  callbacks.make_connection = [config, level, pages](uint64_t id) {
    if (level == protocol::TraceLevel::off && !pages) return protocol::Connection(config);
    protocol::ServerConfig own = *config;  // an observer of its own, named for this connection
    if (level != protocol::TraceLevel::off) own.observer = protocol::trace_observer(std::cerr, level, connection_name(id));
    if (pages) observe_for_page(own, pages->start(id));
    return protocol::Connection(std::move(own));
  };
  callbacks.make_application = [&a, pages, level](uint64_t id) -> std::unique_ptr<ServerApplication> {
    std::unique_ptr<LoggedConnection> app;
    if (a.www) app = std::make_unique<WwwConnection>(id, a.quiet, a.illustrate_self);
    else app = std::make_unique<EchoOrPrintConnection>(id, a.quiet, a.echo);
    if (pages) app->illustrate_to(pages, a.illustrate, level == protocol::TraceLevel::secrets);
    return app;
  };
  callbacks.stopping = [] { return g_stop != 0; };
  callbacks.on_refused = [max = a.max_clients] {
    log_line("tls12 server: " + std::to_string(max) + " connections already open, refusing one");
  };
  return callbacks;
}

int run_server(const ServerArgs& a) {
  auto config = std::make_shared<const protocol::ServerConfig>(make_config(a));
  parse_trace(a.trace);
  if (a.illustrate_self && !a.www) throw UsageError("--illustrate-self needs --www (it answers HTTP requests)");
  uint16_t port = 0;
  uint16_t requested_port;
  try {
    requested_port = parse_port(a.port, true);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--port: ") + e.what());
  }
  uint64_t files = raise_open_file_limit(static_cast<size_t>(a.max_clients));
  if (files < static_cast<uint64_t>(a.max_clients) + 64)
    std::cerr << "tls12 server: warning: the open-file limit (" << files << ") is below --max-clients\n";
  Fd listener = listen_tcp(a.bind, requested_port, port);
  install_stop_handlers();
  log_line("tls12 server: listening on " + a.bind + ":" + std::to_string(port) +
           (a.www ? " (--www)" : a.echo ? " (--echo)" : ""));
  run_event_server(listener.get(), make_limits(a), make_callbacks(a, config));
  log_line(g_stop != 0 ? "tls12 server: stopped by signal" : "tls12 server: done");
  return kExitOk;
}

}  // namespace

void add_server_command(CLI::App& app) {
  auto args = std::make_shared<ServerArgs>();
  CLI::App* cmd = app.add_subcommand("server", "A TLS 1.2 server (like openssl s_server).");
  cmd->add_option("--port", args->port, "TCP port (0: any free port, printed at start)")->default_str("4433");
  cmd->add_option("--bind", args->bind, "Address to listen on")->default_val("127.0.0.1");
  cmd->add_option("--cert", args->certs, "PEM chain: the leaf first, then intermediates");
  cmd->add_option("--key", args->keys, "PEM private key of the --cert leaf: RSA, Ed25519 or P-256 (PKCS#1, SEC 1, PKCS#8, encrypted PKCS#8; stricter than OpenSSL: named curves only, no P-384 private keys). Give --cert/--key more than once to hold an RSA and an ECDSA chain: each client gets the one its suites and signature_algorithms can use");
  cmd->add_option("--pass", args->pass, "Passphrase of an encrypted key: pass:TEXT, env:VAR, file:PATH or prompt");
  cmd->add_option("--ca", args->ca, "PEM CA certificates for checking client certificates");
  cmd->add_option("--verify-client", args->verify_client, "Ask for a client certificate: optional or required");
  cmd->add_option("--verify-depth", args->verify_depth, "Longest client certificate path accepted, anchor included")
      ->default_val(10);
  add_policy_option(*cmd, args->policy);
  cmd->add_option("--alpn", args->alpn, "ALPN protocols, comma-separated, most preferred first "
                                        "(with --www, only http/1.1 and http/1.0 are offered)");
  auto* ciphers = cmd->add_option("--ciphers", args->ciphers, "Cipher suites (RFC or OpenSSL names, ':' or ',' separated)");
  cmd->add_option("--groups", args->groups, "Groups for ECDHE and DHE, most preferred first, any case (x25519, secp256r1 alias P-256 or prime256v1, ffdhe2048, ffdhe3072; default x25519,secp256r1)");
  cmd->add_option("--sigalgs", args->sigalgs, "Signature schemes accepted from clients (e.g. rsa_pss_rsae_sha256)");
  cmd->add_option("--chain", args->chain, "PEM intermediates sent after the first --cert's certificates");
  cmd->add_flag("--www", args->www, "Answer an HTTP request with a page describing the connection");
  cmd->add_option("--illustrate", args->illustrate,
                  "Write the illustrated page of each connection when it ends, numbered by connection: "
                  "PAGE.html gives PAGE-1.html, PAGE-2.html, ... (secrets only with --trace=secrets)");
  cmd->add_flag("--illustrate-self", args->illustrate_self,
                "With --www: answer each request with the illustrated page of the very connection that "
                "carried it, that connection's secrets included (the page says so)");
  cmd->add_flag("--echo", args->echo, "Send back what each client sends");
  cmd->add_flag("--quiet", args->quiet, "Log only failures, not each connection's summary");
  cmd->add_option("--keylog", args->keylog,
                  "Append NSS key log lines here (mode 0600; only when given: $SSLKEYLOGFILE is ignored)");
  cmd->add_option("--trace", args->trace,
                  "Trace on stderr: messages, bytes or secrets (off by default; a bare --trace means messages)")
      ->expected(0, 1)
      ->default_str("messages")
      ->option_text("[=LEVEL]");
  cmd->add_option("--tickets", args->tickets, "Session tickets (RFC 5077): on or off")->default_str("on");
  cmd->add_option("--buffers", args->buffers,
                  "Record buffers of an idle connection: release (freed while nothing is pending: about 4 KB "
                  "per idle connection, an allocation per burst) or keep (reused: faster for a few busy ones)")
      ->default_str("release");
  cmd->add_option("--workers", args->workers, "Event-loop threads (0: one per core)")->default_val(0);
  cmd->add_option("--max-clients", args->max_clients,
                  "Connections held at once (the memory bound; more get an internal_error alert)")
      ->default_val(10000);
  cmd->add_option("--handshake-timeout", args->handshake_timeout_seconds,
                  "Seconds the whole handshake may take (a deadline, whatever the client sends)")
      ->default_val(10);
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds an established connection may stay idle")
      ->default_val(60);
  cmd->add_option("--accept", args->accept_count, "Exit after this many connections (0: run until stopped)");
  cmd->callback([args, ciphers] {
    args->ciphers_given = ciphers->count() > 0;
    try {
      exit_status() = run_server(*args);
    } catch (const UsageError& e) {
      std::cerr << "tls12 server: " << e.what() << "\n";
      exit_status() = kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "tls12 server: " << e.what() << "\n";
      exit_status() = kExitFailed;
    }
  });
}

}  // namespace tls12::tools
