// PKCS #10 certification requests (RFC 2986): what `openssl req -new` makes
// and a CA signs. The requester names itself, gives its public key, lists the
// extensions it wants (here: subjectAltName) and signs all of that with its
// own private key, which proves it holds the key:
//
//   CertificationRequest ::= SEQUENCE {
//     certificationRequestInfo CertificationRequestInfo,
//     signatureAlgorithm AlgorithmIdentifier, signature BIT STRING }
//   CertificationRequestInfo ::= SEQUENCE {
//     version INTEGER { v1(0) }, subject Name,
//     subjectPKInfo SubjectPublicKeyInfo, attributes [0] IMPLICIT SET OF Attribute }
//   Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }
//
// The extensions ride in the extensionRequest attribute (PKCS #9, RFC 2985
// §5.4.2), whose one value is an Extensions SEQUENCE as in a certificate.
#pragma once

#include <string_view>

#include "crypto/bytes.h"
#include "x509/keys.h"
#include "x509/name.h"
#include "x509/name_writer.h"

namespace tls12::x509 {

inline constexpr std::string_view kExtensionRequestOid = "1.2.840.113549.1.9.14";

struct CertificationRequest {
  Bytes der;
  Bytes certification_request_info;  // the signed bytes
  Name subject;
  Bytes subject_public_key_info;
  SubjectAltNames alt_names;  // from an extensionRequest's subjectAltName
  Bytes signature_algorithm;  // AlgorithmIdentifier DER
  Bytes signature;

  // Strict parse; DerError for malformed input, std::runtime_error for an
  // attribute or extension it cannot honour.
  static CertificationRequest parse(ByteView der);
  // Whether the signature verifies with the request's own key; false (never
  // throws) for a bad signature or a key or algorithm tls12 does not support.
  bool signature_verifies() const;
};

// A request for `subject` (Name DER) and the key's public half, signed by it.
Bytes make_certification_request(const PrivateKey& key, ByteView subject_name, const SubjectAltNames& alt_names);

}  // namespace tls12::x509
