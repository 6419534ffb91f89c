// Public and private key structures (RFC 5280 §4.1.2.7, RFC 8017 Appendix A,
// RFC 5208, RFC 8410, RFC 5480, RFC 5915) and signature verification with
// them; see keys.h.
// Encrypted PKCS#8 and passphrases live in pkcs8_encrypted.cpp.
#include "x509/keys.h"

#include <cctype>

#include "crypto/ed25519.h"
#include "x509/der.h"
#include "x509/ec_keys.h"
#include "x509/oid.h"
#include "x509/pem.h"

namespace tls12::x509 {

namespace {

struct AlgorithmIdentifier {
  std::string oid;
  ByteView parameters;  // the encoded parameters element, empty if absent
  size_t offset = 0;
};

// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }
AlgorithmIdentifier read_algorithm_identifier(DerReader& r, std::string_view what) {
  AlgorithmIdentifier id;
  id.offset = r.offset();
  DerReader seq = r.read_sequence(what);
  id.oid = seq.read_oid(what);
  if (!seq.empty()) id.parameters = seq.read_any().encoded;
  seq.expect_end(what);
  return id;
}

bool is_der_null(ByteView params) { return params.size() == 2 && params[0] == 0x05 && params[1] == 0x00; }

PublicKey ed25519_public_key_from(ByteView raw, size_t offset) {
  if (raw.size() != 32) throw DerError("Ed25519 public key must be 32 bytes", offset);
  Ed25519PublicKey key;
  std::copy(raw.begin(), raw.end(), key.bytes.begin());
  return key;
}

}  // namespace

PublicKey parse_subject_public_key_info(ByteView spki, crypto::RsaKeyPolicy policy) {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  DerReader outer(spki);
  DerReader r = outer.read_sequence("SubjectPublicKeyInfo");
  outer.expect_end("SubjectPublicKeyInfo");
  const AlgorithmIdentifier alg = read_algorithm_identifier(r, "SubjectPublicKeyInfo.algorithm");
  const size_t key_offset = r.offset();
  const ByteView key = r.read_bit_string_octets("subjectPublicKey");
  r.expect_end("SubjectPublicKeyInfo");
  if (alg.oid == oid::rsa_encryption) {
    // RFC 8017 A.1: parameters NULL; RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
    if (!is_der_null(alg.parameters)) throw DerError("rsaEncryption parameters must be NULL", alg.offset);
    DerReader kr(key, key_offset + 1);
    DerReader seq = kr.read_sequence("RSAPublicKey");
    kr.expect_end("RSAPublicKey");
    const ByteView n = seq.read_unsigned_integer("RSAPublicKey.modulus");
    const ByteView e = seq.read_unsigned_integer("RSAPublicKey.publicExponent");
    seq.expect_end("RSAPublicKey");
    return crypto::RsaPublicKey::from_components(n, e, policy);
  }
  if (alg.oid == oid::ed25519) {
    // RFC 8410 §3: the parameters MUST be absent.
    if (!alg.parameters.empty()) throw DerError("Ed25519 AlgorithmIdentifier must have no parameters", alg.offset);
    return ed25519_public_key_from(key, key_offset);
  }
  if (alg.oid == oid::ec_public_key) return ec_public_key_from(alg.parameters, key, alg.offset);
  if (alg.oid == oid::rsassa_pss) throw UnsupportedError("RSASSA-PSS-only public keys (id-RSASSA-PSS) are not supported");
  const std::string_view name = oid::name_of(alg.oid);
  throw UnsupportedError("unsupported public key algorithm " + alg.oid +
                         (name.empty() ? "" : " (" + std::string(name) + ")"));
}

std::string describe(const PublicKey& key) {
  if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key))
    return "RSA (" + std::to_string(rsa->bits()) + " bit)";
  if (const auto* ec = std::get_if<EcPublicKey>(&key)) return ec_curve_name(ec->curve);
  return "Ed25519";
}

PublicKey public_key_of(const PrivateKey& key) {
  if (const auto* rsa = std::get_if<crypto::RsaPrivateKey>(&key)) return rsa->public_key();
  if (const auto* ec = std::get_if<EcPrivateKey>(&key)) return EcPublicKey{EcCurve::p256, ec->public_point};
  Ed25519PublicKey pub;
  pub.bytes = std::get<Ed25519PrivateKey>(key).public_key;
  return pub;
}

