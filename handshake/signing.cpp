// Handshake signatures with RSA keys (see signing.h): RFC 5246 §7.4.1.4.1,
// §7.4.3, §7.4.8, and the RSASSA schemes of RFC 8017 §8.
#include "handshake/signing.h"

#include <algorithm>

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

}  // namespace tls12::handshake
