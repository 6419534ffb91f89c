// The cipher-suite, signature-scheme and named-group tables declared in
// cipher_suites.h (RFC 5246 Appendix A.5/C, RFC 5288, RFC 5289, RFC 7905,
// RFC 8446 §4.2.3, RFC 8422 §5.1.1, RFC 7919 §2).
#include "handshake/cipher_suites.h"

#include <array>
#include <cstdio>

#include "x509/hostname.h"

namespace tls12::handshake {
namespace {

using crypto::AeadAlgorithm;
using crypto::HashAlgorithm;

constexpr CipherSuiteInfo gcm(CipherSuite id, std::string_view name, std::string_view openssl,
                              KeyExchange kx, Authentication auth, AeadAlgorithm aead,
                              HashAlgorithm prf) {
  size_t key = aead == AeadAlgorithm::aes_128_gcm ? 16 : 32;
  // RFC 5288 §3: GCM takes a 4-byte implicit salt from the key_block and sends
  // an 8-byte explicit nonce per record.
  return {id, name, openssl, kx, auth, aead, prf, key, 4, 8, std::nullopt, 0};
}

constexpr CipherSuiteInfo chacha(CipherSuite id, std::string_view name, std::string_view openssl,
                                 KeyExchange kx, Authentication auth) {
  // RFC 7905 §2: the whole 12-byte nonce base comes from the key_block and
  // nothing is sent per record (the sequence number is XORed in).
  return {id, name, openssl, kx, auth, AeadAlgorithm::chacha20_poly1305, HashAlgorithm::sha256,
          32, 12, 0, std::nullopt, 0};
}

constexpr CipherSuiteInfo cbc(CipherSuite id, std::string_view name, std::string_view openssl,
                              KeyExchange kx, Authentication auth, size_t key, HashAlgorithm mac,
                              HashAlgorithm prf) {
  // RFC 5246 §6.3: a MAC key per direction from the key_block, no fixed IV
  // (TLS 1.2 sends a fresh 16-byte IV in every record, §6.2.3.2). The PRF is
  // SHA-256 unless the suite's MAC is SHA-384 (RFC 5289 §3.2).
  const size_t mac_key = mac == HashAlgorithm::sha1 ? 20 : mac == HashAlgorithm::sha256 ? 32 : 48;
  return {id, name, openssl, kx, auth,
          key == 16 ? AeadAlgorithm::aes_128_gcm : AeadAlgorithm::aes_256_gcm, prf, key, 0, 16, mac, mac_key};
}

// Preference order: forward secrecy first (ECDHE, then DHE), AES-128-GCM before
// AES-256-GCM before ChaCha20 (all equally strong here; AES is the benchmarked
// path), static RSA last.
constexpr std::array kSuites = {
    gcm(suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-ECDSA-AES128-GCM-SHA256", KeyExchange::ecdhe, Authentication::ecdsa,
        AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256),
    gcm(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256", KeyExchange::ecdhe, Authentication::rsa,
        AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256),
    gcm(suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-ECDSA-AES256-GCM-SHA384", KeyExchange::ecdhe, Authentication::ecdsa,
        AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384),
    gcm(suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", KeyExchange::ecdhe, Authentication::rsa,
        AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384),
    chacha(suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
           "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305",
           KeyExchange::ecdhe, Authentication::ecdsa),
    chacha(suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
           "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305",
           KeyExchange::ecdhe, Authentication::rsa),
    gcm(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "DHE-RSA-AES128-GCM-SHA256", KeyExchange::dhe, Authentication::rsa,
        AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256),
    gcm(suites::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "DHE-RSA-AES256-GCM-SHA384", KeyExchange::dhe, Authentication::rsa,
        AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384),
    chacha(suites::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
           "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "DHE-RSA-CHACHA20-POLY1305",
           KeyExchange::dhe, Authentication::rsa),
    gcm(suites::TLS_RSA_WITH_AES_128_GCM_SHA256, "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "AES128-GCM-SHA256", KeyExchange::rsa, Authentication::rsa, AeadAlgorithm::aes_128_gcm,
        HashAlgorithm::sha256),
    gcm(suites::TLS_RSA_WITH_AES_256_GCM_SHA384, "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "AES256-GCM-SHA384", KeyExchange::rsa, Authentication::rsa, AeadAlgorithm::aes_256_gcm,
        HashAlgorithm::sha384),
    // Every AEAD suite above is preferred to every CBC suite below (what
    // browsers do): CBC is here for peers and documents that need it.
    // Each ECDHE_ECDSA suite sits before its ECDHE_RSA twin, as in the AEAD
    // rows above.
    cbc(suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-ECDSA-AES128-SHA256", KeyExchange::ecdhe, Authentication::ecdsa, 16, HashAlgorithm::sha256,
        HashAlgorithm::sha256),
    cbc(suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-RSA-AES128-SHA256", KeyExchange::ecdhe, Authentication::rsa, 16, HashAlgorithm::sha256,
        HashAlgorithm::sha256),
    cbc(suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-ECDSA-AES256-SHA384", KeyExchange::ecdhe, Authentication::ecdsa, 32, HashAlgorithm::sha384,
        HashAlgorithm::sha384),
    cbc(suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-RSA-AES256-SHA384", KeyExchange::ecdhe, Authentication::rsa, 32, HashAlgorithm::sha384,
        HashAlgorithm::sha384),
    cbc(suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "ECDHE-ECDSA-AES128-SHA", KeyExchange::ecdhe, Authentication::ecdsa, 16, HashAlgorithm::sha1,
        HashAlgorithm::sha256),
    cbc(suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA",
        KeyExchange::ecdhe, Authentication::rsa, 16, HashAlgorithm::sha1, HashAlgorithm::sha256),
    cbc(suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "ECDHE-ECDSA-AES256-SHA", KeyExchange::ecdhe, Authentication::ecdsa, 32, HashAlgorithm::sha1,
        HashAlgorithm::sha256),
    cbc(suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA",
        KeyExchange::ecdhe, Authentication::rsa, 32, HashAlgorithm::sha1, HashAlgorithm::sha256),
    cbc(suites::TLS_RSA_WITH_AES_128_CBC_SHA256, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256",
        KeyExchange::rsa, Authentication::rsa, 16, HashAlgorithm::sha256, HashAlgorithm::sha256),
    cbc(suites::TLS_RSA_WITH_AES_256_CBC_SHA256, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256",
        KeyExchange::rsa, Authentication::rsa, 32, HashAlgorithm::sha256, HashAlgorithm::sha256),
    cbc(suites::TLS_RSA_WITH_AES_128_CBC_SHA, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", KeyExchange::rsa,
        Authentication::rsa, 16, HashAlgorithm::sha1, HashAlgorithm::sha256),
    cbc(suites::TLS_RSA_WITH_AES_256_CBC_SHA, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", KeyExchange::rsa,
        Authentication::rsa, 32, HashAlgorithm::sha1, HashAlgorithm::sha256),
};

std::string unknown_hex(uint16_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "unknown(0x%04x)", value);
  return text;
}

constexpr std::array kSignatureSchemes = {
    SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha256, "rsa_pss_rsae_sha256",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha256, true},
    SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha384, "rsa_pss_rsae_sha384",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha384, true},
    SignatureSchemeInfo{SignatureScheme::rsa_pss_rsae_sha512, "rsa_pss_rsae_sha512",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha512, true},
    SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha256, "rsa_pkcs1_sha256",
                        SignatureAlgorithm::rsa_pkcs1, HashAlgorithm::sha256, true},
    SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha384, "rsa_pkcs1_sha384",
                        SignatureAlgorithm::rsa_pkcs1, HashAlgorithm::sha384, true},
    SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha512, "rsa_pkcs1_sha512",
                        SignatureAlgorithm::rsa_pkcs1, HashAlgorithm::sha512, true},
    SignatureSchemeInfo{SignatureScheme::ed25519, "ed25519", SignatureAlgorithm::ed25519,
                        std::nullopt, true},
    SignatureSchemeInfo{SignatureScheme::ecdsa_secp256r1_sha256, "ecdsa_secp256r1_sha256",
                        SignatureAlgorithm::ecdsa, HashAlgorithm::sha256, true},
    SignatureSchemeInfo{SignatureScheme::ecdsa_secp384r1_sha384, "ecdsa_secp384r1_sha384",
                        SignatureAlgorithm::ecdsa, HashAlgorithm::sha384, true},
    // In TLS 1.2 the two bytes are only hash + ecdsa (RFC 5246 §7.4.1.4.1):
    // 0x0603 is sha512 + ecdsa whatever the curve (its name, from RFC 8446,
    // binds P-521 in TLS 1.3 alone), and 0x0303 sha224 + ecdsa.
    SignatureSchemeInfo{SignatureScheme::ecdsa_secp521r1_sha512, "ecdsa_secp521r1_sha512",
                        SignatureAlgorithm::ecdsa, HashAlgorithm::sha512, true},
    SignatureSchemeInfo{SignatureScheme::ecdsa_sha224, "ecdsa_sha224", SignatureAlgorithm::ecdsa,
                        HashAlgorithm::sha224, true},
    // Known by name only: printed in traces, never negotiated.
    SignatureSchemeInfo{SignatureScheme::rsa_pkcs1_sha1, "rsa_pkcs1_sha1",
                        SignatureAlgorithm::rsa_pkcs1, std::nullopt, false},
    SignatureSchemeInfo{SignatureScheme::ecdsa_sha1, "ecdsa_sha1", SignatureAlgorithm::ecdsa,
                        std::nullopt, false},
    SignatureSchemeInfo{SignatureScheme::ed448, "ed448", SignatureAlgorithm::other, std::nullopt,
                        false},
    SignatureSchemeInfo{SignatureScheme::rsa_pss_pss_sha256, "rsa_pss_pss_sha256",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha256, false},
    SignatureSchemeInfo{SignatureScheme::rsa_pss_pss_sha384, "rsa_pss_pss_sha384",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha384, false},
    SignatureSchemeInfo{SignatureScheme::rsa_pss_pss_sha512, "rsa_pss_pss_sha512",
                        SignatureAlgorithm::rsa_pss, HashAlgorithm::sha512, false},
};

