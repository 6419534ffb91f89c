// GCM reference engine (NIST SP 800-38D) and the choice between engines.
//
// Read beside SP 800-38D: GHASH is §6.4, the multiplication in GF(2^128) is
// Algorithm 1 of §6.3, GCTR is §6.5, GCM-AE §7.1 and GCM-AD §7.2. For TLS the
// IV is always 96 bits (RFC 5288 §3: 4-byte salt + 8-byte explicit nonce), so
// J0 = IV || 0^31 || 1 and the data counter blocks start at inc32(J0).
//
// Timing: the multiplication below handles one bit of X per step and chooses
// "add V or not" and "reduce by R or not" with all-ones/all-zeros masks, so
// it always does the same work and touches no table: constant time, but about
// 128 steps per 16-byte block. (The usual 4-bit and 8-bit table methods of
// §6.3's footnote index tables with bits of the secret H product, which can
// leak through the cache.)
#include "crypto/gcm.h"

#include <cstring>
#include <stdexcept>

#include "crypto/aes.h"
#include "crypto/cpu.h"

namespace tls12::crypto {

namespace {

// A 128-bit block as two big-endian halves: bit 0 of §6.3 (the leftmost bit,
// x^0 in GCM's reflected polynomial order) is the top bit of `hi`.
struct Block128 {
  uint64_t hi = 0, lo = 0;
};

uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void store_be64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

Block128 load_block(const uint8_t b[16]) { return {load_be64(b), load_be64(b + 8)}; }

void store_block(uint8_t b[16], Block128 v) {
  store_be64(b, v.hi);
  store_be64(b + 8, v.lo);
}

// §6.3 Algorithm 1: Z = X • Y in GF(2^128).
Block128 gf128_mul(Block128 x, Block128 y) {
  Block128 z;
  Block128 v = y;
  for (int i = 0; i < 128; ++i) {
    // x_i, the i-th bit from the left, as a mask: all ones if set.
    const uint64_t word = i < 64 ? x.hi : x.lo;
    const uint64_t xi_mask = 0 - ((word >> (63 - (i & 63))) & 1);
    z.hi ^= v.hi & xi_mask;  // if x_i = 1: Z = Z xor V
    z.lo ^= v.lo & xi_mask;
    // V = V >> 1, xor R = 11100001 || 0^120 if the bit shifted out was 1.
    const uint64_t lsb_mask = 0 - (v.lo & 1);
    v.lo = (v.lo >> 1) | (v.hi << 63);
    v.hi = (v.hi >> 1) ^ (0xe100000000000000ULL & lsb_mask);
  }
  return z;
}

// The 16-byte block of §7.1 step 5: [len(A)]_64 || [len(C)]_64, in bits.
void length_block(uint8_t out[16], size_t aad_len, size_t data_len) {
  store_be64(out, static_cast<uint64_t>(aad_len) * 8);
  store_be64(out + 8, static_cast<uint64_t>(data_len) * 8);
}

class GcmReference final : public AesGcm {
 public:
  explicit GcmReference(ByteView key) : aes_(key, AesImplementation::reference) {
    const uint8_t zero[16] = {};
    aes_.encrypt_block(zero, h_);  // §7.1 step 1: H = CIPH_K(0^128)
  }
  ~GcmReference() override { secure_zero(h_, sizeof h_); }

  std::string_view implementation() const override { return "reference"; }

  void encrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    gctr(iv, data);
    compute_tag(iv, aad, data, tag);
  }

  void decrypt(const uint8_t iv[12], ByteView aad, MutableByteView data,
               uint8_t tag[16]) const override {
    compute_tag(iv, aad, data, tag);  // GHASH runs over the ciphertext
    gctr(iv, data);
  }

