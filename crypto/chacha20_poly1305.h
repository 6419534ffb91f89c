// ChaCha20, Poly1305 and their AEAD construction (RFC 8439), the engine behind
// the ChaCha20-Poly1305 AEAD of crypto/aead.h (RFC 7905 suites).
//
// ChaCha20 (§2.3, §2.4) is a stream cipher: a 512-bit state of key, block
// counter and nonce goes through 20 rounds of 32-bit add, rotate and xor, and
// the result is the keystream block. Poly1305 (§2.5) is a one-time MAC: the
// message, cut into 16-byte numbers, is evaluated as a polynomial at the
// secret point r modulo the prime 2^130 - 5, and s is added. The AEAD (§2.8)
// derives the one-time Poly1305 key from ChaCha20 block 0, encrypts with
// blocks 1, 2, ... and MACs the padded AAD, the ciphertext and both lengths.
//
// Two engines give the same bytes:
// * reference: ChaCha20 one block at a time as §2.3 writes it, Poly1305 in
//   five 26-bit limbs (products fit in 64 bits); slow, to be read.
// * avx2: ChaCha20 on eight blocks at once, one 256-bit register per state
//   word (crypto/chacha20_avx2.cpp); Poly1305 on four lanes of 26-bit
//   limbs (crypto/poly1305_avx2.cpp), and in 64-bit limbs with 128-bit
//   products (crypto/poly1305.cpp) for short inputs and the last few blocks.
//   Where the CPU has AVX-512F, the same engine runs sixteen ChaCha20 blocks
//   per turn (crypto/chacha20_avx512.cpp) and eight Poly1305 lanes
//   (crypto/poly1305_avx512.cpp; in 44-bit limbs with IFMA,
//   crypto/poly1305_ifma.cpp).
//
// Both are constant time: ChaCha20 and Poly1305 use only additions,
// multiplications, shifts and masks, never a branch or an index on a secret.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "crypto/aead.h"
#include "crypto/bytes.h"

namespace tls12::crypto {

// RFC 8439 §2.3: the ChaCha20 block function; writes 64 bytes of keystream.
void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]);

// §2.4: XORs `data` with the keystream that starts at block `counter`.
void chacha20_xor_reference(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                            MutableByteView data);
// The same, eight blocks per turn with AVX2 (check cpu_features().avx2 first).
void chacha20_xor_avx2(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                       MutableByteView data);
// The same, sixteen blocks per turn with AVX-512F (check cpu_features().avx512f).
void chacha20_xor_avx512(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                         MutableByteView data);

// data[0..n) ^= keystream[0..n), 32 bytes at a time with AVX2 (check
// cpu_features().avx2 first).
void xor_bytes_avx2(uint8_t* data, const uint8_t* keystream, size_t n);

// Poly1305 state (§2.5) in five 26-bit limbs: the readable version.
struct Poly1305Reference {
  uint32_t r[5];    // the clamped r, 26 bits per limb
  uint32_t s[4];    // the 128-bit s, added at the end
  uint32_t acc[5];  // the accumulator, 26 bits per limb (plus carries)

  explicit Poly1305Reference(const uint8_t key[32]);
  // Adds `blocks` 16-byte blocks, each with 2^128 added (the 0x01 byte of
  // §2.5.1 after a full block; top_bit 0 leaves it out), times r after each.
  void add_blocks(const uint8_t* m, size_t blocks, uint32_t top_bit = 1);
  // The final partial block of §2.5.1: 1..15 bytes, then 0x01, then zeros.
  void add_final_partial(const uint8_t* m, size_t n);
  void finish(uint8_t tag[16]);
};

// Poly1305 state in 64-bit limbs with 128-bit products: the fast version.
struct Poly1305Fast {
  uint64_t r0, r1, s1;  // r, and s1 = 5 * r1 / 4 (r1 is a multiple of 4 by clamping)
  uint64_t pad0, pad1;  // s of §2.5
  uint64_t h0, h1, h2;  // the accumulator: h2 holds bits 128 and up (a few)

