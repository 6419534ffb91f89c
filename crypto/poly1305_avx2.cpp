// Poly1305 (RFC 8439 §2.5) on four blocks at once with AVX2: the long-message
// path of Poly1305Fast.
//
// Horner's rule acc = (acc + m_i) * r, one block after another, is a chain:
// each step needs the previous one. Split the blocks into four interleaved
// streams and it is not: for blocks m_0..m_{n-1} (n a multiple of 4),
//     acc_final = sum over lanes j of  L_j * r^(4-j),
// where lane j starts at m_j (lane 0 also holds the incoming acc) and steps
// L_j = L_j * r^4 + m_{j+4k}. The four lanes are the four 64-bit elements of
// 256-bit registers, in 26-bit limbs so that _mm256_mul_epu32 (32 x 32 -> 64
// bits) multiplies limbs: five registers hold the five limbs of four lanes.
// The last step multiplies the lanes by r^4, r^3, r^2, r^1, then they are
// added up and handed back to the 64-bit-limb state. Only r^1..r^4 are
// needed, three multiplications per message, which matters for short
// records (1 KiB).
//
// As in the scalar versions, there are only adds, multiplies, shifts and
// masks: no branch or address depends on the key or the message.
#include <immintrin.h>

#include "crypto/chacha20_poly1305.h"
#include "crypto/poly1305_internal.h"

namespace tls12::crypto {

namespace {

using namespace poly1305_detail;

#define TLS12_AVX2 __attribute__((target("avx2"), always_inline)) inline
// The loops over limbs carry `#pragma GCC unroll`: the release build's -O2
// would keep them as loops over arrays in memory instead of registers.

// Five registers: limb i of four lanes.
struct Lanes {
  __m256i limb[5];
};

// The multiplier: r-power limbs per lane, and 5 times them for the wrap.
struct Multiplier {
  __m256i r[5], r5[5];
};

TLS12_AVX2 Multiplier make_multiplier(const Limbs26 (&per_lane)[4]) {
  Multiplier m;
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) {
    m.r[i] = _mm256_setr_epi64x(static_cast<long long>(per_lane[0].v[i]), static_cast<long long>(per_lane[1].v[i]),
                                static_cast<long long>(per_lane[2].v[i]), static_cast<long long>(per_lane[3].v[i]));
    m.r5[i] = _mm256_add_epi64(m.r[i], _mm256_slli_epi64(m.r[i], 2));
  }
  return m;
}

// Four message blocks as four lanes of 26-bit limbs, each with 2^128 added.
TLS12_AVX2 Lanes load_blocks(const uint8_t* p) {
  const __m256i t0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));       // m0 lo, hi, m1 lo, hi
  const __m256i t1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));  // m2 lo, hi, m3 lo, hi
  // unpack works within 128-bit halves: (m0, m2, m1, m3); the permute puts them in order.
  const __m256i lo = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(t0, t1), 0xd8);
  const __m256i hi = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(t0, t1), 0xd8);
  const __m256i mask = _mm256_set1_epi64x(kMask26);
  Lanes m;
  m.limb[0] = _mm256_and_si256(lo, mask);
  m.limb[1] = _mm256_and_si256(_mm256_srli_epi64(lo, 26), mask);
  m.limb[2] = _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), mask);
  m.limb[3] = _mm256_and_si256(_mm256_srli_epi64(hi, 14), mask);
  m.limb[4] = _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(1 << 24));
  return m;
}

TLS12_AVX2 void add(Lanes& a, const Lanes& b) {
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) a.limb[i] = _mm256_add_epi64(a.limb[i], b.limb[i]);
}

// Moves the bits of limb `from` above 26 into limb `to`.
TLS12_AVX2 void carry(__m256i d[5], int from, int to) {
  d[to] = _mm256_add_epi64(d[to], _mm256_srli_epi64(d[from], 26));
  d[from] = _mm256_and_si256(d[from], _mm256_set1_epi64x(kMask26));
}

