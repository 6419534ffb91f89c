// ECDHE over secp256r1 (NIST P-256, RFC 8422 §5.1.1 group 23) in the state
// machines: the group negotiated by both sides' preferences, the uncompressed
// point on the wire (§5.1.2, §5.4, §5.7), and every invalid point refused
// with illegal_parameter (§5.11), from either side, even when the server's
// bad point is properly signed.
#include <gtest/gtest.h>

#include <functional>

#include "crypto/p256.h"
#include "handshake/client.h"
#include "handshake/extensions.h"
#include "handshake/messages.h"
#include "handshake/server.h"
#include "handshake/signing.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/state_machine_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using test_support::client_config;
using test_support::Msg;
using test_support::Outcome;
using test_support::run;
using test_support::server_config;

// The encodings of RFC 8422 §5.11's invalid points, each refused.
std::vector<std::pair<std::string, Bytes>> invalid_points() {
  Bytes generator(65);
  auto g = crypto::p256::encode_point(crypto::p256::generator());
  std::copy(g.begin(), g.end(), generator.begin());
  Bytes compressed(generator.begin(), generator.begin() + 33);
  compressed[0] = 0x02 | (generator.back() & 1);
  Bytes x_is_p(generator);  // x = p: out of range, even if p mod p would fit
  const Bytes p = from_hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
  std::copy(p.begin(), p.end(), x_is_p.begin() + 1);
  Bytes off_curve(generator);
  off_curve.back() ^= 0x01;
  return {{"off the curve", off_curve},
          {"compressed", compressed},
          {"infinity", Bytes{0x00}},
          {"x25519-sized", Bytes(32, 0x09)},
          {"x = p", x_is_p},
          {"hybrid form", [&] { Bytes h = generator; h[0] = 0x06 | (generator.back() & 1); return h; }()}};
}

ClientConfig p256_client() {
  ClientConfig config = client_config(false);
  config.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  config.groups = {NamedGroup::secp256r1};
  return config;
}

TEST(EcdheP256, ClientOfferingOnlySecp256r1GetsIt) {
  Client client(p256_client());
  Server server(server_config(false));
  ServerEcdhParams seen;
  Outcome outcome = run(client, server, [&](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_key_exchange) return;
    auto ske = ServerKeyExchange::decode(ByteView(msg.bytes).subspan(4), KeyExchange::ecdhe);
    seen = std::get<ServerEcdhParams>(ske.params);
  });
  ASSERT_TRUE(outcome.completed) << outcome.message;
  EXPECT_EQ(seen.named_curve, NamedGroup::secp256r1);
  ASSERT_EQ(seen.public_key.size(), 65u);
  EXPECT_EQ(seen.public_key[0], 0x04);  // uncompressed (RFC 8422 §5.1.2)
  EXPECT_TRUE(crypto::p256::decode_point(seen.public_key).has_value());
  EXPECT_EQ(client.negotiated().group, NamedGroup::secp256r1);
  EXPECT_EQ(server.negotiated().group, NamedGroup::secp256r1);
}

TEST(EcdheP256, ServerPicksItsOwnFirstCurveThatTheClientLists) {
  ClientConfig cc = p256_client();
  cc.groups = {NamedGroup::secp256r1, NamedGroup::x25519};
  ServerConfig sc = server_config(false);
  {
    Client client(cc);
    Server server(sc);  // default: x25519 first
    ASSERT_TRUE(run(client, server).completed);
    EXPECT_EQ(server.negotiated().group, NamedGroup::x25519);
  }
  sc.groups = {NamedGroup::secp256r1, NamedGroup::x25519};
  Client client(cc);
  Server server(sc);
  ASSERT_TRUE(run(client, server).completed);
  EXPECT_EQ(server.negotiated().group, NamedGroup::secp256r1);
}

TEST(EcdheP256, DefaultGroupsAreX25519ThenSecp256r1) {
  EXPECT_EQ(ClientConfig{}.groups, (std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1}));
  EXPECT_EQ(ServerConfig{}.groups, (std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1}));
}

