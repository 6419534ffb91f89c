// Handshake signatures with RSA, Ed25519 and ECDSA keys (see signing.h):
// RFC 5246 §7.4.1.4.1, §7.4.3, §7.4.8, the RSASSA schemes of RFC 8017 §8,
// Ed25519 (RFC 8032 §5.1, RFC 8422 §5.1.3) and ECDSA (RFC 8422 §5.4, §5.8).
#include "handshake/signing.h"

#include <algorithm>

#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "record/alert.h"

namespace tls12::handshake {
namespace {

struct RsaScheme {
  bool pss;
  crypto::HashAlgorithm hash;
};

// Only the six schemes below: rsa_pkcs1_sha1 is refused on purpose (a SHA-1
// signature over the handshake is forgeable with chosen-prefix collisions,
// the SLOTH attack), and rsa_pss_pss_* would need an RSASSA-PSS certificate key.
std::optional<RsaScheme> rsa_scheme(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::rsa_pkcs1_sha256: return RsaScheme{false, crypto::HashAlgorithm::sha256};
    case SignatureScheme::rsa_pkcs1_sha384: return RsaScheme{false, crypto::HashAlgorithm::sha384};
    case SignatureScheme::rsa_pkcs1_sha512: return RsaScheme{false, crypto::HashAlgorithm::sha512};
    case SignatureScheme::rsa_pss_rsae_sha256: return RsaScheme{true, crypto::HashAlgorithm::sha256};
    case SignatureScheme::rsa_pss_rsae_sha384: return RsaScheme{true, crypto::HashAlgorithm::sha384};
    case SignatureScheme::rsa_pss_rsae_sha512: return RsaScheme{true, crypto::HashAlgorithm::sha512};
    default: return std::nullopt;
  }
}

// The ECDSA schemes tls12 makes and checks, by their hash. In TLS 1.2 the
// two bytes say only hash + ecdsa (RFC 5246 §7.4.1.4.1): the curve in the
// name binds in TLS 1.3 alone (RFC 8446 §4.2.3), so any of these hashes goes
// with either curve, as OpenSSL also allows in TLS 1.2. sha1 + ecdsa is
// refused as rsa_pkcs1_sha1 is.
std::optional<crypto::HashAlgorithm> ecdsa_hash(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::ecdsa_sha224: return crypto::HashAlgorithm::sha224;
    case SignatureScheme::ecdsa_secp256r1_sha256: return crypto::HashAlgorithm::sha256;
    case SignatureScheme::ecdsa_secp384r1_sha384: return crypto::HashAlgorithm::sha384;
    case SignatureScheme::ecdsa_secp521r1_sha512: return crypto::HashAlgorithm::sha512;
    default: return std::nullopt;
  }
}

bool is_ecdsa_scheme(SignatureScheme scheme) { return ecdsa_hash(scheme).has_value(); }

}  // namespace

bool is_rsa_scheme(SignatureScheme scheme) { return rsa_scheme(scheme).has_value(); }

Bytes sign_with_scheme(SignatureScheme scheme, const crypto::RsaPrivateKey& key, ByteView message) {
  auto rsa = rsa_scheme(scheme);
  if (!rsa)
    throw record::TlsError(record::AlertDescription::internal_error,
                           "cannot sign with " + signature_scheme_name(scheme) + " and an RSA key");
  return rsa->pss ? crypto::rsassa_pss_sign(key, rsa->hash, message)
                  : crypto::rsassa_pkcs1_v15_sign(key, rsa->hash, message);
}

bool verify_with_scheme(SignatureScheme scheme, const crypto::RsaPublicKey& key, ByteView message,
                        ByteView signature) {
  auto rsa = rsa_scheme(scheme);
  if (!rsa) return false;
  if (rsa->pss)
    return crypto::rsassa_pss_verify(key, rsa->hash, message, signature,
                                     crypto::digest_size(rsa->hash));
  return crypto::rsassa_pkcs1_v15_verify(key, rsa->hash, message, signature);
}

