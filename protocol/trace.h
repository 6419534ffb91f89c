// Readable traces of a connection: one renderer of the Connection's events
// (protocol/events.h) at three levels, used by `tls12 client`, `tls12 server`
// and `tls12 demo`, and by tests.
//
//   messages  one line per step of the RFC 5246 §7.3 message flow: each
//             handshake message with its length and its key fields,
//             ChangeCipherSpec (§7.1), keys switched on, alerts (§7.2),
//             handshake complete;
//   bytes     as messages, plus every field of every handshake message with
//             the exact bytes it occupies on the wire, hex on the left and the
//             RFC's field name and value on the right, like an annotated
//             capture (§7.4 structures, byte for byte);
//   secrets   as bytes, plus pre_master_secret, master_secret (§8.1) and the
//             key_block parts (§6.3). These are the keys of the session: shown
//             only when asked, and marked as secret.
//
// A protected record (§6.2.3.3 GenericAEADCipher) can be annotated the same
// way, for showing what application data looks like on the wire.
#pragma once

#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "protocol/events.h"

namespace tls12::protocol {

enum class TraceLevel { off, messages, bytes, secrets };

// "off", "messages", "bytes", "secrets"; nullopt for anything else.
std::optional<TraceLevel> parse_trace_level(std::string_view text);
std::string_view trace_level_name(TraceLevel level);

// Hex lines of at most `per_line` bytes ("16 03 03 00 2f"), each prefixed by `indent`.
std::string hex_lines(ByteView bytes, std::string_view indent, size_t per_line = 16);

class TraceRenderer {
 public:
  // `who` names the side whose events these are ("client", "server").
  TraceRenderer(TraceLevel level, std::string who);

  TraceLevel level() const { return level_; }
  // The text for one event (whole lines, each ending in '\n'); empty when the
  // level hides the event.
  std::string render(const Event& event) const;

  // The annotated fields of a handshake message (the `bytes` level's view).
  static std::string render_fields(const HandshakeMessage& message, std::string_view indent);
  // A protected record: the 5-byte header (§6.2.1), then for AES-GCM the
  // 8-byte nonce_explicit (RFC 5288 §3), the ciphertext, and the 16-byte tag.
  // `record_iv_length` is 8 for AES-GCM and 0 for ChaCha20-Poly1305 (RFC 7905).
  static std::string render_protected_record(ByteView record, size_t record_iv_length,
                                             std::string_view indent);
  // A CBC record (RFC 5246 §6.2.3.2): the header, the 16-byte IV, then the
  // ciphertext cut where its plaintext is content, MAC, padding and
  // padding_length (CBC keeps byte positions, so a sender who knows the
  // content length can label the encrypted bytes). With Encrypt-then-MAC
  // (RFC 7366) the MAC follows the ciphertext in the clear.
  static std::string render_cbc_record(ByteView record, size_t content_length, size_t mac_length,
                                        bool encrypt_then_mac, std::string_view indent);

 private:
  std::string render_message(const HandshakeMessage& message) const;

  TraceLevel level_;
  std::string who_;
};

// The lock every trace writer holds while writing, so that the lines of a
// client and a server running in one process (the demo) do not interleave.
// One line for what a check found (the trace and the demo both use these).
std::string describe_check(const PeerChainChecked& check);
std::string describe_check(const SignatureChecked& check);
std::string describe_check(const PreMasterRecovered& check);
std::string describe_check(const FinishedChecked& check);

std::mutex& trace_output_mutex();

// An Observer that renders each event to `out` (under trace_output_mutex())
// and then passes it on to `next`, which may be empty.
Observer trace_observer(std::ostream& out, TraceLevel level, std::string who, Observer next = {});

}  // namespace tls12::protocol
