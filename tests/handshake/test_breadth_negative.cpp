// Handshake breadth, the refusals: each checked with the exact alert by
// driving the client and server state machines message by message and
// tampering in flight (re-signing ServerKeyExchange where the attack needs a
// validly signed bad value, as a malicious server would):
//   DHE (RFC 7919 §5.1, RFC 5246 §7.4.3): bad groups and public values;
//   Ed25519 (RFC 8422): broken ServerKeyExchange and CertificateVerify signatures;
//   limits of a public server: ClientHello size, chain size;
//   TLS_FALLBACK_SCSV (RFC 7507);
//   ALPN answers the client never asked for (RFC 7301 §3.1).
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <optional>

#include "crypto/dh.h"
#include "handshake/client.h"
#include "handshake/limits.h"
#include "handshake/server.h"
#include "handshake/signing.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/breadth_test_support.h"
#include "tests/handshake/state_machine_support.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::TlsError;
using test_support::alert_of;
using test_support::Msg;
using test_support::Outcome;
using test_support::run;
using test_support::Tamper;

ClientConfig client_config(CipherSuite suite, bool mutual = false) {
  ClientConfig config;
  config.trust_store = test::test_pki().ca;
  config.server_name = "localhost";
  config.cipher_suites = {suite};
  const bool ed25519 = find_cipher_suite(suite)->authentication == Authentication::ecdsa;
  if (mutual) config.client_certificate = ed25519 ? test::breadth_pki().ed_client : test::test_pki().client2048;
  return config;
}

ServerConfig server_config(CipherSuite suite, bool mutual = false) {
  ServerConfig config;
  const bool ed25519 = find_cipher_suite(suite)->authentication == Authentication::ecdsa;
  config.certificate = ed25519 ? test::breadth_pki().ed_server : test::test_pki().server2048;
  config.trust_store = test::test_pki().ca;
  config.cipher_suites = {suite};
  if (mutual) config.client_authentication = ClientAuthentication::required;
  return config;
}

constexpr CipherSuite dhe = suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256;
constexpr CipherSuite ed = suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

// Rewrites the server's DH parameters and signs them again with the server's
// real key, so only the client's parameter checks stand in the way.
Tamper resign_dh_params(const Client& client, std::function<void(ServerDhParams&)> change) {
  return [&client, change](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_key_exchange) return;
    ServerKeyExchange ske = ServerKeyExchange::decode(msg.body(), KeyExchange::dhe);
    change(std::get<ServerDhParams>(ske.params));
    const auto& key = *test::test_pki().server2048.private_key;
    ske.signed_params.signature =
        sign_with_scheme(ske.signed_params.algorithm, key,
                         ske.signed_content(client.negotiated().client_random, client.negotiated().server_random));
    msg.bytes = ske.encode();
  };
}

Bytes ffdhe2048_p() { return crypto::ffdhe_prime(crypto::FfdheGroup::ffdhe2048); }

Bytes minus_one(Bytes v) {
  for (size_t i = v.size(); i-- > 0;)
    if (v[i]-- != 0) break;
  return v;
}

// ------------------------------------------------------------------------- DHE

TEST(DheNegative, ResignedGoodParametersStillWork) {
  // The tamper harness itself changes nothing when the change is a no-op
  // (PKCS#1 v1.5 signatures are deterministic, so the re-signed message is
  // the same bytes and both transcripts agree).
  ClientConfig cc = client_config(dhe);
  cc.signature_schemes = {SignatureScheme::rsa_pkcs1_sha256};
  Client client(cc);
  Server server(server_config(dhe));
  Outcome outcome = run(client, server, resign_dh_params(client, [](ServerDhParams&) {}));
  EXPECT_TRUE(outcome.completed) << outcome.message;
}

struct BadParams {
  const char* what;
  std::function<void(ServerDhParams&)> change;
};

class DheBadServerParams : public ::testing::TestWithParam<int> {};

