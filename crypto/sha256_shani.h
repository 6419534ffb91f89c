// SHA-256 (FIPS 180-4 §6.2.2) with the x86 SHA extensions (SHA-NI), as inline
// pieces: crypto/sha2.cpp's compression function runs them in a loop, and the
// stitched AES-CBC + SHA-256 loop (crypto/cbc_sha256_stitched.cpp) puts AES
// rounds between them.
//
// The CPU keeps the eight working variables in two registers, ABEF and CDGH
// (its own order): SHA256RNDS2 does two rounds (step 3) from CDGH, ABEF and two
// words W(t)+K(t); SHA256MSG1 and SHA256MSG2 compute the message schedule
// (step 1) four words at a time: W(t) = sigma1(W(t-2)) + W(t-7) +
// sigma0(W(t-15)) + W(t-16), with MSG1 adding the sigma0 term, PALIGNR
// supplying W(t-7) and MSG2 the sigma1 one.
#pragma once

#include <immintrin.h>

#include <array>
#include <cstdint>

#define TLS12_SHANI_INLINE inline __attribute__((always_inline, target("sha,sse4.1")))

namespace tls12::crypto::detail {

extern const uint32_t K256[64];  // FIPS 180-4 §4.2.2, in crypto/sha2.cpp

struct Sha256NiState {
  __m128i abef, cdgh;
};

// H = (A,B,C,D),(E,F,G,H) into the ABEF/CDGH layout, and back.
TLS12_SHANI_INLINE Sha256NiState sha256_ni_load(const std::array<uint32_t, 8>& h) {
  const __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&h[0])), 0xB1);
  const __m128i cdgh = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(&h[4])), 0x1B);
  return {_mm_alignr_epi8(tmp, cdgh, 8), _mm_blend_epi16(cdgh, tmp, 0xF0)};
}

TLS12_SHANI_INLINE void sha256_ni_store(const Sha256NiState& st, std::array<uint32_t, 8>& h) {
  const __m128i tmp = _mm_shuffle_epi32(st.abef, 0x1B);
  const __m128i cdgh = _mm_shuffle_epi32(st.cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&h[0]), _mm_blend_epi16(tmp, cdgh, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&h[4]), _mm_alignr_epi8(cdgh, tmp, 8));
}

// W(0..15) of a 64-byte block: words are big-endian in the message (§3.1).
TLS12_SHANI_INLINE void sha256_ni_message(const uint8_t* block, __m128i msg[4]) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  for (int i = 0; i < 4; ++i)
    msg[i] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * i)), bswap);
}

// Rounds 4g .. 4g+3, and the schedule steps that go with them: msg[g % 4]
// holds W(4g..4g+3). Callers unroll g = 0..15 so that msg[] stays in
// registers and the conditions on g disappear.
TLS12_SHANI_INLINE void sha256_ni_group(int g, __m128i msg[4], Sha256NiState& st) {
  __m128i wk = _mm_add_epi32(msg[g % 4], _mm_loadu_si128(reinterpret_cast<const __m128i*>(&K256[4 * g])));
  st.cdgh = _mm_sha256rnds2_epu32(st.cdgh, st.abef, wk);  // rounds 4g, 4g+1
  // Finish W for the next group: add W(t-7) and the sigma1 term.
  if (g >= 3 && g < 15) {
    __m128i& next = msg[(g + 1) % 4];
    next = _mm_add_epi32(next, _mm_alignr_epi8(msg[g % 4], msg[(g + 3) % 4], 4));
    next = _mm_sha256msg2_epu32(next, msg[g % 4]);
  }
  wk = _mm_shuffle_epi32(wk, 0x0E);
  st.abef = _mm_sha256rnds2_epu32(st.abef, st.cdgh, wk);  // rounds 4g+2, 4g+3
  // Start W for three groups ahead: the sigma0 term.
  if (g >= 1 && g <= 12) msg[(g + 3) % 4] = _mm_sha256msg1_epu32(msg[(g + 3) % 4], msg[g % 4]);
}

// Step 4: add the block's starting value.
TLS12_SHANI_INLINE void sha256_ni_add(Sha256NiState& st, const Sha256NiState& saved) {
  st.abef = _mm_add_epi32(st.abef, saved.abef);
  st.cdgh = _mm_add_epi32(st.cdgh, saved.cdgh);
}

}  // namespace tls12::crypto::detail
