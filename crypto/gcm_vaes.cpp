// AES-GCM with VAES and VPCLMULQDQ on 512-bit registers (AVX-512).
//
// The same algorithm as crypto/gcm_aesni.cpp, four blocks wide: one 512-bit
// register holds four 16-byte blocks (its four 128-bit lanes), and VAESENC
// and VPCLMULQDQ work on each lane separately, so one instruction does the
// work of four. The main loop keeps 16 blocks (256 bytes, four registers) in
// flight: 16 counter blocks through the AES rounds, and GHASH of 16 blocks with
// the powers H^16..H^1 laid out lane by lane (h_desc), summed unreduced over
// the four registers, the four lanes folded together, and reduced once.
// A 4-block step (one register, H^4..H^1) and the one-block tail of
// crypto/gcm_x86.h finish the message.
//
// Chosen only when CPUID reports VAES, VPCLMULQDQ and AVX-512 F/BW/VL and
// the OS saves the 512-bit state (crypto/cpu.cpp checks XCR0).
#include <stdexcept>

// GCC 12's AVX-512 intrinsic headers start some results from
// _mm512_undefined_*() on purpose (broadcasts, extracts); inlined, -Wextra
// then reports "may be used uninitialized" inside the system header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "crypto/gcm.h"
#include "crypto/gcm_x86.h"

