// Building blocks shared by the x86 GCM engines (crypto/gcm_aesni.cpp and
// crypto/gcm_vaes.cpp): GHASH multiplication with PCLMULQDQ, single-block AES
// with AES-NI, and the one-block-at-a-time CTR+GHASH loop for message tails.
//
// GHASH with PCLMULQDQ (after Gueron and Kounavis, "Intel Carry-Less
// Multiplication Instruction and its Usage for Computing the GCM Mode"): GCM
// numbers the bits of a block from the left (SP 800-38D §6.3), the reverse of
// how the CPU numbers bits of an integer. Reversing the *bytes* of each block
// (PSHUFB) leaves the bits within each byte reflected; the carry-less product
// of two such reflected values is then the reflected product shifted right by
// one bit, which the shift-left-by-one in `reduce` undoes, followed by the
// reduction modulo x^128 + x^7 + x^2 + x + 1 in two phases of shifts and XORs.
//
// Aggregated reduction: the product of a 128-bit value with H is 256 bits
// before reduction, and reduction is linear, so to absorb blocks X1..Xn at
// once we add up the unreduced products (Y xor X1)•H^n, X2•H^(n-1), ...,
// Xn•H^1 and reduce only the sum: one reduction per 8 (or 16) blocks.
//
// All of it is constant time: PCLMULQDQ, AESENC and vector shifts take the
// same time for any operand, and nothing indexes memory with secret data.
//
// Every function is always_inline with the smallest target it needs, so it
// inlines into callers compiled for larger targets (AVX-512), which then emit
// it with VEX/EVEX encodings and avoid SSE/AVX transition costs.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "crypto/bytes.h"

#define TLS12_GCM_X86_INLINE \
  __attribute__((target("aes,pclmul,sse4.1,ssse3"), always_inline)) inline

namespace tls12::crypto::gcm_x86 {

// The round keys and H of one key, in the byte-reversed GHASH domain: what
// the one-block steps here read, and all that both wide loops share. Every
// connection keeps one per direction for its lifetime, so each loop adds
// only the powers of H it reads (AesniSchedule below, the VAES loop's own
// 512-bit layout), and nothing is kept twice.
struct KeySchedule {
  __m128i rk[15];      // AES round keys, rk[0..nr]
  __m128i h;           // H = CIPH_K(0^128)
  int nr = 0;
};

// The AES-NI 8-block loop's powers of H.
struct AesniSchedule : KeySchedule {
  __m128i h_desc8[8];  // h_desc8[i] = H^(8-i)
  __m128i h_kar8[8];   // high half XOR low half of h_desc8[i] (Karatsuba)
};

TLS12_GCM_X86_INLINE __m128i byte_reverse(__m128i x) {
  return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

TLS12_GCM_X86_INLINE __m128i load(const uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
TLS12_GCM_X86_INLINE void store(uint8_t* p, __m128i v) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v);
}

// An unreduced 256-bit product, kept as its three Karatsuba-free parts:
// lo = a0•b0, hi = a1•b1, mid = a0•b1 + a1•b0 (64-bit halves a1:a0, b1:b0).
struct Wide {
  __m128i lo, mid, hi;
};

TLS12_GCM_X86_INLINE Wide wide_zero() {
  return {_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128()};
}

TLS12_GCM_X86_INLINE void clmul_accumulate(Wide& acc, __m128i a, __m128i b) {
  acc.lo = _mm_xor_si128(acc.lo, _mm_clmulepi64_si128(a, b, 0x00));
  acc.hi = _mm_xor_si128(acc.hi, _mm_clmulepi64_si128(a, b, 0x11));
  acc.mid = _mm_xor_si128(acc.mid, _mm_clmulepi64_si128(a, b, 0x01));
  acc.mid = _mm_xor_si128(acc.mid, _mm_clmulepi64_si128(a, b, 0x10));
}

// Karatsuba's form of the same product, three multiplications instead of
// four: mid = (a0+a1)•(b0+b1) + lo + hi. The "+ lo + hi" is linear too, so it
// is left to `karatsuba_fix`, once per aggregated sum. `b_kar` holds b0+b1
// precomputed in its low half (the powers of H are fixed per key).
TLS12_GCM_X86_INLINE void clmul_accumulate_karatsuba(Wide& acc, __m128i a, __m128i b, __m128i b_kar) {
  acc.lo = _mm_xor_si128(acc.lo, _mm_clmulepi64_si128(a, b, 0x00));
  acc.hi = _mm_xor_si128(acc.hi, _mm_clmulepi64_si128(a, b, 0x11));
  const __m128i a_kar = _mm_xor_si128(a, _mm_shuffle_epi32(a, 0x4e));  // a0+a1 in both halves
  acc.mid = _mm_xor_si128(acc.mid, _mm_clmulepi64_si128(a_kar, b_kar, 0x00));
}

TLS12_GCM_X86_INLINE Wide karatsuba_fix(Wide w) {
  w.mid = _mm_xor_si128(w.mid, _mm_xor_si128(w.lo, w.hi));
  return w;
}

// Reduces the 256-bit product hi:lo (in the reflected domain) to 128 bits.
TLS12_GCM_X86_INLINE __m128i reduce(Wide w) {
  __m128i lo = _mm_xor_si128(w.lo, _mm_slli_si128(w.mid, 8));
  __m128i hi = _mm_xor_si128(w.hi, _mm_srli_si128(w.mid, 8));
  // Shift hi:lo left by one bit: the reflected product is one bit short.
  __m128i carry_lo = _mm_srli_epi32(lo, 31);
  __m128i carry_hi = _mm_srli_epi32(hi, 31);
  lo = _mm_slli_epi32(lo, 1);
  hi = _mm_slli_epi32(hi, 1);
  const __m128i cross = _mm_srli_si128(carry_lo, 12);  // top bit of lo moves into hi
  lo = _mm_or_si128(lo, _mm_slli_si128(carry_lo, 4));
  hi = _mm_or_si128(hi, _mm_slli_si128(carry_hi, 4));
  hi = _mm_or_si128(hi, cross);
  // First phase: fold the low 64 bits (x^128 = x^7 + x^2 + x + 1, reflected:
  // shifts by 31, 30 and 25 within 32-bit lanes, then across lanes).
  __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)),
                            _mm_slli_epi32(lo, 25));
  const __m128i spill = _mm_srli_si128(t, 4);
  lo = _mm_xor_si128(lo, _mm_slli_si128(t, 12));
  // Second phase: shifts by 1, 2 and 7, plus what spilled from the first.
  __m128i u = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)),
                            _mm_srli_epi32(lo, 7));
  u = _mm_xor_si128(u, spill);
  lo = _mm_xor_si128(lo, u);
  return _mm_xor_si128(hi, lo);
}