TEST_P(DheBadServerParams, ClientRefusesWithIllegalParameter) {
  const std::vector<BadParams> cases = {
      {"Ys = 0", [](ServerDhParams& p) { p.dh_Ys = Bytes{0}; }},
      {"Ys = 1", [](ServerDhParams& p) { p.dh_Ys = Bytes(p.dh_p.size() - 1, 0), p.dh_Ys.push_back(1); }},
      {"Ys = p-1", [](ServerDhParams& p) { p.dh_Ys = minus_one(p.dh_p); }},
      {"Ys = p", [](ServerDhParams& p) { p.dh_Ys = p.dh_p; }},
      {"1024-bit prime", [](ServerDhParams& p) {
         const Bytes full = ffdhe2048_p();
         p.dh_p = Bytes(full.end() - 128, full.end());
         p.dh_Ys = Bytes{2};
       }},
      {"even 2048-bit modulus", [](ServerDhParams& p) { p.dh_p.back() &= 0xfe; }},
      {"known prime, generator 3", [](ServerDhParams& p) { p.dh_g = Bytes{3}; }},
      {"unknown prime, generator 1", [](ServerDhParams& p) {
         p.dh_p[10] ^= 0x01;  // no longer ffdhe2048, still 2048 bits and odd
         p.dh_g = Bytes{1};
       }},
  };
  const BadParams& c = cases.at(static_cast<size_t>(GetParam()));
  Client client(client_config(dhe));
  Server server(server_config(dhe));
  Outcome outcome = run(client, server, resign_dh_params(client, c.change));
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << c.what << ": " << outcome.message;
}

INSTANTIATE_TEST_SUITE_P(Breadth, DheBadServerParams, ::testing::Range(0, 8));

class DheBadClientValue : public ::testing::TestWithParam<int> {};

TEST_P(DheBadClientValue, ServerRefusesWithIllegalParameter) {
  const std::vector<Bytes> values = {Bytes(256, 0), Bytes{1}, minus_one(ffdhe2048_p()), ffdhe2048_p()};
  Client client(client_config(dhe));
  Server server(server_config(dhe));
  Outcome outcome = run(client, server, [&](bool to_server, Msg& msg) {
    if (!to_server || msg.ccs || msg.type() != HandshakeType::client_key_exchange) return;
    msg.bytes = ClientKeyExchange{KeyExchange::dhe, values.at(static_cast<size_t>(GetParam()))}.encode();
  });
  EXPECT_EQ(outcome.server_alert, AlertDescription::illegal_parameter) << outcome.message;
}

INSTANTIATE_TEST_SUITE_P(Breadth, DheBadClientValue, ::testing::Range(0, 4));

TEST(DheNegative, TamperedDhParametersBreakTheSignature) {
  // Without re-signing, any change to the parameters is a decrypt_error: the
  // signature binds them to the certificate.
  Client client(client_config(dhe));
  Server server(server_config(dhe));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_key_exchange) return;
    ServerKeyExchange ske = ServerKeyExchange::decode(msg.body(), KeyExchange::dhe);
    std::get<ServerDhParams>(ske.params).dh_Ys.back() ^= 0x02;
    msg.bytes = ske.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

// --------------------------------------------------------------------- Ed25519

Tamper flip_signature(bool to_server, HandshakeType type) {
  return [to_server, type](bool direction, Msg& msg) {
    if (direction == to_server && !msg.ccs && msg.type() == type) msg.bytes.back() ^= 0x01;
  };
}

