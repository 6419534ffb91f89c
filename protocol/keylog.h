// The NSS key log format (the file SSLKEYLOGFILE names), written from the
// Connection's events so that Wireshark can decrypt a capture of a tls12
// connection.
//
// For TLS 1.2 one line per connection is enough:
//   CLIENT_RANDOM <64 hex digits of ClientHello.random> <96 hex digits of master_secret>
// because every traffic key follows from the master_secret and the two randoms
// (RFC 5246 §6.3). Writing this file discloses the session's keys: it exists for
// debugging and teaching, and is written only when configured.
#pragma once

#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

#include "crypto/bytes.h"
#include "protocol/events.h"

namespace tls12::protocol {

// "CLIENT_RANDOM <client_random hex> <master_secret hex>" (no newline).
std::string keylog_line(ByteView client_random, ByteView master_secret);

// Appends key log lines to a file; shared by every Connection that uses it.
class KeyLogFile {
 public:
  // Opens `path` for appending, creating it with mode 0600 and taking group
  // and other access from an existing one; throws std::runtime_error if it
  // cannot.
  explicit KeyLogFile(const std::string& path);
  ~KeyLogFile();
  KeyLogFile(const KeyLogFile&) = delete;
  KeyLogFile& operator=(const KeyLogFile&) = delete;

  // Writes a line for a "master_secret" SecretDerived event; ignores every other event.
  void on_event(const Event& event);
  void write_line(const std::string& line);

 private:
  std::FILE* file_;
  std::mutex mutex_;
};

// An Observer that writes to `file` and then passes every event on to `next`
// (which may be empty).
Observer keylog_observer(std::shared_ptr<KeyLogFile> file, Observer next = {});

}  // namespace tls12::protocol
