// The cipher-suite table (RFC 5246 Appendix A.5, RFC 5288, RFC 5289, RFC 7905)
// checked entry by entry against OpenSSL's own table, and the signature-scheme
// and named-group registries (RFC 8446 §4.2.3, RFC 8422 §5.1.1, RFC 7919 §2).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>

#include <set>
#include <utility>

#include "handshake/cipher_suites.h"

namespace tls12::handshake {
namespace {

using crypto::AeadAlgorithm;
using crypto::HashAlgorithm;

class OpenSslCiphers : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = SSL_CTX_new(TLS_method());
    ASSERT_NE(ctx_, nullptr);
    ssl_ = SSL_new(ctx_);
    ASSERT_NE(ssl_, nullptr);
  }
  void TearDown() override {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
  }
  const SSL_CIPHER* find(CipherSuite id) const {
    const unsigned char bytes[2] = {static_cast<unsigned char>(id >> 8),
                                    static_cast<unsigned char>(id)};
    return SSL_CIPHER_find(ssl_, bytes);
  }
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

int kx_nid(KeyExchange kx) {
  switch (kx) {
    case KeyExchange::rsa: return NID_kx_rsa;
    case KeyExchange::dhe: return NID_kx_dhe;
    case KeyExchange::ecdhe: return NID_kx_ecdhe;
  }
  return NID_undef;
}

int cipher_nid(const CipherSuiteInfo& suite) {
  if (suite.is_cbc()) return suite.enc_key_length == 16 ? NID_aes_128_cbc : NID_aes_256_cbc;
  switch (suite.aead) {
    case AeadAlgorithm::aes_128_gcm: return NID_aes_128_gcm;
    case AeadAlgorithm::aes_256_gcm: return NID_aes_256_gcm;
    case AeadAlgorithm::chacha20_poly1305: return NID_chacha20_poly1305;
  }
  return NID_undef;
}

TEST_F(OpenSslCiphers, EveryEntryAgreesWithOpenSsl) {
  ASSERT_EQ(all_cipher_suites().size(), 23u);
  for (const auto& suite : all_cipher_suites()) {
    const SSL_CIPHER* c = find(suite.id);
    ASSERT_NE(c, nullptr) << suite.name;
    EXPECT_EQ(std::string_view(SSL_CIPHER_standard_name(c)), suite.name);
    EXPECT_EQ(std::string_view(SSL_CIPHER_get_name(c)), suite.openssl_name);
    EXPECT_EQ(SSL_CIPHER_get_kx_nid(c), kx_nid(suite.key_exchange)) << suite.name;
    EXPECT_EQ(SSL_CIPHER_get_auth_nid(c), suite.authentication == Authentication::rsa
                                              ? NID_auth_rsa
                                              : NID_auth_ecdsa)
        << suite.name;
    EXPECT_EQ(SSL_CIPHER_get_cipher_nid(c), cipher_nid(suite)) << suite.name;
    EXPECT_EQ(SSL_CIPHER_is_aead(c), !suite.is_cbc()) << suite.name;
    // Suites older than TLS 1.2 report MD5+SHA-1, their TLS 1.0 PRF; in
    // TLS 1.2 they use the default SHA-256 PRF (RFC 5246 §5).
    int digest = EVP_MD_get_type(SSL_CIPHER_get_handshake_digest(c));
    if (digest == NID_md5_sha1) digest = NID_sha256;
    EXPECT_EQ(digest, suite.prf_hash == HashAlgorithm::sha384 ? NID_sha384 : NID_sha256) << suite.name;
    const EVP_CIPHER* cipher = EVP_get_cipherbynid(SSL_CIPHER_get_cipher_nid(c));
    ASSERT_NE(cipher, nullptr);
    EXPECT_EQ(static_cast<size_t>(EVP_CIPHER_get_key_length(cipher)), suite.enc_key_length)
        << suite.name;
    if (suite.is_cbc()) {
      // RFC 5246 §6.3: MAC keys as long as the HMAC output, no fixed IV, a
      // 16-byte explicit IV per record.
      const int mac_nid = SSL_CIPHER_get_digest_nid(c);
      EXPECT_EQ(mac_nid, *suite.mac == HashAlgorithm::sha1     ? NID_sha1
                         : *suite.mac == HashAlgorithm::sha256 ? NID_sha256
                                                               : NID_sha384)
          << suite.name;
      EXPECT_EQ(suite.mac_key_length, crypto::digest_size(*suite.mac)) << suite.name;
      EXPECT_EQ(suite.fixed_iv_length, 0u) << suite.name;
      EXPECT_EQ(suite.record_iv_length, 16u) << suite.name;
      continue;
    }
    EXPECT_EQ(suite.mac_key_length, 0u) << suite.name;
    bool gcm = suite.aead != AeadAlgorithm::chacha20_poly1305;
    EXPECT_EQ(suite.fixed_iv_length, gcm ? size_t{EVP_GCM_TLS_FIXED_IV_LEN} : 12u) << suite.name;
    EXPECT_EQ(suite.record_iv_length, gcm ? size_t{EVP_GCM_TLS_EXPLICIT_IV_LEN} : 0u)
        << suite.name;
  }
}

// The server's preference follows the table: every AEAD suite comes before
// every CBC suite, so a client offering both never gets CBC.
TEST(CipherSuites, EveryAeadSuiteIsPreferredToEveryCbcSuite) {
  bool seen_cbc = false;
  for (const auto& suite : all_cipher_suites()) {
    if (suite.is_cbc()) {
      seen_cbc = true;
    } else {
      EXPECT_FALSE(seen_cbc) << suite.name << " comes after a CBC suite";
    }
  }
  EXPECT_TRUE(seen_cbc);
}

// The ECDHE_ECDSA CBC suites (RFC 8422, RFC 5289) are the ECDHE_RSA CBC
// suites with an ECDSA certificate: each sits right before its twin, which
// has the same key sizes, MAC and PRF.
TEST(CipherSuites, EcdsaCbcSuitesMirrorTheirEcdheRsaTwins) {
  const std::pair<CipherSuite, CipherSuite> twins[] = {
      {suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256},
      {suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384},
      {suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA},
      {suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA},
  };
  for (const auto& [ecdsa_id, rsa_id] : twins) {
    const auto* ecdsa = find_cipher_suite(ecdsa_id);
    const auto* rsa = find_cipher_suite(rsa_id);
    ASSERT_NE(ecdsa, nullptr) << cipher_suite_name(ecdsa_id);
    ASSERT_NE(rsa, nullptr);
    EXPECT_EQ(ecdsa + 1, rsa) << ecdsa->name << " is not right before " << rsa->name;
    EXPECT_EQ(ecdsa->authentication, Authentication::ecdsa);
    EXPECT_EQ(ecdsa->key_exchange, KeyExchange::ecdhe);
    EXPECT_TRUE(ecdsa->is_cbc());
    EXPECT_EQ(ecdsa->mac, rsa->mac);
    EXPECT_EQ(ecdsa->prf_hash, rsa->prf_hash);
    EXPECT_EQ(ecdsa->enc_key_length, rsa->enc_key_length);
  }
  EXPECT_EQ(find_cipher_suite("ECDHE-ECDSA-AES128-SHA")->id, 0xc009);
  EXPECT_EQ(find_cipher_suite("ECDHE-ECDSA-AES256-SHA")->id, 0xc00a);
  EXPECT_EQ(find_cipher_suite("ECDHE-ECDSA-AES128-SHA256")->id, 0xc023);
  EXPECT_EQ(find_cipher_suite("ECDHE-ECDSA-AES256-SHA384")->id, 0xc024);
  EXPECT_EQ(cipher_suite_name(0xc00a), "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
}

TEST(CipherSuites, IdsAndNamesAreUnique) {
  std::set<CipherSuite> ids;
  std::set<std::string_view> names;
  for (const auto& suite : all_cipher_suites()) {
    EXPECT_TRUE(ids.insert(suite.id).second) << suite.name;
    EXPECT_TRUE(names.insert(suite.name).second) << suite.name;
    EXPECT_TRUE(names.insert(suite.openssl_name).second) << suite.openssl_name;
  }
}

TEST(CipherSuites, LookupByIdAndByBothNames) {
  const auto* by_id = find_cipher_suite(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
  ASSERT_NE(by_id, nullptr);
  EXPECT_EQ(by_id->name, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(find_cipher_suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), by_id);
  EXPECT_EQ(find_cipher_suite("ECDHE-RSA-AES128-GCM-SHA256"), by_id);
  const auto* rsa = find_cipher_suite("AES256-GCM-SHA384");
  ASSERT_NE(rsa, nullptr);
  EXPECT_EQ(rsa->id, 0x009d);
  EXPECT_EQ(rsa->key_exchange, KeyExchange::rsa);
  EXPECT_EQ(rsa->prf_hash, HashAlgorithm::sha384);
  const auto* chacha = find_cipher_suite(suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);
  ASSERT_NE(chacha, nullptr);
  EXPECT_EQ(chacha->aead, AeadAlgorithm::chacha20_poly1305);
  EXPECT_EQ(chacha->fixed_iv_length, 12u);
  const auto* cbc = find_cipher_suite("ECDHE-RSA-AES128-SHA");
  ASSERT_NE(cbc, nullptr);
  EXPECT_EQ(cbc, find_cipher_suite(CipherSuite{0xc013}));
  EXPECT_EQ(cbc, find_cipher_suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"));
  EXPECT_EQ(cbc->mac, HashAlgorithm::sha1);
  EXPECT_EQ(find_cipher_suite("AES256-SHA384"), nullptr);  // no such suite
  EXPECT_EQ(find_cipher_suite(CipherSuite{0x000a}), nullptr);  // 3DES: not implemented
  EXPECT_EQ(find_cipher_suite("ecdhe-rsa-aes128-gcm-sha256"), by_id);  // names ignore case, as groups do
}

TEST(CipherSuites, NamesOfSignallingAndUnknownValues) {
  EXPECT_EQ(cipher_suite_name(suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV),
            "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  EXPECT_EQ(cipher_suite_name(suites::TLS_FALLBACK_SCSV), "TLS_FALLBACK_SCSV");
  EXPECT_EQ(cipher_suite_name(0x009c), "TLS_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(cipher_suite_name(0xc013), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_EQ(cipher_suite_name(0x000a), "unknown(0x000a)");
  EXPECT_EQ(find_cipher_suite(suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV), nullptr);
}

TEST(SignatureSchemes, CodePointsAreHashThenSignature) {
  // RFC 5246 §7.4.1.4.1: sha256(4) + rsa(1), sha384(5) + rsa(1), sha1(2) + ecdsa(3).
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::rsa_pkcs1_sha256), 0x0401);
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::rsa_pkcs1_sha384), 0x0501);
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::ecdsa_sha1), 0x0203);
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::ecdsa_sha224), 0x0303);                    // sha224(3) + ecdsa(3)
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::ecdsa_secp521r1_sha512), 0x0603);          // sha512(6) + ecdsa(3)
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::rsa_pss_rsae_sha256), 0x0804);
  EXPECT_EQ(static_cast<uint16_t>(SignatureScheme::ed25519), 0x0807);
}

