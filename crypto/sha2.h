// SHA-256, SHA-384 and SHA-512 (FIPS 180-4): the hashes TLS 1.2 uses for the PRF
// (RFC 5246 §5), the handshake transcript behind Finished (§7.4.9), HMAC, and
// signatures; and SHA-224, for the one place TLS 1.2 still offers it: the
// sha224 HashAlgorithm of signature_algorithms (§7.4.1.4.1), with ECDSA.
//
// Each hash is a small copyable value: a TLS transcript hash keeps running over
// every handshake message while copies of it are finished to compute
// CertificateVerify and Finished.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "crypto/bytes.h"
#include "crypto/hash_blocks.h"
#include "crypto/sha1.h"

namespace tls12::crypto {

// sha1 is here for HMAC-SHA1, the record MAC of the *_CBC_SHA suites, and for
// nothing else: no signature code accepts it (crypto/sha1.h says why).
enum class HashAlgorithm { sha256, sha384, sha512, sha1, sha224 };

size_t digest_size(HashAlgorithm alg);
size_t block_size(HashAlgorithm alg);
std::string_view hash_name(HashAlgorithm alg);  // "SHA-256", ...

// A digest of any of these hashes held in place, without the heap: a
// handshake takes dozens (the transcript hash for Finished, every HMAC inside
// the PRF), and a vector each was the largest source of its allocations. The
// bytes may be secret (an HMAC keyed with the master_secret), so they are
// wiped when the object goes.
class Digest {
 public:
  static constexpr size_t max_size = 64;  // SHA-512
  Digest() = default;
  Digest(const Digest&) = default;
  Digest& operator=(const Digest&) = default;
  ~Digest() { secure_zero(bytes_.data(), bytes_.size()); }
  // The first `size` bytes of `from`; `size` <= max_size.
  Digest(const uint8_t* from, size_t size) : size_(size) { std::copy_n(from, size, bytes_.begin()); }
  size_t size() const { return size_; }
  const uint8_t* data() const { return bytes_.data(); }
  ByteView view() const { return {bytes_.data(), size_}; }
  operator ByteView() const { return view(); }  // NOLINT: a digest reads as its bytes
  Bytes to_bytes() const { return Bytes(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(size_)); }

 private:
  std::array<uint8_t, max_size> bytes_{};
  size_t size_ = 0;
};

class Sha256 {
 public:
  static constexpr size_t digest_size = 32;
  static constexpr size_t block_size = 64;
  Sha256();
  // The state is secret when the hash is an HMAC keyed with a master secret
  // (its first block is key ^ ipad): wiped when the object goes.
  ~Sha256();
  Sha256(const Sha256&) = default;
  Sha256& operator=(const Sha256&) = default;
  void update(ByteView data);
  std::array<uint8_t, digest_size> finish();  // the object must not be used after

 protected:
  struct Sha224Tag {};
  explicit Sha256(Sha224Tag);
  std::array<uint32_t, 8> h_;
  detail::BlockBuffer<block_size> blocks_;
};

// SHA-224 is SHA-256 from another initial value, truncated to its leftmost
// 224 bits (FIPS 180-4 §5.3.2, §6.3).
class Sha224 : private Sha256 {
 public:
  static constexpr size_t digest_size = 28;
  static constexpr size_t block_size = 64;
  Sha224();
  using Sha256::update;
  std::array<uint8_t, digest_size> finish();
};

// SHA-512 and SHA-384 share the 64-bit compression function; SHA-384 differs in
// its initial value and truncation (FIPS 180-4 §5.3.4, §6.5).
class Sha512 {
 public:
  static constexpr size_t digest_size = 64;
  static constexpr size_t block_size = 128;
  Sha512();
  ~Sha512();  // wipes the state, as Sha256
  Sha512(const Sha512&) = default;
  Sha512& operator=(const Sha512&) = default;
  void update(ByteView data);
  std::array<uint8_t, digest_size> finish();

 protected:
  struct Sha384Tag {};
  explicit Sha512(Sha384Tag);
  std::array<uint64_t, 8> h_;
  detail::BlockBuffer<block_size> blocks_;
};

class Sha384 : private Sha512 {
 public:
  static constexpr size_t digest_size = 48;
  static constexpr size_t block_size = 128;
  Sha384();
  using Sha512::update;
  std::array<uint8_t, digest_size> finish();
};

// A hash chosen at run time (by the cipher suite or the signature scheme).
class Hash {
 public:
  explicit Hash(HashAlgorithm alg);
  HashAlgorithm algorithm() const { return alg_; }
  size_t digest_size() const { return crypto::digest_size(alg_); }
  size_t block_size() const { return crypto::block_size(alg_); }
  void update(ByteView data);
  Bytes finish();  // the object must not be used after; copy it first to keep going
  Digest finish_digest();  // the same without a heap allocation

 private:
  HashAlgorithm alg_;
  std::variant<Sha256, Sha384, Sha512, Sha1, Sha224> state_;
};

// One-shot functions: the whole message in one call.
std::array<uint8_t, 32> sha256(ByteView data);
std::array<uint8_t, 48> sha384(ByteView data);
std::array<uint8_t, 64> sha512(ByteView data);
Bytes hash(HashAlgorithm alg, ByteView data);

// The SHA-256 compression function, exposed so that tests can run the portable
// reference and the SHA-NI version on the same inputs. Each processes `blocks`
// consecutive 64-byte blocks of `data` into the state `h` (FIPS 180-4 §6.2.2).
namespace detail {
using Sha256CompressFn = void (*)(std::array<uint32_t, 8>& h, const uint8_t* data, size_t blocks);
void sha256_compress_portable(std::array<uint32_t, 8>& h, const uint8_t* data, size_t blocks);
// Only call when cpu_features().sha_ni is true.
void sha256_compress_shani(std::array<uint32_t, 8>& h, const uint8_t* data, size_t blocks);
// The one Sha256 uses: SHA-NI when the CPU has it, otherwise the portable one.
Sha256CompressFn sha256_compress_selected();
// H(0) of §5.3.3 and §5.3.4, and the SHA-512 compression function (§6.4.2,
// the fastest this CPU has), for the constant-time record MAC
// (crypto/hmac_ct.h), which drives the compression function itself.
std::array<uint32_t, 8> sha256_initial_state();
std::array<uint64_t, 8> sha384_initial_state();
void sha512_compress(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks);

// The SHA-512 compressions (§6.4.2, 128-byte blocks): the portable
// reference and the ones with an AVX2 message schedule (only when
// cpu_features().avx2 and .bmi2 are true; crypto/sha512_avx2.cpp), the
// second with AVX-512VL rotations in it (also needs .avx512vl;
// crypto/sha512_avx512vl.cpp).
using Sha512CompressFn = void (*)(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks);
void sha512_compress_portable(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks);
void sha512_compress_avx2(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks);
void sha512_compress_avx512vl(std::array<uint64_t, 8>& h, const uint8_t* data, size_t blocks);
Sha512CompressFn sha512_compress_selected();
// §4.2.3: SHA-512's 80 round constants K(t).
extern const uint64_t kSha512K[80];
}  // namespace detail

}  // namespace tls12::crypto
