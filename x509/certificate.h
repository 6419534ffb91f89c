// X.509 v1 and v3 certificates (RFC 5280 §4): parsing and the fields TLS uses.
//
//   Certificate ::= SEQUENCE {
//     tbsCertificate TBSCertificate, signatureAlgorithm AlgorithmIdentifier,
//     signatureValue BIT STRING }
//   TBSCertificate ::= SEQUENCE {
//     version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
//     signature AlgorithmIdentifier, issuer Name, validity Validity,
//     subject Name, subjectPublicKeyInfo SubjectPublicKeyInfo,
//     issuerUniqueID [1] IMPLICIT OPTIONAL, subjectUniqueID [2] IMPLICIT OPTIONAL,
//     extensions [3] EXPLICIT Extensions OPTIONAL }
//
// The exact tbsCertificate bytes are kept: the issuer's signature covers them,
// not any re-encoding of the parsed fields. The extensions path validation
// needs are decoded (§4.2.1.1 authorityKeyIdentifier, .2 subjectKeyIdentifier,
// .3 keyUsage, .6 subjectAltName, .9 basicConstraints, .10 nameConstraints,
// .11 policyConstraints, .12 extKeyUsage); certificatePolicies, policyMappings,
// inhibitAnyPolicy and authorityInfoAccess are recognised (see
// path_validation.h for what that means for policies); any other extension
// is kept raw, and if one of those is
// marked critical the certificate is unusable (§4.2: "A certificate-using
// system MUST reject the certificate if it encounters a critical extension it
// does not recognize").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "x509/keys.h"
#include "x509/name.h"

namespace tls12::x509 {

// keyUsage bits (RFC 5280 §4.2.1.3), numbered as in the RFC.
enum class KeyUsageBit : unsigned {
  digital_signature = 0,
  non_repudiation = 1,
  key_encipherment = 2,
  data_encipherment = 3,
  key_agreement = 4,
  key_cert_sign = 5,
  crl_sign = 6,
  encipher_only = 7,
  decipher_only = 8,
};

struct BasicConstraints {
  bool ca = false;
  std::optional<int64_t> path_len_constraint;
};

// A GeneralSubtree of nameConstraints (RFC 5280 §4.2.1.10). The five forms
// path validation processes are decoded; otherName, x400Address,
// ediPartyName and registeredID are kept as `other` with their choice number,
// and a CA that constrains one of them fails validation (we cannot process it).
// The syntax of each constraint is checked when the certificate is parsed, so
// a malformed constraint makes the certificate malformed.
struct GeneralSubtree {
  enum class Form { dns_name, ip_address, rfc822_name, uri, directory_name, other };
  Form form = Form::other;
  std::string text;      // dNSName ("example.com", ".example.com"), rfc822Name or URI host constraint
  Bytes ip_and_mask;     // iPAddress constraint: address then mask (8 or 32 bytes)
  Name directory_name;   // directoryName constraint: an RDN-sequence prefix
  uint32_t tag = 0;      // the GeneralName choice number
};

struct NameConstraints {
  std::vector<GeneralSubtree> permitted;
  std::vector<GeneralSubtree> excluded;
};

struct Extension {
  std::string oid;
  bool critical = false;
  Bytes value;  // the extnValue OCTET STRING contents
};

class Certificate {
 public:
  // Parses DER; throws DerError (malformed, with the offset) or
  // std::runtime_error for a structurally valid certificate that breaks a
  // rule of RFC 5280 (e.g. a duplicated extension). Unknown signature or key
  // algorithms do not fail parsing: they fail verification.
  static Certificate parse(ByteView der);

  const Bytes& der() const { return der_; }
  // The bytes the issuer signed (the whole TBSCertificate element).
  ByteView tbs_certificate() const { return ByteView(der_).subspan(tbs_offset_, tbs_length_); }

