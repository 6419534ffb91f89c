// What a handshake decided, for the Connection's queries and for traces:
// version, cipher suite, group, signature schemes, extended master secret,
// secure renegotiation, the peer's certificate chain and how its check went.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/messages.h"
#include "handshake/session.h"
#include "handshake/state.h"
#include "x509/keys.h"
#include "x509/path_validation.h"

namespace tls12::handshake {

// The peer's Certificate message (RFC 5246 §7.4.2, §7.4.6) and our check of it.
struct PeerCertificates {
  std::vector<Bytes> chain;                 // DER, as received, leaf first
  std::optional<x509::PublicKey> leaf_key;  // the key that signs or decrypts for the peer
  std::optional<uint16_t> leaf_key_usage;   // the leaf's keyUsage bits, if it has the extension
  bool checked = false;                     // path validation ran
  x509::Reason verification = x509::Reason::ok;
  std::string verification_message;         // the reason, when not ok
  bool verified() const { return checked && verification == x509::Reason::ok; }
};

// The alert for a failed chain (RFC 5246 §7.2.2), as x509/path_validation.h
// suggests: expired -> certificate_expired, no path -> unknown_ca, algorithms
// or key usages we cannot accept -> unsupported_certificate, the rest
// bad_certificate.
record::AlertDescription alert_for_reason(x509::Reason reason);

// Step 3 (the server's chain) and step 6 (the client's): parses the leaf's
// key and, when `trust` is given, validates the chain for `options` (purpose,
// host name, time), reporting the outcome as PeerChainChecked. A refused
// chain throws CheckFailed with the reason's alert; with `trust` null nothing
// is refused but a leaf whose key cannot be read (TlsError bad_certificate /
// unsupported_certificate).
PeerCertificates check_peer_certificates(std::vector<Bytes> chain, const x509::TrustStore* trust,
                                         const x509::VerifyOptions& options, Sender peer, Actions& actions);

struct Negotiated {
  ProtocolVersion version = 0;
  const CipherSuiteInfo* cipher_suite = nullptr;
  std::optional<NamedGroup> group;                         // ECDHE, DHE (a known ffdhe prime)
  std::optional<SignatureScheme> server_signature_scheme;  // ServerKeyExchange
  std::optional<SignatureScheme> client_signature_scheme;  // CertificateVerify
  bool extended_master_secret = false;                     // RFC 7627
  bool encrypt_then_mac = false;                           // RFC 7366 (CBC suites only)
  bool secure_renegotiation = false;                       // RFC 5746 supported by the peer
  std::string server_name;                                 // SNI sent / received
  std::string alpn_protocol;                               // RFC 7301; empty when none
  Random client_random{};
  Random server_random{};
  PeerCertificates peer;                                   // the other side's chain
  bool client_certificate_requested = false;
  bool client_authenticated = false;                       // server: CertificateVerify checked
  bool resumed = false;                                    // abbreviated handshake (session reused)
  // The session this handshake resumed (shared with the store, cache or ticket
  // it came from), or the one it made: the peer's chain then lives in the
  // session and is read from there rather than copied.
  SharedSession session;
  std::array<uint8_t, verify_data_length> client_verify_data{};  // kept for RFC 5746
  std::array<uint8_t, verify_data_length> server_verify_data{};

  // The peer's chain: the one this handshake received, or the resumed session's.
  const std::vector<Bytes>& peer_chain() const {
    return session ? session->peer_certificate_chain : peer.chain;
  }
};

}  // namespace tls12::handshake
