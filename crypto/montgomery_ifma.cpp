// The two CRT exponentiations of an RSA-2048 private operation (RFC 8017
// §5.1.2, step 2.b: m1 = c^dP mod p, m2 = c^dQ mod q) computed together with
// AVX-512 IFMA, the 52-bit multiply-add instructions (vpmadd52luq/huq).
//
// Same algorithm as montgomery.cpp (Montgomery multiplication, fixed 5-bit
// window, full-table masked lookup), in a different number representation:
//  * a 1024-bit value is 20 digits of 52 bits, one per 64-bit lane; the two
//    problems' values are interleaved digit by digit (see Pair), so their 40
//    digits fill five 512-bit registers and one instruction multiplies eight
//    digit pairs;
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
// Complete unrolling of the small register loops keeps all 20 accumulators and
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
constexpr size_t kLanes = 40;   // both problems' digits: five registers of eight
constexpr int kRegs = 5;
constexpr uint64_t kMask52 = (uint64_t{1} << 52) - 1;

// A value of each problem, interleaved: lane 2j holds p's digit j and lane
// 2j + 1 q's. The 40 digits fill five registers exactly, and a digit of both
// problems is one aligned 128-bit pair, which one broadcast from memory
// spreads over every register (no per-register blend) and one shift by two
// lanes drops.
struct alignas(64) Pair {
  uint64_t d[kLanes];
};

// 16 limbs of 64 bits -> 20 digits of 52 bits at lanes s, s + 2, ...
// (positions are public).
void to_digits(Pair& out, int s, const Limb* x) {
  for (size_t i = 0; i < kDigits; ++i) {
    const size_t bit = 52 * i, limb = bit / 64, off = bit % 64;
    uint64_t v = x[limb] >> off;
    if (off > 12 && limb + 1 < 16) v |= x[limb + 1] << (64 - off);
    out.d[2 * i + s] = v & kMask52;
  }
}

// 20 normalised digits at lanes s, s + 2, ... -> 16 limbs (the value must be
// below 2^1024).
void from_digits(Limb* out, const Pair& x, int s) {
  for (size_t i = 0; i < 16; ++i) out[i] = 0;
  for (size_t i = 0; i < kDigits; ++i) {
    const size_t bit = 52 * i, limb = bit / 64, off = bit % 64;
    const uint64_t v = x.d[2 * i + s];
    if (limb < 16) out[limb] |= v << off;
    if (off > 12 && limb + 1 < 16) out[limb + 1] |= v >> (64 - off);
  }
}

struct Moduli {
  Pair m;
  uint64_t k0[2];  // -m^-1 mod 2^52 of each
};

using Regs = __m512i[kRegs];

// The rows are bound by the vector uops on the two ports that run 512-bit
// instructions (madds, shifts, broadcasts from a general register, lane
// extracts, blends), not by latency. A broadcast from memory is a load only,
// so each row's pair of b digits is broadcast from memory (the previous
// multiplication's 512-bit stores wrote it); inline asm, because the
// compiler may otherwise go through general registers.
__attribute__((target("avx512f"))) inline __m512i broadcast_pair(const uint64_t* x) {
  __m512i v;
  __asm__("vbroadcasti32x4 %1, %0" : "=v"(v) : "m"(*reinterpret_cast<const __m128i*>(x)));
  return v;
}

// The two q's spread as a pair, p's in the even lanes and q's in the odd:
// both broadcast from memory, the second merged under a lane mask. (One
// 128-bit broadcast would have to load what two 64-bit stores just wrote,
// which store forwarding does not serve: 412 instead of 257 us.)
__attribute__((target("avx512f"))) inline __m512i spread_pair(const uint64_t* x) {
  __m512i v;
  const __mmask8 odd = 0xaa;
  __asm__("vpbroadcastq %1, %0" : "=v"(v) : "m"(x[0]));
  __asm__("vpbroadcastq %1, %0%{%2%}" : "+v"(v) : "m"(x[1]), "Yk"(odd));
  return v;
}

// All 40 lanes down by two: one digit of both problems dropped (the
// division by 2^52); the top pair becomes zero.
__attribute__((target("avx512f"))) inline void shift_down(Regs& v) {
  v[0] = _mm512_alignr_epi64(v[1], v[0], 2);
  v[1] = _mm512_alignr_epi64(v[2], v[1], 2);
  v[2] = _mm512_alignr_epi64(v[3], v[2], 2);
  v[3] = _mm512_alignr_epi64(v[4], v[3], 2);
  v[4] = _mm512_alignr_epi64(_mm512_setzero_si512(), v[4], 2);
}