TEST(Ed25519Negative, BadServerKeyExchangeSignatureIsDecryptError) {
  Client client(client_config(ed));
  Server server(server_config(ed));
  Outcome outcome = run(client, server, flip_signature(false, HandshakeType::server_key_exchange));
  EXPECT_EQ(outcome.client_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(Ed25519Negative, BadCertificateVerifyIsDecryptError) {
  Client client(client_config(ed, true));
  Server server(server_config(ed, true));
  Outcome outcome = run(client, server, flip_signature(true, HandshakeType::certificate_verify));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
}

TEST(Ed25519Negative, RsaSchemeClaimedForAnEd25519KeyIsIllegalParameter) {
  Client client(client_config(ed));
  Server server(server_config(ed));
  Outcome outcome = run(client, server, [](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_key_exchange) return;
    ServerKeyExchange ske = ServerKeyExchange::decode(msg.body(), KeyExchange::ecdhe);
    EXPECT_EQ(ske.signed_params.algorithm, SignatureScheme::ed25519);
    ske.signed_params.algorithm = SignatureScheme::rsa_pss_rsae_sha256;
    msg.bytes = ske.encode();
  });
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(Ed25519Negative, Ed25519ServerWithoutEd25519InTheClientsSchemesIsHandshakeFailure) {
  ClientConfig cc = client_config(ed);
  cc.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256};
  Client client(cc);
  Server server(server_config(ed));
  Outcome outcome = run(client, server);
  EXPECT_EQ(outcome.server_alert, AlertDescription::handshake_failure) << outcome.message;
}

// ---------------------------------------------------------------------- limits

// The ClientHello a real client sends, decoded for changes.
ClientHello client_hello(const ClientConfig& config) {
  Client client(config);
  Actions actions = client.start();
  Bytes message = std::get<SendHandshake>(actions.at(0)).message;
  return ClientHello::decode(ByteView(message).subspan(handshake_header_size));
}

std::optional<AlertDescription> server_alert_for(const ClientHello& hello, const ServerConfig& config,
                                                 std::string* message = nullptr) {
  Server server(config);
  try {
    server.handle(hello.encode());
  } catch (const TlsError& e) {
    if (message) *message = e.what();
    return e.alert();
  }
  return std::nullopt;
}

const CipherSuite ecdhe_rsa = suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;

// The default accepts any ClientHello the encoding allows (tests/protocol/
// test_client_hello_sizes.cpp); a configured limit is applied to the byte.
TEST(Limits, ClientHelloAboveTheConfiguredSizeIsIllegalParameter) {
  ClientHello hello = client_hello(client_config(ecdhe_rsa));
  hello.extensions.push_back(Extension{static_cast<ExtensionType>(0x4444), Bytes(17000, 0x55)});
  EXPECT_EQ(server_alert_for(hello, server_config(ecdhe_rsa)), std::nullopt);
  ServerConfig sc = server_config(ecdhe_rsa);
  sc.limits.max_client_hello_size = hello.encode().size();
  EXPECT_EQ(server_alert_for(hello, sc), std::nullopt);
  sc.limits.max_client_hello_size = hello.encode().size() - 1;
  std::string why;
  EXPECT_EQ(server_alert_for(hello, sc, &why), AlertDescription::illegal_parameter);
  EXPECT_NE(why.find("ClientHello size"), std::string::npos) << why;
}

TEST(Limits, CertificateChainLimitsAreBadCertificate) {
  for (int which = 0; which < 2; ++which) {
    ClientConfig cc = client_config(ecdhe_rsa);
    if (which == 0) cc.limits.max_certificate_chain_length = 0;
    if (which == 1) cc.limits.max_certificate_chain_size = 100;
    Client client(cc);
    Server server(server_config(ecdhe_rsa));
    Outcome outcome = run(client, server);
    EXPECT_EQ(outcome.client_alert, AlertDescription::bad_certificate) << outcome.message;
  }
  // The server applies the same limits to a client's chain.
  ServerConfig sc = server_config(ecdhe_rsa, true);
  sc.limits.max_certificate_chain_size = 100;
  Client client(client_config(ecdhe_rsa, true));
  Server server(sc);
  Outcome outcome = run(client, server);
  EXPECT_EQ(outcome.server_alert, AlertDescription::bad_certificate) << outcome.message;
}

TEST(Limits, HandshakeDeadlineCountsDown) {
  using namespace std::chrono_literals;
  const auto start = HandshakeDeadline::Clock::time_point{} + 1h;
  HandshakeDeadline deadline(30000ms, start);
  EXPECT_FALSE(deadline.expired(start));
  EXPECT_EQ(deadline.remaining(start + 10s), 20000ms);
  EXPECT_FALSE(deadline.expired(start + 29999ms));
  EXPECT_TRUE(deadline.expired(start + 30s));
  EXPECT_EQ(deadline.remaining(start + 31s), 0ms);
  // The socket hook: keep waiting while budget remains.
  EXPECT_TRUE(HandshakeDeadline(60s).keep_waiting()());
  EXPECT_FALSE(HandshakeDeadline(0ms).keep_waiting()());
}

// ------------------------------------------------------------ TLS_FALLBACK_SCSV

// RFC 7507 §3: inappropriate_fallback "unless [the server] responds with a
// fatal protocol_version alert because the version indicated in
// ClientHello.client_version is unsupported": a TLS 1.2-only server answers a
// TLS 1.1 retry with protocol_version, SCSV or not (as OpenSSL does).
TEST(FallbackScsv, LowerVersionWithScsvIsProtocolVersionForATls12OnlyServer) {
  ClientHello hello = client_hello(client_config(ecdhe_rsa));
  hello.client_version = 0x0302;  // a TLS 1.1 retry
  EXPECT_EQ(server_alert_for(hello, server_config(ecdhe_rsa)), AlertDescription::protocol_version);
  hello.cipher_suites.push_back(suites::TLS_FALLBACK_SCSV);
  EXPECT_EQ(server_alert_for(hello, server_config(ecdhe_rsa)), AlertDescription::protocol_version);
  // The rule itself, for a version the server would speak but not its highest.
  EXPECT_EQ(alert_of([&] { check_fallback_scsv(hello, 0x0303); }), AlertDescription::inappropriate_fallback);
  hello.client_version = 0x0303;
  check_fallback_scsv(hello, 0x0303);  // at our highest: no fallback
}

TEST(FallbackScsv, ScsvAtOurHighestVersionIsAccepted) {
  // RFC 7507 §3: only a version below ours is a downgrade.
  ClientHello hello = client_hello(client_config(ecdhe_rsa));
  hello.cipher_suites.insert(hello.cipher_suites.begin(), suites::TLS_FALLBACK_SCSV);
  EXPECT_EQ(server_alert_for(hello, server_config(ecdhe_rsa)), std::nullopt);
}

// ------------------------------------------------------------------------ ALPN

Tamper add_alpn_to_server_hello(std::string protocol) {
  return [protocol](bool to_server, Msg& msg) {
    if (to_server || msg.ccs || msg.type() != HandshakeType::server_hello) return;
    ServerHello hello = ServerHello::decode(msg.body());
    ServerHelloExtensions ext = ServerHelloExtensions::parse(hello.extensions);
    ext.alpn_protocol = protocol;
    hello.extensions = ext.to_list();
    msg.bytes = hello.encode();
  };
}

TEST(AlpnNegative, ServerChoosingAProtocolNotOfferedIsIllegalParameter) {
  ClientConfig cc = client_config(ecdhe_rsa);
  cc.alpn_protocols = {"h2"};
  Client client(cc);
  Server server(server_config(ecdhe_rsa));
  Outcome outcome = run(client, server, add_alpn_to_server_hello("http/1.1"));
  EXPECT_EQ(outcome.client_alert, AlertDescription::illegal_parameter) << outcome.message;
}

TEST(AlpnNegative, AlpnAnswerWithoutAlpnOfferIsUnsupportedExtension) {
  Client client(client_config(ecdhe_rsa));
  Server server(server_config(ecdhe_rsa));
  Outcome outcome = run(client, server, add_alpn_to_server_hello("h2"));
  EXPECT_EQ(outcome.client_alert, AlertDescription::unsupported_extension) << outcome.message;
}

}  // namespace
}  // namespace tls12::handshake
