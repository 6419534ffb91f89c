// Pieces shared by the RSA files (rsa.cpp, rsa_pkcs1.cpp, rsa_pss.cpp); not an
// interface for the rest of the library.
#pragma once

#include "crypto/bignum.h"
#include "crypto/rsa.h"

namespace tls12::crypto::detail {

// Whether `input` is k bytes and, read as an integer, below n (RFC 8017 §5.1.2
// step 1). Both facts are public: they concern the ciphertext an attacker sent.
bool input_in_range(const RsaPublicKey& key, ByteView input);

// RSADP/RSASP1 on an in-range k-byte input, writing k bytes to `output`.
// Returns an all-ones mask if the fault check passed and zero otherwise,
// without branching on it, so that the premaster countermeasure can fold it
// into its own mask.
Limb rsa_private_masked(const RsaPrivateKey& key, ByteView input, SecretBytes& output);

}  // namespace tls12::crypto::detail
