// Poly1305 (RFC 8439 §2.5) on eight blocks at once with AVX-512 IFMA: the
// long-message path of Poly1305Fast where the CPU has 52-bit multiply-add.
//
// The lanes are those of crypto/poly1305_avx512.cpp (lane j starts at block
// j and steps L_j = L_j * r^8 + m_(j+8k); at the end lane j is multiplied by
// r^(8-j) and the lanes are added up), but a number is three limbs of 44,
// 44 and 42 bits (weights 2^0, 2^44, 2^88). vpmadd52luq / vpmadd52huq add
// the low and high 52 bits of a 52 x 52-bit product to a 64-bit lane, so a
// step is nine limb products (eighteen instructions) instead of the 25 of
// the 26-bit form, with fewer carries.
//
// Wrapping: 2^132 = 4 * 2^130 = 20 (mod 2^130 - 5), so a product that lands
// at 2^132 (a1*r2, a2*r1) comes back to limb 0 times 20, and a2*r2 (2^176 =
// 20 * 2^44) to limb 1 times 20; s_i = 20 * r_i. The high half of a product
// in limb k has weight 2^(44k + 52) = 2^(44(k+1)) * 2^8: it joins limb k+1
// shifted left by 8 (from limb 2, 2^140 = 5 * 2^10 at limb 0).
//
// Bounds: r is clamped below 2^124, so r2 < 2^36 and s1 = 20 * r1 < 2^49;
// accumulator limbs stay below 2^46 after adding a block, so every factor
// fits the instructions' 52 bits and every sum fits 64 bits.
//
// Adds, multiply-adds, shifts and masks only: no branch or address depends on
// the key or the message.

// GCC 12's AVX-512 intrinsic headers start some results from an "undefined"
// register, which -Wmaybe-uninitialized reports inside the headers when inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <immintrin.h>

#include "crypto/chacha20_poly1305.h"
#include "crypto/cpu.h"
#include "crypto/poly1305_internal.h"

