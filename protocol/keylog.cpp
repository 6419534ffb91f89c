// The NSS key log (see keylog.h): one CLIENT_RANDOM line per TLS 1.2 connection.
#include "protocol/keylog.h"

#include <stdexcept>

#include "crypto/secret_file.h"

namespace tls12::protocol {

std::string keylog_line(ByteView client_random, ByteView master_secret) {
  return "CLIENT_RANDOM " + to_hex(client_random) + " " + to_hex(master_secret);
}

// Owner-only (crypto/secret_file.h): the lines are the connections' keys.
KeyLogFile::KeyLogFile(const std::string& path)
    : file_(crypto::open_secret_file(path, crypto::SecretFileMode::append)) {}

KeyLogFile::~KeyLogFile() { std::fclose(file_); }

void KeyLogFile::write_line(const std::string& line) {
  std::lock_guard lock(mutex_);
  std::fputs(line.c_str(), file_);
  std::fputc('\n', file_);
  // Flushed at once: the log is read while the capture runs.
  std::fflush(file_);
}

void KeyLogFile::on_event(const Event& event) {
  const auto* secret = std::get_if<SecretDerived>(&event);
  if (secret == nullptr || secret->secret != Secret::master_secret) return;
  write_line(keylog_line(secret->client_random, secret->value));
}

Observer keylog_observer(std::shared_ptr<KeyLogFile> file, Observer next) {
  return [file = std::move(file), next = std::move(next)](const Event& event) {
    file->on_event(event);
    if (next) next(event);
  };
}

}  // namespace tls12::protocol
