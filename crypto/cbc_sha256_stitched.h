// AES-CBC encryption and SHA-256 in one loop, their instructions interleaved
// ("stitched"): the sealing half of a MAC-then-encrypt record of the
// TLS_*_WITH_AES_*_CBC_SHA256 suites (RFC 5246 §6.2.3.2), used through
// ConstantTimeHmac::compute_and_encrypt (crypto/hmac_ct.h). Internal to the
// library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tls12::crypto::detail {

// Whether the CPU has both AES-NI and SHA-NI (and TLS12_CPU allows them).
bool cbc_sha256_stitched_available();

// `steps` steps; step i first compresses the 64 bytes at hash_data + 64i into
// the SHA-256 chaining value `h`, then CBC-encrypts data[64i, 64i + 64) in
// place with the round keys `w` (Aes::round_keys(), `nr` rounds), continuing
// from and updating `iv`. A step reads its hash block before it writes, so
// hash_data may overlap the bytes it encrypts as long as hash_data >= data:
// MAC-then-encrypt hashes the plaintext a little ahead of encrypting it.
void aesni_cbc_encrypt_sha256(const uint8_t* w, int nr, uint8_t iv[16], uint8_t* data,
                              std::array<uint32_t, 8>& h, const uint8_t* hash_data, size_t steps);

}  // namespace tls12::crypto::detail
