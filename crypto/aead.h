// Authenticated encryption with associated data (RFC 5116): the only record
// protection tls12 offers, AES-GCM (RFC 5288) and ChaCha20-Poly1305 (RFC 7905).
//
// The interface is built for the record layer's hot path: seal and open work in
// place on the record's own buffer, take spans (no allocation, no copy), and the
// nonce is always 12 bytes and the tag 16 bytes.
#pragma once

#include <array>
#include <memory>
#include <string_view>

#include "crypto/bytes.h"

namespace tls12::crypto {

enum class AeadAlgorithm { aes_128_gcm, aes_256_gcm, chacha20_poly1305 };

// Which implementation to use. `best` picks the fastest the CPU supports
// (AES-GCM: vaes > aesni > reference; ChaCha20-Poly1305: avx2 > reference);
// tests name the others to compare them. A name that belongs to the other
// algorithm (avx2 for AES-GCM, aesni or vaes for ChaCha20-Poly1305) means
// `best`, so that one configured choice works whichever suite is negotiated.
enum class AeadImplementation { best, reference, aesni, vaes, avx2 };

std::string_view aead_name(AeadAlgorithm alg);  // "AES-128-GCM", ...
size_t aead_key_size(AeadAlgorithm alg);        // 16 or 32

class Aead {
 public:
  static constexpr size_t nonce_size = 12;
  static constexpr size_t tag_size = 16;
  using Nonce = std::span<const uint8_t, nonce_size>;

  virtual ~Aead() = default;
  virtual AeadAlgorithm algorithm() const = 0;
  virtual std::string_view implementation() const = 0;  // "reference", "aesni", "vaes", "avx2"

  // Encrypts `data` in place and writes the authentication tag.
  virtual void seal(Nonce nonce, ByteView aad, MutableByteView data,
                    std::span<uint8_t, tag_size> tag) const = 0;

  // Checks the tag (in constant time) and decrypts `data` in place. On failure
  // returns false and `data` holds zeros: no unauthenticated plaintext is left.
  [[nodiscard]] virtual bool open(Nonce nonce, ByteView aad, MutableByteView data,
                                  std::span<const uint8_t, tag_size> tag) const = 0;
};

// Creates an AEAD with `key` (whose size must be aead_key_size(alg); otherwise
// std::invalid_argument). Asking for an implementation the CPU lacks throws
// std::runtime_error.
std::unique_ptr<Aead> make_aead(AeadAlgorithm alg, ByteView key,
                                AeadImplementation impl = AeadImplementation::best);

// Whether this CPU can run `impl` (reference and best always can).
bool aead_implementation_available(AeadImplementation impl);
// Whether `impl` is a distinct engine of `alg` that this CPU can run.
bool aead_implementation_available(AeadAlgorithm alg, AeadImplementation impl);

}  // namespace tls12::crypto