namespace tls12::crypto {

namespace {

using namespace gcm_x86;

#define TLS12_VAES_GCM \
  __attribute__((target("aes,pclmul,sse4.1,ssse3,avx,avx2,avx512f,avx512bw,avx512vl,vaes,vpclmulqdq")))
#define TLS12_VAES_INLINE TLS12_VAES_GCM inline __attribute__((always_inline))

// The powers of H of the 16-block loop; the last register (H^4..H^1) also
// serves the 4-block step. The round keys are not widened here: each is
// broadcast to the four lanes as it is loaded (vbroadcasti32x4 costs what a
// plain load does), which keeps a connection's state per direction at
// what the AES-NI engine keeps.
struct alignas(64) WideSchedule {
  __m512i h_desc16[4];    // register j, lane l: H^(16 - 4j - l)
};

TLS12_VAES_INLINE __m512i byte_reverse512(__m512i x) {
  const __m512i mask = _mm512_broadcast_i32x4(
      _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  return _mm512_shuffle_epi8(x, mask);
}

// Four consecutive counter blocks starting at `ctr` (byte-reversed domain).
TLS12_VAES_INLINE __m512i counters4(__m128i ctr, int first) {
  const __m512i base = _mm512_broadcast_i32x4(ctr);
  const __m512i offsets = _mm512_set_epi32(0, 0, 0, first + 3, 0, 0, 0, first + 2,
                                           0, 0, 0, first + 1, 0, 0, 0, first);
  return _mm512_add_epi32(base, offsets);  // inc32 within each lane
}

struct Wide512 {
  __m512i lo, mid, hi;
};

TLS12_VAES_INLINE void clmul_accumulate512(Wide512& acc, __m512i a, __m512i b) {
  acc.lo = _mm512_xor_si512(acc.lo, _mm512_clmulepi64_epi128(a, b, 0x00));
  acc.hi = _mm512_xor_si512(acc.hi, _mm512_clmulepi64_epi128(a, b, 0x11));
  acc.mid = _mm512_ternarylogic_epi64(acc.mid, _mm512_clmulepi64_epi128(a, b, 0x01),
                                      _mm512_clmulepi64_epi128(a, b, 0x10), 0x96);  // a^b^c
}

// XOR of the four lanes: the sum of four unreduced products.
TLS12_VAES_INLINE __m128i fold_lanes(__m512i z) {
  const __m256i t = _mm256_xor_si256(_mm512_castsi512_si256(z), _mm512_extracti64x4_epi64(z, 1));
  return _mm_xor_si128(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
}

TLS12_VAES_INLINE __m128i reduce512(const Wide512& acc) {
  return reduce(Wide{fold_lanes(acc.lo), fold_lanes(acc.mid), fold_lanes(acc.hi)});
}

// Rounds of AES on `n` registers of four blocks each.
template <int N>
TLS12_VAES_INLINE void aes_encrypt_wide(const KeySchedule& ks, __m512i b[N]) {
  const __m512i first = _mm512_broadcast_i32x4(ks.rk[0]);
  #pragma GCC unroll 16
  for (int i = 0; i < N; ++i) b[i] = _mm512_xor_si512(b[i], first);
  for (int r = 1; r < ks.nr; ++r) {
    const __m512i k = _mm512_broadcast_i32x4(ks.rk[r]);
    #pragma GCC unroll 16
    for (int i = 0; i < N; ++i) b[i] = _mm512_aesenc_epi128(b[i], k);
  }
  const __m512i last = _mm512_broadcast_i32x4(ks.rk[ks.nr]);
  #pragma GCC unroll 16
  for (int i = 0; i < N; ++i) b[i] = _mm512_aesenclast_epi128(b[i], last);
}

// GHASH of 16 blocks held in four registers (as in memory), one reduction.
TLS12_VAES_INLINE __m128i ghash16(const WideSchedule& ws, __m128i y, const __m512i c[4]) {
  Wide512 acc{_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
  const __m512i first = _mm512_xor_si512(byte_reverse512(c[0]), _mm512_zextsi128_si512(y));
  clmul_accumulate512(acc, first, ws.h_desc16[0]);
  #pragma GCC unroll 16
  for (int j = 1; j < 4; ++j) clmul_accumulate512(acc, byte_reverse512(c[j]), ws.h_desc16[j]);
  return reduce512(acc);
}

TLS12_VAES_INLINE __m128i ghash4(const WideSchedule& ws, __m128i y, __m512i c) {
  Wide512 acc{_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
  clmul_accumulate512(acc, _mm512_xor_si512(byte_reverse512(c), _mm512_zextsi128_si512(y)), ws.h_desc16[3]);
  return reduce512(acc);
}

TLS12_VAES_INLINE void next_counters16(__m128i& ctr, __m512i b[4]) {
  #pragma GCC unroll 16
  for (int j = 0; j < 4; ++j) b[j] = byte_reverse512(counters4(ctr, 4 * j));
  ctr = _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, 16));
}

TLS12_VAES_INLINE __m512i load512(const uint8_t* p) { return _mm512_loadu_si512(p); }
TLS12_VAES_INLINE void store512(uint8_t* p, __m512i v) { _mm512_storeu_si512(p, v); }

// Four blocks with one register: after the 16-block loop, before the tail.
template <bool Encrypt>
TLS12_VAES_INLINE __m128i ctr_ghash4(const KeySchedule& ks, const WideSchedule& ws, __m128i y,
                                     __m128i& ctr, uint8_t* p) {
  __m512i b[1] = {byte_reverse512(counters4(ctr, 0))};
  ctr = _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, 4));
  const __m512i in = load512(p);
  aes_encrypt_wide<1>(ks, b);
  const __m512i out = _mm512_xor_si512(in, b[0]);
  store512(p, out);
  return ghash4(ws, y, Encrypt ? out : in);
}

TLS12_VAES_GCM void encrypt_vaes(const KeySchedule& ks, const WideSchedule& ws, const uint8_t iv[12],
                                 ByteView aad, MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h, aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  if (len >= 256) {
    // GHASH of each 16 ciphertext blocks runs during the next turn's AES.
    __m512i pending[4];
    bool have_pending = false;
    while (len >= 256) {
      __m512i b[4];
      next_counters16(ctr, b);
      aes_encrypt_wide<4>(ks, b);
      if (have_pending) y = ghash16(ws, y, pending);
      #pragma GCC unroll 16
      for (int j = 0; j < 4; ++j) {
        pending[j] = _mm512_xor_si512(b[j], load512(p + 64 * j));
        store512(p + 64 * j, pending[j]);
      }
      have_pending = true;
      p += 256;
      len -= 256;
    }
    y = ghash16(ws, y, pending);
  }
  for (; len >= 64; p += 64, len -= 64) y = ctr_ghash4<true>(ks, ws, y, ctr, p);
  y = ctr_ghash_tail<true>(ks, y, ctr, p, len);
  finish_tag(ks, y, iv, aad.size(), data.size(), tag);
}

TLS12_VAES_GCM void decrypt_vaes(const KeySchedule& ks, const WideSchedule& ws, const uint8_t iv[12],
                                 ByteView aad, MutableByteView data, uint8_t tag[16]) {
  __m128i y = ghash_bytes(_mm_setzero_si128(), ks.h, aad.data(), aad.size());
  __m128i ctr = counter_start(iv, 2);
  uint8_t* p = data.data();
  size_t len = data.size();
  while (len >= 256) {
    __m512i c[4], b[4];
    #pragma GCC unroll 16
    for (int j = 0; j < 4; ++j) c[j] = load512(p + 64 * j);
    next_counters16(ctr, b);
    aes_encrypt_wide<4>(ks, b);
    y = ghash16(ws, y, c);  // independent of the AES above: they overlap
    #pragma GCC unroll 16
    for (int j = 0; j < 4; ++j) store512(p + 64 * j, _mm512_xor_si512(b[j], c[j]));
    p += 256;
    len -= 256;
  }
  for (; len >= 64; p += 64, len -= 64) y = ctr_ghash4<false>(ks, ws, y, ctr, p);
  y = ctr_ghash_tail<false>(ks, y, ctr, p, len);
  finish_tag(ks, y, iv, aad.size(), data.size(), tag);
}

// `h_desc`: H^16..H^1, from prepare_key_schedule.
TLS12_VAES_GCM void prepare_wide(const KeySchedule& ks, const __m128i h_desc[16], WideSchedule& ws) {
  // Nr indexes ks.rk in every later call. KeySchedule is filled in
  // crypto/gcm_aesni.cpp: an object file built against an older layout of
  // it (a stale build) reads Nr from the wrong offset, and a garbage Nr
  // would read far past the round keys. Refuse it instead.
  if (ks.nr != 10 && ks.nr != 14) {
    throw std::logic_error("AES-GCM key schedule has Nr other than 10 or 14 (mismatched build?)");
  }
  #pragma GCC unroll 16
  for (int j = 0; j < 4; ++j) ws.h_desc16[j] = _mm512_loadu_si512(&h_desc[4 * j]);
}

class GcmVaes final : public AesGcm {
 public:
  explicit GcmVaes(ByteView key) {
    __m128i h_desc[16];
    prepare_key_schedule(key, ks_, h_desc);
    prepare_wide(ks_, h_desc, ws_);
    secure_zero(h_desc, sizeof h_desc);
  }
  ~GcmVaes() override {
    secure_zero(&ks_, sizeof ks_);
    secure_zero(&ws_, sizeof ws_);
  }
  std::string_view implementation() const override { return "vaes"; }
  void encrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    encrypt_vaes(ks_, ws_, iv, aad, data, tag);
  }
  void decrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    decrypt_vaes(ks_, ws_, iv, aad, data, tag);
  }

 private:
  KeySchedule ks_;
  WideSchedule ws_;
};

}  // namespace

namespace gcm_detail {
std::unique_ptr<AesGcm> make_vaes(ByteView key) { return std::make_unique<GcmVaes>(key); }
}  // namespace gcm_detail

}  // namespace tls12::crypto
