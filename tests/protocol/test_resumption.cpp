// Session resumption through Connection and the handshake state machines
// (RFC 5246 §7.3 abbreviated handshake, RFC 5077 session tickets, RFC 7627
// §5.3 extended master secret rules): by session ID and by ticket for every
// suite, with and without client certificates; ticket key rotation and grace
// period; expired sessions; cache eviction; tampered tickets; EMS mismatches
// with their alerts; server name and client-certificate policy changes; the
// cache, ticket keys and client store shared between threads; session files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <tuple>

#include "handshake/client.h"
#include "handshake/client_session_store.h"
#include "handshake/server.h"
#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "protocol/connection.h"
#include "tests/handshake/breadth_test_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using handshake::CipherSuite;
using handshake::ClientSessionStore;
using handshake::Session;
using handshake::SessionCache;
using handshake::SessionTicketKeys;
using handshake::TicketKeyOptions;
namespace suites = handshake::suites;
using record::AlertDescription;
using test::pump;
using test::test_pki;

enum class Mode { session_id, ticket };

// A clock the test moves by hand.
struct TestClock {
  std::shared_ptr<std::atomic<int64_t>> time = std::make_shared<std::atomic<int64_t>>(1'700'000'000);
  handshake::Clock clock() const {
    return [t = time] { return t->load(); };
  }
  void advance(int64_t seconds) { *time += seconds; }
};

// One client configuration (with its store) and one shared server
// configuration, wired for resumption in `mode`.
struct Pair {
  TestClock clock;
  ClientConfig client = test::test_client_config();
  ServerConfig server = test::test_server_config();

  explicit Pair(Mode mode, TicketKeyOptions ticket_options = {}) {
    client.session_store = std::make_shared<ClientSessionStore>(ClientSessionStore::default_capacity, clock.clock());
    if (mode == Mode::session_id) {
      server.session_cache = std::make_shared<SessionCache>(100, SessionCache::default_lifetime, clock.clock());
      client.session_tickets = false;
    } else {
      server.ticket_keys = std::make_shared<SessionTicketKeys>(ticket_options, clock.clock());
    }
  }
  std::string key() const { return handshake::session_store_key(client.server_name, client.server_port); }
};

struct Outcome {
  bool client_resumed = false;
  bool server_resumed = false;
  std::vector<Bytes> client_peer_chain, server_peer_chain;
  bool client_peer_verified = false, server_peer_verified = false;
  bool server_client_authenticated = false;
  CipherSuite suite = 0;
};

// A whole connection: handshake, data both ways, close.
Outcome connect(const ClientConfig& client_config, const ServerConfig& server_config) {
  Connection client(client_config);
  Connection server(server_config);
  pump(client, server);
  EXPECT_TRUE(client.handshake_complete()) << client.error() << " / " << server.error();
  EXPECT_TRUE(server.handshake_complete()) << server.error() << " / " << client.error();
  const Bytes ping{'p', 'i', 'n', 'g'}, pong{'p', 'o', 'n', 'g'};
  client.write(ping);
  server.write(pong);
  pump(client, server);
  EXPECT_EQ(server.read_all(), ping);
  EXPECT_EQ(client.read_all(), pong);
  client.close();
  pump(client, server);
  EXPECT_TRUE(server.peer_closed());
  Outcome out;
  out.client_resumed = client.negotiated().resumed;
  out.server_resumed = server.negotiated().resumed;
  out.client_peer_chain = client.peer_certificate_chain();
  out.server_peer_chain = server.peer_certificate_chain();
  out.client_peer_verified = client.peer_verified();
  out.server_peer_verified = server.peer_verified();
  out.server_client_authenticated = server.negotiated().client_authenticated;
  out.suite = client.cipher_suite() ? client.cipher_suite()->id : 0;
  EXPECT_EQ(out.suite, server.cipher_suite() ? server.cipher_suite()->id : 1);
  return out;
}

// ------------------------------------------------------------ each suite, each mode

class Resumption : public ::testing::TestWithParam<std::tuple<CipherSuite, bool, Mode>> {};

TEST_P(Resumption, SecondConnectionIsAbbreviatedWithTheOriginalPeer) {
  auto [suite, mutual, mode] = GetParam();
  Pair pair(mode);
  pair.client.cipher_suites = {suite};
  const bool ed25519 = handshake::find_cipher_suite(suite)->authentication == handshake::Authentication::ecdsa;
  if (ed25519) pair.server.certificate = test::breadth_pki().ed_server;
  if (mutual) {
    pair.server.client_authentication = ClientAuthentication::required;
    pair.client.client_certificate = ed25519 ? test::breadth_pki().ed_client : test_pki().client2048;
  }
  Outcome first = connect(pair.client, pair.server);
  EXPECT_FALSE(first.client_resumed);
  EXPECT_FALSE(first.server_resumed);
  auto kept = pair.client.session_store->find(pair.key());
  ASSERT_TRUE(kept != nullptr);
  EXPECT_EQ(kept->cipher_suite, suite);
  EXPECT_TRUE(kept->extended_master_secret);
  EXPECT_EQ(kept->ticket.empty(), mode == Mode::session_id);
  EXPECT_EQ(kept->session_id.empty(), mode == Mode::ticket);

  Outcome second = connect(pair.client, pair.server);
  EXPECT_TRUE(second.client_resumed);
  EXPECT_TRUE(second.server_resumed);
  EXPECT_EQ(second.suite, suite);
  EXPECT_EQ(second.client_peer_chain, first.client_peer_chain);
  EXPECT_TRUE(second.client_peer_verified);
  EXPECT_EQ(second.server_peer_chain, first.server_peer_chain);
  EXPECT_EQ(second.server_peer_chain.empty(), !mutual);
  EXPECT_EQ(second.server_peer_verified, mutual);
  EXPECT_EQ(second.server_client_authenticated, mutual);

  // And again: a session stays resumable.
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);
}

