// PKCS #1 v1.5 padding for encryption (RSAES-PKCS1-v1_5, RFC 8017 §7.2) and
// signatures (RSASSA-PKCS1-v1_5, §8.2 with EMSA-PKCS1-v1_5, §9.2), and the
// server's premaster decryption of RFC 5246 §7.4.7.1.
//
// Encryption block:  EM = 0x00 || 0x02 || PS (>= 8 random non-zero) || 0x00 || M
// Signature block:   EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || DigestInfo(hash)
//
// Bleichenbacher (CRYPTO '98) showed that a server which reveals, by an error
// or by its timing, whether a decrypted block starts with 0x00 0x02 lets an
// attacker decrypt any ciphertext with about a million queries. So the TLS
// decryption below never branches on the decrypted block: every check becomes
// a mask, and the premaster it returns is either the decrypted one or random
// bytes drawn before decryption, chosen with that mask. The handshake then
// fails later, at Finished, exactly as it would for a wrong premaster.
#include <algorithm>
#include <stdexcept>

#include "crypto/bignum.h"
#include "crypto/random.h"
#include "crypto/rsa.h"
#include "crypto/rsa_internal.h"

namespace tls12::crypto {

namespace {

// Byte masks widened to Limb: all ones or zero.
Limb byte_eq(uint8_t a, uint8_t b) { return ct_mask_eq(a, b); }

// Checks EM = 0x00 0x02 PS 0x00 M with |PS| >= 8 and finds where M starts,
// reading every byte whatever their values. Returns the validity mask and
// sets `message_start` (meaningful only when valid).
Limb pkcs1_v15_unpad(const SecretBytes& em, size_t& message_start) {
  const size_t k = em.size();
  Limb good = byte_eq(em[0], 0x00) & byte_eq(em[1], 0x02);
  Limb looking = ~Limb{0};  // still inside PS
  Limb zero_index = 0;
  for (size_t i = 2; i < k; ++i) {
    const Limb is_zero = byte_eq(em[i], 0x00);
    // The first zero after PS: remember its index, stop looking.
    zero_index = ct_select(looking & is_zero, i, zero_index);
    looking &= ~is_zero;
  }
  good &= ~looking;                                  // a separator exists
  good &= ~ct_mask_lt_small(zero_index, 2 + 8);      // |PS| >= 8
  message_start = static_cast<size_t>(zero_index + 1);
  return good;
}

const Bytes& digest_info_prefix(HashAlgorithm hash) {
  // DER of DigestInfo ::= SEQUENCE { AlgorithmIdentifier { OID, NULL }, OCTET
  // STRING digest } up to the digest itself (RFC 8017 §9.2, note 1).
  static const Bytes sha256 = from_hex("3031300d060960864801650304020105000420");
  static const Bytes sha384 = from_hex("3041300d060960864801650304020205000430");
  static const Bytes sha512 = from_hex("3051300d060960864801650304020305000440");
  switch (hash) {
    case HashAlgorithm::sha256: return sha256;
    case HashAlgorithm::sha384: return sha384;
    case HashAlgorithm::sha512: return sha512;
    case HashAlgorithm::sha1: break;  // SHA-1 signatures are refused (crypto/sha1.h)
    case HashAlgorithm::sha224: break;  // TLS offers SHA-224 with ECDSA only here
  }
  throw std::invalid_argument("unsupported hash for RSASSA-PKCS1-v1_5");
}

// EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of `message`, emLen = k bytes.
Bytes emsa_pkcs1_v15_encode(HashAlgorithm hash, ByteView message, size_t k) {
  const Bytes& prefix = digest_info_prefix(hash);
  const Bytes digest = crypto::hash(hash, message);
  const size_t t_len = prefix.size() + digest.size();
  if (k < t_len + 11) throw std::invalid_argument("RSA modulus too short for this hash");
  Bytes em(k, 0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t_len - 1] = 0x00;
  std::copy(prefix.begin(), prefix.end(), em.begin() + static_cast<std::ptrdiff_t>(k - t_len));
  std::copy(digest.begin(), digest.end(), em.end() - static_cast<std::ptrdiff_t>(digest.size()));
  return em;
}

// Fills `out` with random non-zero bytes: one draw for the whole string, then a
// fresh draw for each zero only (about one byte in 256), instead of a system call
// per byte.
void fill_nonzero_random(MutableByteView out) {
  random_bytes(out);
  for (uint8_t& b : out) {
    while (b == 0) random_bytes(MutableByteView(&b, 1));
  }
}

}  // namespace

Bytes rsaes_pkcs1_v15_encrypt(const RsaPublicKey& key, ByteView message) {
  const size_t k = key.size();
  if (message.size() + 11 > k) throw std::invalid_argument("message too long for RSAES-PKCS1-v1_5");
  SecretBytes em(k);
  em[0] = 0x00;
  em[1] = 0x02;
  // PS: random bytes, none of them zero (a zero would end the padding early).
  const size_t ps_len = k - message.size() - 3;
  fill_nonzero_random(MutableByteView(em.data() + 2, ps_len));
  em[2 + ps_len] = 0x00;
  std::copy(message.begin(), message.end(), em.begin() + static_cast<std::ptrdiff_t>(3 + ps_len));
  return rsa_public_operation(key, em);
}

std::optional<SecretBytes> rsaes_pkcs1_v15_decrypt(const RsaPrivateKey& key, ByteView ciphertext) {
  if (!detail::input_in_range(key.public_key(), ciphertext)) return std::nullopt;
  SecretBytes em;
  Limb good = detail::rsa_private_masked(key, ciphertext, em);
  size_t start = 0;
  good &= pkcs1_v15_unpad(em, start);
  // The caller learns success or failure and the message length anyway.
  ct_declassify(&good, sizeof good);
  ct_declassify(&start, sizeof start);
  if (good == 0) return std::nullopt;
  return SecretBytes(em.begin() + static_cast<std::ptrdiff_t>(start), em.end());
}

void rsa_decrypt_pre_master_secret(const RsaPrivateKey& key, ByteView encrypted_pre_master_secret,
                                   uint16_t client_version,
                                   std::span<uint8_t, 48> pre_master_secret) {
  // RFC 5246 §7.4.7.1 step 1: generate a random 48-byte R first.
  SecretBytes fallback(48);
  random_bytes(fallback);
  std::copy(fallback.begin(), fallback.end(), pre_master_secret.begin());
  // A ciphertext of the wrong length, or not below n, cannot be decrypted; both
  // are facts about what the peer sent, so deciding on them reveals nothing.
  if (!detail::input_in_range(key.public_key(), encrypted_pre_master_secret)) return;

  SecretBytes em;
  Limb good = detail::rsa_private_masked(key, encrypted_pre_master_secret, em);
  // A 48-byte message fixes the layout: 00 02 PS(k-51 non-zero bytes) 00 M(48).
  const size_t k = em.size();
  const size_t separator = k - 49;
  good &= byte_eq(em[0], 0x00) & byte_eq(em[1], 0x02) & byte_eq(em[separator], 0x00);
  for (size_t i = 2; i < separator; ++i) good &= ~byte_eq(em[i], 0x00);
  // Steps 2-3: the first two bytes must be the version the client offered in
  // its ClientHello (the version-rollback check), compared the same way.
  good &= byte_eq(em[separator + 1], static_cast<uint8_t>(client_version >> 8));
  good &= byte_eq(em[separator + 2], static_cast<uint8_t>(client_version & 0xff));
  // Step 4: premaster = good ? M : R, byte by byte with the mask.
  const uint8_t mask = static_cast<uint8_t>(good);
  for (size_t i = 0; i < 48; ++i) {
    const uint8_t m = em[separator + 1 + i];
    pre_master_secret[i] = static_cast<uint8_t>((m & mask) | (fallback[i] & ~mask));
  }
}

Bytes rsassa_pkcs1_v15_sign(const RsaPrivateKey& key, HashAlgorithm hash, ByteView message) {
  const Bytes em = emsa_pkcs1_v15_encode(hash, message, key.public_key().size());
  SecretBytes s = rsa_private_operation(key, em);
  return Bytes(s.begin(), s.end());
}

bool rsassa_pkcs1_v15_verify(const RsaPublicKey& key, HashAlgorithm hash, ByteView message,
                             ByteView signature) {
  // RFC 8017 §8.2.2: the signature must be exactly k bytes and below n.
  if (!detail::input_in_range(key, signature)) return false;
  const Bytes em = rsa_public_operation(key, signature);
  Bytes expected;
  try {
    expected = emsa_pkcs1_v15_encode(hash, message, key.size());
  } catch (const std::invalid_argument&) {
    return false;
  }
  // Compare whole blocks instead of parsing the decrypted one: parsers of this
  // block have been fooled by trailing garbage and lax length fields
  // (Bleichenbacher's 2006 e=3 forgery).
  return constant_time_equal(em, expected);
}

}  // namespace tls12::crypto
