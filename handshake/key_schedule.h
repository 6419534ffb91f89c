// The TLS 1.2 key schedule: every secret of a connection comes from the PRF
// (RFC 5246 §5) in three derivations: 1 and 2 are step 6 of the handshake
// (docs/steps.md), 3 is steps 7 and 8.
//
//   1. master_secret (RFC 5246 §8.1)
//        master_secret = PRF(pre_master_secret, "master secret",
//                            ClientHello.random + ServerHello.random)[0..47]
//      or, when both sides negotiated extended_master_secret (RFC 7627 §4),
//        master_secret = PRF(pre_master_secret, "extended master secret",
//                            session_hash)[0..47]
//      where session_hash is the transcript hash of every handshake message up
//      to and including ClientKeyExchange.
//
//   2. key_block (RFC 5246 §6.3)
//        key_block = PRF(SecurityParameters.master_secret, "key expansion",
//                        SecurityParameters.server_random +
//                        SecurityParameters.client_random)
//      cut in order into client_write_MAC_key, server_write_MAC_key,
//      client_write_key, server_write_key, client_write_IV, server_write_IV.
//      (Note the server random comes first here, the reverse of step 1.) For
//      AEAD suites the MAC keys are empty and the IVs are the implicit nonce
//      parts: 4 bytes of salt for AES-GCM (RFC 5288 §3), 12 bytes for
//      ChaCha20-Poly1305 (RFC 7905 §2). For the CBC suites the MAC keys are
//      the HMAC keys (20, 32 or 48 bytes) and the IVs are empty: TLS 1.2
//      sends a fresh IV in every record (§6.2.3.2).
//
//   3. Finished (RFC 5246 §7.4.9)
//        verify_data = PRF(master_secret, finished_label,
//                          Hash(handshake_messages))[0..11]
//      finished_label is "client finished" or "server finished".
//
// The PRF hash is the cipher suite's (SHA-256, or SHA-384 for *_SHA384 suites).
#pragma once

#include <array>

#include "crypto/bytes.h"
#include "crypto/sha2.h"
#include "handshake/cipher_suites.h"
#include "handshake/messages.h"
#include "record/protection.h"

namespace tls12::handshake {

inline constexpr size_t master_secret_length = 48;

// The master_secret (step 6 of docs/steps.md), RFC 5246 §8.1.
SecretBytes compute_master_secret(crypto::HashAlgorithm prf_hash, ByteView pre_master_secret,
                                  const Random& client_random, const Random& server_random);

// The same with RFC 7627 §4: `session_hash` = Hash(handshake_messages) through
// ClientKeyExchange, with the PRF hash.
SecretBytes compute_extended_master_secret(crypto::HashAlgorithm prf_hash,
                                           ByteView pre_master_secret, ByteView session_hash);

// The key_block (step 6), RFC 5246 §6.3: the first `length` bytes of key_block. Exposed on its
// own so the split below can be checked and non-AEAD layouts computed in tests.
SecretBytes compute_key_block(crypto::HashAlgorithm prf_hash, ByteView master_secret,
                              const Random& client_random, const Random& server_random,
                              size_t length);

// The key_block split as §6.3 lists it (MAC keys empty for AEAD suites, IVs
// empty for CBC suites).
struct KeyBlock {
  SecretBytes client_write_MAC_key;
  SecretBytes server_write_MAC_key;
  SecretBytes client_write_key;
  SecretBytes server_write_key;
  SecretBytes client_write_IV;  // fixed_iv_length bytes
  SecretBytes server_write_IV;
};
KeyBlock derive_key_block(const CipherSuiteInfo& suite, ByteView master_secret,
                          const Random& client_random, const Random& server_random);

// The keys of one direction as the record layer installs them.
// `encrypt_then_mac` when RFC 7366 was negotiated (CBC suites only).
record::TrafficKeys client_write_keys(const CipherSuiteInfo& suite, const KeyBlock& keys,
                                      bool encrypt_then_mac = false);
record::TrafficKeys server_write_keys(const CipherSuiteInfo& suite, const KeyBlock& keys,
                                      bool encrypt_then_mac = false);

// Finished (steps 7 and 8), RFC 5246 §7.4.9. `handshake_hash` is Hash(handshake_messages) with
// the PRF hash, over every message before this Finished (Transcript::current_hash()).
// The receiver compares the peer's verify_data with this value using
// constant_time_equal (crypto/bytes.h): an early-exit comparison would tell an
// attacker how many leading bytes of a forged Finished were right.
enum class Sender { client, server };
std::array<uint8_t, verify_data_length> compute_verify_data(crypto::HashAlgorithm prf_hash,
                                                            ByteView master_secret, Sender sender,
                                                            ByteView handshake_hash);

}  // namespace tls12::handshake