std::string resumption_name(const ::testing::TestParamInfo<std::tuple<CipherSuite, bool, Mode>>& info) {
  auto [suite, mutual, mode] = info.param;
  return std::string(handshake::find_cipher_suite(suite)->name) + (mutual ? "_mutual" : "_server_auth") +
         (mode == Mode::ticket ? "_ticket" : "_session_id");
}

INSTANTIATE_TEST_SUITE_P(
    AllSuites, Resumption,
    ::testing::Combine(::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                                         suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                         suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_RSA_WITH_AES_256_GCM_SHA384,
                                         suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                                         suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                                         suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384),
                       ::testing::Bool(), ::testing::Values(Mode::session_id, Mode::ticket)),
    resumption_name);

// ------------------------------------------------------------ fallbacks

TEST(ResumptionFallback, UnknownSessionIdGivesAFullHandshakeAndANewSession) {
  Pair pair(Mode::session_id);
  connect(pair.client, pair.server);
  Bytes old_id = pair.client.session_store->find(pair.key())->session_id;
  pair.server.session_cache = std::make_shared<SessionCache>(100, 3600, pair.clock.clock());  // server restarted
  Outcome second = connect(pair.client, pair.server);
  EXPECT_FALSE(second.client_resumed);
  EXPECT_FALSE(second.server_resumed);
  Bytes new_id = pair.client.session_store->find(pair.key())->session_id;
  EXPECT_NE(new_id, old_id);
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);
}

TEST(ResumptionFallback, ServerWithoutCacheOrTicketsGivesNoSession) {
  Pair pair(Mode::session_id);
  pair.server.session_cache.reset();
  Outcome out = connect(pair.client, pair.server);
  EXPECT_FALSE(out.client_resumed);
  EXPECT_EQ(pair.client.session_store->size(), 0u);
}

TEST(ResumptionFallback, ExpiredCacheEntryGivesAFullHandshake) {
  Pair pair(Mode::session_id);
  pair.server.session_cache = std::make_shared<SessionCache>(100, 600, pair.clock.clock());
  connect(pair.client, pair.server);
  pair.clock.advance(599);
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);
  pair.clock.advance(2);  // 601 s after the session was made
  EXPECT_EQ(pair.server.session_cache->find(pair.client.session_store->find(pair.key())->session_id), nullptr);
  EXPECT_FALSE(connect(pair.client, pair.server).server_resumed);
}

TEST(ResumptionFallback, ExpiredTicketGivesAFullHandshake) {
  TicketKeyOptions options;
  options.ticket_lifetime = 300;
  Pair pair(Mode::ticket, options);
  connect(pair.client, pair.server);
  EXPECT_EQ(pair.client.session_store->find(pair.key())->lifetime, 300u);  // the lifetime hint
  Bytes ticket = pair.client.session_store->find(pair.key())->ticket;
  pair.clock.advance(301);
  EXPECT_EQ(pair.server.ticket_keys->open(ticket), std::nullopt);
  // The client drops it too: the lifetime hint has passed.
  EXPECT_EQ(pair.client.session_store->find(pair.key()), nullptr);
  EXPECT_FALSE(connect(pair.client, pair.server).server_resumed);
}

TEST(ResumptionFallback, ClientOffersExpiredTicketAnywayAndGetsAFullHandshake) {
  TicketKeyOptions options;
  options.ticket_lifetime = 300;
  Pair pair(Mode::ticket, options);
  connect(pair.client, pair.server);
  Session kept = *pair.client.session_store->find(pair.key());
  kept.lifetime = 100000;  // a client that ignores the hint
  pair.client.session_store->store(pair.key(), kept);
  pair.clock.advance(301);
  Outcome out = connect(pair.client, pair.server);
  EXPECT_FALSE(out.server_resumed);
  EXPECT_FALSE(out.client_resumed);
  EXPECT_NE(pair.client.session_store->find(pair.key())->ticket, kept.ticket);  // a new ticket
}

TEST(ResumptionFallback, TamperedTicketGivesAFullHandshakeNotAnError) {
  Pair pair(Mode::ticket);
  connect(pair.client, pair.server);
  Session kept = *pair.client.session_store->find(pair.key());
  for (size_t position : {size_t{0}, size_t{20}, kept.ticket.size() / 2, kept.ticket.size() - 1}) {
    Session tampered = kept;
    tampered.ticket[position] ^= 0x01;
    pair.client.session_store->store(pair.key(), tampered);
    Outcome out = connect(pair.client, pair.server);
    EXPECT_FALSE(out.server_resumed) << "bit flipped at " << position;
    EXPECT_FALSE(out.client_resumed);
  }
}

