// Shared by the handshake and Connection tests: the test PKI (made once per
// build directory with tests/protocol/make_handshake_pki.sh, under a lock so
// parallel test processes wait for one another), configurations built from it,
// and a loop that moves bytes between two in-memory Connections.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "protocol/connection.h"
#include "tests/support/test_support.h"
#include "x509/path_validation.h"

namespace tls12::test {

inline std::filesystem::path handshake_pki_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::path(TLS12_BINARY_DIR) / "test-pki-handshake";
    if (!std::filesystem::exists(d / "done")) {
      std::string script = std::string(TLS12_SOURCE_DIR) + "/tests/protocol/make_handshake_pki.sh";
      CommandResult r = run_command("flock '" + d.string() + ".lock' sh -c 'test -f \"" + (d / "done").string() +
                                    "\" || sh \"" + script + "\" \"" + d.string() + "\"'");
      if (r.exit_code != 0) throw std::runtime_error("making the test PKI failed: " + r.output);
    }
    return d;
  }();
  return dir;
}

inline std::string pki_file(const std::string& name) { return (handshake_pki_dir() / name).string(); }

struct TestPki {
  std::shared_ptr<const x509::TrustStore> ca;
  std::shared_ptr<const x509::TrustStore> other_ca;
  handshake::CertifiedKey server2048;
  handshake::CertifiedKey server4096;
  handshake::CertifiedKey client2048;
  handshake::CertifiedKey client4096;
  handshake::CertifiedKey client_other;  // signed by the other CA
};

inline const TestPki& test_pki() {
  static const TestPki pki = [] {
    TestPki p;
    p.ca = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(pki_file("ca.pem")));
    p.other_ca = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(pki_file("other-ca.pem")));
    p.server2048 = handshake::CertifiedKey::load(pki_file("server.pem"), pki_file("server.key"));
    p.server4096 = handshake::CertifiedKey::load(pki_file("server4096.pem"), pki_file("server4096.key"));
    p.client2048 = handshake::CertifiedKey::load(pki_file("client2048.pem"), pki_file("client2048.key"));
    p.client4096 = handshake::CertifiedKey::load(pki_file("client4096.pem"), pki_file("client4096.key"));
    p.client_other = handshake::CertifiedKey::load(pki_file("client-other.pem"), pki_file("client2048.key"));
    return p;
  }();
  return pki;
}

// A client that trusts the test CA and connects to "localhost".
inline protocol::ClientConfig test_client_config() {
  protocol::ClientConfig config;
  config.trust_store = test_pki().ca;
  config.server_name = "localhost";
  return config;
}

// A server with the 2048-bit certificate.
inline protocol::ServerConfig test_server_config() {
  protocol::ServerConfig config;
  config.certificate = test_pki().server2048;
  config.trust_store = test_pki().ca;
  return config;
}

// Moves bytes both ways until neither side has anything to send. Returns the
// number of rounds (a bound guards against a livelock bug).
inline int pump(protocol::Connection& client, protocol::Connection& server) {
  for (int round = 0; round < 100; ++round) {
    Bytes to_server = client.take_output();
    Bytes to_client = server.take_output();
    if (to_server.empty() && to_client.empty()) return round;
    server.feed(to_server);
    client.feed(to_client);
  }
  throw std::runtime_error("pump: the connections never went quiet");
}

// Checks that `failing` sent `alert` and that `peer` received it.
inline void expect_alert(const protocol::Connection& failing, const protocol::Connection& peer,
                         record::AlertDescription alert, bool during_handshake = true) {
  ASSERT_TRUE(failing.alert_sent().has_value()) << "no alert sent; peer: " << peer.error();
  EXPECT_EQ(failing.alert_sent()->description, alert)
      << record::alert_name(failing.alert_sent()->description) << ": " << failing.alert_sent()->reason;
  EXPECT_EQ(failing.alert_sent()->level, record::AlertLevel::fatal);
  EXPECT_TRUE(failing.failed());
  EXPECT_TRUE(failing.is_closed());
  if (during_handshake) {
    EXPECT_FALSE(failing.handshake_complete());
  }
  ASSERT_TRUE(peer.alert_received().has_value());
  EXPECT_EQ(peer.alert_received()->description, alert);
  EXPECT_TRUE(peer.failed());
}

}  // namespace tls12::test
