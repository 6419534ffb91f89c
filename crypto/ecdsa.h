// ECDSA over P-256 (FIPS 186-5 §6.4, SEC 1 §4.1) with deterministic nonces
// (RFC 6979 §3.2), verification over P-384, and the DER form of a signature (Ecdsa-Sig-Value, RFC 5480
// §2.2 / RFC 3279 §2.2.3) that TLS carries in ServerKeyExchange and
// CertificateVerify (RFC 8422 §5.4, §5.8) and X.509 in certificates.
//
// Signing: e = the hash's leftmost 256 bits, k a per-message nonce,
// (x, y) = k*G, r = x mod n, s = k^-1 (e + r*d) mod n. The nonce must be
// secret and never repeat: two signatures with the same k give
// d = (s1*e2 - s2*e1) / (r*(s1 - s2)) mod n, and even a few leaked or biased
// bits of k in many signatures give d away by lattice reduction. RFC 6979
// derives k from the private key and the message hash with HMAC-DRBG, so the
// same message always gets the same k and different messages unrelated ones,
// without trusting the random number generator at signing time.
//
// Verifying: w = s^-1, u1 = e*w, u2 = r*w, R = u1*G + u2*Q, and the signature
// holds if R is not infinity and x(R) mod n = r.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/hmac.h"
#include "crypto/p256.h"
#include "crypto/p384.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

struct EcdsaSignature {
  std::array<uint8_t, 32> r{};  // big-endian, in [1, n-1]
  std::array<uint8_t, 32> s{};
};

// Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, in DER.
Bytes encode_ecdsa_signature(const EcdsaSignature& sig);
// Strict DER: one SEQUENCE of exactly two INTEGERs, lengths in their only
// (short) form, INTEGERs in the fewest octets and non-negative, nothing after
// the SEQUENCE, and r and s in [1, n-1]. BER-isms that other verifiers
// tolerate (long-form lengths, leading zero octets) are refused: a signature
// must have one encoding, or its bytes could be changed without changing
// whether it verifies (signature malleability).
std::optional<EcdsaSignature> decode_ecdsa_signature(ByteView der);

// The RFC 6979 §3.2 nonce generator for P-256 (qlen = 256) with HMAC over
// `hash`: candidates k in [1, n-1] for the key and the message hash `digest`,
// in order (the second is needed only if the first gives r = 0 or s = 0).
class Rfc6979Nonce {
 public:
  Rfc6979Nonce(HashAlgorithm hash, ByteView private_key, ByteView digest);
  std::array<uint8_t, 32> next();

 private:
  void update_key(uint8_t separator, ByteView seed);  // steps d-g: K = HMAC_K(V || sep || seed), V = HMAC_K(V)
  void update_v();                                     // V = HMAC_K(V)
  HashAlgorithm hash_;
  Hmac keyed_;     // HMAC keyed with K of RFC 6979 (K itself is not kept)
  SecretBytes v_;  // V of RFC 6979
  bool first_ = true;
};

// Signs the hash `digest` (made with `hash`, which also keys RFC 6979's HMAC)
// with the 32-byte private key. Throws std::invalid_argument for a key not in
// [1, n-1].
EcdsaSignature ecdsa_p256_sign_digest(ByteView private_key, HashAlgorithm hash, ByteView digest);
// Hashes the message with `hash` and signs; returns the DER Ecdsa-Sig-Value.
Bytes ecdsa_p256_sign(ByteView private_key, HashAlgorithm hash, ByteView message);

// Verification against an uncompressed public key (decoded with all the checks
// of p256::decode_point). Every malformed input is a plain `false`.
bool ecdsa_p256_verify_digest(ByteView public_key, ByteView digest, const EcdsaSignature& sig);
bool ecdsa_p256_verify(ByteView public_key, HashAlgorithm hash, ByteView message, ByteView der_signature);

// ECDSA verification over P-384 (p384.h), with the same strict DER (r and s
// in [1, n-1] of P-384) and the same plain `false` for every malformed input.
bool ecdsa_p384_verify(ByteView public_key, HashAlgorithm hash, ByteView message, ByteView der_signature);

}  // namespace tls12::crypto
