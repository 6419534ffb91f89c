// What the handshake checked and how each check came out (RFC 5246 §7.4.2,
// §7.4.6 the peer's chain; §7.4.3, §7.4.8 signatures; §7.4.7.1 the premaster
// secret; §7.4.9 Finished), and the secrets it derived (§8.1, §6.3), named by
// an enum rather than by a string to match.
//
// The state machines report these as actions; Connection hands them to its
// observer unchanged (protocol/events.h). A check that fails is thrown as
// CheckFailed: the alert for the peer together with the report, so that an
// observer learns why the handshake stopped (the reason for a refused chain,
// the two verify_data values that differ) before the alert goes out.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/key_schedule.h"
#include "record/alert.h"
#include "x509/path_validation.h"

namespace tls12::handshake {

// The secrets of §8.1 and the key_block parts of §6.3, in the order derived
// (the key_block's own order): the MAC keys only for a CBC suite, the IVs
// only for an AEAD suite (a CBC record carries its own IV, so §6.3's
// fixed_iv_length is 0 there).
enum class Secret {
  pre_master_secret,
  master_secret,
  client_write_MAC_key,
  server_write_MAC_key,
  client_write_key,
  server_write_key,
  client_write_IV,
  server_write_IV
};
// The RFC's name: "pre_master_secret", "client_write_IV", ...
std::string_view secret_name(Secret secret);

// Step 3 (client) / step 6 (server): the peer's Certificate message checked
// with x509 path validation (RFC 5280 §6) and, for a client, RFC 6125 names.
struct PeerChainChecked {
  Sender peer;                        // whose chain: the server's or the client's
  bool validated = false;             // false: verification is off, nothing was refused
  x509::Reason reason = x509::Reason::ok;
  std::string message;                // why, when refused
  std::vector<std::string> path;      // leaf ... trust anchor, when accepted
  std::string name;                   // the DNS name or IP address matched (client only)
  bool accepted() const { return validated && reason == x509::Reason::ok; }
};

// A signature over handshake data checked with the peer's certificate key:
// ServerKeyExchange (§7.4.3, step 2) or CertificateVerify (§7.4.8, step 6).
struct SignatureChecked {
  std::string message;                // "ServerKeyExchange" or "CertificateVerify"
  SignatureScheme scheme;
  bool valid = false;
};

// Step 6 (server): the pre_master_secret recovered from ClientKeyExchange.
// For RSA the §7.4.7.1 countermeasure is always applied: the decryption's
// result is used without a branch on whether its padding was good, so this
// report cannot say (and nothing else may learn) whether it was.
struct PreMasterRecovered {
  KeyExchange key_exchange;
  bool rsa_countermeasure = false;
};

// Steps 7 and 8: a received Finished compared, in constant time, with the
// verify_data computed over our own transcript.
struct FinishedChecked {
  Sender sender;                      // whose Finished was received
  std::array<uint8_t, verify_data_length> expected{};
  std::array<uint8_t, verify_data_length> received{};
  bool equal = false;
};

using Check = std::variant<PeerChainChecked, SignatureChecked, PreMasterRecovered, FinishedChecked>;

// A failed check: the alert (what TlsError carries) and the report.
class CheckFailed : public record::TlsError {
 public:
  CheckFailed(Check check, record::AlertDescription alert, const std::string& what)
      : TlsError(alert, what), check_(std::move(check)) {}
  const Check& check() const { return check_; }

 private:
  Check check_;
};

}  // namespace tls12::handshake
