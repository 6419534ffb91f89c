// The key schedule of TLS 1.2: master_secret (RFC 5246 §8.1, RFC 7627 §4),
// key_block (RFC 5246 §6.3) and Finished verify_data (RFC 5246 §7.4.9). Each
// function is one PRF call with the RFC's label and seed; key_schedule.h
// shows the formulas.
#include "handshake/key_schedule.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/prf.h"

namespace tls12::handshake {

namespace {
// The two randoms concatenated in the order given: master_secret's seed is
// client_random + server_random, key_block's is server_random + client_random.
std::array<uint8_t, 2 * sizeof(Random)> concat(const Random& first, const Random& second) {
  std::array<uint8_t, 2 * sizeof(Random)> seed;
  std::copy(first.begin(), first.end(), seed.begin());
  std::copy(second.begin(), second.end(), seed.begin() + first.size());
  return seed;
}

// Copies `length` bytes of `block` at `*pos` into a secret of their own.
SecretBytes take(ByteView block, size_t* pos, size_t length) {
  SecretBytes out(block.begin() + static_cast<std::ptrdiff_t>(*pos),
                  block.begin() + static_cast<std::ptrdiff_t>(*pos + length));
  *pos += length;
  return out;
}

// The longest key_block of any suite: two MAC keys, two cipher keys and two
// IVs of the largest sizes (HMAC-SHA384, AES-256, ChaCha20-Poly1305's IV).
constexpr size_t max_key_block_length = 2 * 48 + 2 * 32 + 2 * 12;
}  // namespace

SecretBytes compute_master_secret(crypto::HashAlgorithm prf_hash, ByteView pre_master_secret,
                                  const Random& client_random, const Random& server_random) {
  return crypto::prf(prf_hash, pre_master_secret, "master secret",
                     concat(client_random, server_random), master_secret_length);
}

SecretBytes compute_extended_master_secret(crypto::HashAlgorithm prf_hash,
                                           ByteView pre_master_secret, ByteView session_hash) {
  // RFC 7627 §4: the session hash replaces the randoms, binding the master
  // secret to the whole handshake (certificates, key exchange) rather than to
  // values an attacker in the middle can replay (the triple handshake attack).
  return crypto::prf(prf_hash, pre_master_secret, "extended master secret", session_hash,
                     master_secret_length);
}

SecretBytes compute_key_block(crypto::HashAlgorithm prf_hash, ByteView master_secret,
                              const Random& client_random, const Random& server_random,
                              size_t length) {
  return crypto::prf(prf_hash, master_secret, "key expansion",
                     concat(server_random, client_random), length);
}

KeyBlock derive_key_block(const CipherSuiteInfo& suite, ByteView master_secret,
                          const Random& client_random, const Random& server_random) {
  // §6.3 order: client_write_MAC_key, server_write_MAC_key (both empty for
  // AEAD), client_write_key, server_write_key, client_write_IV, server_write_IV
  // (both empty for CBC).
  const size_t length = 2 * suite.mac_key_length + 2 * suite.enc_key_length + 2 * suite.fixed_iv_length;
  if (length > max_key_block_length) throw std::logic_error("cipher suite key_block longer than any known");
  // On the stack, not the heap: one allocation fewer per handshake; wiped below.
  std::array<uint8_t, max_key_block_length> storage;
  const MutableByteView block(storage.data(), length);
  crypto::prf(suite.prf_hash, master_secret, "key expansion", concat(server_random, client_random), block);
  KeyBlock keys;
  size_t pos = 0;
  keys.client_write_MAC_key = take(block, &pos, suite.mac_key_length);
  keys.server_write_MAC_key = take(block, &pos, suite.mac_key_length);
  keys.client_write_key = take(block, &pos, suite.enc_key_length);
  keys.server_write_key = take(block, &pos, suite.enc_key_length);
  keys.client_write_IV = take(block, &pos, suite.fixed_iv_length);
  keys.server_write_IV = take(block, &pos, suite.fixed_iv_length);
  secure_zero(storage.data(), storage.size());
  return keys;
}

namespace {

record::TrafficKeys traffic_keys(const CipherSuiteInfo& suite, const SecretBytes& mac_key, const SecretBytes& key,
                                 const SecretBytes& iv, bool encrypt_then_mac) {
  record::TrafficKeys out;
  out.algorithm = suite.aead;
  out.key = key;
  out.iv = iv;
  out.mac_algorithm = suite.mac;
  out.mac_key = mac_key;
  out.encrypt_then_mac = suite.is_cbc() && encrypt_then_mac;
  return out;
}

}  // namespace

record::TrafficKeys client_write_keys(const CipherSuiteInfo& suite, const KeyBlock& keys, bool encrypt_then_mac) {
  return traffic_keys(suite, keys.client_write_MAC_key, keys.client_write_key, keys.client_write_IV,
                      encrypt_then_mac);
}

record::TrafficKeys server_write_keys(const CipherSuiteInfo& suite, const KeyBlock& keys, bool encrypt_then_mac) {
  return traffic_keys(suite, keys.server_write_MAC_key, keys.server_write_key, keys.server_write_IV,
                      encrypt_then_mac);
}

std::array<uint8_t, verify_data_length> compute_verify_data(crypto::HashAlgorithm prf_hash,
                                                            ByteView master_secret, Sender sender,
                                                            ByteView handshake_hash) {
  std::string_view finished_label =
      sender == Sender::client ? "client finished" : "server finished";
  std::array<uint8_t, verify_data_length> verify_data;
  crypto::prf(prf_hash, master_secret, finished_label, handshake_hash, verify_data);
  return verify_data;
}

}  // namespace tls12::handshake
