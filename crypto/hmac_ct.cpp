// HMAC with a secret message length in a constant sequence of compression
// calls (crypto/hmac_ct.h): the Lucky 13 defence of the CBC record check.
//
// HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)). The key blocks are
// folded into two midstates once (the constructor). For each message:
//
//   inner: the message is header || data[0 .. length), n = header + length
//          bytes after the ipad block. FIPS 180-4 §5.1 padding appends 0x80,
//          zeros, and the bit length in the last 8 (SHA-384: 16) bytes of a
//          block, so the hash ends in block  last = (n + length_bytes) / B.
//          1. Blocks that lie wholly before header + min_length are message
//             bytes whatever `length` is: compress them directly (public).
//          2. Every block from there up to the last block the *longest*
//             possible message would need is built byte by byte with masks:
//             message byte if p < n, 0x80 if p == n, else 0, plus the bit
//             length if this block is `last`. Each is compressed, and the
//             state is kept (masked OR) only after block `last`.
//          So the number of compressions depends on min_length and
//          data.size() only, and every address read is a public position.
//   outer: the inner digest has a fixed size: one ordinary compression.
#include "crypto/hmac_ct.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "crypto/bignum.h"  // ct_mask_eq, ct_mask_lt_small
#include "crypto/cbc_sha256_stitched.h"
#include "crypto/sha1.h"

namespace tls12::crypto {

namespace {

struct Sha1Traits {
  using Word = uint32_t;
  static constexpr size_t state_words = 5, out_words = 5, block = 64, length_bytes = 8;
  static std::array<Word, 5> initial() { return detail::sha1_initial_state(); }
  static void compress(std::array<Word, 5>& h, const uint8_t* p, size_t n) { detail::sha1_compress(h, p, n); }
};

struct Sha256Traits {
  using Word = uint32_t;
  static constexpr size_t state_words = 8, out_words = 8, block = 64, length_bytes = 8;
  static std::array<Word, 8> initial() { return detail::sha256_initial_state(); }
  static void compress(std::array<Word, 8>& h, const uint8_t* p, size_t n) {
    static const detail::Sha256CompressFn fn = detail::sha256_compress_selected();
    fn(h, p, n);
  }
};

// SHA-384 is SHA-512's compression with another H(0), truncated to 6 words.
struct Sha384Traits {
  using Word = uint64_t;
  static constexpr size_t state_words = 8, out_words = 6, block = 128, length_bytes = 16;
  static std::array<Word, 8> initial() { return detail::sha384_initial_state(); }
  static void compress(std::array<Word, 8>& h, const uint8_t* p, size_t n) { detail::sha512_compress(h, p, n); }
};

template <class Word>
void store_be(uint8_t* out, const Word* state, size_t words) {
  for (size_t w = 0; w < words; ++w)
    for (size_t i = 0; i < sizeof(Word); ++i)
      out[w * sizeof(Word) + i] = static_cast<uint8_t>(state[w] >> (8 * (sizeof(Word) - 1 - i)));
}

// Copies message bytes [pos, pos + count) of header || data into `out`
// (positions are public; bytes past the end of data are not asked for).
void gather(uint8_t* out, size_t pos, size_t count, ByteView header, ByteView data) {
  if (pos < header.size()) {
    const size_t from_header = std::min(count, header.size() - pos);
    std::memcpy(out, header.data() + pos, from_header);
    out += from_header, pos += from_header, count -= from_header;
  }
  if (count > 0) std::memcpy(out, data.data() + (pos - header.size()), count);
}

// Keeps the bytes of `block` (message positions first .. first + size) that
// lie before the secret message length n, puts 0x80 at n and zeros after it.
// Pure arithmetic on each position, no comparison the compiler could make a
// branch of, so the loop is also vectorised.
void mask_past_end(uint8_t* block, size_t size, uint64_t first, uint64_t n) {
  for (size_t j = 0; j < size; ++j) {
    const uint64_t p = first + j;
    const uint8_t in_message = static_cast<uint8_t>(ct_mask_lt_small(p, n));
    const uint8_t at_end = static_cast<uint8_t>(ct_mask_eq(p, n));
    block[j] = static_cast<uint8_t>((block[j] & in_message) | (0x80 & at_end));
  }
}

}  // namespace

struct ConstantTimeHmac::Engine {
  virtual ~Engine() = default;
  virtual void compute(ByteView header, ByteView data, size_t min_length, size_t length, uint8_t* out) const = 0;
  virtual size_t compute_and_encrypt(ByteView header, uint8_t* content, size_t length, const Aes& aes,
                                     uint8_t iv[16], uint8_t* mac_out) const = 0;
};

namespace {

template <class T>
class EngineFor final : public ConstantTimeHmac::Engine {
  using State = std::array<typename T::Word, T::state_words>;
  static constexpr size_t B = T::block;
  static constexpr size_t digest_bytes = T::out_words * sizeof(typename T::Word);

