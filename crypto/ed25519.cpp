// Ed25519 over libsodium (see ed25519.h; RFC 8032 §5.1).
#include "crypto/ed25519.h"

#include <sodium.h>

#include <stdexcept>
#include <string>

#include "crypto/random.h"

namespace tls12::crypto {

namespace {

constexpr size_t seed_size = 32;
constexpr size_t public_key_size = 32;
constexpr size_t signature_size = 64;
static_assert(crypto_sign_ed25519_SEEDBYTES == seed_size);
static_assert(crypto_sign_ed25519_PUBLICKEYBYTES == public_key_size);
static_assert(crypto_sign_ed25519_BYTES == signature_size);

// libsodium's expanded secret key (seed || A), wiped when it goes out of scope.
class ExpandedKey {
 public:
  explicit ExpandedKey(ByteView seed) {
    if (seed.size() != seed_size)
      throw std::invalid_argument("Ed25519 private key (seed) must be 32 bytes, got " +
                                  std::to_string(seed.size()));
    ensure_sodium();
    // Derivation from a seed (hash, clamp, multiply by B) cannot fail.
    crypto_sign_ed25519_seed_keypair(public_key.data(), secret_key.data(), seed.data());
  }
  ~ExpandedKey() { secure_zero(secret_key.data(), secret_key.size()); }
  ExpandedKey(const ExpandedKey&) = delete;
  ExpandedKey& operator=(const ExpandedKey&) = delete;

  std::array<uint8_t, public_key_size> public_key{};
  std::array<uint8_t, crypto_sign_ed25519_SECRETKEYBYTES> secret_key{};
};

}  // namespace

std::array<uint8_t, 32> ed25519_public_key(ByteView seed) {
  return ExpandedKey(seed).public_key;
}

std::array<uint8_t, 64> ed25519_sign(ByteView seed, ByteView message) {
  ExpandedKey key(seed);
  std::array<uint8_t, 64> signature{};
  crypto_sign_ed25519_detached(signature.data(), nullptr, message.data(), message.size(),
                               key.secret_key.data());
  return signature;
}

bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature) {
  // Sizes first: libsodium reads exactly 32 and 64 bytes, so a short buffer
  // would be an over-read and a long one would hide appended garbage.
  if (public_key.size() != public_key_size || signature.size() != signature_size) return false;
  ensure_sodium();
  return crypto_sign_ed25519_verify_detached(signature.data(), message.data(), message.size(),
                                             public_key.data()) == 0;
}

}  // namespace tls12::crypto
