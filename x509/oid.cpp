// Names of the object identifiers x509/ knows (see oid.h), for `tls12 show`,
// the DER dump and error messages.
#include "x509/oid.h"

#include <array>
#include <utility>

namespace tls12::x509::oid {

std::string_view name_of(std::string_view dotted) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 61> kNames{{
      {common_name, "commonName"},
      {"2.5.4.4", "surname"},
      {"2.5.4.5", "serialNumber"},
      {country_name, "countryName"},
      {"2.5.4.7", "localityName"},
      {"2.5.4.8", "stateOrProvinceName"},
      {"2.5.4.9", "streetAddress"},
      {organization_name, "organizationName"},
      {organizational_unit_name, "organizationalUnitName"},
      {"2.5.4.12", "title"},
      {"2.5.4.42", "givenName"},
      {"0.9.2342.19200300.100.1.25", "domainComponent"},
      {"0.9.2342.19200300.100.1.1", "userId"},
      {"1.2.840.113549.1.9.1", "emailAddress"},
      {subject_key_identifier, "subjectKeyIdentifier"},
      {key_usage, "keyUsage"},
      {subject_alt_name, "subjectAltName"},
      {"2.5.29.18", "issuerAltName"},
      {basic_constraints, "basicConstraints"},
      {"2.5.29.31", "cRLDistributionPoints"},
      {"2.5.29.32", "certificatePolicies"},
      {"2.5.29.36", "policyConstraints"},
      {"2.5.29.54", "inhibitAnyPolicy"},
      {name_constraints, "nameConstraints"},
      {authority_key_identifier, "authorityKeyIdentifier"},
      {ext_key_usage, "extKeyUsage"},
      {"1.3.6.1.5.5.7.1.1", "authorityInfoAccess"},
      {"2.16.840.1.113730.1.13", "netscapeComment"},
      {any_extended_key_usage, "anyExtendedKeyUsage"},
      {server_auth, "serverAuth"},
      {client_auth, "clientAuth"},
      {"1.3.6.1.5.5.7.3.3", "codeSigning"},
      {"1.3.6.1.5.5.7.3.4", "emailProtection"},
      {"1.3.6.1.5.5.7.3.8", "timeStamping"},
      {"1.3.6.1.5.5.7.3.9", "OCSPSigning"},
      {rsa_encryption, "rsaEncryption"},
      {md5_with_rsa, "md5WithRSAEncryption"},
      {sha1_with_rsa, "sha1WithRSAEncryption"},
      {mgf1, "mgf1"},
      {rsassa_pss, "rsassaPss"},
      {sha256_with_rsa, "sha256WithRSAEncryption"},
      {sha384_with_rsa, "sha384WithRSAEncryption"},
      {sha512_with_rsa, "sha512WithRSAEncryption"},
      {ed25519, "Ed25519"},
      {ec_public_key, "id-ecPublicKey"},
      {prime256v1, "prime256v1 (P-256)"},
      {secp384r1, "secp384r1 (P-384)"},
      {ecdsa_with_sha256, "ecdsa-with-SHA256"},
      {ecdsa_with_sha384, "ecdsa-with-SHA384"},
      {ecdsa_with_sha512, "ecdsa-with-SHA512"},
      {sha1, "sha1"},
      {sha256, "sha256"},
      {sha384, "sha384"},
      {sha512, "sha512"},
      {pbes2, "PBES2"},
      {pbkdf2, "PBKDF2"},
      {hmac_with_sha1, "hmacWithSHA1"},
      {hmac_with_sha256, "hmacWithSHA256"},
      {hmac_with_sha384, "hmacWithSHA384"},
      {hmac_with_sha512, "hmacWithSHA512"},
      {aes256_cbc, "aes256-CBC"},
  }};
  if (dotted == aes128_cbc) return "aes128-CBC";
  for (const auto& [id, name] : kNames)
    if (id == dotted) return name;
  return {};
}

}  // namespace tls12::x509::oid
