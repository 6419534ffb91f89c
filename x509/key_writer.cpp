// Key generation, SubjectPublicKeyInfo and PrivateKeyInfo encodings, and
// signing (RFC 5280 §4.1.2.7, RFC 5208 §5, RFC 8017 A.1, RFC 8410, RFC 5480,
// RFC 5915, RFC 5758); see key_writer.h.
#include "x509/key_writer.h"

#include <stdexcept>

#include "crypto/ecdsa.h"
#include "crypto/ed25519.h"
#include "crypto/p256.h"
#include "crypto/random.h"
#include "x509/der_writer.h"
#include "x509/oid.h"
#include "x509/pem.h"

namespace tls12::x509 {

namespace {

// AlgorithmIdentifier { rsaEncryption, NULL } (RFC 8017 A.1: parameters NULL).
void rsa_encryption_identifier(DerWriter& w) {
  w.sequence([](DerWriter& a) {
    a.oid(oid::rsa_encryption);
    a.null();
  });
}

// AlgorithmIdentifier { id-Ed25519 } (RFC 8410 §3: parameters absent).
void ed25519_identifier(DerWriter& w) {
  w.sequence([](DerWriter& a) { a.oid(oid::ed25519); });
}

// AlgorithmIdentifier { id-ecPublicKey, namedCurve } (RFC 5480 §2.1.1: PKIX
// MUST name the curve, never spell out its parameters).
void ec_public_key_identifier(DerWriter& w, EcCurve curve) {
  w.sequence([&](DerWriter& a) {
    a.oid(oid::ec_public_key);
    a.oid(curve == EcCurve::p256 ? oid::prime256v1 : oid::secp384r1);
  });
}

GeneratedKey generate_p256_key() {
  const crypto::p256::KeyPair pair = crypto::p256::KeyPair::generate();
  EcPrivateKey key;
  key.d = pair.private_key;
  key.public_point.assign(pair.public_key.begin(), pair.public_key.end());
  SecretBytes info = encode_private_key_info_p256(key);
  return GeneratedKey{std::move(key), std::move(info)};
}

}  // namespace

KeyType parse_key_type(std::string_view name) {
  if (name == "rsa2048" || name == "rsa") return KeyType::rsa2048;
  if (name == "rsa3072") return KeyType::rsa3072;
  if (name == "rsa4096") return KeyType::rsa4096;
  if (name == "ed25519") return KeyType::ed25519;
  if (name == "p256") return KeyType::p256;
  throw std::invalid_argument("key type must be rsa2048, rsa3072, rsa4096, ed25519 or p256, not \"" +
                              std::string(name) + "\"");
}

GeneratedKey generate_key(KeyType type) {
  if (type == KeyType::p256) return generate_p256_key();
  if (type == KeyType::ed25519) {
    // RFC 8032 §5.1.5: the private key is 32 random bytes.
    SecretBytes seed(32);
    crypto::random_bytes(seed);
    Ed25519PrivateKey key;
    key.seed = seed;
    key.public_key = crypto::ed25519_public_key(seed);
    return GeneratedKey{std::move(key), encode_private_key_info_ed25519(seed)};
  }
  const size_t bits = type == KeyType::rsa2048 ? 2048 : type == KeyType::rsa3072 ? 3072 : 4096;
  const crypto::RsaKeyComponents c = crypto::rsa_generate_key(bits);
  return GeneratedKey{crypto::rsa_private_key_from(c), encode_private_key_info(c)};
}

Bytes encode_subject_public_key_info(const PublicKey& key) {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& spki) {
      if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key)) {
        rsa_encryption_identifier(spki);
        const Bytes n = rsa->modulus(), e = rsa->public_exponent();
        const Bytes rsa_public_key = encode_public([&](DerWriter& k) {
          k.sequence([&](DerWriter& s) {
            s.integer(n);
            s.integer(e);
          });
        });
        spki.bit_string(rsa_public_key);
      } else if (const auto* ec = std::get_if<EcPublicKey>(&key)) {
        ec_public_key_identifier(spki, ec->curve);
        spki.bit_string(ec->point);  // ECPoint, uncompressed, straight into the BIT STRING (RFC 5480 §2.2)
      } else {
        ed25519_identifier(spki);
        spki.bit_string(std::get<Ed25519PublicKey>(key).bytes);
      }
    });
  });
}

