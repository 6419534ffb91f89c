// The two CRT exponentiations of an RSA-2048 private operation (RFC 8017
// §5.1.2, step 2.b: m1 = c^dP mod p, m2 = c^dQ mod q) computed together with
// AVX-512 IFMA, the 52-bit multiply-add instructions (vpmadd52luq/huq).
//
// Same algorithm as montgomery.cpp (Montgomery multiplication, fixed 5-bit
// window, full-table masked lookup), in a different number representation:
//  * a 1024-bit value is 20 digits of 52 bits, one per 64-bit lane (stored
//    as 24 lanes, the last four zero); inside a multiplication the 40 digits
//    of the two problems fill five 512-bit registers, so one instruction
//    multiplies eight digit pairs;
//  * R = 2^(52*20) = 2^1040 > 4m, which allows "almost Montgomery"
//    multiplication (Gueron): inputs and outputs below 2m, no final subtraction
//    until the very end;
//  * the lanes accumulate unnormalised 64-bit sums and carries are propagated
//    once per multiplication.
// The p and q computations are interleaved in one loop: each has a serial
// dependency (the next reduction digit depends on the previous one), and
// running two at once hides the latency. OpenSSL's rsaz-avx512 does the same;
// amm_x2 below says how the rest of the latency is taken off the rows.
//
// Constant time as in montgomery.cpp: loop counts fixed, table lookups with
// masked moves over all entries, no branch on data. valgrind cannot run AVX-512
// code, so the valgrind test covers the portable path; this file follows the
// same rules and is compared against OpenSSL in tests/crypto/test_bignum.cpp.
// GCC 12's AVX-512 intrinsic headers start some results from an "undefined"
// register, which -Wuninitialized reports inside the headers when inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// Complete unrolling of the small register loops keeps all 18 accumulators and
// operands in registers (the project builds at -O2).
#pragma GCC optimize("O3", "unroll-loops")
#endif
#include <immintrin.h>

#include <cstring>

#include "crypto/bignum.h"
#include "crypto/cpu.h"

namespace tls12::crypto {

namespace {

constexpr size_t kDigits = 20;  // 52-bit digits of a 1024-bit value
constexpr size_t kLanes = 24;   // three registers of eight
constexpr uint64_t kMask52 = (uint64_t{1} << 52) - 1;

struct alignas(64) Digits {
  uint64_t d[kLanes];
};

// 16 limbs of 64 bits -> 20 digits of 52 bits (positions are public).
void to_digits(Digits& out, const Limb* x) {
  for (size_t i = 0; i < kLanes; ++i) out.d[i] = 0;
  for (size_t i = 0; i < kDigits; ++i) {
    const size_t bit = 52 * i, limb = bit / 64, off = bit % 64;
    uint64_t v = x[limb] >> off;
    if (off > 12 && limb + 1 < 16) v |= x[limb + 1] << (64 - off);
    out.d[i] = v & kMask52;
  }
}

// 20 normalised digits -> 16 limbs (the value must be below 2^1024).
void from_digits(Limb* out, const Digits& x) {
  for (size_t i = 0; i < 16; ++i) out[i] = 0;
  for (size_t i = 0; i < kDigits; ++i) {
    const size_t bit = 52 * i, limb = bit / 64, off = bit % 64;
    if (limb < 16) out[limb] |= x.d[i] << off;
    if (off > 12 && limb + 1 < 16) out[limb + 1] |= x.d[i] >> (64 - off);
  }
}

struct Operand {
  const Digits* m;
  uint64_t k0;  // -m^-1 mod 2^52
};

// The two problems' 40 digits packed into five registers: p's digits 0..19
// in lanes 0..19, q's in lanes 20..39. Three registers of 24 lanes each
// would spend a sixth of the madds on the four zero lanes.
constexpr int kRegs = 5;
using Packed = __m512i[kRegs];

__attribute__((target("avx512f"))) void load_packed(Packed& v, const Digits* x) {
  v[0] = _mm512_load_si512(&x[0].d[0]);
  v[1] = _mm512_load_si512(&x[0].d[8]);
  v[2] = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_load_si256(reinterpret_cast<const __m256i*>(&x[0].d[16]))),
                            _mm256_load_si256(reinterpret_cast<const __m256i*>(&x[1].d[0])), 1);
  v[3] = _mm512_loadu_si512(&x[1].d[4]);
  v[4] = _mm512_loadu_si512(&x[1].d[12]);
}

