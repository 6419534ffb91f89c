// Elliptic-curve public keys in SubjectPublicKeyInfo (RFC 5480 §2, SEC 1
// §2.3.3): id-ecPublicKey with the namedCurve parameter secp256r1 (prime256v1)
// or secp384r1, and the uncompressed point as the subjectPublicKey. P-384
// keys are read for verifying the certificates a P-384 CA signs; tls12 has
// no P-384 signing.
//
// RFC 5480 §2.1.1 lets ECParameters be namedCurve, implicitCurve or
// specifiedCurve, and says PKIX certificates MUST use namedCurve; we accept
// only that. Explicit parameters are refused because checking that they
// describe a safe curve is work the verifier should not have to do (and is
// where CVE-2020-0601 lived), compressed points because RFC 8422 §5.1.2 and
// every CA use the uncompressed form. `openssl pkey -pubin` reads both; this
// is deliberately stricter (tests/x509/test_ec_keys.cpp pins it).
//
// EC private keys (RFC 5915 §3, SEC 1 §C.4): ECPrivateKey { version 1,
// privateKey OCTET STRING, [0] ECParameters, [1] publicKey }, alone ("EC
// PRIVATE KEY", where [0] names the curve) or inside PKCS#8 (where the
// AlgorithmIdentifier does). Only P-256 private keys are read: a P-384 key
// could be used for nothing here. When [1] is present it must be d*G, so a
// key file whose halves disagree is refused instead of signing with one half.
#pragma once

#include <string>

#include "crypto/bytes.h"
#include "crypto/p256.h"
#include "x509/keys.h"

namespace tls12::x509 {

// SubjectPublicKeyInfo DER -> key. Throws DerError for malformed DER or a
// point that is not on its curve, UnsupportedError (keys.h) for another algorithm,
// another curve, or explicit curve parameters.
EcPublicKey parse_ec_subject_public_key_info(ByteView spki);

// The AlgorithmIdentifier parameters (the ECParameters DER) and the
// subjectPublicKey octets of an id-ecPublicKey key, for callers that have
// already read the SubjectPublicKeyInfo. `offset` places errors.
EcPublicKey ec_public_key_from(ByteView parameters, ByteView point, size_t offset);

// An ECPrivateKey's DER. `outer_parameters` are the ECParameters of the
// PKCS#8 AlgorithmIdentifier (empty for a SEC 1 key alone); the curve must be
// named in one place at least, and the same in both. Throws DerError for bad
// DER, a key out of [1, n-1] or a publicKey that is not d*G, UnsupportedError
// for a curve other than P-256.
EcPrivateKey parse_ec_private_key(ByteView der, ByteView outer_parameters = {}, size_t offset = 0);

// "EC P-256" / "EC P-384".
std::string ec_curve_name(EcCurve curve);

// Verifies an ECDSA signature (DER Ecdsa-Sig-Value, as certificates and TLS
// carry it) over `message` with `key`, hashing with algorithm.hash. False
// unless algorithm.kind is ecdsa; never throws for bad input.
bool verify_ecdsa_signature(const EcPublicKey& key, const SignatureAlgorithm& algorithm, ByteView message,
                            ByteView signature);

}  // namespace tls12::x509
