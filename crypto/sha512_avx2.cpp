// SHA-512's compression function (FIPS 180-4 §6.4.2) with the message
// schedule computed by AVX2 for two blocks at once, inside the scalar rounds
// of the two blocks before them; the rounds use BMI2's rorx.
//
// Why the schedule: step 1 computes 64 words W(16..79), each from four older
// ones (W(t) = sigma1(W(t-2)) + W(t-7) + sigma0(W(t-15)) + W(t-16)), about a
// third of the work when done one word at a time. W(t) and W(t+1) depend
// only on words before t, so two can be computed together; a 256-bit register
// holds two words of one block in its low half and the same two words of the
// next block in its high half, so one pass schedules two blocks. The words
// plus the round constants K(t) go to a table that the rounds read.
//
// Why inside the rounds: the rounds are a chain of scalar operations that
// leaves the vector units idle, and the schedule of the next pair of blocks
// does not depend on them. One schedule step after every fourth round lets
// the out-of-order core run both at once (as OpenSSL's AVX2 code does).
// Nothing here branches on or indexes by the message.
#include <immintrin.h>

#include "crypto/sha2.h"

namespace tls12::crypto::detail {

namespace {

#define TLS12_AVX2 __attribute__((target("avx2"), always_inline)) inline

template <int n>
TLS12_AVX2 __m256i rotr64(__m256i x) {
  return _mm256_or_si256(_mm256_srli_epi64(x, n), _mm256_slli_epi64(x, 64 - n));
}

// §4.1.3 on four words. A rotation by 8 moves whole bytes: one byte shuffle
// instead of two shifts and an or.
TLS12_AVX2 __m256i small_sigma0(__m256i x) {
  const __m256i rotr8 = _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8,
                                         1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8);
  return _mm256_xor_si256(_mm256_xor_si256(rotr64<1>(x), _mm256_shuffle_epi8(x, rotr8)), _mm256_srli_epi64(x, 7));
}
TLS12_AVX2 __m256i small_sigma1(__m256i x) {
  return _mm256_xor_si256(_mm256_xor_si256(rotr64<19>(x), rotr64<61>(x)), _mm256_srli_epi64(x, 6));
}

// W(2i) + K(2i), W(2i+1) + K(2i+1) of both blocks to their table, as they
// are in the register: the table interleaves the blocks, two words of the
// first then the same two of the second (one store rather than two halves;
// the rounds read with constant offsets, see eight_rounds()).
TLS12_AVX2 void store_pair(int i, __m256i words, uint64_t wk[160]) {
  const __m128i k2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha512K + 2 * i));
  const __m256i sum = _mm256_add_epi64(words, _mm256_broadcastsi128_si256(k2));
  _mm256_store_si256(reinterpret_cast<__m256i*>(wk + 4 * i), sum);
}

// The schedule of blocks `a` and `b` (b may equal a) as 40 steps, step i
// producing W(2i) + K(2i) and W(2i+1) + K(2i+1) of both blocks, so that the
// steps can be spread among the rounds of other blocks.
struct Schedule {
  const uint8_t* a;
  const uint8_t* b;
  uint64_t* wk;  // 32-byte aligned
  // The last eight pairs, oldest first: w[7] = (W(2i-2), W(2i-1)) of a | the
  // same of b before step i. Each step shifts them down by one, so every
  // index is a constant (the registers stay registers) while the step number
  // itself can be a run-time loop counter.
  __m256i w[8];

