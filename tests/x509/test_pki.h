// The test PKI of tests/x509/make_test_pki.sh, made once per build directory
// and script version (gtest runs every test case as its own process, and RSA
// key generation takes seconds). A lock file keeps parallel test processes
// from making it twice; the directory name carries a hash of the script, so
// editing the script makes a fresh PKI.
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "tests/support/test_support.h"

namespace tls12::test {

inline std::filesystem::path test_pki_dir() {
  static const std::filesystem::path dir = [] {
    const std::string script = TLS12_SOURCE_DIR "/tests/x509/make_test_pki.sh";
    const size_t h = std::hash<std::string>{}(read_text(script));
    const std::filesystem::path d = std::filesystem::path(TLS12_BINARY_DIR) / ("x509-test-pki-" + std::to_string(h));
    if (!std::filesystem::exists(d / "done")) {
      const std::string D = d.string();
      const std::string cmd = "flock '" + D + ".lock' sh -c 'test -f \"" + D + "/done\" || { rm -rf \"" + D +
                              ".tmp\" \"" + D + "\" && \"" + script + "\" \"" + D + ".tmp\" && touch \"" + D +
                              ".tmp/done\" && mv \"" + D + ".tmp\" \"" + D + "\"; }'";
      const CommandResult r = run_command(cmd);
      if (r.exit_code != 0) throw std::runtime_error("make_test_pki.sh failed: " + r.output);
    }
    return d;
  }();
  return dir;
}

inline std::string tls12_binary() { return TLS12_BINARY_DIR "/tls12"; }

}  // namespace tls12::test
