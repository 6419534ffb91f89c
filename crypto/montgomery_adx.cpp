// Montgomery multiplication and squaring (see bignum.h) for the widths of
// RSA-2048..4096 (RFC 8017 §5.1.2: the 1024..2048-bit CRT halves and the
// modulus itself) with the x86-64 BMI2 and ADX instructions.
//
// Why assembly here: the portable product-scanning code of montgomery.cpp keeps
// one carry chain and spends a `mul` (fixed rax/rdx registers) plus three
// additions per partial product. MULX multiplies without touching the flags,
// and ADCX/ADOX add with two independent carry flags (CF and OF), so a row
// t += x*y keeps the low halves in one carry chain and the high halves in the
// other: a multiply and two additions per limb, which C++ cannot express (GCC
// and clang fold both chains onto CF).
//
// Algorithm: separated operand scanning (Koc, Acar and Kaliski 1996): first
// the full 2k-limb product (or square), then k reduction rows t += q_i*m*2^(64i)
// with q_i = t_i * (-m^-1) mod 2^64, which clear the low k limbs (the division
// by R = 2^(64k)); the high k limbs plus a carry are below 2m and one masked
// subtraction finishes. The square computes each cross product a_i*a_j (i < j)
// once, doubles the sum and adds the diagonal a_i^2: k(k-1)/2 + k products
// instead of k^2, about a quarter of a Montgomery multiplication saved.
//
// Constant time: every row has a length fixed at compile time, no branch or
// address depends on a value (the carries live in flags and registers), and the
// final subtraction is masked. The constant-time test runs this code under
// valgrind whenever the CPU has BMI2 and ADX (tests/crypto/test_rsa_constant_time.cpp).
#include <cstddef>
#include <utility>

#include "crypto/bignum.h"
#include "crypto/cpu.h"
#include "crypto/montgomery_internal.h"