// Also clears lanes 20..23 of both, which to_digits leaves zero.
__attribute__((target("avx512f"))) void store_packed(Digits* x, const Packed& v) {
  _mm512_store_si512(&x[0].d[0], v[0]);
  _mm512_store_si512(&x[0].d[8], v[1]);
  _mm512_store_si512(&x[0].d[16], _mm512_zextsi256_si512(_mm512_castsi512_si256(v[2])));
  _mm512_store_si512(&x[1].d[16], _mm512_setzero_si512());
  _mm256_store_si256(reinterpret_cast<__m256i*>(&x[1].d[0]), _mm512_extracti64x4_epi64(v[2], 1));
  _mm512_storeu_si512(&x[1].d[4], v[3]);
  _mm512_storeu_si512(&x[1].d[12], v[4]);
}

// One value per problem, in the packed layout: p's in registers 0, 1 and
// the low half of 2, q's in the rest.
struct Spread {
  __m512i p, mixed, q;
};

// The rows are bound by the vector uops on the two ports that run 512-bit
// instructions (madds, shifts, broadcasts from a general register, lane
// extracts), not by latency. A broadcast from memory is a load only, so the
// spread values go through memory; inline asm, because the compiler
// otherwise loads them into a general register and broadcasts from there.
__attribute__((target("avx512f"))) inline __m512i broadcast_from_memory(const uint64_t& x) {
  __m512i v;
  __asm__("vpbroadcastq %1, %0" : "=v"(v) : "m"(x));
  return v;
}

__attribute__((target("avx512f"))) inline Spread spread(const uint64_t& p, const uint64_t& q) {
  const __m512i pv = broadcast_from_memory(p), qv = broadcast_from_memory(q);
  return {pv, _mm512_mask_blend_epi64(0xf0, pv, qv), qv};
}

// Register k of x times the spread value y, low or high halves added to acc.
template <bool kHigh>
__attribute__((target("avx512f,avx512ifma"))) inline __m512i madd(__m512i acc, const Packed& x, const Spread& y, int k) {
  const __m512i yk = k < 2 ? y.p : k == 2 ? y.mixed : y.q;
  return kHigh ? _mm512_madd52hi_epu64(acc, x[k], yk) : _mm512_madd52lo_epu64(acc, x[k], yk);
}

// All 40 lanes down by one (the division by 2^52 of both problems): lane 19
// would receive q's digit 0, which is dropped, so it is cleared instead.
__attribute__((target("avx512f"))) inline void shift_down(Packed& v) {
  const __m512i zero = _mm512_setzero_si512();
  v[0] = _mm512_alignr_epi64(v[1], v[0], 1);
  v[1] = _mm512_alignr_epi64(v[2], v[1], 1);
  v[2] = _mm512_maskz_alignr_epi64(0xf7, v[3], v[2], 1);
  v[3] = _mm512_alignr_epi64(v[4], v[3], 1);
  v[4] = _mm512_alignr_epi64(zero, v[4], 1);
}

// Lane `lane` (0..7) of register v, through a 128-bit extract.
__attribute__((target("avx512f"))) inline uint64_t lane_of(__m512i v, int lane) {
  __m128i part;
  switch (lane / 2) {
    case 0: part = _mm512_castsi512_si128(v); break;
    case 1: part = _mm512_extracti32x4_epi32(v, 1); break;
    case 2: part = _mm512_extracti32x4_epi32(v, 2); break;
    default: part = _mm512_extracti32x4_epi32(v, 3); break;
  }
  return static_cast<uint64_t>(lane % 2 == 0 ? _mm_cvtsi128_si64(part) : _mm_extract_epi64(part, 1));
}

