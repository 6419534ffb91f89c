// The P-256 group (FIPS 186-5 §6, SP 800-186 §3.2.1.3; SEC 1 §2.3 for the
// encoding): complete projective addition and doubling (Renes-Costello-Batina
// 2016), constant-time scalar multiplication, and point decoding with the
// on-curve check.
#include "crypto/p256.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <vector>

#include "crypto/bignum.h"
#include "crypto/random.h"

namespace tls12::crypto::p256 {
namespace {

// The curve's coefficient b and the base point G (SP 800-186 §3.2.1.3), as
// plain integers; converted to Montgomery form where used.
constexpr Limbs kB = {0x3bce3c3e27d2604b, 0x651d06b0cc53b0f6, 0xb3ebbd55769886bc, 0x5ac635d8aa3a93e7};
constexpr Limbs kGx = {0xf4a13945d898c296, 0x77037d812deb33a0, 0xf8bce6e563a440f2, 0x6b17d1f2e12c4247};
constexpr Limbs kGy = {0xcbb6406837bf51f5, 0x2bce33576b315ece, 0x8ee7eb4a7c0f9e16, 0x4fe342e2fe1a7f9b};

Fe fe(const Limbs& plain) { return {to_mont(plain, kFieldP)}; }

// 0 is 0 in Montgomery form, and 1 is R mod p: constants, not conversions
// (the k*G loop would otherwise spend a multiplication on each).
constexpr Fe kZero = {{0, 0, 0, 0}};

const Fe& curve_b() {
  static const Fe b = fe(kB);
  return b;
}

// out = mask ? p : out (a mask of all ones or zeros), coordinate by coordinate.
void select_point(Point& out, const Point& p, uint64_t mask) {
  select(out.x.v, p.x.v, mask);
  select(out.y.v, p.y.v, mask);
  select(out.z.v, p.z.v, mask);
}

// ---- Signed 5-bit windows ------------------------------------------------------

// Booth recoding (as OpenSSL's ecp_nistz256 does it): k = sum of d_w * 32^w
// with signed digits d_w in [-16, 16], read from the 6 bits w*5-1 .. w*5+4 of
// k (bit -1 is 0). A digit of magnitude up to 16 needs only 17 table entries
// per window (0..16 times the base) and a conditional negation, where
// unsigned 5-bit digits would need 32; 52 windows cover 256 bits.
constexpr int kBoothWindows = 52;
using BoothWindow = std::array<Point, 17>;

// The 6 bits of k starting at bit `pos` (pos may be -1; bits past 255 are 0).
// Positions are public, so the limb choice may branch; the value may not.
uint64_t six_bits_at(const Limbs& k, int pos) {
  if (pos < 0) return (k[0] << 1) & 0x3f;
  const int limb = pos / 64, shift = pos % 64;
  uint64_t v = k[limb] >> shift;
  if (shift > 58 && limb + 1 < 4) v |= k[limb + 1] << (64 - shift);
  return v & 0x3f;
}

// The magnitude (0..16) and sign (all ones if negative) of window w's digit,
// by arithmetic on the bits only.
void booth_digit(const Limbs& k, int w, uint64_t& magnitude, uint64_t& negative) {
  const uint64_t in = six_bits_at(k, 5 * w - 1);
  negative = mask_from_bit(in >> 5);
  const uint64_t d = ((63 - in) & negative) | (in & ~negative);
  magnitude = (d >> 1) + (d & 1);
}

// table[magnitude], without using the secret digit as an address: every
// entry is read, and the mask keeps only the wanted one. Indexing the table
// directly would load a cache line chosen by the secret, which a process
// sharing the cache can observe (cache-timing attacks on table lookups).
// Then negated by mask: -(X : Y : Z) = (X : -Y : Z).
Point booth_lookup(const BoothWindow& table, uint64_t magnitude, uint64_t negative) {
  Point out = table[0];
  for (uint64_t j = 1; j < 17; ++j) {
    // (magnitude ^ j) - 1 has its top bit set exactly when magnitude == j (both < 32).
    select_point(out, table[j], mask_from_bit(((magnitude ^ j) - 1) >> 63));
  }
  const Fe minus_y = {mod_sub({0, 0, 0, 0}, out.y.v, kFieldP)};
  select(out.y.v, minus_y.v, negative);
  return out;
}

// ---- The fixed base G -----------------------------------------------------------

// A point in affine form (x, y), Montgomery form: what the table of multiples
// of G holds, because adding an affine point (Z = 1) costs one multiplication
// less than adding a projective one, and the table is a third smaller to scan.
struct AffinePoint {
  Fe x, y;
};
using AffineWindow = std::array<AffinePoint, 16>;  // j * 32^w * G for j = 1..16

// table[magnitude - 1], read as booth_lookup reads (every entry, masked), and
// negated by mask; (0, 0) for a zero digit, which the caller must not add
// (infinity has no affine form).
AffinePoint affine_lookup(const AffineWindow& table, uint64_t magnitude, uint64_t negative) {
  AffinePoint out = {kZero, kZero};
  for (uint64_t j = 1; j <= 16; ++j) {
    const uint64_t mask = mask_from_bit(((magnitude ^ j) - 1) >> 63);
    select(out.x.v, table[j - 1].x.v, mask);
    select(out.y.v, table[j - 1].y.v, mask);
  }
  const Fe minus_y = {mod_sub({0, 0, 0, 0}, out.y.v, kFieldP)};
  select(out.y.v, minus_y.v, negative);
  return out;
}

// Every point's (X/Z, Y/Z) with one field inversion in all (Montgomery's
// trick): invert the product of all Z, then peel each Z^-1 off it with two
// multiplications. The points are public multiples of G, none of them infinity.
std::vector<AffinePoint> batch_to_affine(const std::vector<Point>& points) {
  std::vector<Fe> prefix(points.size());  // Z_0 * ... * Z_i
  Fe product = {kFieldP.one};
  for (size_t i = 0; i < points.size(); ++i) prefix[i] = product = product * points[i].z;
  Fe inverse = {field_inverse(product.v)};  // (Z_0 * ... * Z_last)^-1
  std::vector<AffinePoint> out(points.size());
  for (size_t i = points.size(); i-- > 0;) {
    const Fe z_inv = i == 0 ? inverse : inverse * prefix[i - 1];
    inverse = inverse * points[i].z;
    out[i] = {points[i].x * z_inv, points[i].y * z_inv};
  }
  return out;
}

// For k*G: window w of the table holds j * 32^w * G for j = 1..16, so k*G is
// the sum of one looked-up entry per window: 52 mixed additions, no
// doublings. Built once (about 1,100 point operations and one inversion) and
// shared; read-only after.
const std::array<AffineWindow, kBoothWindows>& base_table() {
  static const std::unique_ptr<std::array<AffineWindow, kBoothWindows>> table = [] {
    std::vector<Point> multiples;
    multiples.reserve(kBoothWindows * 16);
    Point base = generator();
    for (int w = 0; w < kBoothWindows; ++w) {
      Point multiple = base;
      for (size_t j = 1; j <= 16; ++j) {
        multiples.push_back(multiple);
        multiple = point_add(multiple, base);
      }
      for (int i = 0; i < 5; ++i) base = point_double(base);
    }
    const std::vector<AffinePoint> affine = batch_to_affine(multiples);
    auto t = std::make_unique<std::array<AffineWindow, kBoothWindows>>();
    for (size_t i = 0; i < affine.size(); ++i) (*t)[i / 16][i % 16] = affine[i];
    return t;
  }();
  return *table;
}

}  // namespace

Point infinity() { return {kZero, Fe{kFieldP.one}, kZero}; }

const Point& generator() {
  static const Point g = {fe(kGx), fe(kGy), fe({1, 0, 0, 0})};
  return g;
}

uint64_t is_infinity_mask(const Point& p) { return is_zero_mask(p.z.v); }

Point point_add(const Point& p, const Point& q) { return ec_point::complete_add(p, q, curve_b()); }
Point point_double(const Point& p) { return ec_point::complete_double(p, curve_b()); }

// Signed 5-bit windows (the Booth digits of k*G below) from the most
// significant: the same 255 doublings and 51 additions for every k (a zero
// digit adds infinity, which the complete formula handles like any other
// point), so the time says nothing about k.
Point scalar_mult(const Limbs& k, const Point& p) {
  BoothWindow table;
  table[0] = infinity();
  table[1] = p;
  for (size_t j = 2; j < 17; ++j) table[j] = (j % 2 == 0) ? point_double(table[j / 2]) : point_add(table[j - 1], p);
  uint64_t magnitude, negative;
  booth_digit(k, kBoothWindows - 1, magnitude, negative);
  Point acc = booth_lookup(table, magnitude, negative);
  for (int w = kBoothWindows - 2; w >= 0; --w) {
    for (int i = 0; i < 5; ++i) acc = point_double(acc);
    booth_digit(k, w, magnitude, negative);
    acc = point_add(acc, booth_lookup(table, magnitude, negative));
  }
  return acc;
}

Point scalar_base_mult(const Limbs& k) {
  const auto& table = base_table();
  Point acc = infinity();
  for (int w = 0; w < kBoothWindows; ++w) {
    uint64_t magnitude, negative;
    booth_digit(k, w, magnitude, negative);
    const AffinePoint q = affine_lookup(table[w], magnitude, negative);
    const Point sum = ec_point::complete_mixed_add(acc, q.x, q.y, curve_b());
    // A zero digit adds nothing: the sum (computed all the same, with a
    // placeholder q) is dropped by mask, not by a branch.
    select_point(acc, sum, ~mask_from_bit((magnitude - 1) >> 63));
  }
  return acc;
}

void to_affine(const Point& p, Limbs& x, Limbs& y) {
  const Fe z_inv = {field_inverse(p.z.v)};
  x = from_mont((p.x * z_inv).v, kFieldP);
  y = from_mont((p.y * z_inv).v, kFieldP);
}

std::optional<Point> decode_point(ByteView encoded) {
  // 0x00 (infinity) and 0x02/0x03 (compressed) have other lengths; the
  // length check refuses them along with everything else that is not 65 bytes.
  if (encoded.size() != point_size || encoded[0] != 0x04) return std::nullopt;
  const Limbs x = limbs_from_bytes(encoded.subspan<1, 32>());
  const Limbs y = limbs_from_bytes(encoded.subspan<33, 32>());
  // A coordinate >= p would name the same field element as x - p: two
  // encodings of one point, which SEC 1 §2.3.6 forbids.
  if (!less_than_mask(x, kFieldP.m) || !less_than_mask(y, kFieldP.m)) return std::nullopt;
  const Point pt = {fe(x), fe(y), fe({1, 0, 0, 0})};
  // y^2 = x^3 - 3x + b. A point off the curve lies on another curve, possibly
  // of small order, and would let the peer learn our scalar bit by bit
  // (invalid-curve attack); SEC 1 §3.2.2.1 makes this check mandatory.
  const Fe three_x = pt.x + pt.x + pt.x;
  const Fe rhs = pt.x * pt.x * pt.x - three_x + curve_b();
  if (!equal_mask(square(pt.y).v, rhs.v)) return std::nullopt;
  return pt;
}

EncodedPoint encode_point(const Point& p) {
  Limbs x, y;
  to_affine(p, x, y);
  EncodedPoint out{};
  out[0] = 0x04;
  limbs_to_bytes(x, std::span<uint8_t, 32>(out.data() + 1, 32));
  limbs_to_bytes(y, std::span<uint8_t, 32>(out.data() + 33, 32));
  return out;
}

bool private_scalar_from_bytes(ByteView private_key, Limbs& d) {
  if (private_key.size() != scalar_size) return false;
  d = limbs_from_bytes(private_key.first<scalar_size>());
  uint64_t valid = ~is_zero_mask(d) & less_than_mask(d, kOrderN.m);
  ct_declassify(&valid, sizeof valid);
  return valid != 0;
}

KeyPair KeyPair::generate() {
  SecretBytes d(scalar_size);
  Limbs scalar;
  // Out of range only if d is 0 or >= n: probability below 2^-32 per draw.
  do {
    random_bytes(d);
  } while (!private_scalar_from_bytes(d, scalar));
  secure_zero(scalar.data(), sizeof scalar);
  return from_private_key(d);
}

KeyPair KeyPair::from_private_key(ByteView private_key) {
  Limbs d;
  if (!private_scalar_from_bytes(private_key, d))
    throw std::invalid_argument("P-256 private key must be 32 bytes in [1, n-1]");
  KeyPair pair{SecretBytes(private_key.begin(), private_key.end()), encode_point(scalar_base_mult(d))};
  secure_zero(d.data(), sizeof d);
  return pair;
}

}  // namespace tls12::crypto::p256