namespace tls12::crypto {

namespace {

using u128 = unsigned __int128;
constexpr uint64_t kMask44 = (uint64_t{1} << 44) - 1;
constexpr uint64_t kMask42 = (uint64_t{1} << 42) - 1;

// A number below about 2^131 in limbs of 44, 44 and 42 bits (scalar).
struct Limbs44 {
  uint64_t v[3];
};

Limbs44 to_limbs44(uint64_t lo, uint64_t hi, uint64_t top) {
  return {{lo & kMask44, ((lo >> 44) | (hi << 20)) & kMask44, (hi >> 24) | (top << 40)}};
}

// Carries limbs 0 -> 1 -> 2 -> 0 (times 5) -> 1: limbs end below 2^44, a
// little over 2^44 and 2^42.
template <class T>
void carry44(T d[3]) {
  d[1] += d[0] >> 44;
  d[0] &= kMask44;
  d[2] += d[1] >> 44;
  d[1] &= kMask44;
  d[0] += (d[2] >> 42) * 5;
  d[2] &= kMask42;
  d[1] += d[0] >> 44;
  d[0] &= kMask44;
}

// a * b mod 2^130 - 5 (scalar, for the powers of r).
Limbs44 multiply(const Limbs44& a, const Limbs44& b) {
  const uint64_t s1 = 20 * b.v[1], s2 = 20 * b.v[2];
  u128 d[3] = {u128{a.v[0]} * b.v[0] + u128{a.v[1]} * s2 + u128{a.v[2]} * s1,
               u128{a.v[0]} * b.v[1] + u128{a.v[1]} * b.v[0] + u128{a.v[2]} * s2,
               u128{a.v[0]} * b.v[2] + u128{a.v[1]} * b.v[1] + u128{a.v[2]} * b.v[0]};
  carry44(d);
  return {{static_cast<uint64_t>(d[0]), static_cast<uint64_t>(d[1]), static_cast<uint64_t>(d[2])}};
}

#define TLS12_IFMA __attribute__((target("avx512f,avx512ifma"), always_inline)) inline

// Three registers: limb i of eight lanes.
struct Lanes {
  __m512i limb[3];
};

// The multiplier: r-power limbs per lane, and 20 times limbs 1 and 2.
struct Multiplier {
  __m512i r[3], s1, s2;
};

TLS12_IFMA Multiplier make_multiplier(const Limbs44 (&per_lane)[8]) {
  Multiplier m;
  #pragma GCC unroll 8
  for (int i = 0; i < 3; ++i) {
    alignas(64) uint64_t v[8];
    #pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) v[j] = per_lane[j].v[i];
    m.r[i] = _mm512_load_si512(v);
  }
  // 20 x = 16 x + 4 x (a 64-bit lane multiply would need AVX-512DQ).
  m.s1 = _mm512_add_epi64(_mm512_slli_epi64(m.r[1], 4), _mm512_slli_epi64(m.r[1], 2));
  m.s2 = _mm512_add_epi64(_mm512_slli_epi64(m.r[2], 4), _mm512_slli_epi64(m.r[2], 2));
  return m;
}

// Eight message blocks as eight lanes of 44/44/42-bit limbs, with 2^128 added
// (bit 40 of limb 2).
TLS12_IFMA Lanes load_blocks(const uint8_t* p) {
  const __m512i t0 = _mm512_loadu_si512(p);       // blocks 0-3: lo, hi, lo, hi, ...
  const __m512i t1 = _mm512_loadu_si512(p + 64);  // blocks 4-7
  const __m512i lo = _mm512_permutex2var_epi64(t0, _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), t1);
  const __m512i hi = _mm512_permutex2var_epi64(t0, _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15), t1);
  const __m512i mask = _mm512_set1_epi64(kMask44);
  Lanes m;
  m.limb[0] = _mm512_and_si512(lo, mask);
  m.limb[1] = _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64(lo, 44), _mm512_slli_epi64(hi, 20)), mask);
  m.limb[2] = _mm512_or_si512(_mm512_srli_epi64(hi, 24), _mm512_set1_epi64(uint64_t{1} << 40));
  return m;
}

TLS12_IFMA void add(Lanes& a, const Lanes& b) {
  #pragma GCC unroll 8
  for (int i = 0; i < 3; ++i) a.limb[i] = _mm512_add_epi64(a.limb[i], b.limb[i]);
}

