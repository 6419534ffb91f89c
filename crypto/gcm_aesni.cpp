// AES-GCM with AES-NI and PCLMULQDQ (SP 800-38D on 128-bit registers).
//
// The main loop takes 8 blocks (128 bytes) at a time: 8 counter blocks go
// through the AES rounds together, so the CPU's pipelined AES unit always has
// independent work (one AESENC has a latency of several cycles but the unit
// accepts a new one every cycle or two); then GHASH absorbs the 8 ciphertext
// blocks with one reduction, multiplying them by H^8..H^1 (aggregated
// reduction, see crypto/gcm_x86.h). Fewer than 8 blocks at the end go one at a
// time.
//
// When encrypting, the GHASH of a group of 8 ciphertext blocks is deferred to
// the next turn of the loop, so that it runs alongside that turn's AES rounds
// instead of waiting for them: the two halves of GCM overlap.
#include <stdexcept>

#include "crypto/aes_internal.h"
#include "crypto/gcm.h"
#include "crypto/gcm_x86.h"

namespace tls12::crypto {

namespace gcm_x86 {

// Shared with crypto/gcm_vaes.cpp: the round keys and the powers of H.
__attribute__((target("aes,pclmul,sse4.1,ssse3"))) void prepare_key_schedule(ByteView key,
                                                                             KeySchedule& ks) {
  alignas(16) uint8_t w[16 * 15];
  ks.nr = aes_detail::key_expansion(key, w);
  for (int r = 0; r <= ks.nr; ++r) ks.rk[r] = load(w + 16 * r);
  secure_zero(w, sizeof w);
  const __m128i h = byte_reverse(aes_encrypt(ks, _mm_setzero_si128()));  // H = CIPH_K(0^128)
  ks.h_pow[0] = h;
  for (int i = 1; i < 16; ++i) ks.h_pow[i] = gf_mul(ks.h_pow[i - 1], h);
  for (int i = 0; i < 16; ++i) ks.h_desc[i] = ks.h_pow[15 - i];
  for (int i = 0; i < 8; ++i) ks.h_desc8[i] = ks.h_pow[7 - i];
}

}  // namespace gcm_x86

namespace {

using namespace gcm_x86;

#define TLS12_AESNI_GCM __attribute__((target("aes,pclmul,sse4.1,ssse3")))

// 8 counter blocks through all the AES rounds, round by round across blocks.
TLS12_AESNI_GCM inline __attribute__((always_inline)) void aes_encrypt8(const KeySchedule& ks,
                                                                        __m128i b[8]) {
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) b[i] = _mm_xor_si128(b[i], ks.rk[0]);
  for (int r = 1; r < ks.nr; ++r) {
    const __m128i k = ks.rk[r];
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) b[i] = _mm_aesenc_si128(b[i], k);
  }
  const __m128i k = ks.rk[ks.nr];
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) b[i] = _mm_aesenclast_si128(b[i], k);
}

// Absorbs 8 blocks (as stored in memory) into y with one reduction.
TLS12_AESNI_GCM inline __attribute__((always_inline)) __m128i ghash8(const KeySchedule& ks,
                                                                     __m128i y, const __m128i c[8]) {
  Wide acc = wide_zero();
  clmul_accumulate(acc, _mm_xor_si128(y, byte_reverse(c[0])), ks.h_desc8[0]);
  #pragma GCC unroll 16
  for (int i = 1; i < 8; ++i) clmul_accumulate(acc, byte_reverse(c[i]), ks.h_desc8[i]);
  return reduce(acc);
}

TLS12_AESNI_GCM inline __attribute__((always_inline)) void next_counters8(__m128i& ctr, __m128i b[8]) {
  const __m128i one = _mm_set_epi32(0, 0, 0, 1);
  #pragma GCC unroll 16
  for (int i = 0; i < 8; ++i) {
    b[i] = byte_reverse(ctr);
    ctr = _mm_add_epi32(ctr, one);
  }
}

TLS12_AESNI_GCM void encrypt_aesni(const KeySchedule& ks, const uint8_t iv[12], ByteView aad,
                                   MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h_pow[0], aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  if (len >= 128) {
    __m128i pending[8];  // ciphertext whose GHASH waits for the next turn
    bool have_pending = false;
    while (len >= 128) {
      __m128i b[8];
      next_counters8(ctr, b);
      aes_encrypt8(ks, b);
      if (have_pending) y = ghash8(ks, y, pending);
      #pragma GCC unroll 16
      for (int i = 0; i < 8; ++i) {
        pending[i] = _mm_xor_si128(b[i], load(p + 16 * i));
        store(p + 16 * i, pending[i]);
      }
      have_pending = true;
      p += 128;
      len -= 128;
    }
    y = ghash8(ks, y, pending);
  }
  y = ctr_ghash_tail<true>(ks, y, ctr, p, len);
  finish_tag(ks, y, iv, aad.size(), data.size(), tag);
}

TLS12_AESNI_GCM void decrypt_aesni(const KeySchedule& ks, const uint8_t iv[12], ByteView aad,
                                   MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h_pow[0], aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  while (len >= 128) {
    // The ciphertext is known up front, so GHASH and AES are independent and
    // the CPU runs them side by side.
    __m128i c[8], b[8];
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) c[i] = load(p + 16 * i);
    next_counters8(ctr, b);
    aes_encrypt8(ks, b);
    y = ghash8(ks, y, c);
    #pragma GCC unroll 16
    for (int i = 0; i < 8; ++i) store(p + 16 * i, _mm_xor_si128(b[i], c[i]));
    p += 128;
    len -= 128;
  }
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
  explicit GcmAesni(ByteView key) { prepare_key_schedule(key, ks_); }
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
  KeySchedule ks_;
};

}  // namespace

void ghash_pclmul(const uint8_t h[16], uint8_t y[16], ByteView data) {
  ghash_with_pclmul(h, y, data);
}

namespace gcm_detail {
std::unique_ptr<AesGcm> make_aesni(ByteView key) { return std::make_unique<GcmAesni>(key); }
}  // namespace gcm_detail

}  // namespace tls12::crypto