// Lanes 2*pair and 2*pair + 1 of register v (pair 0..3 public): the digit of
// p and the digit of q.
__attribute__((target("avx512f"))) inline void pair_of(__m512i v, int pair, uint64_t& p, uint64_t& q) {
  __m128i part;
  switch (pair) {
    case 0: part = _mm512_castsi512_si128(v); break;
    case 1: part = _mm512_extracti32x4_epi32(v, 1); break;
    case 2: part = _mm512_extracti32x4_epi32(v, 2); break;
    default: part = _mm512_extracti32x4_epi32(v, 3); break;
  }
  p = static_cast<uint64_t>(_mm_cvtsi128_si64(part));
  q = static_cast<uint64_t>(_mm_extract_epi64(part, 1));
}

constexpr uint64_t kEvenLanes = 0x5555555555;  // p's lanes among the 40
constexpr uint64_t kOddLanes = 0xaaaaaaaaaa;   // q's

// Lanes of one problem (`own`, the even or odd bits) that receive a carry,
// from its generate and propagate masks: the carry-lookahead addition
// ((G << 2) + P) ^ P, with the other problem's bits set in P so that an
// addition carry passes through them to this problem's next digit.
inline uint64_t carries_in(uint64_t g, uint64_t p, uint64_t own) {
  const uint64_t pass = (p & own) | ~own;
  return ((((g & own) << 2) + pass) ^ pass) & own;
}

// Both problems' lanes normalised to 52 bits, each carry into the next digit:
// the next multiplication's madds read only the low 52 bits of a lane. A
// scalar ripple over each problem's 20 lanes took a tenth of the
// multiplication; in vectors it is two steps:
//  1. every lane's bits above 52 join the next digit (two lanes up), which
//     leaves each lane at most 2^52 - 1 + 2^12: a carry of 0 or 1 to come;
//  2. those single carries as in a carry-lookahead adder: lanes above
//     2^52 - 1 generate a carry (G), lanes equal to it pass one on (P), and
//     one 64-bit addition per problem gives every lane that receives one;
//     adding it is subtracting 2^52 - 1 and masking to 52 bits.
// Nothing carries out of digit 19: each value is below 2m < 2^1025. The
// masks are data only.
__attribute__((target("avx512f"))) void normalise(Regs& x) {
  const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask52));
  __m512i c[kRegs];
  for (int k = 0; k < kRegs; ++k) {
    c[k] = _mm512_srli_epi64(x[k], 52);
    x[k] = _mm512_and_si512(x[k], mask);
  }
  x[0] = _mm512_add_epi64(x[0], _mm512_alignr_epi64(c[0], _mm512_setzero_si512(), 6));
  for (int k = 1; k < kRegs; ++k) x[k] = _mm512_add_epi64(x[k], _mm512_alignr_epi64(c[k], c[k - 1], 6));
  uint64_t g = 0, p = 0;
  for (int k = 0; k < kRegs; ++k) {
    g |= uint64_t{_mm512_cmpgt_epu64_mask(x[k], mask)} << (8 * k);
    p |= uint64_t{_mm512_cmpeq_epu64_mask(x[k], mask)} << (8 * k);
  }
  const uint64_t receives = carries_in(g, p, kEvenLanes) | carries_in(g, p, kOddLanes);
  for (int k = 0; k < kRegs; ++k) {
    const __mmask8 in = static_cast<__mmask8>(receives >> (8 * k));
    x[k] = _mm512_and_si512(_mm512_mask_sub_epi64(x[k], in, x[k], mask), mask);
  }
}

