// Poly1305 (RFC 8439 §2.5) on eight blocks at once with AVX-512F: the
// long-message path of Poly1305Fast where the CPU has 512-bit registers.
//
// The method of crypto/poly1305_avx2.cpp with eight lanes instead of four:
// lane j starts at block j (lane 0 also holds the incoming accumulator) and
// steps L_j = L_j * r^8 + m_(j+8k); at the end lane j is multiplied by
// r^(8-j) and the lanes are added up. Limbs are 26 bits so that vpmuludq
// (32 x 32 -> 64 bits per lane) multiplies limbs; five registers hold the
// five limbs of the eight lanes, and the 32 registers hold the multiplier
// and its 5x multiples without spilling. The powers r^1..r^8 cost seven
// scalar multiplications per message, so short inputs go to the AVX2 path.
//
// Adds, multiplies, shifts and masks only: no branch or address depends on
// the key or the message.

// GCC 12's AVX-512 intrinsic headers start some results from an "undefined"
// register, which -Wmaybe-uninitialized reports inside the headers when inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "crypto/chacha20_poly1305.h"
#include "crypto/poly1305_internal.h"

namespace tls12::crypto {

namespace {

using namespace poly1305_detail;

#define TLS12_AVX512 __attribute__((target("avx512f"), always_inline)) inline
// The loops over limbs carry `#pragma GCC unroll`: the release build's -O2
// would keep them as loops over arrays in memory instead of registers.

// Five registers: limb i of eight lanes.
struct Lanes8 {
  __m512i limb[5];
};

// The multiplier: r-power limbs per lane, and 5 times them for the wrap.
struct Multiplier8 {
  __m512i r[5], r5[5];
};

TLS12_AVX512 Multiplier8 make_multiplier(const Limbs26 (&per_lane)[8]) {
  Multiplier8 m;
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) {
    alignas(64) uint64_t v[8];
    #pragma GCC unroll 16
    for (int j = 0; j < 8; ++j) v[j] = per_lane[j].v[i];
    m.r[i] = _mm512_load_si512(v);
    m.r5[i] = _mm512_add_epi64(m.r[i], _mm512_slli_epi64(m.r[i], 2));
  }
  return m;
}

// Eight message blocks as eight lanes of 26-bit limbs, each with 2^128 added.
TLS12_AVX512 Lanes8 load_blocks(const uint8_t* p) {
  const __m512i t0 = _mm512_loadu_si512(p);       // blocks 0-3: lo, hi, lo, hi, ...
  const __m512i t1 = _mm512_loadu_si512(p + 64);  // blocks 4-7
  const __m512i lo = _mm512_permutex2var_epi64(t0, _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), t1);
  const __m512i hi = _mm512_permutex2var_epi64(t0, _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15), t1);
  const __m512i mask = _mm512_set1_epi64(kMask26);
  Lanes8 m;
  m.limb[0] = _mm512_and_si512(lo, mask);
  m.limb[1] = _mm512_and_si512(_mm512_srli_epi64(lo, 26), mask);
  m.limb[2] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 52), _mm512_slli_epi64(hi, 12)), mask);
  m.limb[3] = _mm512_and_si512(_mm512_srli_epi64(hi, 14), mask);
  m.limb[4] = _mm512_or_si512(_mm512_srli_epi64(hi, 40), _mm512_set1_epi64(1 << 24));
  return m;
}

TLS12_AVX512 void add(Lanes8& a, const Lanes8& b) {
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) a.limb[i] = _mm512_add_epi64(a.limb[i], b.limb[i]);
}

// Moves the bits of limb `from` above 26 into limb `to`.
TLS12_AVX512 void carry(__m512i d[5], int from, int to) {
  d[to] = _mm512_add_epi64(d[to], _mm512_srli_epi64(d[from], 26));
  d[from] = _mm512_and_si512(d[from], _mm512_set1_epi64(kMask26));
}

// a = a * r mod 2^130 - 5 in every lane, partly carried (limbs below 2^26
// but for a small excess in limbs 1 and 4), as in the AVX2 path.
TLS12_AVX512 void multiply(Lanes8& a, const Multiplier8& m) {
  __m512i d[5];
  #pragma GCC unroll 16
  for (int k = 0; k < 5; ++k) {
    // d_k = sum of a_i * r_(k-i), with r_(k-i+5) * 5 where k - i < 0.
    d[k] = _mm512_mul_epu32(a.limb[0], m.r[k]);
    #pragma GCC unroll 16
    for (int i = 1; i < 5; ++i) {
      const __m512i r = i <= k ? m.r[k - i] : m.r5[k - i + 5];
      d[k] = _mm512_add_epi64(d[k], _mm512_mul_epu32(a.limb[i], r));
    }
  }
  // Two interleaved carry chains, half the latency of one full pass.
  carry(d, 0, 1);
  carry(d, 3, 4);
  carry(d, 1, 2);
  const __m512i c = _mm512_srli_epi64(d[4], 26);  // 2^130 = 5: wraps times 5
  d[4] = _mm512_and_si512(d[4], _mm512_set1_epi64(kMask26));
  d[0] = _mm512_add_epi64(d[0], _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));
  carry(d, 2, 3);
  carry(d, 0, 1);
  carry(d, 3, 4);
  #pragma GCC unroll 16
  for (int k = 0; k < 5; ++k) a.limb[k] = d[k];
}

}  // namespace

__attribute__((target("avx512f"))) void Poly1305Fast::add_blocks_avx512(const uint8_t* m, size_t blocks) {
  if (blocks < 32) {  // the eight powers of r cost more than they save
    add_blocks_avx2(m, blocks);
    return;
  }
  Limbs26 step_powers[8], last[8];
  eight_lane_powers(to_limbs26(r0, r1, 0), step_powers, last);
  const Multiplier8 step = make_multiplier(step_powers);

  // Lane 0 starts with the accumulator so far, every lane with its block.
  Lanes8 a = load_blocks(m);
  const Limbs26 h = to_limbs26(h0, h1, h2);
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i)
    a.limb[i] = _mm512_add_epi64(a.limb[i], _mm512_setr_epi64(static_cast<long long>(h.v[i]), 0, 0, 0, 0, 0, 0, 0));
  const size_t groups = blocks / 8;
  for (size_t g = 1; g < groups; ++g) {
    multiply(a, step);
    add(a, load_blocks(m + 128 * g));
  }
  multiply(a, make_multiplier(last));

  // Sum the lanes (each limb below 2^27, so no overflow) and carry once.
  uint64_t l[5];
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) l[i] = static_cast<uint64_t>(_mm512_reduce_add_epi64(a.limb[i]));
  store_lane_sum(*this, l);
  add_blocks(m + 128 * groups, blocks % 8);
}

}  // namespace tls12::crypto