bool same_public_key(const PublicKey& a, const PublicKey& b) {
  if (a.index() != b.index()) return false;
  if (const auto* ra = std::get_if<crypto::RsaPublicKey>(&a)) {
    const auto& rb = std::get<crypto::RsaPublicKey>(b);
    return ra->modulus() == rb.modulus() && ra->public_exponent() == rb.public_exponent();
  }
  if (const auto* ea = std::get_if<EcPublicKey>(&a)) {
    const auto& eb = std::get<EcPublicKey>(b);
    return ea->curve == eb.curve && ea->point == eb.point;
  }
  return std::get<Ed25519PublicKey>(a).bytes == std::get<Ed25519PublicKey>(b).bytes;
}

PrivateKey parse_pkcs1_rsa_private_key(ByteView der) {
  // RFC 8017 A.1.2: RSAPrivateKey ::= SEQUENCE { version (0 = two-prime),
  //   modulus, publicExponent, privateExponent, prime1, prime2, exponent1,
  //   exponent2, coefficient, otherPrimeInfos OPTIONAL }
  DerReader outer(der);
  DerReader r = outer.read_sequence("RSAPrivateKey");
  outer.expect_end("RSAPrivateKey");
  const size_t at = r.offset();
  const int64_t version = r.read_small_integer("RSAPrivateKey.version");
  if (version != 0) throw UnsupportedError("multi-prime RSA private keys (version " + std::to_string(version) +
                                           ") are not supported (at offset " + std::to_string(at) + ")");
  const ByteView n = r.read_unsigned_integer("modulus");
  const ByteView e = r.read_unsigned_integer("publicExponent");
  const ByteView d = r.read_unsigned_integer("privateExponent");
  const ByteView p = r.read_unsigned_integer("prime1");
  const ByteView q = r.read_unsigned_integer("prime2");
  const ByteView dp = r.read_unsigned_integer("exponent1");
  const ByteView dq = r.read_unsigned_integer("exponent2");
  const ByteView qinv = r.read_unsigned_integer("coefficient");
  r.expect_end("RSAPrivateKey");
  return crypto::RsaPrivateKey::from_components(n, e, d, p, q, dp, dq, qinv);
}

PrivateKey parse_pkcs8_private_key(ByteView der) {
  // RFC 5208 §5 / RFC 5958 §2: PrivateKeyInfo ::= SEQUENCE { version,
  //   privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING,
  //   attributes [0] IMPLICIT OPTIONAL, publicKey [1] IMPLICIT OPTIONAL (v2) }
  DerReader outer(der);
  DerReader r = outer.read_sequence("PrivateKeyInfo");
  outer.expect_end("PrivateKeyInfo");
  const size_t version_at = r.offset();
  const int64_t version = r.read_small_integer("PrivateKeyInfo.version");
  if (version != 0 && version != 1) throw DerError("PrivateKeyInfo.version must be 0 or 1", version_at);
  const AlgorithmIdentifier alg = read_algorithm_identifier(r, "privateKeyAlgorithm");
  const size_t key_at = r.offset();
  const ByteView key = r.read_octet_string("privateKey");
  if (r.next_is(TagClass::context_specific, 0)) r.read_any();  // attributes: ignored
  if (r.next_is(TagClass::context_specific, 1)) r.read_any();  // publicKey: recomputed instead
  r.expect_end("PrivateKeyInfo");
  if (alg.oid == oid::rsa_encryption) {
    if (!is_der_null(alg.parameters)) throw DerError("rsaEncryption parameters must be NULL", alg.offset);
    return parse_pkcs1_rsa_private_key(key);
  }
  if (alg.oid == oid::ed25519) {
    // RFC 8410 §7: privateKey holds CurvePrivateKey ::= OCTET STRING (the 32-byte seed).
    if (!alg.parameters.empty()) throw DerError("Ed25519 AlgorithmIdentifier must have no parameters", alg.offset);
    DerReader kr(key, key_at + 2);
    const ByteView seed = kr.read_octet_string("CurvePrivateKey");
    kr.expect_end("CurvePrivateKey");
    if (seed.size() != 32) throw DerError("Ed25519 private key must be 32 bytes", key_at);
    Ed25519PrivateKey out;
    out.seed.assign(seed.begin(), seed.end());
    out.public_key = crypto::ed25519_public_key(seed);
    return out;
  }
  // RFC 5915 §2: privateKey holds an ECPrivateKey; the curve is named in the
  // AlgorithmIdentifier (and perhaps again inside).
  if (alg.oid == oid::ec_public_key) return parse_ec_private_key(key, alg.parameters, key_at + 2);
  throw UnsupportedError("unsupported private key algorithm " + alg.oid);
}

namespace {

// The decoded blocks of a key file hold the private key in the clear; they are
// wiped however the parse ends (returned key, error or exception).
struct WipedPemBlocks {
  std::vector<PemBlock> blocks;
  ~WipedPemBlocks() {
    for (PemBlock& b : blocks) secure_zero(b.der.data(), b.der.size());
  }
};

}  // namespace