TEST(ResumptionFallback, TicketOpensOnlyIntactAndWhole) {
  TestClock clock;
  SessionTicketKeys keys({}, clock.clock());
  Session session;
  session.cipher_suite = suites::TLS_RSA_WITH_AES_128_GCM_SHA256;
  session.master_secret.assign(48, 0x42);
  session.creation_time = clock.time->load();
  Bytes ticket = keys.seal(session);
  auto opened = keys.open(ticket);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(opened->session.master_secret, session.master_secret);
  EXPECT_FALSE(opened->renew);
  // The master secret does not appear in the clear.
  EXPECT_EQ(std::search(ticket.begin(), ticket.end(), session.master_secret.begin(), session.master_secret.end()),
            ticket.end());
  for (size_t i = 0; i < ticket.size(); ++i) {
    Bytes bad = ticket;
    bad[i] ^= 0x80;
    EXPECT_EQ(keys.open(bad), std::nullopt) << "byte " << i;
  }
  for (size_t n : {size_t{0}, size_t{16}, SessionTicketKeys::overhead, ticket.size() - 1})
    EXPECT_EQ(keys.open(ByteView(ticket).first(n)), std::nullopt) << "length " << n;
  SessionTicketKeys other({}, clock.clock());
  EXPECT_EQ(other.open(ticket), std::nullopt);
}

// ------------------------------------------------------------ ticket key rotation

TEST(TicketKeyRotation, RetiredKeyStillOpensDuringGraceAndTheTicketIsRenewed) {
  TicketKeyOptions options;
  options.rotation_interval = 1000;
  options.grace_period = 500;
  options.ticket_lifetime = 5000;
  Pair pair(Mode::ticket, options);
  connect(pair.client, pair.server);
  Bytes first_ticket = pair.client.session_store->find(pair.key())->ticket;
  EXPECT_EQ(pair.server.ticket_keys->key_count(), 1u);

  pair.clock.advance(1000);  // the key that sealed it retires now
  EXPECT_EQ(pair.server.ticket_keys->key_count(), 2u);
  Outcome out = connect(pair.client, pair.server);
  EXPECT_TRUE(out.server_resumed);
  EXPECT_TRUE(out.client_resumed);
  Bytes renewed = pair.client.session_store->find(pair.key())->ticket;
  EXPECT_NE(renewed, first_ticket);
  EXPECT_NE(pair.server.ticket_keys->open(first_ticket), std::nullopt);
  EXPECT_FALSE(pair.server.ticket_keys->open(renewed)->renew);

  pair.clock.advance(500);  // grace period over: the old key is gone
  EXPECT_EQ(pair.server.ticket_keys->key_count(), 1u);
  EXPECT_EQ(pair.server.ticket_keys->open(first_ticket), std::nullopt);
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);  // with the renewed ticket
}

TEST(TicketKeyRotation, ManualRotationAndOldTicketAfterGrace) {
  TicketKeyOptions options;
  options.grace_period = 100;
  Pair pair(Mode::ticket, options);
  connect(pair.client, pair.server);
  Session kept = *pair.client.session_store->find(pair.key());
  pair.server.ticket_keys->rotate();
  EXPECT_EQ(pair.server.ticket_keys->key_count(), 2u);
  auto opened = pair.server.ticket_keys->open(kept.ticket);
  ASSERT_TRUE(opened.has_value());
  EXPECT_TRUE(opened->renew);
  pair.clock.advance(100);
  EXPECT_EQ(pair.server.ticket_keys->open(kept.ticket), std::nullopt);
  Outcome out = connect(pair.client, pair.server);
  EXPECT_FALSE(out.server_resumed);
}

// ------------------------------------------------------------ cache eviction

TEST(SessionCacheEviction, LeastRecentlyUsedGoesFirst) {
  TestClock clock;
  SessionCache cache(2, 3600, clock.clock());
  auto session = [&](uint8_t tag) {
    Session s;
    s.master_secret.assign(48, tag);
    s.creation_time = clock.time->load();
    return s;
  };
  const Bytes a(32, 'a'), b(32, 'b'), c(32, 'c');
  cache.store(a, session(1));
  cache.store(b, session(2));
  ASSERT_TRUE(cache.find(a) != nullptr);  // a is now the most recent
  cache.store(c, session(3));              // evicts b
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.find(b), nullptr);
  EXPECT_EQ(cache.find(a)->master_secret, SecretBytes(48, 1));
  EXPECT_EQ(cache.find(c)->master_secret, SecretBytes(48, 3));
  cache.erase(a);
  EXPECT_EQ(cache.find(a), nullptr);
  EXPECT_THROW(cache.store(Bytes{}, session(4)), std::invalid_argument);
}

TEST(SessionCacheEviction, EvictedSessionGivesAFullHandshake) {
  Pair first(Mode::session_id);
  first.server.session_cache = std::make_shared<SessionCache>(2, 3600, first.clock.clock());
  // Three clients (three ports, so three store entries) against one server.
  std::vector<ClientConfig> clients;
  for (uint16_t port : {1001, 1002, 1003}) {
    ClientConfig c = first.client;
    c.server_port = port;
    clients.push_back(c);
  }
  for (auto& c : clients) connect(c, first.server);
  EXPECT_EQ(first.server.session_cache->size(), 2u);
  EXPECT_FALSE(connect(clients[0], first.server).server_resumed);  // evicted; now cached again, evicting [1]
  EXPECT_TRUE(connect(clients[2], first.server).server_resumed);
  EXPECT_FALSE(connect(clients[1], first.server).server_resumed);
}

// ------------------------------------------------------------ safety rules

