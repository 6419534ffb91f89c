// Galois/Counter Mode (NIST SP 800-38D) with AES: the engine behind the
// AES-128-GCM and AES-256-GCM AEADs of crypto/aead.h (RFC 5288 suites).
//
// GCM = counter-mode encryption (GCTR, §6.5) + a MAC computed by GHASH (§6.4),
// polynomial evaluation in GF(2^128) at the secret point H = CIPH_K(0^128).
// There are three engines, all giving the same bytes:
//
// * reference (crypto/gcm.cpp): the reference AES and a bit-by-bit GHASH that
//   follows Algorithm 1 of §6.3 literally, with masks instead of branches so
//   it is constant time; slow, to be read.
// * aesni (crypto/gcm_aesni.cpp): AES-NI on 8 counter blocks at once, GHASH
//   with PCLMULQDQ, 8 blocks per reduction using the powers H^1..H^8.
// * vaes (crypto/gcm_vaes.cpp): VAES and VPCLMULQDQ on 512-bit registers,
//   4 blocks per register, 16 blocks in flight per loop.
//
// The AEAD layer (crypto/aead.cpp) is the only user; the GHASH functions are
// declared here so that the tests can compare the portable and PCLMUL forms.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "crypto/aead.h"
#include "crypto/bytes.h"

namespace tls12::crypto {

// One GCM key: the AES key schedule and whatever GHASH tables the engine uses,
// computed once. Encryption and decryption work in place.
class AesGcm {
 public:
  virtual ~AesGcm() = default;
  virtual std::string_view implementation() const = 0;

  // GCM-AE (§7.1) with a 96-bit IV: encrypts `data` in place, writes the tag.
  virtual void encrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
                       uint8_t tag[16]) const = 0;
  // The computing half of GCM-AD (§7.2): decrypts `data` in place and writes
  // the tag that the ciphertext should carry; the caller compares tags.
  virtual void decrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
                       uint8_t tag[16]) const = 0;
};

// Whether this CPU can run `impl` (reference and best always can).
bool aes_gcm_available(AeadImplementation impl);

// `key` is 16 or 32 bytes; `impl` best picks vaes > aesni > reference.
// Throws std::runtime_error when the CPU lacks `impl`.
std::unique_ptr<AesGcm> make_aes_gcm(ByteView key, AeadImplementation impl);

// GHASH_H (§6.4) continued from `y` over `data`, whose last partial block (if
// any) is padded with zeros, as GCM pads A and C. `h` and `y` are 16 bytes.
void ghash_portable(const uint8_t h[16], uint8_t y[16], ByteView data);
// The same with PCLMULQDQ (check cpu_features().pclmulqdq first).
void ghash_pclmul(const uint8_t h[16], uint8_t y[16], ByteView data);

namespace gcm_detail {
std::unique_ptr<AesGcm> make_aesni(ByteView key);
std::unique_ptr<AesGcm> make_vaes(ByteView key);
}  // namespace gcm_detail

}  // namespace tls12::crypto
