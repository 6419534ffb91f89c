// SHA-1 (FIPS 180-4 §6.1), for one use only: HMAC-SHA1, the record MAC of the
// TLS_*_WITH_AES_*_CBC_SHA cipher suites (RFC 5246 §6.2.3.2, Appendix C).
//
// SHA-1 is broken for collision resistance (SHAttered, 2017), which is what a
// signature needs, so tls12 never signs or verifies with it: no signature
// scheme, certificate algorithm or DigestInfo maps to HashAlgorithm::sha1.
// HMAC does not rely on collision resistance (RFC 6151 §2 argues the same
// for HMAC-MD5), so HMAC-SHA1 as a record MAC is still sound.
#pragma once

#include <array>
#include <cstdint>

#include "crypto/bytes.h"
#include "crypto/hash_blocks.h"

namespace tls12::crypto {

class Sha1 {
 public:
  static constexpr size_t digest_size = 20;
  static constexpr size_t block_size = 64;
  Sha1();
  ~Sha1();  // wipes the state: an HMAC's midstate is its key in disguise
  Sha1(const Sha1&) = default;
  Sha1& operator=(const Sha1&) = default;
  void update(ByteView data);
  std::array<uint8_t, digest_size> finish();  // the object must not be used after

 private:
  std::array<uint32_t, 5> h_;
  detail::BlockBuffer<block_size> blocks_;
};

std::array<uint8_t, 20> sha1(ByteView data);

namespace detail {
// H(0) of §5.3.1 and the compression function of §6.1.2 over `blocks`
// consecutive 64-byte blocks: for the constant-time record MAC (crypto/hmac_ct.h).
// sha1_compress is the SHA-NI version when the CPU has it, else the portable
// one; tests run both on the same inputs.
std::array<uint32_t, 5> sha1_initial_state();
void sha1_compress(std::array<uint32_t, 5>& h, const uint8_t* data, size_t blocks);
void sha1_compress_portable(std::array<uint32_t, 5>& h, const uint8_t* data, size_t blocks);
// Only call when cpu_features().sha_ni is true.
void sha1_compress_shani(std::array<uint32_t, 5>& h, const uint8_t* data, size_t blocks);
}  // namespace detail

}  // namespace tls12::crypto
