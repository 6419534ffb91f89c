// Poly1305 (RFC 8439 §2.5) twice: in 26-bit limbs (the reference) and in
// 64-bit limbs with 128-bit products (the fast one used with AVX2 ChaCha20).
//
// The MAC: split the message into 16-byte little-endian numbers, add 2^(8n)
// to each (the 0x01 byte of §2.5.1), and for each one
//     acc = (acc + n) * r  mod  p,   p = 2^130 - 5,
// then tag = (acc + s) mod 2^128. r is "clamped" (§2.5: some bits cleared),
// which keeps the products small enough for the limb arithmetic below.
//
// Reduction uses 2^130 = 5 (mod p): whatever lies above bit 130 is folded
// back in multiplied by 5. Both versions only add, multiply, shift and mask:
// no branch or table index depends on the key or the message, so they run in
// constant time. The final "subtract p if acc >= p" is done with a mask.
#include <cstring>

#include "crypto/chacha20_poly1305.h"

namespace tls12::crypto {

namespace {

uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

uint64_t load_le64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);  // x86-64 is little-endian, as Poly1305's numbers are
  return v;
}

void store_le64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }

constexpr uint32_t kMask26 = 0x3ffffff;
using u128 = unsigned __int128;

}  // namespace

// ---------------------------------------------------------------- 26-bit limbs
// A 130-bit number as five 26-bit limbs: each limb product is below 2^52 and a
// sum of five fits in 64 bits. Limbs of r are at most 2^26 after clamping, so
// 5 * r_i (the "s" values below, for products that wrap past 2^130) fit too.

Poly1305Reference::Poly1305Reference(const uint8_t key[32]) : r{}, s{}, acc{} {
  // §2.5: r = le(key[0..15]) with the clamp r &= 0x0ffffffc0ffffffc0ffffffc0fffffff,
  // read 26 bits at a time (the masks apply the clamp to each limb).
  r[0] = load_le32(key + 0) & 0x3ffffff;
  r[1] = (load_le32(key + 3) >> 2) & 0x3ffff03;
  r[2] = (load_le32(key + 6) >> 4) & 0x3ffc0ff;
  r[3] = (load_le32(key + 9) >> 6) & 0x3f03fff;
  r[4] = (load_le32(key + 12) >> 8) & 0x00fffff;
  for (int i = 0; i < 4; ++i) s[i] = load_le32(key + 16 + 4 * i);
}

void Poly1305Reference::add_blocks(const uint8_t* m, size_t blocks, uint32_t top_bit) {
  const uint64_t r0 = r[0], r1 = r[1], r2 = r[2], r3 = r[3], r4 = r[4];
  const uint64_t s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  for (size_t b = 0; b < blocks; ++b, m += 16) {
    // acc += n, with the 2^128 bit (bit 24 of the top limb) unless told not to.
    const uint64_t a0 = acc[0] + (load_le32(m + 0) & kMask26);
    const uint64_t a1 = acc[1] + ((load_le32(m + 3) >> 2) & kMask26);
    const uint64_t a2 = acc[2] + ((load_le32(m + 6) >> 4) & kMask26);
    const uint64_t a3 = acc[3] + ((load_le32(m + 9) >> 6) & kMask26);
    const uint64_t a4 = acc[4] + ((load_le32(m + 12) >> 8) | (top_bit << 24));
    // acc *= r: schoolbook, with limb products at 2^130 and above folded back
    // times 5 (that is what s_i = 5 * r_i does).
    uint64_t d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
    uint64_t d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
    uint64_t d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
    uint64_t d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
    uint64_t d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
    // Carry each limb into the next; the carry out of the top limb wraps times 5.
    d1 += d0 >> 26;
    d2 += d1 >> 26;
    d3 += d2 >> 26;
    d4 += d3 >> 26;
    uint64_t c = d4 >> 26;
    acc[4] = static_cast<uint32_t>(d4) & kMask26;
    acc[3] = static_cast<uint32_t>(d3) & kMask26;
    acc[2] = static_cast<uint32_t>(d2) & kMask26;
    d0 = (d0 & kMask26) + c * 5;
    acc[0] = static_cast<uint32_t>(d0) & kMask26;
    acc[1] = (static_cast<uint32_t>(d1) & kMask26) + static_cast<uint32_t>(d0 >> 26);
  }
}

void Poly1305Reference::add_final_partial(const uint8_t* m, size_t n) {
  // §2.5.1: a short last block gets its 0x01 byte right after its n bytes,
  // and so no 2^128.
  uint8_t block[16] = {};
  std::memcpy(block, m, n);
  block[n] = 1;
  add_blocks(block, 1, 0);
}

