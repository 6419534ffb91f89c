// What the state machines report about their checks (handshake/checks.h):
// each check of the nine steps (docs/steps.md) with its result, passed or
// failed, so that a trace or the demo prints what the engine found instead of
// guessing it. A failed check must carry the same report as the alert's
// cause: the two verify_data values of a Finished that does not match, the
// reason of a refused chain, the signature that does not verify.
#include <gtest/gtest.h>

#include <algorithm>

#include "handshake/client.h"
#include "handshake/server.h"
#include "tests/handshake/state_machine_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using test_support::Outcome;
using test_support::run;

using test_support::flip_last_byte;
using test_support::server_config;

// RSA key transport unless a test says otherwise.
ClientConfig client_config(bool mutual) {
  ClientConfig config = test_support::client_config(mutual);
  config.cipher_suites = {suites::TLS_RSA_WITH_AES_128_GCM_SHA256};
  return config;
}

template <class T>
std::vector<T> reports_of(const std::vector<Check>& checks) {
  std::vector<T> out;
  for (const Check& check : checks)
    if (const auto* report = std::get_if<T>(&check)) out.push_back(*report);
  return out;
}

TEST(CheckReports, MutualRsaHandshakeReportsEveryCheckPassed) {
  Client client(client_config(true));
  Server server(server_config(true));
  Outcome outcome = run(client, server);
  ASSERT_TRUE(outcome.completed) << outcome.message;

  // Step 3: the server's chain, with its path and the name that matched.
  auto client_chains = reports_of<PeerChainChecked>(outcome.client_checks);
  ASSERT_EQ(client_chains.size(), 1u);
  EXPECT_EQ(client_chains[0].peer, Sender::server);
  EXPECT_TRUE(client_chains[0].accepted());
  EXPECT_EQ(client_chains[0].name, "localhost");
  ASSERT_GE(client_chains[0].path.size(), 2u) << "leaf and trust anchor";
  EXPECT_NE(client_chains[0].path.front().find("localhost"), std::string::npos) << client_chains[0].path.front();

  // Step 6 on the server: the client's chain, the premaster with the RSA
  // countermeasure, and the CertificateVerify signature.
  auto server_chains = reports_of<PeerChainChecked>(outcome.server_checks);
  ASSERT_EQ(server_chains.size(), 1u);
  EXPECT_EQ(server_chains[0].peer, Sender::client);
  EXPECT_TRUE(server_chains[0].accepted());
  EXPECT_EQ(server_chains[0].name, "") << "a server checks no name";
  auto premaster = reports_of<PreMasterRecovered>(outcome.server_checks);
  ASSERT_EQ(premaster.size(), 1u);
  EXPECT_EQ(premaster[0].key_exchange, KeyExchange::rsa);
  EXPECT_TRUE(premaster[0].rsa_countermeasure);
  auto signatures = reports_of<SignatureChecked>(outcome.server_checks);
  ASSERT_EQ(signatures.size(), 1u);
  EXPECT_EQ(signatures[0].message, "CertificateVerify");
  EXPECT_TRUE(signatures[0].valid);

  // Steps 7 and 8: each side compared the other's Finished, equal.
  for (const auto* checks : {&outcome.server_checks, &outcome.client_checks}) {
    auto finished = reports_of<FinishedChecked>(*checks);
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_TRUE(finished[0].equal);
    EXPECT_EQ(finished[0].expected, finished[0].received);
  }
  EXPECT_EQ(reports_of<FinishedChecked>(outcome.server_checks)[0].sender, Sender::client);
  EXPECT_EQ(reports_of<FinishedChecked>(outcome.client_checks)[0].sender, Sender::server);
}

TEST(CheckReports, EcdheReportsTheServerKeyExchangeSignatureAndNoCountermeasure) {
  ClientConfig cc = client_config(false);
  cc.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  Client client(cc);
  Server server(server_config(false));
  Outcome outcome = run(client, server);
  ASSERT_TRUE(outcome.completed) << outcome.message;
  auto signatures = reports_of<SignatureChecked>(outcome.client_checks);
  ASSERT_EQ(signatures.size(), 1u);
  EXPECT_EQ(signatures[0].message, "ServerKeyExchange");
  EXPECT_TRUE(signatures[0].valid);
  auto premaster = reports_of<PreMasterRecovered>(outcome.server_checks);
  ASSERT_EQ(premaster.size(), 1u);
  EXPECT_EQ(premaster[0].key_exchange, KeyExchange::ecdhe);
  EXPECT_FALSE(premaster[0].rsa_countermeasure);
}

TEST(CheckReports, FinishedMismatchReportsBothValuesUnequal) {
  Client client(client_config(false));
  Server server(server_config(false));
  Outcome outcome = run(client, server, flip_last_byte(true, HandshakeType::finished));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
  ASSERT_TRUE(outcome.failed_check.has_value());
  const auto* finished = std::get_if<FinishedChecked>(&*outcome.failed_check);
  ASSERT_NE(finished, nullptr);
  EXPECT_EQ(finished->sender, Sender::client);
  EXPECT_FALSE(finished->equal);
  EXPECT_NE(finished->expected, finished->received);
  // Only the flipped bit differs: the report carries the values compared.
  auto received = finished->received;
  received.back() ^= 0x01;
  EXPECT_EQ(received, finished->expected);
}

TEST(CheckReports, ChainFailureReportsTheReason) {
  ClientConfig cc = client_config(false);
  cc.server_name = "www.example.org";
  Client client(cc);
  Server server(server_config(false));
  Outcome outcome = run(client, server);
  EXPECT_EQ(outcome.client_alert, AlertDescription::bad_certificate) << outcome.message;
  ASSERT_TRUE(outcome.failed_check.has_value());
  const auto* chain = std::get_if<PeerChainChecked>(&*outcome.failed_check);
  ASSERT_NE(chain, nullptr);
  EXPECT_TRUE(chain->validated);
  EXPECT_FALSE(chain->accepted());
  EXPECT_EQ(chain->reason, x509::Reason::hostname_mismatch);
  EXPECT_NE(chain->message.find("www.example.org"), std::string::npos) << chain->message;
  EXPECT_EQ(chain->name, "www.example.org");
}

TEST(CheckReports, BadCertificateVerifyReportsAnInvalidSignature) {
  Client client(client_config(true));
  Server server(server_config(true));
  Outcome outcome = run(client, server, flip_last_byte(true, HandshakeType::certificate_verify));
  EXPECT_EQ(outcome.server_alert, AlertDescription::decrypt_error) << outcome.message;
  ASSERT_TRUE(outcome.failed_check.has_value());
  const auto* signature = std::get_if<SignatureChecked>(&*outcome.failed_check);
  ASSERT_NE(signature, nullptr);
  EXPECT_EQ(signature->message, "CertificateVerify");
  EXPECT_FALSE(signature->valid);
}

TEST(CheckReports, VerificationOffIsReportedAsUnchecked) {
  ClientConfig cc = client_config(false);
  cc.verify_server_certificate = false;
  cc.trust_store = nullptr;
  Client client(cc);
  Server server(server_config(false));
  Outcome outcome = run(client, server);
  ASSERT_TRUE(outcome.completed) << outcome.message;
  auto chains = reports_of<PeerChainChecked>(outcome.client_checks);
  ASSERT_EQ(chains.size(), 1u);
  EXPECT_FALSE(chains[0].validated);
  EXPECT_FALSE(chains[0].accepted());
}

}  // namespace
}  // namespace tls12::handshake