// Builds the ClientHello a client would send for `session`, then sets the
// extended_master_secret extension as the test needs.
Bytes client_hello_offering(const Bytes& session_id, bool ems, const Bytes* ticket = nullptr) {
  handshake::ClientHello hello;
  hello.random.fill(7);
  hello.session_id = session_id;
  hello.cipher_suites = handshake::default_cipher_suites();
  handshake::ClientHelloExtensions ext;
  ext.server_name = "localhost";
  ext.supported_groups = std::vector<handshake::NamedGroup>{handshake::NamedGroup::x25519};
  ext.signature_algorithms = handshake::default_signature_schemes();
  ext.extended_master_secret = ems;
  ext.renegotiation_info = Bytes{};
  if (ticket) ext.session_ticket = *ticket;
  hello.extensions = ext.to_list();
  return hello.encode();
}

Session cached_session(bool ems, int64_t now) {
  Session s;
  s.cipher_suite = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
  s.master_secret.assign(48, 0x33);
  s.extended_master_secret = ems;
  s.server_name = "localhost";
  s.creation_time = now;
  return s;
}

handshake::ServerHello first_server_hello(const handshake::Actions& actions) {
  const auto& send = std::get<handshake::SendHandshake>(actions.at(0));
  auto parts = handshake::split_handshake(send.message);
  EXPECT_EQ(parts.type, handshake::HandshakeType::server_hello);
  return handshake::ServerHello::decode(parts.body);
}

TEST(ExtendedMasterSecretRules, SessionWithoutEmsIsNotResumedByAHelloWithEms) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<SessionCache>(10, 3600, clock.clock());
  const Bytes id(32, 0x11);
  config.session_cache->store(id, cached_session(false, clock.time->load()));
  handshake::Server server(config);
  handshake::Actions actions = server.handle(client_hello_offering(id, true));
  handshake::ServerHello hello = first_server_hello(actions);
  EXPECT_NE(hello.session_id, id);  // a full handshake with a new session
  EXPECT_FALSE(server.negotiated().resumed);
  auto second = std::get<handshake::SendHandshake>(actions.at(1)).message;
  EXPECT_EQ(handshake::split_handshake(second).type, handshake::HandshakeType::certificate);
}

// RFC 7627 §5.3 lets a server abort or carry on unprotected; tls12 does neither
// and runs a full handshake, also under the default (preferred) policy.
TEST(ExtendedMasterSecretRules, SessionWithoutEmsIsNotResumedByAHelloWithoutEms) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  ASSERT_EQ(config.extended_master_secret, handshake::ExtendedMasterSecret::preferred);
  config.session_cache = std::make_shared<SessionCache>(10, 3600, clock.clock());
  config.ticket_keys = std::make_shared<SessionTicketKeys>(TicketKeyOptions{}, clock.clock());
  const Bytes id(32, 0x15);
  config.session_cache->store(id, cached_session(false, clock.time->load()));
  const Bytes ticket = config.ticket_keys->seal(cached_session(false, clock.time->load()));
  for (const Bytes* offered_ticket : {static_cast<const Bytes*>(nullptr), &ticket}) {
    handshake::Server server(config);
    handshake::ServerHello hello = first_server_hello(server.handle(client_hello_offering(id, false, offered_ticket)));
    EXPECT_NE(hello.session_id, id);
    EXPECT_FALSE(server.negotiated().resumed);
  }
}

TEST(ExtendedMasterSecretRules, SessionWithEmsAndHelloWithoutEmsIsHandshakeFailure) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<SessionCache>(10, 3600, clock.clock());
  const Bytes id(32, 0x12);
  config.session_cache->store(id, cached_session(true, clock.time->load()));
  handshake::Server server(config);
  try {
    server.handle(client_hello_offering(id, false));
    FAIL() << "resumed a session with EMS for a hello without it";
  } catch (const record::TlsError& error) {
    EXPECT_EQ(error.alert(), AlertDescription::handshake_failure);
  }
}

TEST(ExtendedMasterSecretRules, SameRulesForTickets) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  config.ticket_keys = std::make_shared<SessionTicketKeys>(TicketKeyOptions{}, clock.clock());
  const Bytes with_ems = config.ticket_keys->seal(cached_session(true, clock.time->load()));
  const Bytes without_ems = config.ticket_keys->seal(cached_session(false, clock.time->load()));
  const Bytes id(32, 0x13);
  {
    handshake::Server server(config);
    EXPECT_EQ(first_server_hello(server.handle(client_hello_offering(id, true, &with_ems))).session_id, id);
    EXPECT_TRUE(server.negotiated().resumed);
  }
  {
    handshake::Server server(config);
    EXPECT_TRUE(first_server_hello(server.handle(client_hello_offering(id, true, &without_ems))).session_id.empty());
    EXPECT_FALSE(server.negotiated().resumed);
  }
  {
    handshake::Server server(config);
    try {
      server.handle(client_hello_offering(id, false, &with_ems));
      FAIL() << "resumed an EMS ticket without EMS";
    } catch (const record::TlsError& error) {
      EXPECT_EQ(error.alert(), AlertDescription::handshake_failure);
    }
  }
}

// A client that offered a session and gets a ServerHello resuming it.
struct ClientResumeCase {
  TestClock clock;
  handshake::ClientConfig config = test::test_client_config();
  Bytes offered_id;
  Session s;
  std::optional<handshake::Client> client;

