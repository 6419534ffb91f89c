// The registries a TLS 1.2 handshake negotiates from: cipher suites
// (RFC 5246 §A.5 and Appendix C, RFC 5288 for AES-GCM, RFC 7905 for
// ChaCha20-Poly1305, RFC 4492/8422 for ECDHE), signature schemes (RFC 5246
// §7.4.1.4.1 SignatureAndHashAlgorithm, written with the RFC 8446 §4.2.3 code
// points, which are the same two bytes hash||signature) and named groups
// (RFC 8422 §5.1.1, RFC 7919 §2).
//
// A cipher suite is two bytes on the wire. The table below says what those two
// bytes mean: how the premaster secret is agreed (key exchange), how the server
// proves it owns its certificate (authentication), how records are protected
// (AEAD, or AES-CBC with an HMAC) and which hash the PRF uses (RFC 5246 §5:
// SHA-256 unless the suite names SHA-384). The AES-CBC suites (RFC 5246
// Appendix C, RFC 4492/5289 for ECDHE) have a MAC key; the AEAD suites none.
//
// Values that are not in a table (a suite we do not implement, a signature
// scheme or group we do not know) are still valid wire values: they decode into
// the enum by their number, the lookup just says "unknown".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "crypto/aead.h"
#include "crypto/sha2.h"

namespace tls12::handshake {

// ---------------------------------------------------------------- cipher suites

// CipherSuite (RFC 5246 §7.4.1.2): uint8 CipherSuite[2].
using CipherSuite = uint16_t;

namespace suites {
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xC02F;        // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xC030;        // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA8;  // RFC 7905
inline constexpr CipherSuite TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009C;              // RFC 5288
inline constexpr CipherSuite TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009D;              // RFC 5288
inline constexpr CipherSuite TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 = 0x009E;          // RFC 5288
inline constexpr CipherSuite TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009F;          // RFC 5288
inline constexpr CipherSuite TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCAA;    // RFC 7905
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xC02B;      // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xC02C;      // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xCCA9;  // RFC 7905
// Block-cipher suites: AES-CBC with HMAC (RFC 5246 §6.2.3.2).
inline constexpr CipherSuite TLS_RSA_WITH_AES_128_CBC_SHA = 0x002F;           // RFC 5246 Appendix C
inline constexpr CipherSuite TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035;           // RFC 5246 Appendix C
inline constexpr CipherSuite TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003C;        // RFC 5246 Appendix C
inline constexpr CipherSuite TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003D;        // RFC 5246 Appendix C
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xC013;     // RFC 8422
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xC014;     // RFC 8422
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xC027;  // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xC028;  // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xC009;     // RFC 8422
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xC00A;     // RFC 8422
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xC023;  // RFC 5289
inline constexpr CipherSuite TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xC024;  // RFC 5289

// Signalling values that travel in the cipher_suites list but are not suites.
// RFC 5746 §3.3: "I support secure renegotiation" from a client that sends no
// renegotiation_info extension.
inline constexpr CipherSuite TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00FF;
// RFC 7507 §2: the client is retrying with a lower version than it supports.
inline constexpr CipherSuite TLS_FALLBACK_SCSV = 0x5600;
}  // namespace suites

// KeyExchangeAlgorithm (RFC 5246 §7.4.3 and RFC 4492 §5.4): how the premaster
// secret is agreed, which decides the shape of ServerKeyExchange and
// ClientKeyExchange.
enum class KeyExchange {
  rsa,    // client encrypts a random premaster to the server's RSA key; no ServerKeyExchange
  dhe,    // finite-field ephemeral Diffie-Hellman (RFC 5246 §8.1.2, groups from RFC 7919)
  ecdhe,  // elliptic-curve ephemeral Diffie-Hellman (RFC 4492 §2.2, RFC 8422)
};

// The key type of the server certificate that signs ServerKeyExchange (or, for
// KeyExchange::rsa, decrypts the premaster secret).
enum class Authentication { rsa, ecdsa };

struct CipherSuiteInfo {
  CipherSuite id;
  std::string_view name;          // IANA/RFC name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
  std::string_view openssl_name;  // OpenSSL's name: "ECDHE-RSA-AES128-GCM-SHA256"
  KeyExchange key_exchange;
  Authentication authentication;
  // The AEAD; for a CBC suite, the AES-GCM of the same key size, which is
  // never used (`mac` says the suite is CBC).
  crypto::AeadAlgorithm aead;
  crypto::HashAlgorithm prf_hash;  // the hash of the PRF and of the Finished transcript
  // RFC 5246 §6.3 key_block sizes.
  size_t enc_key_length;    // 16 (AES-128) or 32 (AES-256, ChaCha20)
  size_t fixed_iv_length;   // 4 for GCM (RFC 5288 §3 salt), 12 for ChaCha20-Poly1305 (RFC 7905 §2), 0 for CBC
  size_t record_iv_length;  // explicit nonce per record: 8 for GCM, 0 for ChaCha20-Poly1305, 16 for CBC
  // The record MAC of a CBC suite (HMAC with SHA-1, SHA-256 or SHA-384);
  // nullopt for AEAD suites, whose mac_key_length is 0.
  std::optional<crypto::HashAlgorithm> mac;
  size_t mac_key_length;

