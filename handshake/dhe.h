// The DHE key exchange of TLS 1.2 (RFC 5246 §7.4.3, §7.4.7.2, §8.1.2) over the
// finite-field groups of RFC 7919 ("Negotiated Finite Field Diffie-Hellman
// Ephemeral Parameters"), as one more pair of key agreement classes behind
// key_agreement.h.
//
//   Server (step 2)  picks a group: the first of its own ffdhe groups that the
//                    client lists in supported_groups, or ffdhe2048 when the
//                    client lists no ffdhe group at all (RFC 7919 §4 lets the
//                    server choose then; 2048 bits is the floor everyone
//                    accepts). It sends ServerDHParams {p, g, Ys} with Ys
//                    padded to the size of p (RFC 7919 §3), signed.
//   Client (step 2)  accepts the group if p is a known RFC 7919 prime with
//                    g = 2, or otherwise an odd prime of at least 2048 bits
//                    with 1 < g < p-1; and 1 < Ys < p-1 always (RFC 7919 §5.1:
//                    0, 1 and p-1 would force the shared secret into a set of
//                    three values). Anything else is illegal_parameter.
//   Both (steps 4, 6) pre_master_secret = Z = peer_Y^x mod p with its leading
//                    zero bytes stripped (§8.1.2), computed by crypto::DhKeyPair.
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/key_agreement.h"

namespace tls12::handshake {

// The ffdhe group the server uses with a client that sent `client_groups`
// (nullopt when it sent no supported_groups), from the server's `ours`
// (its ffdhe entries, or {ffdhe2048} when it has none): the first of ours the
// client lists, or the first of ours when it lists no ffdhe group at all. nullopt when the client
// lists ffdhe groups but none of ours: then DHE cannot run (RFC 7919 §4).
std::optional<NamedGroup> choose_dhe_group(std::span<const NamedGroup> ours,
                                           const std::optional<std::vector<NamedGroup>>& client_groups);

// The RFC 7919 group whose prime is `p` (leading zero bytes ignored), if any.
std::optional<NamedGroup> named_ffdhe_group(ByteView p);

// `group` must be ffdhe2048 or ffdhe3072 (else TlsError(internal_error)).
std::unique_ptr<ServerKeyAgreement> make_dhe_server_key_agreement(NamedGroup group);
std::unique_ptr<ClientKeyAgreement> make_dhe_client_key_agreement();

}  // namespace tls12::handshake
