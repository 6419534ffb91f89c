// SHA-1 (FIPS 180-4 §5.3.1, §6.1): the hash inside HMAC-SHA1, the record MAC of
// the *_CBC_SHA cipher suites. Nothing else in tls12 may use it (crypto/sha1.h).
//
// The structure is SHA-256's (crypto/sha2.cpp): pad with 1, zeros and the
// 64-bit bit length (§5.1.1); cut into 64-byte blocks; fold each block into a
// five-word state. The compression function (§6.1.2) expands the 16 words of a
// block into 80 with a rotate-by-one (the one change SHA-1 made to SHA-0) and
// runs 80 rounds in four groups of 20, each with its own f and K (§4.1.1, §4.2.1).
//
// With the x86 SHA extensions, SHA1RNDS4 runs four rounds (its immediate picks
// f and K of the group), SHA1NEXTE adds the next four message words to the
// rotated E, and SHA1MSG1/SHA1MSG2 with an XOR compute the message schedule
// four words at a time; sha1_compress_shani is the same computation, chosen at
// run time as for SHA-256.
#include "crypto/sha1.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "crypto/cpu.h"

namespace tls12::crypto {

namespace {

constexpr std::array<uint32_t, 5> H0_1 = {0x67452301U, 0xefcdab89U, 0x98badcfeU, 0x10325476U, 0xc3d2e1f0U};

constexpr uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

// §4.1.1 f_t and §4.2.1 K_t for the round group of t.
uint32_t f(int t, uint32_t x, uint32_t y, uint32_t z) {
  if (t < 20) return (x & y) ^ (~x & z);            // Ch
  if (t < 40 || t >= 60) return x ^ y ^ z;          // Parity
  return (x & y) ^ (x & z) ^ (y & z);               // Maj
}

constexpr uint32_t K(int t) {
  return t < 20 ? 0x5a827999U : t < 40 ? 0x6ed9eba1U : t < 60 ? 0x8f1bbcdcU : 0xca62c1d6U;
}

}  // namespace

namespace detail {

std::array<uint32_t, 5> sha1_initial_state() { return H0_1; }

// §6.1.2, one iteration per block. The branches in f and K depend on the round
// number only, never on data.
void sha1_compress_portable(std::array<uint32_t, 5>& h, const uint8_t* data, size_t blocks) {
  uint32_t W[80];
  for (; blocks > 0; --blocks, data += Sha1::block_size) {
    // Step 1: the message schedule.
    for (int t = 0; t < 16; ++t) W[t] = load_be32(data + 4 * t);
    for (int t = 16; t < 80; ++t) W[t] = rotl(W[t - 3] ^ W[t - 8] ^ W[t - 14] ^ W[t - 16], 1);
    // Steps 2-3.
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
#pragma GCC unroll 20
    for (int t = 0; t < 80; ++t) {
      const uint32_t T = rotl(a, 5) + f(t, b, c, d) + e + K(t) + W[t];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = T;
    }
    // Step 4.
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  secure_zero(W, sizeof W);
}

namespace {

// Four rounds of group `g` (0..19); SHA1RNDS4 needs its function as an
// immediate, hence the switch on the (public) round number.
__attribute__((target("sha,sse4.1"))) inline __m128i four_rounds(__m128i abcd, __m128i e, int g) {
  switch (g / 5) {
    case 0: return _mm_sha1rnds4_epu32(abcd, e, 0);
    case 1: return _mm_sha1rnds4_epu32(abcd, e, 1);
    case 2: return _mm_sha1rnds4_epu32(abcd, e, 2);
    default: return _mm_sha1rnds4_epu32(abcd, e, 3);
  }
}

}  // namespace

// The 80 rounds as 20 groups of four. W for group g sits in msg[g % 4]: the
// first four are loaded (big-endian), each later one is made over the three
// groups before it is used: SHA1MSG1 at g-3, XOR at g-2, SHA1MSG2 at g-1.
__attribute__((target("sha,sse4.1"))) void sha1_compress_shani(std::array<uint32_t, 5>& h, const uint8_t* data,
                                                               size_t blocks) {
  const __m128i byte_swap = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h.data())), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(h[4]), 0, 0, 0);
  for (; blocks > 0; --blocks, data += Sha1::block_size) {
    const __m128i abcd_before = abcd, e_before = e0;
    __m128i msg[4];
    __m128i e_saved = abcd;
    // Unrolled so that msg[] lives in registers and every branch on g folds away;
    // a rolled loop spills msg[] and computes g % 4 with a division.
#pragma GCC unroll 20
    for (int g = 0; g < 20; ++g) {
      if (g < 4) msg[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byte_swap);
      if (g >= 3 && g <= 18) msg[(g + 1) % 4] = _mm_sha1msg2_epu32(msg[(g + 1) % 4], msg[g % 4]);
      const __m128i e = g == 0 ? _mm_add_epi32(e0, msg[0]) : _mm_sha1nexte_epu32(e_saved, msg[g % 4]);
      e_saved = abcd;
      abcd = four_rounds(abcd, e, g);
      if (g >= 1 && g <= 16) msg[(g + 3) % 4] = _mm_sha1msg1_epu32(msg[(g + 3) % 4], msg[g % 4]);
      if (g >= 2 && g <= 17) msg[(g + 2) % 4] = _mm_xor_si128(msg[(g + 2) % 4], msg[g % 4]);
    }
    e0 = _mm_sha1nexte_epu32(e_saved, e_before);
    abcd = _mm_add_epi32(abcd, abcd_before);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(h.data()), _mm_shuffle_epi32(abcd, 0x1B));
  h[4] = static_cast<uint32_t>(_mm_extract_epi32(e0, 3));
}

void sha1_compress(std::array<uint32_t, 5>& h, const uint8_t* data, size_t blocks) {
  static const auto selected = cpu_features().sha_ni ? &sha1_compress_shani : &sha1_compress_portable;
  selected(h, data, blocks);
}

}  // namespace detail

Sha1::Sha1() : h_(H0_1) {}

Sha1::~Sha1() {
  secure_zero(h_.data(), sizeof h_);
  blocks_.wipe();
}

void Sha1::update(ByteView data) {
  blocks_.update(data, [&](const uint8_t* p, size_t n) { detail::sha1_compress(h_, p, n); });
}

std::array<uint8_t, Sha1::digest_size> Sha1::finish() {
  // §5.1.1: 0x80, zeros to 56 mod 64, then the 64-bit big-endian bit length.
  blocks_.pad(8, [&](const uint8_t* p, size_t n) { detail::sha1_compress(h_, p, n); });
  std::array<uint8_t, digest_size> digest;
  for (size_t i = 0; i < 5; ++i) store_be32(digest.data() + 4 * i, h_[i]);
  secure_zero(h_.data(), sizeof h_);
  return digest;
}

std::array<uint8_t, 20> sha1(ByteView data) {
  Sha1 h;
  h.update(data);
  return h.finish();
}

}  // namespace tls12::crypto
