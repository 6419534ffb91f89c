// AES-CBC encryption stitched with SHA-256 (crypto/cbc_sha256_stitched.h):
// SP 800-38A §6.2 CBC with AES-NI, FIPS 180-4 §6.2.2 with SHA-NI.
//
// Why stitch. Both computations are serial chains: each CBC block needs the
// ciphertext of the one before, ten or fourteen AESENC long, and each pair of
// SHA-256 rounds waits on the pair before. One after the other, the CPU mostly
// waits on latency. Called one after the other in a loop, they still do not
// overlap: the waiting AESENCs fill the scheduler, and the SHA rounds behind
// them cannot start (tried: no gain). Placing a few AES rounds after each
// group of four SHA rounds in program order lets both chains advance in the
// same cycles: 16 KiB in about 60% of the time of the two passes. OpenSSL's
// aesni-sha256 assembly does the same by hand.
//
// A step is one SHA-256 block and four AES blocks: 4 x (Nr + 1) AES operations
// (the XOR of plaintext, chaining value and round key 0; Nr - 1 AESENC; one
// AESENCLAST), spread over the sixteen groups of SHA rounds. Everything is
// unrolled, so which operation comes where is decided at compile time.
#include "crypto/cbc_sha256_stitched.h"

#include <immintrin.h>

#include "crypto/cpu.h"
#include "crypto/sha256_shani.h"

namespace tls12::crypto::detail {

namespace {

#define TLS12_STITCHED __attribute__((target("aes,sha,sse4.1")))
#define TLS12_STITCHED_INLINE inline __attribute__((always_inline, target("aes,sha,sse4.1")))

// AES operation `op` (0 .. Nr) of a block: state s, plaintext block p.
template <int Nr>
TLS12_STITCHED_INLINE void aes_operation(int op, __m128i& s, __m128i& chain, const __m128i* rk, uint8_t* p) {
  if (op == 0) {
    s = _mm_xor_si128(_mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), chain), rk[0]);
  } else if (op < Nr) {
    s = _mm_aesenc_si128(s, rk[op]);
  } else {
    chain = _mm_aesenclast_si128(s, rk[Nr]);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), chain);
  }
}

template <int Nr>
TLS12_STITCHED void stitched_steps(const uint8_t* w, uint8_t iv[16], uint8_t* data, std::array<uint32_t, 8>& h,
                                   const uint8_t* hash_data, size_t steps) {
  __m128i rk[Nr + 1];
  for (int r = 0; r <= Nr; ++r) rk[r] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 16 * r));
  __m128i chain = _mm_loadu_si128(reinterpret_cast<const __m128i*>(iv));
  Sha256NiState st = sha256_ni_load(h);
  constexpr int kOps = 4 * (Nr + 1);  // AES operations per step
  for (; steps > 0; --steps, data += 64, hash_data += 64) {
    const Sha256NiState saved = st;
    __m128i msg[4];
    sha256_ni_message(hash_data, msg);  // before this step writes anything
    __m128i s = chain;
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) {
      sha256_ni_group(g, msg, st);
#pragma GCC unroll 8
      for (int op = g * kOps / 16; op < (g + 1) * kOps / 16; ++op)
        aes_operation<Nr>(op % (Nr + 1), s, chain, rk, data + 16 * (op / (Nr + 1)));
    }
    sha256_ni_add(st, saved);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(iv), chain);
  sha256_ni_store(st, h);
}

}  // namespace

bool cbc_sha256_stitched_available() {
  const CpuFeatures& cpu = cpu_features();
  return cpu.aesni && cpu.sha_ni;
}

void aesni_cbc_encrypt_sha256(const uint8_t* w, int nr, uint8_t iv[16], uint8_t* data, std::array<uint32_t, 8>& h,
                              const uint8_t* hash_data, size_t steps) {
  if (nr == 10) return stitched_steps<10>(w, iv, data, h, hash_data, steps);
  stitched_steps<14>(w, iv, data, h, hash_data, steps);
}

}  // namespace tls12::crypto::detail