 public:
  EngineFor(HashAlgorithm alg, ByteView key) : inner_(T::initial()), outer_(T::initial()) {
    uint8_t pad[B] = {};
    if (key.size() > B) {  // RFC 2104 §2: hash long keys first
      Bytes k = hash(alg, key);
      std::copy(k.begin(), k.end(), pad);
      secure_zero(k.data(), k.size());
    } else {
      std::copy(key.begin(), key.end(), pad);
    }
    for (auto& b : pad) b ^= 0x36;
    T::compress(inner_, pad, 1);
    for (auto& b : pad) b ^= 0x36 ^ 0x5c;
    T::compress(outer_, pad, 1);
    secure_zero(pad, sizeof pad);
  }
  ~EngineFor() override {
    secure_zero(inner_.data(), sizeof inner_);
    secure_zero(outer_.data(), sizeof outer_);
  }

  void compute(ByteView header, ByteView data, size_t min_length, size_t length, uint8_t* out) const override {
    uint8_t inner_digest[digest_bytes];
    inner_hash(header, data, min_length, length, inner_digest);
    outer_hash(inner_digest, out);
    secure_zero(inner_digest, sizeof inner_digest);
  }

 private:
  // Step 1 of the file comment: the blocks every possible message shares.
  size_t compress_public_blocks(State& st, ByteView header, ByteView data, size_t min_length) const {
    const size_t blocks = (header.size() + min_length) / B;
    if (blocks == 0) return 0;
    if (header.size() <= B) {
      uint8_t first[B];
      gather(first, 0, B, header, data);
      T::compress(st, first, 1);
      if (blocks > 1) T::compress(st, data.data() + (B - header.size()), blocks - 1);
    } else {
      uint8_t block[B];
      for (size_t k = 0; k < blocks; ++k) {
        gather(block, k * B, B, header, data);
        T::compress(st, block, 1);
      }
    }
    return blocks;
  }

  // Step 2: the blocks whose content depends on the secret length.
  void inner_hash(ByteView header, ByteView data, size_t min_length, size_t length, uint8_t* out) const {
    State st = inner_;
    size_t k = compress_public_blocks(st, header, data, min_length);
    const size_t n_max = header.size() + data.size();
    const uint64_t n = header.size() + length;  // secret
    const uint64_t last = (n + T::length_bytes) / B;  // secret: index of the block with the length
    const uint64_t bit_length = (B + n) * 8;  // the ipad block counts too
    const size_t last_possible = (n_max + T::length_bytes) / B;
    State result{};
    uint8_t block[B];
    for (; k <= last_possible; ++k) {
      // Which bytes exist is public (k * B against n_max); which of them are
      // message is secret and left to the masks.
      const size_t available = k * B < n_max ? std::min(B, n_max - k * B) : 0;
      gather(block, k * B, available, header, data);
      std::memset(block + available, 0, B - available);
      mask_past_end(block, B, k * B, n);
      const uint64_t is_last = ct_mask_eq(k, last);
      for (size_t i = 0; i < 8; ++i)
        block[B - 1 - i] |= static_cast<uint8_t>(bit_length >> (8 * i)) & static_cast<uint8_t>(is_last);
      T::compress(st, block, 1);
      for (size_t w = 0; w < T::state_words; ++w)
        result[w] |= st[w] & static_cast<typename T::Word>(is_last);
    }
    store_be(out, result.data(), T::out_words);
    secure_zero(block, sizeof block);
    secure_zero(st.data(), sizeof st);
    secure_zero(result.data(), sizeof result);
  }

  // H((K0 ^ opad) || inner digest): one block, length public.
  void outer_hash(const uint8_t* inner_digest, uint8_t* out) const {
    static_assert(digest_bytes + 1 + T::length_bytes <= B, "the outer message fits one block");
    uint8_t block[B] = {};
    std::memcpy(block, inner_digest, digest_bytes);
    block[digest_bytes] = 0x80;
    const uint64_t bit_length = (B + digest_bytes) * 8;
    for (size_t i = 0; i < 8; ++i) block[B - 1 - i] = static_cast<uint8_t>(bit_length >> (8 * i));
    State st = outer_;
    T::compress(st, block, 1);
    store_be(out, st.data(), T::out_words);
    secure_zero(st.data(), sizeof st);
  }

