// Public and private keys as certificates and key files carry them, and the
// signature checks TLS needs with those keys.
//
//   SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): rsaEncryption (RFC 8017 A.1.1,
//     RSAPublicKey { n, e }), Ed25519 (RFC 8410 §4, 32 raw bytes) and
//     id-ecPublicKey on the named curves P-256 and P-384 (RFC 5480 §2,
//     x509/ec_keys.h).
//   Private keys: PKCS#1 RSAPrivateKey (RFC 8017 A.1.2, PEM "RSA PRIVATE KEY"),
//     SEC 1 ECPrivateKey (RFC 5915 §3, PEM "EC PRIVATE KEY", P-256 only),
//     PKCS#8 PrivateKeyInfo (RFC 5208, PEM "PRIVATE KEY") holding RSA, Ed25519
//     (RFC 8410 §7) or a P-256 ECPrivateKey (RFC 5915 §2), and
//     EncryptedPrivateKeyInfo (RFC 5958 §3, PEM "ENCRYPTED PRIVATE KEY") with
//     PBES2 (RFC 8018 §6.2) / PBKDF2-HMAC-SHA-256 / AES-256-CBC, which is what
//     `openssl genpkey -aes256` writes.
//
// Keys are the crypto/ types (crypto::RsaPublicKey, ...) so the handshake can
// use them directly; Ed25519 and EC keys are small structs around the raw bytes.
#pragma once

#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "crypto/bytes.h"
#include "crypto/rsa.h"
#include "crypto/sha2.h"

