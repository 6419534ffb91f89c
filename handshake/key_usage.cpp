// keyUsage against the handshake's use of a key (RFC 5280 §4.2.1.3, RFC 5246
// §7.4.2); see key_usage.h.
#include "handshake/key_usage.h"

#include <string>

#include "record/alert.h"
#include "x509/certificate.h"

namespace tls12::handshake {

KeyUse server_key_use(KeyExchange key_exchange) {
  return key_exchange == KeyExchange::rsa ? KeyUse::key_transport : KeyUse::signing;
}

std::optional<uint16_t> leaf_key_usage(ByteView leaf_der) {
  try {
    return x509::Certificate::parse(leaf_der).key_usage;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool key_usage_allows(const std::optional<uint16_t>& key_usage, KeyUse use) {
  if (!key_usage) return true;
  const auto bit = use == KeyUse::key_transport ? x509::KeyUsageBit::key_encipherment
                                                : x509::KeyUsageBit::digital_signature;
  return (*key_usage >> static_cast<unsigned>(bit)) & 1u;
}

void check_key_usage(const std::optional<uint16_t>& key_usage, KeyUse use, std::string_view whose) {
  if (key_usage_allows(key_usage, use)) return;
  const char* needed = use == KeyUse::key_transport ? "keyEncipherment (RSA key transport)"
                                                    : "digitalSignature (the handshake signature)";
  throw record::TlsError(record::AlertDescription::unsupported_certificate,
                         std::string(whose) + " certificate's keyUsage lacks " + needed +
                             ", which this handshake needs (RFC 5280 §4.2.1.3)");
}

}  // namespace tls12::handshake
