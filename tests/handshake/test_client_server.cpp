// The client and server state machines driven directly, message by message
// (no record layer): every out-of-order message on both sides is
// unexpected_message (RFC 5246 §7.3), and messages tampered with in flight
// are caught with the exact alert (§7.2.2): Finished, the ServerKeyExchange
// signature, CertificateVerify, all-zero x25519 shares, extensions the client
// never offered, old versions, missing signature_algorithms.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>
#include <set>

#include "handshake/client.h"
#include "handshake/key_schedule.h"
#include "handshake/messages.h"
#include "handshake/server.h"
#include "handshake/signing.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/state_machine_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::TlsError;
using test_support::collect;
using test_support::Msg;
using test_support::Outcome;
using test_support::run;
using test_support::Tamper;

using test_support::client_config;
using test_support::server_config;

using test_support::alert_of;

const std::vector<HandshakeType> all_types = {
    HandshakeType::hello_request,      HandshakeType::client_hello,        HandshakeType::server_hello,
    HandshakeType::new_session_ticket, HandshakeType::certificate,         HandshakeType::server_key_exchange,
    HandshakeType::certificate_request, HandshakeType::server_hello_done,  HandshakeType::certificate_verify,
    HandshakeType::client_key_exchange, HandshakeType::finished,           static_cast<HandshakeType>(99)};

// What RFC 5246 §7.3 allows the client to receive in each state.
std::vector<HandshakeType> allowed(ClientState state) {
  using T = HandshakeType;
  switch (state) {
    case ClientState::wait_server_hello: return {T::server_hello, T::hello_request};
    case ClientState::wait_certificate: return {T::certificate, T::hello_request};
    case ClientState::wait_server_key_exchange: return {T::server_key_exchange, T::hello_request};
    case ClientState::wait_certificate_request: return {T::certificate_request, T::server_hello_done, T::hello_request};
    case ClientState::wait_server_hello_done: return {T::server_hello_done, T::hello_request};
    case ClientState::wait_change_cipher_spec: return {T::hello_request};
    case ClientState::wait_finished: return {T::finished, T::hello_request};
    case ClientState::connected: return {T::hello_request};
    case ClientState::start: return {};
  }
  return {};
}

std::vector<HandshakeType> allowed(ServerState state) {
  using T = HandshakeType;
  switch (state) {
    case ServerState::wait_client_hello: return {T::client_hello};
    case ServerState::wait_client_certificate: return {T::certificate};
    case ServerState::wait_client_key_exchange: return {T::client_key_exchange};
    case ServerState::wait_certificate_verify: return {T::certificate_verify};
    case ServerState::wait_change_cipher_spec: return {};
    case ServerState::wait_finished: return {T::finished};
    case ServerState::connected: return {T::client_hello};
  }
  return {};
}

// In the machine's current state, every message type it must not accept is
// unexpected_message, and so is ChangeCipherSpec unless it is its turn. The
// check comes before any decoding or state change, so the handshake can go on
// afterwards. Returns how many messages were refused.
template <class Machine, class State>
int refuse_everything_unexpected(Machine& machine, State ccs_state) {
  int refused = 0;
  auto ok = allowed(machine.state());
  for (HandshakeType type : all_types) {
    if (std::find(ok.begin(), ok.end(), type) != ok.end()) continue;
    Bytes message = wrap_handshake(type, {});
    EXPECT_EQ(alert_of([&] { machine.handle(message); }), AlertDescription::unexpected_message)
        << handshake_type_name(type) << " in state " << state_name(machine.state());
    ++refused;
  }
  if (machine.state() != ccs_state) {
    EXPECT_EQ(alert_of([&] { machine.handle_change_cipher_spec(); }), AlertDescription::unexpected_message)
        << "ChangeCipherSpec in state " << state_name(machine.state());
    ++refused;
  }
  return refused;
}

class OutOfOrder : public ::testing::TestWithParam<std::tuple<bool, CipherSuite>> {};