TEST(SignatureSchemes, SupportedOnesHaveTheirHash) {
  ASSERT_EQ(supported_signature_schemes().size(), 11u);
  for (SignatureScheme s : supported_signature_schemes()) {
    const auto* info = find_signature_scheme(s);
    ASSERT_NE(info, nullptr);
    EXPECT_TRUE(info->supported) << info->name;
    EXPECT_TRUE(is_supported(s));
    EXPECT_EQ(find_signature_scheme(info->name), info);
  }
  EXPECT_EQ(find_signature_scheme(SignatureScheme::rsa_pss_rsae_sha384)->hash,
            HashAlgorithm::sha384);
  EXPECT_EQ(find_signature_scheme(SignatureScheme::rsa_pkcs1_sha512)->algorithm,
            SignatureAlgorithm::rsa_pkcs1);
  EXPECT_EQ(find_signature_scheme(SignatureScheme::ed25519)->hash, std::nullopt);
  EXPECT_EQ(find_signature_scheme(SignatureScheme::ecdsa_secp256r1_sha256)->hash, HashAlgorithm::sha256);
  EXPECT_EQ(find_signature_scheme(SignatureScheme::ecdsa_secp384r1_sha384)->hash, HashAlgorithm::sha384);
  EXPECT_TRUE(is_supported(SignatureScheme::ecdsa_secp256r1_sha256));
  EXPECT_TRUE(is_supported(SignatureScheme::ecdsa_secp384r1_sha384));
  // sha512 + ecdsa and sha224 + ecdsa (TLS 1.2 does not bind the curve).
  EXPECT_EQ(find_signature_scheme(SignatureScheme::ecdsa_secp521r1_sha512)->hash, HashAlgorithm::sha512);
  EXPECT_EQ(find_signature_scheme(SignatureScheme::ecdsa_sha224)->hash, HashAlgorithm::sha224);
  EXPECT_EQ(find_signature_scheme("ecdsa_sha224")->scheme, SignatureScheme::ecdsa_sha224);
  EXPECT_TRUE(is_supported(SignatureScheme::ecdsa_secp521r1_sha512));
  EXPECT_TRUE(is_supported(SignatureScheme::ecdsa_sha224));
}

