// The generic Wycheproof runner: every *.json in tls12::test::wycheproof_dir()
// (override with TLS12_WYCHEPROOF_DIR) becomes one test case, run through the
// handler registered for its (schema, algorithm). Each file prints one line of
// passed / failed / skipped counts with the reasons for skips, and a failure
// names the file and the tcId. The machinery is in tests/support/wycheproof.h;
// this file holds the handlers, one per schema, each saying what "accepted"
// means for that primitive. docs/testing.md lists what each file checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "crypto/aead.h"
#include "crypto/aes.h"
#include "crypto/ecdh.h"
#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/hmac.h"
#include "crypto/rsa.h"
#include "crypto/sha2.h"
#include "crypto/x25519.h"
#include "tests/support/test_support.h"
#include "tests/support/wycheproof.h"
#include "x509/der.h"
#include "x509/ec_keys.h"
#include "x509/keys.h"

namespace tls12::crypto {
namespace {

using test::wycheproof::accepted;
using test::wycheproof::Check;
using test::wycheproof::GroupRunner;
using test::wycheproof::hex_field;
using test::wycheproof::Json;
using test::wycheproof::rejected;
using test::wycheproof::skip_group;
using test::wycheproof::skipped;
using test::wycheproof::wrong_output;

// ---------------------------------------------------------------------------
// aead_test_schema_v1: AES-GCM (every implementation this CPU can run) and
// ChaCha20-Poly1305. A valid case must seal to exactly ct || tag and open back
// to msg; an invalid one must fail to open and leave zeros (aead.h promises no
// unauthenticated plaintext is released).

// Runs one test case against one implementation.
Check check_aead(const Aead& aead, const Json& test) {
  const Bytes iv = hex_field(test, "iv"), aad = hex_field(test, "aad"), msg = hex_field(test, "msg");
  const Bytes ct = hex_field(test, "ct"), tag = hex_field(test, "tag");
  const std::string variant(aead.implementation());
  Aead::Nonce nonce(iv.data(), Aead::nonce_size);
  std::span<const uint8_t, Aead::tag_size> expected_tag(tag.data(), Aead::tag_size);

  if (test.at("result") == "valid") {
    Bytes sealed = msg;
    std::array<uint8_t, Aead::tag_size> sealed_tag{};
    aead.seal(nonce, aad, sealed, sealed_tag);
    if (sealed != ct) return wrong_output("seal gave ciphertext " + to_hex(sealed), variant);
    if (!std::equal(sealed_tag.begin(), sealed_tag.end(), tag.begin()))
      return wrong_output("seal gave tag " + to_hex(sealed_tag), variant);
  }
  if (ct.size() != msg.size()) return wrong_output("vector has ct and msg of different sizes", variant);
  Bytes opened = ct;
  if (!aead.open(nonce, aad, opened, expected_tag)) {
    if (std::any_of(opened.begin(), opened.end(), [](uint8_t b) { return b != 0; }))
      return wrong_output("open failed but left non-zero bytes in the buffer", variant);
    return rejected("tag does not verify", variant);
  }
  if (opened != msg) return wrong_output("open gave plaintext " + to_hex(opened), variant);
  return accepted(variant);
}

std::optional<AeadAlgorithm> aead_for(const std::string& algorithm, size_t key_size) {
  if (algorithm == "AES-GCM" && key_size == 16) return AeadAlgorithm::aes_128_gcm;
  if (algorithm == "AES-GCM" && key_size == 32) return AeadAlgorithm::aes_256_gcm;
  if (algorithm == "CHACHA20-POLY1305" && key_size == 32) return AeadAlgorithm::chacha20_poly1305;
  return std::nullopt;
}

GroupRunner aead_handler(const std::string& algorithm, const Json& group) {
  const size_t iv_bits = group.at("ivSize"), tag_bits = group.at("tagSize"), key_bits = group.at("keySize");
  // TLS 1.2 builds every AEAD nonce as 12 bytes (RFC 5288 §3, RFC 7905 §2) and
  // uses full 16-byte tags, so the interface takes exactly those sizes.
  if (iv_bits != Aead::nonce_size * 8) return skip_group("IV not 96 bits (TLS and the Aead interface use 96)");
  if (tag_bits != Aead::tag_size * 8) return skip_group("tag not 128 bits (TLS and the Aead interface use 128)");
  if (!aead_for(algorithm, key_bits / 8))
    return skip_group(algorithm + " with a " + std::to_string(key_bits) + "-bit key (no TLS suite uses it)");
  const AeadAlgorithm alg = *aead_for(algorithm, key_bits / 8);

  // Every engine of the algorithm this CPU can run, each checked on its own.
  std::vector<AeadImplementation> impls;
  for (auto impl : {AeadImplementation::reference, AeadImplementation::aesni, AeadImplementation::vaes,
                    AeadImplementation::avx2})
    if (aead_implementation_available(alg, impl)) impls.push_back(impl);
  return [alg, impls](const Json& test) {
    const Bytes key = hex_field(test, "key");
    if (hex_field(test, "iv").size() != Aead::nonce_size || hex_field(test, "tag").size() != Aead::tag_size)
      return std::vector<Check>{skipped("IV or tag size differs from the group's")};
    std::vector<Check> checks;
    for (auto impl : impls) checks.push_back(check_aead(*make_aead(alg, key, impl), test));
    return checks;
  };
}

// ---------------------------------------------------------------------------
// mac_test_schema_v1: HMAC-SHA1 and HMAC-SHA-256/384/512. A tag of tagSize bits is the first
// tagSize/8 bytes of the HMAC (truncated tags, RFC 2104 §5); the comparison is
// the constant-time one the record layer uses.

std::optional<HashAlgorithm> hash_from_name(const std::string& name) {
  if (name == "HMACSHA1") return HashAlgorithm::sha1;  // the CBC suites' record MAC only
  if (name == "SHA-256" || name == "HMACSHA256") return HashAlgorithm::sha256;
  if (name == "SHA-384" || name == "HMACSHA384") return HashAlgorithm::sha384;
  if (name == "SHA-512" || name == "HMACSHA512") return HashAlgorithm::sha512;
  return std::nullopt;
}

GroupRunner mac_handler(const std::string& algorithm, const Json& group) {
  const size_t tag_bits = group.at("tagSize");
  const auto alg = hash_from_name(algorithm);
  if (!alg) return skip_group(algorithm + " not implemented");
  if (tag_bits % 8 != 0) return skip_group("tag of " + std::to_string(tag_bits) + " bits is not whole bytes");
  return [alg = *alg, tag_bytes = tag_bits / 8](const Json& test) {
    const Bytes tag = hex_field(test, "tag");
    const Bytes full = hmac(alg, hex_field(test, "key"), hex_field(test, "msg"));
    if (tag_bytes > full.size()) return std::vector<Check>{skipped("tag longer than the HMAC output")};
    if (tag.size() != tag_bytes) return std::vector<Check>{rejected("tag length differs from tagSize")};
    if (!constant_time_equal(ByteView(full).first(tag_bytes), tag))
      return std::vector<Check>{rejected("tag differs")};
    return std::vector<Check>{accepted()};
  };
}

// ---------------------------------------------------------------------------
// ind_cpa_test_schema(_v1): AES-CBC with PKCS#5/7 padding (crypto/aes.h). A valid
// case must encrypt msg to exactly ct and decrypt back; an invalid one (bad
// padding, empty or partial ciphertext) must be refused by decryption.

GroupRunner aes_cbc_pkcs5_handler(const Json& group) {
  const size_t key_bits = group.at("keySize"), iv_bits = group.at("ivSize");
  if (key_bits != 128 && key_bits != 256)
    return skip_group("AES-" + std::to_string(key_bits) + " (no TLS suite uses it)");
  if (iv_bits != 128) return skip_group("IV not 128 bits");
  return [](const Json& test) {
    const Bytes key = hex_field(test, "key"), iv = hex_field(test, "iv");
    const Bytes msg = hex_field(test, "msg"), ct = hex_field(test, "ct");
    if (test.at("result") == "valid" && aes_cbc_pkcs7_encrypt(key, iv, msg) != ct)
      return std::vector<Check>{wrong_output("encryption gave " + to_hex(aes_cbc_pkcs7_encrypt(key, iv, msg)))};
    try {
      const SecretBytes opened = aes_cbc_pkcs7_decrypt(key, iv, ct);
      if (!std::equal(opened.begin(), opened.end(), msg.begin(), msg.end()))
        return std::vector<Check>{wrong_output("decryption gave " + to_hex(opened))};
      return std::vector<Check>{accepted()};
    } catch (const std::runtime_error& e) {
      return std::vector<Check>{rejected(e.what())};
    }
  };
}

// ---------------------------------------------------------------------------
// xdh_comp_schema_v1: X25519. Our x25519() refuses an all-zero shared secret
// (RFC 7748 §6.1, RFC 8422 §5.11); Wycheproof marks those cases "acceptable"
// (flag ZeroSharedSecret), so refusing them is allowed and the report shows
// that we did. Any secret we do compute must match the file's exactly.

GroupRunner xdh_handler(const Json& group) {
  const std::string curve = group.at("curve");
  if (curve != "curve25519") return skip_group("curve " + curve + " not implemented");
  return [](const Json& test) {
    const Bytes private_key = hex_field(test, "private"), peer = hex_field(test, "public");
    std::array<uint8_t, 32> shared{};
    bool ok = false;
    try {
      ok = x25519(private_key, peer, shared);
    } catch (const std::invalid_argument& e) {
      return std::vector<Check>{rejected(e.what())};
    }
    if (!ok) return std::vector<Check>{rejected("all-zero shared secret")};
    if (to_hex(shared) != test.at("shared").get<std::string>())
      return std::vector<Check>{wrong_output("shared secret " + to_hex(shared))};
    return std::vector<Check>{accepted()};
  };
}

// ---------------------------------------------------------------------------
// eddsa_verify_schema_v1: Ed25519 verification (libsodium's strict checks; see
// crypto/ed25519.h and docs/testing.md for how they line up with the file).

GroupRunner eddsa_handler(const Json& group) {
  const Json& key = group.at("publicKey");
  const std::string curve = key.at("curve");
  if (curve != "edwards25519") return skip_group("curve " + curve + " not implemented");
  return [public_key = hex_field(key, "pk")](const Json& test) {
    const bool ok = ed25519_verify(public_key, hex_field(test, "msg"), hex_field(test, "sig"));
    return std::vector<Check>{ok ? accepted() : rejected("signature does not verify")};
  };
}

// ---------------------------------------------------------------------------
// RSA (RFC 8017): keys come from the group's hex components ("BigInt": big-endian,
// possibly with a leading zero byte). The module accepts 2048..4096-bit keys
// (1024 only for verification, when asked), so groups outside are skipped with
// the reason; a key inside that range that it refuses is a failure.

constexpr size_t min_bits = 2048, max_bits = 4096;

std::optional<std::string> rsa_size_outside_policy(const Json& group, size_t min) {
  const size_t key_bits = group.at("keySize");
  if (key_bits >= min && key_bits <= max_bits) return std::nullopt;
  return std::to_string(key_bits) + "-bit modulus outside the RSA module's " + std::to_string(min) + ".." +
         std::to_string(max_bits) + " policy";
}

// Whether the group's hash is one we have; the skip reason otherwise.
std::optional<std::string> unsupported_hash(const Json& group, const char* field = "sha") {
  const std::string name = group.at(field);
  if (hash_from_name(name)) return std::nullopt;
  return "hash " + name + " not implemented (TLS 1.2 signatures here use SHA-256/384/512)";
}

RsaPublicKey public_key_of(const Json& group) {
  const Json& key = group.at("publicKey");
  const size_t key_bits = group.at("keySize");
  const auto policy = key_bits < min_bits ? RsaKeyPolicy::allow_1024_for_verification : RsaKeyPolicy::standard;
  return RsaPublicKey::from_components(hex_field(key, "modulus"), hex_field(key, "publicExponent"), policy);
}

// Wycheproof's RSA signature-generation groups list only n, e and d; the
// module recovers p and q from them (RsaPrivateKey::from_n_e_d) and then
// checks the whole key as from_components does.
RsaPrivateKey private_key_of(const Json& group) {
  const Json& key = group.at("privateKey");
  const Bytes n = hex_field(key, "modulus"), e = hex_field(key, "publicExponent");
  const Bytes d = hex_field(key, "privateExponent");
  if (!key.contains("prime1")) return RsaPrivateKey::from_n_e_d(n, e, d);
  return RsaPrivateKey::from_components(n, e, d, hex_field(key, "prime1"), hex_field(key, "prime2"),
                                        hex_field(key, "exponent1"), hex_field(key, "exponent2"),
                                        hex_field(key, "coefficient"));
}

// rsaes_pkcs1_decrypt_schema_v1: the general PKCS#1 v1.5 decryption (not the
// TLS countermeasure, which never fails by design) must return exactly msg, or
// nothing for every kind of bad padding or ciphertext.
GroupRunner rsaes_pkcs1_handler(const Json& group) {
  if (auto reason = rsa_size_outside_policy(group, min_bits)) return skip_group(*reason);
  auto key = std::make_shared<RsaPrivateKey>(private_key_of(group));
  return [key](const Json& test) {
    const auto plain = rsaes_pkcs1_v15_decrypt(*key, hex_field(test, "ct"));
    if (!plain) return std::vector<Check>{rejected("decryption error")};
    if (Bytes(plain->begin(), plain->end()) != hex_field(test, "msg"))
      return std::vector<Check>{wrong_output("decrypted to " + to_hex(*plain))};
    return std::vector<Check>{accepted()};
  };
}

GroupRunner rsassa_pkcs1_verify_handler(const Json& group) {
  if (auto reason = unsupported_hash(group)) return skip_group(*reason);
  if (auto reason = rsa_size_outside_policy(group, 1024)) return skip_group(*reason);
  auto key = std::make_shared<RsaPublicKey>(public_key_of(group));
  const HashAlgorithm hash = *hash_from_name(group.at("sha"));
  return [key, hash](const Json& test) {
    const bool ok = rsassa_pkcs1_v15_verify(*key, hash, hex_field(test, "msg"), hex_field(test, "sig"));
    return std::vector<Check>{ok ? accepted() : rejected("signature does not verify")};
  };
}

GroupRunner rsassa_pss_verify_handler(const Json& group) {
  if (auto reason = unsupported_hash(group)) return skip_group(*reason);
  if (group.at("mgf") != "MGF1") return skip_group("mask generation function " + group.at("mgf").get<std::string>());
  // rsassa_pss_verify uses MGF1 over the message hash, as TLS's rsa_pss_rsae_* do.
  if (group.at("mgfSha") != group.at("sha")) return skip_group("MGF1 hash differs from the message hash");
  if (auto reason = rsa_size_outside_policy(group, 1024)) return skip_group(*reason);
  auto key = std::make_shared<RsaPublicKey>(public_key_of(group));
  const HashAlgorithm hash = *hash_from_name(group.at("sha"));
  const size_t salt_length = group.at("sLen");
  return [key, hash, salt_length](const Json& test) {
    const bool ok = rsassa_pss_verify(*key, hash, hex_field(test, "msg"), hex_field(test, "sig"), salt_length);
    return std::vector<Check>{ok ? accepted() : rejected("signature does not verify")};
  };
}

// rsassa_pkcs1_generate_schema_v1: PKCS#1 v1.5 signatures are deterministic, so
// ours must equal the file's byte for byte, and must verify.
GroupRunner rsassa_pkcs1_generate_handler(const Json& group) {
  if (auto reason = unsupported_hash(group)) return skip_group(*reason);
  if (auto reason = rsa_size_outside_policy(group, min_bits)) return skip_group(*reason);
  std::shared_ptr<RsaPrivateKey> key;
  std::string refusal;
  try {
    key = std::make_shared<RsaPrivateKey>(private_key_of(group));
  } catch (const std::invalid_argument& e) {
    refusal = e.what();  // e.g. a small public exponent: judged per test below
  }
  const HashAlgorithm hash = *hash_from_name(group.at("sha"));
  return [key, hash, refusal](const Json& test) {
    if (!key) return std::vector<Check>{rejected("key refused: " + refusal)};
    const Bytes msg = hex_field(test, "msg");
    const Bytes sig = rsassa_pkcs1_v15_sign(*key, hash, msg);
    if (sig != hex_field(test, "sig")) return std::vector<Check>{wrong_output("signature " + to_hex(sig))};
    if (!rsassa_pkcs1_v15_verify(key->public_key(), hash, msg, sig))
      return std::vector<Check>{wrong_output("our own signature does not verify")};
    return std::vector<Check>{accepted()};
  };
}

// ---------------------------------------------------------------------------
// ecdh_test_schema_v1: ECDH on P-256 (crypto/ecdh.h). The peer's key comes as
// a DER SubjectPublicKeyInfo, read by x509/ec_keys.h, which accepts only the
// named curve and the uncompressed point: so explicit parameters
// ("UnnamedCurve", "ModifiedGenerator"...) and compressed points, which the
// file marks acceptable, are refused, as are all of its invalid ASN.1
// variants. A secret we do compute must equal the file's.

GroupRunner ecdh_handler(const Json& group) {
  const std::string curve = group.at("curve");
  if (curve != "secp256r1") return skip_group("ECDH on " + curve + " not implemented (P-256 only)");
  return [](const Json& test) {
    Bytes peer;
    try {
      const x509::EcPublicKey key = x509::parse_ec_subject_public_key_info(hex_field(test, "public"));
      if (key.curve != x509::EcCurve::p256) throw std::runtime_error("not a P-256 key");
      peer = key.point;
    } catch (const std::exception& e) {
      return std::vector<Check>{rejected(std::string("public key refused: ") + e.what())};
    }
    // The private key is a BigInt: strip sign and leading zero octets, pad to 32.
    Bytes d = hex_field(test, "private");
    d.erase(d.begin(), std::find_if(d.begin(), d.end(), [](uint8_t b) { return b != 0; }));
    if (d.size() > 32) return std::vector<Check>{rejected("private key longer than 32 bytes")};
    d.insert(d.begin(), 32 - d.size(), 0);
    std::array<uint8_t, 32> shared{};
    if (!p256_ecdh(d, peer, shared)) return std::vector<Check>{rejected("ECDH refused the point")};
    if (to_hex(shared) != test.at("shared").get<std::string>())
      return std::vector<Check>{wrong_output("shared secret " + to_hex(shared))};
    return std::vector<Check>{accepted()};
  };
}

// ecdsa_verify_schema_v1: ECDSA P-256 verification (crypto/ecdsa.h) with the
// strict DER of Ecdsa-Sig-Value, so every BER variant the file lists is
// refused.
GroupRunner ecdsa_verify_handler(const Json& group) {
  const Json& key = group.at("publicKey");
  const std::string curve = key.at("curve");
  if (curve != "secp256r1") return skip_group("ECDSA on " + curve + " not implemented (P-256 only)");
  if (auto reason = unsupported_hash(group)) return skip_group(*reason);
  const HashAlgorithm hash = *hash_from_name(group.at("sha"));
  return [public_key = hex_field(key, "uncompressed"), hash](const Json& test) {
    const bool ok = ecdsa_p256_verify(public_key, hash, hex_field(test, "msg"), hex_field(test, "sig"));
    return std::vector<Check>{ok ? accepted() : rejected("signature does not verify")};
  };
}

// ---------------------------------------------------------------------------
// The registry: (schema, algorithm) -> handler.

const test::wycheproof::Registry& registry() {
  static const test::wycheproof::Registry instance = [] {
    test::wycheproof::Registry r;
    for (std::string alg : {"AES-GCM", "CHACHA20-POLY1305"})
      r.add("aead_test_schema_v1", alg, [alg](const Json& g) { return aead_handler(alg, g); });
    // The schema is named with and without _v1 in the two Wycheproof layouts.
    for (std::string schema : {"ind_cpa_test_schema", "ind_cpa_test_schema_v1"})
      r.add(schema, "AES-CBC-PKCS5", aes_cbc_pkcs5_handler);
    for (std::string alg : {"HMACSHA1", "HMACSHA256", "HMACSHA384", "HMACSHA512"})
      r.add("mac_test_schema_v1", alg, [alg](const Json& g) { return mac_handler(alg, g); });
    r.add("xdh_comp_schema_v1", "XDH", xdh_handler);
    r.add("eddsa_verify_schema_v1", "EDDSA", eddsa_handler);
    r.add("rsaes_pkcs1_decrypt_schema_v1", "RSAES-PKCS1-v1_5", rsaes_pkcs1_handler);
    r.add("rsassa_pkcs1_verify_schema_v1", "RSASSA-PKCS1-v1_5", rsassa_pkcs1_verify_handler);
    r.add("rsassa_pss_verify_schema_v1", "RSASSA-PSS", rsassa_pss_verify_handler);
    r.add("rsassa_pkcs1_generate_schema_v1", "RSASSA-PKCS1-v1_5", rsassa_pkcs1_generate_handler);
    r.add("ecdh_test_schema_v1", "ECDH", ecdh_handler);
    r.add("ecdsa_verify_schema_v1", "ECDSA", ecdsa_verify_handler);
    return r;
  }();
  return instance;
}

// ---------------------------------------------------------------------------
// One test case per vector file.

// The parameter is a path; printing only its file name keeps test names and
// CTest listings short.
struct VectorFile {
  std::filesystem::path path;
};
void PrintTo(const VectorFile& file, std::ostream* out) { *out << file.path.filename().string(); }

std::vector<VectorFile> vector_files() {
  std::vector<VectorFile> files;
  for (auto& path : test::wycheproof::list_vector_files(test::wycheproof_dir())) files.push_back({path});
  return files;
}

class WycheproofFile : public ::testing::TestWithParam<VectorFile> {};

TEST_P(WycheproofFile, AgreesWithExpectedResults) {
  const auto report = test::wycheproof::run_file(GetParam().path, registry());
  std::cout << report.summary() << std::flush;
  RecordProperty("passed", static_cast<int>(report.passed));
  RecordProperty("failed", static_cast<int>(report.failed));
  RecordProperty("skipped", static_cast<int>(report.skipped));
  EXPECT_GT(report.passed + report.failed + report.skipped, 0u) << report.file << " has no test cases";
  // Every failure is counted; the first few are spelled out (one broken
  // primitive would otherwise print hundreds of lines).
  constexpr size_t shown = 25;
  for (size_t i = 0; i < report.failures.size() && i < shown; ++i)
    ADD_FAILURE() << report.file << " " << report.failures[i];
  if (report.failures.size() > shown)
    ADD_FAILURE() << report.file << ": " << report.failures.size() - shown << " more failures not shown";
}

std::string test_name(const ::testing::TestParamInfo<VectorFile>& info) {
  std::string name = info.param.path.stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, WycheproofFile,
                         ::testing::ValuesIn(vector_files()), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(WycheproofFile);

// The files this runner was written for must be there: a missing or empty
// directory would otherwise pass by running nothing.
TEST(Wycheproof, KnownFilesArePresent) {
  const auto files = test::wycheproof::list_vector_files(test::wycheproof_dir());
  ASSERT_FALSE(files.empty()) << "no *.json in " << test::wycheproof_dir();
  std::set<std::string> names;
  for (const auto& f : files) names.insert(f.filename().string());
  for (const char* known :
       {"aes_gcm_test.json", "chacha20_poly1305_test.json", "x25519_test.json", "ed25519_test.json",
        "hmac_sha256_test.json", "hmac_sha384_test.json", "hmac_sha512_test.json", "rsa_pkcs1_2048_test.json",
        "rsa_pkcs1_2048_sig_gen_test.json", "rsa_signature_2048_sha256_test.json",
        "rsa_pss_2048_sha256_mgf1_32_test.json", "ecdh_secp256r1_test.json",
        "ecdsa_secp256r1_sha256_test.json"})
    EXPECT_TRUE(names.count(known)) << known << " missing from " << test::wycheproof_dir();
}

TEST(Wycheproof, SchemaNamesAndBigIntHex) {
  EXPECT_EQ(test::wycheproof::normalise_schema("aead_test_schema_v1.json"), "aead_test_schema_v1");
  EXPECT_EQ(test::wycheproof::normalise_schema("aead_test_schema_v1"), "aead_test_schema_v1");
  const Json object = {{"n", "10001"}, {"k", "00ff"}};
  EXPECT_EQ(hex_field(object, "n"), (Bytes{0x01, 0x00, 0x01}));  // odd digit count: leading zero
  EXPECT_EQ(hex_field(object, "k"), (Bytes{0x00, 0xff}));
  EXPECT_THROW(hex_field(object, "missing"), std::runtime_error);
}

// The runner itself must be able to fail: a handler that accepts everything,
// run over a real file with invalid cases, has to be caught.
TEST(Wycheproof, RunnerCountsDisagreementsAsFailures) {
  test::wycheproof::Registry accept_all;
  accept_all.add("mac_test_schema_v1", "HMACSHA256",
                 [](const Json&) -> GroupRunner { return [](const Json&) { return std::vector<Check>{accepted()}; }; });
  const auto report = test::wycheproof::run_file(test::wycheproof_dir() / "hmac_sha256_test.json", accept_all);
  EXPECT_GT(report.failed, 0u);
  EXPECT_GT(report.passed, 0u);
  EXPECT_EQ(report.failed, report.failures.size());

  const auto unhandled = test::wycheproof::run_file(test::wycheproof_dir() / "hmac_sha256_test.json",
                                                    test::wycheproof::Registry{});
  EXPECT_EQ(unhandled.passed, 0u);
  EXPECT_EQ(unhandled.failed, 0u);
  EXPECT_GT(unhandled.skipped, 0u);
}

}  // namespace
}  // namespace tls12::crypto
