// P-256 field, scalar and group arithmetic (crypto/p256_field.h, crypto/p256.h)
// against OpenSSL's BIGNUM and EC_POINT as oracles: random operands for every
// field operation mod p and mod n, random scalars for both scalar
// multiplications, and the decoding checks of SEC 1 §2.3.4 / §3.2.2.1.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <memory>

#include "crypto/p256.h"
#include "crypto/random.h"
#include "tests/crypto/bignum_oracle.h"

namespace tls12::crypto::p256 {
namespace {

using test_support::Bn;

std::array<uint8_t, 32> bytes_of(const Limbs& a) {
  std::array<uint8_t, 32> out{};
  limbs_to_bytes(a, out);
  return out;
}

Bn bn_of(const Limbs& a) {
  auto b = bytes_of(a);
  return Bn(BN_bin2bn(b.data(), 32, nullptr));
}

Limbs limbs_of(const BIGNUM* b) {
  std::array<uint8_t, 32> out{};
  EXPECT_EQ(BN_bn2binpad(b, out.data(), 32), 32);
  return limbs_from_bytes(out);
}

// A uniformly random value below m (rejection sampling), with the edges
// 0, 1, m-1 mixed in because carries and borrows go wrong there.
Limbs random_below(const Modulus& M, int i) {
  Limbs m_minus_1;
  sub_borrow(m_minus_1, M.m, {1, 0, 0, 0});
  if (i == 0) return {0, 0, 0, 0};
  if (i == 1) return {1, 0, 0, 0};
  if (i == 2) return m_minus_1;
  for (;;) {
    std::array<uint8_t, 32> b{};
    random_bytes(b);
    const Limbs x = limbs_from_bytes(b);
    if (less_than_mask(x, M.m)) return x;
  }
}

struct BnCtx {
  BN_CTX* ctx = BN_CTX_new();
  ~BnCtx() { BN_CTX_free(ctx); }
};

void check_field_against_bignum(const Modulus& M) {
  BnCtx c;
  const Bn m = bn_of(M.m);
  for (int i = 0; i < 200; ++i) {
    const Limbs a = random_below(M, i % 7), b = random_below(M, (i / 7) % 5 + 3 * (i % 2));
    const Bn ba = bn_of(a), bb = bn_of(b);
    Bn r(BN_new());
    BN_mod_add(r.get(), ba.get(), bb.get(), m.get(), c.ctx);
    EXPECT_EQ(mod_add(a, b, M), limbs_of(r.get())) << "add, case " << i;
    BN_mod_sub(r.get(), ba.get(), bb.get(), m.get(), c.ctx);
    EXPECT_EQ(mod_sub(a, b, M), limbs_of(r.get())) << "sub, case " << i;
    BN_mod_mul(r.get(), ba.get(), bb.get(), m.get(), c.ctx);
    const Limbs product = from_mont(mont_mul(to_mont(a, M), to_mont(b, M), M), M);
    EXPECT_EQ(product, limbs_of(r.get())) << "mul, case " << i;
    if (&M == &kFieldP) {
      EXPECT_EQ(field_mul(a, b), mont_mul(a, b, M)) << "field_mul, case " << i;
      EXPECT_EQ(field_sqr(a), mont_mul(a, a, M)) << "field_sqr, case " << i;
    } else {
      EXPECT_EQ(order_mul(a, b), mont_mul(a, b, M)) << "order_mul, case " << i;
      EXPECT_EQ(order_sqr(a), mont_mul(a, a, M)) << "order_sqr, case " << i;
    }
    if (!is_zero_mask(a)) {
      BN_mod_inverse(r.get(), ba.get(), m.get(), c.ctx);
      EXPECT_EQ(from_mont(mont_inverse(to_mont(a, M), M), M), limbs_of(r.get())) << "inverse, case " << i;
    }
  }
}

TEST(P256Field, ArithmeticModPMatchesBignum) { check_field_against_bignum(kFieldP); }
TEST(P256Field, ArithmeticModNMatchesBignum) { check_field_against_bignum(kOrderN); }

TEST(P256Field, AdditionChainInverseMatchesFermat) {
  for (int i = 0; i < 50; ++i) {
    const Limbs a = to_mont(random_below(kFieldP, i), kFieldP);
    EXPECT_EQ(field_inverse(a), mont_inverse(a, kFieldP)) << "case " << i;
  }
}

// The sliding-window inverse mod n (ECDSA's k^-1 and s^-1) against the
// fixed-window Fermat inverse and against a * a^-1 = 1; 0 stays 0.
TEST(P256Field, OrderInverseMatchesFermat) {
  EXPECT_EQ(order_inverse({0, 0, 0, 0}), (Limbs{0, 0, 0, 0}));
  for (int i = 1; i < 50; ++i) {
    const Limbs a = to_mont(random_below(kOrderN, i), kOrderN);
    const Limbs inv = order_inverse(a);
    EXPECT_EQ(inv, mont_inverse(a, kOrderN)) << "case " << i;
    EXPECT_EQ(order_mul(a, inv), kOrderN.one) << "case " << i;
  }
}

TEST(P256Field, MasksAndBytes) {
  const Limbs one = {1, 0, 0, 0}, zero = {0, 0, 0, 0};
  EXPECT_EQ(is_zero_mask(zero), ~uint64_t{0});
  EXPECT_EQ(is_zero_mask(one), 0u);
  EXPECT_EQ(is_zero_mask(Limbs{0, 0, 0, uint64_t{1} << 63}), 0u);
  EXPECT_EQ(less_than_mask(zero, one), ~uint64_t{0});
  EXPECT_EQ(less_than_mask(one, one), 0u);
  EXPECT_EQ(less_than_mask(kFieldP.m, kFieldP.m), 0u);
  const auto b = from_hex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
  const Limbs x = limbs_from_bytes(std::span<const uint8_t, 32>(b.data(), 32));
  EXPECT_EQ(x[3], 0x0102030405060708u);
  EXPECT_EQ(x[0], 0x191a1b1c1d1e1f20u);
  const auto round_trip = bytes_of(x);
  EXPECT_EQ(Bytes(round_trip.begin(), round_trip.end()), b);
}

// ---- The group, against OpenSSL's EC_POINT -------------------------------------

struct OpenSslCurve {
  EC_GROUP* group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
  BN_CTX* ctx = BN_CTX_new();
  ~OpenSslCurve() {
    EC_GROUP_free(group);
    BN_CTX_free(ctx);
  }
  // k*P (P = G when `point` is empty), uncompressed.
  Bytes mul(const Limbs& k, ByteView point = {}) const {
    const Bn bk = bn_of(k);
    EC_POINT* r = EC_POINT_new(group);
    if (point.empty()) {
      EC_POINT_mul(group, r, bk.get(), nullptr, nullptr, ctx);
    } else {
      EC_POINT* p = EC_POINT_new(group);
      EXPECT_EQ(EC_POINT_oct2point(group, p, point.data(), point.size(), ctx), 1);
      EC_POINT_mul(group, r, nullptr, p, bk.get(), ctx);
      EC_POINT_free(p);
    }
    Bytes out(65);
    const size_t n = EC_POINT_point2oct(group, r, POINT_CONVERSION_UNCOMPRESSED, out.data(), out.size(), ctx);
    out.resize(n);
    EC_POINT_free(r);
    return out;
  }
};

Bytes encoded(const Point& p) {
  const auto e = encode_point(p);
  return Bytes(e.begin(), e.end());
}

TEST(P256Group, GeneratorEncodesAsInSp800186) {
  EXPECT_EQ(to_hex(encoded(generator())),
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
  EXPECT_TRUE(decode_point(encoded(generator())).has_value());
}

TEST(P256Group, CompleteFormulasHandleEveryCase) {
  const Point g = generator();
  EXPECT_EQ(encoded(point_add(g, g)), encoded(point_double(g)));  // P + P: no special case needed
  EXPECT_TRUE(is_infinity_mask(point_add(infinity(), infinity())));
  EXPECT_TRUE(is_infinity_mask(point_double(infinity())));
  EXPECT_EQ(encoded(point_add(g, infinity())), encoded(g));
  EXPECT_EQ(encoded(point_add(infinity(), g)), encoded(g));
  const Point minus_g = {g.x, Fe{mod_sub({0, 0, 0, 0}, g.y.v, kFieldP)}, g.z};
  EXPECT_TRUE(is_infinity_mask(point_add(g, minus_g)));  // P + (-P)
}

// The mixed addition of the k*G table (affine Q) against the full one, on the
// cases a complete formula must get right: P infinity, P = Q, P = -Q.
TEST(P256Group, MixedAdditionMatchesProjective) {
  const Point g = generator();
  const Point two_g = point_double(g);
  const Fe minus_y = {mod_sub({0, 0, 0, 0}, g.y.v, kFieldP)};
  const Fe b = {to_mont({0x3bce3c3e27d2604b, 0x651d06b0cc53b0f6, 0xb3ebbd55769886bc, 0x5ac635d8aa3a93e7}, kFieldP)};
  EXPECT_EQ(encoded(ec_point::complete_mixed_add(infinity(), g.x, g.y, b)), encoded(g));
  EXPECT_EQ(encoded(ec_point::complete_mixed_add(g, g.x, g.y, b)), encoded(two_g));  // doubling
  EXPECT_EQ(encoded(ec_point::complete_mixed_add(two_g, g.x, g.y, b)), encoded(point_add(two_g, g)));
  EXPECT_TRUE(is_infinity_mask(ec_point::complete_mixed_add(g, g.x, minus_y, b)));  // P + (-P)
}

// Scalars with zero Booth digits in the low, middle and top windows: the
// k*G loop drops those sums by mask, and must still get the rest right.
TEST(P256Group, BaseMultiplicationWithZeroDigitsMatchesOpenSsl) {
  OpenSslCurve ossl;
  for (const Limbs& k : {Limbs{1, 0, 0, 0}, Limbs{2, 0, 0, 0}, Limbs{32, 0, 0, 0}, Limbs{0, 1, 0, 0},
                         Limbs{0, 0, 0, 0x8000000000000001}, Limbs{0xffffffffffffffe0, 0, 0, 0}}) {
    EXPECT_EQ(encoded(scalar_base_mult(k)), ossl.mul(k)) << std::hex << k[3] << " " << k[1] << " " << k[0];
  }
}

TEST(P256Group, OrderTimesGeneratorIsInfinity) {
  EXPECT_TRUE(is_infinity_mask(scalar_base_mult(kOrderN.m)));
  EXPECT_TRUE(is_infinity_mask(scalar_mult(kOrderN.m, generator())));
  Limbs n_minus_1;
  sub_borrow(n_minus_1, kOrderN.m, {1, 0, 0, 0});
  const Point minus_g = scalar_base_mult(n_minus_1);
  EXPECT_FALSE(is_infinity_mask(minus_g));
  EXPECT_TRUE(is_infinity_mask(point_add(minus_g, generator())));
  EXPECT_TRUE(is_infinity_mask(scalar_base_mult({0, 0, 0, 0})));
}

TEST(P256Group, ScalarMultiplicationMatchesOpenSsl) {
  OpenSslCurve ossl;
  for (int i = 0; i < 40; ++i) {
    const Limbs k = random_below(kOrderN, i == 0 ? 3 : 1 + i), k2 = random_below(kOrderN, 3 + i);
    ASSERT_EQ(encoded(scalar_base_mult(k)), ossl.mul(k)) << "k*G, case " << i;
    const Bytes p = ossl.mul(k2);
    const auto decoded = decode_point(p);
    ASSERT_TRUE(decoded.has_value());
    ASSERT_EQ(encoded(scalar_mult(k, *decoded)), ossl.mul(k, p)) << "k*P, case " << i;
  }
}

// Scalars whose windows hit the recoding's edges: every bit set (every
// signed digit negative, with a carry into the top window), alternating bits,
// and a single top bit.
TEST(P256Group, EdgeScalarsMatchOpenSsl) {
  OpenSslCurve ossl;
  const Bytes g = encoded(generator());
  for (const Limbs& k : {Limbs{~0ull, ~0ull, ~0ull, ~0ull}, Limbs{0xaaaaaaaaaaaaaaaa, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x5555555555555555},
                         Limbs{0, 0, 0, 1ull << 63}, Limbs{0x1f, 0, 0, 0}, Limbs{0x10, 0, 0, 0}}) {
    EXPECT_EQ(encoded(scalar_base_mult(k)), ossl.mul(k)) << std::hex << k[3] << " " << k[0];
    EXPECT_EQ(encoded(scalar_mult(k, generator())), ossl.mul(k, g)) << std::hex << k[3] << " " << k[0];
  }
}

TEST(P256Group, DecodingRefusesWhatSec1Refuses) {
  const Bytes g = encoded(generator());
  EXPECT_FALSE(decode_point(Bytes{0x00}).has_value());  // infinity
  Bytes compressed(g.begin(), g.begin() + 33);
  compressed[0] = 0x02 | (g[64] & 1);
  EXPECT_FALSE(decode_point(compressed).has_value());
  Bytes hybrid = g;
  hybrid[0] = 0x06;
  EXPECT_FALSE(decode_point(hybrid).has_value());
  Bytes off_curve = g;
  off_curve[64] ^= 1;
  EXPECT_FALSE(decode_point(off_curve).has_value());
  Bytes longer = g;
  longer.push_back(0);
  EXPECT_FALSE(decode_point(longer).has_value());
  EXPECT_FALSE(decode_point(ByteView(g).first(64)).has_value());
  // x = p (out of range, though x - p = 0 is a field element): (0, sqrt(b)) is
  // on the curve, so only the range check can refuse x + p.
  const Bytes zero_x = from_hex(
      "0400000000000000000000000000000000000000000000000000000000000000"
      "0066485c780e2f83d72433bd5d84a06bb6541c2af31dae871728bf856a174f93f4");
  ASSERT_TRUE(decode_point(zero_x).has_value());
  Bytes x_is_p = zero_x;
  const auto p_bytes = bytes_of(kFieldP.m);
  std::copy(p_bytes.begin(), p_bytes.end(), x_is_p.begin() + 1);
  EXPECT_FALSE(decode_point(x_is_p).has_value());
}

}  // namespace
}  // namespace tls12::crypto::p256
