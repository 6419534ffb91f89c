// The NIST P-256 curve (secp256r1, FIPS 186-5 §6, SP 800-186 §3.2.1.3,
// SEC 2 §2.4.2): y^2 = x^3 - 3x + b over the field of p256_field.h, its points
// and scalar multiplication. ECDH (ecdh.h) and ECDSA (ecdsa.h) are built on it;
// TLS names the curve secp256r1 (RFC 8422 §5.1.1, group 23).
//
// Points are kept in projective coordinates (X : Y : Z), meaning the affine
// point (X/Z, Y/Z), with the point at infinity as (0 : 1 : 0), and added with
// the complete formulas of ec_point.h (Renes-Costello-Batina 2016), which have
// no special case for doubling or infinity whose branch could leak.
//
// Encoding is SEC 1 §2.3.3 uncompressed only (0x04 || X || Y, 65 bytes), which
// is the only form RFC 8422 §5.1.2 lets TLS 1.2 peers use.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>

#include "crypto/bytes.h"
#include "crypto/ec_point.h"
#include "crypto/p256_field.h"

namespace tls12::crypto::p256 {

inline constexpr size_t scalar_size = 32;
inline constexpr size_t point_size = 65;  // uncompressed: 0x04 || X || Y

using EncodedPoint = std::array<uint8_t, point_size>;

using Point = ec_point::ProjectivePoint<Fe>;

Point infinity();
const Point& generator();

// All ones if P is the point at infinity (Z = 0).
uint64_t is_infinity_mask(const Point& p);

Point point_add(const Point& p, const Point& q);  // RCB 2016 Algorithm 4
Point point_double(const Point& p);              // RCB 2016 Algorithm 6

// k * P for a secret k (a plain integer below 2^256, not in Montgomery form),
// in constant time: fixed signed 5-bit windows (Booth digits in [-16, 16]),
// each window's multiple picked from a table by reading every entry.
Point scalar_mult(const Limbs& k, const Point& p);
// k * G, with a table of multiples of G computed once (in affine form, so
// each addition is a mixed one): signed 5-bit windows, 52 additions, no
// doublings.
Point scalar_base_mult(const Limbs& k);

// The affine coordinates of P (one inversion of Z), as plain integers
// (not Montgomery form). The point must not be infinity; the caller checks.
void to_affine(const Point& p, Limbs& x, Limbs& y);

// SEC 1 §2.3.4 for the uncompressed form: the leading 0x04, X and Y both below
// p (§2.3.6 step 1), and the point on the curve (§3.2.2.1 step 3). The point
// at infinity (a single 0x00 octet) and compressed points are refused. Public
// input: this may branch on it.
std::optional<Point> decode_point(ByteView encoded);
// SEC 1 §2.3.3. The point must not be infinity.
EncodedPoint encode_point(const Point& p);

// ---- Keys ---------------------------------------------------------------------

// The private scalar d from its 32 big-endian bytes (SEC 1 §2.3.7), which must
// lie in [1, n-1] (SEC 1 §3.2.1). Returns false otherwise. Whether a key is
// valid is public; the comparison itself runs in constant time, and only its
// verdict is declassified.
[[nodiscard]] bool private_scalar_from_bytes(ByteView private_key, Limbs& d);

// A P-256 key pair: d and Q = d*G (SEC 1 §3.2.1).
struct KeyPair {
  SecretBytes private_key;  // d, 32 bytes big-endian
  EncodedPoint public_key;  // Q, uncompressed
  // d uniform in [1, n-1] by rejection sampling (FIPS 186-5 §A.2.2).
  static KeyPair generate();
  // Throws std::invalid_argument unless private_key is 32 bytes in [1, n-1].
  static KeyPair from_private_key(ByteView private_key);
};

}  // namespace tls12::crypto::p256
