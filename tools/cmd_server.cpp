// `tls12 server`: a TLS 1.2 server on a TCP port, like `openssl s_server`,
// for trying the server side of RFC 5246 against real clients (openssl
// s_client, curl, browsers).
//
//   tls12 server --cert server.bundle.crt --key server.key [--port 4433] [--bind 127.0.0.1]
//                [--ca ca.crt --verify-client optional|required] [--ciphers LIST]
//                [--www | --echo] [--keylog FILE] [--trace[=messages|bytes|secrets]]
//
// Concurrency: one thread per connection, at most --max-clients at once (a
// connection beyond the bound is closed at once). Every wait for a client is
// bounded by --timeout, so a client that vanishes mid-handshake costs one
// thread for that long and no more. SIGINT/SIGTERM stop accepting, wake every
// connection (shutdown of its socket) and join the threads before exiting.
//
// --www reads one whole HTTP/1.0 or 1.1 request (up to its empty line, CRLF or
// bare LF) and answers with a small page describing the connection, written
// in one piece so that it travels in one record. --echo sends back what it
// reads. Otherwise what a client sends is printed.
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "protocol/connection.h"
#include "protocol/trace.h"
#include "tools/commands.h"
#include "tools/net.h"
#include "tools/tls_options.h"

namespace tls12::tools {

namespace {

constexpr size_t kMaxHttpRequest = 16384;

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

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
  bool www = false;
  bool echo = false;
  std::string keylog;
  std::string trace = "off";
  std::string tickets = "on";
  int max_clients = 32;
  int timeout_seconds = 10;
  int accept_count = 0;  // 0: serve until stopped
};

// Writes whole lines to stdout from any thread.
void log_line(const std::string& text) {
  std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
  std::cout << text << "\n" << std::flush;
}

protocol::ServerConfig make_config(const ServerArgs& a) {
  if (a.certs.empty() || a.keys.empty()) throw UsageError("--cert and --key are required");
  if (a.certs.size() != a.keys.size()) throw UsageError("give one --key for each --cert");
  if (a.tickets != "on" && a.tickets != "off") throw UsageError("--tickets: expected on or off");
  if (a.www && a.echo) throw UsageError("--www and --echo exclude each other");
  if (a.max_clients < 1) throw UsageError("--max-clients: must be at least 1");
  if (a.timeout_seconds < 1) throw UsageError("--timeout: must be at least 1 second");

