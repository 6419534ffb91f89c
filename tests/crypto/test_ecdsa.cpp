// ECDH and ECDSA over P-256 (crypto/ecdh.h, crypto/ecdsa.h): the RFC 6979
// A.2.5 known answers (nonce, r and s for SHA-256/384/512), the strict DER of
// Ecdsa-Sig-Value, and differential runs against OpenSSL's libcrypto (ECDH
// both ways with random keys; our signatures verified by OpenSSL and its
// signatures by us). Wycheproof's files run in test_wycheproof.cpp. P-384
// verification against OpenSSL's signatures, with every hash TLS pairs with it,
// and its refusals (bad points, out-of-range scalars, changed bytes).
#include <gtest/gtest.h>

#include <string>

#include "crypto/ecdh.h"
#include "crypto/ecdsa.h"
#include "crypto/random.h"
#include "tests/crypto/ec_oracle.h"

namespace tls12::crypto {
namespace {

using namespace test_support;

// ---- RFC 6979 A.2.5 -------------------------------------------------------------

const Bytes kRfcKey = from_hex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721");

struct Rfc6979Case {
  const char* message;
  HashAlgorithm hash;
  const char* k;
  const char* r;
  const char* s;
};

const Rfc6979Case kRfc6979Cases[] = {
    {"sample", HashAlgorithm::sha256, "a6e3c57dd01abe90086538398355dd4c3b17aa873382b0f24d6129493d8aad60",
     "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716",
     "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"},
    {"sample", HashAlgorithm::sha384, "09f634b188cefd98e7ec88b1aa9852d734d0bc272f7d2a47decc6ebeb375aad4",
     "0eafea039b20e9b42309fb1d89e213057cbf973dc0cfc8f129edddc800ef7719",
     "4861f0491e6998b9455193e34e7b0d284ddd7149a74b95b9261f13abde940954"},
    {"sample", HashAlgorithm::sha512, "5fa81c63109badb88c1f367b47da606da28cad69aa22c4fe6ad7df73a7173aa5",
     "8496a60b5e9b47c825488827e0495b0e3fa109ec4568fd3f8d1097678eb97f00",
     "2362ab1adbe2b8adf9cb9edab740ea6049c028114f2460f96554f61fae3302fe"},
    {"sample", HashAlgorithm::sha224, "103f90ee9dc52e5e7fb5132b7033c63066d194321491862059967c715985d473",
     "53b2fff5d1752b2c689df257c04c40a587fababb3f6fc2702f1343af7ca9aa3f",
     "b9afb64fdc03dc1a131c7d2386d11e349f070aa432a4acc918bea988bf75c74c"},
    {"test", HashAlgorithm::sha224, "669f4426f2688b8be0db3a6bd1989bdaefff84b649eeb84f3dd26080f667faa7",
     "c37edb6f0ae79d47c3c27e962fa269bb4f441770357e114ee511f662ec34a692",
     "c820053a05791e521fcaad6042d40aea1d6b1a540138558f47d0719800e18f2d"},
    {"test", HashAlgorithm::sha256, "d16b6ae827f17175e040871a1c7ec3500192c4c92677336ec2537acaee0008e0",
     "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367",
     "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"},
    {"test", HashAlgorithm::sha384, "16aeffa357260b04b1dd199693960740066c1a8f3e8edd79070aa914d361b3b8",
     "83910e8b48bb0c74244ebdf7f07a1c5413d61472bd941ef3920e623fbccebeb6",
     "8ddbec54cf8cd5874883841d712142a56a8d0f218f5003cb0296b6b509619f2c"},
    {"test", HashAlgorithm::sha512, "6915d11632aca3c40d5d51c08daf9c555933819548784480e93499000d9f0b7f",
     "461d93f31b6540894788fd206c07cfa0cc35f46fa3c91816fff1040ad1581a04",
     "39af9f15de0db8d97e72719c74820d304ce5226e32dedae67519e840d1194e55"},
};

TEST(Rfc6979, PublicKeyOfTheA25Key) {
  const auto pair = p256::KeyPair::from_private_key(kRfcKey);
  EXPECT_EQ(to_hex(pair.public_key),
            "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
            "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
}

TEST(Rfc6979, NoncesAndSignaturesOfA25) {
  const auto pair = p256::KeyPair::from_private_key(kRfcKey);
  for (const auto& c : kRfc6979Cases) {
    const std::string label = std::string(c.message) + " / " + std::string(hash_name(c.hash));
    const Bytes digest = hash(c.hash, as_bytes(c.message));
    Rfc6979Nonce nonces(c.hash, kRfcKey, digest);
    EXPECT_EQ(to_hex(nonces.next()), c.k) << label;
    const EcdsaSignature sig = ecdsa_p256_sign_digest(kRfcKey, c.hash, digest);
    EXPECT_EQ(to_hex(sig.r), c.r) << label;
    EXPECT_EQ(to_hex(sig.s), c.s) << label;
    const Bytes der = ecdsa_p256_sign(kRfcKey, c.hash, as_bytes(c.message));
    EXPECT_EQ(der, encode_ecdsa_signature(sig)) << label;
    EXPECT_TRUE(ecdsa_p256_verify(pair.public_key, c.hash, as_bytes(c.message), der)) << label;
    EXPECT_FALSE(ecdsa_p256_verify(pair.public_key, c.hash, as_bytes("other"), der)) << label;
  }
}

// ---- DER --------------------------------------------------------------------------

TEST(EcdsaDer, EncodesMinimalIntegers) {
  EcdsaSignature sig;
  sig.r[31] = 1;     // 1: one octet
  sig.s[0] = 0x80;   // top bit set: a 0x00 sign octet in front
  const Bytes der = encode_ecdsa_signature(sig);
  EXPECT_EQ(to_hex(ByteView(der).first(5)), "3026020101");
  EXPECT_EQ(to_hex(ByteView(der).subspan(5, 4)), "02210080");
  const auto back = decode_ecdsa_signature(der);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->r, sig.r);
  EXPECT_EQ(back->s, sig.s);
}

TEST(EcdsaDer, RefusesEveryOtherEncoding) {
  const Bytes good = from_hex("3006020101020102");
  ASSERT_TRUE(decode_ecdsa_signature(good).has_value());
  for (const char* bad : {
           "300602010102010200",    // trailing data
           "3007020101020102",      // SEQUENCE length too long
           "308106020101020102",    // long-form length
           "30070201010202000102",  // leading zero octet (non-minimal INTEGER)
           "3006020100020102",      // r = 0
           "30060201ff020102",      // r negative
           "3003020101",            // one INTEGER
           "3009020101020102020103",  // three INTEGERs
           "3106020101020102",      // SET, not SEQUENCE
           "3006040101020102",      // OCTET STRING, not INTEGER
           "30050201010200",        // empty INTEGER
           "",
       })
    EXPECT_FALSE(decode_ecdsa_signature(from_hex(bad)).has_value()) << bad;
  // r = n (just out of range) and r = 2^256 + 1 (33 octets that do not start with zero).
  const std::string n = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
  EXPECT_FALSE(decode_ecdsa_signature(from_hex("3026022100" + n + "020101")).has_value());
  Bytes n_minus_1 = from_hex("3026022100" + n + "020101");
  n_minus_1[4 + 32] -= 1;
  EXPECT_TRUE(decode_ecdsa_signature(n_minus_1).has_value());
  EXPECT_FALSE(decode_ecdsa_signature(from_hex("3026022101" + std::string(62, '0') + "01020101"))
                   .has_value());
}

// ---- Against OpenSSL -----------------------------------------------------------------

TEST(P256Ecdh, AgreesWithOpenSslBothWays) {
  for (int i = 0; i < 20; ++i) {
    const auto ours = p256::KeyPair::generate();
    const Pkey theirs = p256_generate();
    std::array<uint8_t, 32> shared{};
    ASSERT_TRUE(p256_ecdh(ours.private_key, p256_public_of(theirs.get()), shared));
    const Pkey ours_in_openssl = p256_key_from(ours.public_key, ours.private_key);
    const Pkey ours_public = p256_key_from(ours.public_key);
    // OpenSSL with its key and our point, and with our key (imported) and its point.
    EXPECT_EQ(Bytes(shared.begin(), shared.end()), p256_ecdh_openssl(theirs.get(), ours_public.get()));
    EXPECT_EQ(Bytes(shared.begin(), shared.end()), p256_ecdh_openssl(ours_in_openssl.get(), theirs.get()));
    // OpenSSL's key pair, run through our code: same public key, same secret.
    const Bytes their_private = p256_private_of(theirs.get());
    EXPECT_EQ(to_hex(p256::KeyPair::from_private_key(their_private).public_key), to_hex(p256_public_of(theirs.get())));
    std::array<uint8_t, 32> shared2{};
    ASSERT_TRUE(p256_ecdh(their_private, ours.public_key, shared2));
    EXPECT_EQ(shared2, shared);
  }
}

TEST(P256Ecdh, RefusesBadPointsAndKeys) {
  const auto ours = p256::KeyPair::generate();
  std::array<uint8_t, 32> shared{};
  Bytes off_curve(ours.public_key.begin(), ours.public_key.end());
  off_curve[64] ^= 1;
  shared.fill(0xaa);
  EXPECT_FALSE(p256_ecdh(ours.private_key, off_curve, shared));
  EXPECT_EQ(shared, (std::array<uint8_t, 32>{}));  // zeroed, never a partial result
  EXPECT_FALSE(p256_ecdh(ours.private_key, Bytes{0x00}, shared));
  EXPECT_FALSE(p256_ecdh(ours.private_key, ByteView(ours.public_key).first(33), shared));
  const Bytes n = from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  EXPECT_THROW((void)p256_ecdh(n, ours.public_key, shared), std::invalid_argument);
  EXPECT_THROW((void)p256_ecdh(Bytes(32, 0), ours.public_key, shared), std::invalid_argument);
  EXPECT_THROW((void)p256_ecdh(Bytes(31, 1), ours.public_key, shared), std::invalid_argument);
  EXPECT_THROW(p256::KeyPair::from_private_key(n), std::invalid_argument);
}

TEST(P256Ecdsa, SignaturesInteroperateWithOpenSsl) {
  for (int i = 0; i < 20; ++i) {
    Bytes message(static_cast<size_t>(i * 7));
    random_bytes(message);
    const Pkey theirs = p256_generate();
    const Bytes their_public = p256_public_of(theirs.get());
    const Bytes their_sig = p256_sign_openssl(theirs.get(), message);
    EXPECT_TRUE(ecdsa_p256_verify(their_public, HashAlgorithm::sha256, message, their_sig));

    const auto ours = p256::KeyPair::generate();
    const Bytes our_sig = ecdsa_p256_sign(ours.private_key, HashAlgorithm::sha256, message);
    const Pkey ours_public = p256_key_from(ours.public_key);
    EXPECT_TRUE(p256_verify_openssl(ours_public.get(), message, our_sig));
    // And the negatives: the other key, a changed message, a changed signature.
    EXPECT_FALSE(ecdsa_p256_verify(ours.public_key, HashAlgorithm::sha256, message, their_sig));
    Bytes changed = message;
    changed.push_back(0);
    EXPECT_FALSE(ecdsa_p256_verify(their_public, HashAlgorithm::sha256, changed, their_sig));
    Bytes bad_sig = our_sig;
    bad_sig.back() ^= 1;
    EXPECT_FALSE(ecdsa_p256_verify(ours.public_key, HashAlgorithm::sha256, message, bad_sig));
  }
}

TEST(P256Ecdsa, SigningIsDeterministicPerMessage) {
  const auto key = p256::KeyPair::generate();
  const Bytes a = ecdsa_p256_sign(key.private_key, HashAlgorithm::sha256, as_bytes("one"));
  EXPECT_EQ(a, ecdsa_p256_sign(key.private_key, HashAlgorithm::sha256, as_bytes("one")));
  const Bytes b = ecdsa_p256_sign(key.private_key, HashAlgorithm::sha256, as_bytes("two"));
  // Different messages must get different nonces, hence different r.
  EXPECT_NE(decode_ecdsa_signature(a)->r, decode_ecdsa_signature(b)->r);
}

// ---- P-384 verification ---------------------------------------------------------

const EVP_MD* evp_md(HashAlgorithm h) {
  switch (h) {
    case HashAlgorithm::sha256: return EVP_sha256();
    case HashAlgorithm::sha384: return EVP_sha384();
    case HashAlgorithm::sha512: return EVP_sha512();
    case HashAlgorithm::sha1: return EVP_sha1();  // not used with ECDSA here
    case HashAlgorithm::sha224: return EVP_sha224();
  }
  return nullptr;
}

Bytes sign_openssl(EVP_PKEY* key, HashAlgorithm h, ByteView message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes sig(120);
  size_t len = sig.size();
  const int ok = EVP_DigestSignInit(ctx, nullptr, evp_md(h), nullptr, key) == 1 &&
                 EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ossl_check(ok ? 1 : 0, "EVP_DigestSign");
  sig.resize(len);
  return sig;
}

bool verify_openssl(EVP_PKEY* key, HashAlgorithm h, ByteView message, ByteView sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, evp_md(h), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, sig.data(), sig.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

// P-256 with the hashes TLS 1.2 pairs with ecdsa besides SHA-256 (RFC 5246
// §7.4.1.4.1): SHA-224 (shorter than the 256-bit order, taken whole) and
// SHA-384/512 (cut to their leftmost 256 bits), both ways against OpenSSL.
TEST(P256Ecdsa, OtherHashesInteroperateWithOpenSsl) {
  for (HashAlgorithm h : {HashAlgorithm::sha224, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    for (int i = 0; i < 4; ++i) {
      Bytes message(static_cast<size_t>(i * 29));
      random_bytes(message);
      const auto ours = p256::KeyPair::generate();
      const Bytes our_sig = ecdsa_p256_sign(ours.private_key, h, message);
      const Pkey ours_public = p256_key_from(ours.public_key);
      EXPECT_TRUE(verify_openssl(ours_public.get(), h, message, our_sig)) << hash_name(h);
      EXPECT_FALSE(verify_openssl(ours_public.get(), HashAlgorithm::sha256, message, our_sig)) << hash_name(h);
      const Pkey theirs = p256_generate();
      const Bytes their_sig = sign_openssl(theirs.get(), h, message);
      EXPECT_TRUE(ecdsa_p256_verify(p256_public_of(theirs.get()), h, message, their_sig)) << hash_name(h);
      EXPECT_FALSE(ecdsa_p256_verify(p256_public_of(theirs.get()), HashAlgorithm::sha256, message, their_sig));
    }
  }
}

// DER SEQUENCE of two INTEGERs with the given big-endian values (a leading 0x00
// added where the top bit is set).
Bytes der_signature(Bytes r, Bytes s) {
  Bytes body;
  for (Bytes* v : {&r, &s}) {
    if (!v->empty() && ((*v)[0] & 0x80)) v->insert(v->begin(), 0x00);
    body.push_back(0x02);
    body.push_back(static_cast<uint8_t>(v->size()));
    body.insert(body.end(), v->begin(), v->end());
  }
  body.insert(body.begin(), {uint8_t{0x30}, static_cast<uint8_t>(body.size())});
  return body;
}

struct P384Key {
  Pkey key;
  Bytes public_point;
};

P384Key p384_generate() {
  Pkey key(EVP_EC_gen("P-384"));
  if (!key) throw std::runtime_error("EVP_EC_gen P-384 failed");
  Bytes point(p384::point_size);
  size_t len = 0;
  ossl_check(EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &len),
             "get P-384 public key");
  point.resize(len);
  return {std::move(key), std::move(point)};
}

TEST(P384Ecdsa, VerifiesOpenSslSignaturesWithEveryHash) {
  for (HashAlgorithm h : {HashAlgorithm::sha256, HashAlgorithm::sha384, HashAlgorithm::sha512}) {
    for (int i = 0; i < 8; ++i) {
      Bytes message(static_cast<size_t>(i * 13));
      random_bytes(message);
      const P384Key signer = p384_generate();
      ASSERT_EQ(signer.public_point.size(), p384::point_size);
      const Bytes sig = sign_openssl(signer.key.get(), h, message);
      EXPECT_TRUE(ecdsa_p384_verify(signer.public_point, h, message, sig)) << "hash " << static_cast<int>(h);

      Bytes changed = message;
      changed.push_back(0);
      EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, h, changed, sig));
      Bytes bad_sig = sig;
      bad_sig.back() ^= 1;
      EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, h, message, bad_sig));
      const P384Key other = p384_generate();
      EXPECT_FALSE(ecdsa_p384_verify(other.public_point, h, message, sig));
      // P-256's verifier does not take a P-384 key, nor the other way round.
      EXPECT_FALSE(ecdsa_p256_verify(signer.public_point, h, message, sig));
    }
  }
}

