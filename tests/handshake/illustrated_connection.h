// Access to the recorded connection of ../shared/testvectors/illustrated-tls12
// (see its README): its handshake records, ephemeral keys and key log, for the
// known-answer tests of the handshake layer.
#pragma once

#include <openssl/evp.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>

#include "crypto/bytes.h"
#include "tests/support/test_support.h"

namespace tls12::test::illustrated {

inline std::filesystem::path dir() { return shared_dir() / "testvectors" / "illustrated-tls12"; }

// One capture file, e.g. "clienthello": the record exactly as sent.
inline Bytes record(const std::string& name) { return read_file(dir() / "caps" / name); }

// The handshake message inside a plaintext handshake record (the record
// header is 5 bytes: type, version, length).
inline Bytes handshake_message(const std::string& name) {
  Bytes r = record(name);
  if (r.size() < 5 || r[0] != 0x16) throw std::runtime_error(name + " is not a handshake record");
  return Bytes(r.begin() + 5, r.end());
}

// The body of that message (after the 4-byte handshake header).
inline Bytes handshake_body(const std::string& name) {
  Bytes m = handshake_message(name);
  return Bytes(m.begin() + 4, m.end());
}

// The 32-byte random of "clienthello" or "serverhello" (after the 2-byte
// version in the message body, RFC 5246 §7.4.1.2-3).
inline Bytes hello_random(const std::string& name) {
  Bytes body = handshake_body(name);
  return Bytes(body.begin() + 2, body.begin() + 34);
}

// The raw 32-byte X25519 key of a PEM PKCS#8 or SPKI file: for X25519 both
// DER structures end with the 32 key bytes.
inline Bytes x25519_key(const std::string& file) {
  std::istringstream pem(read_text(dir() / file));
  std::string line, base64;
  while (std::getline(pem, line))
    if (line.rfind("-----", 0) != 0) base64 += line;
  Bytes der(base64.size());
  int n = EVP_DecodeBlock(der.data(), reinterpret_cast<const unsigned char*>(base64.data()),
                          static_cast<int>(base64.size()));
  if (n < 32) throw std::runtime_error("bad PEM in " + file);
  der.resize(static_cast<size_t>(n) - std::count(base64.begin(), base64.end(), '='));
  return Bytes(der.end() - 32, der.end());
}

// The CLIENT_RANDOM line of keylog.txt: the master secret.
inline Bytes keylog_master_secret() {
  std::istringstream log(read_text(dir() / "keylog.txt"));
  std::string label, client_random, master;
  while (log >> label >> client_random >> master)
    if (label == "CLIENT_RANDOM") return from_hex(master);
  throw std::runtime_error("no CLIENT_RANDOM in keylog.txt");
}

}  // namespace tls12::test::illustrated
