// ChaCha20 (RFC 8439 §2.3–§2.4) on sixteen blocks at once with AVX-512F.
//
// The layout of crypto/chacha20_avx2.cpp, twice as wide: register v[i] holds
// state word i of sixteen consecutive blocks (lane j = block counter + j), so
// one quarter round of §2.1 on the registers is that quarter round on all
// sixteen blocks. AVX-512 has a rotate instruction (vprold), so every
// rotation of §2.1 is one instruction instead of a shuffle or two shifts and
// an or, and its 32 registers hold the sixteen state words and the sixteen
// starting words without spilling. After the 20 rounds a 16x16 word
// transpose puts the keystream in byte order, 1 KiB per turn.
//
// Up to four blocks (the AEAD's first blocks, with the Poly1305 key, and a
// short last piece) take the other layout: one block per 128-bit lane, its
// four rows in four registers, the diagonal round reached by rotating rows
// (§2.2's columns then diagonals). Its steps depend on each other, but it
// is a quarter of the work of a sixteen-block turn and takes about 0.6 of
// its time. Nothing branches on secret data; the loop counts depend
// only on the length.
// GCC 12's AVX-512 intrinsic headers start some results from an "undefined"
// register, which -Wmaybe-uninitialized reports inside the headers when inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include <cstring>

#include "crypto/chacha20_poly1305.h"

namespace tls12::crypto {

namespace {

#define TLS12_AVX512 __attribute__((target("avx512f"), always_inline)) inline
// The short fixed loops over state words carry `#pragma GCC unroll`: the
// release build's -O2 would keep them as loops over arrays in memory.

constexpr size_t kChunk = 1024;  // sixteen 64-byte blocks

// §2.1 on sixteen blocks.
TLS12_AVX512 void quarter_round(__m512i& a, __m512i& b, __m512i& c, __m512i& d) {
  a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16);
  c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12);
  a = _mm512_add_epi32(a, b); d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8);
  c = _mm512_add_epi32(c, d); b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);
}

// v[0..15] hold word k of blocks 0..15 (lane j = block j); afterwards v[j]
// holds the sixteen words of block j, in order. Two unpack stages leave
// words 4k..4k+3 of block 4l+m in 128-bit lane l of register 4k+m; two
// 128-bit-lane shuffles then gather the four lanes of each block.
TLS12_AVX512 void transpose16x16(__m512i v[16]) {
  __m512i a[16], b[16];
  #pragma GCC unroll 16
  for (int i = 0; i < 16; i += 2) {
    a[i] = _mm512_unpacklo_epi32(v[i], v[i + 1]);
    a[i + 1] = _mm512_unpackhi_epi32(v[i], v[i + 1]);
  }
  #pragma GCC unroll 16
  for (int i = 0; i < 16; i += 4) {
    b[i] = _mm512_unpacklo_epi64(a[i], a[i + 2]);
    b[i + 1] = _mm512_unpackhi_epi64(a[i], a[i + 2]);
    b[i + 2] = _mm512_unpacklo_epi64(a[i + 1], a[i + 3]);
    b[i + 3] = _mm512_unpackhi_epi64(a[i + 1], a[i + 3]);
  }
  #pragma GCC unroll 16
  for (int m = 0; m < 4; ++m) {
    // 0x44: lanes 0,1 of each source; 0xee: lanes 2,3.
    const __m512i c0 = _mm512_shuffle_i32x4(b[m], b[4 + m], 0x44);
    const __m512i c1 = _mm512_shuffle_i32x4(b[m], b[4 + m], 0xee);
    const __m512i c2 = _mm512_shuffle_i32x4(b[8 + m], b[12 + m], 0x44);
    const __m512i c3 = _mm512_shuffle_i32x4(b[8 + m], b[12 + m], 0xee);
    // 0x88: lanes 0,2 of each source; 0xdd: lanes 1,3.
    v[m] = _mm512_shuffle_i32x4(c0, c2, 0x88);
    v[4 + m] = _mm512_shuffle_i32x4(c0, c2, 0xdd);
    v[8 + m] = _mm512_shuffle_i32x4(c1, c3, 0x88);
    v[12 + m] = _mm512_shuffle_i32x4(c1, c3, 0xdd);
  }
}

// Sixteen keystream blocks starting at `counter`, into out[0..15] in byte
// order (out[j] = block j).
TLS12_AVX512 void keystream16(const uint32_t words[16], uint32_t counter, __m512i out[16]) {
  __m512i start[16];
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) start[i] = _mm512_set1_epi32(static_cast<int>(words[i]));
  start[12] = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(counter)),
                               _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) out[i] = start[i];
  #pragma GCC unroll 2
  for (int round = 0; round < 10; ++round) {
    quarter_round(out[0], out[4], out[8], out[12]);
    quarter_round(out[1], out[5], out[9], out[13]);
    quarter_round(out[2], out[6], out[10], out[14]);
    quarter_round(out[3], out[7], out[11], out[15]);
    quarter_round(out[0], out[5], out[10], out[15]);
    quarter_round(out[1], out[6], out[11], out[12]);
    quarter_round(out[2], out[7], out[8], out[13]);
    quarter_round(out[3], out[4], out[9], out[14]);
  }
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) out[i] = _mm512_add_epi32(out[i], start[i]);
  transpose16x16(out);
}