TEST(P384Ecdsa, RefusesBadPointsAndScalars) {
  const P384Key signer = p384_generate();
  const Bytes message = {1, 2, 3};
  const Bytes sig = sign_openssl(signer.key.get(), HashAlgorithm::sha384, message);
  ASSERT_TRUE(ecdsa_p384_verify(signer.public_point, HashAlgorithm::sha384, message, sig));

  Bytes off_curve = signer.public_point;
  off_curve.back() ^= 1;  // y changed: not on the curve any more
  EXPECT_FALSE(p384::decode_point(off_curve).has_value());
  EXPECT_FALSE(ecdsa_p384_verify(off_curve, HashAlgorithm::sha384, message, sig));

  Bytes compressed(signer.public_point.begin(), signer.public_point.begin() + 49);
  compressed[0] = static_cast<uint8_t>(0x02 | (signer.public_point.back() & 1));
  EXPECT_FALSE(ecdsa_p384_verify(compressed, HashAlgorithm::sha384, message, sig));
  EXPECT_FALSE(ecdsa_p384_verify(Bytes{0x00}, HashAlgorithm::sha384, message, sig));  // infinity

  Bytes x_too_big = signer.public_point;  // x = p: a coordinate out of range
  Bytes p_bytes(48);
  ec_field::limbs_to_bytes<6>(p384::kFieldP.m, std::span<uint8_t, 48>(p_bytes));
  std::copy(p_bytes.begin(), p_bytes.end(), x_too_big.begin() + 1);
  EXPECT_FALSE(p384::decode_point(x_too_big).has_value());

  Bytes n_bytes(48);
  ec_field::limbs_to_bytes<6>(p384::kOrderN.m, std::span<uint8_t, 48>(n_bytes));
  const Bytes one = {1};
  EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, HashAlgorithm::sha384, message, der_signature(n_bytes, one)));
  EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, HashAlgorithm::sha384, message, der_signature(one, n_bytes)));
  EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, HashAlgorithm::sha384, message, der_signature({0}, one)));
  Bytes trailing = sig;
  trailing.push_back(0);
  EXPECT_FALSE(ecdsa_p384_verify(signer.public_point, HashAlgorithm::sha384, message, trailing));
}

TEST(P384Group, GeneratorHasOrderN) {
  // n*G is infinity and (n-1)*G is -G: checks the constants and the formulas
  // together (a wrong b, G or n fails one of them).
  p384::Limbs n_minus_1;
  ec_field::sub_borrow(n_minus_1, p384::kOrderN.m, p384::Limbs{1, 0, 0, 0, 0, 0});
  const p384::Point zero = {};
  const auto x = p384::affine_x(p384::double_scalar_mult_public(n_minus_1, {}, zero));
  ASSERT_TRUE(x.has_value());
  Bytes gx(48), got(48);
  ec_field::limbs_to_bytes<6>(*p384::affine_x(p384::generator()), std::span<uint8_t, 48>(gx));
  ec_field::limbs_to_bytes<6>(*x, std::span<uint8_t, 48>(got));
  EXPECT_EQ(got, gx);
  const p384::Point n_g = p384::point_add(p384::double_scalar_mult_public(n_minus_1, {}, zero), p384::generator());
  EXPECT_FALSE(p384::affine_x(n_g).has_value());
}

}  // namespace
}  // namespace tls12::crypto
