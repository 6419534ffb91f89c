// X25519 wrapper (crypto/x25519.h): RFC 7748 §6.1 known answers, agreement with
// OpenSSL on random keys, rejection of low-order peer points (RFC 8422 §5.11),
// and size checks. The full Wycheproof set runs in test_wycheproof.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "crypto/x25519.h"

namespace tls12::crypto {
namespace {

// RFC 7748 §6.1: Alice's and Bob's keys and their shared secret.
const char* const alice_private = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const char* const alice_public = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const char* const bob_private = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const char* const bob_public = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
const char* const shared_k = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

TEST(X25519, Rfc7748PublicKeys) {
  EXPECT_EQ(to_hex(x25519_public_key(from_hex(alice_private))), alice_public);
  EXPECT_EQ(to_hex(x25519_public_key(from_hex(bob_private))), bob_public);
}

TEST(X25519, Rfc7748SharedSecretBothWays) {
  std::array<uint8_t, 32> a{}, b{};
  ASSERT_TRUE(x25519(from_hex(alice_private), from_hex(bob_public), a));
  ASSERT_TRUE(x25519(from_hex(bob_private), from_hex(alice_public), b));
  EXPECT_EQ(to_hex(a), shared_k);
  EXPECT_EQ(to_hex(b), shared_k);
}

// OpenSSL's shared secret for our private key and a peer public key.
Bytes openssl_x25519(ByteView private_key, ByteView peer_public) {
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  Key own(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size()),
          EVP_PKEY_free);
  Key peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public.data(), peer_public.size()),
           EVP_PKEY_free);
  if (!own || !peer) throw std::runtime_error("OpenSSL rejected an X25519 key");
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(own.get(), nullptr),
                                                                 EVP_PKEY_CTX_free);
  Bytes out(32);
  size_t len = out.size();
  if (EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != 32)
    throw std::runtime_error("OpenSSL X25519 derive failed");
  return out;
}

TEST(X25519, GeneratedPairsAgreeWithOpenSsl) {
  for (int i = 0; i < 16; ++i) {
    X25519KeyPair client = X25519KeyPair::generate();
    X25519KeyPair server = X25519KeyPair::generate();
    ASSERT_EQ(client.private_key.size(), 32u);
    EXPECT_NE(client.private_key, server.private_key);
    EXPECT_EQ(client.public_key, x25519_public_key(client.private_key));
    std::array<uint8_t, 32> ours{};
    ASSERT_TRUE(x25519(client.private_key, server.public_key, ours));
    EXPECT_EQ(Bytes(ours.begin(), ours.end()), openssl_x25519(server.private_key, client.public_key));
  }
}

TEST(X25519, RejectsLowOrderPeerPoints) {
  X25519KeyPair own = X25519KeyPair::generate();
  // u = 0 and u = 1 have order 4 and 1 on the curve; p - 1 is of order 2; and
  // p + 1 is the non-canonical encoding of u = 1. All give a zero secret.
  const char* const low_order[] = {
      "0000000000000000000000000000000000000000000000000000000000000000",
      "0100000000000000000000000000000000000000000000000000000000000000",
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
  };
  for (const char* point : low_order) {
    SCOPED_TRACE(point);
    std::array<uint8_t, 32> shared;
    shared.fill(0xaa);
    EXPECT_FALSE(x25519(own.private_key, from_hex(point), shared));
    EXPECT_EQ(shared, (std::array<uint8_t, 32>{})) << "output not wiped";
  }
}

TEST(X25519, RejectsWrongSizes) {
  Bytes k31(31, 1), k33(33, 1), k32(32, 1);
  std::array<uint8_t, 32> out{};
  EXPECT_THROW(x25519_public_key(k31), std::invalid_argument);
  EXPECT_THROW(x25519_public_key(k33), std::invalid_argument);
  EXPECT_THROW((void)x25519(k31, from_hex(bob_public), out), std::invalid_argument);
  EXPECT_THROW((void)x25519(k32, k33, out), std::invalid_argument);
  EXPECT_THROW((void)x25519(k32, Bytes{}, out), std::invalid_argument);
}

}  // namespace
}  // namespace tls12::crypto
