// RSA (RFC 8017, PKCS #1 v2.2) as TLS 1.2 uses it:
//
//  * RSAES-PKCS1-v1_5 (RFC 8017 §7.2) carries the premaster secret in the
//    ClientKeyExchange of the RSA key exchange (RFC 5246 §7.4.7.1). The server
//    side decrypts it with the Bleichenbacher countermeasure of that section.
//  * RSASSA-PKCS1-v1_5 (§8.2) signs ServerKeyExchange and CertificateVerify with
//    the rsa_pkcs1_sha256/384/512 schemes, and most certificates.
//  * RSASSA-PSS (§8.1) with MGF1 and a salt as long as the hash: the
//    rsa_pss_rsae_sha256/384/512 schemes (RFC 8446 §4.2.3, usable in TLS 1.2).
//
// The private operation uses the Chinese Remainder Theorem, blinds its input,
// runs without secret-dependent branches or memory indexing, and re-encrypts
// its result before releasing it (a faulty CRT half would otherwise reveal a
// factor of n). See docs/rsa.md for the reasons behind each of these.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "crypto/bytes.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

// Which modulus sizes a key may have. Keys we sign or decrypt with must be
// 2048..4096 bits; old certificates signed with 1024-bit keys can still be
// verified when the caller asks for it explicitly.
enum class RsaKeyPolicy { standard /* 2048..4096 bits */, allow_1024_for_verification };

class RsaPublicKey {
 public:
  // n and e big-endian (leading zero bytes allowed). Throws
  // std::invalid_argument("RSA modulus of N bits is outside 2048..4096"), or for
  // an even modulus, or an exponent that is even, 1, or not smaller than n.
  static RsaPublicKey from_components(ByteView n, ByteView e,
                                      RsaKeyPolicy policy = RsaKeyPolicy::standard);
  size_t bits() const;  // modulus size in bits
  size_t size() const;  // modulus size in bytes (k in RFC 8017)
  Bytes modulus() const;  // big-endian, minimal
  Bytes public_exponent() const;  // big-endian, minimal

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit RsaPublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

class RsaPrivateKey {
 public:
  // All components big-endian, as in the RSAPrivateKey structure of RFC 8017
  // Appendix A.1.2. Validates the size (2048..4096 bits) and consistency
  // (n == p*q, d*e == 1 mod p-1 and q-1 through dp, dq, q*qinv == 1 mod p);
  // throws std::invalid_argument. Secrets are wiped when the last copy goes.
  static RsaPrivateKey from_components(ByteView n, ByteView e, ByteView d, ByteView p,
                                       ByteView q, ByteView dp, ByteView dq, ByteView qinv);
  // When only n, e and d are known (some test-vector formats): recovers p and
  // q by the method of NIST SP 800-56B Rev. 2, Appendix C.2 (a square root of
  // 1 other than +-1 modulo n shares a factor with n), derives dP, dQ, qInv and
  // calls from_components. Throws std::invalid_argument if d does not fit.
  static RsaPrivateKey from_n_e_d(ByteView n, ByteView e, ByteView d);
  const RsaPublicKey& public_key() const;

  // The memory that holds the key's secrets (d, p, q, dp, dq, qinv and the
  // Montgomery constants derived from p and q). Only for the constant-time
  // test, which marks it undefined under valgrind so that any branch or memory
  // index that depends on it is reported.
  std::vector<std::span<const uint8_t>> secret_memory_for_testing() const;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit RsaPrivateKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// The raw RSA primitives (RFC 8017 §5.1, §5.2) on k-byte big-endian strings.
// RSAEP/RSAVP1: c = m^e mod n; throws std::invalid_argument if the input is
// not k bytes or not smaller than n.
Bytes rsa_public_operation(const RsaPublicKey& key, ByteView input);
// RSADP/RSASP1: m = c^d mod n with CRT, blinding and the re-encryption check.
// Throws std::invalid_argument for a bad input length or value (public facts)
// and std::runtime_error if the fault check fails.
SecretBytes rsa_private_operation(const RsaPrivateKey& key, ByteView input);

// RSAES-PKCS1-v1_5 (RFC 8017 §7.2.1): message at most k-11 bytes, random
// non-zero padding. Throws std::invalid_argument for a message that is too long.
Bytes rsaes_pkcs1_v15_encrypt(const RsaPublicKey& key, ByteView message);

// General decryption (RFC 8017 §7.2.2), for tests and Wycheproof: nullopt on
// any error. Not used by TLS: a TLS server must use the function below.
std::optional<SecretBytes> rsaes_pkcs1_v15_decrypt(const RsaPrivateKey& key, ByteView ciphertext);

// TLS: the RFC 5246 §7.4.7.1 countermeasure. Always fills pre_master_secret with
// 48 bytes: the decrypted premaster if it is well-formed, 48 bytes long and
// starts with client_version; otherwise random bytes chosen before decryption.
// Never throws for a bad ciphertext (a ciphertext whose length != key size is
// handled like any other bad one, without a distinguishable error).
void rsa_decrypt_pre_master_secret(const RsaPrivateKey& key, ByteView encrypted_pre_master_secret,
                                   uint16_t client_version,
                                   std::span<uint8_t, 48> pre_master_secret);

// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with EMSA-PKCS1-v1_5 (§9.2), hashing
// `message` with `hash`. Verification re-encodes the expected block and compares
// it whole, so there is no parser of the decrypted block to get wrong.
Bytes rsassa_pkcs1_v15_sign(const RsaPrivateKey& key, HashAlgorithm hash, ByteView message);
bool rsassa_pkcs1_v15_verify(const RsaPublicKey& key, HashAlgorithm hash, ByteView message,
                             ByteView signature);

// RSASSA-PSS (RFC 8017 §8.1) with EMSA-PSS (§9.1), MGF1 over the same hash.
// Signing uses a random salt of digest_size(hash) bytes (what TLS requires);
// verification takes the expected salt length (TLS passes digest_size(hash)).
Bytes rsassa_pss_sign(const RsaPrivateKey& key, HashAlgorithm hash, ByteView message);
bool rsassa_pss_verify(const RsaPublicKey& key, HashAlgorithm hash, ByteView message,
                       ByteView signature, size_t salt_length);

// MGF1 (RFC 8017 §B.2.1): `length` bytes of mask from `seed`.
Bytes mgf1(HashAlgorithm hash, ByteView seed, size_t length);

}  // namespace tls12::crypto
