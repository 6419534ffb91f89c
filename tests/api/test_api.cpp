// The application API (include/tls12/tls12.h) over real sockets: a Context
// from files and from memory, blocking and non-blocking Streams, what was
// negotiated, resumption, mutual TLS, and every misuse the API promises to
// name: a server without a key, a key that is not the certificate's, writing
// before the handshake, reading after shutdown; and a failed handshake as an
// Error carrying the alert.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <string>

#include "tests/protocol/handshake_test_support.h"
#include "tls12/tls12.h"

namespace tls12 {
namespace {

using record::AlertDescription;
using test::pki_file;

// Two connected sockets, closed at the end of the test.
struct SocketPair {
  int client = -1;
  int server = -1;
  SocketPair() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair failed");
    client = fds[0];
    server = fds[1];
  }
  ~SocketPair() {
    ::close(client);
    ::close(server);
  }
};

Context test_server_context() {
  Context ctx = Context::server();
  ctx.use_certificate_chain_file(pki_file("server.pem")).use_private_key_file(pki_file("server.key"));
  return ctx;
}

Context test_client_context() {
  Context ctx = Context::client();
  ctx.load_verify_file(pki_file("ca.pem"));
  return ctx;
}

// Runs `body` as the server on its own thread; its exception, if any, comes
// back through the future.
template <class F>
std::future<void> serve(F body) {
  return std::async(std::launch::async, std::move(body));
}

// Expects `call` to throw an Error of `kind` whose sentence contains `part`.
template <class F>
void expect_error(F&& call, Error::Kind kind, const std::string& part) {
  try {
    call();
    ADD_FAILURE() << "no Error; expected one containing \"" << part << "\"";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// Expects `call` to fail the handshake with `alert`, sent by us or received.
template <class F>
void expect_tls_error(F&& call, AlertDescription alert, bool sent) {
  try {
    call();
    ADD_FAILURE() << "the handshake succeeded; expected " << record::alert_name(alert);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::tls) << e.what();
    EXPECT_EQ(e.alert(), alert) << e.what();
    EXPECT_EQ(e.alert_sent(), sent) << e.what();
  }
}

TEST(Api, BlockingClientAndServerExchangeDataAndClose) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    EXPECT_EQ(tls.handshake(), Status::done);
    std::string request = tls.read_string();
    tls.write("you said " + request);
    uint8_t byte;
    EXPECT_EQ(tls.read(std::span<uint8_t>(&byte, 1)).status, Status::closed);  // the client's close_notify
  });
  Stream tls(test_client_context(), sockets.client, "localhost");
  EXPECT_EQ(tls.handshake(), Status::done);
  EXPECT_EQ(tls.version(), "TLSv1.2");
  EXPECT_EQ(tls.cipher_suite(), "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(tls.group(), "x25519");
  EXPECT_TRUE(tls.peer_verified());
  EXPECT_EQ(tls.peer_certificates().size(), 1u);
  EXPECT_EQ(tls.write("hello").bytes, 5u);
  EXPECT_EQ(tls.read_string(), "you said hello");
  EXPECT_EQ(tls.shutdown(), Status::done);
  server.get();
}

TEST(Api, MutualTlsWithCredentialsFromMemory) {
  SocketPair sockets;
  Context server_ctx = Context::server();
  server_ctx.use_certificate_chain(test::read_file(pki_file("server.pem")))
      .use_private_key(test::read_file(pki_file("server.key")))
      .add_trust_anchor(test::read_file(pki_file("ca.pem")))
      .verify(Verify::required);
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    tls.handshake();
    EXPECT_TRUE(tls.peer_verified());
    EXPECT_EQ(tls.peer_certificates().size(), 1u);
    tls.write("ok");
    tls.shutdown();
  });
  Context client_ctx = Context::client();
  client_ctx.add_trust_anchor(test::read_file(pki_file("ca.pem")))
      .use_certificate_chain(test::read_file(pki_file("client2048.pem")))
      .use_private_key(test::read_file(pki_file("client2048.key")));
  Stream tls(client_ctx, sockets.client, "localhost");
  tls.handshake();
  EXPECT_EQ(tls.read_string(), "ok");
  server.get();
}