  int version = 1;  // 1 or 3 (2 is accepted and treated as 1 without extensions)
  Bytes serial_number;  // two's complement, as encoded
  std::string signature_algorithm_oid;
  // The algorithm if tls12 implements and accepts it; otherwise the reason.
  std::optional<SignatureAlgorithm> signature_algorithm;
  std::string signature_algorithm_problem;
  Name issuer;
  Name subject;
  int64_t not_before = 0;  // Unix seconds
  int64_t not_after = 0;
  Bytes subject_public_key_info;  // DER
  std::string public_key_algorithm_oid;
  Bytes signature_value;

  std::vector<Extension> extensions;  // all of them, in order
  std::optional<BasicConstraints> basic_constraints;
  std::optional<uint16_t> key_usage;                   // bit i = KeyUsageBit i
  std::optional<std::vector<std::string>> ext_key_usage;  // dotted OIDs
  bool has_subject_alt_name = false;
  std::vector<std::string> san_dns_names;
  std::vector<Bytes> san_ip_addresses;  // 4 or 16 bytes each
  std::vector<std::string> san_rfc822_names;
  std::vector<std::string> san_uris;
  std::vector<Name> san_directory_names;
  std::vector<uint32_t> san_other_forms;  // GeneralName tags we keep but do not match (0, 3, 5, 8)
  std::optional<NameConstraints> name_constraints;
  std::optional<Bytes> subject_key_identifier;
  std::optional<Bytes> authority_key_identifier;  // keyIdentifier only
  bool authority_key_identifier_names_issuer = false;  // authorityCertIssuer or authorityCertSerialNumber present
  std::optional<int64_t> require_explicit_policy;      // policyConstraints (RFC 5280 §4.2.1.11)
  std::vector<std::string> unknown_critical_extensions;

  // The extension with this OID, or nullptr.
  const Extension* find_extension(std::string_view oid) const;
  bool is_ca() const { return basic_constraints && basic_constraints->ca; }

  // The subject's key; throws UnsupportedError / DerError / std::invalid_argument.
  PublicKey public_key(crypto::RsaKeyPolicy policy = crypto::RsaKeyPolicy::standard) const;
  bool has_key_usage(KeyUsageBit bit) const {
    return key_usage && ((*key_usage >> static_cast<unsigned>(bit)) & 1u);
  }
  bool is_self_issued() const { return names_match(issuer, subject); }
  // "CN=localhost,O=..." or, for an empty subject, "(empty subject, serial N)".
  std::string display_name() const;

 private:
  Bytes der_;
  size_t tbs_offset_ = 0;
  size_t tbs_length_ = 0;
};

// The DER of each certificate in a file's text: the text itself if it is a
// single DER certificate, else every CERTIFICATE block of the PEM text (an
// empty list when there is none). Throws for malformed PEM/base64.
std::vector<Bytes> certificate_ders(std::string_view file_text);
// Every CERTIFICATE block of a PEM text / file, in order.
std::vector<Certificate> parse_certificates_pem(std::string_view pem_text);
std::vector<Certificate> load_certificates_file(const std::filesystem::path& path);

// Reads an Extensions SEQUENCE (RFC 5280 §4.1) into `into` exactly as the
// certificate parser does, with the same checks: for the extensionRequest of
// a PKCS#10 request (x509/request.h), which lists the extensions the requester
// wants in its certificate.
void decode_extensions(ByteView extensions_der, Certificate& into);

// A human-readable dump of every field (like `openssl x509 -text`), for
// `tls12 show`.
std::string describe(const Certificate& cert);

// The signature algorithm named by an AlgorithmIdentifier (RFC 5280 §4.1.1.2,
// RFC 4055 §3.1 for RSASSA-PSS-params). Throws UnsupportedError with the reason
// for algorithms tls12 does not accept (SHA-1 and MD5 are refused on purpose).
SignatureAlgorithm parse_signature_algorithm(ByteView algorithm_identifier_der);

}  // namespace tls12::x509