  protocol::ServerConfig config;
  // The first pair is the default; the others are chosen by the client's
  // server_name and the key types it accepts (RFC 6066 §3).
  auto passphrase = parse_passphrase(a.pass);
  config.certificate = load_certified_key(a.certs.front(), a.keys.front(), passphrase);
  for (size_t i = 1; i < a.certs.size(); ++i)
    config.additional_certificates.push_back(load_certified_key(a.certs[i], a.keys[i], passphrase));
  config.alpn_protocols = split_list(a.alpn);
  // Resumption: session IDs always, session tickets (RFC 5077) unless turned off.
  config.session_cache = std::make_shared<handshake::SessionCache>();
  if (a.tickets == "on") config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  if (!a.ciphers.empty()) config.cipher_suites = parse_cipher_suites(a.ciphers);
  if (!a.verify_client.empty()) {
    if (a.verify_client == "optional") config.client_authentication = protocol::ClientAuthentication::optional;
    else if (a.verify_client == "required") config.client_authentication = protocol::ClientAuthentication::required;
    else throw UsageError("--verify-client: expected optional or required");
    if (a.ca.empty()) throw UsageError("--verify-client needs --ca (the CAs client certificates must chain to)");
  }
  if (!a.ca.empty()) config.trust_store = load_trust_store(a.ca);
  config.verification_policy = policy_from_option(a.policy);
  config.keylog_file = keylog_path(a.keylog);
  return config;
}

// Reads up to the end of the request's header block (an empty line, CRLF or
// bare LF); returns the request line, or "" if the client closed first.
std::string read_http_request(Pump& pump) {
  std::string request;
  for (;;) {
    size_t end = request.find("\n\r\n");
    if (end == std::string::npos) end = request.find("\n\n");
    if (end != std::string::npos || request.rfind("\r\n", 0) == 0 || request.rfind("\n", 0) == 0) break;
    if (request.size() > kMaxHttpRequest) throw std::runtime_error("HTTP request header too large");
    std::string more = pump.read_some();
    if (more.empty()) return {};
    request += more;
  }
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

// The page --www answers with, and its HTTP response head, as one string.
std::string http_response(const std::string& request_line, const protocol::Connection& connection) {
  std::string version = request_line.find("HTTP/1.1") != std::string::npos ? "HTTP/1.1" : "HTTP/1.0";
  std::string body = "<!DOCTYPE html>\n<html><head><title>tls12 server</title></head><body>\n"
                     "<h1>tls12 server</h1>\n<p>Request: " + html_escape(request_line) +
                     "</p>\n<pre>\n" + html_escape(connection_summary(connection, "")) + "</pre>\n</body></html>\n";
  return version + " 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void serve(const ServerArgs& a, protocol::ServerConfig config, int fd, int id) {
  std::string who = "server[" + std::to_string(id) + "]";
  auto level = parse_trace(a.trace);
  if (level != protocol::TraceLevel::off) config.observer = protocol::trace_observer(std::cout, level, who);
  try {
    protocol::Connection connection(std::move(config));
    Pump pump(fd, connection, std::chrono::seconds(a.timeout_seconds));
    pump.handshake();
    log_line(who + ": handshake complete\n" + connection_summary(connection, "  "));
    if (a.www) {
      std::string request_line = read_http_request(pump);
      if (!request_line.empty()) {
        pump.write(http_response(request_line, connection));
        log_line(who + ": answered \"" + request_line + "\"");
      }
      pump.close();
    } else {
      for (std::string data; !(data = pump.read_some()).empty();) {
        // After the client's close_notify nothing more may be sent (RFC 5246 §7.2.1).
        if (a.echo && !connection.peer_closed()) pump.write(data);
        else log_line(who + ": received " + std::to_string(data.size()) + " bytes: " + data);
      }
      pump.close();
    }
    log_line(who + ": closed");
  } catch (const std::exception& e) {
    log_line(who + ": failed: " + e.what());
  }
}

struct Worker {
  std::thread thread;
  std::shared_ptr<std::atomic<bool>> done;
  int fd;
};

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the loop sees g_stop
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

void reap(std::list<Worker>& workers) {
  for (auto it = workers.begin(); it != workers.end();) {
    if (it->done->load()) {
      it->thread.join();
      ::close(it->fd);  // closed here, not by the thread, so a stop never shuts down a reused number
      it = workers.erase(it);
    } else {
      ++it;
    }
  }
}

int run_server(const ServerArgs& a) {
  protocol::ServerConfig config = make_config(a);
  parse_trace(a.trace);
  uint16_t port = 0;
  uint16_t requested_port;
  try {
    requested_port = parse_port(a.port, true);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--port: ") + e.what());
  }
  Fd listener = listen_tcp(a.bind, requested_port, port);
  install_stop_handlers();
  log_line("tls12 server: listening on " + a.bind + ":" + std::to_string(port) +
           (a.www ? " (--www)" : a.echo ? " (--echo)" : ""));

  std::list<Worker> workers;
  int accepted = 0;
  while (g_stop == 0 && (a.accept_count == 0 || accepted < a.accept_count)) {
    reap(workers);
    try {
      if (!wait_readable(listener.get(), std::chrono::milliseconds(200))) continue;
    } catch (const NetError&) {
      continue;  // interrupted by a signal
    }
    Fd client(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (client.get() < 0) continue;
    ++accepted;
    if (static_cast<int>(workers.size()) >= a.max_clients) {
      log_line("tls12 server: " + std::to_string(a.max_clients) + " connections already open, refusing one");
      continue;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    int fd = client.release();
    workers.push_back(Worker{std::thread([&a, config, fd, accepted, done]() mutable {
                                serve(a, std::move(config), fd, accepted);
                                done->store(true);
                              }),
                              done, fd});
  }
  // Stopping: wake every connection still waiting for its client, then join.
  if (g_stop != 0)
    for (auto& w : workers)
      if (!w.done->load()) ::shutdown(w.fd, SHUT_RDWR);
  for (auto& w : workers) {
    w.thread.join();
    ::close(w.fd);
  }
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
  cmd->add_option("--key", args->keys, "PEM private key of the --cert leaf");
  cmd->add_option("--pass", args->pass, "Passphrase of an encrypted key: pass:TEXT, env:VAR, file:PATH or prompt");
  cmd->add_option("--ca", args->ca, "PEM CA certificates for checking client certificates");
  cmd->add_option("--verify-client", args->verify_client, "Ask for a client certificate: optional or required");
  add_policy_option(*cmd, args->policy);
  cmd->add_option("--alpn", args->alpn, "ALPN protocols, comma-separated (e.g. h2,http/1.1)");
  cmd->add_option("--ciphers", args->ciphers, "Cipher suites (RFC or OpenSSL names, ':' or ',' separated)");
  cmd->add_flag("--www", args->www, "Answer an HTTP request with a page describing the connection");
  cmd->add_flag("--echo", args->echo, "Send back what each client sends");
  cmd->add_option("--keylog", args->keylog, "Append NSS key log lines here (default: $SSLKEYLOGFILE)");
  cmd->add_option("--trace", args->trace, "Trace level: messages, bytes or secrets")
      ->expected(0, 1)
      ->default_str("messages");
  cmd->add_option("--tickets", args->tickets, "Session tickets (RFC 5077): on or off")->default_str("on");
  cmd->add_option("--max-clients", args->max_clients, "Connections served at once")->default_val(32);
  cmd->add_option("--timeout", args->timeout_seconds, "Seconds to wait for a client before dropping it")
      ->default_val(10);
  cmd->add_option("--accept", args->accept_count, "Exit after this many connections (0: run until stopped)");
  cmd->callback([args] {
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
