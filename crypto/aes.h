// The AES block cipher (FIPS-197), AES-128 and AES-256: the "AES" in the TLS 1.2
// cipher suites TLS_*_WITH_AES_{128,256}_GCM_* (RFC 5288) and
// TLS_*_WITH_AES_{128,256}_CBC_* (RFC 5246 §6.2.3.2), and the cipher that
// protects encrypted PKCS#8 private keys (AES-256-CBC). CBC mode (NIST SP
// 800-38A §6.2) is here too, because its fast path is the block cipher's.
//
// Two implementations sit behind one class, chosen when the key is set:
//
// * reference (crypto/aes.cpp): written to be read beside FIPS-197, one function
//   per step of §5.1 (SubBytes, ShiftRows, MixColumns, AddRoundKey), §5.2
//   (KeyExpansion) and §5.3 (the inverse cipher). Timing: it has no lookup
//   tables at all. The S-box is *computed* as §5.1.1 defines it (multiplicative
//   inverse in GF(2^8), then the affine transform), with a GF(2^8) multiply that
//   uses masks instead of branches, so neither the time taken nor the memory
//   addresses touched depend on the key or the data. The price is speed: it is
//   hundreds of times slower than a table-based AES (about 10 microseconds per
//   block), which is fine for a reference.
// * aesni (crypto/aes_ni.cpp): the AESENC/AESDEC instructions, which run a whole
//   round in hardware in constant time. Chosen when CPUID reports AES-NI.
//
// The round keys ("w" in FIPS-197) are computed once by the reference
// KeyExpansion for both implementations, and wiped when the object dies.
#pragma once

#include <cstdint>

#include "crypto/bytes.h"

namespace tls12::crypto {

enum class AesImplementation { best, reference, aesni };

// Whether this CPU can run `impl` (reference and best always can).
bool aes_implementation_available(AesImplementation impl);

class Aes {
 public:
  static constexpr size_t block_size = 16;   // Nb = 4 words (FIPS-197 §2.2)
  static constexpr size_t max_rounds = 14;   // Nr for AES-256 (§5, Figure 4)

  // `key` must be 16 bytes (AES-128) or 32 bytes (AES-256); otherwise
  // std::invalid_argument. Asking for aesni on a CPU without it throws
  // std::runtime_error.
  explicit Aes(ByteView key, AesImplementation impl = AesImplementation::best);
  ~Aes();
  Aes(const Aes&) = delete;
  Aes& operator=(const Aes&) = delete;

  // Cipher() of FIPS-197 §5.1 and InvCipher() of §5.3 on one 16-byte block.
  // `in` and `out` may be the same buffer.
  void encrypt_block(const uint8_t in[16], uint8_t out[16]) const;
  void decrypt_block(const uint8_t in[16], uint8_t out[16]) const;

  // CBC mode (SP 800-38A §6.2) over `blocks` whole blocks, in place:
  //   encrypt: C_i = E_K(P_i xor C_{i-1})      decrypt: P_i = D_K(C_i) xor C_{i-1}
  // with C_0 = `iv`. On return `iv` holds the last ciphertext block, so a
  // message can be processed in pieces. Encryption is serial (each block
  // needs the one before); decryption is not, and the AES-NI path decrypts
  // eight blocks at once. No padding here: the caller (the TLS record layer,
  // PKCS#8) pads and checks padding its own way.
  void cbc_encrypt(uint8_t iv[16], uint8_t* data, size_t blocks) const;
  void cbc_decrypt(uint8_t iv[16], uint8_t* data, size_t blocks) const;

  int rounds() const { return nr_; }  // Nr: 10 or 14
  bool uses_aesni() const { return aesni_; }
  std::string_view implementation() const { return aesni_ ? "aesni" : "reference"; }

  // The expanded key w[0 .. 4*(Nr+1)) as bytes, round r at offset 16*r, in the
  // byte order FIPS-197 uses (and AES-NI loads): for the GCM fast paths.
  const uint8_t* round_keys() const { return w_; }

 private:
  alignas(16) uint8_t w_[16 * (max_rounds + 1)];   // encryption round keys
  alignas(16) uint8_t dw_[16 * (max_rounds + 1)];  // AES-NI decryption keys (§5.3.5)
  int nr_ = 0;
  bool aesni_ = false;
};

// AES-CBC with PKCS#7 padding (RFC 5652 §6.3: 1..16 bytes, each holding the
// padding length), the form encrypted PKCS#8 private keys use. Not the TLS
// record's padding, which differs (RFC 5246 §6.2.3.2) and lives in the record
// layer. Decryption throws std::runtime_error when the ciphertext is not whole
// blocks or the padding is wrong; it examines all 16 candidate padding bytes
// whatever the value, so it does not reveal which byte was wrong.
Bytes aes_cbc_pkcs7_encrypt(ByteView key, ByteView iv, ByteView plaintext);
SecretBytes aes_cbc_pkcs7_decrypt(ByteView key, ByteView iv, ByteView ciphertext);

}  // namespace tls12::crypto