TEST(EcdheP256, ServerWithoutSecp256r1RefusesAClientWithOnlyIt) {
  ServerConfig sc = server_config(false);
  sc.groups = {NamedGroup::x25519};
  Client client(p256_client());
  Server server(sc);
  Outcome outcome = run(client, server);
  EXPECT_EQ(outcome.server_alert, AlertDescription::handshake_failure) << outcome.message;
}

TEST(EcdheP256, InvalidPointFromTheClientIsIllegalParameter) {
  // Named, not a structured binding: clang 14 (the sanitizer build) refuses
  // to capture a binding in a lambda.
  for (const auto& invalid : invalid_points()) {
    const auto& [what, point] = invalid;
    const Bytes& encoded = point;
    Client client(p256_client());
    Server server(server_config(false));
    Outcome outcome = run(client, server, [&](bool to_server, Msg& msg) {
      if (!to_server || msg.ccs || msg.type() != HandshakeType::client_key_exchange) return;
      msg.bytes = ClientKeyExchange{KeyExchange::ecdhe, encoded}.encode();
    });
    EXPECT_EQ(outcome.server_alert, AlertDescription::illegal_parameter) << what << ": " << outcome.message;
  }
}

// Runs a secp256r1 handshake in which the server's ServerEcdhParams are
// changed by `change` and signed again with the server's key, as a malicious
// server could: the signature passes and the client's other checks must act.
Outcome run_with_signed_params(const std::function<void(ServerEcdhParams&)>& change) {
  Client client(p256_client());
  Server server(server_config(false));
  return run(client, server,
             test_support::resign_server_params(test::test_pki().server2048.private_key, KeyExchange::ecdhe,
                                                [&](ServerKeyExchange& ske) { change(std::get<ServerEcdhParams>(ske.params)); }));
}

TEST(EcdheP256, InvalidPointFromTheServerIsIllegalParameterEvenWhenSigned) {
  for (const auto& invalid : invalid_points()) {
    const auto& [what, point] = invalid;
    const Bytes& encoded = point;
    Outcome outcome = run_with_signed_params([&](ServerEcdhParams& params) { params.public_key = encoded; });
    EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << what << ": " << outcome.message;
  }
}

TEST(EcdheP256, ServerChoosingACurveTheClientDidNotOfferIsIllegalParameter) {
  // The client offered secp256r1 only; the server answers on x25519.
  Outcome outcome = run_with_signed_params([](ServerEcdhParams& params) {
    params.named_curve = NamedGroup::x25519;
    params.public_key = Bytes(32, 0x09);
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
  EXPECT_NE(outcome.message.find("did not offer"), std::string::npos) << outcome.message;
}

TEST(EcdheP256, PointFormatsWithoutUncompressedIsIllegalParameter) {
  // RFC 8422 §5.1.2: a client naming a curve must accept uncompressed points;
  // one that lists only ffdhe groups is not concerned.
  auto hello_with = [](std::vector<NamedGroup> groups, Bytes formats) {
    ClientHello hello;
    hello.random.fill(7);
    hello.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256};
    ClientHelloExtensions ext;
    ext.supported_groups = std::move(groups);
    ext.ec_point_formats = std::move(formats);
    ext.signature_algorithms = std::vector<SignatureScheme>{SignatureScheme::rsa_pkcs1_sha256};
    hello.extensions = ext.to_list();
    return hello.encode();
  };
  const Bytes compressed_only{1};  // ansiX962_compressed_prime
  for (auto groups : {std::vector{NamedGroup::secp256r1}, std::vector{NamedGroup::x25519, NamedGroup::ffdhe2048}}) {
    Server server(server_config(false));
    EXPECT_EQ(test_support::alert_of([&] { server.handle(hello_with(groups, compressed_only)); }),
              AlertDescription::illegal_parameter);
  }
  Server dhe_only(server_config(false));
  EXPECT_EQ(test_support::alert_of([&] { dhe_only.handle(hello_with({NamedGroup::ffdhe2048}, compressed_only)); }),
            std::nullopt);
  Server both(server_config(false));
  EXPECT_EQ(test_support::alert_of([&] { both.handle(hello_with({NamedGroup::secp256r1}, Bytes{1, 0})); }),
            std::nullopt);
}

}  // namespace
}  // namespace tls12::handshake
