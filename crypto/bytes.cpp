// Byte-string functions shared by every layer: wiping, constant-time compare, hex.
#include "crypto/bytes.h"

#include <sodium.h>

#include <stdexcept>

namespace tls12 {

void secure_zero(void* data, size_t size) {
  if (size != 0) sodium_memzero(data, size);
}

bool constant_time_equal(ByteView a, ByteView b) {
  if (a.size() != b.size()) return false;  // lengths are public
  // OR together the XOR of every byte pair: the loop always runs to the end, so
  // the time taken does not say where the first difference is.
  uint8_t diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<uint8_t>(a[i] ^ b[i]);
  // Keep the compiler from turning the final test into an early-exit search.
  volatile uint8_t result = diff;
  return result == 0;
}

std::string to_hex(ByteView data) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Bytes from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("hex string has an odd number of digits");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::invalid_argument("hex string has a character that is not a hex digit");
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace tls12
