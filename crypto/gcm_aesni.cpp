// AES-GCM with AES-NI and PCLMULQDQ (SP 800-38D on 128-bit registers).
//
// The main loop takes 8 blocks (128 bytes) at a time: 8 counter blocks go
// through the AES rounds together, so the CPU's pipelined AES unit always has
// independent work (one AESENC has a latency of several cycles but the unit
// accepts a new one every cycle or two), and GHASH absorbs 8 ciphertext
// blocks with one reduction, multiplying them by H^8..H^1 (aggregated
// reduction, see crypto/gcm_x86.h). Fewer than 8 blocks at the end go one at a
// time.
//
// The GHASH work is stitched into the AES rounds by hand (see turn8): when
// encrypting, each turn hashes the previous turn's ciphertext, so the two
// halves of GCM always run side by side.
#include <stdexcept>

#include "crypto/aes_internal.h"
#include "crypto/gcm.h"
#include "crypto/gcm_x86.h"

namespace tls12::crypto {

namespace gcm_x86 {

// Shared with crypto/gcm_vaes.cpp: the round keys and the powers of H.
__attribute__((target("aes,pclmul,sse4.1,ssse3"))) void prepare_key_schedule(ByteView key, KeySchedule& ks,
                                                                             __m128i h_desc[16]) {
  alignas(16) uint8_t w[16 * 15];
  ks.nr = aes_detail::aesni_key_expansion(key, w);  // this path runs only with AES-NI
  for (int r = 0; r <= ks.nr; ++r) ks.rk[r] = load(w + 16 * r);
  secure_zero(w, sizeof w);
  const __m128i h = byte_reverse(aes_encrypt(ks, _mm_setzero_si128()));  // H = CIPH_K(0^128)
  ks.h = h;
  __m128i h_pow[16];  // h_pow[i] = H^(i+1)
  h_pow[0] = h;
  for (int i = 1; i < 16; ++i) h_pow[i] = gf_mul(h_pow[i - 1], h);
  for (int i = 0; i < 16; ++i) h_desc[i] = h_pow[15 - i];
  secure_zero(h_pow, sizeof h_pow);  // H is the key's: as secret as it
}

}  // namespace gcm_x86

namespace {

using namespace gcm_x86;

#define TLS12_AESNI_GCM __attribute__((target("aes,pclmul,sse4.1,ssse3")))

#define TLS12_AESNI_INLINE TLS12_AESNI_GCM inline __attribute__((always_inline))

TLS12_AESNI_INLINE void next_counters8(__m128i& ctr, __m128i b[8]) {
  const __m128i one = _mm_set_epi32(0, 0, 0, 1);
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) {
    b[i] = byte_reverse(ctr);
    ctr = _mm_add_epi32(ctr, one);
  }
}

// Block i of the 8 at `src` (as in memory) times H^(8-i), added unreduced
// into `acc`; the running GHASH value y is added to the first block.
TLS12_AESNI_INLINE void ghash_step(const AesniSchedule& ks, Wide& acc, __m128i y, const uint8_t* src,
                                   int i) {
  __m128i x = byte_reverse(load(src + 16 * i));
  if (i == 0) x = _mm_xor_si128(x, y);
  clmul_accumulate_karatsuba(acc, x, ks.h_desc8[i], ks.h_kar8[i]);
}

// One turn of the main loop: 8 counter blocks through the Nr AES rounds,
// with the GHASH of the 8 blocks at `ghash_src` (if any) stitched in, one
// block after each of rounds 1-8. Interleaving by hand keeps few values live
// (16 SSE registers: 8 AES states, a round key, the three GHASH sums and a
// temporary) and gives the CPU AES and PCLMULQDQ work side by side.
template <int Nr>
TLS12_AESNI_INLINE __m128i turn8(const AesniSchedule& ks, __m128i& ctr, __m128i b[8],
                                 const uint8_t* ghash_src, __m128i y) {
  next_counters8(ctr, b);
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) b[i] = _mm_xor_si128(b[i], ks.rk[0]);
  Wide acc = wide_zero();
  #pragma GCC unroll 16
  for (int r = 1; r < Nr; ++r) {
    const __m128i k = ks.rk[r];
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) b[i] = _mm_aesenc_si128(b[i], k);
    // Blocks 1..7 first and block 0 (the one that needs y) last: y, which
    // the previous turn computes at its very end, is then needed as late as
    // possible, so the turns overlap.
    if (ghash_src != nullptr && r <= 8) ghash_step(ks, acc, y, ghash_src, r % 8);
  }
  const __m128i k = ks.rk[Nr];
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) b[i] = _mm_aesenclast_si128(b[i], k);
  return ghash_src != nullptr ? reduce(karatsuba_fix(acc)) : y;
}

