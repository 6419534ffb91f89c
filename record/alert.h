// Alerts (RFC 5246 §7.2) and the error that carries one.
//
// Every failure that reaches the peer is one alert description plus a sentence
// for humans. Code anywhere in the record, handshake and protocol layers throws
// `TlsError{AlertDescription::..., "what went wrong"}`; `Connection` catches it
// at its boundary, sends the alert and closes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tls12::record {

enum class AlertLevel : uint8_t { warning = 1, fatal = 2 };

enum class AlertDescription : uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  decryption_failed_RESERVED = 21,
  record_overflow = 22,
  decompression_failure = 30,
  handshake_failure = 40,
  no_certificate_RESERVED = 41,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  export_restriction_RESERVED = 60,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,   // RFC 7507
  user_canceled = 90,
  no_renegotiation = 100,
  unsupported_extension = 110,   // RFC 5246 §7.2.2
  certificate_unobtainable = 111,  // RFC 6066
  unrecognized_name = 112,         // RFC 6066
  bad_certificate_status_response = 113,
  bad_certificate_hash_value = 114,
  unknown_psk_identity = 115,
  no_application_protocol = 120,  // RFC 7301
};

struct Alert {
  AlertLevel level;
  AlertDescription description;
};

// The two bytes of an alert record (§7.2): level, description.
inline constexpr size_t kAlertSize = 2;
std::array<uint8_t, kAlertSize> encode_alert(Alert alert);
// Decodes an alert record's plaintext: exactly 2 bytes with level 1 (warning)
// or 2 (fatal), else `decode_error`. An unknown description is kept as its
// number (alert_name prints "unknown(N)"); the receiver treats it as fatal.
Alert decode_alert(ByteView plaintext);
// "warning" or "fatal".
std::string_view alert_level_name(AlertLevel level);
// "fatal bad_record_mac", for traces and error messages.
std::string alert_to_string(Alert alert);

// The RFC's name for a description ("bad_record_mac"), or "unknown(N)".
std::string alert_name(AlertDescription description);
// Whether `value` is a description RFC 5246 or its extensions define.
std::optional<AlertDescription> alert_from_byte(uint8_t value);

// A protocol failure: the alert to send and a sentence that says what went wrong.
class TlsError : public std::runtime_error {
 public:
  TlsError(AlertDescription alert, const std::string& what)
      : std::runtime_error(what), alert_(alert) {}
  AlertDescription alert() const { return alert_; }

 private:
  AlertDescription alert_;
};

}  // namespace tls12::record
