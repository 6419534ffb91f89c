// Finite-field DH over the RFC 7919 groups (crypto/dh.h): the primes against
// OpenSSL's built-in ffdhe groups, key agreement with OpenSSL in both
// directions, public-value validation and the leading-zero stripping of RFC
// 5246 §8.1.2.
#include "crypto/dh.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <stdexcept>

namespace tls12::crypto {
namespace {

const char* group_name(FfdheGroup g) { return g == FfdheGroup::ffdhe2048 ? "ffdhe2048" : "ffdhe3072"; }

Bytes bn_param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) throw std::runtime_error(name);
  Bytes out(static_cast<size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_free(bn);
  return out;
}

EVP_PKEY* openssl_keygen(FfdheGroup group) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY_keygen_init(ctx);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_name(group)), 0),
      OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX_set_params(ctx, params);
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_generate(ctx, &pkey) != 1) throw std::runtime_error("DH keygen");
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

// OpenSSL's Z for its key and our public value (stripped of leading zeros, as
// EVP_PKEY_derive does for DH by default).
Bytes openssl_derive(EVP_PKEY* ours, FfdheGroup group, ByteView peer_public) {
  BIGNUM* y = BN_bin2bn(peer_public.data(), static_cast<int>(peer_public.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group_name(group), 0);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* fctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY* peer = nullptr;
  EVP_PKEY_fromdata_init(fctx);
  if (EVP_PKEY_fromdata(fctx, &peer, EVP_PKEY_PUBLIC_KEY, params) != 1) throw std::runtime_error("fromdata");
  EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new(ours, nullptr);
  EVP_PKEY_derive_init(dctx);
  if (EVP_PKEY_derive_set_peer(dctx, peer) != 1) throw std::runtime_error("set_peer");
  size_t len = 0;
  EVP_PKEY_derive(dctx, nullptr, &len);
  Bytes z(len);
  if (EVP_PKEY_derive(dctx, z.data(), &len) != 1) throw std::runtime_error("derive");
  z.resize(len);
  EVP_PKEY_CTX_free(dctx);
  EVP_PKEY_free(peer);
  EVP_PKEY_CTX_free(fctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(y);
  return z;
}

class Ffdhe : public ::testing::TestWithParam<FfdheGroup> {};

TEST_P(Ffdhe, PrimeMatchesOpenSSL) {
  EVP_PKEY* pkey = openssl_keygen(GetParam());
  EXPECT_EQ(to_hex(ffdhe_prime(GetParam())), to_hex(bn_param(pkey, OSSL_PKEY_PARAM_FFC_P)));
  EXPECT_EQ(bn_param(pkey, OSSL_PKEY_PARAM_FFC_G), Bytes{kFfdheGenerator});
  EVP_PKEY_free(pkey);
}

TEST_P(Ffdhe, KeyAgreementWithOpenSSL) {
  for (int round = 0; round < 3; ++round) {
    EVP_PKEY* theirs = openssl_keygen(GetParam());
    DhKeyPair ours = DhKeyPair::generate(GetParam());
    ASSERT_EQ(ours.public_value().size(), ffdhe_prime(GetParam()).size());
    EXPECT_EQ(ours.prime_size(), ffdhe_prime(GetParam()).size());
    const Bytes their_public = bn_param(theirs, OSSL_PKEY_PARAM_PUB_KEY);
    SecretBytes z = ours.shared_secret(their_public);
    Bytes expected = openssl_derive(theirs, GetParam(), ours.public_value());
    EXPECT_EQ(to_hex(Bytes(z.begin(), z.end())), to_hex(expected));
    EXPECT_NE(z[0], 0);  // stripped
    EVP_PKEY_free(theirs);
  }
}

TEST_P(Ffdhe, TwoOfOursAgree) {
  DhKeyPair a = DhKeyPair::generate(GetParam()), b = DhKeyPair::generate(GetParam());
  EXPECT_NE(a.public_value(), b.public_value());
  EXPECT_EQ(a.shared_secret(b.public_value()), b.shared_secret(a.public_value()));
}

TEST_P(Ffdhe, PublicValueFromKnownExponent) {
  // y = 2^x mod p checked with BN_mod_exp for a fixed x.
  const Bytes x = from_hex("9b5c1ad7f0e2c4b6a8d9e0f1021324354657687980a1b2c3d4e5f60718293a4b");
  DhKeyPair kp = DhKeyPair::from_private(GetParam(), x);
  BIGNUM* bx = BN_bin2bn(x.data(), static_cast<int>(x.size()), nullptr);
  const Bytes& p = ffdhe_prime(GetParam());
  BIGNUM* bp = BN_bin2bn(p.data(), static_cast<int>(p.size()), nullptr);
  BIGNUM* bg = BN_new();
  BN_set_word(bg, 2);
  BIGNUM* r = BN_new();
  BN_CTX* ctx = BN_CTX_new();
  BN_mod_exp(r, bg, bx, bp, ctx);
  Bytes expected(p.size());
  BN_bn2binpad(r, expected.data(), static_cast<int>(expected.size()));
  EXPECT_EQ(to_hex(kp.public_value()), to_hex(expected));
  BN_CTX_free(ctx);
  BN_free(r);
  BN_free(bg);
  BN_free(bp);
  BN_free(bx);
}

TEST_P(Ffdhe, PeerPublicValueValidation) {
  DhKeyPair kp = DhKeyPair::generate(GetParam());
  const Bytes p = ffdhe_prime(GetParam());
  Bytes p_minus_1 = p;
  p_minus_1.back() -= 1;  // p ends in 0xff
  Bytes p_plus_1 = p;
  p_plus_1.back() = 0;  // p + 1 = ...ff00 + 0x100: build it as a BIGNUM-free carry
  for (size_t i = p_plus_1.size() - 1; i-- > 0;) {
    if (++p_plus_1[i] != 0) break;
  }
  Bytes all_ones(p.size(), 0xff);
  for (const Bytes& bad : {Bytes{}, Bytes{0}, Bytes{1}, Bytes(p.size(), 0), p_minus_1, p, p_plus_1, all_ones}) {
    try {
      (void)kp.shared_secret(bad);
      ADD_FAILURE() << "accepted y = " << to_hex(bad);
    } catch (const std::invalid_argument& e) {
      EXPECT_STREQ(e.what(), "DH public value is not in the range 1 < y < p-1");
    }
    EXPECT_THROW(validate_dh_public(p, bad), std::invalid_argument);
  }
  Bytes two(p.size() + 3, 0);  // leading zeros are fine
  two.back() = 2;
  EXPECT_NO_THROW(validate_dh_public(p, two));
  EXPECT_NO_THROW((void)kp.shared_secret(two));
  Bytes p_minus_2 = p;
  p_minus_2.back() -= 2;
  EXPECT_NO_THROW((void)kp.shared_secret(p_minus_2));
}

INSTANTIATE_TEST_SUITE_P(Groups, Ffdhe, ::testing::Values(FfdheGroup::ffdhe2048, FfdheGroup::ffdhe3072),
                         [](const auto& info) { return std::string(group_name(info.param)); });

TEST(Dh, LeadingZerosOfSharedSecretAreStripped) {
  // With x = 1, Z = y: a small y gives a Z full of leading zeros.
  DhKeyPair kp = DhKeyPair::from_private(FfdheGroup::ffdhe2048, Bytes{1});
  SecretBytes z = kp.shared_secret(from_hex("0000000123"));
  EXPECT_EQ(to_hex(Bytes(z.begin(), z.end())), "0123");
  z = kp.shared_secret(from_hex("02"));
  EXPECT_EQ(to_hex(Bytes(z.begin(), z.end())), "02");
}

TEST(Dh, ServerParamsValidation) {
  const Bytes& p = ffdhe_prime(FfdheGroup::ffdhe2048);
  const Bytes y = DhKeyPair::generate(FfdheGroup::ffdhe2048).public_value();
  EXPECT_NO_THROW(validate_dh_params(p, Bytes{2}, y));
  // A 1024-bit prime (the first half of ffdhe2048's bytes, made odd) is too small.
  Bytes small(p.begin(), p.begin() + 128);
  try {
    validate_dh_params(small, Bytes{2}, Bytes{5});
    ADD_FAILURE() << "1024-bit prime accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "DH prime of 1024 bits is outside 2048..8192");
  }
  Bytes even = p;
  even.back() = 0xfe;
  EXPECT_THROW(validate_dh_params(even, Bytes{2}, y), std::invalid_argument);
  EXPECT_THROW(validate_dh_params(p, Bytes{1}, y), std::invalid_argument);
  EXPECT_THROW(validate_dh_params(p, p, y), std::invalid_argument);
  EXPECT_THROW(validate_dh_params(p, Bytes{2}, Bytes{1}), std::invalid_argument);
  // A key pair in a server's own group agrees with one in the same named group.
  DhKeyPair server = DhKeyPair::generate(FfdheGroup::ffdhe2048);
  DhKeyPair client = DhKeyPair::generate(p, Bytes{2});
  EXPECT_EQ(client.shared_secret(server.public_value()), server.shared_secret(client.public_value()));
  EXPECT_THROW(DhKeyPair::generate(small, Bytes{2}), std::invalid_argument);
}

}  // namespace
}  // namespace tls12::crypto
