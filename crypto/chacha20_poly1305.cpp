// The ChaCha20-Poly1305 AEAD of RFC 8439 §2.8 (used by the RFC 7905 suites),
// and the choice between its two engines (see chacha20_poly1305.h).
//
// §2.8.1 step by step: the one-time Poly1305 key is the first 32 bytes of
// ChaCha20 block 0 under (key, nonce) (§2.6); the data is encrypted with
// ChaCha20 from block 1; the MAC input is
//     AAD || pad16(AAD) || ciphertext || pad16(ciphertext)
//     || le64(len(AAD)) || le64(len(ciphertext)),
// where pad16 is 0 to 15 zero bytes up to a multiple of 16. Since everything
// is padded to whole 16-byte blocks, every Poly1305 block gets its 2^128 bit.
#include "crypto/chacha20_poly1305.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include "crypto/cpu.h"

namespace tls12::crypto {

namespace {

// Adds `bytes` with pad16 (zero bytes up to a whole block).
template <class Poly>
void add_padded(Poly& poly, ByteView bytes) {
  poly.add_blocks(bytes.data(), bytes.size() / 16);
  const size_t rest = bytes.size() % 16;
  if (rest == 0) return;
  uint8_t block[16] = {};
  std::memcpy(block, bytes.data() + bytes.size() - rest, rest);
  poly.add_blocks(block, 1);
}

template <class Poly>
void add_lengths_and_finish(Poly& poly, size_t aad_len, size_t data_len, uint8_t tag[16]) {
  uint8_t lengths[16];
  for (int i = 0; i < 8; ++i) {
    lengths[i] = static_cast<uint8_t>(static_cast<uint64_t>(aad_len) >> (8 * i));
    lengths[8 + i] = static_cast<uint8_t>(static_cast<uint64_t>(data_len) >> (8 * i));
  }
  poly.add_blocks(lengths, 1);
  poly.finish(tag);
}

// §2.6: the Poly1305 key is the first half of ChaCha20 block 0.
struct OneTimeKey {
  uint8_t block[64];
  OneTimeKey(const uint8_t key[32], const uint8_t nonce[12]) { chacha20_block(key, 0, nonce, block); }
  ~OneTimeKey() { secure_zero(block, sizeof block); }
};

class KeyHolder {
 protected:
  explicit KeyHolder(ByteView key) { std::memcpy(key_.data(), key.data(), key_.size()); }
  ~KeyHolder() { secure_zero(key_.data(), key_.size()); }
  std::array<uint8_t, 32> key_{};
};

// The reference engine: §2.8 literally, MAC and cipher in separate passes.
class ChaChaReference final : public ChaCha20Poly1305, KeyHolder {
 public:
  explicit ChaChaReference(ByteView key) : KeyHolder(key) {}
  std::string_view implementation() const override { return "reference"; }

  void encrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const override {
    Poly1305Reference poly(OneTimeKey(key_.data(), nonce).block);
    chacha20_xor_reference(key_.data(), 1, nonce, data);
    mac(poly, aad, data, tag);
  }
  void decrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const override {
    Poly1305Reference poly(OneTimeKey(key_.data(), nonce).block);
    mac(poly, aad, data, tag);
    chacha20_xor_reference(key_.data(), 1, nonce, data);
  }

 private:
  static void mac(Poly1305Reference& poly, ByteView aad, ByteView ciphertext, uint8_t tag[16]) {
    add_padded(poly, aad);
    add_padded(poly, ciphertext);
    add_lengths_and_finish(poly, aad.size(), ciphertext.size(), tag);
  }
};

// The AVX2 engine: ChaCha20 eight blocks per turn, then Poly1305 four lanes
// at a time over the ciphertext (a 16 KiB record stays in the L1 cache
// between the two passes). Where the CPU has AVX-512F the same engine runs
// both passes twice as wide (sixteen blocks per turn, eight lanes; with
// IFMA, the lanes in 44-bit limbs), chosen once per key. The first turn
// makes block 0 (the Poly1305 key) together with the first data blocks, so
// a short record costs one turn, not a scalar block and a turn.
class ChaChaAvx2 final : public ChaCha20Poly1305, KeyHolder {
 public:
  explicit ChaChaAvx2(ByteView key) : KeyHolder(key), wide_(cpu_features().avx512f), ifma_(poly1305_ifma_available()) {}
  std::string_view implementation() const override { return "avx2"; }

