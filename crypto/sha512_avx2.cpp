// SHA-512's compression function (FIPS 180-4 §6.4.2) with the message
// schedule computed by AVX2 for two blocks at once; the 80 rounds stay scalar
// and use BMI2's rorx for the rotations.
//
// Why the schedule: step 1 computes 64 words W(16..79), each from four older
// ones (W(t) = sigma1(W(t-2)) + W(t-7) + sigma0(W(t-15)) + W(t-16)), about a
// third of the work when done one word at a time. W(t) and W(t+1) depend
// only on words before t, so two can be computed together; a 256-bit register
// holds two words of one block in its low half and the same two words of the
// next block in its high half, so one pass schedules two blocks. The words
// plus the round constants K(t) go to memory, and the scalar rounds of each
// block read them back. Nothing here branches on or indexes by the message.
#include <immintrin.h>

#include "crypto/sha2.h"

namespace tls12::crypto::detail {

namespace {

#define TLS12_AVX2 __attribute__((target("avx2"), always_inline)) inline

template <int n>
TLS12_AVX2 __m256i rotr64(__m256i x) {
  return _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - n));
}

// §4.1.3 on four words.
TLS12_AVX2 __m256i small_sigma0(__m256i x) {
  return _mm256_xor_si256(_mm256_xor_si256(rotr64<1>(x), rotr64<8>(x)), _mm256_srli_epi64(x, 7));
}
TLS12_AVX2 __m256i small_sigma1(__m256i x) {
  return _mm256_xor_si256(_mm256_xor_si256(rotr64<19>(x), rotr64<61>(x)), _mm256_srli_epi64(x, 6));
}

// W(2i) + K(2i), W(2i+1) + K(2i+1) of both blocks to their tables.
TLS12_AVX2 void store_pair(int i, __m256i words, uint64_t wk_a[80], uint64_t wk_b[80]) {
  const __m128i k2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha512K + 2 * i));
  const __m256i sum = _mm256_add_epi64(words, _mm256_broadcastsi128_si256(k2));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(wk_a + 2 * i), _mm256_castsi256_si128(sum));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(wk_b + 2 * i), _mm256_extracti128_si256(sum, 1));
}

// W(t) + K(t) for t = 0..79 of blocks `a` and `b` (b may equal a).
__attribute__((target("avx2"))) void schedule_two(const uint8_t* a, const uint8_t* b, uint64_t wk_a[80],
                                                  uint64_t wk_b[80]) {
  // Words are big-endian (§3.1): reverse the bytes of each 64-bit word.
  const __m256i bswap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
                                         7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
  __m256i w[8];  // w[i % 8] = (W(2i), W(2i+1)) of a | the same of b
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 16 * i));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * i));
    w[i] = _mm256_shuffle_epi8(_mm256_set_m128i(hi, lo), bswap);
    store_pair(i, w[i], wk_a, wk_b);
  }
#pragma GCC unroll 8
  for (int i = 8; i < 40; ++i) {
    // t = 2i: (W(t-15), W(t-14)) and (W(t-7), W(t-6)) straddle two pairs;
    // alignr takes the high word of one and the low word of the next.
    const __m256i w15 = _mm256_alignr_epi8(w[(i - 7) % 8], w[(i - 8) % 8], 8);
    const __m256i w7 = _mm256_alignr_epi8(w[(i - 3) % 8], w[(i - 4) % 8], 8);
    w[i % 8] = _mm256_add_epi64(_mm256_add_epi64(small_sigma1(w[(i - 1) % 8]), w7),
                                _mm256_add_epi64(small_sigma0(w15), w[(i - 8) % 8]));
    store_pair(i, w[i % 8], wk_a, wk_b);
  }
}

__attribute__((target("bmi,bmi2"))) inline uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

// Steps 2-4 of §6.4.2 with W(t) + K(t) precomputed. Ch and Maj are written
// in equivalent forms with fewer operations on the critical path:
// Ch(e,f,g) = g ^ (e & (f ^ g)), and Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)),
// where b ^ c is the previous round's a ^ b (b and c are last round's a and b).
__attribute__((target("bmi,bmi2"))) void rounds(std::array<uint64_t, 8>& h, const uint64_t wk[80]) {
  uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  uint64_t bc = b ^ c;
  // Fully unrolled, the eight working variables are renamed instead of moved.
#pragma GCC unroll 80
  for (int t = 0; t < 80; ++t) {
    // T1 = hk + s1ch with hk = h + W(t) + K(t) ready before e is: the new e
    // and a are each one addition of s1ch away from a sum made in advance.
    const uint64_t hk = hh + wk[t];
    const uint64_t s1ch = (rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)) + (g ^ (e & (f ^ g)));
    const uint64_t ab = a ^ b;
    const uint64_t T2 = (rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)) + (b ^ (ab & bc));
    bc = ab;
    hh = g;
    g = f;
    f = e;
    e = (d + hk) + s1ch;
    d = c;
    c = b;
    b = a;
    a = (hk + T2) + s1ch;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

}  // namespace

void sha512_compress_avx2(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks) {
  alignas(32) uint64_t wk_a[80], wk_b[80];
  for (; blocks >= 2; blocks -= 2, data += 2 * 128) {
    schedule_two(data, data + 128, wk_a, wk_b);
    rounds(h, wk_a);
    rounds(h, wk_b);
  }
  if (blocks == 1) {  // the odd block: schedule it twice, use it once
    schedule_two(data, data, wk_a, wk_b);
    rounds(h, wk_a);
  }
  // The words are the message's, which may be a key (HMAC): wipe them.
  secure_zero(wk_a, sizeof wk_a);
  secure_zero(wk_b, sizeof wk_b);
}

}  // namespace tls12::crypto::detail
