// Encrypt-then-MAC (RFC 7366): the negotiation rules, kept apart from the
// state machines, which call these at the steps named below.
//
// The extension (type 22, empty) asks that CBC records be MACed over the
// ciphertext instead of the plaintext (record/cbc_protection.h), which takes
// away the padding oracle and Lucky 13 at the root: a forged record is
// refused before anything is decrypted.
//
//   ClientHello:  our client offers it whenever it offers a CBC suite.
//   ServerHello:  the server answers it only when it chose a CBC suite
//                 (§3: never with an AEAD or stream suite); then both sides
//                 use it for every record after ChangeCipherSpec.
//   Resumption:   a session made with EtM is not resumed by a ClientHello
//                 without it (§3.1: a rehandshake must not downgrade): the
//                 server does a full handshake, and our client refuses a
//                 server that resumes such a session without EtM.
#pragma once

#include <vector>

#include "handshake/cipher_suites.h"
#include "handshake/extensions.h"
#include "handshake/session.h"

namespace tls12::handshake {

// Step 1 (client): offer the extension when `offered` holds a CBC suite.
bool client_offers_encrypt_then_mac(const std::vector<CipherSuite>& offered);

// Step 2 (client), ServerHello: whether records will use EtM. An EtM answer
// with a suite that is not CBC is illegal_parameter (RFC 7366 §3).
bool client_uses_encrypt_then_mac(const CipherSuiteInfo& suite, const ServerHelloExtensions& ext);

// Step 2 (client, resumption): a resumed EtM session answered without EtM is
// handshake_failure (§3.1).
void check_resumed_encrypt_then_mac(const Session& session, const ServerHelloExtensions& ext);

// Step 2 (server): whether to answer EtM (and use it): the client asked and
// the suite is CBC.
bool server_uses_encrypt_then_mac(const CipherSuiteInfo& suite, const ClientHelloExtensions& ext);

// Step 2 (server, resumption): false when the session was made with EtM and
// the ClientHello does not offer it; the server then does a full handshake.
bool session_resumable_with(const Session& session, const ClientHelloExtensions& ext);

}  // namespace tls12::handshake