  explicit Poly1305Fast(const uint8_t key[32]);
  void add_blocks(const uint8_t* m, size_t blocks, uint64_t top_bit = 1) {
    for (size_t b = 0; b < blocks; ++b) add_block(m + 16 * b, top_bit);
  }
  // The same as add_blocks, four blocks at a time with AVX2 (check
  // cpu_features().avx2 first; crypto/poly1305_avx2.cpp).
  void add_blocks_avx2(const uint8_t* m, size_t blocks);
  // Eight blocks at a time with AVX-512F (check cpu_features().avx512f;
  // crypto/poly1305_avx512.cpp).
  void add_blocks_avx512(const uint8_t* m, size_t blocks);
  // Eight blocks at a time in 44-bit limbs with AVX-512 IFMA (check
  // poly1305_ifma_available(); crypto/poly1305_ifma.cpp).
  void add_blocks_ifma(const uint8_t* m, size_t blocks);
  void add_final_partial(const uint8_t* m, size_t n);
  void finish(uint8_t tag[16]);

  // One block.
  // acc = h2 * 2^128 + h1 * 2^64 + h0 and r = r1 * 2^64 + r0. Clamping leaves
  // r0, r1 below 2^60 and r1 a multiple of 4, so the part of h1 * r1 that
  // lands at 2^128 folds to the bottom exactly as h1 * (r1 / 4) * 5 = h1 * s1.
  void add_block(const uint8_t* m, uint64_t top_bit) {
    using u128 = unsigned __int128;
    uint64_t m0, m1;
    __builtin_memcpy(&m0, m, 8);  // x86-64 is little-endian, as Poly1305's numbers are
    __builtin_memcpy(&m1, m + 8, 8);
    // acc += n + 2^128 (top_bit is 1 but for the short last block)
    const u128 t0 = u128{h0} + m0;
    const u128 t1 = u128{h1} + m1 + static_cast<uint64_t>(t0 >> 64);
    const uint64_t a0 = static_cast<uint64_t>(t0), a1 = static_cast<uint64_t>(t1);
    const uint64_t a2 = h2 + static_cast<uint64_t>(t1 >> 64) + top_bit;
    // acc *= r; a2 is small (below 8), so a2 * r fits in 64 bits.
    const u128 d0 = u128{a0} * r0 + u128{a1} * s1;
    const u128 d1 = u128{a0} * r1 + u128{a1} * r0 + a2 * s1 + static_cast<uint64_t>(d0 >> 64);
    const uint64_t d2 = a2 * r0 + static_cast<uint64_t>(d1 >> 64);
    // Fold bits 130 and up back in: (d2 >> 2) * 5 = (d2 & ~3) + (d2 >> 2).
    const u128 c = u128{(d2 >> 2) + (d2 & ~uint64_t{3})} + static_cast<uint64_t>(d0);
    const u128 e = u128{static_cast<uint64_t>(d1)} + static_cast<uint64_t>(c >> 64);
    h0 = static_cast<uint64_t>(c);
    h1 = static_cast<uint64_t>(e);
    h2 = (d2 & 3) + static_cast<uint64_t>(e >> 64);
  }
};

// Whether this CPU (and TLS12_CPU) allows Poly1305Fast::add_blocks_ifma.
bool poly1305_ifma_available();

// §2.5: the one-time MAC of `message` under the 32-byte key (r || s).
template <class Poly>
void poly1305_mac(const uint8_t key[32], ByteView message, uint8_t tag[16]) {
  Poly poly(key);
  poly.add_blocks(message.data(), message.size() / 16);
  if (message.size() % 16 != 0) poly.add_final_partial(message.data() + message.size() / 16 * 16, message.size() % 16);
  poly.finish(tag);
}

// §2.8 with engines chosen by `impl` (reference or avx2). The tag check is
// the caller's (crypto/aead.cpp), as for AES-GCM.
class ChaCha20Poly1305 {
 public:
  virtual ~ChaCha20Poly1305() = default;
  virtual std::string_view implementation() const = 0;
  virtual void encrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const = 0;
  // Decrypts in place and writes the tag the ciphertext should carry.
  virtual void decrypt(const uint8_t nonce[12], ByteView aad, MutableByteView data, uint8_t tag[16]) const = 0;
};

bool chacha20_poly1305_available(AeadImplementation impl);
// `impl` is reference or avx2; best picks avx2 when the CPU has it. Throws
// std::runtime_error when the CPU lacks `impl`.
std::unique_ptr<ChaCha20Poly1305> make_chacha20_poly1305(ByteView key, AeadImplementation impl);


}  // namespace tls12::crypto
