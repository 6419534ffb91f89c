// Signatures inside the handshake: ServerKeyExchange (RFC 5246 §7.4.3, RFC 4492
// §5.4) and CertificateVerify (RFC 5246 §7.4.8), with the schemes tls12
// negotiates through signature_algorithms (§7.4.1.4.1):
//
//   rsa_pkcs1_sha256/384/512     RSASSA-PKCS1-v1_5 (RFC 8017 §8.2)
//   rsa_pss_rsae_sha256/384/512  RSASSA-PSS, MGF1 with the same hash, salt as
//                                long as the hash (RFC 8446 §4.2.3), usable in
//                                TLS 1.2 with an ordinary RSA certificate key
//
//   ed25519                      PureEdDSA (RFC 8032 §5.1) with an Ed25519
//                                certificate key (RFC 8422 §5.1.3): the
//                                signed content goes in unhashed
//   ecdsa_secp256r1_sha256       ECDSA (RFC 8422 §5.4) with SHA-256, SHA-384,
//   ecdsa_secp384r1_sha384       SHA-512 or SHA-224, an RFC 6979 nonce and the
//   ecdsa_secp521r1_sha512       DER Ecdsa-Sig-Value; we sign with P-256 keys
//   ecdsa_sha224                 and verify P-256 and P-384 keys (in TLS 1.2
//                                the name's curve does not bind, RFC 8446
//                                §4.2.3 is TLS 1.3's rule: 0x0603 is sha512 +
//                                ecdsa, 0x0303 sha224 + ecdsa, RFC 5246
//                                §7.4.1.4.1)
//
// and the choice of a scheme: the first of our preferences that the peer
// offered and our key can make. SHA-1 schemes are never chosen.
#pragma once

#include <optional>
#include <span>

#include "crypto/bytes.h"
#include "crypto/rsa.h"
#include "handshake/cipher_suites.h"
#include "x509/keys.h"

namespace tls12::handshake {

// Signs `message` (the whole signed content, not a hash) with `scheme`.
// Throws TlsError(internal_error) for a scheme tls12 cannot make with an RSA key.
Bytes sign_with_scheme(SignatureScheme scheme, const crypto::RsaPrivateKey& key, ByteView message);

// Whether `signature` over `message` verifies with `key` under `scheme`;
// false for a scheme that is not an RSA scheme we support.
bool verify_with_scheme(SignatureScheme scheme, const crypto::RsaPublicKey& key, ByteView message,
                        ByteView signature);

// Whether `scheme` is one tls12 makes and checks with RSA keys.
bool is_rsa_scheme(SignatureScheme scheme);

// The first scheme of `ours` that `peer` also lists and an RSA key can make;
// nullopt when there is none.
std::optional<SignatureScheme> choose_rsa_scheme(std::span<const SignatureScheme> ours,
                                                 std::span<const SignatureScheme> peer);

// ---- any certificate key (RSA, Ed25519 or EC) -------------------------------

// Whether `scheme` is one tls12 makes and checks with this kind of key:
// the RSA schemes above for an RSA key, ed25519 for an Ed25519 key, the
// four ECDSA schemes for an EC key.
bool scheme_fits_key(SignatureScheme scheme, const x509::PublicKey& key);
bool scheme_fits_key(SignatureScheme scheme, const x509::PrivateKey& key);

// The first scheme of `ours` that `peer` also lists and `key` can make.
std::optional<SignatureScheme> choose_scheme(std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> peer, const x509::PrivateKey& key);

// Signs with whichever key the certificate holds. Throws
// TlsError(internal_error) when the scheme does not fit the key.
Bytes sign_with_scheme(SignatureScheme scheme, const x509::PrivateKey& key, ByteView message);

// Whether `signature` verifies; false when the scheme does not fit the key.
bool verify_with_scheme(SignatureScheme scheme, const x509::PublicKey& key, ByteView message,
                        ByteView signature);

// Whether a certificate with this key can authenticate a suite of this kind:
// RSA keys for *_RSA_* (and RSA key transport) suites, EC and Ed25519 keys
// for ECDHE_ECDSA suites (RFC 8422 §5.1.3: EdDSA certificates use the ECDSA
// suites too).
bool key_fits_authentication(Authentication authentication, const x509::PublicKey& key);
bool key_fits_authentication(Authentication authentication, const x509::PrivateKey& key);

}  // namespace tls12::handshake