namespace tls12::x509 {

struct Ed25519PublicKey {
  std::array<uint8_t, 32> bytes{};
};
struct Ed25519PrivateKey {
  SecretBytes seed;  // the 32-byte private key of RFC 8032 §5.1.5
  std::array<uint8_t, 32> public_key{};
};

// The named curves of EC keys (RFC 5480 §2.1.1.1): P-256 keys sign and
// verify; P-384 keys only verify (the certificates a P-384 CA signs, and a
// P-384 peer's handshake signatures).
enum class EcCurve { p256, p384 };

struct EcPublicKey {
  EcCurve curve = EcCurve::p256;
  Bytes point;  // uncompressed (0x04 || X || Y), checked to be on the curve
};
// A P-256 private key (tls12 signs with no other curve).
struct EcPrivateKey {
  SecretBytes d;       // the scalar, 32 bytes big-endian, in [1, n-1]
  Bytes public_point;  // Q = d*G, uncompressed
};

using PublicKey = std::variant<crypto::RsaPublicKey, Ed25519PublicKey, EcPublicKey>;
using PrivateKey = std::variant<crypto::RsaPrivateKey, Ed25519PrivateKey, EcPrivateKey>;

// A key or algorithm that is well-formed but that tls12 does not implement
// (P-256, RSA-PSS-only keys, AES-192, PBES1, ...).
class UnsupportedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// SubjectPublicKeyInfo DER -> key. Throws DerError (malformed),
// UnsupportedError, or std::invalid_argument (an RSA key crypto/ rejects, e.g.
// a modulus outside the policy's sizes).
PublicKey parse_subject_public_key_info(ByteView spki,
                                        crypto::RsaKeyPolicy policy = crypto::RsaKeyPolicy::standard);
// "RSA (2048 bit)" / "Ed25519" / "EC P-256".
std::string describe(const PublicKey& key);
PublicKey public_key_of(const PrivateKey& key);
// Whether two public keys are the same key (a private key matches a certificate).
bool same_public_key(const PublicKey& a, const PublicKey& b);

PrivateKey parse_pkcs1_rsa_private_key(ByteView der);
PrivateKey parse_pkcs8_private_key(ByteView der);
// SEC 1 ECPrivateKey on its own ("EC PRIVATE KEY"), whose [0] parameters name the curve.
PrivateKey parse_sec1_ec_private_key(ByteView der);
// What opening an EncryptedPrivateKeyInfo took (RFC 8018 §6.2 PBES2): the
// parameters the decryption itself used, for a reader who wants to see them
// (`tls12 demo`, step 0) without parsing the key a second time.
struct Pbes2Opening {
  crypto::HashAlgorithm prf = crypto::HashAlgorithm::sha256;  // PBKDF2's HMAC (§5.2)
  Bytes salt;
  uint32_t iterations = 0;
  size_t key_length = 0;  // the AES key PBKDF2 derives: 16 or 32 bytes
  Bytes iv;               // AES-CBC's initialization vector (RFC 8018 B.2.5)
};

// EncryptedPrivateKeyInfo -> the PrivateKeyInfo DER inside it. Throws
// std::runtime_error("wrong passphrase or corrupted key") when the CBC padding
// or the decrypted structure is wrong, UnsupportedError for other schemes.
// When `opening` is given it receives the parameters used.
SecretBytes decrypt_encrypted_private_key_info(ByteView der, ByteView passphrase, Pbes2Opening* opening = nullptr);
// How an EncryptedPrivateKeyInfo is protected, without decrypting it:
// "PBES2: PBKDF2 with HMAC-SHA-256, 2048 iterations, 8-byte salt; AES-256-CBC".
std::string describe_encrypted_private_key_info(ByteView der);

// Where a passphrase comes from, spelled like openssl's -passin:
//   "pass:SECRET", "env:VARIABLE", "file:PATH" (first line), "prompt" (asks on
//   the terminal without echo). The default (none) fails if a key is encrypted.
struct PassphraseSource {
  enum class Kind { none, value, env, file, prompt };
  Kind kind = Kind::none;
  std::string argument;  // the text, variable or file; for prompt, what the prompt names
  // Parses the spellings above; throws std::invalid_argument otherwise.
  static PassphraseSource parse(std::string_view spec);
};
// Reads the passphrase. Throws std::runtime_error (unset variable, unreadable
// file, no terminal, Kind::none).
SecretBytes read_passphrase(const PassphraseSource& source);

// The first private key in PEM text (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE
// KEY or ENCRYPTED PRIVATE KEY); the passphrase is read only if the key is encrypted, and then
// `opening` (when given) receives what the decryption used.
PrivateKey load_private_key_pem(std::string_view pem_text, const PassphraseSource& passphrase = {},
                                Pbes2Opening* opening = nullptr);
PrivateKey load_private_key_file(const std::filesystem::path& path, const PassphraseSource& passphrase = {});
// A private key held in memory: PEM text as above, or the DER of a PKCS#8
// PrivateKeyInfo, a PKCS#1 RSAPrivateKey or a SEC 1 ECPrivateKey. Throws std::runtime_error naming
// what was expected when it is neither.
PrivateKey load_private_key(ByteView pem_or_der, const PassphraseSource& passphrase = {});

// ---- signatures -------------------------------------------------------------

// A signature algorithm as certificates (RFC 5280 §4.1.1.2, RFC 4055 §3.1) and
// TLS (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3) name them. For rsa_pss the salt
// length is the one the signer declared (TLS: digest_size(hash)).
struct SignatureAlgorithm {
  // ecdsa: ECDSA with `hash` (RFC 5758 §3.2) and an EcPublicKey; the
  // signature is the DER Ecdsa-Sig-Value.
  enum class Kind { rsa_pkcs1_v15, rsa_pss, ed25519, ecdsa };
  Kind kind = Kind::rsa_pkcs1_v15;
  crypto::HashAlgorithm hash = crypto::HashAlgorithm::sha256;  // unused for ed25519
  size_t salt_length = 0;                                      // rsa_pss only
  // "sha256WithRSAEncryption", "RSASSA-PSS with SHA-256", "Ed25519".
  std::string name() const;
};

// Verifies `signature` over `message` with `key`. False for a bad signature
// or a key of the wrong type for the algorithm; never throws for bad input.
bool verify_signature(const PublicKey& key, const SignatureAlgorithm& algorithm, ByteView message,
                      ByteView signature);

}  // namespace tls12::x509
