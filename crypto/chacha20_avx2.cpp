// ChaCha20 (RFC 8439 §2.3–§2.4) on eight blocks at once with AVX2.
//
// Layout: register v[i] holds state word i of eight consecutive blocks (lane
// j = block counter + j), so one quarter round of §2.1 on the registers is
// that quarter round on all eight blocks. Rotations by 16 and 8 are byte
// shuffles; by 12 and 7, two shifts and an or. After the 20 rounds the
// registers are transposed (8x8 words, twice) into the keystream's byte
// order, 512 bytes per turn. Up to two blocks (the AEAD's first turn, which
// makes the Poly1305 key, and short tails) take the other layout: one block
// per 128-bit lane, its four rows in four registers, the diagonal round
// reached by rotating rows; a chain of dependent steps, but about three
// quarters of the time of an eight-block turn. Nothing branches on secret
// data; the loop counts depend only on the length.
#include <immintrin.h>

#include <cstring>

#include "crypto/chacha20_poly1305.h"

namespace tls12::crypto {

namespace {

#define TLS12_AVX2 __attribute__((target("avx2"), always_inline)) inline
// The short fixed loops over state words carry `#pragma GCC unroll`: the
// release build's -O2 would keep them as loops, and the register arrays
// would then live in memory (about half the speed).

constexpr size_t kChunk = 512;  // eight 64-byte blocks

alignas(32) constexpr uint8_t kRotl16[32] = {2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
                                             2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13};
alignas(32) constexpr uint8_t kRotl8[32] = {3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
                                            3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14};

// The byte shuffle reads its pattern from memory on every use (written as
// asm because the compiler would otherwise keep both patterns in registers,
// and the sixteen state words need all sixteen).
TLS12_AVX2 __m256i shuffle_from_memory(__m256i x, const uint8_t (&pattern)[32]) {
  __asm__("vpshufb %1, %0, %0" : "+x"(x) : "m"(*reinterpret_cast<const __m256i*>(pattern)));
  return x;
}

TLS12_AVX2 __m256i rotl16(__m256i x) { return shuffle_from_memory(x, kRotl16); }
TLS12_AVX2 __m256i rotl8(__m256i x) { return shuffle_from_memory(x, kRotl8); }

template <int n>
TLS12_AVX2 __m256i rotl(__m256i x) {
  return _mm256_or_si256(_mm256_slli_epi32(x, n), _mm256_srli_epi32(x, 32 - n));
}

// §2.1 on eight blocks.
TLS12_AVX2 void quarter_round(__m256i& a, __m256i& b, __m256i& c, __m256i& d) {
  a = _mm256_add_epi32(a, b); d = rotl16(_mm256_xor_si256(d, a));
  c = _mm256_add_epi32(c, d); b = rotl<12>(_mm256_xor_si256(b, c));
  a = _mm256_add_epi32(a, b); d = rotl8(_mm256_xor_si256(d, a));
  c = _mm256_add_epi32(c, d); b = rotl<7>(_mm256_xor_si256(b, c));
}

// v[0..7] hold word k of blocks 0..7 (lane j = block j); afterwards v[j]
// holds words 0..7 of block j, in order.
TLS12_AVX2 void transpose8x8(__m256i v[8]) {
  __m256i a[8], b[8];
  #pragma GCC unroll 16
  for (int i = 0; i < 8; i += 2) {
    a[i] = _mm256_unpacklo_epi32(v[i], v[i + 1]);      // words 0,1 | 4,5 of blocks i, i+1
    a[i + 1] = _mm256_unpackhi_epi32(v[i], v[i + 1]);  // words 2,3 | 6,7
  }
  #pragma GCC unroll 16
  for (int i = 0; i < 8; i += 4) {
    b[i] = _mm256_unpacklo_epi64(a[i], a[i + 2]);
    b[i + 1] = _mm256_unpackhi_epi64(a[i], a[i + 2]);
    b[i + 2] = _mm256_unpacklo_epi64(a[i + 1], a[i + 3]);
    b[i + 3] = _mm256_unpackhi_epi64(a[i + 1], a[i + 3]);
  }
  #pragma GCC unroll 16
  for (int i = 0; i < 4; ++i) {
    v[i] = _mm256_permute2x128_si256(b[i], b[i + 4], 0x20);
    v[i + 4] = _mm256_permute2x128_si256(b[i], b[i + 4], 0x31);
  }
}

struct ChaChaInput {
  uint32_t words[16];  // §2.3's state with the counter of the first block

