// Encrypt-then-MAC negotiation (RFC 7366 §2, §3, §3.1); see encrypt_then_mac.h.
#include "handshake/encrypt_then_mac.h"

#include "record/alert.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

bool client_offers_encrypt_then_mac(const std::vector<CipherSuite>& offered) {
  for (CipherSuite id : offered)
    if (const CipherSuiteInfo* suite = find_cipher_suite(id); suite && suite->is_cbc()) return true;
  return false;
}

bool client_uses_encrypt_then_mac(const CipherSuiteInfo& suite, const ServerHelloExtensions& ext) {
  if (ext.encrypt_then_mac && !suite.is_cbc())
    throw TlsError(AlertDescription::illegal_parameter,
                   "server answered encrypt_then_mac with " + std::string(suite.name) +
                       ", which is not a CBC suite (RFC 7366 §3)");
  return ext.encrypt_then_mac;
}

void check_resumed_encrypt_then_mac(const Session& session, const ServerHelloExtensions& ext) {
  if (session.encrypt_then_mac && !ext.encrypt_then_mac)
    throw TlsError(AlertDescription::handshake_failure,
                   "server resumed an encrypt-then-MAC session without encrypt_then_mac (RFC 7366 §3.1)");
}

bool server_uses_encrypt_then_mac(const CipherSuiteInfo& suite, const ClientHelloExtensions& ext) {
  return ext.encrypt_then_mac && suite.is_cbc();
}

bool session_resumable_with(const Session& session, const ClientHelloExtensions& ext) {
  return !session.encrypt_then_mac || ext.encrypt_then_mac;
}

}  // namespace tls12::handshake