// a = a * r mod 2^130 - 5 in every lane, partly carried (limbs below 2^44,
// 2^44 plus a little, 2^42 plus a little).
TLS12_IFMA void multiply(Lanes& a, const Multiplier& m) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i* const col[3][3] = {{&m.r[0], &m.s2, &m.s1},     // limb 0: a0 r0 + a1 s2 + a2 s1
                                    {&m.r[1], &m.r[0], &m.s2},   // limb 1: a0 r1 + a1 r0 + a2 s2
                                    {&m.r[2], &m.r[1], &m.r[0]}};  // limb 2: a0 r2 + a1 r1 + a2 r0
  // Each sum of three products starts as two independent multiply-adds, so
  // that the step's chain is two multiply-add latencies, not three.
  __m512i lo[3], hi[3];
  #pragma GCC unroll 8
  for (int k = 0; k < 3; ++k) {
    const __m512i lo_a = _mm512_madd52lo_epu64(zero, a.limb[0], *col[k][0]);
    const __m512i hi_a = _mm512_madd52hi_epu64(zero, a.limb[0], *col[k][0]);
    const __m512i lo_b = _mm512_madd52lo_epu64(zero, a.limb[1], *col[k][1]);
    const __m512i hi_b = _mm512_madd52hi_epu64(zero, a.limb[1], *col[k][1]);
    lo[k] = _mm512_add_epi64(_mm512_madd52lo_epu64(lo_a, a.limb[2], *col[k][2]), lo_b);
    hi[k] = _mm512_add_epi64(_mm512_madd52hi_epu64(hi_a, a.limb[2], *col[k][2]), hi_b);
  }
  const __m512i mask44 = _mm512_set1_epi64(kMask44);
  // Limb k's high halves and its carry go to limb k + 1; limb 2's, times 5, to limb 0.
  __m512i c = _mm512_add_epi64(_mm512_srli_epi64(lo[0], 44), _mm512_slli_epi64(hi[0], 8));
  a.limb[0] = _mm512_and_si512(lo[0], mask44);
  lo[1] = _mm512_add_epi64(lo[1], c);
  c = _mm512_add_epi64(_mm512_srli_epi64(lo[1], 44), _mm512_slli_epi64(hi[1], 8));
  a.limb[1] = _mm512_and_si512(lo[1], mask44);
  lo[2] = _mm512_add_epi64(lo[2], c);
  c = _mm512_add_epi64(_mm512_srli_epi64(lo[2], 42), _mm512_slli_epi64(hi[2], 10));
  a.limb[2] = _mm512_and_si512(lo[2], _mm512_set1_epi64(kMask42));
  a.limb[0] = _mm512_add_epi64(a.limb[0], _mm512_add_epi64(c, _mm512_slli_epi64(c, 2)));
  // Limb 0 may now pass 44 bits: one more carry keeps it inside the 52 bits.
  a.limb[1] = _mm512_add_epi64(a.limb[1], _mm512_srli_epi64(a.limb[0], 44));
  a.limb[0] = _mm512_and_si512(a.limb[0], mask44);
}

}  // namespace

bool poly1305_ifma_available() {
  static const bool available = cpu_features().avx512f && __builtin_cpu_supports("avx512ifma");
  return available;
}

__attribute__((target("avx512f,avx512ifma"))) void Poly1305Fast::add_blocks_ifma(const uint8_t* m, size_t blocks) {
  if (blocks < 32) {  // the eight powers of r cost more than they save
    add_blocks_avx2(m, blocks);
    return;
  }
  Limbs44 step_powers[8], last[8];
  poly1305_detail::eight_lane_powers(to_limbs44(r0, r1, 0), step_powers, last);
  const Multiplier step = make_multiplier(step_powers);

  // Lane 0 starts with the accumulator so far, every lane with its block.
  Lanes a = load_blocks(m);
  const Limbs44 h = to_limbs44(h0, h1, h2);
  #pragma GCC unroll 8
  for (int i = 0; i < 3; ++i)
    a.limb[i] = _mm512_add_epi64(a.limb[i], _mm512_setr_epi64(static_cast<long long>(h.v[i]), 0, 0, 0, 0, 0, 0, 0));
  const size_t groups = blocks / 8;
  for (size_t g = 1; g < groups; ++g) {
    multiply(a, step);
    add(a, load_blocks(m + 128 * g));
  }
  multiply(a, make_multiplier(last));

  // Sum the lanes (each limb below 2^45, so no overflow), carry, and go back
  // to 64-bit limbs: the carried limbs are below 2^44, 2^44 + 1 and 2^42.
  uint64_t l[3];
  #pragma GCC unroll 8
  for (int i = 0; i < 3; ++i) l[i] = static_cast<uint64_t>(_mm512_reduce_add_epi64(a.limb[i]));
  // By addition, so that limb 1 a little over 44 bits still lands right: bits
  // 128 and up of the sum go to h2.
  carry44(l);
  const u128 top = u128{l[2] & ((uint64_t{1} << 40) - 1)} << 88;
  const u128 sum = u128{l[0]} + (u128{l[1]} << 44) + top;
  h0 = static_cast<uint64_t>(sum);
  h1 = static_cast<uint64_t>(sum >> 64);
  h2 = (l[2] >> 40) + static_cast<uint64_t>(sum < top);
  add_blocks(m + 128 * groups, blocks % 8);
}

}  // namespace tls12::crypto
