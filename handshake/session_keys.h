// Step 6 of the handshake, on both sides: the master_secret (RFC 5246 §8.1,
// or the extended master secret of RFC 7627 §4) and the key_block cut from it
// (§6.3), each secret reported as a SecretDerived action as it is made. A full
// handshake and a resumption (§7.3 Figure 2, whose master_secret is the
// session's) both come through here, so the derivation is written once. The
// Finished check of steps 7 and 8, which uses the master_secret, is here too.
#pragma once

#include "crypto/bytes.h"
#include "handshake/key_schedule.h"
#include "handshake/negotiated.h"
#include "handshake/state.h"

namespace tls12::handshake {

struct SessionKeys {
  SecretBytes master_secret;
  KeyBlock key_block;
};

// Full handshake. `session_hash` is Hash(handshake_messages) through
// ClientKeyExchange, used only when the extended master secret was
// negotiated: it binds the master_secret to this handshake's transcript.
SessionKeys derive_session_keys(const Negotiated& negotiated, ByteView pre_master_secret, ByteView session_hash,
                                Actions& actions);

// Resumption: the session's master_secret with the new randoms gives new keys.
SessionKeys resume_session_keys(const Negotiated& negotiated, ByteView master_secret, Actions& actions);

// Steps 7 and 8, received: the peer's Finished (from `sender`) against the
// verify_data computed from `master_secret` and `hash_before`, the transcript
// hash of every message before it. Compared in constant time; reported as
// FinishedChecked, and a mismatch throws CheckFailed with decrypt_error.
void check_finished(const Negotiated& negotiated, ByteView master_secret, Sender sender, ByteView hash_before,
                    const Finished& finished, Actions& actions);

}  // namespace tls12::handshake
