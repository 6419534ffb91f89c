// Big integer arithmetic (crypto/bignum.h) against OpenSSL's BIGNUM as an
// oracle, on random operands of many sizes and on the edge patterns that break
// carry chains and long division (all-ones limbs, powers of two).
#include "crypto/bignum.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <memory>
#include <random>
#include <stdexcept>

#include "tests/crypto/bignum_oracle.h"

namespace tls12::crypto {
namespace {

using test_support::Bn;
using test_support::CtxFree;
using test_support::from_bn;
using test_support::to_bn;

class Operands {
 public:
  explicit Operands(uint32_t seed) : rng_(seed) {}
  // A value of exactly `bytes` bytes (top byte non-zero), drawn from one of a
  // few shapes: uniform, all ones, sparse, or a power of two.
  BigInt next(size_t bytes) {
    if (bytes == 0) return BigInt();
    Bytes b(bytes);
    switch (rng_() % 6) {
      case 0:
        std::fill(b.begin(), b.end(), 0xff);
        break;
      case 1:
        b[0] = 0x80;
        break;
      case 2:
        for (auto& x : b) x = (rng_() % 4 == 0) ? static_cast<uint8_t>(rng_()) : 0;
        break;
      default:
        for (auto& x : b) x = static_cast<uint8_t>(rng_());
    }
    if (b[0] == 0) b[0] = 1;
    return BigInt::from_bytes(b);
  }
  size_t size(size_t max) { return 1 + rng_() % max; }

