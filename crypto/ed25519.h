// Ed25519 (RFC 8032 §5.1): EdDSA signatures on edwards25519, which TLS 1.2 uses
// through RFC 8422 §5.1.3 (signature scheme ed25519, 0x0807): certificates with
// Ed25519 keys (RFC 8410), ServerKeyExchange signatures and CertificateVerify.
// Ed25519 signs the whole message itself (PureEdDSA), so unlike RSA or ECDSA
// there is no separate hash step in TLS: the signed_params or handshake
// messages go in as they are.
//
// The arithmetic is libsodium's. The private key here is the 32-byte seed of
// RFC 8032 §5.1.5 (what PKCS#8 stores for Ed25519, RFC 8410 §7); libsodium's
// 64-byte "secret key" (seed || public key) is rebuilt from it on each call and
// wiped afterwards.
//
// Verification is libsodium's crypto_sign_verify_detached, which is stricter
// than RFC 8032 §5.1.7 requires: besides S < L it rejects public keys and R
// values of small order and non-canonical encodings. Those are the cofactor
// and malleability corners where verifiers disagree; for TLS, refusing them
// costs nothing (honest signers never produce them) and removes ambiguity.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/bytes.h"

namespace tls12::crypto {

// The public key A of RFC 8032 §5.1.5 for this seed.
// Throws std::invalid_argument if seed is not 32 bytes.
std::array<uint8_t, 32> ed25519_public_key(ByteView seed);

// The signature R || S of RFC 8032 §5.1.6 over `message`.
// Throws std::invalid_argument if seed is not 32 bytes.
std::array<uint8_t, 64> ed25519_sign(ByteView seed, ByteView message);

// Whether `signature` is a valid signature of `message` under `public_key`
// (RFC 8032 §5.1.7, with the stricter checks described above). Returns false,
// never throws, for a public key that is not 32 bytes or a signature that is
// not 64 bytes (a signature with trailing bytes is not a signature).
bool ed25519_verify(ByteView public_key, ByteView message, ByteView signature);

}  // namespace tls12::crypto