 private:
  // §6.5 GCTR starting at inc32(J0): XOR each block with CIPH_K(CB_i).
  void gctr(const uint8_t iv[12], MutableByteView data) const {
    uint8_t counter_block[16];
    std::memcpy(counter_block, iv, 12);
    uint32_t counter = 2;  // J0 has counter 1; the data uses inc32(J0) onward
    uint8_t keystream[16];
    for (size_t offset = 0; offset < data.size(); offset += 16) {
      store_counter(counter_block, counter++);  // inc32 wraps modulo 2^32
      aes_.encrypt_block(counter_block, keystream);
      const size_t n = std::min<size_t>(16, data.size() - offset);
      for (size_t i = 0; i < n; ++i) data[offset + i] ^= keystream[i];
    }
    secure_zero(keystream, sizeof keystream);
  }

  // §7.1 steps 4-6: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64),
  // T = MSB_t(GCTR_K(J0, S)).
  void compute_tag(const uint8_t iv[12], ByteView aad, ByteView ciphertext, uint8_t tag[16]) const {
    uint8_t s[16] = {};
    ghash_portable(h_, s, aad);
    ghash_portable(h_, s, ciphertext);
    uint8_t lengths[16];
    length_block(lengths, aad.size(), ciphertext.size());
    ghash_portable(h_, s, lengths);
    uint8_t j0[16];
    std::memcpy(j0, iv, 12);
    store_counter(j0, 1);
    aes_.encrypt_block(j0, j0);
    for (int i = 0; i < 16; ++i) tag[i] = static_cast<uint8_t>(s[i] ^ j0[i]);
    secure_zero(j0, sizeof j0);
    secure_zero(s, sizeof s);
  }

  static void store_counter(uint8_t block[16], uint32_t counter) {
    for (int i = 0; i < 4; ++i) block[15 - i] = static_cast<uint8_t>(counter >> (8 * i));
  }

  Aes aes_;
  uint8_t h_[16];
};

}  // namespace

// §6.4 GHASH: Y_i = (Y_{i-1} xor X_i) • H for each block X_i.
void ghash_portable(const uint8_t h[16], uint8_t y[16], ByteView data) {
  const Block128 hb = load_block(h);
  Block128 acc = load_block(y);
  for (size_t offset = 0; offset < data.size(); offset += 16) {
    uint8_t block[16] = {};  // a final partial block is padded with zeros
    std::memcpy(block, data.data() + offset, std::min<size_t>(16, data.size() - offset));
    const Block128 x = load_block(block);
    acc.hi ^= x.hi;
    acc.lo ^= x.lo;
    acc = gf128_mul(acc, hb);
  }
  store_block(y, acc);
}

namespace {

bool has_aesni_pclmul() {
  const CpuFeatures& cpu = cpu_features();
  return cpu.aesni && cpu.pclmulqdq;
}

bool has_vaes_avx512() {
  const CpuFeatures& cpu = cpu_features();
  return has_aesni_pclmul() && cpu.vaes && cpu.vpclmulqdq &&
         cpu.avx512f && cpu.avx512bw && cpu.avx512vl;
}

}  // namespace

bool aes_gcm_available(AeadImplementation impl) {
  switch (impl) {
    case AeadImplementation::aesni: return has_aesni_pclmul();
    case AeadImplementation::vaes: return has_vaes_avx512();
    default: return true;
  }
}

std::unique_ptr<AesGcm> make_aes_gcm(ByteView key, AeadImplementation impl) {
  if (impl == AeadImplementation::best) {
    impl = has_vaes_avx512()    ? AeadImplementation::vaes
           : has_aesni_pclmul() ? AeadImplementation::aesni
                                : AeadImplementation::reference;
  }
  if (!aes_gcm_available(impl)) {
    throw std::runtime_error("this AES-GCM implementation is not available on this CPU");
  }
  switch (impl) {
    case AeadImplementation::aesni: return gcm_detail::make_aesni(key);
    case AeadImplementation::vaes: return gcm_detail::make_vaes(key);
    default: return std::make_unique<GcmReference>(key);
  }
}

}  // namespace tls12::crypto
