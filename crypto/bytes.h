// Byte strings as every layer of tls12 passes them around.
//
// TLS is defined on octet strings (RFC 5246 §4), so the whole library speaks in
// bytes: `Bytes` owns them, `ByteView` borrows them read-only, `MutableByteView`
// borrows them for in-place work (record protection seals and opens in place).
// `SecretBytes` owns key material and wipes it when it is freed, so a master
// secret or a private key does not linger in freed heap memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tls12 {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;
using MutableByteView = std::span<uint8_t>;

// Overwrites memory in a way the compiler may not optimise away (libsodium's
// sodium_memzero), used for every secret before its memory is released.
void secure_zero(void* data, size_t size);

// An allocator that wipes memory before giving it back, so that any vector of
// secrets (including the copies a vector makes when it grows) is wiped.
template <class T>
struct ZeroingAllocator {
  using value_type = T;
  ZeroingAllocator() = default;
  template <class U>
  ZeroingAllocator(const ZeroingAllocator<U>&) noexcept {}
  T* allocate(size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  bool operator==(const ZeroingAllocator<U>&) const noexcept { return true; }
};

using SecretBytes = std::vector<uint8_t, ZeroingAllocator<uint8_t>>;

// Compares two byte strings in time that depends only on their lengths, never on
// where they differ: used for MACs, tags and Finished verify_data.
bool constant_time_equal(ByteView a, ByteView b);

// Hex for tests, traces and the key log (lower case, no separators).
std::string to_hex(ByteView data);
// Parses hex (upper or lower case, no separators); throws std::invalid_argument.
Bytes from_hex(std::string_view hex);

inline ByteView as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace tls12
