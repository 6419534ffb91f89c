// SHA-256 (FIPS 180-4 §5.3.3, §6.2), SHA-224 (§5.3.2, §6.3) and the run-time
// hash selector `Hash`.
//
// Read this beside FIPS 180-4. A hash is computed in three steps:
//   1. Padding (§5.1.1): append the bit 1, then zeros, then the message length
//      in bits as a 64-bit big-endian number, so the total is a multiple of 512
//      bits (one 64-byte block).
//   2. Parsing (§5.2.1): cut the padded message into 64-byte blocks M(1..N),
//      each read as sixteen 32-bit big-endian words.
//   3. Computation (§6.2.2): start from the initial hash value H(0) (§5.3.3)
//      and fold every block into the eight-word state with the compression
//      function; the final state, written big-endian, is the digest.
//
// The Sha256 class does this as a stream (the buffering and padding shared
// with SHA-1 and SHA-512 are in crypto/hash_blocks.h): update() keeps a
// partial block and compresses whole blocks straight from the caller's data;
// finish() pads. Because the state is plain data, copying a Sha256 copies a
// paused hash, which is how TLS takes the transcript hash for Finished while
// the handshake continues (RFC 5246 §7.4.9).
//
// The compression function has two versions: the portable one, written step by
// step as in §6.2.2, and one with the x86 SHA extensions (SHA-NI) that computes
// exactly the same thing. The choice is made once, at run time, from CPUID; the
// tests run both on the same inputs.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "crypto/cpu.h"
#include "crypto/sha2.h"
#include "crypto/sha256_shani.h"

