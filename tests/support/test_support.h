// Helpers shared by the test programs: where the shared test vectors live,
// reading files, and running OpenSSL's command-line tool as a peer or oracle.
#pragma once

#include <filesystem>
#include <string>

#include "crypto/bytes.h"

namespace tls12::test {

// ../shared beside the repository (test vectors, RFCs).
std::filesystem::path shared_dir();
// The Wycheproof directory: $TLS12_WYCHEPROOF_DIR, or ../shared/testvectors/wycheproof.
std::filesystem::path wycheproof_dir();
// A fresh temporary directory, removed by nobody (tests may inspect it after failure).
std::filesystem::path make_temp_dir(const std::string& prefix);

Bytes read_file(const std::filesystem::path& path);
std::string read_text(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, ByteView data);

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs `command` with /bin/sh, stdin from /dev/null, and returns its output.
CommandResult run_command(const std::string& command);

}  // namespace tls12::test
