// Shared by the handshake breadth tests (DHE, Ed25519, P-256, SNI, ALPN,
// limits) and their interop tests: the extra certificates of
// tests/handshake/make_breadth_pki.sh and make_ec_pki.sh (made once per build
// directory, under a lock), on top of the handshake test PKI.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/protocol/handshake_test_support.h"

namespace tls12::test {

// A PKI made once per build directory by `script` (tests/handshake/), under
// a lock, on top of the handshake test PKI, in TLS12_BINARY_DIR/`name`.
inline std::filesystem::path made_pki_dir(const std::string& name, const std::string& script) {
  std::filesystem::path d = std::filesystem::path(TLS12_BINARY_DIR) / name;
  if (!std::filesystem::exists(d / "done")) {
    std::string path = std::string(TLS12_SOURCE_DIR) + "/tests/handshake/" + script;
    CommandResult r = run_command("flock '" + d.string() + ".lock' sh -c 'test -f \"" + (d / "done").string() +
                                  "\" || sh \"" + path + "\" \"" + d.string() + "\" \"" +
                                  handshake_pki_dir().string() + "\"'");
    if (r.exit_code != 0) throw std::runtime_error("making the test PKI " + name + " failed: " + r.output);
  }
  return d;
}

inline std::filesystem::path breadth_pki_dir() {
  static const std::filesystem::path dir = made_pki_dir("test-pki-breadth", "make_breadth_pki.sh");
  return dir;
}

// P-256 certificates (tests/handshake/make_ec_pki.sh).
inline std::filesystem::path ec_pki_dir() {
  static const std::filesystem::path dir = made_pki_dir("test-pki-ec", "make_ec_pki.sh");
  return dir;
}
inline std::string ec_file(const std::string& name) { return (ec_pki_dir() / name).string(); }

inline std::string breadth_file(const std::string& name) { return (breadth_pki_dir() / name).string(); }

inline handshake::CertifiedKey load_breadth(const std::string& name, const std::string& key) {
  return handshake::CertifiedKey::load(breadth_file(name + ".pem"), breadth_file(key));
}

struct EcPki {
  handshake::CertifiedKey server = handshake::CertifiedKey::load(ec_file("ec-server.pem"), ec_file("ec-server.key"));
  handshake::CertifiedKey client = handshake::CertifiedKey::load(ec_file("ec-client.pem"), ec_file("ec-client.key"));
};

inline const EcPki& ec_pki() {
  static const EcPki pki;
  return pki;
}

struct BreadthPki {
  handshake::CertifiedKey ed_server = load_breadth("ed-server", "ed-server.key");
  handshake::CertifiedKey ed_client = load_breadth("ed-client", "ed-client.key");
  handshake::CertifiedKey sni_alpha = load_breadth("sni-alpha", "sni.key");
  handshake::CertifiedKey sni_beta = load_breadth("sni-beta", "sni.key");
  handshake::CertifiedKey sni_gamma = load_breadth("sni-gamma", "sni.key");
};

inline const BreadthPki& breadth_pki() {
  static const BreadthPki pki;
  return pki;
}

}  // namespace tls12::test