TEST(Api, AServerRequiringACertificateRefusesAClientWithout) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  server_ctx.load_verify_file(pki_file("ca.pem")).verify(Verify::required);
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    expect_tls_error([&] { tls.handshake(); }, AlertDescription::handshake_failure, true);
  });
  Stream tls(test_client_context(), sockets.client, "localhost");
  expect_tls_error([&] { tls.handshake(); }, AlertDescription::handshake_failure, false);
  server.get();
}

TEST(Api, AWrongServerNameIsAnErrorWithTheAlertSent) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    EXPECT_THROW(tls.handshake(), Error);
  });
  Stream tls(test_client_context(), sockets.client, "example.com");
  expect_tls_error([&] { tls.handshake(); }, AlertDescription::bad_certificate, true);
  server.get();
}

// The event-loop shape: each side steps until it would wait, then polls.
Status step_until_done(Stream& tls, int fd, const std::function<Status()>& step) {
  for (int rounds = 0; rounds < 10000; ++rounds) {
    Status s = step();
    if (s != Status::want_read && s != Status::want_write) return s;
    pollfd p{fd, static_cast<short>(s == Status::want_read ? POLLIN : POLLOUT), 0};
    if (::poll(&p, 1, 10000) != 1) throw std::runtime_error("poll: the peer never answered");
  }
  (void)tls;
  throw std::runtime_error("no progress");
}

TEST(Api, NonBlockingStreamsReportWantReadAndFinish) {
  SocketPair sockets;
  ::fcntl(sockets.client, F_SETFL, O_NONBLOCK);
  ::fcntl(sockets.server, F_SETFL, O_NONBLOCK);
  Context server_ctx = test_server_context();
  Stream server(server_ctx, sockets.server);
  Stream client(test_client_context(), sockets.client, "localhost");
  // Nothing has arrived yet: the server waits to read.
  EXPECT_EQ(server.handshake(), Status::want_read);
  // The client sends its ClientHello and waits for the answer.
  EXPECT_EQ(client.handshake(), Status::want_read);
  auto server_done = serve([&] { EXPECT_EQ(step_until_done(server, sockets.server, [&] { return server.handshake(); }), Status::done); });
  EXPECT_EQ(step_until_done(client, sockets.client, [&] { return client.handshake(); }), Status::done);
  server_done.get();

  uint8_t buffer[16];
  EXPECT_EQ(client.read(buffer).status, Status::want_read);
  EXPECT_EQ(server.write("ping").status, Status::done);
  IoResult r;
  step_until_done(client, sockets.client, [&] {
    r = client.read(buffer);
    return r.status;
  });
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buffer), r.bytes), "ping");
}

// One handshake over fresh sockets, offering `offered` if set; returns
// whether the client resumed, and its session in `kept`.
bool handshake_once(const Context& server_ctx, const Context& client_ctx,
                    const std::optional<handshake::Session>& offered = {},
                    std::optional<handshake::Session>* kept = nullptr) {
  SocketPair sockets;
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    tls.handshake();
    tls.shutdown();
  });
  Stream tls(client_ctx, sockets.client, "localhost");
  if (offered) tls.offer_session(*offered);
  tls.handshake();
  if (kept) *kept = tls.session();
  server.get();
  return tls.resumed();
}

TEST(Api, SessionsResumeThroughTheContextCache) {
  Context server_ctx = test_server_context();
  server_ctx.session_cache(true);
  Context client_ctx = test_client_context();
  client_ctx.session_cache(true);
  EXPECT_FALSE(handshake_once(server_ctx, client_ctx));
  EXPECT_TRUE(handshake_once(server_ctx, client_ctx));
}

TEST(Api, AGivenSessionResumesOnOneStream) {
  Context server_ctx = test_server_context();
  server_ctx.session_tickets(true);
  Context client_ctx = test_client_context();
  std::optional<handshake::Session> session;
  EXPECT_FALSE(handshake_once(server_ctx, client_ctx, {}, &session));
  ASSERT_TRUE(session.has_value());
  EXPECT_FALSE(session->ticket.empty());
  EXPECT_TRUE(handshake_once(server_ctx, client_ctx, session));
  // Without the session (and with no cache in the context) it is a full handshake.
  EXPECT_FALSE(handshake_once(server_ctx, client_ctx));
}