TEST_P(OutOfOrder, EveryStateRefusesEveryUnexpectedMessageOnBothSides) {
  auto [mutual, suite] = GetParam();
  ClientConfig cc = client_config(mutual);
  cc.cipher_suites = {suite};
  Client client(cc);
  Server server(server_config(mutual));
  std::set<std::string> client_states, server_states;
  int refused = 0;
  // Before each message is delivered, the receiving side, in the state it is
  // in, must refuse every message that state does not allow.
  run(client, server, [&](bool to_server, Msg&) {
    if (to_server) {
      server_states.insert(std::string(state_name(server.state())));
      refused += refuse_everything_unexpected(server, ServerState::wait_change_cipher_spec);
    } else {
      client_states.insert(std::string(state_name(client.state())));
      refused += refuse_everything_unexpected(client, ClientState::wait_change_cipher_spec);
    }
  });
  ASSERT_EQ(client.state(), ClientState::connected);
  ASSERT_EQ(server.state(), ServerState::connected);
  refused += refuse_everything_unexpected(client, ClientState::wait_change_cipher_spec);
  refused += refuse_everything_unexpected(server, ServerState::wait_change_cipher_spec);
  bool ecdhe = find_cipher_suite(suite)->key_exchange == KeyExchange::ecdhe;
  // Every state each side passes through was visited.
  EXPECT_EQ(client_states.size(), size_t{5} + (ecdhe ? 1 : 0) + (mutual ? 1 : 0));
  EXPECT_EQ(server_states.size(), size_t{4} + (mutual ? 2 : 0));
  EXPECT_GT(refused, 100);
}

INSTANTIATE_TEST_SUITE_P(Handshakes, OutOfOrder,
                         ::testing::Combine(::testing::Bool(),
                                            ::testing::Values(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                                                              suites::TLS_RSA_WITH_AES_128_GCM_SHA256)));

TEST(ClientServer, HelloRequestDuringTheHandshakeIsIgnored) {
  Client client(client_config(false));
  Server server(server_config(false));
  std::deque<Msg> to_server, to_client;
  collect(client.start(), to_server);
  Actions actions = client.handle(HelloRequest{}.encode());
  EXPECT_TRUE(actions.empty());
  EXPECT_EQ(client.state(), ClientState::wait_server_hello);
  // And a HelloRequest with a body is a decode_error, not ignored.
  EXPECT_EQ(alert_of([&] { client.handle(wrap_handshake(HandshakeType::hello_request, Bytes{1})); }),
            AlertDescription::decode_error);
}

TEST(ClientServer, RenegotiationIsRefusedWithANoRenegotiationWarning) {
  ClientConfig cc = client_config(false);
  Client client(cc);
  Server server(server_config(false));
  ASSERT_TRUE(run(client, server).completed);
  // The server asks (HelloRequest): the client answers no_renegotiation.
  Actions reply = client.handle(HelloRequest{}.encode());
  ASSERT_EQ(reply.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<SendWarningAlert>(reply[0]));
  EXPECT_EQ(std::get<SendWarningAlert>(reply[0]).description, AlertDescription::no_renegotiation);
  // The client tries (a new ClientHello): the server answers the same.
  Client second(cc);
  Actions hello = second.start();
  Actions refusal = server.handle(std::get<SendHandshake>(hello[0]).message);
  ASSERT_EQ(refusal.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<SendWarningAlert>(refusal[0]));
  EXPECT_EQ(std::get<SendWarningAlert>(refusal[0]).description, AlertDescription::no_renegotiation);
  EXPECT_EQ(server.state(), ServerState::connected);
}

