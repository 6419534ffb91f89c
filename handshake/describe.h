// Handshake messages as a list of named fields, for traces and events.
//
// Each field is named as the RFC's structure names it (RFC 5246 §7.4:
// "client_version", "random", "session_id", "cipher_suites", ...), with its
// value as readable text and the exact bytes it occupies on the wire, so a
// trace printer can show every byte of a message next to what it means.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"

namespace tls12::handshake {

struct Field {
  std::string name;   // the RFC's name ("server_version", "extensions.server_name", ...)
  std::string value;  // readable text ("TLS 1.2 (0x0303)", "TLS_RSA_WITH_AES_128_GCM_SHA256")
  Bytes raw;          // the field's bytes on the wire
};

// The fields of one handshake message (4-byte header included in `message`).
// ServerKeyExchange and ClientKeyExchange need the negotiated key exchange to
// be decoded; without it only their header is described. Never throws: a
// message that does not decode yields its header fields and a single
// "undecodable" field carrying the reason.
std::vector<Field> describe_handshake_message(ByteView message,
                                              std::optional<KeyExchange> key_exchange = {});

// RFC 8701 §2: the sixteen GREASE values 0x0a0a, 0x1a1a, ..., 0xfafa that
// clients send among cipher suites, extensions, groups, signature algorithms,
// versions and ALPN names so that servers keep ignoring unknown values.
bool is_grease(uint16_t value);
// "GREASE (0x0a0a)".
std::string grease_name(uint16_t value);

}  // namespace tls12::handshake
