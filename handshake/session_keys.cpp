// Step 6: master_secret and key_block, reported as they are made, and the
// Finished check of steps 7 and 8 (see session_keys.h). RFC 5246 §8.1, §6.3,
// §7.4.9; RFC 7627 §4.
#include "handshake/session_keys.h"

#include <utility>

namespace tls12::handshake {

namespace {

void emit_secret(Actions& actions, Secret secret, ByteView value) {
  add_action(actions, SecretDerived{secret, SecretBytes(value.begin(), value.end())});
}

// The key_block from the master_secret and this connection's two randoms,
// its parts reported in the §6.3 order. A part the suite does not use has
// length 0 and is not reported: an AEAD suite has no MAC keys, and a CBC
// suite no IVs (each record carries its own).
KeyBlock key_block_of(const Negotiated& negotiated, ByteView master_secret, Actions& actions) {
  KeyBlock block = derive_key_block(*negotiated.cipher_suite, master_secret, negotiated.client_random,
                                    negotiated.server_random);
  const std::pair<Secret, ByteView> parts[] = {
      {Secret::client_write_MAC_key, block.client_write_MAC_key},
      {Secret::server_write_MAC_key, block.server_write_MAC_key},
      {Secret::client_write_key, block.client_write_key},
      {Secret::server_write_key, block.server_write_key},
      {Secret::client_write_IV, block.client_write_IV},
      {Secret::server_write_IV, block.server_write_IV}};
  for (const auto& [secret, value] : parts)
    if (!value.empty()) emit_secret(actions, secret, value);
  return block;
}

}  // namespace

SessionKeys derive_session_keys(const Negotiated& negotiated, ByteView pre_master_secret, ByteView session_hash,
                                Actions& actions) {
  const auto prf_hash = negotiated.cipher_suite->prf_hash;
  emit_secret(actions, Secret::pre_master_secret, pre_master_secret);
  SecretBytes master_secret =
      negotiated.extended_master_secret
          ? compute_extended_master_secret(prf_hash, pre_master_secret, session_hash)
          : compute_master_secret(prf_hash, pre_master_secret, negotiated.client_random, negotiated.server_random);
  emit_secret(actions, Secret::master_secret, master_secret);
  KeyBlock block = key_block_of(negotiated, master_secret, actions);
  return {std::move(master_secret), std::move(block)};
}

SessionKeys resume_session_keys(const Negotiated& negotiated, ByteView master_secret, Actions& actions) {
  emit_secret(actions, Secret::master_secret, master_secret);
  return {SecretBytes(master_secret.begin(), master_secret.end()), key_block_of(negotiated, master_secret, actions)};
}

void check_finished(const Negotiated& negotiated, ByteView master_secret, Sender sender, ByteView hash_before,
                    const Finished& finished, Actions& actions) {
  FinishedChecked check;
  check.sender = sender;
  check.expected = compute_verify_data(negotiated.cipher_suite->prf_hash, master_secret, sender, hash_before);
  check.received = finished.verify_data;
  check.equal = constant_time_equal(check.expected, check.received);
  if (!check.equal)
    throw CheckFailed(check, record::AlertDescription::decrypt_error,
                      std::string(sender == Sender::server ? "server's" : "client's") +
                          " Finished verify_data does not match the handshake");
  report(actions, check);
}

}  // namespace tls12::handshake