TEST(Api, ThreadsMakeStreamsFromOneContextAtOnce) {
  Context server_ctx = test_server_context();
  Context client_ctx = test_client_context();
  std::vector<std::future<bool>> clients;
  for (int i = 0; i < 4; ++i)
    clients.push_back(std::async(std::launch::async, [&] { return handshake_once(server_ctx, client_ctx); }));
  for (auto& resumed : clients) EXPECT_FALSE(resumed.get());
}

TEST(Api, AContextChangeAffectsLaterStreamsOnly) {
  Context server_ctx = test_server_context();
  Context client_ctx = Context::client();
  client_ctx.load_verify_file(pki_file("other-ca.pem"));  // not the server's CA
  SocketPair early_sockets;
  Stream early(client_ctx, early_sockets.client, "localhost");
  client_ctx.load_verify_file(pki_file("ca.pem"));
  EXPECT_FALSE(handshake_once(server_ctx, client_ctx));  // the later Stream trusts the server
  auto server = serve([&] {
    Stream tls(server_ctx, early_sockets.server);
    EXPECT_THROW(tls.handshake(), Error);
  });
  expect_tls_error([&] { early.handshake(); }, AlertDescription::unknown_ca, true);
  server.get();
}

TEST(Api, NegotiationSettingsAcceptNamesInAnyCase) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  server_ctx.groups({"FFDHE2048"}).alpn_protocols({"h2", "http/1.1"});
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    tls.handshake();
    EXPECT_EQ(tls.alpn_protocol(), "http/1.1");
    tls.shutdown();
  });
  Context client_ctx = test_client_context();
  client_ctx.cipher_suites({"dhe-rsa-aes256-gcm-sha384"}).groups({"ffdhe2048"}).alpn_protocols({"http/1.1"});
  Stream tls(client_ctx, sockets.client, "localhost");
  tls.handshake();
  EXPECT_EQ(tls.cipher_suite(), "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(tls.group(), "ffdhe2048");
  EXPECT_EQ(tls.alpn_protocol(), "http/1.1");
  server.get();
}

// ---------------------------------------------------------------- misuse

TEST(ApiMisuse, AServerContextWithoutAKeyIsNamed) {
  SocketPair sockets;
  Context nothing = Context::server();
  expect_error([&] { Stream tls(nothing, sockets.server); }, Error::Kind::configuration,
               "needs a certificate chain and its private key");
  Context no_key = Context::server();
  no_key.use_certificate_chain_file(pki_file("server.pem"));
  expect_error([&] { Stream tls(no_key, sockets.server); }, Error::Kind::configuration, "but no private key");
}

TEST(ApiMisuse, AKeyThatIsNotTheCertificatesIsNamed) {
  Context ctx = Context::server();
  ctx.use_certificate_chain_file(pki_file("server.pem"));
  expect_error([&] { ctx.use_private_key_file(pki_file("client2048.key")); }, Error::Kind::configuration,
               "does not belong to the certificate in " + pki_file("server.pem"));
  // The same when the key comes first.
  Context reversed = Context::server();
  reversed.use_private_key_file(pki_file("client2048.key"));
  expect_error([&] { reversed.use_certificate_chain_file(pki_file("server.pem")); }, Error::Kind::configuration,
               "does not belong");
}

TEST(ApiMisuse, BadFilesAndNamesAreNamed) {
  Context ctx = Context::client();
  expect_error([&] { ctx.load_verify_file("/nonexistent/ca.pem"); }, Error::Kind::configuration, "/nonexistent/ca.pem");
  expect_error([&] { ctx.cipher_suites({"TLS_NO_SUCH_SUITE"}); }, Error::Kind::configuration, "TLS_NO_SUCH_SUITE");
  expect_error([&] { ctx.groups({"x448"}); }, Error::Kind::configuration, "x448");
  expect_error([&] { ctx.verify(Verify::optional); }, Error::Kind::configuration, "for servers");
  expect_error([&] { ctx.add_trust_anchor(as_bytes("not a certificate")); }, Error::Kind::configuration,
               "no certificate");
  expect_error([&] { ctx.verification_policy("strictest"); }, Error::Kind::configuration, "strictest");
  EXPECT_NO_THROW(ctx.verification_policy("Web"));  // names in any case
}