// Each refusal seals an alert: a peer that keeps asking is stopped after
// max_renegotiation_refusals with unexpected_message, on both sides.
TEST(ClientServer, RepeatedRenegotiationRequestsAreUnexpectedPastTheCap) {
  ClientConfig cc = client_config(false);
  Client client(cc);
  Server server(server_config(false));
  ASSERT_TRUE(run(client, server).completed);
  Client other(cc);
  const Bytes client_hello = std::get<SendHandshake>(other.start()[0]).message;
  for (int i = 0; i < max_renegotiation_refusals; ++i) {
    EXPECT_EQ(client.handle(HelloRequest{}.encode()).size(), 1u) << i;
    EXPECT_EQ(server.handle(client_hello).size(), 1u) << i;
  }
  EXPECT_EQ(alert_of([&] { client.handle(HelloRequest{}.encode()); }), AlertDescription::unexpected_message);
  EXPECT_EQ(alert_of([&] { server.handle(client_hello); }), AlertDescription::unexpected_message);
}

using test_support::flip_last_byte;

TEST(ClientServer, TamperedClientFinishedIsDecryptError) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, flip_last_byte(true, HandshakeType::finished));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(ClientServer, TamperedServerFinishedIsDecryptError) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, flip_last_byte(false, HandshakeType::finished));
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(ClientServer, BadServerKeyExchangeSignatureIsDecryptError) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, flip_last_byte(false, HandshakeType::server_key_exchange));
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(ClientServer, BadCertificateVerifyIsDecryptError) {
  Client client(client_config(true));
  Server server(server_config(true));
  Outcome outcome = run(client, server, flip_last_byte(true, HandshakeType::certificate_verify));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(ClientServer, ServerKeyExchangeSignedWithASchemeNotOfferedIsIllegalParameter) {
  ClientConfig cc = client_config(false);
  cc.signature_schemes = {SignatureScheme::rsa_pkcs1_sha256};
  Client client(cc);
  Server server(server_config(false));
  // Rewrite the scheme the server used (rsa_pkcs1_sha256) to one the client
  // did not offer: refused before the signature is even checked.
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_key_exchange) return;
    ServerKeyExchange ske = ServerKeyExchange::decode(ByteView(msg.bytes).subspan(4), KeyExchange::ecdhe);
    EXPECT_EQ(ske.signed_params.algorithm, SignatureScheme::rsa_pkcs1_sha256);
    ske.signed_params.algorithm = SignatureScheme::rsa_pkcs1_sha512;
    msg.bytes = ske.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(ClientServer, AllZeroX25519ShareFromTheClientIsIllegalParameter) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (!to_server || msg.ccs || msg.type() != HandshakeType::client_key_exchange) return;
    ClientKeyExchange cke{KeyExchange::ecdhe, Bytes(32, 0)};
    msg.bytes = cke.encode();
  });
  EXPECT_EQ(outcome.server_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(ClientServer, AllZeroX25519ShareFromTheServerIsIllegalParameter) {
  // The all-zero point, properly signed with the server's key (as a malicious
  // server could): the signature passes and the zero check must catch it.
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server,
                        test_support::resign_server_params(
                            test::test_pki().server2048.private_key, KeyExchange::ecdhe,
                            [](ServerKeyExchange& ske) { std::get<ServerEcdhParams>(ske.params).public_key = Bytes(32, 0); }));
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(ClientServer, CorruptRsaPremasterFailsOnlyAtFinished) {
  // The RFC 5246 §7.4.7.1 countermeasure: a bad RSA ciphertext is not
  // reported when it is decrypted (that would be a padding oracle); the server
  // goes on with a random premaster, and the client's Finished fails.
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {suites::TLS_RSA_WITH_AES_128_GCM_SHA256};
  Client client(cc);
  Server server(server_config(false));
  bool reached_finished = false;
  Outcome outcome = run(client, server, [&](bool to_server, Msg& msg) {
    if (!to_server || msg.ccs) return;
    if (msg.type() == HandshakeType::client_key_exchange) msg.bytes[10] ^= 0x40;
    if (msg.type() == HandshakeType::finished) reached_finished = true;
  });
  EXPECT_TRUE(reached_finished);
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(ClientServer, ExtensionTheClientDidNotOfferIsUnsupportedExtension) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_hello) return;
    ServerHello hello = ServerHello::decode(ByteView(msg.bytes).subspan(4));
    hello.extensions.push_back(Extension{ExtensionType::session_ticket, {}});
    msg.bytes = hello.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::unsupported_extension) << outcome.message;
}

