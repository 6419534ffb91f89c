// HMAC over a message whose *length* is secret: the record MAC check of the
// CBC cipher suites (RFC 5246 §6.2.3.2), written against Lucky 13 (AlFardan
// and Paterson, 2013).
//
// After CBC decryption the receiver knows the padding length only from the
// last plaintext byte, which an attacker controls by flipping ciphertext bits.
// The MAC covers seq_num || type || version || length || content, and content
// is (record - MAC - padding) bytes long. A plain HMAC over that many bytes
// runs one SHA compression more or less depending on the padding length, and
// that difference (about a microsecond) is visible on a network and lets an
// attacker decrypt byte by byte. So here the MAC is computed with the same
// sequence of compression-function calls for every length between the public
// bounds [min_length, data.size()], and the state is picked out with masks
// (the method of BoringSSL's EVP_tls_cbc_digest_record and BearSSL's
// br_hmac_outCT).
//
// Only SHA-1, SHA-256 and SHA-384 (the MACs of the CBC suites of RFC 5246
// Appendix C and RFC 5289) are implemented.
#pragma once

#include <memory>

#include "crypto/aes.h"
#include "crypto/bytes.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

class ConstantTimeHmac {
 public:
  // `alg` must be sha1, sha256 or sha384 (otherwise std::invalid_argument).
  // The key is hashed into the two HMAC midstates here, once per connection
  // state, so each record costs only its own compressions.
  ConstantTimeHmac(HashAlgorithm alg, ByteView key);
  ~ConstantTimeHmac();
  ConstantTimeHmac(ConstantTimeHmac&&) noexcept;
  ConstantTimeHmac& operator=(ConstantTimeHmac&&) noexcept;

  HashAlgorithm algorithm() const { return alg_; }
  size_t size() const { return digest_size(alg_); }  // MAC length: 20, 32 or 48

  // HMAC(key, header || data[0 .. length)) into out[0 .. size()).
  // `length` is secret and must lie in [min_length, data.size()]; header.size(),
  // min_length and data.size() are public. Time and memory accesses depend on
  // the public values only.
  void compute(ByteView header, ByteView data, size_t min_length, size_t length, uint8_t* out) const;

  // HMAC(key, header || data) with a public length (sealing, Encrypt-then-MAC).
  void compute(ByteView header, ByteView data, uint8_t* out) const {
    compute(header, data, data.size(), data.size(), out);
  }

  // The sealing half of a MAC-then-encrypt record in one pass where the CPU
  // allows it: writes compute(header, content[0 .. length)) to mac_out, as
  // compute() does, and may also CBC-encrypt a leading part of content with
  // `aes`, continuing from and updating `iv`. Returns how many bytes of
  // content it encrypted (whole blocks, often 0); the caller encrypts the rest.
  // With a SHA-256 MAC, AES-NI and SHA-NI the two run stitched together
  // (crypto/cbc_sha256_stitched.h). mac_out must not overlap content.
  size_t compute_and_encrypt(ByteView header, uint8_t* content, size_t length, const Aes& aes, uint8_t iv[16],
                             uint8_t* mac_out) const;

  struct Engine;  // one per hash, in hmac_ct.cpp

 private:
  HashAlgorithm alg_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace tls12::crypto
