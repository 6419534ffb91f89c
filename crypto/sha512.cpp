// SHA-512 and SHA-384 (FIPS 180-4 §5.3.4, §5.3.5, §6.4, §6.5).
//
// SHA-512 is SHA-256 widened to 64-bit words: 128-byte blocks, 80 rounds,
// a 128-bit length field in the padding (§5.1.2), and different rotation
// amounts (§4.1.3). SHA-384 is SHA-512 started from another initial value
// (§5.3.4) with the digest cut to its first 48 bytes (§6.5). TLS 1.2 uses
// SHA-384 for the PRF and transcript of the *_SHA384 cipher suites, such as
// TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 (RFC 5289).
//
// Read sha2.cpp first: the streaming structure (buffer a partial block,
// compress whole blocks from the caller's memory, pad in finish()) is the same.
#include <algorithm>
#include <cstring>

#include "crypto/cpu.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

namespace {

}  // namespace

// §4.2.3: the first 64 bits of the fractional parts of the cube roots of the
// first 80 primes.
const uint64_t detail::kSha512K[80] = {
    0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
    0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL, 0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
    0xd807aa98a3030242ULL, 0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
    0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
    0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL, 0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
    0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
    0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
    0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL, 0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
    0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
    0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
    0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL, 0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
    0xd192e819d6ef5218ULL, 0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
    0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
    0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL, 0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
    0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
    0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
    0xca273eceea26619cULL, 0xd186b8c721c0c207ULL, 0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
    0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
    0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
    0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL, 0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

namespace {

const uint64_t* const K512 = detail::kSha512K;

// §5.3.5: SHA-512's H(0), from the square roots of the first 8 primes.
constexpr std::array<uint64_t, 8> H0_512 = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
    0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL, 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

// §5.3.4: SHA-384's H(0), from the square roots of the 9th to 16th primes, so
// that a SHA-384 digest is not simply a prefix of the SHA-512 one.
constexpr std::array<uint64_t, 8> H0_384 = {
    0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL, 0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
    0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL, 0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};

// §4.1.3.
constexpr uint64_t rotr(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }
constexpr uint64_t Ch(uint64_t x, uint64_t y, uint64_t z) { return (x & y) ^ (~x & z); }
constexpr uint64_t Maj(uint64_t x, uint64_t y, uint64_t z) { return (x & y) ^ (x & z) ^ (y & z); }
constexpr uint64_t Sigma0(uint64_t x) { return rotr(x, 28) ^ rotr(x, 34) ^ rotr(x, 39); }
constexpr uint64_t Sigma1(uint64_t x) { return rotr(x, 14) ^ rotr(x, 18) ^ rotr(x, 41); }
constexpr uint64_t sigma0(uint64_t x) { return rotr(x, 1) ^ rotr(x, 8) ^ (x >> 7); }
constexpr uint64_t sigma1(uint64_t x) { return rotr(x, 19) ^ rotr(x, 61) ^ (x >> 6); }

uint64_t load_be64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void store_be64(uint8_t* p, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<uint8_t>(v);
}

}  // namespace

std::array<uint64_t, 8> detail::sha384_initial_state() { return H0_384; }

// §6.4.2, one iteration per 128-byte block M(i).
void detail::sha512_compress_portable(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks) {
  uint64_t W[80];
  for (; blocks > 0; --blocks, data += Sha512::block_size) {
    // Step 1: the message schedule W(0..79).
    for (int t = 0; t < 16; ++t) W[t] = load_be64(data + 8 * t);
    for (int t = 16; t < 80; ++t)
      W[t] = sigma1(W[t - 2]) + W[t - 7] + sigma0(W[t - 15]) + W[t - 16];

    // Step 2.
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

    // Step 3: 80 rounds.
    // Unrolled by 8 so the compiler renames a..h instead of moving them.
#pragma GCC unroll 8
    for (int t = 0; t < 80; ++t) {
      const uint64_t T1 = hh + Sigma1(e) + Ch(e, f, g) + K512[t] + W[t];
      const uint64_t T2 = Sigma0(a) + Maj(a, b, c);
      hh = g;
      g = f;
      f = e;
      e = d + T1;
      d = c;
      c = b;
      b = a;
      a = T1 + T2;
    }

    // Step 4.
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  // W holds words of the message, which may be a key (HMAC): wipe it.
  secure_zero(W, sizeof W);
}

detail::Sha512CompressFn detail::sha512_compress_selected() {
  static const Sha512CompressFn fn = [] {
    const CpuFeatures& cpu = cpu_features();
    if (!cpu.avx2 || !cpu.bmi2) return &sha512_compress_portable;
    // AVX-512VL's 256-bit forms need AVX-512F too (every CPU with one has both).
    return cpu.avx512f && cpu.avx512vl ? &sha512_compress_avx512vl : &sha512_compress_avx2;
  }();
  return fn;
}

void detail::sha512_compress(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks) {
  // Even a single block (a short message, the padding, an HMAC pad) is
  // faster in the vector code, whose rounds are shorter than the portable
  // ones; its schedule, of a pair for one block, runs on vector units that
  // would otherwise be idle (64-byte messages: about 1.1x with AVX2, 1.25x
  // with AVX-512VL, against the portable rounds).
  sha512_compress_selected()(h, data, blocks);
}

using detail::sha512_compress;

// ---------------------------------------------------------------- SHA-512

Sha512::Sha512() : h_(H0_512) {}

Sha512::~Sha512() {
  secure_zero(h_.data(), sizeof h_);
  blocks_.wipe();
}

Sha512::Sha512(Sha384Tag) : h_(H0_384) {}

void Sha512::update(ByteView data) {
  blocks_.update(data, [&](const uint8_t* p, size_t n) { sha512_compress(h_, p, n); });
}

std::array<uint8_t, Sha512::digest_size> Sha512::finish() {
  // §5.1.2: 0x80, zeros up to 112 bytes mod 128, then the length in bits as a
  // 128-bit big-endian number.
  blocks_.pad(16, [&](const uint8_t* p, size_t n) { sha512_compress(h_, p, n); });

  std::array<uint8_t, digest_size> digest;
  for (size_t i = 0; i < 8; ++i) store_be64(digest.data() + 8 * i, h_[i]);
  secure_zero(h_.data(), sizeof h_);
  return digest;
}

// ---------------------------------------------------------------- SHA-384

Sha384::Sha384() : Sha512(Sha384Tag{}) {}

std::array<uint8_t, Sha384::digest_size> Sha384::finish() {
  // §6.5: the same computation, keeping the leftmost 384 bits.
  const auto full = Sha512::finish();
  std::array<uint8_t, digest_size> digest;
  std::copy_n(full.begin(), digest_size, digest.begin());
  return digest;
}

}  // namespace tls12::crypto
