// tls12's application API: the one header a program includes to speak TLS 1.2
// (RFC 5246) over a connected socket, the way the OpenSSL programs of
// docs/api.md do with SSL_CTX and SSL. It is a thin shell over the layers
// (docs/ARCHITECTURE.md): a Context builds a protocol::ClientConfig or
// ServerConfig, a Stream drives one protocol::Connection over a socket with
// the send/receive steps of protocol/transport.h.
//
//   tls12::Context ctx = tls12::Context::client();
//   ctx.load_verify_file("ca.pem");
//   tls12::Stream tls(ctx, fd, "localhost");
//   tls.handshake();
//   tls.write("hello\n");
//   std::string reply = tls.read_string();
//   tls.shutdown();
//
// Errors are tls12::Error: a sentence naming the problem and, when the TLS
// connection failed, the alert sent or received (RFC 5246 §7.2). Misuse (a
// server without a key, a key that is not the certificate's, writing before
// the handshake, reading after shutdown) is an Error too, never undefined
// behaviour.
//
// Blocking or not: a Stream follows its socket. On a blocking socket each call
// returns when it is done; on a non-blocking one (O_NONBLOCK) a call that
// would wait returns Status::want_read or want_write instead, and is repeated
// once poll()/epoll says the socket is ready, as with SSL_get_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/session.h"
#include "record/alert.h"
#include "x509/path_validation.h"

namespace tls12 {

namespace protocol {
class Connection;
}

class Error : public std::runtime_error {
 public:
  enum class Kind {
    configuration,  // a Context that cannot work (no key, a key not the certificate's, bad file)
    usage,          // a call out of order (write before the handshake, read after shutdown)
    tls,            // the TLS connection failed: alert() says which alert, sent or received
    transport,      // the socket failed or the peer went away
  };
  Error(Kind kind, const std::string& what, std::optional<record::AlertDescription> alert = {},
        bool alert_sent = false)
      : std::runtime_error(what), kind_(kind), alert_(alert), alert_sent_(alert_sent) {}

  Kind kind() const { return kind_; }
  // The alert that ended the connection, for Kind::tls.
  std::optional<record::AlertDescription> alert() const { return alert_; }
  // Whether we sent that alert (the peer's input was wrong) or received it.
  bool alert_sent() const { return alert_sent_; }

 private:
  Kind kind_;
  std::optional<record::AlertDescription> alert_;
  bool alert_sent_;
};

enum class Role { client, server };

// How the peer's certificate is treated (SSL_CTX_set_verify).
enum class Verify {
  none,      // client: accept any server certificate (tests only); server: ask for none
  optional,  // server: ask for a client certificate, accept its absence
  required,  // client: the default; server: a client without a certificate fails (mutual TLS)
};

// Certificates, keys, trust anchors and what to negotiate, shared by every
// Stream made from it (SSL_CTX). Copies share one configuration (as SSL_CTX
// references do); a change affects Streams made afterwards only. Several
// threads may make Streams from one Context at once, but set it up first:
// setters are not meant to race with anything. Setters return *this for
// chaining and throw Error(Kind::configuration) naming the problem.
class Context {
 public:
  static Context client();
  static Context server();
  Role role() const;

  // ---- our certificate chain and key (a server always; a client for mutual TLS) ----
  // PEM chain, leaf first / the leaf's key as PEM (the passphrase is used if
  // it is encrypted). Once both are set they must match.
  Context& use_certificate_chain_file(const std::string& path);
  Context& use_private_key_file(const std::string& path, const std::string& passphrase = {});
  // The same from memory: PEM text or DER bytes.
  Context& use_certificate_chain(std::span<const uint8_t> pem_or_der);
  Context& use_private_key(std::span<const uint8_t> pem_or_der, const std::string& passphrase = {});