  ChaChaInput(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12]) {
    const uint32_t constants[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
    std::memcpy(words, constants, 16);
    std::memcpy(words + 4, key, 32);
    words[12] = counter;
    std::memcpy(words + 13, nonce, 12);
  }
  ~ChaChaInput() { secure_zero(words, sizeof words); }
};

// Eight keystream blocks starting at `counter`, into out[0..15] in byte order
// (out[2j], out[2j+1] = block j).
TLS12_AVX2 void keystream8(const ChaChaInput& in, uint32_t counter, __m256i out[16]) {
  __m256i x[16], start[16];
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) start[i] = _mm256_set1_epi32(static_cast<int>(in.words[i]));
  start[12] = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(counter)),
                               _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) x[i] = start[i];
  for (int round = 0; round < 10; ++round) {
    quarter_round(x[0], x[4], x[8], x[12]);
    quarter_round(x[1], x[5], x[9], x[13]);
    quarter_round(x[2], x[6], x[10], x[14]);
    quarter_round(x[3], x[7], x[11], x[15]);
    quarter_round(x[0], x[5], x[10], x[15]);
    quarter_round(x[1], x[6], x[11], x[12]);
    quarter_round(x[2], x[7], x[8], x[13]);
    quarter_round(x[3], x[4], x[9], x[14]);
  }
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) x[i] = _mm256_add_epi32(x[i], start[i]);
  transpose8x8(x);
  transpose8x8(x + 8);
  #pragma GCC unroll 16
  for (int j = 0; j < 8; ++j) {
    out[2 * j] = x[j];
    out[2 * j + 1] = x[8 + j];
  }
}

// Four state words, in each 128-bit lane.
TLS12_AVX2 __m256i row2(const uint32_t* words) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(words)));
}

// Two keystream blocks starting at `counter`, into out[0..127]: lane l of
// row registers a, b, c, d is row 0..3 of block counter + l.
TLS12_AVX2 void keystream2(const ChaChaInput& in, uint32_t counter, uint8_t out[128]) {
  const __m256i a0 = row2(in.words), b0 = row2(in.words + 4), c0 = row2(in.words + 8);
  const __m256i counters =
      _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(counter)), _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 0));
  const __m256i d0 = _mm256_blend_epi32(row2(in.words + 12), counters, 0x11);  // word 12 of each lane
  __m256i a = a0, b = b0, c = c0, d = d0;
  for (int round = 0; round < 10; ++round) {
    quarter_round(a, b, c, d);  // the four columns
    // Rotate rows 1, 2, 3 left by 1, 2, 3 words: the diagonals become columns.
    b = _mm256_shuffle_epi32(b, 0x39);
    c = _mm256_shuffle_epi32(c, 0x4e);
    d = _mm256_shuffle_epi32(d, 0x93);
    quarter_round(a, b, c, d);  // the four diagonals
    b = _mm256_shuffle_epi32(b, 0x93);
    c = _mm256_shuffle_epi32(c, 0x4e);
    d = _mm256_shuffle_epi32(d, 0x39);
  }
  a = _mm256_add_epi32(a, a0);
  b = _mm256_add_epi32(b, b0);
  c = _mm256_add_epi32(c, c0);
  d = _mm256_add_epi32(d, d0);
  // Block l is lane l of a, b, c, d (0x20: the low lanes of both sources, 0x31: the high).
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_permute2x128_si256(a, b, 0x20));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 32), _mm256_permute2x128_si256(c, d, 0x20));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 64), _mm256_permute2x128_si256(a, b, 0x31));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 96), _mm256_permute2x128_si256(c, d, 0x31));
}

TLS12_AVX2 void xor_chunk(uint8_t* p, const __m256i ks[16]) {
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    __m256i* q = reinterpret_cast<__m256i*>(p + 32 * i);
    _mm256_storeu_si256(q, _mm256_xor_si256(_mm256_loadu_si256(q), ks[i]));
  }
}

// The last `n` (< 512) bytes: keystream through a buffer, so that no load or
// store touches a byte past the data; two blocks in rows suffice up to 128.
TLS12_AVX2 void xor_tail(const ChaChaInput& in, uint32_t counter, uint8_t* p, size_t n, __m256i ks[16]) {
  alignas(32) uint8_t buffer[kChunk];
  if (n <= 128) {
    keystream2(in, counter, buffer);
  } else {
    keystream8(in, counter, ks);
    #pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) _mm256_store_si256(reinterpret_cast<__m256i*>(buffer + 32 * i), ks[i]);
  }
  xor_bytes_avx2(p, buffer, n);
  secure_zero(buffer, sizeof buffer);
}

}  // namespace

__attribute__((target("avx2"))) void xor_bytes_avx2(uint8_t* data, const uint8_t* keystream, size_t n) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i* q = reinterpret_cast<__m256i*>(data + i);
    const __m256i k = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keystream + i));
    _mm256_storeu_si256(q, _mm256_xor_si256(_mm256_loadu_si256(q), k));
  }
  for (; i < n; ++i) data[i] ^= keystream[i];
}

__attribute__((target("avx2"))) void chacha20_xor_avx2(const uint8_t key[32], uint32_t counter,
                                                      const uint8_t nonce[12], MutableByteView data) {
  const ChaChaInput in(key, counter, nonce);
  alignas(32) __m256i ks[16];
  uint8_t* p = data.data();
  for (size_t c = 0; c < data.size() / kChunk; ++c, p += kChunk, counter += 8) {
    keystream8(in, counter, ks);
    xor_chunk(p, ks);
  }
  if (data.size() % kChunk != 0) xor_tail(in, counter, p, data.size() % kChunk, ks);
  secure_zero(ks, sizeof ks);
}

}  // namespace tls12::crypto
