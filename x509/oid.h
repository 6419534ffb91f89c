// Object identifiers that certificates and keys use, with the short names
// RFC 5280, RFC 4519, RFC 8017, RFC 8018 and RFC 8410 give them.
//
// OIDs are kept in dotted form ("2.5.29.19") throughout x509/: that is how the
// RFCs print them, so a reader can search the RFC for the number.
#pragma once

#include <string_view>

namespace tls12::x509::oid {

// Name attributes (RFC 4519, RFC 5280 Appendix A).
inline constexpr std::string_view common_name = "2.5.4.3";
inline constexpr std::string_view country_name = "2.5.4.6";
inline constexpr std::string_view organization_name = "2.5.4.10";
inline constexpr std::string_view organizational_unit_name = "2.5.4.11";
inline constexpr std::string_view email_address = "1.2.840.113549.1.9.1";  // PKCS #9, RFC 5280 §4.1.2.6

// Certificate extensions (RFC 5280 §4.2.1).
inline constexpr std::string_view subject_key_identifier = "2.5.29.14";
inline constexpr std::string_view key_usage = "2.5.29.15";
inline constexpr std::string_view subject_alt_name = "2.5.29.17";
inline constexpr std::string_view basic_constraints = "2.5.29.19";
inline constexpr std::string_view name_constraints = "2.5.29.30";
inline constexpr std::string_view certificate_policies = "2.5.29.32";
inline constexpr std::string_view policy_mappings = "2.5.29.33";
inline constexpr std::string_view policy_constraints = "2.5.29.36";
inline constexpr std::string_view inhibit_any_policy = "2.5.29.54";
inline constexpr std::string_view authority_info_access = "1.3.6.1.5.5.7.1.1";
inline constexpr std::string_view authority_key_identifier = "2.5.29.35";
inline constexpr std::string_view ext_key_usage = "2.5.29.37";

// Extended key usage purposes (RFC 5280 §4.2.1.12).
inline constexpr std::string_view any_extended_key_usage = "2.5.29.37.0";
inline constexpr std::string_view server_auth = "1.3.6.1.5.5.7.3.1";
inline constexpr std::string_view client_auth = "1.3.6.1.5.5.7.3.2";

// Public key and signature algorithms (RFC 8017 Appendix A, RFC 8410 §3, RFC 5480).
inline constexpr std::string_view rsa_encryption = "1.2.840.113549.1.1.1";
inline constexpr std::string_view md5_with_rsa = "1.2.840.113549.1.1.4";
inline constexpr std::string_view sha1_with_rsa = "1.2.840.113549.1.1.5";
inline constexpr std::string_view mgf1 = "1.2.840.113549.1.1.8";
inline constexpr std::string_view rsassa_pss = "1.2.840.113549.1.1.10";
inline constexpr std::string_view sha256_with_rsa = "1.2.840.113549.1.1.11";
inline constexpr std::string_view sha384_with_rsa = "1.2.840.113549.1.1.12";
inline constexpr std::string_view sha512_with_rsa = "1.2.840.113549.1.1.13";
inline constexpr std::string_view ed25519 = "1.3.101.112";
inline constexpr std::string_view ec_public_key = "1.2.840.10045.2.1";
inline constexpr std::string_view prime256v1 = "1.2.840.10045.3.1.7";
inline constexpr std::string_view secp384r1 = "1.3.132.0.34";
inline constexpr std::string_view ecdsa_with_sha256 = "1.2.840.10045.4.3.2";
inline constexpr std::string_view ecdsa_with_sha384 = "1.2.840.10045.4.3.3";
inline constexpr std::string_view ecdsa_with_sha512 = "1.2.840.10045.4.3.4";
inline constexpr std::string_view sha1 = "1.3.14.3.2.26";
inline constexpr std::string_view sha256 = "2.16.840.1.101.3.4.2.1";
inline constexpr std::string_view sha384 = "2.16.840.1.101.3.4.2.2";
inline constexpr std::string_view sha512 = "2.16.840.1.101.3.4.2.3";

// Password-based encryption of PKCS#8 keys (RFC 8018 Appendix A and C).
inline constexpr std::string_view pbes2 = "1.2.840.113549.1.5.13";
inline constexpr std::string_view pbkdf2 = "1.2.840.113549.1.5.12";
inline constexpr std::string_view hmac_with_sha1 = "1.2.840.113549.2.7";
inline constexpr std::string_view hmac_with_sha256 = "1.2.840.113549.2.9";
inline constexpr std::string_view hmac_with_sha384 = "1.2.840.113549.2.10";
inline constexpr std::string_view hmac_with_sha512 = "1.2.840.113549.2.11";
inline constexpr std::string_view aes128_cbc = "2.16.840.1.101.3.4.1.2";
inline constexpr std::string_view aes256_cbc = "2.16.840.1.101.3.4.1.42";

// The RFC name of a known OID ("basicConstraints", "sha256WithRSAEncryption"),
// or an empty view.
std::string_view name_of(std::string_view dotted);

}  // namespace tls12::x509::oid