// Both problems' lanes normalised to 52 bits, each carry into the next lane:
// the next multiplication's madds read only the low 52 bits of a lane. A
// scalar ripple over the 20 lanes of each problem (two stores, 40 dependent
// additions and shifts, and loads) took a tenth of the multiplication; in
// vectors it is two steps:
//  1. every lane's bits above 52 join the next lane, which leaves each lane
//     at most 2^52 - 1 + 2^12: a carry of 0 or 1 still to come;
//  2. those single carries as in a carry-lookahead adder: lanes above
//     2^52 - 1 generate a carry (G), lanes equal to it pass one on (P), and
//     one 64-bit addition ((G << 1) + P) ^ P gives every lane that receives
//     one; adding it is subtracting 2^52 - 1 and masking to 52 bits.
// No carry crosses from p's lane 19 to q's lane 20: p's value is below
// 2m_p < 2^1025, so its lane 19 ends below 2^37. The masks are data only.
__attribute__((target("avx512f"))) void normalise_packed(Packed& x) {
  const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask52));
  __m512i c[kRegs];
  for (int k = 0; k < kRegs; ++k) {
    c[k] = _mm512_srli_epi64(x[k], 52);
    x[k] = _mm512_and_si512(x[k], mask);
  }
  // Carries up one lane (register k takes lane 7 of register k-1); q's lane
  // 20 takes nothing from p's lane 19 (zero anyway, see above).
  x[0] = _mm512_add_epi64(x[0], _mm512_alignr_epi64(c[0], _mm512_setzero_si512(), 7));
  x[1] = _mm512_add_epi64(x[1], _mm512_alignr_epi64(c[1], c[0], 7));
  x[2] = _mm512_add_epi64(x[2], _mm512_maskz_alignr_epi64(0xef, c[2], c[1], 7));
  x[3] = _mm512_add_epi64(x[3], _mm512_alignr_epi64(c[3], c[2], 7));
  x[4] = _mm512_add_epi64(x[4], _mm512_alignr_epi64(c[4], c[3], 7));
  uint64_t g = 0, p = 0;
  for (int k = 0; k < kRegs; ++k) {
    g |= uint64_t{_mm512_cmpgt_epu64_mask(x[k], mask)} << (8 * k);
    p |= uint64_t{_mm512_cmpeq_epu64_mask(x[k], mask)} << (8 * k);
  }
  const uint64_t receives = ((g << 1) + p) ^ p;
  for (int k = 0; k < kRegs; ++k) {
    const __mmask8 in = static_cast<__mmask8>(receives >> (8 * k));
    x[k] = _mm512_and_si512(_mm512_mask_sub_epi64(x[k], in, x[k], mask), mask);
  }
}

// r_s = a_s * b_s / 2^1040 mod m_s (almost reduced: < 2m_s) for s = 0, 1.
//
// Each of the 20 rows adds a*b[i] and q*m to the accumulator and shifts it
// down one digit. Kept in one register chain, a row waits for its reduction
// digit q (vmovq, imul, broadcast) and then for four dependent madds and a
// shift, about 28 cycles, while the madd units sit mostly idle. So the row
// is split in two:
//  * the a*b part (A) and the q*m part (M) have their own accumulators, so
//    the a*b madds never wait for q;
//  * q comes from a scalar digit 0 that does not wait for M's madds: M's
//    lane 0 at row i is its lane 2 of three rows before plus what the last
//    two q's put there (lo(m1*q) + hi(m0*q) from row i-1, lo(m2*q) +
//    hi(m1*q) from row i-2), which scalar multiplications give directly.
//    The row-to-row chain is then a multiplication, two additions and the
//    multiplication by k0.
// The carry out of the dropped digit 0 stays scalar too: a vector lane 0 is
// only ever read through that scalar sum, except after the last row, where
// the carry joins the result.
__attribute__((target("avx512f,avx512ifma"))) void amm_x2(Digits* r, const Digits* a, const Digits* b,
                                                          const Operand* op) {
  using u128 = unsigned __int128;
  Packed acc_a, acc_m, av, mv;
  load_packed(av, a);
  load_packed(mv, op[0].m);  // both moduli: they are adjacent (exp_secret_pair_1024)
  for (int k = 0; k < kRegs; ++k) acc_a[k] = acc_m[k] = _mm512_setzero_si512();
  // Where each problem's digit 0 and 2 live: register and lane.
  constexpr int kReg0[2] = {0, 2}, kLane0[2] = {0, 4};
  // Per problem: m's low digits; the carry into digit 0; the scalar terms
  // due in the next row's and the one after's digit 0; M's lane 2 after the
  // last three rows (e1 the latest).
  uint64_t m0[2], m1[2], m2[2], carry[2] = {0, 0}, next1[2] = {0, 0}, next2[2] = {0, 0};
  uint64_t e1[2] = {0, 0}, e2[2] = {0, 0}, e3[2] = {0, 0};
  alignas(16) uint64_t q[2];  // in memory, for spread
  for (int s = 0; s < 2; ++s) {
    m0[s] = op[s].m->d[0];
    m1[s] = op[s].m->d[1];
    m2[s] = op[s].m->d[2];
  }
  // Fully unrolled: with the loop rolled, GCC kept a copy of the ten
  // accumulators on the stack, stored every row (273 vs 293 us for the pair
  // of exponentiations).
#pragma GCC unroll 20
  for (size_t i = 0; i < kDigits; ++i) {
    const Spread bi = spread(b[0].d[i], b[1].d[i]);
    for (int k = 0; k < kRegs; ++k) acc_a[k] = madd<false>(acc_a[k], av, bi, k);
    uint64_t t0[2];
    for (int s = 0; s < 2; ++s) {
      // Digit 0, a 64-bit sum whose low 52 bits make q: the terms known
      // early first, those from the previous q last.
      const uint64_t early = lane_of(acc_a[kReg0[s]], kLane0[s]) + e3[s];
      t0[s] = early + (next1[s] + carry[s]);
      q[s] = (t0[s] * op[s].k0) & kMask52;  // makes digit 0 vanish modulo 2^52
    }
    const Spread qv = spread(q[0], q[1]);
    for (int k = 0; k < kRegs; ++k) acc_m[k] = madd<false>(acc_m[k], mv, qv, k);
    // Digit 0 is now a multiple of 2^52: drop it (the division by 2^52).
    shift_down(acc_a);
    shift_down(acc_m);
    // High halves belong one digit up, which after the shift is digit j.
    for (int k = 0; k < kRegs; ++k) {
      acc_a[k] = madd<true>(acc_a[k], av, bi, k);
      acc_m[k] = madd<true>(acc_m[k], mv, qv, k);
    }
    for (int s = 0; s < 2; ++s) {
      // This q's terms in the next two digits 0 (what M's madds just added
      // to its lanes 0 and 1), and the carry out of the dropped digit.
      const u128 qm0 = u128{m0[s]} * q[s], qm1 = u128{m1[s]} * q[s];
      carry[s] = (t0[s] + (static_cast<uint64_t>(qm0) & kMask52)) >> 52;
      next1[s] = next2[s] + (static_cast<uint64_t>(qm1) & kMask52) + static_cast<uint64_t>(qm0 >> 52);
      next2[s] = ((m2[s] * q[s]) & kMask52) + static_cast<uint64_t>(qm1 >> 52);
      e3[s] = e2[s];
      e2[s] = e1[s];
      e1[s] = lane_of(acc_m[kReg0[s]], kLane0[s] + 2);
    }
  }
  for (int k = 0; k < kRegs; ++k) acc_a[k] = _mm512_add_epi64(acc_a[k], acc_m[k]);
  acc_a[0] = _mm512_add_epi64(acc_a[0], _mm512_maskz_set1_epi64(0x01, static_cast<long long>(carry[0])));
  acc_a[2] = _mm512_add_epi64(acc_a[2], _mm512_maskz_set1_epi64(0x10, static_cast<long long>(carry[1])));
  normalise_packed(acc_a);
  store_packed(r, acc_a);
}

