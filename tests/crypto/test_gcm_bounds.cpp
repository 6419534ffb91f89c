// Memory bounds of the AEAD engines: AES-GCM (SP 800-38D; crypto/gcm.cpp,
// crypto/gcm_aesni.cpp, crypto/gcm_vaes.cpp) and ChaCha20-Poly1305 (RFC 8439;
// crypto/chacha20.cpp, crypto/chacha20_avx2.cpp): no engine may read or write
// a byte outside the AAD, data, nonce and tag it is given.
//
// The wide engines load and store 16, 64 and 256 bytes at a time and finish a
// message with a partial block. AddressSanitizer does not instrument every
// vector intrinsic, so an over-read by a 512-bit load can pass unseen under
// ASan and only crash when the heap happens to end at a page. These tests
// make that certain: each buffer is placed in an mmap'ed region whose
// neighbouring pages are PROT_NONE, either ending exactly at the page after
// it (over-reads and over-writes fault) or starting exactly after the page
// before it (under-reads fault). Start addresses thus take every alignment.
// Results are checked against OpenSSL's EVP AEADs, and opening must give
// the plaintext back (or, with a flipped tag bit, false and all zeros).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

#include "crypto/aead.h"
#include "crypto/random.h"
#include "tests/crypto/openssl_aead.h"

namespace tls12::crypto {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSpeedDivisor = 4;  // sanitizer builds run 5-10x slower
#else
constexpr int kSpeedDivisor = 1;
#endif

// A mapping: [guard page][`capacity` bytes, page rounded][guard page].
class GuardedRegion {
 public:
  explicit GuardedRegion(size_t capacity) {
    page_ = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    usable_ = (capacity + page_ - 1) / page_ * page_;
    if (usable_ == 0) usable_ = page_;
    const size_t total = usable_ + 2 * page_;
    void* p = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap failed");
    base_ = static_cast<uint8_t*>(p);
    if (mprotect(base_, page_, PROT_NONE) != 0 ||
        mprotect(base_ + page_ + usable_, page_, PROT_NONE) != 0) {
      munmap(base_, total);
      throw std::runtime_error("mprotect failed");
    }
  }
  ~GuardedRegion() { munmap(base_, usable_ + 2 * page_); }
  GuardedRegion(const GuardedRegion&) = delete;
  GuardedRegion& operator=(const GuardedRegion&) = delete;

  // `n` bytes whose last byte is the last readable byte before the guard.
  uint8_t* ending_at_guard(size_t n) const { return base_ + page_ + usable_ - n; }
  // Bytes starting `offset` after the leading guard page.
  uint8_t* after_guard(size_t offset) const { return base_ + page_ + offset; }
  size_t capacity() const { return usable_; }