  // Steps 0-7: the message words. Words are big-endian (§3.1): reverse the
  // bytes of each 64-bit word.
  TLS12_AVX2 void load_steps() {
    const __m256i bswap = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
                                           7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    #pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) {
      const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 16 * i));
      const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + 16 * i));
      w[i] = _mm256_shuffle_epi8(_mm256_set_m128i(hi, lo), bswap);
      store_pair(i, w[i], wk);
    }
  }

  // Step i (8 to 39): t = 2i. (W(t-15), W(t-14)) and (W(t-7), W(t-6))
  // straddle two pairs; alignr takes the high word of one and the low word
  // of the next.
  TLS12_AVX2 void step(int i) {
    const __m256i w15 = _mm256_alignr_epi8(w[1], w[0], 8);
    const __m256i w7 = _mm256_alignr_epi8(w[5], w[4], 8);
    const __m256i next = _mm256_add_epi64(_mm256_add_epi64(small_sigma1(w[7]), w7),
                                          _mm256_add_epi64(small_sigma0(w15), w[0]));
    #pragma GCC unroll 8
    for (int k = 0; k < 7; ++k) w[k] = w[k + 1];
    w[7] = next;
    store_pair(i, next, wk);
  }

  TLS12_AVX2 void all_steps() {
    load_steps();
    for (int i = 8; i < 40; ++i) step(i);
  }
};

#define TLS12_ROUNDS __attribute__((target("avx2,bmi,bmi2"), always_inline)) inline

// The working variables a..h of §6.4.2 step 2, and b ^ c (see round()), with
// room for the next round's b ^ c.
struct Working {
  uint64_t a, b, c, d, e, f, g, h, bc, ab;
};

// One round of step 3 with W(t) + K(t) at wk, in assembly: the rounds are
// limited by how many instructions issue per cycle, and GCC's version of the
// same formulas spends a fifth more on register moves and a recomputed sum.
// Here each round is 22 operations and 2 register copies (as OpenSSL's):
// T1 is summed once and used twice, Ch(e,f,g) = g ^ (e & (f ^ g)), and
// Maj(a,b,c) = b ^ ((a ^ b) & (b ^ c)), where b ^ c is the previous round's
// a ^ b (b and c are last round's a, b): `bc` in, `ab` out (bc is spent).
// h becomes the new a, d the new e; the caller renames the rest.
TLS12_ROUNDS void round(uint64_t a, uint64_t b, uint64_t& d, uint64_t e, uint64_t f, uint64_t g,
                        uint64_t& h, uint64_t& bc, uint64_t& ab, const uint64_t* wk) {
  uint64_t t0, t1;
  asm("addq   %[wk], %[h]\n\t"      // h + W(t) + K(t)
      "rorxq  $14, %[e], %[t0]\n\t"
      "rorxq  $18, %[e], %[t1]\n\t"
      "movq   %[f], %[t2]\n\t"
      "xorq   %[g], %[t2]\n\t"      // f ^ g
      "xorq   %[t1], %[t0]\n\t"
      "rorxq  $41, %[e], %[t1]\n\t"
      "andq   %[e], %[t2]\n\t"      // e & (f ^ g)
      "xorq   %[t1], %[t0]\n\t"     // Sigma1(e)
      "xorq   %[g], %[t2]\n\t"      // Ch(e,f,g)
      "addq   %[t2], %[h]\n\t"
      "addq   %[t0], %[h]\n\t"      // T1 = h + Sigma1(e) + Ch(e,f,g) + K(t) + W(t)
      "rorxq  $28, %[a], %[t0]\n\t"
      "rorxq  $34, %[a], %[t1]\n\t"
      "addq   %[h], %[d]\n\t"       // new e = d + T1
      "movq   %[a], %[t2]\n\t"
      "xorq   %[b], %[t2]\n\t"      // a ^ b
      "xorq   %[t1], %[t0]\n\t"
      "rorxq  $39, %[a], %[t1]\n\t"
      "andq   %[t2], %[bc]\n\t"     // (a ^ b) & (b ^ c)
      "xorq   %[b], %[bc]\n\t"      // Maj(a,b,c)
      "xorq   %[t1], %[t0]\n\t"     // Sigma0(a)
      "addq   %[bc], %[h]\n\t"      // T1 + Maj(a,b,c)
      "addq   %[t0], %[h]"            // new a = T1 + T2
      : [h] "+&r"(h), [d] "+&r"(d), [bc] "+&r"(bc), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(ab)
      : [a] "r"(a), [b] "r"(b), [e] "r"(e), [f] "r"(f), [g] "r"(g), [wk] "m"(*wk)
      : "cc");
}

