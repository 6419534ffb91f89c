// OpenSSL's EVP cipher for each AEAD of crypto/aead.h: the oracle of the
// AEAD tests (test_gcm.cpp, test_gcm_bounds.cpp).
#pragma once

#include <openssl/evp.h>

#include "crypto/aead.h"

namespace tls12::crypto::test_oracle {

inline const EVP_CIPHER* openssl_cipher(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
    case AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
    case AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
  }
  return nullptr;
}

}  // namespace tls12::crypto::test_oracle
