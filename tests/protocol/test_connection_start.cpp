// The engine's entry points for applications (protocol/connection.h): a client
// created and then started, a session offered on one connection only, the
// one status() query, the copy-free output path, credentials from memory
// (handshake::CertifiedKey::from_memory, x509::TrustStore::add_der) and
// registry names looked up without regard to case.
#include <gtest/gtest.h>

#include "handshake/cipher_suites.h"
#include "handshake/session_cache.h"
#include "protocol/connection.h"
#include "tests/protocol/handshake_test_support.h"
#include "x509/certificate.h"
#include "x509/keys.h"

namespace tls12::protocol {
namespace {

using record::AlertDescription;
using test::pki_file;
using test::pump;

// Moves bytes with pending_output()/consume_output() only, the way a driver
// without copies does, in pieces of at most `piece` bytes.
void pump_in_place(Connection& client, Connection& server, size_t piece) {
  for (int round = 0; round < 1000; ++round) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&client, &server}, std::pair{&server, &client}}) {
      ByteView out = from->pending_output();
      if (out.empty()) continue;
      size_t n = std::min(out.size(), piece);
      to->feed(out.first(n));
      from->consume_output(n);
      moved = true;
    }
    if (!moved) return;
  }
  FAIL() << "pump_in_place: the connections never went quiet";
}

TEST(ConnectionStart, ClientWritesNothingUntilStarted) {
  Connection client(test::test_client_config());
  EXPECT_EQ(client.handshake_state(), "start");
  EXPECT_TRUE(client.wants_write());  // the ClientHello is still to come
  EXPECT_EQ(client.status(), Status::want_write);
  client.start();
  EXPECT_EQ(client.handshake_state(), "wait_server_hello");
  ByteView hello = client.pending_output();
  ASSERT_GE(hello.size(), 9u);
  EXPECT_EQ(hello[0], 22);  // a handshake record
  EXPECT_EQ(hello[5], 1);   // holding a ClientHello
  client.start();           // a second start writes nothing more
  EXPECT_EQ(client.pending_output().size(), hello.size());
}

TEST(ConnectionStart, AClientClosedBeforeItStartedSendsNothing) {
  Connection client(test::test_client_config());
  client.close();
  EXPECT_TRUE(client.pending_output().empty());
  EXPECT_EQ(client.status(), Status::closed);
  EXPECT_THROW(client.write(as_bytes("late")), std::logic_error);
}

TEST(ConnectionStart, FeedingStartsAClientThatWasNotStarted) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump(client, server);  // take_output() starts the client
  EXPECT_TRUE(client.handshake_complete());
  EXPECT_TRUE(server.handshake_complete());
}

TEST(ConnectionStart, StatusFollowsTheHandshakeAndTheClose) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  EXPECT_EQ(server.status(), Status::want_read);
  client.start();
  EXPECT_EQ(client.status(), Status::want_write);
  server.feed(client.take_output());
  EXPECT_EQ(client.status(), Status::want_read);
  EXPECT_EQ(server.status(), Status::want_write);
  pump(client, server);
  EXPECT_EQ(client.status(), Status::done);
  EXPECT_EQ(server.status(), Status::done);
  client.close();
  EXPECT_EQ(client.status(), Status::want_write);
  pump(client, server);
  EXPECT_EQ(client.status(), Status::closed);
  EXPECT_EQ(server.status(), Status::closed);
  EXPECT_EQ(status_name(Status::closed), "closed");
}

TEST(ConnectionStart, StatusIsErrorAfterAFailureOnceTheAlertIsSent) {
  ClientConfig config = test::test_client_config();
  config.trust_store = test::test_pki().other_ca;  // does not sign the server's certificate
  Connection client(config);
  Connection server(test::test_server_config());
  pump(client, server);
  EXPECT_EQ(client.status(), Status::error);
  EXPECT_EQ(server.status(), Status::error);
  ASSERT_TRUE(client.alert_sent().has_value());
  EXPECT_EQ(client.alert_sent()->description, AlertDescription::unknown_ca);
}