  explicit ClientResumeCase(bool session_ems) {
    config.session_store = std::make_shared<ClientSessionStore>(10, clock.clock());
    config.session_tickets = false;
    s = cached_session(session_ems, clock.time->load());
    s.lifetime = 3600;
    s.session_id = Bytes(32, 0x21);
    s.peer_verified = true;
    config.session_store->store(handshake::session_store_key("localhost", 443), s);
    client.emplace(config);
    auto actions = client->start();
    auto parts = handshake::split_handshake(std::get<handshake::SendHandshake>(actions.at(0)).message);
    offered_id = handshake::ClientHello::decode(parts.body).session_id;
  }
  handshake::Actions answer(bool ems, CipherSuite suite = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) {
    handshake::ServerHello hello;
    hello.random.fill(9);
    hello.session_id = offered_id;
    hello.cipher_suite = suite;
    handshake::ServerHelloExtensions ext;
    ext.extended_master_secret = ems;
    ext.renegotiation_info = Bytes{};
    hello.extensions = ext.to_list();
    return client->handle(hello.encode());
  }
};

TEST(ExtendedMasterSecretRules, ClientAbortsWhenResumedHelloDropsEms) {
  ClientResumeCase c(true);
  ASSERT_EQ(c.offered_id, Bytes(32, 0x21));
  try {
    c.answer(false);
    FAIL() << "accepted a resumption without EMS";
  } catch (const record::TlsError& error) {
    EXPECT_EQ(error.alert(), AlertDescription::handshake_failure);
  }
}

TEST(ExtendedMasterSecretRules, ClientAcceptsMatchingResumptionAndRejectsAnotherSuite) {
  {
    ClientResumeCase c(true);
    c.answer(true);
    EXPECT_TRUE(c.client->negotiated().resumed);
    EXPECT_EQ(c.client->state(), handshake::ClientState::wait_change_cipher_spec);
  }
  {
    ClientResumeCase c(true);
    try {
      c.answer(true, suites::TLS_RSA_WITH_AES_128_GCM_SHA256);
      FAIL() << "accepted a resumption with another suite";
    } catch (const record::TlsError& error) {
      EXPECT_EQ(error.alert(), AlertDescription::illegal_parameter);
    }
  }
}

TEST(ExtendedMasterSecretRules, ClientDoesNotOfferASessionWithoutEms) {
  ClientResumeCase c(false);
  EXPECT_TRUE(c.offered_id.empty());
}

TEST(ResumptionSafety, OtherServerNameGivesAFullHandshake) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<SessionCache>(10, 3600, clock.clock());
  const Bytes id(32, 0x14);
  Session s = cached_session(true, clock.time->load());
  s.server_name = "other.example";
  config.session_cache->store(id, s);
  handshake::Server server(config);
  EXPECT_NE(first_server_hello(server.handle(client_hello_offering(id, true))).session_id, id);
  EXPECT_FALSE(server.negotiated().resumed);
}

// tlsfuzzer's test-resumption-with-wrong-ciphers: a ClientHello that offers
// the session (by ID or ticket) without its suite breaks §7.4.1.2 ("MUST
// include at least the cipher_suite from that session"); the session cannot
// be resumed, so the server runs a full handshake with a new session rather
// than fail. With the suite among others, the session's suite is kept even
// where a full handshake would choose another.
TEST(ResumptionSafety, SessionSuiteNotOfferedGivesAFullHandshake) {
  TestClock clock;
  handshake::ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<SessionCache>(10, 3600, clock.clock());
  const Bytes id(32, 0x16);
  Session s = cached_session(true, clock.time->load());
  s.cipher_suite = suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384;
  config.session_cache->store(id, s);
  {
    handshake::ClientHello hello = handshake::ClientHello::decode(
        ByteView(client_hello_offering(id, true)).subspan(handshake::handshake_header_size));
    std::erase(hello.cipher_suites, s.cipher_suite);
    handshake::Server server(config);
    handshake::ServerHello reply = first_server_hello(server.handle(hello.encode()));
    EXPECT_NE(reply.session_id, id);
    EXPECT_NE(reply.cipher_suite, s.cipher_suite);
    EXPECT_FALSE(server.negotiated().resumed);
  }
  {
    handshake::Server server(config);
    handshake::ServerHello reply = first_server_hello(server.handle(client_hello_offering(id, true)));
    EXPECT_EQ(reply.session_id, id);
    EXPECT_EQ(reply.cipher_suite, s.cipher_suite);  // not the server's first choice, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    EXPECT_TRUE(server.negotiated().resumed);
  }
}

TEST(ResumptionSafety, StricterClientCertificatePolicyGivesAFullHandshake) {
  Pair pair(Mode::ticket);
  connect(pair.client, pair.server);  // made without client authentication
  pair.server.client_authentication = ClientAuthentication::required;
  pair.client.client_certificate = test_pki().client2048;
  Outcome out = connect(pair.client, pair.server);
  EXPECT_FALSE(out.server_resumed);
  EXPECT_TRUE(out.server_client_authenticated);
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);  // now under the new policy
}

TEST(ResumptionSafety, UnverifiedSessionIsNotOfferedWhenVerificationIsOn) {
  Pair pair(Mode::session_id);
  pair.client.verify_server_certificate = false;
  pair.client.trust_store.reset();
  EXPECT_FALSE(connect(pair.client, pair.server).client_peer_verified);
  EXPECT_TRUE(connect(pair.client, pair.server).client_resumed);  // still unverified: may resume
  pair.client.verify_server_certificate = true;
  pair.client.trust_store = test_pki().ca;
  Outcome out = connect(pair.client, pair.server);
  EXPECT_FALSE(out.client_resumed);
  EXPECT_TRUE(out.client_peer_verified);
  EXPECT_TRUE(connect(pair.client, pair.server).client_resumed);
}

