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

#include <stdexcept>

#include "crypto/aes_internal.h"

namespace tls12::crypto::aes_detail {

#define TLS12_AESNI __attribute__((target("aes,sse4.1")))

namespace {

// §5.2 for one round key of AES-128, or the even ones of AES-256: with
// w[i-Nk..i-Nk+3] in `prev` and AESKEYGENASSIST's SubWord(RotWord(.)) ^ Rcon
// of the previous word broadcast in `assist`, each word is the word Nk
// before it XOR the one just made; the three shifted XORs compute that
// running sum across the four words at once.
TLS12_AESNI inline __m128i expand_step(__m128i prev, __m128i assist) {
  prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
  prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
  prev = _mm_xor_si128(prev, _mm_slli_si128(prev, 4));
  return _mm_xor_si128(prev, assist);
}

// AESKEYGENASSIST takes Rcon as an immediate, so the rounds are unrolled
// through this template.
template <int Rcon>
TLS12_AESNI inline __m128i aes128_round_key(__m128i prev) {
  return expand_step(prev, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(prev, Rcon), 0xff));
}

// AES-256 (Nk = 8): even round keys as above from the odd one before; odd
// ones take SubWord without RotWord or Rcon (the "i mod Nk = 4" case),
// which is word 2 of AESKEYGENASSIST's result.
template <int Rcon>
TLS12_AESNI inline void aes256_round_keys(__m128i& even, __m128i& odd, __m128i* out, bool last) {
  even = expand_step(even, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(odd, Rcon), 0xff));
  out[0] = even;
  if (last) return;
  odd = expand_step(odd, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(even, 0), 0xaa));
  out[1] = odd;
}

}  // namespace

TLS12_AESNI int aesni_key_expansion(ByteView key, uint8_t* w) {
  if (key.size() != 16 && key.size() != 32) throw std::invalid_argument("AES key must be 16 or 32 bytes");
  __m128i rk[15];
  rk[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data()));
  int nr = 10;
  if (key.size() == 16) {
    rk[1] = aes128_round_key<0x01>(rk[0]);
    rk[2] = aes128_round_key<0x02>(rk[1]);
    rk[3] = aes128_round_key<0x04>(rk[2]);
    rk[4] = aes128_round_key<0x08>(rk[3]);
    rk[5] = aes128_round_key<0x10>(rk[4]);
    rk[6] = aes128_round_key<0x20>(rk[5]);
    rk[7] = aes128_round_key<0x40>(rk[6]);
    rk[8] = aes128_round_key<0x80>(rk[7]);
    rk[9] = aes128_round_key<0x1b>(rk[8]);
    rk[10] = aes128_round_key<0x36>(rk[9]);
  } else {
    nr = 14;
    __m128i even = rk[0];
    __m128i odd = rk[1] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key.data() + 16));
    aes256_round_keys<0x01>(even, odd, rk + 2, false);
    aes256_round_keys<0x02>(even, odd, rk + 4, false);
    aes256_round_keys<0x04>(even, odd, rk + 6, false);
    aes256_round_keys<0x08>(even, odd, rk + 8, false);
    aes256_round_keys<0x10>(even, odd, rk + 10, false);
    aes256_round_keys<0x20>(even, odd, rk + 12, false);
    aes256_round_keys<0x40>(even, odd, rk + 14, true);
  }
  for (int i = 0; i <= nr; ++i) _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 16 * i), rk[i]);
  secure_zero(rk, sizeof rk);  // the round keys are the key
  return nr;
}

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

// ---------------------------------------------------------------- CBC mode

namespace tls12::crypto::aes_detail {

namespace {

struct RoundKeys {
  __m128i k[15];
};

TLS12_AESNI inline RoundKeys load_round_keys(const uint8_t* w, int nr) {
  RoundKeys rk;
  for (int i = 0; i <= nr; ++i) rk.k[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + 16 * i));
  return rk;
}

TLS12_AESNI inline __m128i load(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
TLS12_AESNI inline void store(uint8_t* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }

}  // namespace

// Serial by nature: block i's input is XORed with block i-1's output. The
// speed-up over per-block calls is only in keeping the round keys in registers.
TLS12_AESNI void aesni_cbc_encrypt(const uint8_t* w, int nr, uint8_t iv[16], uint8_t* data, size_t blocks) {
  const RoundKeys rk = load_round_keys(w, nr);
  __m128i chain = load(iv);
  for (size_t b = 0; b < blocks; ++b, data += 16) {
    __m128i s = _mm_xor_si128(_mm_xor_si128(load(data), chain), rk.k[0]);
    for (int round = 1; round < nr; ++round) s = _mm_aesenc_si128(s, rk.k[round]);
    chain = _mm_aesenclast_si128(s, rk.k[nr]);
    store(data, chain);
  }
  store(iv, chain);
}

// Each block's decryption needs only its own ciphertext, so eight blocks go
// through the rounds together and the AESDEC latency is hidden; the XOR with
// the previous ciphertext block comes after. The ciphertext blocks are loaded
// before the in-place store overwrites them.
TLS12_AESNI void aesni_cbc_decrypt(const uint8_t* dw, int nr, uint8_t iv[16], uint8_t* data, size_t blocks) {
  const RoundKeys rk = load_round_keys(dw, nr);
  __m128i chain = load(iv);
  constexpr size_t kLanes = 8;
  for (; blocks >= kLanes; blocks -= kLanes, data += 16 * kLanes) {
    __m128i c[kLanes], s[kLanes];
#pragma GCC unroll 8
    for (size_t i = 0; i < kLanes; ++i) {
      c[i] = load(data + 16 * i);
      s[i] = _mm_xor_si128(c[i], rk.k[0]);
    }
    // The lane loops are unrolled so that c[] and s[] stay in registers: the
    // eight independent aesdec chains are what hides the instruction's latency.
    for (int round = 1; round < nr; ++round)
#pragma GCC unroll 8
      for (size_t i = 0; i < kLanes; ++i) s[i] = _mm_aesdec_si128(s[i], rk.k[round]);
#pragma GCC unroll 8
    for (size_t i = 0; i < kLanes; ++i) s[i] = _mm_aesdeclast_si128(s[i], rk.k[nr]);
    store(data, _mm_xor_si128(s[0], chain));
#pragma GCC unroll 8
    for (size_t i = 1; i < kLanes; ++i) store(data + 16 * i, _mm_xor_si128(s[i], c[i - 1]));
    chain = c[kLanes - 1];
  }
  for (; blocks > 0; --blocks, data += 16) {
    const __m128i c = load(data);
    __m128i s = _mm_xor_si128(c, rk.k[0]);
    for (int round = 1; round < nr; ++round) s = _mm_aesdec_si128(s, rk.k[round]);
    s = _mm_aesdeclast_si128(s, rk.k[nr]);
    store(data, _mm_xor_si128(s, chain));
    chain = c;
  }
  store(iv, chain);
}

}  // namespace tls12::crypto::aes_detail
