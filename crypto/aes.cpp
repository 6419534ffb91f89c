// AES reference implementation (FIPS-197), to be read beside the standard, and
// the Aes class that chooses between it and AES-NI (crypto/aes_ni.cpp).
//
// The state (§3.4) is a 4x4 array of bytes s[r][c]; we keep it in 16 bytes in
// the same order as the input, column by column, so s[r][c] = state[r + 4c]
// and copying the input in is a memcpy (§3.4, "in[r + 4c]").
//
// Constant time: no step indexes memory with a secret. The S-box (§5.1.1) is
// computed from its definition, inverse in GF(2^8) then affine transform, and
// every GF(2^8) multiplication runs the same eight steps whatever its inputs,
// choosing between values with masks rather than with `if`. A table S-box
// (the usual 256-byte array) is faster but leaks the index it is read at
// through the CPU cache, and that index is key XOR data in the first round.
#include "crypto/aes.h"

#include <cstring>
#include <stdexcept>

#include "crypto/aes_internal.h"
#include "crypto/cpu.h"

namespace tls12::crypto {

namespace aes_detail {

namespace {

// §4.2.1 xtime(): multiply by x (that is, {02}) modulo m(x) = x^8+x^4+x^3+x+1.
// The reduction by {1b} is applied through a mask made from the top bit,
// so there is no branch on the (secret) byte.
uint8_t xtime(uint8_t a) {
  const uint8_t top_mask = static_cast<uint8_t>(-(a >> 7));  // 0xff if bit 7 set
  return static_cast<uint8_t>((a << 1) ^ (0x1b & top_mask));
}

// §4.2 multiplication in GF(2^8): the "shift and add" of §4.2.1, always eight
// steps; each step adds `a` when the current bit of `b` is set, via a mask.
uint8_t gf_mul(uint8_t a, uint8_t b) {
  uint8_t product = 0;
  for (int i = 0; i < 8; ++i) {
    product ^= static_cast<uint8_t>(a & -(b & 1));
    b >>= 1;
    a = xtime(a);
  }
  return product;
}

// The multiplicative inverse of §5.1.1 step 1, as a^254 (since a^255 = 1 for
// every non-zero a, a^254 = a^-1; and 0^254 = 0, which is what §5.1.1 wants
// for {00}). 254 = 0b11111110: a fixed chain of squarings and multiplications.
uint8_t gf_inverse(uint8_t a) {
  uint8_t result = a;                // a^1
  for (int i = 0; i < 6; ++i) {      // builds a^(2^(i+2) - 1): a^3, a^7, ... a^127
    result = gf_mul(result, result);
    result = gf_mul(result, a);
  }
  return gf_mul(result, result);     // a^254
}

uint8_t rotl8(uint8_t b, int n) {
  return static_cast<uint8_t>((b << n) | (b >> (8 - n)));
}

// §5.1.1: S-box = affine transform (equation 5.1) of the inverse. The matrix
// form of 5.1 is the same as b XOR rotations of b by 1..4, XOR {63}.
uint8_t sub_byte(uint8_t b) {
  const uint8_t inv = gf_inverse(b);
  return static_cast<uint8_t>(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^
                              rotl8(inv, 4) ^ 0x63);
}

// §5.3.2: the inverse S-box undoes the affine transform first (its inverse is
// rotations by 1, 3 and 6 XOR {05}), then inverts in GF(2^8).
uint8_t inv_sub_byte(uint8_t b) {
  const uint8_t pre = static_cast<uint8_t>(rotl8(b, 1) ^ rotl8(b, 3) ^ rotl8(b, 6) ^ 0x05);
  return gf_inverse(pre);
}

using State = uint8_t[16];

uint8_t& at(State s, int r, int c) { return s[r + 4 * c]; }

// §5.1.1 SubBytes / §5.3.2 InvSubBytes.
void SubBytes(State s) {
  for (int i = 0; i < 16; ++i) s[i] = sub_byte(s[i]);
}
void InvSubBytes(State s) {
  for (int i = 0; i < 16; ++i) s[i] = inv_sub_byte(s[i]);
}

// §5.1.2 ShiftRows: row r is rotated left by r positions.
void ShiftRows(State s) {
  for (int r = 1; r < 4; ++r) {
    uint8_t row[4];
    for (int c = 0; c < 4; ++c) row[c] = at(s, r, (c + r) % 4);
    for (int c = 0; c < 4; ++c) at(s, r, c) = row[c];
  }
}
// §5.3.1 InvShiftRows: row r is rotated right by r positions.
void InvShiftRows(State s) {
  for (int r = 1; r < 4; ++r) {
    uint8_t row[4];
    for (int c = 0; c < 4; ++c) row[(c + r) % 4] = at(s, r, c);
    for (int c = 0; c < 4; ++c) at(s, r, c) = row[c];
  }
}

// §5.1.3 MixColumns: each column times a(x) = {03}x^3 + {01}x^2 + {01}x + {02}
// (equation 5.6 written out).
void MixColumns(State s) {
  for (int c = 0; c < 4; ++c) {
    const uint8_t a0 = at(s, 0, c), a1 = at(s, 1, c), a2 = at(s, 2, c), a3 = at(s, 3, c);
    at(s, 0, c) = static_cast<uint8_t>(xtime(a0) ^ (xtime(a1) ^ a1) ^ a2 ^ a3);
    at(s, 1, c) = static_cast<uint8_t>(a0 ^ xtime(a1) ^ (xtime(a2) ^ a2) ^ a3);
    at(s, 2, c) = static_cast<uint8_t>(a0 ^ a1 ^ xtime(a2) ^ (xtime(a3) ^ a3));
    at(s, 3, c) = static_cast<uint8_t>((xtime(a0) ^ a0) ^ a1 ^ a2 ^ xtime(a3));
  }
}
// §5.3.3 InvMixColumns: times a^-1(x) = {0b}x^3 + {0d}x^2 + {09}x + {0e} (5.10).
void InvMixColumns(State s) {
  for (int c = 0; c < 4; ++c) {
    const uint8_t a0 = at(s, 0, c), a1 = at(s, 1, c), a2 = at(s, 2, c), a3 = at(s, 3, c);
    at(s, 0, c) = gf_mul(a0, 0x0e) ^ gf_mul(a1, 0x0b) ^ gf_mul(a2, 0x0d) ^ gf_mul(a3, 0x09);
    at(s, 1, c) = gf_mul(a0, 0x09) ^ gf_mul(a1, 0x0e) ^ gf_mul(a2, 0x0b) ^ gf_mul(a3, 0x0d);
    at(s, 2, c) = gf_mul(a0, 0x0d) ^ gf_mul(a1, 0x09) ^ gf_mul(a2, 0x0e) ^ gf_mul(a3, 0x0b);
    at(s, 3, c) = gf_mul(a0, 0x0b) ^ gf_mul(a1, 0x0d) ^ gf_mul(a2, 0x09) ^ gf_mul(a3, 0x0e);
  }
}

// §5.1.4 AddRoundKey: XOR the state with round key words w[4*round .. 4*round+3].
void AddRoundKey(State s, const uint8_t* w, int round) {
  for (int i = 0; i < 16; ++i) s[i] ^= w[16 * round + i];
}

}  // namespace

// §5.2 KeyExpansion (Figure 11). Words are 4 bytes; w[i] is at w + 4*i.
int key_expansion(ByteView key, uint8_t* w) {
  if (key.size() != 16 && key.size() != 32) {
    throw std::invalid_argument("AES key must be 16 or 32 bytes");
  }
  const int nk = static_cast<int>(key.size() / 4);  // Nk: 4 or 8
  const int nr = nk + 6;                              // Nr: 10 or 14
  std::memcpy(w, key.data(), key.size());
  uint8_t rcon = 0x01;  // Rcon[i/Nk] = [x^(i/Nk - 1), {00}, {00}, {00}]
  uint8_t temp[4];       // a word of the key schedule: wiped like the state
  for (int i = nk; i < 4 * (nr + 1); ++i) {
    std::memcpy(temp, w + 4 * (i - 1), 4);
    if (i % nk == 0) {
      // temp = SubWord(RotWord(temp)) xor Rcon[i/Nk]
      const uint8_t first = temp[0];
      temp[0] = static_cast<uint8_t>(sub_byte(temp[1]) ^ rcon);
      temp[1] = sub_byte(temp[2]);
      temp[2] = sub_byte(temp[3]);
      temp[3] = sub_byte(first);
      rcon = xtime(rcon);
    } else if (nk > 6 && i % nk == 4) {
      for (uint8_t& b : temp) b = sub_byte(b);  // the extra SubWord of AES-256
    }
    for (int j = 0; j < 4; ++j) w[4 * i + j] = static_cast<uint8_t>(w[4 * (i - nk) + j] ^ temp[j]);
  }
  secure_zero(temp, sizeof temp);
  return nr;
}

// §5.1 Cipher (Figure 5).
void reference_cipher(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]) {
  State s;
  std::memcpy(s, in, 16);
  AddRoundKey(s, w, 0);
  for (int round = 1; round < nr; ++round) {
    SubBytes(s);
    ShiftRows(s);
    MixColumns(s);
    AddRoundKey(s, w, round);
  }
  SubBytes(s);
  ShiftRows(s);
  AddRoundKey(s, w, nr);
  std::memcpy(out, s, 16);
  secure_zero(s, sizeof s);
}

// §5.3 InvCipher (Figure 12).
void reference_inv_cipher(const uint8_t* w, int nr, const uint8_t in[16], uint8_t out[16]) {
  State s;
  std::memcpy(s, in, 16);
  AddRoundKey(s, w, nr);
  for (int round = nr - 1; round >= 1; --round) {
    InvShiftRows(s);
    InvSubBytes(s);
    AddRoundKey(s, w, round);
    InvMixColumns(s);
  }
  InvShiftRows(s);
  InvSubBytes(s);
  AddRoundKey(s, w, 0);
  std::memcpy(out, s, 16);
  secure_zero(s, sizeof s);
}

}  // namespace aes_detail