namespace tls12::crypto::detail {

#if defined(__x86_64__) && defined(__GNUC__)

namespace {

using u128 = unsigned __int128;

// t[0..L) += x * y[0..L); returns the limb that carries out (the sum is below
// 2^(64(L+1)), so it fits). Two limbs per step so that the high halves of
// consecutive products alternate between two registers instead of being moved.
// The assembler repeats the step (.rept) with a running offset (.set), so the
// code is fully unrolled for each L without a loop counter (whose decrement
// would clobber OF).
template <size_t L>
inline Limb addmul_row(Limb* t, Limb x, const Limb* y) {
  static_assert(L >= 1);
  Limb lo, h0, h1, zero;
  __asm__ volatile(
      "xorl %k[zero], %k[zero]\n\t"  // zero, and CF = OF = 0
      "xorl %k[h0], %k[h0]\n\t"
      ".set tls12_j, 0\n\t"
      ".rept %c[pairs]\n\t"
      "mulxq 8*tls12_j(%[y]), %[lo], %[h1]\n\t"
      "adcxq 8*tls12_j(%[t]), %[lo]\n\t"
      "adoxq %[h0], %[lo]\n\t"
      "movq %[lo], 8*tls12_j(%[t])\n\t"
      "mulxq 8*tls12_j+8(%[y]), %[lo], %[h0]\n\t"
      "adcxq 8*tls12_j+8(%[t]), %[lo]\n\t"
      "adoxq %[h1], %[lo]\n\t"
      "movq %[lo], 8*tls12_j+8(%[t])\n\t"
      ".set tls12_j, tls12_j+2\n\t"
      ".endr\n\t"
      ".if %c[odd]\n\t"
      "mulxq 8*tls12_j(%[y]), %[lo], %[h1]\n\t"
      "adcxq 8*tls12_j(%[t]), %[lo]\n\t"
      "adoxq %[h0], %[lo]\n\t"
      "movq %[lo], 8*tls12_j(%[t])\n\t"
      "movq %[h1], %[h0]\n\t"
      ".endif\n\t"
      "adcxq %[zero], %[h0]\n\t"
      "adoxq %[zero], %[h0]\n\t"
      : [lo] "=&r"(lo), [h0] "=&r"(h0), [h1] "=&r"(h1), [zero] "=&r"(zero)
      : [t] "r"(t), [y] "r"(y), "d"(x), [pairs] "i"(L / 2), [odd] "i"(L % 2)
      : "cc", "memory");
  return h0;
}

// t[0..L) = x * y[0..L); returns the top limb. The first row of a product:
// writing it rather than adding it into a zeroed t saves clearing t (which
// the compiler did with `rep stos`, slow to start for 256 bytes: 7% of the
// squaring's time). One carry chain (CF) suffices: nothing is added from t.
template <size_t L>
inline Limb mul_row(Limb* t, Limb x, const Limb* y) {
  static_assert(L >= 1);
  Limb lo, h0, h1;
  __asm__ volatile(
      "xorl %k[h0], %k[h0]\n\t"  // h0 = 0 and CF = 0
      ".set tls12_j, 0\n\t"
      ".rept %c[pairs]\n\t"
      "mulxq 8*tls12_j(%[y]), %[lo], %[h1]\n\t"
      "adcxq %[h0], %[lo]\n\t"
      "movq %[lo], 8*tls12_j(%[t])\n\t"
      "mulxq 8*tls12_j+8(%[y]), %[lo], %[h0]\n\t"
      "adcxq %[h1], %[lo]\n\t"
      "movq %[lo], 8*tls12_j+8(%[t])\n\t"
      ".set tls12_j, tls12_j+2\n\t"
      ".endr\n\t"
      ".if %c[odd]\n\t"
      "mulxq 8*tls12_j(%[y]), %[lo], %[h1]\n\t"
      "adcxq %[h0], %[lo]\n\t"
      "movq %[lo], 8*tls12_j(%[t])\n\t"
      "movq %[h1], %[h0]\n\t"
      ".endif\n\t"
      "adcq $0, %[h0]\n\t"
      : [lo] "=&r"(lo), [h0] "=&r"(h0), [h1] "=&r"(h1)
      : [t] "r"(t), [y] "r"(y), "d"(x), [pairs] "i"(L / 2), [odd] "i"(L % 2)
      : "cc", "memory");
  return h0;
}

// d = t - m over K limbs (a sub/sbb chain, unrolled); returns all ones if it
// borrowed (t < m) and zero otherwise, from `sbb x, x`, without a branch.
template <size_t K>
inline Limb sub_rows(Limb* d, const Limb* t, const Limb* m) {
  Limb v, borrow_mask;
  __asm__ volatile(
      "movq (%[t]), %[v]\n\t"
      "subq (%[m]), %[v]\n\t"
      "movq %[v], (%[d])\n\t"
      ".set tls12_j, 1\n\t"
      ".rept %c[rest]\n\t"
      "movq 8*tls12_j(%[t]), %[v]\n\t"
      "sbbq 8*tls12_j(%[m]), %[v]\n\t"
      "movq %[v], 8*tls12_j(%[d])\n\t"
      ".set tls12_j, tls12_j+1\n\t"
      ".endr\n\t"
      "sbbq %[b], %[b]\n\t"
      : [v] "=&r"(v), [b] "=&r"(borrow_mask)
      : [d] "r"(d), [t] "r"(t), [m] "r"(m), [rest] "i"(K - 1)
      : "cc", "memory");
  return borrow_mask;
}

// r = (top, t) - m if that is not negative, else t, for (top, t) < 2m: the
// final step of a Montgomery product, masked (see final_subtract in
// montgomery_internal.h, whose u128 loop the compiler left rolled here).
template <size_t K>
inline void final_subtract_rows(Limb* r, const Limb* t, Limb top, const Limb* m) {
  Limb d[K];
  const Limb borrow_mask = sub_rows<K>(d, t, m);
  const Limb keep_diff = ct_mask_nonzero(top) | ~borrow_mask;
#pragma GCC unroll 64
  for (size_t j = 0; j < K; ++j) r[j] = ct_select(keep_diff, d[j], t[j]);
}

// One reduction row: t[0..L) += q * m[0..L) for L even, returning the carry
// limb like addmul_row, and also the new t[1] in a register (`t1`), from which
// the caller makes the next row's q. Taking it from the register rather than
// reloading it from memory keeps a store-to-load forward out of the chain that
// runs from one row's q to the next (q, mulx, add, q, ...), which is what the
// rows wait on. t[0] becomes zero by the choice of q and is not stored: no
// later row or the final step reads it.
template <size_t L>
inline Limb reduce_row(Limb* t, Limb q, const Limb* m, Limb& t1) {
  static_assert(L >= 2 && L % 2 == 0);
  Limb lo, h0, h1, zero;
  __asm__ volatile(
      "xorl %k[zero], %k[zero]\n\t"  // zero, and CF = OF = 0
      "mulxq (%[m]), %[lo], %[h1]\n\t"
      "adcxq (%[t]), %[lo]\n\t"  // zero by the choice of q; only the carries matter
      "mulxq 8(%[m]), %[lo], %[h0]\n\t"
      "adcxq 8(%[t]), %[lo]\n\t"
      "adoxq %[h1], %[lo]\n\t"
      "movq %[lo], 8(%[t])\n\t"
      "movq %[lo], %[t1]\n\t"
      ".set tls12_j, 2\n\t"
      ".rept %c[pairs]\n\t"
      "mulxq 8*tls12_j(%[m]), %[lo], %[h1]\n\t"
      "adcxq 8*tls12_j(%[t]), %[lo]\n\t"
      "adoxq %[h0], %[lo]\n\t"
      "movq %[lo], 8*tls12_j(%[t])\n\t"
      "mulxq 8*tls12_j+8(%[m]), %[lo], %[h0]\n\t"
      "adcxq 8*tls12_j+8(%[t]), %[lo]\n\t"
      "adoxq %[h1], %[lo]\n\t"
      "movq %[lo], 8*tls12_j+8(%[t])\n\t"
      ".set tls12_j, tls12_j+2\n\t"
      ".endr\n\t"
      "adcxq %[zero], %[h0]\n\t"
      "adoxq %[zero], %[h0]\n\t"
      : [lo] "=&r"(lo), [h0] "=&r"(h0), [h1] "=&r"(h1), [zero] "=&r"(zero), [t1] "=&r"(t1)
      : [t] "r"(t), [m] "r"(m), "d"(q), [pairs] "i"(L / 2 - 1)
      : "cc", "memory");
  return h0;
}

// r = t / R mod m for t = t[0..2K) < m*R: K reduction rows, then the high half
// (below 2m) loses m once if it is at least m. t is overwritten.
template <size_t K>
inline void reduce_rows(Limb* r, Limb* t, const Limb* m, Limb m0inv) {
  Limb carry = 0;  // out of limb i+K of the previous row, 0 or 1
  Limb q = t[0] * m0inv;  // makes t[0] vanish
  for (size_t i = 0; i < K; ++i) {
    Limb t1;
    const Limb top = reduce_row<K>(t + i, q, m, t1);
    q = t1 * m0inv;  // for row i + 1: makes t[i + 1] vanish
    const u128 s = u128{t[i + K]} + top + carry;
    t[i + K] = static_cast<Limb>(s);
    carry = static_cast<Limb>(s >> 64);
  }
  final_subtract_rows<K>(r, t + K, carry, m);
}

template <size_t K>
void mul_adx(Limb* r, const Limb* a, const Limb* b, const Limb* m, Limb m0inv, size_t) {
  Limb t[2 * K];
  t[K] = mul_row<K>(t, a[0], b);
  for (size_t i = 1; i < K; ++i) t[i + K] = addmul_row<K>(t + i, a[i], b);
  reduce_rows<K>(r, t, m, m0inv);
}

// The cross products a_i*a_j, i < j, land at t[i+j]: row i adds a_i times
// a[i+1..K) at t + 2i + 1, and its carry takes limb i + K, which no earlier
// row reached. Rows shrink by one limb each, hence one instantiation per length.
// Row 0 writes t[1..K] outright; t[0] and t[2K-1] no row reaches, so they start
// at zero for the doubling.
template <size_t K, size_t... I>
inline void cross_products(Limb* t, const Limb* a, std::index_sequence<I...>) {
  t[0] = 0;
  t[2 * K - 1] = 0;
  t[K] = mul_row<K - 1>(t + 1, a[0], a + 1);
  ((t[I + 1 + K] = addmul_row<K - 2 - I>(t + 2 * I + 3, a[I + 1], a + I + 2)), ...);
}

// t = 2*t + sum a_i^2 * 2^(128i) over 2K limbs: the doubling runs in the CF
// chain (t + t with carry), the squares in the OF chain. The doubled cross
// sum plus the diagonal is a^2 < 2^(128K), so neither chain carries out.
template <size_t K>
inline void double_and_add_diagonal(Limb* t, const Limb* a) {
  Limb lo, hi, t0, t1;
  __asm__ volatile(
      "xorl %k[lo], %k[lo]\n\t"  // CF = OF = 0
      ".set tls12_j, 0\n\t"
      ".rept %c[k]\n\t"
      "movq 8*tls12_j(%[a]), %%rdx\n\t"
      "mulxq %%rdx, %[lo], %[hi]\n\t"
      "movq 16*tls12_j(%[t]), %[t0]\n\t"
      "movq 16*tls12_j+8(%[t]), %[t1]\n\t"
      "adcxq %[t0], %[t0]\n\t"
      "adcxq %[t1], %[t1]\n\t"
      "adoxq %[lo], %[t0]\n\t"
      "adoxq %[hi], %[t1]\n\t"
      "movq %[t0], 16*tls12_j(%[t])\n\t"
      "movq %[t1], 16*tls12_j+8(%[t])\n\t"
      ".set tls12_j, tls12_j+1\n\t"
      ".endr\n\t"
      : [lo] "=&r"(lo), [hi] "=&r"(hi), [t0] "=&r"(t0), [t1] "=&r"(t1)
      : [t] "r"(t), [a] "r"(a), [k] "i"(K)
      : "rdx", "cc", "memory");
}

template <size_t K>
void sqr_adx(Limb* r, const Limb* a, const Limb* m, Limb m0inv, size_t) {
  Limb t[2 * K];
  cross_products<K>(t, a, std::make_index_sequence<K - 2>{});
  double_and_add_diagonal<K>(t, a);
  reduce_rows<K>(r, t, m, m0inv);
}

bool adx_usable() {
  static const bool usable = cpu_features().bmi2 && cpu_features().adx;
  return usable;
}

}  // namespace

MontMulFn adx_mul_of_width(size_t k) {
  switch (k) {
    case 16: return mul_adx<16>;
    case 24: return mul_adx<24>;
    case 32: return mul_adx<32>;
    case 48: return mul_adx<48>;
    case 64: return mul_adx<64>;
    default: return nullptr;
  }
}

// Squaring code grows with k^2 (one unrolled row per length, about 40 KB
// of code at 64 limbs); it pays off at every RSA width, the 64-limb one being
// the RSA-4096 public operation (16 of its 17 steps are squarings).
MontSqrFn adx_sqr_of_width(size_t k) {
  switch (k) {
    case 16: return sqr_adx<16>;
    case 24: return sqr_adx<24>;
    case 32: return sqr_adx<32>;
    case 48: return sqr_adx<48>;
    case 64: return sqr_adx<64>;
    default: return nullptr;
  }
}

MontMulFn adx_mul_for(size_t k) { return adx_usable() ? adx_mul_of_width(k) : nullptr; }
MontSqrFn adx_sqr_for(size_t k) { return adx_usable() ? adx_sqr_of_width(k) : nullptr; }

#else

MontMulFn adx_mul_of_width(size_t) { return nullptr; }
MontSqrFn adx_sqr_of_width(size_t) { return nullptr; }
MontMulFn adx_mul_for(size_t) { return nullptr; }
MontSqrFn adx_sqr_for(size_t) { return nullptr; }

#endif

}  // namespace tls12::crypto::detail
