// Scalar helpers shared by the vector Poly1305 paths (RFC 8439 §2.5;
// crypto/poly1305_avx2.cpp, crypto/poly1305_avx512.cpp, and for the
// eight-lane powers crypto/poly1305_ifma.cpp). Not part of the library's
// interface.
//
// The vector paths keep 26-bit limbs (so that a 32 x 32 -> 64-bit lane
// multiply multiplies limbs); these helpers make the powers of r in that form
// and hand a sum of lanes back to Poly1305Fast's 64-bit limbs. Adds,
// multiplies, shifts and masks only: no branch or index on the key or data.
#pragma once

#include <cstdint>

#include "crypto/chacha20_poly1305.h"

namespace tls12::crypto::poly1305_detail {

constexpr uint64_t kMask26 = 0x3ffffff;

// A 130-bit number in five 26-bit limbs (scalar), for the powers of r.
struct Limbs26 {
  uint64_t v[5];
};

inline Limbs26 to_limbs26(uint64_t lo, uint64_t hi, uint64_t top) {
  return {{lo & kMask26, (lo >> 26) & kMask26, ((lo >> 52) | (hi << 12)) & kMask26, (hi >> 14) & kMask26,
           (hi >> 40) | (top << 24)}};
}

// One carry pass over five limbs: each keeps 26 bits and passes the rest up;
// what passes 2^130 comes back to limb 0 times 5.
inline void carry_limbs(uint64_t d[5]) {
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) {
    d[i + 1] += d[i] >> 26;
    d[i] &= kMask26;
  }
  d[0] += (d[4] >> 26) * 5;
  d[4] &= kMask26;
}

// a * b mod 2^130 - 5, carried so every limb is below 2^26 (plus a little in limb 1).
inline Limbs26 multiply(const Limbs26& a, const Limbs26& b) {
  uint64_t d[5] = {};
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i)
    #pragma GCC unroll 16
    for (int j = 0; j < 5; ++j) {
      const int k = i + j;  // limb position; 5 and up wrap times 5 (2^130 = 5)
      d[k % 5] += a.v[i] * (k >= 5 ? 5 * b.v[j] : b.v[j]);
    }
  carry_limbs(d);
  d[1] += d[0] >> 26;
  d[0] &= kMask26;
  return {{d[0], d[1], d[2], d[3], d[4]}};
}

// The multipliers of the eight-lane Horner scheme, from r in a vector path's
// limb form (Limbs26 here, the IFMA path's Limbs44) with that form's scalar
// `multiply`: every lane steps by r^8 (step), and the last step multiplies
// lane i by r^(8-i) (last), which lines the eight partial sums up so that
// adding the lanes gives the accumulator.
template <class Limbs>
void eight_lane_powers(const Limbs& r, Limbs step[8], Limbs last[8]) {
  Limbs p[9];  // p[i] = r^i
  p[1] = r;
  p[2] = multiply(p[1], p[1]);
  p[3] = multiply(p[2], p[1]);
  p[4] = multiply(p[2], p[2]);
  p[5] = multiply(p[4], p[1]);
  p[6] = multiply(p[4], p[2]);
  p[7] = multiply(p[4], p[3]);
  p[8] = multiply(p[4], p[4]);
  for (int i = 0; i < 8; ++i) {
    step[i] = p[8];
    last[i] = p[8 - i];
  }
}

// The sum of the lanes (limb sums l[0..4], each well below 2^64) becomes the
// accumulator of `poly` in 64-bit limbs.
inline void store_lane_sum(Poly1305Fast& poly, uint64_t l[5]) {
  using u128 = unsigned __int128;
  carry_limbs(l);
  // By addition, so that a limb a little over 26 bits still lands right:
  // bits 128 and up of the sum go to h2.
  const u128 low = u128{l[0]} + (u128{l[1]} << 26) + (u128{l[2]} << 52) + (u128{l[3]} << 78);
  const u128 top = u128{l[4] & 0xffffff} << 104;
  const u128 sum = low + top;
  poly.h0 = static_cast<uint64_t>(sum);
  poly.h1 = static_cast<uint64_t>(sum >> 64);
  poly.h2 = (l[4] >> 24) + static_cast<uint64_t>(sum < top);
}

}  // namespace tls12::crypto::poly1305_detail
