// ChaCha20 as RFC 8439 §2.1–§2.4 writes it: the reference engine, one 64-byte
// block at a time. Read beside the RFC: the quarter round is §2.1, the state
// layout §2.3 (4 constants, 8 key words, block counter, 3 nonce words, all
// little-endian), and encryption §2.4 (XOR with successive blocks; the last
// block may be partial and its unused keystream is dropped).
#include <bit>
#include <cstring>

#include "crypto/chacha20_poly1305.h"

namespace tls12::crypto {

namespace {

uint32_t load_le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

void store_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// §2.1: a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; ... 8, 7.
void quarter_round(uint32_t x[16], int a, int b, int c, int d) {
  x[a] += x[b]; x[d] ^= x[a]; x[d] = std::rotl(x[d], 16);
  x[c] += x[d]; x[b] ^= x[c]; x[b] = std::rotl(x[b], 12);
  x[a] += x[b]; x[d] ^= x[a]; x[d] = std::rotl(x[d], 8);
  x[c] += x[d]; x[b] ^= x[c]; x[b] = std::rotl(x[b], 7);
}

}  // namespace

void chacha20_block(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12], uint8_t out[64]) {
  // §2.3: "expand 32-byte k", the key, the counter, the nonce.
  uint32_t state[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
  for (int i = 0; i < 8; ++i) state[4 + i] = load_le32(key + 4 * i);
  state[12] = counter;
  for (int i = 0; i < 3; ++i) state[13 + i] = load_le32(nonce + 4 * i);

  uint32_t x[16];
  std::memcpy(x, state, sizeof x);
  for (int i = 0; i < 10; ++i) {  // 20 rounds: 10 column rounds, 10 diagonal rounds
    quarter_round(x, 0, 4, 8, 12);
    quarter_round(x, 1, 5, 9, 13);
    quarter_round(x, 2, 6, 10, 14);
    quarter_round(x, 3, 7, 11, 15);
    quarter_round(x, 0, 5, 10, 15);
    quarter_round(x, 1, 6, 11, 12);
    quarter_round(x, 2, 7, 8, 13);
    quarter_round(x, 3, 4, 9, 14);
  }
  // The original state is added back: without it the rounds could be run
  // backwards from the keystream to the key.
  for (int i = 0; i < 16; ++i) store_le32(out + 4 * i, x[i] + state[i]);
  secure_zero(x, sizeof x);
  secure_zero(state, sizeof state);
}

void chacha20_xor_reference(const uint8_t key[32], uint32_t counter, const uint8_t nonce[12],
                            MutableByteView data) {
  uint8_t keystream[64];
  for (size_t done = 0; done < data.size(); done += 64, ++counter) {
    chacha20_block(key, counter, nonce, keystream);
    const size_t n = std::min<size_t>(64, data.size() - done);
    for (size_t i = 0; i < n; ++i) data[done + i] ^= keystream[i];
  }
  secure_zero(keystream, sizeof keystream);
}

}  // namespace tls12::crypto
