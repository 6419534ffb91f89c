// The TLS 1.2 pseudorandom function (RFC 5246 §5).
//
//   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
//                          HMAC_hash(secret, A(2) + seed) + ...
//   A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
//   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
//
// The hash is SHA-256 unless the cipher suite names another (SHA-384 for the
// *_SHA384 suites). Every secret in the handshake comes from this function:
// master_secret (§8.1), key_block (§6.3) and Finished verify_data (§7.4.9).
#pragma once

#include <string_view>

#include "crypto/bytes.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

// Fills `out` with PRF(secret, label, seed).
void prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
         MutableByteView out);

// The same, returning `length` bytes in memory that is wiped when freed.
SecretBytes prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
                size_t length);

}  // namespace tls12::crypto
