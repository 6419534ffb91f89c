// Events a Connection reports to an observer while it runs: the handshake as the
// RFC 5246 §7.3 message flow shows it, one event per step.
//
// The trace printer of the `tls12` program, the NSS key log (protocol/keylog.h)
// and the tests all read the same events, so what a learner sees in a trace is
// exactly what the engine did:
//
//   HandshakeMessage  each handshake message sent or received (§7.4), with its
//                     raw bytes (4-byte header included) and its decoded fields
//   ChangeCipherSpec  the one-byte ChangeCipherSpec record (§7.1), each way
//   SecretDerived     pre_master_secret, master_secret (§8.1), the key_block
//                     parts client_write_key, server_write_key, client_write_IV,
//                     server_write_IV (§6.3), and each Finished verify_data
//   KeysActivated     a direction of the record layer switching to AEAD
//   AlertEvent        an alert sent or received (§7.2), with the reason
//   HandshakeComplete both Finished messages checked: application data may flow
//
// Secrets travel in these events because the key log and the `--trace=secrets`
// demo need them; an observer that does not ask for them simply ignores them.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/describe.h"
#include "record/alert.h"

namespace tls12::protocol {

enum class Direction { sent, received };

struct HandshakeMessage {
  Direction direction;
  uint8_t type;          // HandshakeType (RFC 5246 §7.4)
  std::string name;      // "ClientHello", ...
  ByteView raw;          // the whole message, header included; valid during the call only
  std::vector<handshake::Field> fields;  // decoded, in wire order
};

struct ChangeCipherSpec {
  Direction direction;
};

struct SecretDerived {
  std::string name;       // "pre_master_secret", "master_secret", "client_write_key", ...
  ByteView value;         // valid during the call only
  ByteView client_random; // the connection's ClientHello.random (the key log's index)
};

struct KeysActivated {
  Direction direction;    // sent = our writes are now protected, received = our reads
  std::string aead;       // "AES-128-GCM", ...
};

struct AlertEvent {
  Direction direction;
  record::AlertLevel level;
  record::AlertDescription description;
  std::string reason;     // our sentence for an alert we send; empty for a received one
};

struct HandshakeComplete {
  std::string cipher_suite;  // the RFC name
};

using Event = std::variant<HandshakeMessage, ChangeCipherSpec, SecretDerived, KeysActivated,
                           AlertEvent, HandshakeComplete>;

// Called synchronously from inside Connection; must not call back into it.
using Observer = std::function<void(const Event&)>;

}  // namespace tls12::protocol