void Poly1305Reference::finish(uint8_t tag[16]) {
  // Full carry, so every limb is below 2^26 and acc < 2^130 + small.
  uint32_t h0 = acc[0], h1 = acc[1], h2 = acc[2], h3 = acc[3], h4 = acc[4];
  uint32_t c;
  c = h1 >> 26; h1 &= kMask26; h2 += c;
  c = h2 >> 26; h2 &= kMask26; h3 += c;
  c = h3 >> 26; h3 &= kMask26; h4 += c;
  c = h4 >> 26; h4 &= kMask26; h0 += c * 5;
  c = h0 >> 26; h0 &= kMask26; h1 += c;
  // g = acc - p = acc + 5 - 2^130; if that is not negative, acc >= p and g is
  // the reduced value. The sign of g4 decides, through a mask, not a branch.
  uint32_t g0 = h0 + 5; c = g0 >> 26; g0 &= kMask26;
  uint32_t g1 = h1 + c; c = g1 >> 26; g1 &= kMask26;
  uint32_t g2 = h2 + c; c = g2 >> 26; g2 &= kMask26;
  uint32_t g3 = h3 + c; c = g3 >> 26; g3 &= kMask26;
  uint32_t g4 = h4 + c - (1u << 26);
  const uint32_t use_g = (g4 >> 31) - 1;  // all ones when g4 did not go negative
  h0 = (h0 & ~use_g) | (g0 & use_g);
  h1 = (h1 & ~use_g) | (g1 & use_g);
  h2 = (h2 & ~use_g) | (g2 & use_g);
  h3 = (h3 & ~use_g) | (g3 & use_g);
  h4 = (h4 & ~use_g) | (g4 & use_g);
  // Repack into four 32-bit words (mod 2^128) and add s.
  const uint32_t w0 = h0 | (h1 << 26), w1 = (h1 >> 6) | (h2 << 20);
  const uint32_t w2 = (h2 >> 12) | (h3 << 14), w3 = (h3 >> 18) | (h4 << 8);
  uint64_t f = uint64_t{w0} + s[0];
  uint32_t out[4];
  out[0] = static_cast<uint32_t>(f);
  f = uint64_t{w1} + s[1] + (f >> 32); out[1] = static_cast<uint32_t>(f);
  f = uint64_t{w2} + s[2] + (f >> 32); out[2] = static_cast<uint32_t>(f);
  f = uint64_t{w3} + s[3] + (f >> 32); out[3] = static_cast<uint32_t>(f);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) tag[4 * i + j] = static_cast<uint8_t>(out[i] >> (8 * j));
  secure_zero(this, sizeof *this);
}

// ---------------------------------------------------------------- 64-bit limbs
// The block step is Poly1305Fast::add_block in the header.

Poly1305Fast::Poly1305Fast(const uint8_t key[32]) {
  r0 = load_le64(key) & 0x0ffffffc0fffffffULL;
  r1 = load_le64(key + 8) & 0x0ffffffc0ffffffcULL;
  s1 = r1 + (r1 >> 2);
  pad0 = load_le64(key + 16);
  pad1 = load_le64(key + 24);
  h0 = h1 = h2 = 0;
}

void Poly1305Fast::add_final_partial(const uint8_t* m, size_t n) {
  uint8_t block[16] = {};
  std::memcpy(block, m, n);
  block[n] = 1;  // §2.5.1: 0x01 after the bytes, and no 2^128
  add_blocks(block, 1, 0);
}

void Poly1305Fast::finish(uint8_t tag[16]) {
  // g = acc + 5; if it reaches 2^130, acc >= p and acc - p = g mod 2^130.
  u128 t = u128{h0} + 5;
  const uint64_t g0 = static_cast<uint64_t>(t);
  t = u128{h1} + static_cast<uint64_t>(t >> 64);
  const uint64_t g1 = static_cast<uint64_t>(t);
  const uint64_t g2 = h2 + static_cast<uint64_t>(t >> 64);
  const uint64_t use_g = 0 - (g2 >> 2);  // all ones when bit 130 of g is set
  const uint64_t a0 = (h0 & ~use_g) | (g0 & use_g);
  const uint64_t a1 = (h1 & ~use_g) | (g1 & use_g);
  // tag = (acc + s) mod 2^128
  t = u128{a0} + pad0;
  store_le64(tag, static_cast<uint64_t>(t));
  t = u128{a1} + pad1 + static_cast<uint64_t>(t >> 64);
  store_le64(tag + 8, static_cast<uint64_t>(t));
  secure_zero(this, sizeof *this);
}

}  // namespace tls12::crypto