constexpr std::array kSupportedSchemes = {
    SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pss_rsae_sha512, SignatureScheme::rsa_pkcs1_sha256,
    SignatureScheme::rsa_pkcs1_sha384,    SignatureScheme::rsa_pkcs1_sha512,
    SignatureScheme::ed25519,          SignatureScheme::ecdsa_secp256r1_sha256,
    SignatureScheme::ecdsa_secp384r1_sha384, SignatureScheme::ecdsa_secp521r1_sha512,
    SignatureScheme::ecdsa_sha224,
};

struct GroupName {
  NamedGroup group;
  std::string_view name;
};
constexpr std::array kGroupNames = {
    GroupName{NamedGroup::secp256r1, "secp256r1"}, GroupName{NamedGroup::secp384r1, "secp384r1"},
    GroupName{NamedGroup::secp521r1, "secp521r1"}, GroupName{NamedGroup::x25519, "x25519"},
    GroupName{NamedGroup::x448, "x448"},           GroupName{NamedGroup::ffdhe2048, "ffdhe2048"},
    GroupName{NamedGroup::ffdhe3072, "ffdhe3072"}, GroupName{NamedGroup::ffdhe4096, "ffdhe4096"},
};
// Other spellings of a group, accepted on input only (names print as above).
constexpr std::array kGroupAliases = {
    GroupName{NamedGroup::secp256r1, "P-256"},     GroupName{NamedGroup::secp256r1, "prime256v1"},
    GroupName{NamedGroup::secp384r1, "P-384"},     GroupName{NamedGroup::secp521r1, "P-521"},
};