TEST(ClientServer, ServerChoosingASuiteNotOfferedIsIllegalParameter) {
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  Client client(cc);
  Server server(server_config(false));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_hello) return;
    ServerHello hello = ServerHello::decode(ByteView(msg.bytes).subspan(4));
    hello.cipher_suite = suites::TLS_RSA_WITH_AES_128_GCM_SHA256;
    msg.bytes = hello.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(ClientServer, ServerChoosingAnOlderVersionIsProtocolVersion) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_hello) return;
    ServerHello hello = ServerHello::decode(ByteView(msg.bytes).subspan(4));
    hello.server_version = 0x0302;
    msg.bytes = hello.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::protocol_version) << outcome.message;
}

// ClientHellos crafted by hand, as old or odd clients send them.
ClientHello base_client_hello() {
  ClientHello hello;
  hello.random.fill(7);
  hello.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites::TLS_RSA_WITH_AES_128_GCM_SHA256};
  ClientHelloExtensions ext;
  ext.supported_groups = std::vector<NamedGroup>{NamedGroup::x25519};
  ext.signature_algorithms = std::vector<SignatureScheme>{SignatureScheme::rsa_pkcs1_sha256};
  ext.extended_master_secret = true;
  hello.extensions = ext.to_list();
  return hello;
}

ServerHello first_server_hello(const Actions& actions) {
  for (const auto& action : actions)
    if (const auto* send = std::get_if<SendHandshake>(&action))
      if (send->message[0] == static_cast<uint8_t>(HandshakeType::server_hello))
        return ServerHello::decode(ByteView(send->message).subspan(4));
  throw std::runtime_error("no ServerHello");
}

TEST(ClientServer, OldVersionIsProtocolVersion) {
  for (ProtocolVersion version : {ProtocolVersion{0x0300}, ProtocolVersion{0x0301}, ProtocolVersion{0x0302}}) {
    Server server(server_config(false));
    ClientHello hello = base_client_hello();
    hello.client_version = version;
    EXPECT_EQ(alert_of([&] { server.handle(hello.encode()); }), AlertDescription::protocol_version) << version;
  }
}

TEST(ClientServer, Tls13ClientGetsTls12) {
  Server server(server_config(false));
  ClientHello hello = base_client_hello();
  ClientHelloExtensions ext = ClientHelloExtensions::parse(hello.extensions);
  ext.supported_versions = std::vector<uint16_t>{0x0304, 0x0303};
  hello.extensions = ext.to_list();
  ServerHello reply = first_server_hello(server.handle(hello.encode()));
  EXPECT_EQ(reply.server_version, TLS1_2);
  EXPECT_EQ(server.negotiated().version, TLS1_2);
}

TEST(ClientServer, EcdheWithoutSignatureAlgorithmsIsHandshakeFailureButRsaProceeds) {
  ClientHello hello = base_client_hello();
  ClientHelloExtensions ext = ClientHelloExtensions::parse(hello.extensions);
  ext.signature_algorithms.reset();
  hello.extensions = ext.to_list();
  {
    ClientHello ecdhe_only = hello;
    ecdhe_only.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
    Server server(server_config(false));
    EXPECT_EQ(alert_of([&] { server.handle(ecdhe_only.encode()); }), AlertDescription::handshake_failure);
  }
  {
    // Offering RSA key exchange too: that signs nothing and goes ahead.
    Server server(server_config(false));
    ServerHello reply = first_server_hello(server.handle(hello.encode()));
    EXPECT_EQ(reply.cipher_suite, suites::TLS_RSA_WITH_AES_128_GCM_SHA256);
  }
}