  void encrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const override {
    const FirstTurn first(key_.data(), nonce, data.size(), wide_);
    Poly1305Fast poly(first.keystream);
    first.apply(data);
    xor_rest(nonce, first.blocks, data.subspan(first.head));
    mac(poly, aad, data, tag);
  }
  void decrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const override {
    const FirstTurn first(key_.data(), nonce, data.size(), wide_);
    Poly1305Fast poly(first.keystream);
    mac(poly, aad, data, tag);
    first.apply(data);
    xor_rest(nonce, first.blocks, data.subspan(first.head));
  }

 private:
  // Keystream blocks 0..1 (AVX2) or 0..3 (AVX-512), made in rows, which
  // costs about 3/4 (AVX2) or 0.6 (AVX-512) of a full turn: the Poly1305
  // key, then the keystream for the first 64 or 192 bytes of data.
  struct FirstTurn {
    uint8_t keystream[256] = {};
    uint32_t blocks;
    size_t head;  // data bytes covered
    FirstTurn(const uint8_t key[32], const uint8_t nonce[12], size_t size, bool wide)
        : blocks(wide ? 4 : 2), head(std::min<size_t>(size, 64 * (blocks - 1))) {
      const MutableByteView zeros(keystream, 64 + head);  // zeros xor keystream = keystream
      if (wide) {
        chacha20_xor_avx512(key, 0, nonce, zeros);
      } else {
        chacha20_xor_avx2(key, 0, nonce, zeros);
      }
    }
    ~FirstTurn() { secure_zero(keystream, sizeof keystream); }
    void apply(MutableByteView data) const { xor_bytes_avx2(data.data(), keystream + 64, head); }
  };

  // The data after the first turn's, from block `counter` on.
  void xor_rest(const uint8_t nonce[12], uint32_t counter, MutableByteView rest) const {
    if (wide_) {
      chacha20_xor_avx512(key_.data(), counter, nonce, rest);
    } else {
      chacha20_xor_avx2(key_.data(), counter, nonce, rest);
    }
  }

  void mac(Poly1305Fast& poly, ByteView aad, ByteView ciphertext, uint8_t tag[16]) const {
    add_padded(poly, aad);
    if (ifma_) {
      poly.add_blocks_ifma(ciphertext.data(), ciphertext.size() / 16);
    } else if (wide_) {
      poly.add_blocks_avx512(ciphertext.data(), ciphertext.size() / 16);
    } else {
      poly.add_blocks_avx2(ciphertext.data(), ciphertext.size() / 16);
    }
    add_padded(poly, ciphertext.subspan(ciphertext.size() / 16 * 16));
    add_lengths_and_finish(poly, aad.size(), ciphertext.size(), tag);
  }

  bool wide_;  // AVX-512F: sixteen ChaCha20 blocks per turn, eight Poly1305 lanes
  bool ifma_;  // AVX-512 IFMA: the eight Poly1305 lanes in 44-bit limbs
};

}  // namespace

bool chacha20_poly1305_available(AeadImplementation impl) {
  return impl != AeadImplementation::avx2 || cpu_features().avx2;
}

std::unique_ptr<ChaCha20Poly1305> make_chacha20_poly1305(ByteView key, AeadImplementation impl) {
  if (key.size() != 32) throw std::invalid_argument("ChaCha20-Poly1305 key must be 32 bytes");
  if (impl == AeadImplementation::best) {
    impl = cpu_features().avx2 ? AeadImplementation::avx2 : AeadImplementation::reference;
  }
  if (!chacha20_poly1305_available(impl)) {
    throw std::runtime_error("this ChaCha20-Poly1305 implementation is not available on this CPU");
  }
  if (impl == AeadImplementation::avx2) return std::make_unique<ChaChaAvx2>(key);
  return std::make_unique<ChaChaReference>(key);
}

}  // namespace tls12::crypto