// Four state words, in each 128-bit lane.
TLS12_AVX512 __m512i row4(const uint32_t* words) {
  return _mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(words)));
}

// Four keystream blocks starting at `counter`, into out[0..255]: lane l of
// row registers a, b, c, d is row 0..3 of block counter + l.
TLS12_AVX512 void keystream4(const uint32_t words[16], uint32_t counter, uint8_t out[256]) {
  const __m512i a0 = row4(words), b0 = row4(words + 4), c0 = row4(words + 8);
  const __m512i d0 = _mm512_add_epi32(_mm512_mask_set1_epi32(row4(words + 12), 0x1111, static_cast<int>(counter)),
                                      _mm512_setr_epi32(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
  __m512i a = a0, b = b0, c = c0, d = d0;
  for (int round = 0; round < 10; ++round) {
    quarter_round(a, b, c, d);  // the four columns
    // Rotate rows 1, 2, 3 left by 1, 2, 3 words: the diagonals become columns.
    b = _mm512_shuffle_epi32(b, _MM_PERM_ADCB);
    c = _mm512_shuffle_epi32(c, _MM_PERM_BADC);
    d = _mm512_shuffle_epi32(d, _MM_PERM_CBAD);
    quarter_round(a, b, c, d);  // the four diagonals
    b = _mm512_shuffle_epi32(b, _MM_PERM_CBAD);
    c = _mm512_shuffle_epi32(c, _MM_PERM_BADC);
    d = _mm512_shuffle_epi32(d, _MM_PERM_ADCB);
  }
  a = _mm512_add_epi32(a, a0);
  b = _mm512_add_epi32(b, b0);
  c = _mm512_add_epi32(c, c0);
  d = _mm512_add_epi32(d, d0);
  // Block l is lane l of a, b, c, d: gather lanes (0x44, 0xee: lanes 0,1 /
  // 2,3 of each source; 0x88, 0xdd: lanes 0,2 / 1,3).
  const __m512i ab01 = _mm512_shuffle_i32x4(a, b, 0x44), cd01 = _mm512_shuffle_i32x4(c, d, 0x44);
  const __m512i ab23 = _mm512_shuffle_i32x4(a, b, 0xee), cd23 = _mm512_shuffle_i32x4(c, d, 0xee);
  _mm512_storeu_si512(out, _mm512_shuffle_i32x4(ab01, cd01, 0x88));
  _mm512_storeu_si512(out + 64, _mm512_shuffle_i32x4(ab01, cd01, 0xdd));
  _mm512_storeu_si512(out + 128, _mm512_shuffle_i32x4(ab23, cd23, 0x88));
  _mm512_storeu_si512(out + 192, _mm512_shuffle_i32x4(ab23, cd23, 0xdd));
}

TLS12_AVX512 void xor_chunk(uint8_t* p, const __m512i ks[16]) {
  #pragma GCC unroll 16
  for (int i = 0; i < 16; ++i) {
    void* q = p + 64 * i;
    _mm512_storeu_si512(q, _mm512_xor_si512(_mm512_loadu_si512(q), ks[i]));
  }
}

// The last `n` (< 1024) bytes: keystream through a buffer, so that no load
// or store touches a byte past the data; four blocks in rows suffice up to 256.
TLS12_AVX512 void xor_tail(const uint32_t words[16], uint32_t counter, uint8_t* p, size_t n, __m512i ks[16]) {
  alignas(64) uint8_t buffer[kChunk];
  if (n <= kChunk / 4) {
    keystream4(words, counter, buffer);
  } else {
    keystream16(words, counter, ks);
    #pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) _mm512_store_si512(buffer + 64 * i, ks[i]);
  }
  xor_bytes_avx2(p, buffer, n);
  secure_zero(buffer, sizeof buffer);
}

}  // namespace

__attribute__((target("avx512f"))) void chacha20_xor_avx512(const uint8_t key[32], uint32_t counter,
                                                           const uint8_t nonce[12], MutableByteView data) {
  // §2.3's state with the counter of the first block.
  uint32_t words[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  std::memcpy(words + 4, key, 32);
  words[12] = counter;
  std::memcpy(words + 13, nonce, 12);
  alignas(64) __m512i ks[16];
  uint8_t* p = data.data();
  for (size_t c = 0; c < data.size() / kChunk; ++c, p += kChunk, counter += 16) {
    keystream16(words, counter, ks);
    xor_chunk(p, ks);
  }
  if (data.size() % kChunk != 0) xor_tail(words, counter, p, data.size() % kChunk, ks);
  secure_zero(ks, sizeof ks);
  secure_zero(words, sizeof words);
}

}  // namespace tls12::crypto
