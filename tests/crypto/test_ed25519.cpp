// Ed25519 wrapper (crypto/ed25519.h): RFC 8032 §7.1 known answers, agreement with
// OpenSSL, rejection of modified messages/signatures and of wrong sizes. The
// full Wycheproof set runs in test_wycheproof.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "crypto/ed25519.h"
#include "crypto/random.h"

namespace tls12::crypto {
namespace {

struct Rfc8032Vector {
  const char* seed;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, TEST 1 (empty message), TEST 2 (one byte), TEST 3 (two bytes).
const Rfc8032Vector rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
     "d25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
     "387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc659"
     "4a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519, Rfc8032KnownAnswers) {
  for (const auto& v : rfc8032) {
    SCOPED_TRACE(v.public_key);
    Bytes seed = from_hex(v.seed), message = from_hex(v.message);
    EXPECT_EQ(to_hex(ed25519_public_key(seed)), v.public_key);
    EXPECT_EQ(to_hex(ed25519_sign(seed, message)), v.signature);
    EXPECT_TRUE(ed25519_verify(from_hex(v.public_key), message, from_hex(v.signature)));
  }
}

TEST(Ed25519, RejectsAnyModification) {
  const auto& v = rfc8032[2];
  Bytes public_key = from_hex(v.public_key), message = from_hex(v.message), sig = from_hex(v.signature);
  Bytes other_message = message;
  other_message[0] ^= 1;
  EXPECT_FALSE(ed25519_verify(public_key, other_message, sig));
  for (size_t i : {0u, 31u, 32u, 63u}) {  // R's and S's first and last bytes
    Bytes bad = sig;
    bad[i] ^= 0x01;
    EXPECT_FALSE(ed25519_verify(public_key, message, bad)) << "byte " << i;
  }
  EXPECT_FALSE(ed25519_verify(from_hex(rfc8032[0].public_key), message, sig));
}

TEST(Ed25519, MalleatedSIsRejected) {
  // S + L verifies under the bare equation [S]B = R + [k]A, but RFC 8032 §5.1.7
  // requires S < L so that each signature has one encoding.
  const auto& v = rfc8032[0];
  Bytes sig = from_hex(v.signature);
  // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
  Bytes order = from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    unsigned sum = sig[32 + i] + order[i] + carry;
    sig[32 + i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(ed25519_verify(from_hex(v.public_key), from_hex(v.message), sig));
}

TEST(Ed25519, SmallOrderPublicKeyIsRejected) {
  // With A = the neutral element (encoded as y = 1), R = the neutral element and
  // S = 0, the equation of RFC 8032 §5.1.7, [S]B = R + [k]A, holds for every
  // message: a "signature" anyone can make. RFC 8032 does not forbid such keys;
  // libsodium refuses small-order A and R, and so do we (see ed25519.h).
  Bytes identity = from_hex("0100000000000000000000000000000000000000000000000000000000000000");
  Bytes sig = identity;
  sig.resize(64, 0);
  EXPECT_FALSE(ed25519_verify(identity, as_bytes("any message"), sig));
  EXPECT_FALSE(ed25519_verify(identity, Bytes{}, sig));
}

TEST(Ed25519, WrongSizesAreFalseOrThrow) {
  const auto& v = rfc8032[1];
  Bytes public_key = from_hex(v.public_key), message = from_hex(v.message), sig = from_hex(v.signature);
  Bytes long_sig = sig;
  long_sig.push_back(0);
  EXPECT_FALSE(ed25519_verify(public_key, message, long_sig));
  EXPECT_FALSE(ed25519_verify(public_key, message, ByteView(sig).first(63)));
  EXPECT_FALSE(ed25519_verify(ByteView(public_key).first(31), message, sig));
  EXPECT_FALSE(ed25519_verify(Bytes{}, message, Bytes{}));
  EXPECT_THROW(ed25519_public_key(Bytes(31)), std::invalid_argument);
  EXPECT_THROW(ed25519_sign(Bytes(64), message), std::invalid_argument);
}

TEST(Ed25519, AgreesWithOpenSsl) {
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  using Ctx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
  for (size_t len : {0u, 1u, 64u, 1000u}) {
    Bytes seed(32), message(len, 0x5c);
    random_bytes(seed);
    if (len > 0) random_bytes(message);
    Key key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()), EVP_PKEY_free);
    ASSERT_TRUE(key);
    Bytes openssl_public(32);
    size_t public_len = openssl_public.size();
    ASSERT_EQ(EVP_PKEY_get_raw_public_key(key.get(), openssl_public.data(), &public_len), 1);
    auto ours_public = ed25519_public_key(seed);
    EXPECT_EQ(Bytes(ours_public.begin(), ours_public.end()), openssl_public);

    // Ed25519 is deterministic (RFC 8032 §5.1.6), so both must give the same bytes.
    Ctx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    Bytes openssl_sig(64);
    size_t sig_len = openssl_sig.size();
    ASSERT_EQ(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()), 1);
    ASSERT_EQ(EVP_DigestSign(ctx.get(), openssl_sig.data(), &sig_len, message.data(), message.size()), 1);
    auto ours_sig = ed25519_sign(seed, message);
    EXPECT_EQ(Bytes(ours_sig.begin(), ours_sig.end()), openssl_sig);
    EXPECT_TRUE(ed25519_verify(ours_public, message, openssl_sig));
  }
}

}  // namespace
}  // namespace tls12::crypto