bool aes_implementation_available(AesImplementation impl) {
  return impl != AesImplementation::aesni || cpu_features().aesni;
}

Aes::Aes(ByteView key, AesImplementation impl) {
  if (!aes_implementation_available(impl)) {
    throw std::runtime_error("AES-NI is not available on this CPU");
  }
  aesni_ = impl == AesImplementation::aesni ||
           (impl == AesImplementation::best && cpu_features().aesni);
  nr_ = aesni_ ? aes_detail::aesni_key_expansion(key, w_) : aes_detail::key_expansion(key, w_);
  if (aesni_) aes_detail::aesni_decryption_keys(w_, nr_, dw_);
}

Aes::~Aes() {
  secure_zero(w_, sizeof w_);
  secure_zero(dw_, sizeof dw_);
}

void Aes::encrypt_block(const uint8_t in[16], uint8_t out[16]) const {
  if (aesni_) {
    aes_detail::aesni_encrypt(w_, nr_, in, out);
  } else {
    aes_detail::reference_cipher(w_, nr_, in, out);
  }
}

void Aes::decrypt_block(const uint8_t in[16], uint8_t out[16]) const {
  if (aesni_) {
    aes_detail::aesni_decrypt(dw_, nr_, in, out);
  } else {
    aes_detail::reference_inv_cipher(w_, nr_, in, out);
  }
}

