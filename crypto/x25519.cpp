// X25519 over libsodium (see x25519.h; RFC 7748 §5-6, RFC 8422 §5.11).
#include "crypto/x25519.h"

#include <sodium.h>

#include <stdexcept>
#include <string>

#include "crypto/random.h"

namespace tls12::crypto {

namespace {

constexpr size_t key_size = 32;
static_assert(crypto_scalarmult_curve25519_BYTES == key_size);
static_assert(crypto_scalarmult_curve25519_SCALARBYTES == key_size);

void require_size(ByteView value, const char* what) {
  if (value.size() != key_size)
    throw std::invalid_argument(std::string("X25519 ") + what + " must be 32 bytes, got " +
                                std::to_string(value.size()));
}

}  // namespace

X25519KeyPair X25519KeyPair::generate() {
  X25519KeyPair pair;
  pair.private_key.resize(key_size);
  random_bytes(pair.private_key);
  pair.public_key = x25519_public_key(pair.private_key);
  return pair;
}

std::array<uint8_t, 32> x25519_public_key(ByteView private_key) {
  require_size(private_key, "private key");
  ensure_sodium();
  std::array<uint8_t, 32> public_key{};
  // Multiplying the base point u = 9 cannot give zero for any scalar (the base
  // point has large prime order and clamping clears the cofactor bits), so
  // libsodium's failure return is unreachable; check it anyway rather than
  // hand out an unchecked value.
  if (crypto_scalarmult_curve25519_base(public_key.data(), private_key.data()) != 0)
    throw std::runtime_error("X25519 base-point multiplication failed");
  return public_key;
}

bool x25519(ByteView private_key, ByteView peer_public, std::span<uint8_t, 32> shared) {
  require_size(private_key, "private key");
  require_size(peer_public, "peer public key");
  ensure_sodium();
  // libsodium returns -1 in two cases, both of which are "the peer sent a point
  // of small order": it recognises the known low-order encodings before
  // multiplying, and it checks the result for all zeros afterwards (in constant
  // time). Either way TLS must abort the handshake (RFC 8422 §5.11), so both
  // map to false, and the output is wiped so no caller can use it by mistake.
  if (crypto_scalarmult_curve25519(shared.data(), private_key.data(), peer_public.data()) != 0) {
    secure_zero(shared.data(), shared.size());
    return false;
  }
  return true;
}

}  // namespace tls12::crypto
