// The P-384 group for signature verification (FIPS 186-5 §6, SP 800-186
// §3.2.1.4; SEC 1 §2.3 for the encoding): the complete formulas of
// ec_point.h over six-limb Montgomery arithmetic, a public-scalar double
// multiplication, and point decoding with the on-curve check.
#include "crypto/p384.h"

namespace tls12::crypto::p384 {
namespace {

// b and the base point G (SP 800-186 §3.2.1.4), as plain integers.
constexpr Limbs kB = {0x2a85c8edd3ec2aef, 0xc656398d8a2ed19d, 0x0314088f5013875a,
                      0x181d9c6efe814112, 0x988e056be3f82d19, 0xb3312fa7e23ee7e4};
constexpr Limbs kGx = {0x3a545e3872760ab7, 0x5502f25dbf55296c, 0x59f741e082542a38,
                       0x6e1d3b628ba79b98, 0x8eb1c71ef320ad74, 0xaa87ca22be8b0537};
constexpr Limbs kGy = {0x7a431d7c90ea0e5f, 0x0a60b1ce1d7e819d, 0xe9da3113b5f0b8c0,
                       0xf8f41dbd289a147c, 0x5d9e98bf9292dc29, 0x3617de4a96262c6f};

Fe fe(const Limbs& plain) { return {ec_field::to_mont(plain, kFieldP)}; }

const Fe& curve_b() {
  static const Fe b = fe(kB);
  return b;
}

Point infinity() { return {fe({0, 0, 0, 0, 0, 0}), fe({1, 0, 0, 0, 0, 0}), fe({0, 0, 0, 0, 0, 0})}; }

bool bit(const Limbs& k, int i) { return ((k[static_cast<size_t>(i / 64)] >> (i % 64)) & 1) != 0; }

}  // namespace

const Point& generator() {
  static const Point g = {fe(kGx), fe(kGy), fe({1, 0, 0, 0, 0, 0})};
  return g;
}

Point point_add(const Point& p, const Point& q) { return ec_point::complete_add(p, q, curve_b()); }
Point point_double(const Point& p) { return ec_point::complete_double(p, curve_b()); }

Point double_scalar_mult_public(const Limbs& u1, const Limbs& u2, const Point& q) {
  const Point& g = generator();
  const Point g_plus_q = point_add(g, q);
  Point acc = infinity();
  for (int i = 383; i >= 0; --i) {
    acc = point_double(acc);
    const bool b1 = bit(u1, i), b2 = bit(u2, i);
    if (b1 && b2) acc = point_add(acc, g_plus_q);
    else if (b1) acc = point_add(acc, g);
    else if (b2) acc = point_add(acc, q);
  }
  return acc;
}

std::optional<Limbs> affine_x(const Point& p) {
  if (ec_field::is_zero_mask(p.z.v)) return std::nullopt;
  const Fe z_inv = {ec_field::mont_inverse(p.z.v, kFieldP)};
  return ec_field::from_mont((p.x * z_inv).v, kFieldP);
}

std::optional<Point> decode_point(ByteView encoded) {
  // 0x00 (infinity) and 0x02/0x03 (compressed) have other lengths; the
  // length check refuses them along with everything else that is not 97 bytes.
  if (encoded.size() != point_size || encoded[0] != 0x04) return std::nullopt;
  const Limbs x = limbs_from_bytes(encoded.subspan<1, 48>());
  const Limbs y = limbs_from_bytes(encoded.subspan<49, 48>());
  // A coordinate >= p would be a second encoding of the same point.
  if (!ec_field::less_than_mask(x, kFieldP.m) || !ec_field::less_than_mask(y, kFieldP.m)) return std::nullopt;
  const Point pt = {fe(x), fe(y), fe({1, 0, 0, 0, 0, 0})};
  // y^2 = x^3 - 3x + b (SEC 1 §3.2.2.1): a point off the curve is refused.
  const Fe three_x = pt.x + pt.x + pt.x;
  const Fe rhs = pt.x * pt.x * pt.x - three_x + curve_b();
  if (!ec_field::equal_mask(square(pt.y).v, rhs.v)) return std::nullopt;
  return pt;
}

}  // namespace tls12::crypto::p384
