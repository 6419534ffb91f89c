// Random bytes for TLS: ClientHello/ServerHello randoms (RFC 5246 §7.4.1.2), the
// premaster secret, ephemeral keys, RSA padding and blinding.
//
// They come from libsodium's randombytes_buf (the kernel's getrandom), which
// is a CSPRNG suitable for keys; we do not write our own generator.
#pragma once

#include "crypto/bytes.h"

namespace tls12::crypto {

// Fills `out` with cryptographically secure random bytes.
void random_bytes(MutableByteView out);

// Initialises libsodium once; every wrapper calls it, so callers need not.
void ensure_sodium();

}  // namespace tls12::crypto
