// Elliptic-curve public keys in SubjectPublicKeyInfo (RFC 5480 §2, SEC 1
// §2.3.3): id-ecPublicKey with the namedCurve parameter secp256r1 (prime256v1)
// and the uncompressed point as the subjectPublicKey.
//
// RFC 5480 §2.1.1 lets ECParameters be namedCurve, implicitCurve or
// specifiedCurve, and says PKIX certificates MUST use namedCurve; we accept
// only that. Explicit parameters are refused because checking that they
// describe a safe curve is work the verifier should not have to do (and is
// where CVE-2020-0601 lived), compressed points because RFC 8422 §5.1.2 and
// every CA use the uncompressed form.
#pragma once

#include "crypto/bytes.h"
#include "crypto/p256.h"

namespace tls12::x509 {

struct P256PublicKey {
  crypto::p256::EncodedPoint point{};  // uncompressed, checked to be on the curve
};

// SubjectPublicKeyInfo DER -> key. Throws DerError for malformed DER or a
// point that is not on P-256, UnsupportedError (keys.h) for another algorithm,
// another curve, or explicit curve parameters.
P256PublicKey parse_ec_subject_public_key_info(ByteView spki);

// The AlgorithmIdentifier parameters (the ECParameters DER) and the
// subjectPublicKey octets of an id-ecPublicKey key, for callers that have
// already read the SubjectPublicKeyInfo. `offset` places errors.
P256PublicKey ec_public_key_from(ByteView parameters, ByteView point, size_t offset);

}  // namespace tls12::x509
