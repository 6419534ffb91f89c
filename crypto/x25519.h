// X25519 (RFC 7748 §5): the Diffie-Hellman function on Curve25519, used by TLS 1.2
// for ECDHE key exchange with the named curve x25519 (RFC 8422 §5.11, group id 29).
//
// In an ECDHE_* handshake each side makes an ephemeral key pair; the server sends
// its public key in ServerKeyExchange (ECParameters + ECPoint, RFC 8422 §5.4), the
// client sends its own in ClientKeyExchange (§5.7), and both compute
// X25519(own private key, peer public key). That 32-byte result is the
// pre_master_secret, fed to the PRF to make the master_secret (RFC 5246 §8.1).
//
// The arithmetic is libsodium's (crypto_scalarmult_curve25519): it is constant
// time and well reviewed, and the curve arithmetic is not what this project
// teaches. What TLS adds, and what lives here, is the rejection of an all-zero
// shared secret (RFC 7748 §6.1, RFC 8422 §5.11): a peer that sends a point of
// small order forces the "shared" secret to a value it knows in advance.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "crypto/bytes.h"

namespace tls12::crypto {

struct X25519KeyPair {
  SecretBytes private_key;              // 32 random bytes (clamped inside X25519 itself)
  std::array<uint8_t, 32> public_key;   // X25519(private_key, 9): the u-coordinate to send
  // A fresh ephemeral key pair from the system's CSPRNG.
  static X25519KeyPair generate();
};

// The public key X25519(private_key, 9) (RFC 7748 §6.1).
// Throws std::invalid_argument if private_key is not 32 bytes.
std::array<uint8_t, 32> x25519_public_key(ByteView private_key);

// The shared secret X25519(private_key, peer_public), written to `shared`.
// Returns false when the result is all zeros: the peer sent a low-order point,
// which RFC 7748 §6.1 and RFC 8422 §5.11 require us to reject (`shared` is then
// zeroed). Throws std::invalid_argument if either input is not 32 bytes.
[[nodiscard]] bool x25519(ByteView private_key, ByteView peer_public, std::span<uint8_t, 32> shared);

}  // namespace tls12::crypto
