// The AEAD interface of crypto/aead.h (RFC 5116) over its two algorithms:
// AES-GCM (crypto/gcm.h; RFC 5288 suites) and ChaCha20-Poly1305
// (crypto/chacha20_poly1305.h, RFC 8439; RFC 7905 suites).
//
// What this layer adds to the engines is the part of GCM-AD (SP 800-38D §7.2)
// that matters most for security: the received tag is compared with the
// computed one in constant time (so an attacker timing failures cannot learn
// how many leading tag bytes were right), and on a mismatch the decrypted
// bytes are wiped, so the record layer can never pass on unauthenticated
// plaintext even by mistake.
#include "crypto/aead.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "crypto/bignum.h"
#include "crypto/chacha20_poly1305.h"
#include "crypto/gcm.h"
#include "crypto/random.h"

namespace tls12::crypto {

namespace {

// SP 800-38D §5.2.1.1: len(P) <= 2^39 - 256 bits, so that the 32-bit block
// counter never wraps into J0 and reuses keystream. TLS records are far
// smaller (2^14 + 2048 bytes), but the interface takes any span.
constexpr uint64_t kGcmMaxDataBytes = (uint64_t{1} << 36) - 32;

void check_gcm_length(size_t size) {
  if (static_cast<uint64_t>(size) > kGcmMaxDataBytes) {
    throw std::invalid_argument("AES-GCM input longer than 2^36 - 32 bytes (SP 800-38D 5.2.1.1)");
  }
}

// The tag check shared by both algorithms: the engine decrypts and computes
// the tag the ciphertext should carry; this compares.
template <class Engine>
bool open_and_check(const Engine& engine, Aead::Nonce nonce, ByteView aad, MutableByteView data,
                    std::span<const uint8_t, Aead::tag_size> tag) {
  uint8_t expected[Aead::tag_size];
  engine.decrypt(nonce.data(), aad, data, expected);
  bool ok = constant_time_equal(ByteView(expected, Aead::tag_size), tag);
  // Whether the tag verified is public (the record layer answers it with an
  // alert); everything before this point ran without branching on secrets.
  ct_declassify(&ok, sizeof ok);
  secure_zero(expected, sizeof expected);
  if (!ok) secure_zero(data.data(), data.size());
  return ok;
}

class AesGcmAead final : public Aead {
 public:
  AesGcmAead(AeadAlgorithm alg, std::unique_ptr<AesGcm> engine)
      : alg_(alg), engine_(std::move(engine)) {}

  AeadAlgorithm algorithm() const override { return alg_; }
  std::string_view implementation() const override { return engine_->implementation(); }

  void seal(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<uint8_t, tag_size> tag) const override {
    check_gcm_length(data.size());
    engine_->encrypt(nonce.data(), aad, data, tag.data());
  }

  bool open(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<const uint8_t, tag_size> tag) const override {
    check_gcm_length(data.size());
    return open_and_check(*engine_, nonce, aad, data, tag);
  }

 private:
  AeadAlgorithm alg_;
  std::unique_ptr<AesGcm> engine_;
};

// RFC 8439 §2.8: the 32-bit block counter starts at 1 for the data, so at most
// 2^32 - 1 blocks of 64 bytes before the keystream would repeat.
constexpr uint64_t kChaChaMaxDataBytes = ((uint64_t{1} << 32) - 1) * 64;

void check_chacha_length(size_t size) {
  if (static_cast<uint64_t>(size) > kChaChaMaxDataBytes) {
    throw std::invalid_argument("ChaCha20-Poly1305 input longer than 2^38 - 64 bytes (RFC 8439 2.8)");
  }
}

class ChaCha20Poly1305Aead final : public Aead {
 public:
  explicit ChaCha20Poly1305Aead(std::unique_ptr<ChaCha20Poly1305> engine) : engine_(std::move(engine)) {}

  AeadAlgorithm algorithm() const override { return AeadAlgorithm::chacha20_poly1305; }
  std::string_view implementation() const override { return engine_->implementation(); }

  void seal(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<uint8_t, tag_size> tag) const override {
    check_chacha_length(data.size());
    engine_->encrypt(nonce.data(), aad, data, tag.data());
  }

  bool open(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<const uint8_t, tag_size> tag) const override {
    check_chacha_length(data.size());
    return open_and_check(*engine_, nonce, aad, data, tag);
  }

 private:
  std::unique_ptr<ChaCha20Poly1305> engine_;
};

bool is_gcm_engine(AeadImplementation impl) {
  return impl == AeadImplementation::aesni || impl == AeadImplementation::vaes;
}

}  // namespace

std::string_view aead_name(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::aes_128_gcm: return "AES-128-GCM";
    case AeadAlgorithm::aes_256_gcm: return "AES-256-GCM";
    case AeadAlgorithm::chacha20_poly1305: return "CHACHA20-POLY1305";
  }
  throw std::invalid_argument("unknown AEAD algorithm");
}

size_t aead_key_size(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::aes_128_gcm: return 16;
    case AeadAlgorithm::aes_256_gcm: return 32;
    case AeadAlgorithm::chacha20_poly1305: return 32;
  }
  throw std::invalid_argument("unknown AEAD algorithm");
}

bool aead_implementation_available(AeadImplementation impl) {
  if (impl == AeadImplementation::avx2) return chacha20_poly1305_available(impl);
  return aes_gcm_available(impl);
}

bool aead_implementation_available(AeadAlgorithm alg, AeadImplementation impl) {
  if (alg == AeadAlgorithm::chacha20_poly1305) {
    return !is_gcm_engine(impl) && chacha20_poly1305_available(impl);
  }
  return impl != AeadImplementation::avx2 && aes_gcm_available(impl);
}

std::unique_ptr<Aead> make_aead(AeadAlgorithm alg, ByteView key, AeadImplementation impl) {
  if (key.size() != aead_key_size(alg)) {
    throw std::invalid_argument("AEAD key has the wrong size for " + std::string(aead_name(alg)));
  }
  // A name of the other algorithm's engines means best (see aead.h).
  if (alg == AeadAlgorithm::chacha20_poly1305) {
    if (is_gcm_engine(impl)) impl = AeadImplementation::best;
    return std::make_unique<ChaCha20Poly1305Aead>(make_chacha20_poly1305(key, impl));
  }
  if (impl == AeadImplementation::avx2) impl = AeadImplementation::best;
  return std::make_unique<AesGcmAead>(alg, make_aes_gcm(key, impl));
}

}  // namespace tls12::crypto