TEST(ResumptionSafety, AlpnIsNegotiatedAgainOnResumption) {
  Pair pair(Mode::ticket);
  pair.server.alpn_protocols = {"h2", "http/1.1"};
  pair.client.alpn_protocols = {"http/1.1"};
  connect(pair.client, pair.server);
  pair.client.alpn_protocols = {"h2"};
  Connection client(pair.client), server(pair.server);
  pump(client, server);
  ASSERT_TRUE(client.handshake_complete()) << client.error();
  EXPECT_TRUE(server.negotiated().resumed);
  EXPECT_EQ(server.negotiated().alpn_protocol, "h2");
  EXPECT_EQ(client.negotiated().alpn_protocol, "h2");
}

TEST(ResumptionSafety, MissingNewSessionTicketIsUnexpectedMessage) {
  // A server that announces a ticket (RFC 5077 §3.2) must send NewSessionTicket
  // before ChangeCipherSpec.
  ClientResumeCase c(true);
  handshake::ServerHello hello;
  hello.session_id = c.offered_id;
  hello.cipher_suite = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
  // Offered tickets are needed for the extension to be allowed.
  handshake::ClientConfig config = c.config;
  config.session_tickets = true;
  // The first client took the session out of the store when it offered it.
  config.session_store->store(handshake::session_store_key("localhost", 443), c.s);
  handshake::Client client(config);
  auto actions = client.start();
  auto parts = handshake::split_handshake(std::get<handshake::SendHandshake>(actions.at(0)).message);
  hello.session_id = handshake::ClientHello::decode(parts.body).session_id;
  handshake::ServerHelloExtensions ext;
  ext.extended_master_secret = true;
  ext.session_ticket = true;
  hello.extensions = ext.to_list();
  client.handle(hello.encode());
  ASSERT_TRUE(client.negotiated().resumed);
  try {
    client.handle_change_cipher_spec();
    FAIL() << "ChangeCipherSpec accepted before the promised NewSessionTicket";
  } catch (const record::TlsError& error) {
    EXPECT_EQ(error.alert(), AlertDescription::unexpected_message);
  }
}

// ------------------------------------------------------------ no lock-out

// A client chain far larger than the server's ClientHello limit: the ticket
// carries the leaf only, so every reconnection fits and resumes.
TEST(ResumptionLockOut, LargeClientChainStillResumesThreeTimes) {
  Pair pair(Mode::ticket);
  pair.server.client_authentication = ClientAuthentication::required;
  pair.server.limits.max_client_hello_size = 16 * 1024;
  pair.server.limits.max_certificate_chain_length = 64;
  handshake::CertifiedKey big = test_pki().client2048;
  const Bytes ca = test_pki().ca->anchors().front().der();
  while (big.certificate_chain.size() < 40) big.certificate_chain.push_back(ca);  // extra certificates are allowed
  size_t chain_size = 0;
  for (const Bytes& certificate : big.certificate_chain) chain_size += certificate.size();
  ASSERT_GT(chain_size, pair.server.limits.max_client_hello_size);
  pair.server.limits.max_certificate_chain_size = chain_size;
  pair.server.max_handshake_message_size = chain_size + 1024;
  pair.client.client_certificate = big;
  Outcome first = connect(pair.client, pair.server);
  EXPECT_FALSE(first.server_resumed);
  EXPECT_EQ(first.server_peer_chain.size(), 40u);
  for (int i = 0; i < 3; ++i) {
    Outcome again = connect(pair.client, pair.server);
    EXPECT_TRUE(again.client_resumed) << "reconnection " << i;
    EXPECT_TRUE(again.server_resumed) << "reconnection " << i;
    ASSERT_EQ(again.server_peer_chain.size(), 1u);  // the leaf, as the ticket kept it
    EXPECT_EQ(again.server_peer_chain[0], big.certificate_chain[0]);
    EXPECT_TRUE(again.server_client_authenticated);
  }
}

// A ticket that would not fit in the client's next ClientHello (its extension
// block is at most 65,535 bytes) is not kept: the next connection is a full
// handshake instead of an internal_error before anything is sent.
TEST(ResumptionLockOut, ClientDoesNotKeepATicketItCouldNotSend) {
  Pair pair(Mode::ticket);
  constexpr size_t room_for_ticket = 100;  // less than any sealed ticket (overhead 44 + state)
  pair.client.edit_client_hello = [](handshake::ClientHello& hello) {
    size_t block = 0;
    for (const handshake::Extension& extension : hello.extensions) block += 4 + extension.data.size();
    // The empty session_ticket extension's 4 bytes are counted already.
    hello.extensions.push_back({static_cast<handshake::ExtensionType>(21), Bytes(0xffff - block - 4 - room_for_ticket, 0)});
  };
  for (int i = 0; i < 3; ++i) {
    Outcome out = connect(pair.client, pair.server);
    EXPECT_FALSE(out.server_resumed) << "connection " << i;
    EXPECT_EQ(pair.client.session_store->find(pair.key()), nullptr) << "connection " << i;
  }
}

// RFC 5077 §3.3's ticket_lifetime_hint is a uint32: up to 136 years. The client
// honours 7 days at most.
TEST(ResumptionLockOut, ClientCapsTheTicketLifetimeAtSevenDays) {
  TicketKeyOptions options;
  options.ticket_lifetime = 0xffffffff;
  options.rotation_interval = 0x7fffffff;
  options.grace_period = 0x7fffffff;
  Pair pair(Mode::ticket, options);
  connect(pair.client, pair.server);
  auto kept = pair.client.session_store->find(pair.key());
  ASSERT_TRUE(kept != nullptr);
  EXPECT_EQ(kept->lifetime, 7u * 24 * 60 * 60);
  pair.clock.advance(7 * 24 * 60 * 60);
  EXPECT_EQ(pair.client.session_store->find(pair.key()), nullptr);
  EXPECT_FALSE(connect(pair.client, pair.server).server_resumed);
}

