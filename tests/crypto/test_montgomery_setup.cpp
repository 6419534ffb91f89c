// Tests of the Montgomery context set-up (crypto/montgomery.cpp): the constant
// R^2 mod m, with R = 2^(64k) for a k-limb modulus, that takes values into
// Montgomery form. It is computed by 64 + k reduced doublings and six squarings
// in Montgomery form, so a miscounted step or a missed reduction gives a wrong
// R^2 and with it every RSA and DH result; OpenSSL's BN computes the same
// constant by long division.
#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <memory>
#include <random>
#include <vector>

#include "crypto/bignum.h"
#include "tests/crypto/bignum_oracle.h"

namespace tls12::crypto {
namespace {

using test_support::Bn;
using test_support::CtxFree;
using test_support::from_bn;
using test_support::to_bn;

// 2^(128k) mod m by OpenSSL's division.
BigInt openssl_r_squared(const BigInt& m, size_t k) {
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  Bn r2(BN_new()), rem(BN_new());
  BN_set_bit(r2.get(), static_cast<int>(128 * k));
  BN_mod(rem.get(), r2.get(), to_bn(m).get(), ctx.get());
  return from_bn(rem.get());
}

// Odd k-limb moduli of the shapes where a reduction step is most likely to be
// off: the smallest (2^(64(k-1)) + 1, where R mod m is far above m), the
// largest (2^(64k) - 1), a single top bit followed by random limbs, and
// uniformly random.
std::vector<BigInt> moduli_of_width(size_t k, std::mt19937_64& rng) {
  std::vector<BigInt> out;
  std::vector<Limb> limbs(k, 0);
  limbs[k - 1] = 1;
  limbs[0] |= 1;
  if (k > 1) out.push_back(BigInt::from_limbs(limbs.data(), k));
  std::fill(limbs.begin(), limbs.end(), ~Limb{0});
  out.push_back(BigInt::from_limbs(limbs.data(), k));
  for (auto& l : limbs) l = rng();
  limbs[k - 1] = Limb{1} << 63;
  limbs[0] |= 1;
  out.push_back(BigInt::from_limbs(limbs.data(), k));
  for (int i = 0; i < 3; ++i) {
    for (auto& l : limbs) l = rng();
    if (limbs[k - 1] == 0) limbs[k - 1] = 1;
    limbs[0] |= 1;
    out.push_back(BigInt::from_limbs(limbs.data(), k));
  }
  return out;
}

// Every width from 1 to 70 limbs: the fixed instantiations (16, 24, 32, 48,
// 64 limbs) and the run-time loops of every other width.
TEST(MontgomerySetUp, RSquaredAgainstOpenSSL) {
  std::mt19937_64 rng(20261123);
  for (size_t k = 1; k <= 70; ++k) {
    for (const BigInt& m : moduli_of_width(k, rng)) {
      Montgomery mont(m);
      ASSERT_EQ(mont.limbs(), k);
      ASSERT_EQ(mont.r2().size(), k);
      EXPECT_EQ(BigInt::from_limbs(mont.r2().data(), k), openssl_r_squared(m, k))
          << "k=" << k << " m=" << to_hex(m.to_bytes());
    }
  }
}

TEST(MontgomerySetUp, SmallestModuli) {
  for (uint64_t m : {3u, 5u, 7u, 0xffu, 0x10001u}) {
    Montgomery mont{BigInt(m)};
    EXPECT_EQ(BigInt::from_limbs(mont.r2().data(), 1), openssl_r_squared(BigInt(m), 1)) << m;
  }
}

// The constant in use: to_mont must give a*R mod m (checked with OpenSSL) and
// from_mont must undo it, for operands across the whole range below m.
TEST(MontgomerySetUp, ToAndFromMontgomeryForm) {
  std::mt19937_64 rng(7);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (size_t k : {1u, 16u, 17u, 32u, 48u, 64u}) {
    for (const BigInt& m : moduli_of_width(k, rng)) {
      Montgomery mont(m);
      const BigInt m_minus_1 = m - BigInt(1);
      for (const BigInt& a : {BigInt(), BigInt(1), m_minus_1, m_minus_1 >> 1}) {
        const LimbVector a_fixed = a.to_fixed(k);
        LimbVector form(k), back(k);
        mont.to_mont(form.data(), a_fixed.data());
        Bn expected(BN_new());
        Bn a_shifted(BN_new());
        BN_lshift(a_shifted.get(), to_bn(a).get(), static_cast<int>(64 * k));
        BN_mod(expected.get(), a_shifted.get(), to_bn(m).get(), ctx.get());
        EXPECT_EQ(BigInt::from_limbs(form.data(), k), from_bn(expected.get())) << "k=" << k;
        mont.from_mont(back.data(), form.data());
        EXPECT_EQ(back, a_fixed) << "k=" << k;
      }
    }
  }
}

TEST(MontgomerySetUp, RejectsEvenAndOne) {
  EXPECT_THROW(Montgomery{BigInt(1)}, std::invalid_argument);
  EXPECT_THROW(Montgomery{BigInt(0)}, std::invalid_argument);
  EXPECT_THROW(Montgomery{BigInt(1) << 2048}, std::invalid_argument);
}

}  // namespace
}  // namespace tls12::crypto
