// Elliptic-curve keys: public keys in SubjectPublicKeyInfo (RFC 5480 §2) and
// private keys in ECPrivateKey (RFC 5915 §3); see ec_keys.h.
#include "x509/ec_keys.h"

#include <algorithm>
#include <string>

#include "crypto/ecdsa.h"
#include "crypto/p256.h"
#include "x509/der.h"
#include "x509/keys.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

// The namedCurve OID of an ECParameters (RFC 5480 §2.1.1); explicit and
// implicit parameters are refused (see ec_keys.h).
std::string named_curve_of(ByteView parameters, size_t offset) {
  DerReader pr(parameters, offset);
  if (!pr.next_is(TagClass::universal, asn1::object_identifier))
    throw UnsupportedError("EC key without a named curve (explicit or implicit parameters are not accepted)");
  const std::string curve = pr.read_oid("namedCurve");
  pr.expect_end("ECParameters");
  return curve;
}

// The fields of an ECPrivateKey (RFC 5915 §3), with the curve named by the
// PKCS#8 AlgorithmIdentifier or by [0] (the same in both when both name it).
struct EcPrivateKeyFields {
  ByteView d;
  size_t d_at = 0;
  std::string curve;
  ByteView stated_point;  // [1] publicKey, empty when absent
  size_t point_at = 0;
};

EcPrivateKeyFields read_ec_private_key(ByteView der, ByteView outer_parameters, size_t offset) {
  DerReader outer(der, offset);
  DerReader r = outer.read_sequence("ECPrivateKey");
  outer.expect_end("ECPrivateKey");
  EcPrivateKeyFields f;
  const size_t version_at = r.offset();
  if (r.read_small_integer("ECPrivateKey.version") != 1) throw DerError("ECPrivateKey.version must be 1", version_at);
  f.d_at = r.offset();
  f.d = r.read_octet_string("ECPrivateKey.privateKey");
  if (!outer_parameters.empty()) f.curve = named_curve_of(outer_parameters, offset);
  if (auto params = r.read_optional_explicit(0, "ECPrivateKey.parameters")) {
    const size_t at = params->offset();
    const std::string inner = named_curve_of(params->read_any().encoded, at);
    params->expect_end("ECPrivateKey.parameters");
    if (!f.curve.empty() && inner != f.curve)
      throw DerError("ECPrivateKey names another curve than its AlgorithmIdentifier", at);
    f.curve = inner;
  }
  f.point_at = r.offset();
  if (auto pub = r.read_optional_explicit(1, "ECPrivateKey.publicKey")) {
    f.stated_point = pub->read_bit_string_octets("ECPrivateKey.publicKey");
    pub->expect_end("ECPrivateKey.publicKey");
  }
  r.expect_end("ECPrivateKey");
  if (f.curve.empty()) throw DerError("EC private key names no curve", offset);
  return f;
}

}  // namespace

std::string ec_curve_name(EcCurve curve) { return curve == EcCurve::p256 ? "EC P-256" : "EC P-384"; }

EcPrivateKey parse_ec_private_key(ByteView der, ByteView outer_parameters, size_t offset) {
  const EcPrivateKeyFields f = read_ec_private_key(der, outer_parameters, offset);
  if (f.curve != oid::prime256v1)
    throw UnsupportedError("EC private key on curve " + f.curve + " is not supported (only P-256 keys sign)");
  // RFC 5915 §3: privateKey is ceiling(log2(n)/8) = 32 octets for P-256.
  if (f.d.size() != crypto::p256::scalar_size) throw DerError("P-256 private key must be 32 bytes", f.d_at);
  crypto::p256::Limbs scalar;
  const bool in_range = crypto::p256::private_scalar_from_bytes(f.d, scalar);
  secure_zero(scalar.data(), sizeof scalar);
  if (!in_range) throw DerError("P-256 private key is not in [1, n-1]", f.d_at);
  const auto pair = crypto::p256::KeyPair::from_private_key(f.d);
  EcPrivateKey key{pair.private_key, Bytes(pair.public_key.begin(), pair.public_key.end())};
  // A file whose two halves disagree is refused rather than used with one half.
  if (!f.stated_point.empty() && !std::equal(f.stated_point.begin(), f.stated_point.end(),
                                             key.public_point.begin(), key.public_point.end()))
    throw DerError("ECPrivateKey.publicKey is not the public key of its privateKey", f.point_at);
  return key;
}

EcPublicKey ec_public_key_from(ByteView parameters, ByteView point, size_t offset) {
  // ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitCurve NULL,
  // specifiedCurve SpecifiedECDomain } (RFC 5480 §2.1.1).
  const std::string curve = named_curve_of(parameters, offset);
  if (curve == oid::prime256v1) {
    if (!crypto::p256::decode_point(point))
      throw DerError("EC public key is not an uncompressed point on P-256", offset);
    return EcPublicKey{EcCurve::p256, Bytes(point.begin(), point.end())};
  }
  if (curve == oid::secp384r1) {
    if (!crypto::p384::decode_point(point))
      throw DerError("EC public key is not an uncompressed point on P-384", offset);
    return EcPublicKey{EcCurve::p384, Bytes(point.begin(), point.end())};
  }
  throw UnsupportedError("EC key on curve " + curve + " is not supported (only P-256 and P-384)");
}

EcPublicKey parse_ec_subject_public_key_info(ByteView spki) {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  DerReader outer(spki);
  DerReader r = outer.read_sequence("SubjectPublicKeyInfo");
  outer.expect_end("SubjectPublicKeyInfo");
  DerReader alg = r.read_sequence("SubjectPublicKeyInfo.algorithm");
  const std::string algorithm = alg.read_oid("algorithm");
  if (algorithm != oid::ec_public_key) throw UnsupportedError("public key algorithm " + algorithm + " is not id-ecPublicKey");
  const size_t params_offset = alg.offset();
  if (alg.empty()) throw UnsupportedError("EC key without ECParameters");
  const ByteView parameters = alg.read_any().encoded;
  alg.expect_end("AlgorithmIdentifier");
  const ByteView point = r.read_bit_string_octets("subjectPublicKey");
  r.expect_end("SubjectPublicKeyInfo");
  return ec_public_key_from(parameters, point, params_offset);
}

bool verify_ecdsa_signature(const EcPublicKey& key, const SignatureAlgorithm& algorithm, ByteView message,
                            ByteView signature) {
  if (algorithm.kind != SignatureAlgorithm::Kind::ecdsa) return false;
  switch (key.curve) {
    case EcCurve::p256: return crypto::ecdsa_p256_verify(key.point, algorithm.hash, message, signature);
    case EcCurve::p384: return crypto::ecdsa_p384_verify(key.point, algorithm.hash, message, signature);
  }
  return false;
}

}  // namespace tls12::x509
