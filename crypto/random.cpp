// Random bytes from libsodium (see random.h).
#include "crypto/random.h"

#include <sodium.h>

#include <stdexcept>

namespace tls12::crypto {

void ensure_sodium() {
  // sodium_init is thread-safe and idempotent; a static makes it run once.
  static const int status = sodium_init();
  if (status < 0) throw std::runtime_error("libsodium failed to initialise");
}

void random_bytes(MutableByteView out) {
  ensure_sodium();
  if (out.empty()) return;  // randombytes_buf must not see a null pointer
  randombytes_buf(out.data(), out.size());
}

}  // namespace tls12::crypto
