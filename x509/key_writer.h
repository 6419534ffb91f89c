// Making and writing keys, and signing with them, for `tls12 pki`: the
// writing side of keys.h.
//
//   SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) for rsaEncryption (RFC 8017
//     A.1.1: parameters NULL, RSAPublicKey { n, e }), Ed25519 (RFC 8410 §4:
//     no parameters, the 32-byte key) and id-ecPublicKey (RFC 5480 §2:
//     namedCurve prime256v1, the uncompressed point);
//   PrivateKeyInfo (RFC 5208 §5, PEM "PRIVATE KEY") holding an RSAPrivateKey
//     (RFC 8017 A.1.2), an Ed25519 CurvePrivateKey (RFC 8410 §7) or a P-256
//     ECPrivateKey (RFC 5915 §3; the curve named once, in the
//     AlgorithmIdentifier, as `openssl genpkey -algorithm EC` writes it);
//   EncryptedPrivateKeyInfo (RFC 5958 §3, PEM "ENCRYPTED PRIVATE KEY") with
//     PBES2 / PBKDF2-HMAC-SHA-256 / AES-256-CBC (RFC 8018 §6.2), the layout
//     `openssl genpkey -aes256` writes (written in pkcs8_encrypted.cpp, next
//     to the code that reads it);
//   signatures with their AlgorithmIdentifier: sha256WithRSAEncryption
//     (RFC 4055 §5, parameters NULL), Ed25519 (RFC 8410 §3, no parameters)
//     or ecdsa-with-SHA256 (RFC 5758 §3.2, no parameters; RFC 6979 nonces).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "crypto/rsa_keygen.h"
#include "x509/keys.h"

namespace tls12::x509 {

enum class KeyType { rsa2048, rsa3072, rsa4096, ed25519, p256 };
// "rsa2048", "rsa3072", "rsa4096", "ed25519", "p256" (also "rsa" for rsa2048);
// std::invalid_argument otherwise.
KeyType parse_key_type(std::string_view name);

// A fresh private key and its PrivateKeyInfo DER (what a key file stores).
struct GeneratedKey {
  PrivateKey key;
  SecretBytes private_key_info;
};
GeneratedKey generate_key(KeyType type);

Bytes encode_subject_public_key_info(const PublicKey& key);
SecretBytes encode_private_key_info(const crypto::RsaKeyComponents& rsa);
SecretBytes encode_private_key_info_ed25519(ByteView seed);
SecretBytes encode_private_key_info_p256(const EcPrivateKey& key);

// PBKDF2 iterations of the keys we encrypt. OpenSSL 3 writes 2048 by
// default; we spend more, since a stolen key file is attacked offline at the
// attacker's leisure (NIST SP 800-132 §5.2 asks for as many as users bear).
inline constexpr uint32_t kPbkdf2Iterations = 100'000;
// PrivateKeyInfo -> EncryptedPrivateKeyInfo DER with a random 16-byte salt and IV.
Bytes encrypt_private_key_info(ByteView private_key_info, ByteView passphrase,
                               uint32_t iterations = kPbkdf2Iterations);

// The PEM text of a key file: "PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" when
// a passphrase is given (non-empty). The caller wipes the returned text.
std::string private_key_pem(ByteView private_key_info, ByteView passphrase = {});

// The AlgorithmIdentifier DER of the signatures `key` makes, and a signature
// over `message` (RSASSA-PKCS1-v1_5 with SHA-256, Ed25519, or ECDSA P-256
// with SHA-256 as a DER Ecdsa-Sig-Value).
Bytes signature_algorithm_identifier(const PrivateKey& key);
Bytes sign_message(const PrivateKey& key, ByteView message);

}  // namespace tls12::x509
