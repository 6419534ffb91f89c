// How a server with several certificate chains picks the one for this
// handshake, together with the cipher suite (RFC 5246 §7.4.1.3, §7.4.2):
//
//   1. By name (RFC 6066 §3). When the client sent server_name, the chains
//      whose leaf names that host in subjectAltName are the candidates, exact
//      names before wildcards ("*.example.com", RFC 6125 §6.4.3). When no
//      chain names it, or the client sent no name, every chain is a
//      candidate, the default (ServerConfig::certificate) first. With
//      ServerConfig::reject_unknown_server_name, a name no chain carries is
//      instead the fatal unrecognized_name (RFC 6066 §3 allows either).
//   2. By what the client can verify. For each suite in preference order
//      (the server's, or the client's), the first candidate whose key can run
//      it: an RSA key for *_RSA_* suites, a P-256 or Ed25519 key for
//      ECDHE_ECDSA suites (RFC 8422 §5.4, §5.1.3), with a group both sides have (x25519 or secp256r1 for ECDHE, an
//      RFC 7919 group for DHE, see dhe.h) and a signature scheme the client
//      lists in signature_algorithms that the key can make, and whose leaf's
//      keyUsage allows the suite's use of the key (key_usage.h).
//
// So a server holding an RSA and an ECDSA (or Ed25519) certificate for the
// same name serves ECDSA to a client that prefers (or only accepts) it and
// RSA to the others, with no configuration beyond listing both.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "handshake/config.h"
#include "handshake/extensions.h"
#include "handshake/messages.h"

namespace tls12::handshake {

struct ServerChoice {
  const CipherSuiteInfo* suite = nullptr;
  const CertifiedKey* certificate = nullptr;  // points into the ServerConfig
  std::optional<NamedGroup> group;            // ECDHE: x25519, secp256r1; DHE: an ffdhe group
  std::optional<SignatureScheme> scheme;      // ServerKeyExchange signature (DHE, ECDHE)
  bool server_name_matched = false;           // a chain was chosen for the client's name
};

// The candidates of step 1, in order. Throws TlsError(unrecognized_name) as
// described above.
std::vector<const CertifiedKey*> certificates_for_name(const ServerConfig& config,
                                                       const std::optional<std::string>& server_name,
                                                       bool& name_matched);

// Whether `key` can run `suite` with this client (step 2), and if so with
// which group and scheme (filled into `choice`).
bool can_run(const CipherSuiteInfo& suite, const x509::PrivateKey& key, const ClientHelloExtensions& ext,
             const CommonConfig& config, ServerChoice& choice);

// Steps 1 and 2. Throws TlsError(handshake_failure) naming what is missing
// when nothing can run.
ServerChoice choose_suite_and_certificate(const ServerConfig& config, const ClientHello& hello,
                                          const ClientHelloExtensions& ext);

}  // namespace tls12::handshake
