// Shared test helpers (see test_support.h).
#include "tests/support/test_support.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tls12::test {

std::filesystem::path shared_dir() { return std::filesystem::path(TLS12_SHARED_DIR); }

std::filesystem::path wycheproof_dir() {
  if (const char* env = std::getenv("TLS12_WYCHEPROOF_DIR"); env != nullptr && *env != '\0')
    return env;
  return shared_dir() / "testvectors" / "wycheproof";
}

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

Bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

std::string read_text(const std::filesystem::path& path) {
  Bytes b = read_file(path);
  return std::string(b.begin(), b.end());
}

void write_file(const std::filesystem::path& path, ByteView data) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

CommandResult run_command(const std::string& command) {
  CommandResult result;
  std::string full = "(" + command + ") </dev/null 2>&1";
  FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed");
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace tls12::test
