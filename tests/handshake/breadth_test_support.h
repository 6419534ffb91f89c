// Shared by the handshake breadth tests (DHE, Ed25519, SNI, ALPN, limits) and
// their interop tests: the extra certificates of tests/handshake/make_breadth_pki.sh
// (made once per build directory, under a lock), on top of the handshake test PKI.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/protocol/handshake_test_support.h"

namespace tls12::test {

inline std::filesystem::path breadth_pki_dir() {
  static const std::filesystem::path dir = [] {
    std::filesystem::path d = std::filesystem::path(TLS12_BINARY_DIR) / "test-pki-breadth";
    if (!std::filesystem::exists(d / "done")) {
      std::string script = std::string(TLS12_SOURCE_DIR) + "/tests/handshake/make_breadth_pki.sh";
      CommandResult r = run_command("flock '" + d.string() + ".lock' sh -c 'test -f \"" + (d / "done").string() +
                                    "\" || sh \"" + script + "\" \"" + d.string() + "\" \"" +
                                    handshake_pki_dir().string() + "\"'");
      if (r.exit_code != 0) throw std::runtime_error("making the breadth test PKI failed: " + r.output);
    }
    return d;
  }();
  return dir;
}

inline std::string breadth_file(const std::string& name) { return (breadth_pki_dir() / name).string(); }

inline handshake::CertifiedKey load_breadth(const std::string& name, const std::string& key) {
  return handshake::CertifiedKey::load(breadth_file(name + ".pem"), breadth_file(key));
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