  // ---- verifying the peer ----
  // Trust anchors from a PEM file / PEM or DER bytes (SSL_CTX_load_verify_locations).
  Context& load_verify_file(const std::string& path);
  Context& add_trust_anchor(std::span<const uint8_t> pem_or_der);
  Context& verify(Verify mode);
  // "rfc5280" (default) or "web" (the CA/B Forum profile, docs/x509.md).
  Context& verification_policy(const std::string& name);
  Context& verify_depth(size_t depth);

  // ---- what to negotiate (names as RFC or OpenSSL spell them, any case) ----
  Context& cipher_suites(const std::vector<std::string>& names);
  Context& groups(const std::vector<std::string>& names);
  // ALPN (RFC 7301), most preferred first.
  Context& alpn_protocols(const std::vector<std::string>& protocols);

  // ---- resumption (docs/resumption.md) ----
  // Client: remember one session per server and offer it on the next Stream
  // to the same name. Server: a session-ID cache, and with tickets (RFC 5077)
  // ticket keys.
  Context& session_cache(bool on);
  Context& session_tickets(bool on);

  // How long a blocking handshake may take, from its first call (a deadline,
  // not an idle timer). Default 30 s.
  Context& handshake_timeout(std::chrono::milliseconds timeout);

  struct State;  // defined in api/context_state.h

 private:
  explicit Context(std::shared_ptr<State> state) : state_(std::move(state)) {}
  // The State for a setter: drops the configuration built for earlier Streams.
  State& edit();
  std::shared_ptr<State> state_;
  friend class Stream;
};

// What a call is waiting for (SSL_ERROR_WANT_READ / WANT_WRITE), or how it ended.
enum class Status {
  done,        // the call did its work
  want_read,   // non-blocking: wait until the socket is readable, then call again
  want_write,  // non-blocking: wait until the socket is writable, then call again
  closed,      // read(): the peer sent close_notify, no more data comes
};
std::string_view status_name(Status status);

struct IoResult {
  Status status = Status::done;
  size_t bytes = 0;  // read: bytes copied out; write: bytes taken (all of them, or 0)
};

// One TLS connection over a connected socket (SSL with SSL_set_fd). The socket
// is not owned: the caller closes it after shutdown().
class Stream {
 public:
  // A client Stream checks the server's certificate against `server_name`
  // and sends it as SNI (an IP address is checked, not sent). A server
  // Stream ignores it.
  Stream(const Context& context, int fd, const std::string& server_name = {});
  ~Stream();
  Stream(Stream&&) noexcept;
  Stream& operator=(Stream&&) noexcept;

  // Client, before handshake(): offer this session (from session() of an
  // earlier Stream to the same server).
  void offer_session(handshake::Session session);

  // SSL_connect / SSL_accept.
  Status handshake();
  // SSL_read: done with bytes > 0, or closed (0 bytes) after the peer's close_notify.
  IoResult read(std::span<uint8_t> out);
  // SSL_write: every byte is taken; done once they are on the socket.
  IoResult write(std::span<const uint8_t> data);
  IoResult write(std::string_view text);
  // Non-blocking: sends what an earlier call left queued.
  Status flush();
  // SSL_shutdown: sends close_notify. Reading or writing afterwards is an Error.
  Status shutdown();

  // A convenience for blocking sockets: read() into a string of up to 16 KiB,
  // at least one byte; empty at the end of the stream (or, non-blocking,
  // when nothing has arrived yet).
  std::string read_string();

  // ---- what was negotiated (after the handshake) ----
  std::string version() const;       // "TLSv1.2"
  std::string cipher_suite() const;  // the RFC name
  std::string group() const;         // "x25519", "secp256r1", "ffdhe2048", or empty for RSA key exchange
  std::string alpn_protocol() const;
  bool resumed() const;
  // The peer's chain as sent (DER, leaf first), and whether it was verified.
  const std::vector<Bytes>& peer_certificates() const;
  bool peer_verified() const;
  // A client's resumable session, for offer_session() on a later Stream.
  std::optional<handshake::Session> session() const;

  // The engine underneath, for what this API does not wrap.
  const protocol::Connection& connection() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tls12
