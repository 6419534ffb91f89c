// HMAC (RFC 2104) over SHA-256/384/512: the building block of the TLS PRF
// (RFC 5246 §5) and of PBKDF2 for encrypted private keys.
#pragma once

#include "crypto/bytes.h"
#include "crypto/sha2.h"

namespace tls12::crypto {

class Hmac {
 public:
  Hmac(HashAlgorithm alg, ByteView key);
  void update(ByteView data);
  Bytes finish();  // digest_size(alg) bytes; the object must not be used after
  Digest finish_digest();  // the same in place, for the PRF's many HMACs

 private:
  Hash inner_;
  Hash outer_;
};

Bytes hmac(HashAlgorithm alg, ByteView key, ByteView data);

// PBKDF2 (RFC 8018 §5.2) with HMAC: derives the key of an encrypted PKCS#8
// private key from its passphrase.
void pbkdf2_hmac(HashAlgorithm alg, ByteView password, ByteView salt, uint32_t iterations,
                 MutableByteView out);

}  // namespace tls12::crypto