// A resumption attempt that fails (here: the server refuses the larger hello)
// makes the client forget the session, so the next connection starts afresh.
TEST(ResumptionLockOut, ClientForgetsASessionWhoseResumptionFailed) {
  Pair pair(Mode::ticket);
  size_t fresh_hello = 0;
  pair.client.edit_client_hello = [&](handshake::ClientHello& hello) {
    if (fresh_hello == 0) fresh_hello = hello.encode().size();
  };
  connect(pair.client, pair.server);
  ASSERT_TRUE(pair.client.session_store->find(pair.key()) != nullptr);
  pair.server.limits.max_client_hello_size = fresh_hello + 8;  // a ticket and session ID do not fit
  {
    Connection client(pair.client);
    Connection server(pair.server);
    pump(client, server);
    test::expect_alert(server, client, AlertDescription::illegal_parameter);
  }
  EXPECT_EQ(pair.client.session_store->find(pair.key()), nullptr);
  Outcome after = connect(pair.client, pair.server);  // a fresh hello fits
  EXPECT_FALSE(after.server_resumed);
  pair.server.limits = handshake::HandshakeLimits{};
  EXPECT_TRUE(connect(pair.client, pair.server).server_resumed);
}

// ------------------------------------------------------------ threads

TEST(ResumptionThreads, CacheTicketKeysAndStoreSharedByThreads) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr int rounds = 200;
#else
  constexpr int rounds = 2000;
