// The streaming half that SHA-1, SHA-256 and SHA-512/384 share (FIPS 180-4
// §5.1 padding, §5.2 parsing into blocks): a partial block kept between
// update() calls, whole blocks compressed straight from the caller's memory,
// and the final padding with the message length in bits. Each hash supplies
// only its compression function (crypto/sha1.cpp, sha2.cpp, sha512.cpp).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "crypto/bytes.h"

namespace tls12::crypto::detail {

template <size_t BlockSize>
class BlockBuffer {
 public:
  // `compress(p, blocks)` folds `blocks` whole blocks at p into the state.
  template <class Compress>
  void update(ByteView data, Compress&& compress) {
    const uint8_t* p = data.data();
    size_t n = data.size();
    if (n == 0) return;  // an empty span may have a null data(): never pass it to memcpy
    length_ += n;
    // Complete a partial block left by the previous call first.
    if (buffered_ > 0) {
      const size_t take = std::min(n, BlockSize - buffered_);
      std::memcpy(buffer_.data() + buffered_, p, take);
      buffered_ += take;
      p += take;
      n -= take;
      if (buffered_ < BlockSize) return;
      compress(buffer_.data(), 1);
      buffered_ = 0;
    }
    // Whole blocks straight from the caller's memory, without copying.
    if (const size_t blocks = n / BlockSize; blocks > 0) {
      compress(p, blocks);
      p += blocks * BlockSize;
      n -= blocks * BlockSize;
    }
    if (n > 0) {
      std::memcpy(buffer_.data(), p, n);
      buffered_ = n;
    }
  }

  // §5.1.1 / §5.1.2: the bit "1" (0x80), zeros, then the message length in
  // bits, big-endian, in the last `length_bytes` (8 or 16) bytes of a block.
  // A message is under 2^64 bytes here, so a 16-byte field's upper half
  // holds only the three bits shifted out of length << 3. Then wipes the
  // buffer: it may hold key material (HMAC pads).
  template <class Compress>
  void pad(size_t length_bytes, Compress&& compress) {
    buffer_[buffered_++] = 0x80;
    if (buffered_ > BlockSize - length_bytes) {
      std::memset(buffer_.data() + buffered_, 0, BlockSize - buffered_);
      compress(buffer_.data(), 1);
      buffered_ = 0;
    }
    std::memset(buffer_.data() + buffered_, 0, BlockSize - buffered_);
    store_be64(buffer_.data() + BlockSize - 8, length_ << 3);
    if (length_bytes == 16) store_be64(buffer_.data() + BlockSize - 16, length_ >> 61);
    compress(buffer_.data(), 1);
    wipe();
  }

  void wipe() {
    secure_zero(buffer_.data(), buffer_.size());
    buffered_ = 0;
  }

 private:
  static void store_be64(uint8_t* out, uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) out[i] = static_cast<uint8_t>(v);
  }

  std::array<uint8_t, BlockSize> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

}  // namespace tls12::crypto::detail