 private:
  size_t page_ = 0;
  size_t usable_ = 0;
  uint8_t* base_ = nullptr;
};

using test_oracle::openssl_cipher;

// OpenSSL's seal of `plaintext`: ciphertext || tag.
Bytes openssl_seal(AeadAlgorithm alg, const Bytes& key, const uint8_t nonce[12], ByteView aad,
                   ByteView plaintext) {
  Bytes out(plaintext.size() + 16);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = EVP_EncryptInit_ex(ctx, openssl_cipher(alg), nullptr, key.data(), nonce) == 1;
  ok = ok && EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1;
  ok = ok && EVP_EncryptUpdate(ctx, out.data(), &len, plaintext.data(),
                               static_cast<int>(plaintext.size())) == 1;
  ok = ok && EVP_EncryptFinal_ex(ctx, out.data() + len, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.data() + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) throw std::runtime_error("OpenSSL AEAD seal failed");
  return out;
}

Bytes random_vector(size_t n) {
  Bytes b(n);
  if (n > 0) random_bytes(b);
  return b;
}

// Where a buffer sits in its region: flush against the following guard page,
// or `offset` bytes after the preceding one.
struct Placement {
  bool at_end = true;
  size_t offset = 0;
  uint8_t* place(const GuardedRegion& r, size_t n) const {
    return at_end ? r.ending_at_guard(n) : r.after_guard(offset);
  }
};

// The regions one seal/open round trip uses: data, AAD, nonce and tag each
// have their own, so each can sit against a guard page.
struct Regions {
  explicit Regions(size_t max_data, size_t max_aad) : data(max_data + 64), aad(max_aad + 64) {}
  GuardedRegion data;
  GuardedRegion aad;
  GuardedRegion nonce{12};
  GuardedRegion tag{16};
};

// Seals `plaintext` in place in guarded memory, compares with OpenSSL, opens
// it again; then flips a tag bit and expects open to fail and zero the data.
void round_trip(const Aead& aead, const Bytes& key, Regions& regions, Placement where,
                const Bytes& plaintext, const Bytes& aad) {
  SCOPED_TRACE("length " + std::to_string(plaintext.size()) + ", aad " +
               std::to_string(aad.size()) + (where.at_end ? ", at page end" : ", after guard +") +
               (where.at_end ? "" : std::to_string(where.offset)));
  uint8_t* data = where.place(regions.data, plaintext.size());
  uint8_t* aad_p = where.place(regions.aad, aad.size());
  uint8_t* nonce = regions.nonce.ending_at_guard(12);
  uint8_t* tag = regions.tag.ending_at_guard(16);
  if (!plaintext.empty()) std::memcpy(data, plaintext.data(), plaintext.size());
  if (!aad.empty()) std::memcpy(aad_p, aad.data(), aad.size());
  random_bytes(MutableByteView(nonce, 12));

  const ByteView aad_view(aad_p, aad.size());
  const MutableByteView data_view(data, plaintext.size());
  aead.seal(Aead::Nonce(nonce, 12), aad_view, data_view, std::span<uint8_t, 16>(tag, 16));

  const Bytes expected = openssl_seal(aead.algorithm(), key, nonce, aad, plaintext);
  ASSERT_TRUE(std::equal(data, data + plaintext.size(), expected.begin())) << "ciphertext";
  ASSERT_TRUE(std::equal(tag, tag + 16, expected.begin() + static_cast<long>(plaintext.size())))
      << "tag";

  ASSERT_TRUE(aead.open(Aead::Nonce(nonce, 12), aad_view, data_view,
                        std::span<const uint8_t, 16>(tag, 16)));
  ASSERT_TRUE(std::equal(data, data + plaintext.size(), plaintext.begin())) << "plaintext";

  // Re-seal, then open with one tag bit flipped: no plaintext may remain.
  aead.seal(Aead::Nonce(nonce, 12), aad_view, data_view, std::span<uint8_t, 16>(tag, 16));
  tag[plaintext.size() % 16] ^= static_cast<uint8_t>(1u << (plaintext.size() % 8));
  ASSERT_FALSE(aead.open(Aead::Nonce(nonce, 12), aad_view, data_view,
                         std::span<const uint8_t, 16>(tag, 16)));
  ASSERT_TRUE(std::all_of(data, data + plaintext.size(), [](uint8_t b) { return b == 0; }));
}

struct BoundsCase {
  AeadImplementation impl;
  AeadAlgorithm alg;
};

std::string case_name(const testing::TestParamInfo<BoundsCase>& info) {
  const char* impl = info.param.impl == AeadImplementation::vaes    ? "vaes"
                     : info.param.impl == AeadImplementation::aesni ? "aesni"
                     : info.param.impl == AeadImplementation::avx2  ? "avx2"
                                                                    : "reference";
  const char* alg = info.param.alg == AeadAlgorithm::aes_128_gcm   ? "_aes128"
                    : info.param.alg == AeadAlgorithm::aes_256_gcm ? "_aes256"
                                                                   : "_chacha20_poly1305";
  return std::string(impl) + alg;
}

class AeadBounds : public testing::TestWithParam<BoundsCase> {
 protected:
  void SetUp() override {
    if (!aead_implementation_available(GetParam().alg, GetParam().impl)) {
      GTEST_SKIP() << "CPU lacks this implementation";
    }
    key_ = random_vector(aead_key_size(GetParam().alg));
    aead_ = make_aead(GetParam().alg, key_, GetParam().impl);
    ASSERT_NE(aead_, nullptr);
  }
  // The reference AES-GCM engine is bit-serial and has no wide loads to
  // check: it gets shorter inputs, every 7th short length and fewer iterations.
  bool is_reference() const {
    return GetParam().impl == AeadImplementation::reference && GetParam().alg != AeadAlgorithm::chacha20_poly1305;
  }
  size_t max_random_length() const { return is_reference() ? 4096 : 70000; }
  size_t length_stride() const { return is_reference() ? 7 : 1; }
  int random_iterations() const { return (is_reference() ? 30 : 600) / kSpeedDivisor; }