 private:
  std::mt19937 rng_;
};

BigInt odd(const BigInt& x) { return x.is_odd() ? x : x + BigInt(1); }

#if defined(__SANITIZE_ADDRESS__)
constexpr int kRounds = 60;
#else
constexpr int kRounds = 400;
#endif

TEST(BigInt, BytesRoundTripAndI2OSP) {
  Bytes in = from_hex("00000102030405060708090a0b0c0d0e0f10");
  BigInt x = BigInt::from_bytes(in);
  EXPECT_EQ(to_hex(x.to_bytes()), "0102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(to_hex(x.to_bytes(20)), "000000000102030405060708090a0b0c0d0e0f10");
  EXPECT_EQ(x.bit_length(), 121u);
  EXPECT_THROW(x.to_bytes(15), std::invalid_argument);
  EXPECT_TRUE(BigInt::from_bytes(Bytes{0, 0, 0}).is_zero());
  EXPECT_TRUE(BigInt::from_bytes({}).to_bytes().empty());
}

TEST(BigInt, CompareAddSubMulAgainstOpenSSL) {
  Operands gen(1);
  for (int i = 0; i < kRounds; ++i) {
    BigInt a = gen.next(gen.size(300)), b = gen.next(gen.size(300));
    Bn ba = to_bn(a), bb = to_bn(b), r(BN_new());
    EXPECT_EQ(a < b, BN_cmp(ba.get(), bb.get()) < 0);
    EXPECT_EQ(a == b, BN_cmp(ba.get(), bb.get()) == 0);
    BN_add(r.get(), ba.get(), bb.get());
    EXPECT_EQ(a + b, from_bn(r.get()));
    std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
    BN_mul(r.get(), ba.get(), bb.get(), ctx.get());
    EXPECT_EQ(a * b, from_bn(r.get()));
    const BigInt& big = a < b ? b : a;
    const BigInt& small = a < b ? a : b;
    BN_sub(r.get(), to_bn(big).get(), to_bn(small).get());
    EXPECT_EQ(big - small, from_bn(r.get()));
    if (a != b) {
      EXPECT_THROW((void)(small - big), std::invalid_argument);
    }
  }
}

TEST(BigInt, DivisionAgainstOpenSSL) {
  Operands gen(2);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (int i = 0; i < kRounds; ++i) {
    BigInt a = gen.next(gen.size(520)), b = gen.next(gen.size(260));
    Bn q(BN_new()), r(BN_new());
    ASSERT_EQ(BN_div(q.get(), r.get(), to_bn(a).get(), to_bn(b).get(), ctx.get()), 1);
    BigInt mq, mr;
    BigInt::divide(a, b, mq, mr);
    ASSERT_EQ(mq, from_bn(q.get())) << to_hex(a.to_bytes()) << " / " << to_hex(b.to_bytes());
    ASSERT_EQ(mr, from_bn(r.get()));
    EXPECT_EQ(mq * b + mr, a);
  }
  EXPECT_THROW((void)(BigInt(5) % BigInt()), std::invalid_argument);
}

TEST(BigInt, ShiftsAgainstMultiplication) {
  Operands gen(3);
  for (int i = 0; i < kRounds; ++i) {
    BigInt a = gen.next(gen.size(100));
    size_t s = gen.size(300);
    BigInt p = BigInt(1) << s;
    EXPECT_EQ(a << s, a * p);
    EXPECT_EQ(a >> s, a / p);
  }
}

TEST(BigInt, ModInverseAgainstOpenSSL) {
  Operands gen(4);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  int inverted = 0, rejected = 0;
  for (int i = 0; i < kRounds / 2; ++i) {
    BigInt m = gen.next(gen.size(260));
    if (m < BigInt(2)) continue;
    BigInt a = gen.next(gen.size(260));
    Bn r(BN_new());
    BIGNUM* ok = BN_mod_inverse(r.get(), to_bn(a).get(), to_bn(m).get(), ctx.get());
    if (ok != nullptr) {
      ASSERT_EQ(mod_inverse(a, m), from_bn(r.get()));
      EXPECT_EQ((mod_inverse(a, m) * a) % m, BigInt(1) % m);
      ++inverted;
    } else {
      EXPECT_THROW(mod_inverse(a, m), std::invalid_argument);
      ++rejected;
    }
  }
  EXPECT_GT(inverted, 10);
  EXPECT_GT(rejected, 0);  // even moduli with even a appear among the shapes
}

TEST(Montgomery, ExponentiationAgainstOpenSSL) {
  Operands gen(5);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (int i = 0; i < kRounds / 4; ++i) {
    BigInt m = odd(gen.next(gen.size(520)));
    if (m == BigInt(1)) continue;
    BigInt base = gen.next(gen.size(520)) % m;
    BigInt e = gen.next(gen.size(80));
    Bn r(BN_new());
    BN_mod_exp(r.get(), to_bn(base).get(), to_bn(e).get(), to_bn(m).get(), ctx.get());
    BigInt expected = from_bn(r.get());

    Montgomery mont(m);
    LimbVector b = base.to_fixed(mont.limbs());
    LimbVector ex = e.to_fixed(e.limb_count());
    LimbVector s = mont.exp_secret(b.data(), ex.data(), ex.size());
    ASSERT_EQ(BigInt::from_limbs(s.data(), s.size()), expected) << "modulus bytes " << m.byte_length();
    LimbVector p = mont.exp_public(b.data(), e);
    ASSERT_EQ(BigInt::from_limbs(p.data(), p.size()), expected);
    EXPECT_EQ(mod_exp_public(base, e, m), expected);
  }
}

// The limb counts with their own compiled instantiation (RSA-2048..4096 and
// their CRT halves, ffdhe2048/3072) and their neighbours on the generic path.
TEST(Montgomery, EveryInstantiatedWidth) {
  Operands gen(7);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (size_t limbs : {1, 2, 15, 16, 17, 24, 32, 48, 64, 65}) {
    for (int i = 0; i < 3; ++i) {
      BigInt m = odd(gen.next(limbs * 8));
      BigInt base = gen.next(limbs * 8) % m;
      BigInt e = gen.next(gen.size(40));
      Bn r(BN_new());
      BN_mod_exp(r.get(), to_bn(base).get(), to_bn(e).get(), to_bn(m).get(), ctx.get());
      Montgomery mont(m);
      ASSERT_EQ(mont.limbs(), limbs);
      LimbVector b = base.to_fixed(limbs), ex = e.to_fixed(e.limb_count());
      LimbVector s = mont.exp_secret(b.data(), ex.data(), ex.size());
      ASSERT_EQ(BigInt::from_limbs(s.data(), s.size()), from_bn(r.get())) << limbs << " limbs";
      // Squaring agrees with multiplying a value by itself.
      LimbVector sq(limbs), mu(limbs);
      mont.sqr(sq.data(), b.data());
      mont.mul(mu.data(), b.data(), b.data());
      ASSERT_EQ(sq, mu) << limbs << " limbs";
    }
  }
}

// The AVX-512 IFMA pair exponentiation (RSA-2048 CRT halves) on 1024-bit and
// shorter 16-limb moduli, with edge bases and exponents.
TEST(Montgomery, IfmaPairAgainstOpenSSL) {
  if (!ifma_available()) GTEST_SKIP() << "CPU without AVX-512 IFMA (or TLS12_CPU=reference)";
  Operands gen(8);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (int i = 0; i < 40; ++i) {
    BigInt m[2], base[2], e[2];
    for (int s = 0; s < 2; ++s) {
      m[s] = odd(gen.next(i % 5 == 4 ? 121 : 128));
      base[s] = gen.next(128) % m[s];
      if (i == 0) base[s] = m[s] - BigInt(1);
      if (i == 1) base[s] = BigInt();
      e[s] = gen.next(128);
      if (i == 2) e[s] = BigInt();
      // The largest 16-limb moduli, base and exponent: the largest lane sums
      // inside the multiplication and the longest carry runs out of it.
      if (i == 3) {
        const BigInt top = BigInt(1) << 1024;
        m[s] = top - BigInt(1 + 2 * s);
        base[s] = m[s] - BigInt(1);
        e[s] = top - BigInt(1);
      }
    }
    Montgomery mp(m[0]), mq(m[1]);
    LimbVector bp = base[0].to_fixed(16), bq = base[1].to_fixed(16);
    LimbVector ep = e[0].to_fixed(16), eq = e[1].to_fixed(16);
    LimbVector outp, outq;
    ASSERT_TRUE(exp_secret_pair_1024(mp, bp.data(), ep.data(), mq, bq.data(), eq.data(), outp, outq));
    for (int s = 0; s < 2; ++s) {
      Bn r(BN_new());
      BN_mod_exp(r.get(), to_bn(base[s]).get(), to_bn(e[s]).get(), to_bn(m[s]).get(), ctx.get());
      const LimbVector& out = s == 0 ? outp : outq;
      ASSERT_EQ(BigInt::from_limbs(out.data(), out.size()), from_bn(r.get())) << "round " << i << " side " << s;
    }
  }
  // Other sizes are declined, leaving the portable path to the caller.
  Montgomery small(odd(gen.next(64)));
  LimbVector x(8, 1), a, b;
  EXPECT_FALSE(exp_secret_pair_1024(small, x.data(), x.data(), small, x.data(), x.data(), a, b));
}

TEST(Montgomery, ReduceAddSubAgainstOpenSSL) {
  Operands gen(6);
  for (int i = 0; i < kRounds / 2; ++i) {
    BigInt m = odd(gen.next(gen.size(300)));
    if (m == BigInt(1)) continue;
    Montgomery mont(m);
    BigInt a = gen.next(gen.size(900));
    LimbVector r(mont.limbs());
    mont.reduce(r.data(), a.limbs().data(), a.limb_count());
    ASSERT_EQ(BigInt::from_limbs(r.data(), r.size()), a % m);

    BigInt x = gen.next(gen.size(300)) % m, y = gen.next(gen.size(300)) % m;
    LimbVector fx = x.to_fixed(mont.limbs()), fy = y.to_fixed(mont.limbs());
    mont.add_mod(r.data(), fx.data(), fy.data());
    EXPECT_EQ(BigInt::from_limbs(r.data(), r.size()), (x + y) % m);
    mont.sub_mod(r.data(), fx.data(), fy.data());
    EXPECT_EQ(BigInt::from_limbs(r.data(), r.size()), (x + m - y) % m);
    mont.mul(r.data(), fx.data(), fy.data());
    LimbVector back(mont.limbs());
    mont.to_mont(back.data(), r.data());  // x*y/R * R = x*y
    EXPECT_EQ(BigInt::from_limbs(back.data(), back.size()), (x * y) % m);
  }
}

TEST(Montgomery, RejectsEvenOrTrivialModulus) {
  EXPECT_THROW(Montgomery(BigInt(10)), std::invalid_argument);
  EXPECT_THROW(Montgomery(BigInt(1)), std::invalid_argument);
  EXPECT_THROW(Montgomery{BigInt{}}, std::invalid_argument);
}

TEST(BigInt, RandomBelowStaysInRange) {
  BigInt bound = BigInt::from_bytes(from_hex("0100000000000000000000000001"));
  for (int i = 0; i < 200; ++i) {
    BigInt r = BigInt::random_below(bound);
    EXPECT_FALSE(r.is_zero());
    EXPECT_LT(r, bound);
  }
  EXPECT_THROW(BigInt::random_below(BigInt(1)), std::invalid_argument);
}

TEST(ConstantTime, MasksAndSelect) {
  EXPECT_EQ(ct_mask_zero(0), ~Limb{0});
  EXPECT_EQ(ct_mask_zero(1u << 31), 0u);
  EXPECT_EQ(ct_mask_nonzero(Limb{1} << 63), ~Limb{0});
  EXPECT_EQ(ct_mask_eq(7, 7), ~Limb{0});
  EXPECT_EQ(ct_mask_eq(7, 8), 0u);
  EXPECT_EQ(ct_mask_lt_small(3, 4), ~Limb{0});
  EXPECT_EQ(ct_mask_lt_small(4, 4), 0u);
  EXPECT_EQ(ct_select(~Limb{0}, 1, 2), 1u);
  EXPECT_EQ(ct_select(0, 1, 2), 2u);
}

}  // namespace
}  // namespace tls12::crypto