// Eight rounds, with schedule step `step` of `next` (if any is left) after
// the fourth: after eight rounds the working variables are back in their
// places, so the names rotate instead of the values.
// The words W(t..t+7) + K of one block are at wk[0, 1, 4, 5, 8, 9, 12, 13]
// (the table interleaves two blocks in pairs of words, see store_pair()).
TLS12_ROUNDS void eight_rounds(Working& v, const uint64_t* wk, Schedule& next, int step) {
  round(v.a, v.b, v.d, v.e, v.f, v.g, v.h, v.bc, v.ab, wk + 0);
  round(v.h, v.a, v.c, v.d, v.e, v.f, v.g, v.ab, v.bc, wk + 1);
  round(v.g, v.h, v.b, v.c, v.d, v.e, v.f, v.bc, v.ab, wk + 4);
  round(v.f, v.g, v.a, v.b, v.c, v.d, v.e, v.ab, v.bc, wk + 5);
  if (step < 40) next.step(step);
  round(v.e, v.f, v.h, v.a, v.b, v.c, v.d, v.bc, v.ab, wk + 8);
  round(v.d, v.e, v.g, v.h, v.a, v.b, v.c, v.ab, v.bc, wk + 9);
  round(v.c, v.d, v.f, v.g, v.h, v.a, v.b, v.bc, v.ab, wk + 12);
  round(v.b, v.c, v.e, v.f, v.g, v.h, v.a, v.ab, v.bc, wk + 13);
}

// Steps 2-4 of §6.4.2 for one block, with steps first, first + 1, ... (up
// to 39) of `next` after every fourth round: the scalar rounds and the vector
// schedule then run side by side. The rounds are a loop of eight (after
// eight rounds the working variables are back in place) rather than fully
// unrolled: 160 unrolled rounds would not fit the decoded-instruction cache.
// wk is the pair's table, offset by 2 words for the second block.
TLS12_ROUNDS void compress_block(std::array<uint64_t, 8>& h, const uint64_t* wk, Schedule& next, int first) {
  Working v{h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[1] ^ h[2], 0};
  for (int t = 0; t < 80; t += 8, first += 2) {
    eight_rounds(v, wk + 2 * t, next, first);
    if (first + 1 < 40) next.step(first + 1);
  }
  h[0] += v.a;
  h[1] += v.b;
  h[2] += v.c;
  h[3] += v.d;
  h[4] += v.e;
  h[5] += v.f;
  h[6] += v.g;
  h[7] += v.h;
}

}  // namespace

__attribute__((target("avx2,bmi,bmi2"))) void sha512_compress_avx2(std::array<uint64_t, 8>& h,
                                                                 const uint8_t* data, size_t blocks) {
  // Two pairs of tables: the pair of blocks being compressed, and the next
  // pair being scheduled meanwhile (the vector units are idle in the rounds).
  alignas(32) uint64_t wk[2][160];
  const size_t pairs = (blocks + 1) / 2;
  // An odd last block is paired with itself; only its first copy is used.
  const auto second = [&](size_t p) { return 2 * p + 1 < blocks ? data + 256 * p + 128 : data + 256 * p; };
  Schedule first{data, second(0), wk[0], {}};
  first.all_steps();
  for (size_t p = 0; p < pairs; ++p) {
    const size_t next_p = p + 1 < pairs ? p + 1 : p;  // the last pair schedules itself again, unused
    const uint64_t* now = wk[p % 2];
    Schedule next{data + 256 * next_p, second(next_p), wk[(p + 1) % 2], {}};
    next.load_steps();
    compress_block(h, now, next, 8);
    if (2 * p + 1 < blocks) compress_block(h, now + 2, next, 28);  // else the last, odd block
  }
  // The words are the message's, which may be a key (HMAC): wipe them.
  secure_zero(wk, sizeof wk);
}

}  // namespace tls12::crypto::detail
