// Record protection: the connection state of one direction (RFC 5246 §6.1)
// and AEAD record encryption (RFC 5246 §6.2.3.3) with the nonce and additional
// data of AES-GCM (RFC 5288 §3) and ChaCha20-Poly1305 (RFC 7905 §2), or
// block-cipher protection (AES-CBC + HMAC, §6.2.3.2, record/cbc_protection.h).
//
// Each direction starts with null protection (records are sent in the clear)
// and switches to an AEAD after ChangeCipherSpec. The switch resets the 64-bit
// sequence number to zero (§6.1); every record sealed or opened adds one.
//
//   additional_data = seq_num (8) || type (1) || version (2) || length (2)
//                     where length is the *plaintext* length       (§6.2.3.3)
//
//   AES-GCM (RFC 5288):   nonce = salt (4, client/server_write_IV)
//                                 || nonce_explicit (8, sent in the record)
//                         We set nonce_explicit = seq_num, which is unique
//                         per key as RFC 5288 §3 requires.
//                         TLSCiphertext.fragment = nonce_explicit || ciphertext || tag
//
//   ChaCha20-Poly1305 (RFC 7905):
//                         nonce = write_IV (12) XOR (0x00000000 || seq_num)
//                         TLSCiphertext.fragment = ciphertext || tag
//
// Sequence numbers never wrap (§6.1 says to renegotiate instead; tls12 does not
// renegotiate, so it closes). A direction refuses to seal or open once its next
// sequence number would be 2^64-1: sealing throws `internal_error` (we can send
// nothing more; the application must close), opening throws
// `unexpected_message` (the peer went on sending where it had to stop).
#pragma once

#include <cstdint>
#include <memory>

#include <optional>

#include "crypto/aead.h"
#include "crypto/bytes.h"
#include "record/cbc_protection.h"
#include "record/record.h"

namespace tls12::record {

// The keys for one direction, cut from the key_block by the handshake's key
// schedule (RFC 5246 §6.3): client_write_key + client_write_IV, or the server's.
struct TrafficKeys {
  crypto::AeadAlgorithm algorithm = crypto::AeadAlgorithm::aes_128_gcm;
  SecretBytes key;  // 16 or 32 bytes
  SecretBytes iv;   // 4 bytes (GCM implicit salt) or 12 bytes (ChaCha20-Poly1305); empty for CBC
  // Set for the AES-CBC suites (GenericBlockCipher, §6.2.3.2): the HMAC hash
  // and client/server_write_MAC_key; `algorithm` is then unused and `key` is
  // the AES key. encrypt_then_mac when both sides negotiated RFC 7366.
  std::optional<crypto::HashAlgorithm> mac_algorithm;
  SecretBytes mac_key;
  bool encrypt_then_mac = false;
};

// Size of the write IV each AEAD takes from the key block: 4 for AES-GCM
// (RFC 5288 §3, SecurityParameters.fixed_iv_length), 12 for ChaCha20-Poly1305.
size_t fixed_iv_length(crypto::AeadAlgorithm alg);
// Bytes of nonce sent in each record: 8 for AES-GCM, 0 for ChaCha20-Poly1305.
size_t record_iv_length(crypto::AeadAlgorithm alg);

// What protects records under `keys`, for traces: "AES-128-GCM", or
// "AES-128-CBC with HMAC-SHA1, MAC-then-encrypt" / "..., encrypt-then-MAC".
std::string protection_name(const TrafficKeys& keys);

class RecordProtection {
 public:
  // Null protection (TLS_NULL_WITH_NULL_NULL, the initial state of §6.1).
  RecordProtection() = default;
  // AEAD protection with `keys`. Throws std::invalid_argument if the key or IV
  // has the wrong size for the algorithm.
  explicit RecordProtection(const TrafficKeys& keys,
                            crypto::AeadImplementation impl = crypto::AeadImplementation::best);

  RecordProtection(RecordProtection&&) noexcept = default;
  RecordProtection& operator=(RecordProtection&&) noexcept = default;
  ~RecordProtection();

  bool is_null() const { return aead_ == nullptr && cbc_ == nullptr; }
  const crypto::Aead* aead() const { return aead_.get(); }
  const BlockCipherProtection* block_cipher() const { return cbc_.get(); }

  // Bytes before the plaintext inside the fragment (the explicit nonce: 8 or
  // 0; the CBC IV: 16).
  size_t prefix_size() const { return explicit_nonce_size_; }
  // Bytes protection adds to a fragment: explicit nonce + tag (24 for GCM,
  // 16 for ChaCha20-Poly1305, 0 for null); for CBC the most it can add
  // (IV + MAC + a block of padding), as a sealed CBC record varies in size.
  size_t overhead() const {
    if (cbc_) return cbc_->max_overhead();
    return is_null() ? 0 : explicit_nonce_size_ + crypto::Aead::tag_size;
  }

  // The sequence number the next record will use.
  uint64_t sequence_number() const { return sequence_number_; }
  // Sets it (tests, and joining a connection whose earlier records were
  // processed elsewhere, e.g. after a Finished sealed by another stack).
  void set_sequence_number(uint64_t seq) { sequence_number_ = seq; }

  // Seals one record in place. `record` is laid out as
  //     [5-byte header][prefix_size() bytes][plaintext_length bytes][tag]
  // with the plaintext already at offset 5 + prefix_size(); its size must be at
  // least kRecordHeaderSize + plaintext_length + overhead(). Writes the
  // header (type, 0x0303, fragment length), the explicit nonce and the tag,
  // encrypts the plaintext where it lies, advances the sequence number and
  // returns the record's total size. plaintext_length must be at most
  // kMaxPlaintextLength.
  size_t seal(ContentType type, MutableByteView record, size_t plaintext_length);

  // Opens the fragment of a received record in place and returns the plaintext
  // (a view inside `fragment`). The additional data uses `version` as it was on
  // the wire. A fragment too short to hold nonce and tag, or whose tag does not
  // verify, is `bad_record_mac`, and then no plaintext is released (the AEAD
  // wipes it). A plaintext longer than 2^14 is `record_overflow`.
  MutableByteView open(ContentType type, uint16_t version, MutableByteView fragment);
  MutableByteView open(const Record& record) { return open(record.type, record.version, record.fragment); }

 private:
  void next_nonce(uint8_t nonce[crypto::Aead::nonce_size]) const;
  void fill_additional_data(uint8_t aad[13], ContentType type, uint16_t version,
                            size_t plaintext_length) const;

  std::unique_ptr<crypto::Aead> aead_;
  std::unique_ptr<BlockCipherProtection> cbc_;
  crypto::AeadAlgorithm algorithm_ = crypto::AeadAlgorithm::aes_128_gcm;
  uint8_t iv_[crypto::Aead::nonce_size] = {};  // salt (4 used) or full ChaCha IV (12)
  size_t explicit_nonce_size_ = 0;
  uint64_t sequence_number_ = 0;
};

}  // namespace tls12::record