TEST(ClientServer, ServerPreferenceOrderByDefaultClientOrderWhenConfigured) {
  ClientHello hello = base_client_hello();
  hello.cipher_suites = {suites::TLS_RSA_WITH_AES_256_GCM_SHA384, suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                         suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  {
    Server server(server_config(false));
    EXPECT_EQ(first_server_hello(server.handle(hello.encode())).cipher_suite,
              suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
  }
  {
    ServerConfig config = server_config(false);
    config.prefer_server_cipher_order = false;
    Server server(config);
    EXPECT_EQ(first_server_hello(server.handle(hello.encode())).cipher_suite, suites::TLS_RSA_WITH_AES_256_GCM_SHA384);
  }
}

TEST(ClientServer, SecureRenegotiationIndicationAndScsv) {
  // renegotiation_info (empty) and the SCSV both mark RFC 5746 support; the
  // server answers with an empty renegotiation_info either way.
  for (bool scsv : {false, true}) {
    ClientHello hello = base_client_hello();
    ClientHelloExtensions ext = ClientHelloExtensions::parse(hello.extensions);
    if (scsv) hello.cipher_suites.push_back(suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    else ext.renegotiation_info = Bytes{};
    hello.extensions = ext.to_list();
    Server server(server_config(false));
    ServerHello reply = first_server_hello(server.handle(hello.encode()));
    auto reply_ext = ServerHelloExtensions::parse(reply.extensions);
    ASSERT_TRUE(reply_ext.renegotiation_info.has_value()) << scsv;
    EXPECT_TRUE(reply_ext.renegotiation_info->empty());
    EXPECT_TRUE(server.negotiated().secure_renegotiation);
  }
  // Neither: no renegotiation_info in the reply.
  Server server(server_config(false));
  ServerHello reply = first_server_hello(server.handle(base_client_hello().encode()));
  EXPECT_FALSE(ServerHelloExtensions::parse(reply.extensions).renegotiation_info.has_value());
  // A non-empty one on an initial handshake: handshake_failure (RFC 5746 §3.6).
  ClientHello bad = base_client_hello();
  ClientHelloExtensions ext = ClientHelloExtensions::parse(bad.extensions);
  ext.renegotiation_info = Bytes(12, 1);
  bad.extensions = ext.to_list();
  Server server2(server_config(false));
  EXPECT_EQ(alert_of([&] { server2.handle(bad.encode()); }), AlertDescription::handshake_failure);
}

TEST(ClientServer, ExtendedMasterSecretCanBeRequired) {
  ClientHello hello = base_client_hello();
  ClientHelloExtensions ext = ClientHelloExtensions::parse(hello.extensions);
  ext.extended_master_secret = false;
  hello.extensions = ext.to_list();
  {
    Server server(server_config(false));  // preferred: goes ahead without it
    ServerHello reply = first_server_hello(server.handle(hello.encode()));
    EXPECT_FALSE(ServerHelloExtensions::parse(reply.extensions).extended_master_secret);
    EXPECT_FALSE(server.negotiated().extended_master_secret);
  }
  ServerConfig config = server_config(false);
  config.extended_master_secret = ExtendedMasterSecret::required;
  Server server(config);
  EXPECT_EQ(alert_of([&] { server.handle(hello.encode()); }), AlertDescription::handshake_failure);
  // And a client that requires it refuses a server that does not answer it.
  ClientConfig cc = client_config(false);
  cc.extended_master_secret = ExtendedMasterSecret::required;
  Client client(cc);
  Server plain(server_config(false));
  Outcome outcome = run(client, plain, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_hello) return;
    ServerHello reply = ServerHello::decode(ByteView(msg.bytes).subspan(4));
    ServerHelloExtensions e = ServerHelloExtensions::parse(reply.extensions);
    e.extended_master_secret = false;
    reply.extensions = e.to_list();
    msg.bytes = reply.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::handshake_failure) << outcome.message;
}

}  // namespace
}  // namespace tls12::handshake
