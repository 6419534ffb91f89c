// Alerts on the wire (RFC 5246 §7.2): the two-byte encoding, its strict
// decoding, and the names used for printing.
#include "record/alert.h"

#include <array>
#include <utility>

namespace tls12::record {

namespace {
constexpr std::array<std::pair<AlertDescription, std::string_view>, 32> kNames{{
    {AlertDescription::close_notify, "close_notify"},
    {AlertDescription::unexpected_message, "unexpected_message"},
    {AlertDescription::bad_record_mac, "bad_record_mac"},
    {AlertDescription::decryption_failed_RESERVED, "decryption_failed_RESERVED"},
    {AlertDescription::record_overflow, "record_overflow"},
    {AlertDescription::decompression_failure, "decompression_failure"},
    {AlertDescription::handshake_failure, "handshake_failure"},
    {AlertDescription::no_certificate_RESERVED, "no_certificate_RESERVED"},
    {AlertDescription::bad_certificate, "bad_certificate"},
    {AlertDescription::unsupported_certificate, "unsupported_certificate"},
    {AlertDescription::certificate_revoked, "certificate_revoked"},
    {AlertDescription::certificate_expired, "certificate_expired"},
    {AlertDescription::certificate_unknown, "certificate_unknown"},
    {AlertDescription::illegal_parameter, "illegal_parameter"},
    {AlertDescription::unknown_ca, "unknown_ca"},
    {AlertDescription::access_denied, "access_denied"},
    {AlertDescription::decode_error, "decode_error"},
    {AlertDescription::decrypt_error, "decrypt_error"},
    {AlertDescription::export_restriction_RESERVED, "export_restriction_RESERVED"},
    {AlertDescription::protocol_version, "protocol_version"},
    {AlertDescription::insufficient_security, "insufficient_security"},
    {AlertDescription::internal_error, "internal_error"},
    {AlertDescription::inappropriate_fallback, "inappropriate_fallback"},
    {AlertDescription::user_canceled, "user_canceled"},
    {AlertDescription::no_renegotiation, "no_renegotiation"},
    {AlertDescription::unsupported_extension, "unsupported_extension"},
    {AlertDescription::certificate_unobtainable, "certificate_unobtainable"},
    {AlertDescription::unrecognized_name, "unrecognized_name"},
    {AlertDescription::bad_certificate_status_response, "bad_certificate_status_response"},
    {AlertDescription::bad_certificate_hash_value, "bad_certificate_hash_value"},
    {AlertDescription::unknown_psk_identity, "unknown_psk_identity"},
    {AlertDescription::no_application_protocol, "no_application_protocol"},
}};
}  // namespace

std::array<uint8_t, kAlertSize> encode_alert(Alert alert) {
  return {static_cast<uint8_t>(alert.level), static_cast<uint8_t>(alert.description)};
}

Alert decode_alert(ByteView plaintext) {
  if (plaintext.size() != kAlertSize)
    throw TlsError(AlertDescription::decode_error,
                   "alert record has " + std::to_string(plaintext.size()) + " bytes, not 2");
  uint8_t level = plaintext[0];
  if (level != static_cast<uint8_t>(AlertLevel::warning) &&
      level != static_cast<uint8_t>(AlertLevel::fatal))
    throw TlsError(AlertDescription::decode_error,
                   "alert level " + std::to_string(level) + " is neither warning(1) nor fatal(2)");
  return {static_cast<AlertLevel>(level), static_cast<AlertDescription>(plaintext[1])};
}

std::string_view alert_level_name(AlertLevel level) {
  switch (level) {
    case AlertLevel::warning: return "warning";
    case AlertLevel::fatal: return "fatal";
  }
  return "unknown";
}

std::string alert_to_string(Alert alert) {
  return std::string(alert_level_name(alert.level)) + " " + alert_name(alert.description);
}

std::string alert_name(AlertDescription description) {
  for (const auto& [value, name] : kNames)
    if (value == description) return std::string(name);
  return "unknown(" + std::to_string(static_cast<int>(description)) + ")";
}

std::optional<AlertDescription> alert_from_byte(uint8_t value) {
  for (const auto& [desc, name] : kNames)
    if (static_cast<uint8_t>(desc) == value) return desc;
  return std::nullopt;
}

}  // namespace tls12::record
