// AES with the AES-NI instructions (FIPS-197 rounds in hardware).
//
// AESENC performs one whole round of §5.1 (ShiftRows, SubBytes, MixColumns,
// AddRoundKey) and AESENCLAST the final round without MixColumns; AESDEC and
// AESDECLAST do the same for the "equivalent inverse cipher" of §5.3.5, whose
// round keys have InvMixColumns applied (AESIMC). The instructions take the
// same time whatever the data and key, and read no tables from memory, so
// this path is constant time as well as fast.
//
// The functions carry __attribute__((target)) rather than the file being
// compiled with -maes, so the rest of the program runs on CPUs without AES-NI;
// crypto::Aes calls them only after cpu_features() says they are there.
#include <immintrin.h>

#include "crypto/aes_internal.h"

namespace tls12::crypto::aes_detail {

#define TLS12_AESNI __attribute__((target("aes,sse4.1")))

TLS12_AESNI void aesni_decryption_keys(const uint8_t* w, int nr, uint8_t* dw) {
  auto load = [&](int round) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 16 * round)); };
  auto store = [&](int i, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(dw + 16 * i), v); };
  store(0, load(nr));
  for (int i = 1; i < nr; ++i) store(i, _mm_aesimc_si128(load(nr - i)));
  store(nr, load(0));
}

TLS12_AESNI void aesni_encrypt(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]) {
  const __m128i* rk = reinterpret_cast<const __m128i*>(w);
  __m128i s = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), _mm_loadu_si128(rk));
  for (int round = 1; round < nr; ++round) s = _mm_aesenc_si128(s, _mm_loadu_si128(rk + round));
  s = _mm_aesenclast_si128(s, _mm_loadu_si128(rk + nr));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), s);
}

TLS12_AESNI void aesni_decrypt(const uint8_t* dw, int nr, const uint8_t in[16], uint8_t out[16]) {
  const __m128i* rk = reinterpret_cast<const __m128i*>(dw);
  __m128i s = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), _mm_loadu_si128(rk));
  for (int round = 1; round < nr; ++round) s = _mm_aesdec_si128(s, _mm_loadu_si128(rk + round));
  s = _mm_aesdeclast_si128(s, _mm_loadu_si128(rk + nr));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), s);
}

}  // namespace tls12::crypto::aes_detail