  bool is_cbc() const { return mac.has_value(); }
};

// Every suite tls12 knows, in the server's order of preference.
std::span<const CipherSuiteInfo> all_cipher_suites();

// Lookups; nullptr (or nullopt) when the value is not one of ours.
const CipherSuiteInfo* find_cipher_suite(CipherSuite id);
// Accepts the RFC name or the OpenSSL name. Every name lookup here ignores
// ASCII case: "X25519" is x25519, as tools and users write it.
const CipherSuiteInfo* find_cipher_suite(std::string_view name);

// The RFC name, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"/"TLS_FALLBACK_SCSV" for the
// signalling values, or "unknown(0xc013)" for anything else.
std::string cipher_suite_name(CipherSuite id);

// ------------------------------------------------------------ signature schemes

// SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1) as one uint16: the high byte
// is the HashAlgorithm, the low byte the SignatureAlgorithm, e.g. sha256(4) +
// rsa(1) = 0x0401. RFC 8446 §4.2.3 gave these pairs names, which we use.
enum class SignatureScheme : uint16_t {
  rsa_pkcs1_sha1 = 0x0201,
  ecdsa_sha1 = 0x0203,
  ecdsa_sha224 = 0x0303,  // sha224(3) + ecdsa(3): RFC 5246 only, unnamed in RFC 8446
  rsa_pkcs1_sha256 = 0x0401,
  ecdsa_secp256r1_sha256 = 0x0403,
  rsa_pkcs1_sha384 = 0x0501,
  ecdsa_secp384r1_sha384 = 0x0503,
  rsa_pkcs1_sha512 = 0x0601,
  ecdsa_secp521r1_sha512 = 0x0603,  // in TLS 1.2 sha512 + ecdsa, on any curve
  rsa_pss_rsae_sha256 = 0x0804,
  rsa_pss_rsae_sha384 = 0x0805,
  rsa_pss_rsae_sha512 = 0x0806,
  ed25519 = 0x0807,
  ed448 = 0x0808,
  rsa_pss_pss_sha256 = 0x0809,
  rsa_pss_pss_sha384 = 0x080a,
  rsa_pss_pss_sha512 = 0x080b,
};

// How a scheme signs, for the code that verifies or creates the signature.
enum class SignatureAlgorithm { rsa_pkcs1, rsa_pss, ed25519, ecdsa, other };

struct SignatureSchemeInfo {
  SignatureScheme scheme;
  std::string_view name;        // "rsa_pss_rsae_sha256"
  SignatureAlgorithm algorithm;
  // The hash applied to the signed content (none for ed25519, which hashes
  // internally with SHA-512 as part of the signature scheme).
  std::optional<crypto::HashAlgorithm> hash;
  bool supported;  // tls12 can sign and verify with it
};

// Supported schemes in our order of preference (what we put in
// signature_algorithms): rsa_pss_rsae_sha256/384/512, rsa_pkcs1_sha256/384/512,
// ed25519, ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384,
// ecdsa_secp521r1_sha512 (sha512 + ecdsa), ecdsa_sha224.
std::span<const SignatureScheme> supported_signature_schemes();

// Known schemes (supported or named only); nullptr when unknown.
const SignatureSchemeInfo* find_signature_scheme(SignatureScheme scheme);
const SignatureSchemeInfo* find_signature_scheme(std::string_view name);
bool is_supported(SignatureScheme scheme);
// "rsa_pkcs1_sha256", or "unknown(0x0102)".
std::string signature_scheme_name(SignatureScheme scheme);

// ---------------------------------------------------------------- named groups

// NamedGroup (RFC 8422 §5.1.1, RFC 7919 §2), the values of supported_groups.
enum class NamedGroup : uint16_t {
  secp256r1 = 23,
  secp384r1 = 24,
  secp521r1 = 25,
  x25519 = 29,
  x448 = 30,
  ffdhe2048 = 256,
  ffdhe3072 = 257,
  ffdhe4096 = 258,
};

// Supported groups in our order of preference: x25519, secp256r1, ffdhe2048,
// ffdhe3072.
std::span<const NamedGroup> supported_groups();
bool is_supported(NamedGroup group);
// Whether the group is a finite-field (RFC 7919) group, used by DHE suites, as
// opposed to an elliptic curve, used by ECDHE suites.
bool is_ffdhe(NamedGroup group);
// Whether the group is an elliptic curve tls12 implements for ECDHE: x25519
// (RFC 8422 §5.11) or secp256r1 (NIST P-256, §5.10).
bool is_ecdhe_group(NamedGroup group);
// "x25519", "secp256r1", "ffdhe2048", or "unknown(42)".
std::string named_group_name(NamedGroup group);
// By the RFC name, in any case; secp256r1 also by the names of FIPS 186 and
// OpenSSL ("P-256", "prime256v1"), as `openssl -groups` and `-curves` take them.
std::optional<NamedGroup> find_named_group(std::string_view name);

}  // namespace tls12::handshake