// SP 800-38A §6.2, one block at a time: the readable version of CBC.
void Aes::cbc_encrypt(uint8_t iv[16], uint8_t* data, size_t blocks) const {
  if (aesni_) return aes_detail::aesni_cbc_encrypt(w_, nr_, iv, data, blocks);
  for (size_t b = 0; b < blocks; ++b, data += block_size) {
    for (size_t i = 0; i < block_size; ++i) data[i] ^= iv[i];  // P_i xor C_{i-1}
    encrypt_block(data, data);
    std::memcpy(iv, data, block_size);                          // C_i chains on
  }
}

void Aes::cbc_decrypt(uint8_t iv[16], uint8_t* data, size_t blocks) const {
  if (aesni_) return aes_detail::aesni_cbc_decrypt(dw_, nr_, iv, data, blocks);
  uint8_t ciphertext[block_size];
  for (size_t b = 0; b < blocks; ++b, data += block_size) {
    std::memcpy(ciphertext, data, block_size);  // C_i, needed after D_K overwrites it
    decrypt_block(data, data);
    for (size_t i = 0; i < block_size; ++i) data[i] ^= iv[i];  // D_K(C_i) xor C_{i-1}
    std::memcpy(iv, ciphertext, block_size);
  }
}

Bytes aes_cbc_pkcs7_encrypt(ByteView key, ByteView iv, ByteView plaintext) {
  if (iv.size() != Aes::block_size) throw std::invalid_argument("AES-CBC IV must be 16 bytes");
  const size_t pad = Aes::block_size - plaintext.size() % Aes::block_size;  // 1..16, never 0
  Bytes data(plaintext.begin(), plaintext.end());
  data.insert(data.end(), pad, static_cast<uint8_t>(pad));
  uint8_t chain[Aes::block_size];
  std::memcpy(chain, iv.data(), sizeof chain);
  Aes(key).cbc_encrypt(chain, data.data(), data.size() / Aes::block_size);
  return data;
}

SecretBytes aes_cbc_pkcs7_decrypt(ByteView key, ByteView iv, ByteView ciphertext) {
  if (iv.size() != Aes::block_size) throw std::invalid_argument("AES-CBC IV must be 16 bytes");
  if (ciphertext.empty() || ciphertext.size() % Aes::block_size != 0)
    throw std::runtime_error("AES-CBC ciphertext is not a whole number of blocks");
  SecretBytes plain(ciphertext.begin(), ciphertext.end());
  uint8_t chain[Aes::block_size];
  std::memcpy(chain, iv.data(), sizeof chain);
  Aes(key).cbc_decrypt(chain, plain.data(), plain.size() / Aes::block_size);
  const uint8_t pad = plain.back();
  uint8_t bad = static_cast<uint8_t>((pad == 0) | (pad > 16));
  for (size_t i = 1; i <= Aes::block_size; ++i) {
    const uint8_t in_padding = static_cast<uint8_t>(i <= pad);
    bad |= static_cast<uint8_t>(in_padding & (plain[plain.size() - i] != pad));
  }
  if (bad) throw std::runtime_error("bad padding after AES-CBC decryption");
  plain.resize(plain.size() - pad);
  return plain;
}

}  // namespace tls12::crypto