// a = a * r mod 2^130 - 5 in every lane, partly carried (limbs below 2^26
// but for a small excess in limbs 1 and 4).
TLS12_AVX2 void multiply(Lanes& a, const Multiplier& m) {
  __m256i d[5];
  #pragma GCC unroll 16
  for (int k = 0; k < 5; ++k) {
    // d_k = sum of a_i * r_(k-i), with r_(k-i+5) * 5 where k - i < 0.
    d[k] = _mm256_mul_epu32(a.limb[0], m.r[k]);
    #pragma GCC unroll 16
    for (int i = 1; i < 5; ++i) {
      const __m256i r = i <= k ? m.r[k - i] : m.r5[k - i + 5];
      d[k] = _mm256_add_epi64(d[k], _mm256_mul_epu32(a.limb[i], r));
    }
  }
  // Carry in two interleaved chains (limb 0 -> 1 -> 2 -> 3 beside 3 -> 4 ->
  // 0 times 5 -> 1), so that the chain's latency is half a full pass.
  const __m256i mask = _mm256_set1_epi64x(kMask26);
  carry(d, 0, 1);
  carry(d, 3, 4);
  carry(d, 1, 2);
  const __m256i c = _mm256_srli_epi64(d[4], 26);  // 2^130 = 5: wraps times 5
  d[4] = _mm256_and_si256(d[4], mask);
  d[0] = _mm256_add_epi64(d[0], _mm256_add_epi64(c, _mm256_slli_epi64(c, 2)));
  carry(d, 2, 3);
  carry(d, 0, 1);
  carry(d, 3, 4);
  #pragma GCC unroll 16
  for (int k = 0; k < 5; ++k) a.limb[k] = d[k];
}

TLS12_AVX2 uint64_t lane_sum(__m256i v) {
  const __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(s)) + static_cast<uint64_t>(_mm_extract_epi64(s, 1));
}

}  // namespace

__attribute__((target("avx2"))) void Poly1305Fast::add_blocks_avx2(const uint8_t* m, size_t blocks) {
  if (blocks < 16) {  // the set-up costs more than it saves
    add_blocks(m, blocks);
    return;
  }
  // One set of four lanes stepping by r^4. (Two sets stepping by r^8, to
  // keep two multiplications in flight, need more registers than AVX2 has:
  // the spills cost more than the overlap gains, and the out-of-order core
  // already starts splitting the next four blocks during a multiplication.)
  Limbs26 p[5];  // p[i] = r^i
  p[1] = to_limbs26(r0, r1, 0);
  p[2] = multiply(p[1], p[1]);
  p[3] = multiply(p[2], p[1]);
  p[4] = multiply(p[2], p[2]);
  const Limbs26 step_powers[4] = {p[4], p[4], p[4], p[4]};
  const Limbs26 last[4] = {p[4], p[3], p[2], p[1]};
  const Multiplier step = make_multiplier(step_powers);

  // Lane 0 starts with the accumulator so far, every lane with its block.
  Lanes a = load_blocks(m);
  const Limbs26 h = to_limbs26(h0, h1, h2);
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i)
    a.limb[i] = _mm256_add_epi64(a.limb[i], _mm256_setr_epi64x(static_cast<long long>(h.v[i]), 0, 0, 0));
  const size_t groups = blocks / 4;
  for (size_t g = 1; g < groups; ++g) {
    multiply(a, step);
    add(a, load_blocks(m + 64 * g));
  }
  multiply(a, make_multiplier(last));

  // Sum the lanes (each limb below 2^27, so no overflow) and carry once.
  uint64_t l[5];
  #pragma GCC unroll 16
  for (int i = 0; i < 5; ++i) l[i] = lane_sum(a.limb[i]);
  store_lane_sum(*this, l);
  add_blocks(m + 64 * groups, blocks % 4);
}

}  // namespace tls12::crypto