TLS12_GCM_X86_INLINE __m128i gf_mul(__m128i a, __m128i b) {
  Wide w = wide_zero();
  clmul_accumulate(w, a, b);
  return reduce(w);
}

// GHASH over whole and partial blocks of `data` (zero padded), one block per
// multiplication: for AAD and short inputs.
TLS12_GCM_X86_INLINE __m128i ghash_bytes(__m128i y, __m128i h, const uint8_t* data, size_t len) {
  while (len >= 16) {
    y = gf_mul(_mm_xor_si128(y, byte_reverse(load(data))), h);
    data += 16;
    len -= 16;
  }
  if (len > 0) {
    alignas(16) uint8_t block[16] = {};
    std::memcpy(block, data, len);
    y = gf_mul(_mm_xor_si128(y, byte_reverse(load(block))), h);
  }
  return y;
}

TLS12_GCM_X86_INLINE __m128i aes_encrypt(const KeySchedule& ks, __m128i block) {
  block = _mm_xor_si128(block, ks.rk[0]);
  for (int r = 1; r < ks.nr; ++r) block = _mm_aesenc_si128(block, ks.rk[r]);
  return _mm_aesenclast_si128(block, ks.rk[ks.nr]);
}

// The counter block with the 32-bit counter in the low lane: adding to it is
// inc32 (SP 800-38D §6.2), wrapping modulo 2^32 as the standard says.
TLS12_GCM_X86_INLINE __m128i counter_start(const uint8_t iv[12], uint32_t counter) {
  alignas(16) uint8_t j[16];
  std::memcpy(j, iv, 12);
  j[12] = static_cast<uint8_t>(counter >> 24);
  j[13] = static_cast<uint8_t>(counter >> 16);
  j[14] = static_cast<uint8_t>(counter >> 8);
  j[15] = static_cast<uint8_t>(counter);
  return byte_reverse(load(j));
}

// CTR and GHASH one block at a time over whatever the wide loop left:
// fewer than 8 or 16 blocks and the final partial block.
template <bool Encrypt>
TLS12_GCM_X86_INLINE __m128i ctr_ghash_tail(const KeySchedule& ks, __m128i y, __m128i& ctr,
                                            uint8_t* data, size_t len) {
  const __m128i one = _mm_set_epi32(0, 0, 0, 1);
  const __m128i h = ks.h;
  while (len >= 16) {
    const __m128i keystream = aes_encrypt(ks, byte_reverse(ctr));
    ctr = _mm_add_epi32(ctr, one);
    const __m128i in = load(data);
    const __m128i out = _mm_xor_si128(in, keystream);
    store(data, out);
    y = gf_mul(_mm_xor_si128(y, byte_reverse(Encrypt ? out : in)), h);
    data += 16;
    len -= 16;
  }
  if (len > 0) {
    alignas(16) uint8_t block[16] = {};
    std::memcpy(block, data, len);
    const __m128i keystream = aes_encrypt(ks, byte_reverse(ctr));
    ctr = _mm_add_epi32(ctr, one);
    const __m128i in = load(block);
    store(block, _mm_xor_si128(in, keystream));
    std::memcpy(data, block, len);
    // GHASH sees the ciphertext zero padded (SP 800-38D §7.1 step 5): clear
    // the keystream bytes past the end before hashing the encrypted block.
    if (Encrypt) std::memset(block + len, 0, 16 - len);
    y = gf_mul(_mm_xor_si128(y, byte_reverse(Encrypt ? load(block) : in)), h);
  }
  return y;
}

// §7.1 steps 5-6: absorb [len(A)]_64 || [len(C)]_64 and encrypt with J0.
TLS12_GCM_X86_INLINE void finish_tag(const KeySchedule& ks, __m128i y, const uint8_t iv[12],
                                     size_t aad_len, size_t data_len, uint8_t tag[16]) {
  // Byte-reversed, the length block is simply the two 64-bit integers.
  const __m128i lengths = _mm_set_epi64x(static_cast<long long>(aad_len * 8),
                                         static_cast<long long>(data_len * 8));
  y = gf_mul(_mm_xor_si128(y, lengths), ks.h);
  const __m128i ekj0 = aes_encrypt(ks, byte_reverse(counter_start(iv, 1)));
  store(tag, _mm_xor_si128(byte_reverse(y), ekj0));
}

// Fills `ks` for `key` (16 or 32 bytes): round keys and H; and h_desc[i] =
// H^(16-i), from which each wide loop takes the powers it keeps. The caller
// wipes h_desc: the powers of H are as secret as the key.
void prepare_key_schedule(ByteView key, KeySchedule& ks, __m128i h_desc[16]);

}  // namespace tls12::crypto::gcm_x86
