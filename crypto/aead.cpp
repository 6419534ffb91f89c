// The AEAD interface of crypto/aead.h (RFC 5116) over its two algorithms:
// AES-GCM (our own engines, crypto/gcm.h; RFC 5288 suites) and
// ChaCha20-Poly1305 (libsodium's IETF construction; RFC 7905 suites).
//
// What this layer adds to the engines is the part of GCM-AD (SP 800-38D §7.2)
// that matters most for security: the received tag is compared with the
// computed one in constant time (so an attacker timing failures cannot learn
// how many leading tag bytes were right), and on a mismatch the decrypted
// bytes are wiped, so the record layer can never pass on unauthenticated
// plaintext even by mistake.
#include "crypto/aead.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <stdexcept>

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
    uint8_t expected[tag_size];
    engine_->decrypt(nonce.data(), aad, data, expected);
    const bool ok = constant_time_equal(ByteView(expected, tag_size), tag);
    secure_zero(expected, sizeof expected);
    if (!ok) secure_zero(data.data(), data.size());
    return ok;
  }

 private:
  AeadAlgorithm alg_;
  std::unique_ptr<AesGcm> engine_;
};

// libsodium's crypto_aead_chacha20poly1305_ietf_*_detached: RFC 8439's
// construction with a 96-bit nonce, exactly what RFC 7905 uses.
class ChaCha20Poly1305Aead final : public Aead {
 public:
  explicit ChaCha20Poly1305Aead(ByteView key) {
    ensure_sodium();
    std::copy(key.begin(), key.end(), key_.begin());
  }
  ~ChaCha20Poly1305Aead() override { secure_zero(key_.data(), key_.size()); }

  AeadAlgorithm algorithm() const override { return AeadAlgorithm::chacha20_poly1305; }
  std::string_view implementation() const override { return "libsodium"; }

  void seal(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<uint8_t, tag_size> tag) const override {
    unsigned long long tag_len = 0;
    uint8_t* p = non_null(data);
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(p, tag.data(), &tag_len, p, data.size(),
                                                       aad.data(), aad.size(), nullptr,
                                                       nonce.data(), key_.data());
  }

  bool open(Nonce nonce, ByteView aad, MutableByteView data,
            std::span<const uint8_t, tag_size> tag) const override {
    // libsodium checks the tag (in constant time) before decrypting anything.
    uint8_t* p = non_null(data);
    const int rc = crypto_aead_chacha20poly1305_ietf_decrypt_detached(
        p, nullptr, p, data.size(), tag.data(), aad.data(), aad.size(), nonce.data(), key_.data());
    if (rc != 0) {
      secure_zero(data.data(), data.size());
      return false;
    }
    return true;
  }

 private:
  // libsodium declares the message pointers nonnull even for zero lengths,
  // and an empty span may have a null data(): point at a dummy byte then.
  static uint8_t* non_null(MutableByteView data) {
    static uint8_t dummy = 0;
    return data.empty() ? &dummy : data.data();
  }

  std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_KEYBYTES> key_{};
};

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
  return aes_gcm_available(impl);
}

std::unique_ptr<Aead> make_aead(AeadAlgorithm alg, ByteView key, AeadImplementation impl) {
  if (key.size() != aead_key_size(alg)) {
    throw std::invalid_argument("AEAD key has the wrong size for " + std::string(aead_name(alg)));
  }
  if (alg == AeadAlgorithm::chacha20_poly1305) {
    return std::make_unique<ChaCha20Poly1305Aead>(key);
  }
  return std::make_unique<AesGcmAead>(alg, make_aes_gcm(key, impl));
}

}  // namespace tls12::crypto