// out = table[index] for each of the two tables, reading every entry.
__attribute__((target("avx512f"))) void select_x2(Digits* out, const Digits (*table)[2], size_t entries,
                                                  const uint64_t* index) {
  for (int s = 0; s < 2; ++s) {
    __m512i r[3] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
    const __m512i want = _mm512_set1_epi64(static_cast<long long>(index[s]));
    for (size_t i = 0; i < entries; ++i) {
      const __mmask8 hit = _mm512_cmpeq_epi64_mask(_mm512_set1_epi64(static_cast<long long>(i)), want);
      // A full load of every entry, then a masked register move: a masked
      // load could skip the memory of entries it does not keep.
      for (int j = 0; j < 3; ++j) {
        r[j] = _mm512_mask_mov_epi64(r[j], hit, _mm512_load_si512(&table[i][s].d[8 * j]));
      }
    }
    for (int j = 0; j < 3; ++j) _mm512_store_si512(&out[s].d[8 * j], r[j]);
  }
}

// The `width` exponent bits from bit position pos (public), of 16 limbs.
uint64_t window_bits(const Limb* e, size_t pos, unsigned width) {
  const size_t limb = pos / 64, off = pos % 64;
  uint64_t v = e[limb] >> off;
  if (off + width > 64 && limb + 1 < 16) v |= e[limb + 1] << (64 - off);
  return v & ((uint64_t{1} << width) - 1);
}

// x = 2x mod m for x < m, 16 limbs, masked like Montgomery::add_mod but
// without its two heap vectors: the 64 doublings that scale R^2 for the
// 52-bit digits took 1.5% of the exponentiation pair through add_mod.
void double_mod(Limb* x, const Limb* m) {
  Limb d[16];
  const Limb top = x[15] >> 63;
  for (size_t j = 16; j-- > 1;) x[j] = (x[j] << 1) | (x[j - 1] >> 63);
  x[0] <<= 1;
  Limb borrow = 0;
  for (size_t j = 0; j < 16; ++j) {
    const unsigned __int128 diff = static_cast<unsigned __int128>(x[j]) - m[j] - borrow;
    d[j] = static_cast<Limb>(diff);
    borrow = static_cast<Limb>(diff >> 64) & 1;
  }
  ct_select(ct_mask_nonzero(top) | ct_mask_zero(borrow), x, d, x, 16);
}