TEST(ConnectionStart, StatusIsErrorWhenTheStreamIsCut) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump(client, server);
  client.feed_eof();
  EXPECT_TRUE(client.truncated());
  EXPECT_EQ(client.status(), Status::error);
}

TEST(ConnectionStart, InPlaceOutputCarriesAWholeHandshakeInSmallPieces) {
  Connection client(test::test_client_config());
  Connection server(test::test_server_config());
  pump_in_place(client, server, 7);
  ASSERT_TRUE(client.handshake_complete()) << client.error();
  client.write(as_bytes("ping"));
  pump_in_place(client, server, 3);
  EXPECT_EQ(server.read_all(), Bytes(as_bytes("ping").begin(), as_bytes("ping").end()));
}

ServerConfig resuming_server() {
  ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<handshake::SessionCache>();
  return config;
}

TEST(ConnectionStart, AGivenSessionIsOfferedOnThatConnectionOnly) {
  auto server_config = std::make_shared<const ServerConfig>(resuming_server());
  ClientConfig client_config = test::test_client_config();
  client_config.session_tickets = false;  // by session ID, through the server's cache

  Connection first(client_config);
  Connection server1(server_config);
  pump(first, server1);
  ASSERT_TRUE(first.handshake_complete());
  ASSERT_TRUE(first.session().has_value()) << "no session from a server with a cache";
  EXPECT_FALSE(first.negotiated().resumed);

  Connection second(client_config);
  second.offer_session(*first.session());
  Connection server2(server_config);
  pump(second, server2);
  ASSERT_TRUE(second.handshake_complete()) << second.error();
  EXPECT_TRUE(second.negotiated().resumed);
  EXPECT_TRUE(server2.negotiated().resumed);

  // No store in the configuration: a third connection has nothing to offer.
  Connection third(client_config);
  Connection server3(server_config);
  pump(third, server3);
  EXPECT_FALSE(third.negotiated().resumed);
}

ServerConfig ticket_server() {
  ServerConfig config = test::test_server_config();
  config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  return config;
}

TEST(ConnectionStart, ASessionByTicketResumes) {
  auto server_config = std::make_shared<const ServerConfig>(ticket_server());
  ClientConfig client_config = test::test_client_config();
  client_config.keep_session = true;  // ask for a ticket without a store
  Connection first(client_config);
  Connection server1(server_config);
  pump(first, server1);
  ASSERT_TRUE(first.session().has_value());
  EXPECT_FALSE(first.session()->ticket.empty());
  Connection second(client_config);
  second.offer_session(*first.session());
  Connection server2(server_config);
  pump(second, server2);
  EXPECT_TRUE(second.negotiated().resumed);
}

TEST(ConnectionStart, WithoutStoreOrKeepSessionNoTicketIsAskedFor) {
  Connection client(test::test_client_config());
  Connection server_connection(ticket_server());
  pump(client, server_connection);
  ASSERT_TRUE(client.handshake_complete());
  EXPECT_FALSE(client.session().has_value());
}

TEST(ConnectionStart, ASessionForAnotherServerNameIsNotOffered) {
  auto server_config = std::make_shared<const ServerConfig>(resuming_server());
  Connection first(test::test_client_config());
  Connection server1(server_config);
  pump(first, server1);
  ASSERT_TRUE(first.session().has_value());
  handshake::Session other = *first.session();
  other.server_name = "example.com";
  Connection second(test::test_client_config());
  second.offer_session(other);
  Connection server2(server_config);
  pump(second, server2);
  ASSERT_TRUE(second.handshake_complete());
  EXPECT_FALSE(second.negotiated().resumed);
}

TEST(ConnectionStart, OfferingASessionAfterStartOrOnAServerIsRefused) {
  Connection client(test::test_client_config());
  client.start();
  EXPECT_THROW(client.offer_session(handshake::Session{}), std::logic_error);
  Connection server(test::test_server_config());
  EXPECT_THROW(server.offer_session(handshake::Session{}), std::logic_error);
  EXPECT_FALSE(server.session().has_value());
}

