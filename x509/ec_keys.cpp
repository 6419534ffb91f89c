// Elliptic-curve public keys in SubjectPublicKeyInfo (RFC 5480 §2); see ec_keys.h.
#include "x509/ec_keys.h"

#include <string>

#include "crypto/ecdsa.h"
#include "x509/der.h"
#include "x509/keys.h"
#include "x509/oid.h"

namespace tls12::x509 {

EcPublicKey ec_public_key_from(ByteView parameters, ByteView point, size_t offset) {
  // ECParameters ::= CHOICE { namedCurve OBJECT IDENTIFIER, implicitCurve NULL,
  // specifiedCurve SpecifiedECDomain } (RFC 5480 §2.1.1).
  DerReader pr(parameters, offset);
  if (!pr.next_is(TagClass::universal, asn1::object_identifier))
    throw UnsupportedError("EC key without a named curve (explicit or implicit parameters are not accepted)");
  const std::string curve = pr.read_oid("namedCurve");
  pr.expect_end("ECParameters");
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