// r = a mod m for a <= m (one masked subtraction), 16 limbs.
void final_reduce(Limb* r, const Limb* m) {
  Limb d[16];
  Limb borrow = 0;
  for (size_t j = 0; j < 16; ++j) {
    const unsigned __int128 diff = static_cast<unsigned __int128>(r[j]) - m[j] - borrow;
    d[j] = static_cast<Limb>(diff);
    borrow = static_cast<Limb>(diff >> 64) & 1;
  }
  ct_select(ct_mask_zero(borrow), r, d, r, 16);
}

}  // namespace

bool ifma_available() {
  static const bool available = cpu_features().avx512f && __builtin_cpu_supports("avx512ifma");
  return available;
}

bool exp_secret_pair_1024(const Montgomery& mp, const Limb* base_p, const Limb* exp_p, const Montgomery& mq,
                          const Limb* base_q, const Limb* exp_q, LimbVector& out_p, LimbVector& out_q) {
  if (!ifma_available() || mp.limbs() != 16 || mq.limbs() != 16) return false;
  const Montgomery* mont[2] = {&mp, &mq};
  const Limb* base[2] = {base_p, base_q};
  const Limb* exp[2] = {exp_p, exp_q};

  Digits m[2], rr[2], one[2];
  Operand op[2];
  for (int s = 0; s < 2; ++s) {
    to_digits(m[s], mont[s]->modulus().data());
    op[s] = Operand{&m[s], mont[s]->m0inv() & kMask52};  // -m^-1 mod 2^64 reduced mod 2^52
    // (2^1040)^2 mod m = 2^2048 * 2^32 mod m: double R^2 of the 64-bit form 32 times.
    LimbVector r2 = mont[s]->r2();
    for (int i = 0; i < 32; ++i) double_mod(r2.data(), mont[s]->modulus().data());
    to_digits(rr[s], r2.data());
    Limb unit[16] = {1};
    to_digits(one[s], unit);
  }

  // Table of base^i * R for i = 0..31, in both problems at once: 5-bit
  // windows, as Montgomery::exp_secret uses for 1024-bit exponents (204
  // multiplications and 30 for the table, instead of 256 and 14).
  constexpr unsigned kWindow = 5;
  constexpr size_t kEntries = size_t{1} << kWindow;
  static_assert(sizeof(Digits) % 64 == 0);
  auto* table = new Digits[kEntries][2];
  Digits b[2], acc[2], pick[2];
  for (int s = 0; s < 2; ++s) to_digits(b[s], base[s]);
  amm_x2(table[0], one, rr, op);  // R mod m
  amm_x2(table[1], b, rr, op);    // base * R
  for (size_t i = 2; i < kEntries; ++i) amm_x2(table[i], table[i - 1], table[1], op);

  // 1024 exponent bits from the top: a first window of 1024 mod 5 = 4 bits,
  // then 204 windows of 5.
  uint64_t idx[2];
  size_t pos = 1024 - 1024 % kWindow;
  for (int s = 0; s < 2; ++s) idx[s] = window_bits(exp[s], pos, 1024 % kWindow);
  select_x2(acc, table, kEntries, idx);
  while (pos > 0) {
    pos -= kWindow;
    for (unsigned k = 0; k < kWindow; ++k) amm_x2(acc, acc, acc, op);
    for (int s = 0; s < 2; ++s) idx[s] = window_bits(exp[s], pos, kWindow);
    select_x2(pick, table, kEntries, idx);
    amm_x2(acc, acc, pick, op);
  }
  amm_x2(acc, acc, one, op);  // leave Montgomery form: result <= m

  LimbVector* out[2] = {&out_p, &out_q};
  for (int s = 0; s < 2; ++s) {
    out[s]->assign(16, 0);
    from_digits(out[s]->data(), acc[s]);
    final_reduce(out[s]->data(), mont[s]->modulus().data());
  }
  secure_zero(table, sizeof(Digits) * kEntries * 2);
  delete[] table;
  secure_zero(acc, sizeof acc);
  secure_zero(pick, sizeof pick);
  secure_zero(b, sizeof b);
  secure_zero(m, sizeof m);  // p and q
  secure_zero(rr, sizeof rr);
  return true;
}

}  // namespace tls12::crypto