  size_t compute_and_encrypt(ByteView header, uint8_t* content, size_t length, const Aes& aes, uint8_t iv[16],
                             uint8_t* mac_out) const override {
    if constexpr (std::is_same_v<T, Sha256Traits>) {
      const size_t first = header.size() < B ? B - header.size() : 0;  // content bytes in the first block
      if (first > 0 && length >= first + B && aes.uses_aesni() && detail::cbc_sha256_stitched_available())
        return stitched(header, content, length, first, aes, iv, mac_out);
    }
    compute(header, ByteView(content, length), length, length, mac_out);
    return 0;
  }

 private:
  // The first block (header and `first` content bytes) alone, then steps of
  // one hash block and four AES blocks; the hash runs `first` bytes ahead of
  // the encryption, which the stitched loop allows. The tail and padding end
  // the hash as usual.
  size_t stitched(ByteView header, uint8_t* content, size_t length, size_t first, const Aes& aes, uint8_t iv[16],
                  uint8_t* mac_out) const {
    State st = inner_;
    uint8_t block[B];
    std::memcpy(block, header.data(), header.size());
    std::memcpy(block + header.size(), content, first);
    T::compress(st, block, 1);
    const size_t steps = (length - first) / B;
    detail::aesni_cbc_encrypt_sha256(aes.round_keys(), aes.rounds(), iv, content, st, content + first, steps);
    const size_t hashed = first + steps * B;
    finish_public(st, content + hashed, length - hashed, header.size() + length, mac_out);
    secure_zero(block, sizeof block);
    return steps * B;
  }

  // FIPS 180-4 §5.1 padding after the last `n` (< B) bytes of a message of
  // `message_bytes` (public), then the outer hash.
  void finish_public(State& st, const uint8_t* tail, size_t n, uint64_t message_bytes, uint8_t* out) const {
    uint8_t last[2 * B] = {};
    std::memcpy(last, tail, n);
    last[n] = 0x80;
    const size_t blocks = n + 1 + T::length_bytes <= B ? 1 : 2;
    const uint64_t bit_length = (B + message_bytes) * 8;  // the ipad block counts too
    for (size_t i = 0; i < 8; ++i) last[blocks * B - 1 - i] = static_cast<uint8_t>(bit_length >> (8 * i));
    T::compress(st, last, blocks);
    uint8_t inner_digest[digest_bytes];
    store_be(inner_digest, st.data(), T::out_words);
    outer_hash(inner_digest, out);
    secure_zero(last, sizeof last);
    secure_zero(inner_digest, sizeof inner_digest);
    secure_zero(st.data(), sizeof st);
  }

  State inner_;  // after (K0 ^ ipad)
  State outer_;  // after (K0 ^ opad)
};

std::unique_ptr<ConstantTimeHmac::Engine> make_engine(HashAlgorithm alg, ByteView key) {
  switch (alg) {
    case HashAlgorithm::sha1: return std::make_unique<EngineFor<Sha1Traits>>(alg, key);
    case HashAlgorithm::sha256: return std::make_unique<EngineFor<Sha256Traits>>(alg, key);
    case HashAlgorithm::sha384: return std::make_unique<EngineFor<Sha384Traits>>(alg, key);
    case HashAlgorithm::sha512:
    case HashAlgorithm::sha224: break;
  }
  throw std::invalid_argument("constant-time HMAC: only SHA-1, SHA-256 and SHA-384 (the CBC suites' MACs)");
}

}  // namespace

ConstantTimeHmac::ConstantTimeHmac(HashAlgorithm alg, ByteView key) : alg_(alg), engine_(make_engine(alg, key)) {}
ConstantTimeHmac::~ConstantTimeHmac() = default;
ConstantTimeHmac::ConstantTimeHmac(ConstantTimeHmac&&) noexcept = default;
ConstantTimeHmac& ConstantTimeHmac::operator=(ConstantTimeHmac&&) noexcept = default;

size_t ConstantTimeHmac::compute_and_encrypt(ByteView header, uint8_t* content, size_t length, const Aes& aes,
                                             uint8_t iv[16], uint8_t* mac_out) const {
  return engine_->compute_and_encrypt(header, content, length, aes, iv, mac_out);
}

void ConstantTimeHmac::compute(ByteView header, ByteView data, size_t min_length, size_t length,
                               uint8_t* out) const {
  // Only the public bound is checked: a test of `length` would be a branch on
  // the secret. The record layer derives length so that it is in range.
  if (min_length > data.size()) throw std::invalid_argument("constant-time HMAC: min_length past the data");
  engine_->compute(header, data, min_length, length, out);
}

}  // namespace tls12::crypto
