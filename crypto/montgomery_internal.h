// Pieces shared by the Montgomery arithmetic files (montgomery.cpp and
// montgomery_adx.cpp, RFC 8017 §5.1.2's CRT exponentiations); not an interface
// for the rest of the library.
#pragma once

#include <cstddef>

#include "crypto/bignum.h"

namespace tls12::crypto::detail {

// r = a*b/R mod m and r = a^2/R mod m for k-limb values (the trailing size_t
// is k, which fixed-width versions ignore). r may alias a or b.
using MontMulFn = void (*)(Limb* r, const Limb* a, const Limb* b, const Limb* m, Limb m0inv, size_t k);
using MontSqrFn = void (*)(Limb* r, const Limb* a, const Limb* m, Limb m0inv, size_t k);

// The portable C++ versions for width k (montgomery.cpp): always available.
MontMulFn portable_mul_for(size_t k);
MontSqrFn portable_sqr_for(size_t k);

// The BMI2/ADX versions for width k, or nullptr when the CPU lacks them (or
// TLS12_CPU=reference) or k has no specialised version.
MontMulFn adx_mul_for(size_t k);
MontSqrFn adx_sqr_for(size_t k);
// The same without asking the CPU: for the constant-time test, which runs
// under valgrind, whose emulated CPUID hides ADX although it executes the
// instructions. Only call the result on a CPU that has BMI2 and ADX.
MontMulFn adx_mul_of_width(size_t k);
MontSqrFn adx_sqr_of_width(size_t k);

// r = table[index] for a table of `entries` values of k limbs (and r = 0 for
// an index past the end), reading every entry: the fixed-window
// exponentiation's lookup by a secret window value.
using TableSelectFn = void (*)(Limb* r, const Limb* table, size_t entries, size_t k, Limb index);
void portable_table_select(Limb* r, const Limb* table, size_t entries, size_t k, Limb index);
// The AVX2 version for k a multiple of 8, or nullptr when the CPU lacks AVX2
// (or TLS12_CPU=reference) or k is not a multiple of 8.
TableSelectFn avx2_table_select_for(size_t k);

// Working space lives on the stack; this bounds the modulus at 16384 bits,
// far above the 4096-bit RSA and 3072-bit DH moduli this library accepts.
constexpr size_t kMaxLimbs = 256;

// r = t - m if (top, t) >= m else t, for a k-limb t with a carry limb `top`
// (0 or 1) and (top, t) < 2m; masked, no branch on the values. K is k when
// known at compile time (constant loop bounds), 0 otherwise.
template <size_t K>
void final_subtract(Limb* r, const Limb* t, Limb top, const Limb* m, size_t k) {
  Limb borrow = 0;
  Limb d[K != 0 ? K : kMaxLimbs];
  for (size_t j = 0; j < k; ++j) {
    const unsigned __int128 diff = static_cast<unsigned __int128>(t[j]) - m[j] - borrow;
    d[j] = static_cast<Limb>(diff);
    borrow = static_cast<Limb>(diff >> 64) & 1;
  }
  // Keep t - m if t >= m: the top bit was set or the subtraction did not borrow.
  const Limb keep_diff = ct_mask_nonzero(top) | ct_mask_zero(borrow);
  for (size_t j = 0; j < k; ++j) r[j] = ct_select(keep_diff, d[j], t[j]);
}

}  // namespace tls12::crypto::detail