TEST(ApiMisuse, AClientWithoutTrustAnchorsOrNameIsNamed) {
  SocketPair sockets;
  expect_error([&] { Stream tls(Context::client(), sockets.client, "localhost"); }, Error::Kind::configuration,
               "without trust anchors");
  expect_error([&] { Stream tls(test_client_context(), sockets.client); }, Error::Kind::configuration,
               "needs the server's name");
}

TEST(ApiMisuse, WriteOrReadBeforeTheHandshakeIsNamed) {
  SocketPair sockets;
  Stream tls(test_client_context(), sockets.client, "localhost");
  expect_error([&] { tls.write("early"); }, Error::Kind::usage, "write() before the handshake");
  uint8_t byte;
  expect_error([&] { tls.read(std::span<uint8_t>(&byte, 1)); }, Error::Kind::usage, "read() before the handshake");
}

TEST(ApiMisuse, ReadOrWriteAfterShutdownIsNamed) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    tls.handshake();
    uint8_t byte;
    EXPECT_EQ(tls.read(std::span<uint8_t>(&byte, 1)).status, Status::closed);
  });
  Stream tls(test_client_context(), sockets.client, "localhost");
  tls.handshake();
  tls.shutdown();
  uint8_t byte;
  expect_error([&] { tls.read(std::span<uint8_t>(&byte, 1)); }, Error::Kind::usage, "read() after shutdown()");
  expect_error([&] { tls.write("late"); }, Error::Kind::usage, "write() after shutdown()");
  expect_error([&] { tls.offer_session(handshake::Session{}); }, Error::Kind::usage, "offer_session");
  server.get();
}

TEST(ApiMisuse, ShutdownBeforeTheHandshakeSendsNothingAndEndsTheStream) {
  SocketPair sockets;
  Stream tls(test_client_context(), sockets.client, "localhost");
  EXPECT_EQ(tls.shutdown(), Status::done);
  uint8_t byte;
  EXPECT_EQ(::recv(sockets.server, &byte, 1, MSG_DONTWAIT), -1);  // no ClientHello, no alert
  expect_error([&] { tls.handshake(); }, Error::Kind::usage, "handshake() after shutdown()");
}

TEST(ApiMisuse, APeerThatIsNotTlsIsAnErrorNotAHang) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  ASSERT_EQ(::write(sockets.client, "GET / HTTP/1.0\r\n\r\n", 18), 18);
  ::shutdown(sockets.client, SHUT_WR);
  Stream tls(server_ctx, sockets.server);
  try {
    tls.handshake();
    ADD_FAILURE() << "HTTP was taken for TLS";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), Error::Kind::tls) << e.what();
    ASSERT_TRUE(e.alert().has_value());
    EXPECT_TRUE(e.alert_sent());
  }
}

TEST(ApiMisuse, APeerThatHangsUpMidHandshakeIsNamed) {
  SocketPair sockets;
  auto peer = serve([&] {
    uint8_t hello[512];
    EXPECT_GT(::recv(sockets.server, hello, sizeof hello, 0), 0);  // the ClientHello arrives
    ::shutdown(sockets.server, SHUT_WR);                            // and no answer ever comes
  });
  Stream tls(test_client_context(), sockets.client, "localhost");
  expect_error([&] { tls.handshake(); }, Error::Kind::transport, "closed the connection during the handshake");
  peer.get();
}

TEST(ApiMisuse, ATruncatedStreamIsAnErrorNotAnEnd) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  auto server = serve([&] {
    Stream tls(server_ctx, sockets.server);
    tls.handshake();
    tls.write("partial");
    ::shutdown(sockets.server, SHUT_WR);  // TCP ends with no close_notify
  });
  Stream tls(test_client_context(), sockets.client, "localhost");
  tls.handshake();
  server.get();
  EXPECT_EQ(tls.read_string(), "partial");
  expect_error([&] { tls.read_string(); }, Error::Kind::transport, "without close_notify");
}

TEST(ApiMisuse, ASilentPeerEndsAtTheHandshakeDeadline) {
  SocketPair sockets;
  Context server_ctx = test_server_context();
  server_ctx.handshake_timeout(std::chrono::milliseconds(200));
  Stream tls(server_ctx, sockets.server);
  expect_error([&] { tls.handshake(); }, Error::Kind::transport, "did not complete within 200 ms");
}

}  // namespace
}  // namespace tls12
