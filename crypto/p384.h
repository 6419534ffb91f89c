// The NIST P-384 curve (secp384r1, FIPS 186-5 §6, SP 800-186 §3.2.1.4,
// SEC 2 §2.5.1), for verifying ECDSA signatures: the ecdsa-with-SHA384
// signatures of CAs whose keys are on P-384, and ecdsa_secp384r1_sha384 in
// TLS. Only public values pass through here (keys, signatures, hashes), so
// unlike P-256 (p256.h) there is no signing and no secret scalar.
//
// It shares P-256's design: the field and scalar arithmetic is ec_field.h's
// with six 64-bit limbs instead of four, and points are added with the same
// complete projective formulas (ec_point.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "crypto/bytes.h"
#include "crypto/ec_field.h"
#include "crypto/ec_point.h"

namespace tls12::crypto::p384 {

inline constexpr size_t scalar_size = 48;
inline constexpr size_t point_size = 97;  // uncompressed: 0x04 || X || Y

using Limbs = ec_field::Limbs<6>;
using Modulus = ec_field::Modulus<6>;

// p = 2^384 - 2^128 - 2^96 + 2^32 - 1 (SP 800-186 §3.2.1.4).
inline constexpr Modulus kFieldP = {
    {0x00000000ffffffff, 0xffffffff00000000, 0xfffffffffffffffe, 0xffffffffffffffff, 0xffffffffffffffff,
     0xffffffffffffffff},
    0x0000000100000001,
    {0xfffffffe00000001, 0x0000000200000000, 0xfffffffe00000000, 0x0000000200000000, 0x0000000000000001,
     0x0000000000000000},
    {0xffffffff00000001, 0x00000000ffffffff, 0x0000000000000001, 0x0000000000000000, 0x0000000000000000,
     0x0000000000000000}};

// n, the order of the base point G (cofactor 1).
inline constexpr Modulus kOrderN = {
    {0xecec196accc52973, 0x581a0db248b0a77a, 0xc7634d81f4372ddf, 0xffffffffffffffff, 0xffffffffffffffff,
     0xffffffffffffffff},
    0x6ed46089e88fdc45,
    {0x2d319b2419b409a9, 0xff3d81e5df1aa419, 0xbc3e483afcb82947, 0xd40d49174aab1cc5, 0x3fb05b7a28266895,
     0x0c84ee012b39bf21},
    {0x1313e695333ad68d, 0xa7e5f24db74f5885, 0x389cb27e0bc8d220, 0x0000000000000000, 0x0000000000000000,
     0x0000000000000000}};

// A coordinate, in Montgomery form mod p, with the operators ec_point.h's
// formulas use.
struct Fe {
  Limbs v;
};
inline Fe operator+(const Fe& a, const Fe& b) { return {ec_field::mod_add(a.v, b.v, kFieldP)}; }
inline Fe operator-(const Fe& a, const Fe& b) { return {ec_field::mod_sub(a.v, b.v, kFieldP)}; }
inline Fe operator*(const Fe& a, const Fe& b) { return {ec_field::mont_mul(a.v, b.v, kFieldP)}; }
inline Fe square(const Fe& a) { return a * a; }

using Point = ec_point::ProjectivePoint<Fe>;

const Point& generator();
Point point_add(const Point& p, const Point& q);
Point point_double(const Point& p);

// u1*G + u2*Q for public scalars u1, u2 (plain integers below 2^384), as ECDSA
// verification needs: Shamir's trick, one doubling per bit and an addition of
// G, Q or G+Q where the bits ask for one. It branches on the scalars, which
// is fine only because they are public.
Point double_scalar_mult_public(const Limbs& u1, const Limbs& u2, const Point& q);

// x(P) as a plain integer (one inversion of Z); nullopt for infinity.
std::optional<Limbs> affine_x(const Point& p);

// SEC 1 §2.3.4 for the uncompressed form: the leading 0x04, X and Y both below
// p, and the point on the curve (SEC 1 §3.2.2.1). Infinity and compressed
// points are refused.
std::optional<Point> decode_point(ByteView encoded);

inline Limbs limbs_from_bytes(std::span<const uint8_t, 48> in) { return ec_field::limbs_from_bytes<6>(in); }

}  // namespace tls12::crypto::p384
