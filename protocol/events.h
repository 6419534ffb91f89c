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
//                     parts (§6.3) the suite uses: client_write_MAC_key and
//                     server_write_MAC_key (CBC), client_write_key,
//                     server_write_key, client_write_IV and server_write_IV
//                     (AEAD), named by handshake::Secret
//   PeerChainChecked  step 3 / step 6: the peer's chain validated (the path
//                     and the name matched) or refused (the reason)
//   SignatureChecked  ServerKeyExchange or CertificateVerify signature checked
//   PreMasterRecovered step 6: the server has the premaster secret (for RSA,
//                     with the §7.4.7.1 countermeasure)
//   FinishedChecked   steps 7 and 8: a received Finished compared with ours
//                     (both values, equal or not)
//   KeysActivated     a direction of the record layer switching to AEAD
//   AlertEvent        an alert sent or received (§7.2), with the reason
//   HandshakeComplete both Finished messages checked: application data may flow
//   RecordSeen        one record as it crossed the wire (§6.2), with its plaintext
//                     and how it was protected; only for observers that ask for
//                     records, since it costs a copy per record
//   Undecoded         bytes a passive reader (a capture) could not decode, and
//                     why; never from a live Connection, which alerts instead
//
// The four checks come from the state machines themselves (handshake/checks.h),
// including the one that failed just before a fatal alert, so an observer
// never has to guess a check's result from what happened next.
//
// Secrets travel in these events because the key log and the `--trace=secrets`
// demo need them; an observer that does not ask for them simply ignores them.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/checks.h"
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

using handshake::FinishedChecked;
using handshake::PeerChainChecked;
using handshake::PreMasterRecovered;
using handshake::Secret;
using handshake::SignatureChecked;

struct SecretDerived {
  Secret secret;          // which one; handshake::secret_name gives the RFC's name
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

// One record, sent or received (RFC 5246 §6.2): the bytes on the wire and the
// TLSPlaintext.fragment they carry. The nonce and additional data of a
// protected record follow from these fields and the key block: AES-GCM's
// nonce is client/server_write_IV ‖ the first 8 fragment bytes (RFC 5288 §3),
// ChaCha20-Poly1305's is the write IV XOR the padded sequence number (RFC 7905
// §2), and the additional data is seq_num ‖ type ‖ version ‖ length (§6.2.3.3).
struct RecordSeen {
  Direction direction;
  uint8_t content_type;          // ContentType of the record header (§6.2.1)
  uint64_t sequence_number = 0;  // seq_num in this direction (§6.1); 0 again after each ChangeCipherSpec
  ByteView wire;                 // the whole record, 5-byte header included; valid during the call only
  ByteView plaintext;            // the fragment once opened (equal to the wire fragment while unprotected)
  std::string protection;        // empty while unprotected; else record::protection_name ("AES-128-GCM", ...)
  size_t record_iv_length = 0;   // explicit nonce / IV bytes at the start of the fragment (8 AES-GCM, 16 CBC)
  size_t mac_length = 0;         // the AEAD tag or HMAC length at the end (before the padding for MAC-then-encrypt)
  bool encrypt_then_mac = false; // RFC 7366 layout (CBC suites only)
};

// Bytes of one direction that a passive decoder (illustrating a capture) could
// not take apart, from where it stopped: shown as raw bytes with the reason.
struct Undecoded {
  Direction direction;
  ByteView bytes;       // valid during the call only
  std::string reason;   // one line: "record 7: bad_record_mac (no key for this connection in the key log)"
};

struct HandshakeComplete {
  std::string cipher_suite;  // the RFC name
};

using Event = std::variant<HandshakeMessage, ChangeCipherSpec, SecretDerived, PeerChainChecked, SignatureChecked,
                           PreMasterRecovered, FinishedChecked, KeysActivated, AlertEvent, HandshakeComplete, RecordSeen, Undecoded>;

// Called synchronously from inside Connection; must not call back into it.
using Observer = std::function<void(const Event&)>;

}  // namespace tls12::protocol