TEST(SignatureSchemes, NamedOnlyAndUnknown) {
  EXPECT_FALSE(is_supported(SignatureScheme::rsa_pkcs1_sha1));
  EXPECT_FALSE(is_supported(SignatureScheme::ecdsa_sha1));
  EXPECT_FALSE(is_supported(SignatureScheme::ed448));
  EXPECT_EQ(signature_scheme_name(SignatureScheme::rsa_pkcs1_sha1), "rsa_pkcs1_sha1");
  EXPECT_EQ(signature_scheme_name(static_cast<SignatureScheme>(0x0102)), "unknown(0x0102)");
  EXPECT_FALSE(is_supported(static_cast<SignatureScheme>(0x0102)));
  EXPECT_EQ(find_signature_scheme("rsa_pkcs1_md5"), nullptr);
}

TEST(NamedGroups, ValuesNamesAndSupport) {
  EXPECT_EQ(static_cast<uint16_t>(NamedGroup::x25519), 29);
  EXPECT_EQ(static_cast<uint16_t>(NamedGroup::secp256r1), 23);
  EXPECT_EQ(static_cast<uint16_t>(NamedGroup::ffdhe2048), 256);
  EXPECT_EQ(static_cast<uint16_t>(NamedGroup::ffdhe3072), 257);
  EXPECT_EQ(supported_groups().size(), 4u);
  EXPECT_EQ(supported_groups()[0], NamedGroup::x25519);
  EXPECT_EQ(supported_groups()[1], NamedGroup::secp256r1);
  EXPECT_TRUE(is_supported(NamedGroup::ffdhe3072));
  EXPECT_TRUE(is_supported(NamedGroup::secp256r1));
  EXPECT_FALSE(is_supported(NamedGroup::secp384r1));
  EXPECT_TRUE(is_ecdhe_group(NamedGroup::secp256r1));
  EXPECT_TRUE(is_ecdhe_group(NamedGroup::x25519));
  EXPECT_FALSE(is_ecdhe_group(NamedGroup::secp384r1));
  EXPECT_FALSE(is_ecdhe_group(NamedGroup::ffdhe2048));
  EXPECT_TRUE(is_ffdhe(NamedGroup::ffdhe2048));
  EXPECT_FALSE(is_ffdhe(NamedGroup::x25519));
  EXPECT_EQ(named_group_name(NamedGroup::secp256r1), "secp256r1");
  EXPECT_EQ(named_group_name(static_cast<NamedGroup>(42)), "unknown(42)");
  EXPECT_EQ(find_named_group("x25519"), NamedGroup::x25519);
  EXPECT_EQ(find_named_group("brainpoolP256r1"), std::nullopt);
}

TEST(NamedGroups, OtherSpellingsOfP256InAnyCase) {
  for (const char* name : {"secp256r1", "SECP256R1", "P-256", "p-256", "prime256v1", "PRIME256V1"})
    EXPECT_EQ(find_named_group(name), NamedGroup::secp256r1) << name;
  EXPECT_EQ(find_named_group("X25519"), NamedGroup::x25519);
  EXPECT_EQ(find_named_group("FFDHE2048"), NamedGroup::ffdhe2048);
  EXPECT_EQ(find_named_group("P256"), std::nullopt);
  // Names print in the RFC spelling whatever was typed.
  EXPECT_EQ(named_group_name(*find_named_group("prime256v1")), "secp256r1");
}

}  // namespace
}  // namespace tls12::handshake
