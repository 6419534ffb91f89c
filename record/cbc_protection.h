// GenericBlockCipher record protection (RFC 5246 §6.2.3.2): AES-CBC with an
// HMAC, MAC-then-encrypt, and the Encrypt-then-MAC variant of RFC 7366.
//
// MAC-then-encrypt (RFC 5246):
//
//   MAC     = HMAC(MAC_write_key, seq_num || type || version || length || content)
//   fragment = IV (16) || CBC-Encrypt(content || MAC || padding || padding_length)
//
// Encrypt-then-MAC (RFC 7366 §3), where length is that of IV || ciphertext:
//
//   fragment = IV || CBC-Encrypt(content || padding || padding_length)
//              || HMAC(MAC_write_key, seq_num || type || version || length || IV || ciphertext)
//
// padding_length is one byte p and the padding is p bytes each equal to p;
// (content + MAC + p + 1) must be whole blocks. We send the least padding
// (p <= 15) and accept any p up to 255 (§6.2.3.2 allows it).
//
// The IV is 16 fresh random bytes per record (§6.2.3.2 "SHOULD be chosen at
// random, and MUST be unpredictable"; TLS 1.0's chained IV is what BEAST used).
//
// Opening a MAC-then-encrypt record is where CBC gets dangerous; see
// cbc_protection.cpp for the constant-time check and docs/record.md for the
// story (padding oracle, Lucky 13). Every failure is bad_record_mac.
#pragma once

#include <cstdint>

#include "crypto/aes.h"
#include "crypto/hmac_ct.h"
#include "record/record.h"

namespace tls12::record {

class BlockCipherProtection {
 public:
  static constexpr size_t record_iv_length = crypto::Aes::block_size;  // SecurityParameters.record_iv_length

  // `enc_key` 16 or 32 bytes (AES-128/256); `mac` sha1, sha256 or sha384.
  BlockCipherProtection(ByteView enc_key, crypto::HashAlgorithm mac, ByteView mac_key, bool encrypt_then_mac,
                        crypto::AesImplementation impl = crypto::AesImplementation::best);

  bool encrypt_then_mac() const { return encrypt_then_mac_; }
  size_t mac_length() const { return mac_.size(); }
  // The most a fragment grows when sealed: IV + MAC + up to a block of padding.
  size_t max_overhead() const { return record_iv_length + mac_length() + crypto::Aes::block_size; }

  // Seals in place: `record` = [5-byte header][IV room][plaintext][max_overhead
  // room]; returns the record's total size. `explicit_iv` is the record's IV
  // (random in normal use; fixed only to reproduce a recorded connection).
  size_t seal(ContentType type, uint64_t seq_num, MutableByteView record, size_t plaintext_length,
              ByteView explicit_iv) const;

  // Opens a fragment in place and returns the content (a view into it).
  // Throws TlsError(bad_record_mac) for every length, padding or MAC error,
  // record_overflow for a valid record with more than 2^14 bytes of content.
  MutableByteView open(ContentType type, uint16_t version, uint64_t seq_num, MutableByteView fragment) const;

 private:
  MutableByteView open_mac_then_encrypt(ContentType type, uint16_t version, uint64_t seq_num,
                                        MutableByteView fragment) const;
  MutableByteView open_encrypt_then_mac(ContentType type, uint16_t version, uint64_t seq_num,
                                        MutableByteView fragment) const;

  crypto::Aes aes_;
  crypto::ConstantTimeHmac mac_;
  bool encrypt_then_mac_;
};

}  // namespace tls12::record