SecretBytes encode_private_key_info(const crypto::RsaKeyComponents& c) {
  // RSAPrivateKey ::= SEQUENCE { version 0, n, e, d, p, q, dP, dQ, qInv }
  const SecretBytes rsa_private_key = encode([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(0);
      for (const SecretBytes* v : {&c.n, &c.e, &c.d, &c.p, &c.q, &c.dp, &c.dq, &c.qinv}) s.integer(*v);
    });
  });
  // PrivateKeyInfo ::= SEQUENCE { version 0, privateKeyAlgorithm, privateKey OCTET STRING }
  return encode([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(0);
      rsa_encryption_identifier(s);
      s.octet_string(rsa_private_key);
    });
  });
}

SecretBytes encode_private_key_info_ed25519(ByteView seed) {
  // RFC 8410 §7: privateKey holds CurvePrivateKey ::= OCTET STRING, itself
  // inside the PrivateKeyInfo's OCTET STRING.
  const SecretBytes curve_private_key = encode([&](DerWriter& w) { w.octet_string(seed); });
  return encode([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(0);
      ed25519_identifier(s);
      s.octet_string(curve_private_key);
    });
  });
}

SecretBytes encode_private_key_info_p256(const EcPrivateKey& key) {
  // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
  //   parameters [0] ECParameters OPTIONAL, publicKey [1] BIT STRING OPTIONAL }
  // [0] is left out: inside PKCS#8 the AlgorithmIdentifier names the curve
  // (RFC 5915 §3 allows either). [1] is kept so a reader need not compute d*G.
  const SecretBytes ec_private_key = encode([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(1);
      s.octet_string(key.d);  // exactly 32 octets, leading zeros kept (SEC 1 §C.4)
      s.explicit_tag(1, [&](DerWriter& p) { p.bit_string(key.public_point); });
    });
  });
  return encode([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(0);
      ec_public_key_identifier(s, EcCurve::p256);
      s.octet_string(ec_private_key);
    });
  });
}

std::string private_key_pem(ByteView private_key_info, ByteView passphrase) {
  if (passphrase.empty()) return encode_pem("PRIVATE KEY", private_key_info);
  return encode_pem("ENCRYPTED PRIVATE KEY", encrypt_private_key_info(private_key_info, passphrase));
}

Bytes signature_algorithm_identifier(const PrivateKey& key) {
  return encode_public([&](DerWriter& w) {
    if (std::holds_alternative<crypto::RsaPrivateKey>(key)) {
      w.sequence([](DerWriter& a) {
        a.oid(oid::sha256_with_rsa);
        a.null();  // RFC 4055 §5: the parameters MUST be NULL
      });
    } else if (std::holds_alternative<EcPrivateKey>(key)) {
      // RFC 5758 §3.2: the parameters MUST be absent.
      w.sequence([](DerWriter& a) { a.oid(oid::ecdsa_with_sha256); });
    } else {
      ed25519_identifier(w);
    }
  });
}

Bytes sign_message(const PrivateKey& key, ByteView message) {
  if (const auto* rsa = std::get_if<crypto::RsaPrivateKey>(&key))
    return crypto::rsassa_pkcs1_v15_sign(*rsa, crypto::HashAlgorithm::sha256, message);
  if (const auto* ec = std::get_if<EcPrivateKey>(&key))
    return crypto::ecdsa_p256_sign(ec->d, crypto::HashAlgorithm::sha256, message);
  const auto signature = crypto::ed25519_sign(std::get<Ed25519PrivateKey>(key).seed, message);
  return Bytes(signature.begin(), signature.end());
}

}  // namespace tls12::x509