  Bytes key_;
  std::unique_ptr<Aead> aead_;
};

// Every length through the 256-byte loop, the 64-byte step and the one-block
// tail (4 x 256 + 64 + 15 covers each path and each partial-block size; for
// ChaCha20 the 512-byte turn twice, and every tail length of it),
// with data, AAD, nonce and tag flush against the next page.
TEST_P(AeadBounds, EveryShortLengthEndingAtAPage) {
  constexpr size_t kMax = 4 * 256 + 64 + 16 + 15;
  Regions regions(kMax, 48);
  for (size_t n = 0; n <= kMax; n += length_stride()) {
    round_trip(*aead_, key_, regions, Placement{true, 0}, random_vector(n), random_vector(n % 41));
    if (HasFatalFailure()) return;
  }
}

// The same lengths starting right after a guard page at every offset mod 64,
// so a load that reaches backwards (or an aligned load on an unaligned start)
// would fault.
TEST_P(AeadBounds, EveryShortLengthStartingAfterAPage) {
  constexpr size_t kMax = 4 * 256 + 64 + 16 + 15;
  Regions regions(kMax + 64, 48 + 64);
  for (size_t n = 0; n <= kMax; n += length_stride()) {
    round_trip(*aead_, key_, regions, Placement{false, n % 64}, random_vector(n),
               random_vector(n % 41));
    if (HasFatalFailure()) return;
  }
}

// Random lengths up to 70000 bytes (beyond a TLS record's 2^14 + 2048) with
// random placements at either guard.
TEST_P(AeadBounds, RandomLengthsAndPlacements) {
  const size_t max_len = max_random_length();
  Regions regions(max_len + 64, 512 + 64);
  std::mt19937_64 rng(std::random_device{}());
  for (int i = 0; i < random_iterations(); ++i) {
    const size_t n = std::uniform_int_distribution<size_t>(0, max_len)(rng);
    const size_t aad_len = std::uniform_int_distribution<size_t>(0, 512)(rng);
    const Placement where{(rng() & 1) != 0, static_cast<size_t>(rng() % 64)};
    round_trip(*aead_, key_, regions, where, random_vector(n), random_vector(aad_len));
    if (HasFatalFailure()) return;
  }
}

// A fresh AEAD per message, so engine objects (whose key schedules hold
// 64-byte aligned vectors) land at many heap addresses: each must still work.
TEST_P(AeadBounds, FreshEnginePerMessage) {
  Regions regions(2048, 64);
  std::vector<std::unique_ptr<Aead>> keep;  // hold some alive to vary the heap layout
  const int engines = (is_reference() ? 40 : 200) / kSpeedDivisor;
  for (int i = 0; i < engines; ++i) {
    key_ = random_vector(aead_key_size(GetParam().alg));
    auto aead = make_aead(GetParam().alg, key_, GetParam().impl);
    const size_t n = static_cast<size_t>(i) * 7 % 2048;
    round_trip(*aead, key_, regions, Placement{true, 0}, random_vector(n), random_vector(13));
    if (HasFatalFailure()) return;
    if (i % 3 == 0) keep.push_back(std::move(aead));
  }
}

constexpr AeadAlgorithm kAes128 = AeadAlgorithm::aes_128_gcm;
constexpr AeadAlgorithm kAes256 = AeadAlgorithm::aes_256_gcm;
constexpr AeadAlgorithm kChaCha = AeadAlgorithm::chacha20_poly1305;
INSTANTIATE_TEST_SUITE_P(All, AeadBounds,
                         testing::Values(BoundsCase{AeadImplementation::vaes, kAes128},
                                         BoundsCase{AeadImplementation::vaes, kAes256},
                                         BoundsCase{AeadImplementation::aesni, kAes128},
                                         BoundsCase{AeadImplementation::aesni, kAes256},
                                         BoundsCase{AeadImplementation::reference, kAes128},
                                         BoundsCase{AeadImplementation::reference, kAes256},
                                         BoundsCase{AeadImplementation::avx2, kChaCha},
                                         BoundsCase{AeadImplementation::reference, kChaCha}),
                         case_name);

// The guard pages are real: touching the byte after a buffer placed at the
// end of its region kills the process, so the tests above can fail.
TEST(GuardedRegionDeathTest, ByteAfterTheBufferFaults) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  GuardedRegion r(100);
  volatile uint8_t* p = r.ending_at_guard(100);
  p[99] = 1;
  EXPECT_DEATH(p[100] = 1, "");
  volatile uint8_t* q = r.after_guard(0);
  EXPECT_DEATH((void)q[-1], "");
}

}  // namespace
}  // namespace tls12::crypto