TEST(ConnectionStart, CredentialsFromMemoryHandshake) {
  Bytes chain = test::read_file(pki_file("server.pem"));
  Bytes key = test::read_file(pki_file("server.key"));
  ServerConfig server_config = test::test_server_config();
  server_config.certificate = handshake::CertifiedKey::from_memory(chain, key);

  // The CA as DER bytes, as an application might hold it.
  std::vector<Bytes> ca_der = x509::certificate_ders(test::read_text(pki_file("ca.pem")));
  ASSERT_EQ(ca_der.size(), 1u);
  auto trust = std::make_shared<x509::TrustStore>();
  trust->add_der(ca_der.front());
  ClientConfig client_config = test::test_client_config();
  client_config.trust_store = trust;

  Connection client(client_config);
  Connection server(server_config);
  pump(client, server);
  EXPECT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_TRUE(client.peer_verified());
}

TEST(ConnectionStart, AKeyAsDerBytesLoads) {
  x509::PrivateKey pem_key = x509::load_private_key_file(pki_file("server.key"));
  // PKCS#8 DER of the same key, made by the oracle.
  test::CommandResult r = test::run_command("openssl pkcs8 -topk8 -nocrypt -outform DER -in '" +
                                            pki_file("server.key") + "' -out '" + pki_file("server-key.der") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Bytes der = test::read_file(pki_file("server-key.der"));
  x509::PrivateKey der_key = x509::load_private_key(der);
  EXPECT_TRUE(x509::same_public_key(x509::public_key_of(pem_key), x509::public_key_of(der_key)));
  EXPECT_THROW(x509::load_private_key(as_bytes("not a key")), std::runtime_error);
}

TEST(ConnectionStart, AKeyOfAnotherCertificateIsNamedAsSuch) {
  Bytes chain = test::read_file(pki_file("server.pem"));
  Bytes other_key = test::read_file(pki_file("client2048.key"));
  try {
    handshake::CertifiedKey::from_memory(chain, other_key);
    FAIL() << "a key of another certificate was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("does not belong to the certificate"), std::string::npos) << e.what();
  }
  EXPECT_THROW(handshake::CertifiedKey::from_memory(as_bytes(""), other_key), std::runtime_error);
}

TEST(ConnectionStart, TrustStoreTakesPemOrDer) {
  x509::TrustStore store;
  Bytes pem = test::read_file(pki_file("ca.pem"));
  EXPECT_EQ(store.add_pem_or_der(pem), 1u);
  std::vector<Bytes> der = x509::certificate_ders(test::read_text(pki_file("ca.pem")));
  EXPECT_EQ(store.add_pem_or_der(der.front()), 1u);
  EXPECT_EQ(store.anchors().size(), 2u);
  EXPECT_ANY_THROW(store.add_der(as_bytes("garbage")));
}

TEST(ConnectionStart, RegistryNamesIgnoreCase) {
  EXPECT_EQ(handshake::find_named_group("X25519"), handshake::NamedGroup::x25519);
  EXPECT_EQ(handshake::find_named_group("FFDHE2048"), handshake::NamedGroup::ffdhe2048);
  EXPECT_FALSE(handshake::find_named_group("x2551").has_value());
  ASSERT_NE(handshake::find_cipher_suite(std::string_view("tls_ecdhe_rsa_with_aes_128_gcm_sha256")), nullptr);
  ASSERT_NE(handshake::find_cipher_suite(std::string_view("ecdhe-rsa-aes128-gcm-sha256")), nullptr);
  ASSERT_NE(handshake::find_signature_scheme(std::string_view("RSA_PSS_RSAE_SHA256")), nullptr);
  EXPECT_EQ(handshake::find_signature_scheme(std::string_view("RSA_PSS_RSAE_SHA256"))->scheme,
            handshake::SignatureScheme::rsa_pss_rsae_sha256);
}

}  // namespace
}  // namespace tls12::protocol