constexpr std::array kSupportedGroups = {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::ffdhe2048,
                                         NamedGroup::ffdhe3072};

}  // namespace

std::span<const CipherSuiteInfo> all_cipher_suites() { return kSuites; }

const CipherSuiteInfo* find_cipher_suite(CipherSuite id) {
  for (const auto& suite : kSuites)
    if (suite.id == id) return &suite;
  return nullptr;
}

const CipherSuiteInfo* find_cipher_suite(std::string_view name) {
  for (const auto& suite : kSuites)
    if (x509::ascii_equal_ignoring_case(suite.name, name) || x509::ascii_equal_ignoring_case(suite.openssl_name, name))
      return &suite;
  return nullptr;
}

std::string cipher_suite_name(CipherSuite id) {
  if (const auto* suite = find_cipher_suite(id)) return std::string(suite->name);
  if (id == suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV) return "TLS_EMPTY_RENEGOTIATION_INFO_SCSV";
  if (id == suites::TLS_FALLBACK_SCSV) return "TLS_FALLBACK_SCSV";
  return unknown_hex(id);
}

std::span<const SignatureScheme> supported_signature_schemes() { return kSupportedSchemes; }

const SignatureSchemeInfo* find_signature_scheme(SignatureScheme scheme) {
  for (const auto& info : kSignatureSchemes)
    if (info.scheme == scheme) return &info;
  return nullptr;
}

const SignatureSchemeInfo* find_signature_scheme(std::string_view name) {
  for (const auto& info : kSignatureSchemes)
    if (x509::ascii_equal_ignoring_case(info.name, name)) return &info;
  return nullptr;
}

bool is_supported(SignatureScheme scheme) {
  const auto* info = find_signature_scheme(scheme);
  return info != nullptr && info->supported;
}

std::string signature_scheme_name(SignatureScheme scheme) {
  if (const auto* info = find_signature_scheme(scheme)) return std::string(info->name);
  return unknown_hex(static_cast<uint16_t>(scheme));
}

std::span<const NamedGroup> supported_groups() { return kSupportedGroups; }

bool is_supported(NamedGroup group) {
  for (NamedGroup g : kSupportedGroups)
    if (g == group) return true;
  return false;
}

bool is_ffdhe(NamedGroup group) {
  // RFC 7919 §2 reserves 256..511 for finite-field groups.
  auto value = static_cast<uint16_t>(group);
  return value >= 256 && value <= 511;
}

bool is_ecdhe_group(NamedGroup group) { return group == NamedGroup::x25519 || group == NamedGroup::secp256r1; }

std::string named_group_name(NamedGroup group) {
  for (const auto& entry : kGroupNames)
    if (entry.group == group) return std::string(entry.name);
  return "unknown(" + std::to_string(static_cast<uint16_t>(group)) + ")";
}

std::optional<NamedGroup> find_named_group(std::string_view name) {
  for (const auto& entry : kGroupNames)
    if (x509::ascii_equal_ignoring_case(entry.name, name)) return entry.group;
  for (const auto& entry : kGroupAliases)
    if (x509::ascii_equal_ignoring_case(entry.name, name)) return entry.group;
  return std::nullopt;
}

}  // namespace tls12::handshake
