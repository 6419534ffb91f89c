// Tests of the Montgomery multiplication and squaring kernels behind the RSA
// private and public operations (RFC 8017 §5.1.2, §5.2.2): the portable C++
// ones (crypto/montgomery.cpp) and the BMI2/ADX ones (crypto/montgomery_adx.cpp),
// each against the variable-time BigInt arithmetic as the reference
// (a*b*R^-1 mod m by schoolbook multiplication and long division), on every
// limb count that has its own kernel and on values at the edges of the carry
// chains: 0, 1, m-1, all-ones limbs, and moduli that are all ones or
// barely k limbs long. A dropped carry or a missed final subtraction shows up
// on exactly these.
#include <gtest/gtest.h>
#include <openssl/bn.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "crypto/bignum.h"
#include "crypto/cpu.h"
#include "crypto/montgomery_internal.h"
#include "tests/crypto/bignum_oracle.h"

namespace tls12::crypto {
namespace {

using test_support::CtxFree;
using test_support::from_bn;
using test_support::to_bn;

// The widths of RSA-2048/3072/4096 (CRT halves and moduli), ffdhe, and a few
// that take the run-time loops.
const size_t kWidths[] = {1, 2, 5, 16, 17, 24, 32, 48, 64};

BigInt random_limbs(size_t k, std::mt19937_64& rng) {
  std::vector<Limb> l(k);
  for (auto& x : l) x = rng();
  return BigInt::from_limbs(l.data(), k);
}

BigInt all_ones(size_t k) {
  std::vector<Limb> l(k, ~Limb{0});
  return BigInt::from_limbs(l.data(), k);
}

std::vector<BigInt> moduli(size_t k, std::mt19937_64& rng) {
  std::vector<BigInt> out = {all_ones(k)};  // R - 1
  if (k > 1) out.push_back((BigInt(1) << (64 * (k - 1))) + BigInt(1));
  BigInt top = (BigInt(1) << (64 * k - 1)) + random_limbs(k - 1, rng);
  out.push_back(top.is_odd() ? top : top + BigInt(1));
  for (int i = 0; i < 2; ++i) {
    BigInt m = random_limbs(k, rng);
    if (m.limb_count() < k) m = m + (BigInt(1) << (64 * (k - 1)));
    out.push_back(m.is_odd() ? m : m + BigInt(1));
  }
  return out;
}

// Operands below m: the edges and random values.
std::vector<BigInt> operands(const BigInt& m, size_t k, std::mt19937_64& rng) {
  std::vector<BigInt> out = {BigInt(0), BigInt(1), m - BigInt(1), m - BigInt(2)};
  for (int i = 0; i < 4; ++i) out.push_back(random_limbs(k, rng) % m);
  return out;
}

struct Reference {
  BigInt m, r_inv;
  size_t k;
  Reference(const BigInt& modulus, size_t limbs) : m(modulus), k(limbs) {
    r_inv = mod_inverse((BigInt(1) << (64 * k)) % m, m);
  }
  BigInt mont_mul(const BigInt& a, const BigInt& b) const { return (((a * b) % m) * r_inv) % m; }
};

struct Kernels {
  std::string name;
  detail::MontMulFn mul;
  detail::MontSqrFn sqr;  // may be null: no squaring of this width
};

std::vector<Kernels> kernels_for(size_t k) {
  std::vector<Kernels> out = {{"portable", detail::portable_mul_for(k), detail::portable_sqr_for(k)}};
  if (detail::MontMulFn adx = detail::adx_mul_for(k)) out.push_back({"adx", adx, detail::adx_sqr_for(k)});
  return out;
}

void check_width(size_t k, std::mt19937_64& rng) {
  for (const BigInt& m : moduli(k, rng)) {
    const Montgomery mont(m);
    const Reference ref(m, k);
    const LimbVector mf = m.to_fixed(k);
    const std::vector<BigInt> xs = operands(m, k, rng);
    for (const Kernels& kern : kernels_for(k)) {
      SCOPED_TRACE(kern.name + " k=" + std::to_string(k) + " m=" + to_hex(m.to_bytes()));
      LimbVector r(k);
      for (const BigInt& a : xs) {
        const LimbVector af = a.to_fixed(k);
        for (const BigInt& b : xs) {
          kern.mul(r.data(), af.data(), b.to_fixed(k).data(), mf.data(), mont.m0inv(), k);
          ASSERT_EQ(BigInt::from_limbs(r.data(), k), ref.mont_mul(a, b));
        }
        if (kern.sqr != nullptr) {
          kern.sqr(r.data(), af.data(), mf.data(), mont.m0inv(), k);
          ASSERT_EQ(BigInt::from_limbs(r.data(), k), ref.mont_mul(a, a));
          // In place, as the exponentiation calls it.
          LimbVector in_place = af;
          kern.sqr(in_place.data(), in_place.data(), mf.data(), mont.m0inv(), k);
          ASSERT_EQ(in_place, r);
        }
        // A first operand of R - 1 (all ones, above m) is allowed for mul: it
        // is how `reduce` brings wide values in, and it stresses every carry.
        const LimbVector ones = all_ones(k).to_fixed(k);
        kern.mul(r.data(), ones.data(), af.data(), mf.data(), mont.m0inv(), k);
        ASSERT_EQ(BigInt::from_limbs(r.data(), k), ref.mont_mul(all_ones(k) % m, a));
      }
    }
  }
}

TEST(MontgomeryKernels, MatchReferenceOnEveryWidth) {
  std::mt19937_64 rng(20261207);
  for (size_t k : kWidths) check_width(k, rng);
}

// On a CPU with BMI2 and ADX (the usual x86-64 server), the RSA widths must
// actually get the ADX kernels, or the test above would only ever check the
// portable ones.
TEST(MontgomeryKernels, AdxKernelsCoverRsaWidthsWhereAvailable) {
  const bool adx = cpu_features().bmi2 && cpu_features().adx;
  for (size_t k : {16u, 24u, 32u, 48u, 64u}) {
    EXPECT_EQ(detail::adx_mul_for(k) != nullptr, adx) << k;
    EXPECT_EQ(detail::adx_sqr_for(k) != nullptr, adx) << k;
  }
  EXPECT_EQ(detail::adx_mul_for(17), nullptr);
}

// The fixed-window exponentiation's table lookup: the portable scan and the
// AVX2 one return exactly the entry asked for, for every index of 32- and
// 64-entry tables of every RSA width, and zero for an index past the end (the
// mask never matches). A wrong lane of the vector compare, an entry stride
// off by one or a column block left unwritten gives a neighbour's limbs.
TEST(MontgomeryKernels, TableSelectPicksExactlyTheEntryAtIndex) {
  std::mt19937_64 rng(32);
  std::vector<std::pair<std::string, detail::TableSelectFn>> impls = {{"portable", detail::portable_table_select}};
  if (cpu_features().avx2) {
    for (size_t k : {16u, 24u, 32u, 48u, 64u}) ASSERT_NE(detail::avx2_table_select_for(k), nullptr) << k;
    impls.emplace_back("avx2", detail::avx2_table_select_for(16));
  }
  EXPECT_EQ(detail::avx2_table_select_for(17), nullptr);  // not a multiple of 8: portable
  for (const auto& [name, select] : impls) {
    for (size_t k : {8u, 16u, 24u, 32u, 48u, 64u}) {
      for (size_t entries : {32u, 64u}) {
        SCOPED_TRACE(name + " k=" + std::to_string(k) + " entries=" + std::to_string(entries));
        std::vector<Limb> table(entries * k);
        for (auto& x : table) x = rng();
        LimbVector r(k, 0x5a5a5a5a5a5a5a5a);
        for (size_t index = 0; index < entries; ++index) {
          select(r.data(), table.data(), entries, k, index);
          ASSERT_TRUE(std::equal(r.begin(), r.end(), table.begin() + static_cast<std::ptrdiff_t>(index * k)))
              << "index " << index;
        }
        select(r.data(), table.data(), entries, k, entries);
        ASSERT_EQ(r, LimbVector(k, 0));
      }
    }
  }
}

// exp_public ends with a multiplication by the base in normal form instead of
// a conversion out of Montgomery form; exponents 0, 1, even and odd, with one
// or many bits, against OpenSSL's BN_mod_exp.
TEST(MontgomeryKernels, PublicExponentiationMatchesOpenSsl) {
  std::mt19937_64 rng(65537);
  std::unique_ptr<BN_CTX, CtxFree> ctx(BN_CTX_new());
  for (size_t k : {1u, 16u, 32u}) {
    for (const BigInt& m : moduli(k, rng)) {
      const Montgomery mont(m);
      for (const BigInt& base : operands(m, k, rng)) {
        for (uint64_t e : {0ull, 1ull, 2ull, 3ull, 4ull, 17ull, 65537ull, 0xfffffffeull}) {
          const LimbVector got = mont.exp_public(base.to_fixed(k).data(), BigInt(e));
          test_support::Bn expected(BN_new());
          BN_mod_exp(expected.get(), to_bn(base).get(), to_bn(BigInt(e)).get(), to_bn(m).get(), ctx.get());
          ASSERT_EQ(BigInt::from_limbs(got.data(), k), from_bn(expected.get())) << "k=" << k << " e=" << e;
        }
      }
    }
  }
}

}  // namespace
}  // namespace tls12::crypto