namespace tls12::crypto {

namespace detail {
// FIPS 180-4 §4.2.2; also read by the SHA-NI rounds (crypto/sha256_shani.h).
alignas(16) const uint32_t K256[64] = {
    0x428a2f98U, 0x71374491U, 0xb5c0fbcfU, 0xe9b5dba5U, 0x3956c25bU, 0x59f111f1U, 0x923f82a4U, 0xab1c5ed5U,
    0xd807aa98U, 0x12835b01U, 0x243185beU, 0x550c7dc3U, 0x72be5d74U, 0x80deb1feU, 0x9bdc06a7U, 0xc19bf174U,
    0xe49b69c1U, 0xefbe4786U, 0x0fc19dc6U, 0x240ca1ccU, 0x2de92c6fU, 0x4a7484aaU, 0x5cb0a9dcU, 0x76f988daU,
    0x983e5152U, 0xa831c66dU, 0xb00327c8U, 0xbf597fc7U, 0xc6e00bf3U, 0xd5a79147U, 0x06ca6351U, 0x14292967U,
    0x27b70a85U, 0x2e1b2138U, 0x4d2c6dfcU, 0x53380d13U, 0x650a7354U, 0x766a0abbU, 0x81c2c92eU, 0x92722c85U,
    0xa2bfe8a1U, 0xa81a664bU, 0xc24b8b70U, 0xc76c51a3U, 0xd192e819U, 0xd6990624U, 0xf40e3585U, 0x106aa070U,
    0x19a4c116U, 0x1e376c08U, 0x2748774cU, 0x34b0bcb5U, 0x391c0cb3U, 0x4ed8aa4aU, 0x5b9cca4fU, 0x682e6ff3U,
    0x748f82eeU, 0x78a5636fU, 0x84c87814U, 0x8cc70208U, 0x90befffaU, 0xa4506cebU, 0xbef9a3f7U, 0xc67178f2U,
};
}  // namespace detail

namespace {

// §4.2.2: the first 32 bits of the fractional parts of the cube roots of the
// first 64 primes.
using detail::K256;

// §5.3.3: H(0), the first 32 bits of the fractional parts of the square roots
// of the first 8 primes.
constexpr std::array<uint32_t, 8> H0_256 = {
    0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
    0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U,
};

// §5.3.2: SHA-224's H(0), the second 32 bits of the fractional parts of the
// square roots of the 9th through 16th primes.
constexpr std::array<uint32_t, 8> H0_224 = {
    0xc1059ed8U, 0x367cd507U, 0x3070dd17U, 0xf70e5939U,
    0xffc00b31U, 0x68581511U, 0x64f98fa7U, 0xbefa4fa4U,
};

// §3.2 ROTR^n(x) and the §4.1.2 functions.
constexpr uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
constexpr uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
constexpr uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
constexpr uint32_t Sigma0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
constexpr uint32_t Sigma1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
constexpr uint32_t sigma0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
constexpr uint32_t sigma1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

namespace detail {

std::array<uint32_t, 8> sha256_initial_state() { return H0_256; }

// §6.2.2, one iteration per 64-byte block M(i).
void sha256_compress_portable(std::array<uint32_t, 8>& h, const uint8_t* data, size_t blocks) {
  uint32_t W[64];
  for (; blocks > 0; --blocks, data += Sha256::block_size) {
    // Step 1: the message schedule W(0..63).
    for (int t = 0; t < 16; ++t) W[t] = load_be32(data + 4 * t);
    for (int t = 16; t < 64; ++t)
      W[t] = sigma1(W[t - 2]) + W[t - 7] + sigma0(W[t - 15]) + W[t - 16];

    // Step 2: the working variables start from H(i-1).
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

    // Step 3: 64 rounds.
    // Unrolled by 8 so the compiler renames a..h instead of moving them.
#pragma GCC unroll 8
    for (int t = 0; t < 64; ++t) {
      const uint32_t T1 = hh + Sigma1(e) + Ch(e, f, g) + K256[t] + W[t];
      const uint32_t T2 = Sigma0(a) + Maj(a, b, c);
      hh = g;
      g = f;
      f = e;
      e = d + T1;
      d = c;
      c = b;
      b = a;
      a = T1 + T2;
    }

    // Step 4: H(i) = H(i-1) + working variables.
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

// The same §6.2.2 computation with the SHA extensions (SHA-NI): the rounds
// are in crypto/sha256_shani.h, shared with the stitched CBC loop.
__attribute__((target("sha,sse4.1"))) void sha256_compress_shani(std::array<uint32_t, 8>& h,
                                                                  const uint8_t* data,
                                                                  size_t blocks) {
  Sha256NiState st = sha256_ni_load(h);
  for (; blocks > 0; --blocks, data += Sha256::block_size) {
    const Sha256NiState saved = st;
    __m128i msg[4];
    sha256_ni_message(data, msg);
    // Unrolled fully, so msg[] lives in registers and the ifs in the group vanish.
#pragma GCC unroll 16
    for (int g = 0; g < 16; ++g) sha256_ni_group(g, msg, st);
    sha256_ni_add(st, saved);  // step 4
  }
  sha256_ni_store(st, h);
}

Sha256CompressFn sha256_compress_selected() {
  static const Sha256CompressFn fn =
      cpu_features().sha_ni ? &sha256_compress_shani : &sha256_compress_portable;
  return fn;
}

}  // namespace detail

// ---------------------------------------------------------------- SHA-256

Sha256::Sha256() : h_(H0_256) {}

Sha256::~Sha256() {
  secure_zero(h_.data(), sizeof h_);
  blocks_.wipe();
}

void Sha256::update(ByteView data) {
  const auto compress = detail::sha256_compress_selected();
  blocks_.update(data, [&](const uint8_t* p, size_t n) { compress(h_, p, n); });
}

std::array<uint8_t, Sha256::digest_size> Sha256::finish() {
  const auto compress = detail::sha256_compress_selected();
  // §5.1.1: 0x80, zeros up to 56 bytes mod 64, then the 64-bit length in bits.
  blocks_.pad(8, [&](const uint8_t* p, size_t n) { compress(h_, p, n); });

  std::array<uint8_t, digest_size> digest;
  for (size_t i = 0; i < 8; ++i) store_be32(digest.data() + 4 * i, h_[i]);
  // The state may hold key material (HMAC pads): wipe it.
  secure_zero(h_.data(), sizeof h_);
  return digest;
}

Sha256::Sha256(Sha224Tag) : h_(H0_224) {}

Sha224::Sha224() : Sha256(Sha224Tag{}) {}

std::array<uint8_t, Sha224::digest_size> Sha224::finish() {
  // §6.3: the same computation, keeping the leftmost 224 bits.
  const auto full = Sha256::finish();
  std::array<uint8_t, digest_size> digest;
  std::copy_n(full.begin(), digest_size, digest.begin());
  return digest;
}

// ---------------------------------------------------------------- selector

size_t digest_size(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::sha256: return Sha256::digest_size;
    case HashAlgorithm::sha384: return Sha384::digest_size;
    case HashAlgorithm::sha512: return Sha512::digest_size;
    case HashAlgorithm::sha1: return Sha1::digest_size;
    case HashAlgorithm::sha224: return Sha224::digest_size;
  }
  throw std::invalid_argument("unknown hash algorithm");
}

size_t block_size(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::sha256: return Sha256::block_size;
    case HashAlgorithm::sha384: return Sha384::block_size;
    case HashAlgorithm::sha512: return Sha512::block_size;
    case HashAlgorithm::sha1: return Sha1::block_size;
    case HashAlgorithm::sha224: return Sha224::block_size;
  }
  throw std::invalid_argument("unknown hash algorithm");
}

std::string_view hash_name(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::sha256: return "SHA-256";
    case HashAlgorithm::sha384: return "SHA-384";
    case HashAlgorithm::sha512: return "SHA-512";
    case HashAlgorithm::sha1: return "SHA-1";
    case HashAlgorithm::sha224: return "SHA-224";
  }
  throw std::invalid_argument("unknown hash algorithm");
}

namespace {

std::variant<Sha256, Sha384, Sha512, Sha1, Sha224> make_state(HashAlgorithm alg) {
  switch (alg) {
    case HashAlgorithm::sha256: return Sha256{};
    case HashAlgorithm::sha384: return Sha384{};
    case HashAlgorithm::sha512: return Sha512{};
    case HashAlgorithm::sha1: return Sha1{};
    case HashAlgorithm::sha224: return Sha224{};
  }
  throw std::invalid_argument("unknown hash algorithm");
}

}  // namespace

Hash::Hash(HashAlgorithm alg) : alg_(alg), state_(make_state(alg)) {}

void Hash::update(ByteView data) {
  std::visit([&](auto& h) { h.update(data); }, state_);
}

Bytes Hash::finish() {
  const Digest digest = finish_digest();
  return Bytes(digest.data(), digest.data() + digest.size());
}

Digest Hash::finish_digest() {
  return std::visit(
      [](auto& h) {
        const auto digest = h.finish();
        return Digest(digest.data(), digest.size());
      },
      state_);
}

std::array<uint8_t, 32> sha256(ByteView data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

std::array<uint8_t, 48> sha384(ByteView data) {
  Sha384 h;
  h.update(data);
  return h.finish();
}

std::array<uint8_t, 64> sha512(ByteView data) {
  Sha512 h;
  h.update(data);
  return h.finish();
}

Bytes hash(HashAlgorithm alg, ByteView data) {
  Hash h(alg);
  h.update(data);
  return h.finish();
}

}  // namespace tls12::crypto
