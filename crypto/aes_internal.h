// Internal entry points of the two AES implementations behind crypto::Aes
// (crypto/aes.h). Not part of the library's interface: crypto/aes.cpp and
// crypto/aes_ni.cpp implement them, crypto/aes.cpp dispatches between them.
#pragma once

#include <cstdint>

#include "crypto/bytes.h"

namespace tls12::crypto::aes_detail {

// FIPS-197 §5.2 KeyExpansion: writes w (16*(Nr+1) bytes) and returns Nr.
// key_expansion is the portable reference, aesni_key_expansion the same
// schedule from AESKEYGENASSIST (call only when cpu_features().aesni). A
// handshake expands two keys per side and one per ticket: the reference
// S-box, computed in constant time from the GF(2^8) inverse, made expansion
// a third of a resumed handshake.
int key_expansion(ByteView key, uint8_t* w);
int aesni_key_expansion(ByteView key, uint8_t* w);

// FIPS-197 §5.1 Cipher and §5.3 InvCipher, portable and constant time.
void reference_cipher(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]);
void reference_inv_cipher(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]);

// AES-NI: the decryption key schedule of the "equivalent inverse cipher"
// (§5.3.5: InvMixColumns applied to round keys 1..Nr-1, order reversed), and
// one block each way. Callers check cpu_features().aesni first.
void aesni_decryption_keys(const uint8_t* w, int nr, uint8_t* dw);
void aesni_encrypt(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]);
void aesni_decrypt(const uint8_t* dw, int nr, const uint8_t in[16], uint8_t out[16]);
// CBC over `blocks` blocks in place with the round keys held in registers;
// decryption runs eight blocks through the rounds side by side.
void aesni_cbc_encrypt(const uint8_t* w, int nr, uint8_t iv[16], uint8_t* data, size_t blocks);
void aesni_cbc_decrypt(const uint8_t* dw, int nr, uint8_t iv[16], uint8_t* data, size_t blocks);

}  // namespace tls12::crypto::aes_detail