PrivateKey parse_sec1_ec_private_key(ByteView der) { return parse_ec_private_key(der); }

PrivateKey load_private_key_pem(std::string_view pem_text, const PassphraseSource& passphrase,
                                Pbes2Opening* opening) {
  const WipedPemBlocks parsed{parse_pem(pem_text)};
  for (const PemBlock& block : parsed.blocks) {
    if (block.label == "PRIVATE KEY") return parse_pkcs8_private_key(block.der);
    if (block.label == "RSA PRIVATE KEY") return parse_pkcs1_rsa_private_key(block.der);
    if (block.label == "ENCRYPTED PRIVATE KEY") {
      const SecretBytes secret = read_passphrase(passphrase);
      const SecretBytes info = decrypt_encrypted_private_key_info(block.der, secret, opening);
      return parse_pkcs8_private_key(info);
    }
    if (block.label == "EC PRIVATE KEY") return parse_sec1_ec_private_key(block.der);
  }
  throw std::runtime_error("no private key (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY) found");
}

namespace {

bool looks_like_pem(ByteView bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return text.find("-----BEGIN ") != std::string_view::npos;
}

}  // namespace

PrivateKey load_private_key(ByteView pem_or_der, const PassphraseSource& passphrase) {
  if (looks_like_pem(pem_or_der))
    return load_private_key_pem(std::string_view(reinterpret_cast<const char*>(pem_or_der.data()), pem_or_der.size()),
                                passphrase);
  // DER carries no label: the two encodings differ in their second field
  // (an AlgorithmIdentifier or the modulus), so the parsers tell them apart.
  try {
    return parse_pkcs8_private_key(pem_or_der);
  } catch (const std::exception&) {
  }
  try {
    return parse_pkcs1_rsa_private_key(pem_or_der);
  } catch (const std::exception&) {
  }
  try {
    return parse_sec1_ec_private_key(pem_or_der);
  } catch (const std::exception&) {
  }
  throw std::runtime_error(
      "not a private key (PEM, or DER of PKCS#8 PrivateKeyInfo, PKCS#1 RSAPrivateKey or SEC 1 ECPrivateKey)");
}

PrivateKey load_private_key_file(const std::filesystem::path& path, const PassphraseSource& passphrase) {
  std::string text = read_text_file(path);
  struct Wipe {
    std::string& s;
    ~Wipe() { secure_zero(s.data(), s.size()); }
  } wipe{text};
  try {
    return load_private_key_pem(text, passphrase);
  } catch (const UnsupportedError& e) {
    throw UnsupportedError(path.string() + ": " + e.what());
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

// ---- signatures -------------------------------------------------------------

std::string SignatureAlgorithm::name() const {
  const std::string h = std::string(crypto::hash_name(hash));
  switch (kind) {
    case Kind::rsa_pkcs1_v15: {
      std::string compact;
      for (char c : h)
        if (c != '-') compact += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return compact + "WithRSAEncryption";
    }
    case Kind::rsa_pss:
      return "RSASSA-PSS with " + h + " (salt " + std::to_string(salt_length) + ")";
    case Kind::ed25519:
      return "Ed25519";
    case Kind::ecdsa: {
      std::string compact;  // "ecdsa-with-SHA256"
      for (char c : h)
        if (c != '-') compact += c;
      return "ecdsa-with-" + compact;
    }
  }
  return "?";
}

bool verify_signature(const PublicKey& key, const SignatureAlgorithm& algorithm, ByteView message,
                      ByteView signature) {
  try {
    switch (algorithm.kind) {
      case SignatureAlgorithm::Kind::rsa_pkcs1_v15:
        if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key))
          return crypto::rsassa_pkcs1_v15_verify(*rsa, algorithm.hash, message, signature);
        return false;
      case SignatureAlgorithm::Kind::rsa_pss:
        if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key))
          return crypto::rsassa_pss_verify(*rsa, algorithm.hash, message, signature, algorithm.salt_length);
        return false;
      case SignatureAlgorithm::Kind::ed25519:
        if (const auto* ed = std::get_if<Ed25519PublicKey>(&key))
          return crypto::ed25519_verify(ed->bytes, message, signature);
        return false;
      case SignatureAlgorithm::Kind::ecdsa:
        if (const auto* ec = std::get_if<EcPublicKey>(&key)) return verify_ecdsa_signature(*ec, algorithm, message, signature);
        return false;
    }
  } catch (const std::exception&) {
    // A malformed signature (wrong length, not below n) is simply not valid.
  }
  return false;
}

}  // namespace tls12::x509