// Keeps x in a general register under clang: clang 14 pairs the two
// problems' scalar steps into vector instructions (64-bit multiplications
// made of vpmuludq), which take the vector ports the rows are bound by (555
// instead of 351 us). GCC keeps them scalar, and is slower with the barrier.
inline void keep_scalar([[maybe_unused]] uint64_t& x) {
#if defined(__clang__)
  __asm__("" : "+r"(x));
#endif
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
//    digit 0 at row i is its digit 2 of three rows before plus what the last
//    two q's put there (lo(m1*q) + hi(m0*q) from row i-1, lo(m2*q) +
//    hi(m1*q) from row i-2), which scalar multiplications give directly.
//    The row-to-row chain is then a multiplication, two additions and the
//    multiplication by k0.
// The carry out of the dropped digit 0 stays scalar too: a vector digit 0 is
// only ever read through that scalar sum, except after the last row, where
// the carry joins the result.
__attribute__((target("avx512f,avx512ifma"))) void amm_x2(Pair& r, const Pair& a, const Pair& b,
                                                          const Moduli& mod) {
  using u128 = unsigned __int128;
  Regs acc_a, acc_m, av, mv;
  for (int k = 0; k < kRegs; ++k) {
    av[k] = _mm512_load_si512(&a.d[8 * k]);
    mv[k] = _mm512_load_si512(&mod.m.d[8 * k]);
    acc_a[k] = acc_m[k] = _mm512_setzero_si512();
  }
  // Per problem: m's low digits; the carry into digit 0; the scalar terms
  // due in the next row's and the one after's digit 0; M's digit 2 after the
  // last three rows (e1 the latest).
  uint64_t m0[2], m1[2], m2[2], carry[2] = {0, 0}, next1[2] = {0, 0}, next2[2] = {0, 0};
  uint64_t e1[2] = {0, 0}, e2[2] = {0, 0}, e3[2] = {0, 0};
  uint64_t q[2];  // in memory, for spread_pair
  for (int s = 0; s < 2; ++s) {
    m0[s] = mod.m.d[s];
    m1[s] = mod.m.d[2 + s];
    m2[s] = mod.m.d[4 + s];
  }
  // Fully unrolled: with the loop rolled, GCC kept a copy of the ten
  // accumulators on the stack, stored every row. (Only asked of GCC: clang
  // 14 declines the request, which -Werror then turns into an error.)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 20
#endif
  for (size_t i = 0; i < kDigits; ++i) {
    const __m512i bi = broadcast_pair(&b.d[2 * i]);
    for (int k = 0; k < kRegs; ++k) acc_a[k] = _mm512_madd52lo_epu64(acc_a[k], av[k], bi);
    uint64_t t0[2], a0[2];
    pair_of(acc_a[0], 0, a0[0], a0[1]);
    for (int s = 0; s < 2; ++s) {
      // Digit 0, a 64-bit sum whose low 52 bits make q: the terms known
      // early first, those from the previous q last.
      t0[s] = (a0[s] + e3[s]) + (next1[s] + carry[s]);
      q[s] = (t0[s] * mod.k0[s]) & kMask52;  // makes digit 0 vanish modulo 2^52
      keep_scalar(t0[s]);
    }
    const __m512i qv = spread_pair(q);
    for (int k = 0; k < kRegs; ++k) acc_m[k] = _mm512_madd52lo_epu64(acc_m[k], mv[k], qv);
    // Digit 0 is now a multiple of 2^52: drop it (the division by 2^52).
    shift_down(acc_a);
    shift_down(acc_m);
    // High halves belong one digit up, which after the shift is digit j.
    for (int k = 0; k < kRegs; ++k) {
      acc_a[k] = _mm512_madd52hi_epu64(acc_a[k], av[k], bi);
      acc_m[k] = _mm512_madd52hi_epu64(acc_m[k], mv[k], qv);
    }
    for (int s = 0; s < 2; ++s) {
      // This q's terms in the next two digits 0 (what M's madds just added
      // to its digits 0 and 1), and the carry out of the dropped digit.
      const u128 qm0 = u128{m0[s]} * q[s], qm1 = u128{m1[s]} * q[s];
      carry[s] = (t0[s] + (static_cast<uint64_t>(qm0) & kMask52)) >> 52;
      next1[s] = next2[s] + (static_cast<uint64_t>(qm1) & kMask52) + static_cast<uint64_t>(qm0 >> 52);
      next2[s] = ((m2[s] * q[s]) & kMask52) + static_cast<uint64_t>(qm1 >> 52);
      keep_scalar(carry[s]);
      keep_scalar(next1[s]);
      keep_scalar(next2[s]);
      e3[s] = e2[s];
      e2[s] = e1[s];
    }
    pair_of(acc_m[0], 2, e1[0], e1[1]);
  }
  for (int k = 0; k < kRegs; ++k) acc_a[k] = _mm512_add_epi64(acc_a[k], acc_m[k]);
  // Both carries into digit 0: lanes 0 and 1, the first four 32-bit elements.
  const __m128i carries = _mm_set_epi64x(static_cast<long long>(carry[1]), static_cast<long long>(carry[0]));
  acc_a[0] = _mm512_add_epi64(acc_a[0], _mm512_maskz_broadcast_i32x4(0x000f, carries));
  normalise(acc_a);
  for (int k = 0; k < kRegs; ++k) _mm512_store_si512(&r.d[8 * k], acc_a[k]);
}

// out = table[index] for a table of pairs, both problems' indices at once
// (p's at even lanes, q's at odd), reading every entry.
__attribute__((target("avx512f"))) void select_x2(Pair& out, const Pair* table, size_t entries,
                                                  const uint64_t* index) {
  Regs r;
  for (int k = 0; k < kRegs; ++k) r[k] = _mm512_setzero_si512();
  const __m512i want = _mm512_broadcast_i32x4(_mm_set_epi64x(static_cast<long long>(index[1]),
                                                             static_cast<long long>(index[0])));
  for (size_t i = 0; i < entries; ++i) {
    const __mmask8 hit = _mm512_cmpeq_epi64_mask(_mm512_set1_epi64(static_cast<long long>(i)), want);
    // A full load of every entry, then a masked register move: a masked
    // load could skip the memory of entries it does not keep.
    for (int k = 0; k < kRegs; ++k) r[k] = _mm512_mask_mov_epi64(r[k], hit, _mm512_load_si512(&table[i].d[8 * k]));
  }
  for (int k = 0; k < kRegs; ++k) _mm512_store_si512(&out.d[8 * k], r[k]);
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

  Moduli mod;
  Pair rr, one, b, acc, pick;
  for (int s = 0; s < 2; ++s) {
    to_digits(mod.m, s, mont[s]->modulus().data());
    mod.k0[s] = mont[s]->m0inv() & kMask52;  // -m^-1 mod 2^64 reduced mod 2^52
    // (2^1040)^2 mod m = 2^2048 * 2^32 mod m: double R^2 of the 64-bit form 32 times.
    LimbVector r2 = mont[s]->r2();
    for (int i = 0; i < 32; ++i) double_mod(r2.data(), mont[s]->modulus().data());
    to_digits(rr, s, r2.data());
    Limb unit[16] = {1};
    to_digits(one, s, unit);
    to_digits(b, s, base[s]);
  }

  // Table of base^i * R for i = 0..31, in both problems at once: 5-bit
  // windows, as Montgomery::exp_secret uses for 1024-bit exponents (204
  // multiplications and 30 for the table, instead of 256 and 14).
  constexpr unsigned kWindow = 5;
  constexpr size_t kEntries = size_t{1} << kWindow;
  Pair table[kEntries];  // 10 KiB, on the stack: no allocation per exponentiation
  amm_x2(table[0], one, rr, mod);  // R mod m
  amm_x2(table[1], b, rr, mod);    // base * R
  for (size_t i = 2; i < kEntries; ++i) amm_x2(table[i], table[i - 1], table[1], mod);

  // 1024 exponent bits from the top: a first window of 1024 mod 5 = 4 bits,
  // then 204 windows of 5.
  uint64_t idx[2];
  size_t pos = 1024 - 1024 % kWindow;
  for (int s = 0; s < 2; ++s) idx[s] = window_bits(exp[s], pos, 1024 % kWindow);
  select_x2(acc, table, kEntries, idx);
  while (pos > 0) {
    pos -= kWindow;
    for (unsigned k = 0; k < kWindow; ++k) amm_x2(acc, acc, acc, mod);
    for (int s = 0; s < 2; ++s) idx[s] = window_bits(exp[s], pos, kWindow);
    select_x2(pick, table, kEntries, idx);
    amm_x2(acc, acc, pick, mod);
  }
  amm_x2(acc, acc, one, mod);  // leave Montgomery form: result <= m

  LimbVector* out[2] = {&out_p, &out_q};
  for (int s = 0; s < 2; ++s) {
    out[s]->assign(16, 0);
    from_digits(out[s]->data(), acc, s);
    final_reduce(out[s]->data(), mont[s]->modulus().data());
  }
  secure_zero(table, sizeof table);
  secure_zero(&acc, sizeof acc);
  secure_zero(&pick, sizeof pick);
  secure_zero(&b, sizeof b);
  secure_zero(&mod, sizeof mod);  // p and q
  secure_zero(&rr, sizeof rr);
  return true;
}

}  // namespace tls12::crypto