std::optional<SignatureScheme> choose_rsa_scheme(std::span<const SignatureScheme> ours,
                                                 std::span<const SignatureScheme> peer) {
  for (SignatureScheme scheme : ours)
    if (is_rsa_scheme(scheme) && std::find(peer.begin(), peer.end(), scheme) != peer.end())
      return scheme;
  return std::nullopt;
}

bool scheme_fits_key(SignatureScheme scheme, const x509::PublicKey& key) {
  if (std::holds_alternative<crypto::RsaPublicKey>(key)) return is_rsa_scheme(scheme);
  if (std::holds_alternative<x509::EcPublicKey>(key)) return is_ecdsa_scheme(scheme);
  return scheme == SignatureScheme::ed25519;
}

bool scheme_fits_key(SignatureScheme scheme, const x509::PrivateKey& key) {
  return scheme_fits_key(scheme, x509::public_key_of(key));
}

std::optional<SignatureScheme> choose_scheme(std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> peer, const x509::PrivateKey& key) {
  const x509::PublicKey public_key = x509::public_key_of(key);
  for (SignatureScheme scheme : ours)
    if (scheme_fits_key(scheme, public_key) && std::find(peer.begin(), peer.end(), scheme) != peer.end())
      return scheme;
  return std::nullopt;
}

Bytes sign_with_scheme(SignatureScheme scheme, const x509::PrivateKey& key, ByteView message) {
  if (const auto* rsa = std::get_if<crypto::RsaPrivateKey>(&key)) return sign_with_scheme(scheme, *rsa, message);
  if (!scheme_fits_key(scheme, key))
    throw record::TlsError(record::AlertDescription::internal_error,
                           "cannot sign with " + signature_scheme_name(scheme) + " and a " +
                               x509::describe(x509::public_key_of(key)) + " key");
  // ECDSA: the scheme's hash of the content, a nonce derived by RFC 6979, the
  // DER Ecdsa-Sig-Value on the wire (RFC 8422 §5.4).
  if (const auto* ec = std::get_if<x509::EcPrivateKey>(&key))
    return crypto::ecdsa_p256_sign(ec->d, *ecdsa_hash(scheme), message);
  // PureEdDSA: the whole content is signed, no hash first (RFC 8422 §5.1.3).
  auto signature = crypto::ed25519_sign(std::get<x509::Ed25519PrivateKey>(key).seed, message);
  return Bytes(signature.begin(), signature.end());
}

bool verify_with_scheme(SignatureScheme scheme, const x509::PublicKey& key, ByteView message,
                        ByteView signature) {
  if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key))
    return verify_with_scheme(scheme, *rsa, message, signature);
  if (!scheme_fits_key(scheme, key)) return false;
  if (std::holds_alternative<x509::EcPublicKey>(key)) {
    // Strict DER, r and s in [1, n-1]: a malleable encoding is a bad signature.
    const x509::SignatureAlgorithm algorithm{x509::SignatureAlgorithm::Kind::ecdsa, *ecdsa_hash(scheme)};
    return x509::verify_signature(key, algorithm, message, signature);
  }
  return crypto::ed25519_verify(std::get<x509::Ed25519PublicKey>(key).bytes, message, signature);
}

// RFC 8422 §5.1.3 / §2: the ECDSA suites take any certificate key that
// signs with an elliptic curve, ECDSA or EdDSA.
bool key_fits_authentication(Authentication authentication, const x509::PublicKey& key) {
  return authentication == Authentication::rsa ? std::holds_alternative<crypto::RsaPublicKey>(key)
                                               : !std::holds_alternative<crypto::RsaPublicKey>(key);
}

bool key_fits_authentication(Authentication authentication, const x509::PrivateKey& key) {
  return authentication == Authentication::rsa ? std::holds_alternative<crypto::RsaPrivateKey>(key)
                                               : !std::holds_alternative<crypto::RsaPrivateKey>(key);
}

}  // namespace tls12::handshake