TLS12_AESNI_INLINE __m128i ghash8(const AesniSchedule& ks, __m128i y, const uint8_t* src) {
  Wide acc = wide_zero();
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) ghash_step(ks, acc, y, src, i);
  return reduce(karatsuba_fix(acc));
}

// Encrypting, GHASH needs the ciphertext the turn produces, so each turn
// hashes the previous turn's 128 bytes (already written to memory) while it
// computes its own keystream; the last group is hashed after the loop.
template <int Nr>
TLS12_AESNI_INLINE __m128i encrypt_blocks(const AesniSchedule& ks, __m128i y, __m128i& ctr, uint8_t*& p,
                                          size_t& len) {
  const uint8_t* previous = nullptr;
  while (len >= 128) {
    __m128i b[8];
    y = turn8<Nr>(ks, ctr, b, previous, y);
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) store(p + 16 * i, _mm_xor_si128(b[i], load(p + 16 * i)));
    previous = p;
    p += 128;
    len -= 128;
  }
  return previous != nullptr ? ghash8(ks, y, previous) : y;
}

// Decrypting, the ciphertext is there from the start: each turn hashes the
// 128 bytes it is about to decrypt (read before the plaintext overwrites them).
template <int Nr>
TLS12_AESNI_INLINE __m128i decrypt_blocks(const AesniSchedule& ks, __m128i y, __m128i& ctr, uint8_t*& p,
                                          size_t& len) {
  while (len >= 128) {
    __m128i b[8];
    y = turn8<Nr>(ks, ctr, b, p, y);
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) store(p + 16 * i, _mm_xor_si128(b[i], load(p + 16 * i)));
    p += 128;
    len -= 128;
  }
  return y;
}

TLS12_AESNI_GCM void encrypt_aesni(const AesniSchedule& ks, const uint8_t iv[12], ByteView aad,
                                   MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h, aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  y = ks.nr == 10 ? encrypt_blocks<10>(ks, y, ctr, p, len) : encrypt_blocks<14>(ks, y, ctr, p, len);
  y = ctr_ghash_tail<true>(ks, y, ctr, p, len);
  finish_tag(ks, y, iv, aad.size(), data.size(), tag);
}

TLS12_AESNI_GCM void decrypt_aesni(const AesniSchedule& ks, const uint8_t iv[12], ByteView aad,
                                   MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h, aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  y = ks.nr == 10 ? decrypt_blocks<10>(ks, y, ctr, p, len) : decrypt_blocks<14>(ks, y, ctr, p, len);
  y = ctr_ghash_tail<false>(ks, y, ctr, p, len);
  finish_tag(ks, y, iv, aad.size(), data.size(), tag);
}

TLS12_AESNI_GCM void ghash_with_pclmul(const uint8_t h[16], uint8_t y[16], ByteView data) {
  const __m128i hr = byte_reverse(load(h));
  const __m128i acc = ghash_bytes(byte_reverse(load(y)), hr, data.data(), data.size());
  store(y, byte_reverse(acc));
}

class GcmAesni final : public AesGcm {
 public:
  explicit GcmAesni(ByteView key) {
    __m128i h_desc[16];
    prepare_key_schedule(key, ks_, h_desc);
    for (int i = 0; i < 8; ++i) {
      ks_.h_desc8[i] = h_desc[8 + i];
      ks_.h_kar8[i] = _mm_xor_si128(h_desc[8 + i], _mm_shuffle_epi32(h_desc[8 + i], 0x4e));
    }
    secure_zero(h_desc, sizeof h_desc);
  }
  ~GcmAesni() override { secure_zero(&ks_, sizeof ks_); }
  std::string_view implementation() const override { return "aesni"; }
  void encrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    encrypt_aesni(ks_, iv, aad, data, tag);
  }
  void decrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    decrypt_aesni(ks_, iv, aad, data, tag);
  }

 private:
  AesniSchedule ks_;
};

}  // namespace

void ghash_pclmul(const uint8_t h[16], uint8_t y[16], ByteView data) {
  ghash_with_pclmul(h, y, data);
}

namespace gcm_detail {
std::unique_ptr<AesGcm> make_aesni(ByteView key) { return std::make_unique<GcmAesni>(key); }
}  // namespace gcm_detail

}  // namespace tls12::crypto
