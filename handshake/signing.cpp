// Handshake signatures with RSA and Ed25519 keys (see signing.h): RFC 5246
// §7.4.1.4.1, §7.4.3, §7.4.8, the RSASSA schemes of RFC 8017 §8 and Ed25519
// (RFC 8032 §5.1, RFC 8422 §5.1.3).
#include "handshake/signing.h"

#include <algorithm>

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
  return scheme == SignatureScheme::ed25519;
}

bool scheme_fits_key(SignatureScheme scheme, const x509::PrivateKey& key) {
  if (std::holds_alternative<crypto::RsaPrivateKey>(key)) return is_rsa_scheme(scheme);
  return scheme == SignatureScheme::ed25519;
}

std::optional<SignatureScheme> choose_scheme(std::span<const SignatureScheme> ours,
                                             std::span<const SignatureScheme> peer, const x509::PrivateKey& key) {
  for (SignatureScheme scheme : ours)
    if (scheme_fits_key(scheme, key) && std::find(peer.begin(), peer.end(), scheme) != peer.end()) return scheme;
  return std::nullopt;
}

Bytes sign_with_scheme(SignatureScheme scheme, const x509::PrivateKey& key, ByteView message) {
  if (const auto* rsa = std::get_if<crypto::RsaPrivateKey>(&key)) return sign_with_scheme(scheme, *rsa, message);
  if (scheme != SignatureScheme::ed25519)
    throw record::TlsError(record::AlertDescription::internal_error,
                           "cannot sign with " + signature_scheme_name(scheme) + " and an Ed25519 key");
  // PureEdDSA: the whole content is signed, no hash first (RFC 8422 §5.1.3).
  auto signature = crypto::ed25519_sign(std::get<x509::Ed25519PrivateKey>(key).seed, message);
  return Bytes(signature.begin(), signature.end());
}

bool verify_with_scheme(SignatureScheme scheme, const x509::PublicKey& key, ByteView message,
                        ByteView signature) {
  if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key))
    return verify_with_scheme(scheme, *rsa, message, signature);
  return scheme == SignatureScheme::ed25519 &&
         crypto::ed25519_verify(std::get<x509::Ed25519PublicKey>(key).bytes, message, signature);
}

bool key_fits_authentication(Authentication authentication, const x509::PublicKey& key) {
  return authentication == Authentication::rsa ? std::holds_alternative<crypto::RsaPublicKey>(key)
                                               : std::holds_alternative<x509::Ed25519PublicKey>(key);
}

bool key_fits_authentication(Authentication authentication, const x509::PrivateKey& key) {
  return authentication == Authentication::rsa ? std::holds_alternative<crypto::RsaPrivateKey>(key)
                                               : std::holds_alternative<x509::Ed25519PrivateKey>(key);
}

}  // namespace tls12::handshake