#endif
  TestClock clock;
  SessionCache cache(64, 3600, clock.clock());
  TicketKeyOptions options;
  options.rotation_interval = 5;
  options.grace_period = 5;
  SessionTicketKeys keys(options, clock.clock());
  ClientSessionStore store(16, clock.clock());
  std::atomic<int> failures{0};
  std::atomic<int> guaranteed_opens{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        Session s;
        s.master_secret.assign(48, static_cast<uint8_t>(t));
        s.creation_time = clock.time->load();
        s.lifetime = 3600;
        Bytes id(32, static_cast<uint8_t>(i % 100));
        id[0] = static_cast<uint8_t>(t);
        cache.store(id, s);
        auto found = cache.find(id);  // may have been evicted by another thread, never torn
        if (found && found->master_secret != SecretBytes(48, static_cast<uint8_t>(t))) ++failures;
        // What holds under any interleaving: a ticket's key retires after the
        // ticket was sealed and is dropped grace_period after retiring, so a
        // ticket opened at most grace_period after sealing opens. A thread
        // descheduled between seal and open while thread 0 moves the clock on
        // may see its ticket's key gone: a full handshake, not a failure.
        const int64_t before_seal = clock.time->load();
        Bytes ticket = keys.seal(s);
        auto opened = keys.open(ticket);
        const int64_t after_open = clock.time->load();
        if (opened && opened->session.master_secret != s.master_secret) ++failures;  // never torn
        if (after_open - before_seal <= static_cast<int64_t>(options.grace_period)) {
          if (!opened) ++failures;
          ++guaranteed_opens;
        }
        store.store("host:" + std::to_string(i % 32), s);
        store.find("host:" + std::to_string((i + t) % 32));
        if (t == 0 && i % 100 == 0) clock.advance(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  // Thread 0 moves the clock only between its own seal/open pairs.
  EXPECT_GE(guaranteed_opens.load(), rounds);
  EXPECT_LE(cache.size(), 64u);
  EXPECT_LE(store.size(), 16u);
}

TEST(ResumptionThreads, ConnectionsOnSeveralThreadsShareOneServerConfiguration) {
  Pair pair(Mode::session_id);
  pair.server.ticket_keys = std::make_shared<SessionTicketKeys>(TicketKeyOptions{}, pair.clock.clock());
  auto server = std::make_shared<const ServerConfig>(pair.server);
  std::atomic<int> resumed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      ClientConfig client = pair.client;
      client.session_tickets = t % 2 == 0;
      client.server_port = static_cast<uint16_t>(2000 + t);
      for (int i = 0; i < 4; ++i) {
        Connection c(client), s(server);
        pump(c, s);
        if (c.handshake_complete() && s.negotiated().resumed && c.negotiated().resumed) ++resumed;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(resumed.load(), 3 * 3);  // all but each thread's first
}

// ------------------------------------------------------------ session files

TEST(SessionFile, SaveAndLoadRoundTripAndResume) {
  Pair pair(Mode::ticket);
  connect(pair.client, pair.server);
  Session kept = *pair.client.session_store->find(pair.key());
  auto path = std::filesystem::temp_directory_path() / ("tls12-session-" + std::to_string(::getpid()) + ".pem");
  handshake::save_client_session(path.string(), kept);
  EXPECT_EQ(std::filesystem::status(path).permissions() &
                (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  Session loaded = handshake::load_client_session(path.string());
  EXPECT_EQ(handshake::encode_session(loaded), handshake::encode_session(kept));

  // A fresh store (a new process) resumes with the loaded session.
  pair.client.session_store = std::make_shared<ClientSessionStore>(10, pair.clock.clock());
  pair.client.session_store->store(pair.key(), loaded);
  EXPECT_TRUE(connect(pair.client, pair.server).client_resumed);

  {
    std::ofstream out(path, std::ios::trunc);
    out << "-----BEGIN TLS12 SESSION-----\n0102\n-----END TLS12 SESSION-----\n";
  }
  EXPECT_THROW(handshake::load_client_session(path.string()), std::invalid_argument);
  {
    std::ofstream out(path, std::ios::trunc);
    out << "not a session\n";
  }
  EXPECT_THROW(handshake::load_client_session(path.string()), std::invalid_argument);
  std::filesystem::remove(path);
  EXPECT_THROW(handshake::load_client_session(path.string()), std::runtime_error);
}

// Owner-only at open, whatever the umask, and an existing file written over
// loses group and other access first (crypto/secret_file.h).
TEST(SessionFile, IsMode0600EvenOverAWorldReadableFile) {
  const Session s = cached_session(true, 5);
  auto dir = test::make_temp_dir("tls12-session-mode");
  const auto fresh = dir / "fresh.pem", existing = dir / "existing.pem";
  { std::ofstream(existing) << "old\n"; }
  std::filesystem::permissions(existing, std::filesystem::perms(0644));
  const mode_t old_mask = ::umask(0);  // the most permissive umask a process can have
  handshake::save_client_session(fresh.string(), s);
  handshake::save_client_session(existing.string(), s);
  ::umask(old_mask);
  for (const auto& path : {fresh, existing}) {
    EXPECT_EQ(std::filesystem::status(path).permissions(), std::filesystem::perms(0600)) << path;
    EXPECT_EQ(handshake::encode_session(handshake::load_client_session(path.string())), handshake::encode_session(s));
  }
  std::filesystem::remove_all(dir);
}

TEST(SessionFile, DecodeRejectsTrailingBytesAndBadSecretLength) {
  Session s = cached_session(true, 5);
  s.peer_certificate_chain = {Bytes{1, 2, 3}};
  Bytes encoded = handshake::encode_session(s);
  Session back = handshake::decode_session(encoded);
  EXPECT_EQ(back.peer_certificate_chain, s.peer_certificate_chain);
  EXPECT_EQ(back.creation_time, 5);
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_THROW(handshake::decode_session(longer), std::invalid_argument);
  EXPECT_THROW(handshake::decode_session(ByteView(encoded).first(encoded.size() - 1)), std::invalid_argument);
  s.master_secret.resize(47);
  EXPECT_THROW(handshake::encode_session(s), std::invalid_argument);
}


// ------------------------------------------------------------ sharing, not copying

// A resumed handshake takes the session the store or cache holds and keeps the
// very same object again: the store's session after the resumption is the one
// before it (a copy would be a different object), and the resumed peer chain
// is read from that session.
TEST(ResumptionSharing, ClientStoreKeepsTheSameSessionObjectAfterResumingBySessionId) {
  Pair pair(Mode::session_id);
  connect(pair.client, pair.server);
  handshake::SharedSession before = pair.client.session_store->find(pair.key());
  ASSERT_NE(before, nullptr);
  Outcome out = connect(pair.client, pair.server);
  ASSERT_TRUE(out.client_resumed);
  handshake::SharedSession after = pair.client.session_store->find(pair.key());
  EXPECT_EQ(after.get(), before.get());
  EXPECT_EQ(out.client_peer_chain, before->peer_certificate_chain);
  EXPECT_FALSE(out.client_peer_chain.empty());
}

TEST(ResumptionSharing, ServerResumesTheCachedSessionObjectAndReportsItsChain) {
  Pair pair(Mode::session_id);
  pair.server.client_authentication = ClientAuthentication::required;
  pair.client.client_certificate = test_pki().client2048;
  connect(pair.client, pair.server);
  handshake::SharedSession client_side = pair.client.session_store->find(pair.key());
  ASSERT_NE(client_side, nullptr);
  handshake::SharedSession cached = pair.server.session_cache->find(client_side->session_id);
  ASSERT_NE(cached, nullptr);
  const long owners_before = cached.use_count();
  Connection client(pair.client);
  Connection server(pair.server);
  pump(client, server);
  ASSERT_TRUE(server.negotiated().resumed);
  // The server's connection holds the cache's session itself: one owner more.
  EXPECT_EQ(server.negotiated().session.get(), cached.get());
  EXPECT_EQ(cached.use_count(), owners_before + 1);
  EXPECT_EQ(&server.peer_certificate_chain(), &cached->peer_certificate_chain);
  EXPECT_FALSE(server.peer_certificate_chain().empty());
}

TEST(ResumptionSharing, TicketWithoutSessionIdGetsAFreshIdPerHelloAndLeavesTheSessionAlone) {
  Pair pair(Mode::ticket);
  connect(pair.client, pair.server);
  Session kept = *pair.client.session_store->find(pair.key());
  kept.session_id.clear();
  pair.client.session_store->store(pair.key(), kept);
  handshake::SharedSession before = pair.client.session_store->find(pair.key());
  Outcome out = connect(pair.client, pair.server);
  EXPECT_TRUE(out.client_resumed);
  EXPECT_TRUE(out.server_resumed);
  handshake::SharedSession after = pair.client.session_store->find(pair.key());
  ASSERT_NE(after, nullptr);
  EXPECT_TRUE(after->session_id.empty());  // the random ID was the ClientHello's only
  EXPECT_EQ(after.get(), before.get());  // no ticket renewal: the same session, not a copy
}

}  // namespace
}  // namespace tls12::protocol
