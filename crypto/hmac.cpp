// HMAC (RFC 2104, FIPS 198-1) and PBKDF2 (RFC 8018 §5.2).
//
//   HMAC(K, text) = H((K0 ^ opad) || H((K0 ^ ipad) || text))
//
// K0 is the key padded with zeros to the hash's block size B, or first hashed
// if it is longer than B (RFC 2104 §2); ipad is B bytes of 0x36, opad B bytes of
// 0x5c. TLS 1.2 uses HMAC inside the PRF (RFC 5246 §5) and as the record MAC
// of the CBC suites (§6.2.3.2); the record check, whose message length is
// secret, uses the constant-time version in crypto/hmac_ct.h instead.
//
// The constructor hashes the one block (K0 ^ ipad) into `inner_` and
// (K0 ^ opad) into `outer_`. These two paused hashes are all an Hmac keeps of
// the key, so copying a keyed Hmac skips the key set-up: the PRF and PBKDF2,
// which compute many MACs under one key, do exactly that. The hash objects
// wipe their state when they go (sha2.h), so a keyed midstate (for the PRF:
// keyed with the pre_master_secret or the master_secret) does not outlive the
// Hmac on the stack.
#include "crypto/hmac.h"

#include <algorithm>
#include <stdexcept>

namespace tls12::crypto {

Hmac::Hmac(HashAlgorithm alg, ByteView key) : inner_(alg), outer_(alg) {
  const size_t B = block_size(alg);
  // K0 (RFC 2104 §2, step 1). Sized for the largest block (SHA-384/512).
  uint8_t pad[Sha512::block_size] = {};
  if (key.size() > B) {
    Hash hashed(alg);
    hashed.update(key);
    const Digest digest = hashed.finish_digest();  // as secret as the key: wiped as it goes
    std::copy_n(digest.data(), digest.size(), pad);
  } else {
    std::copy(key.begin(), key.end(), pad);
  }
  // K0 ^ ipad, then flip to K0 ^ opad in place (0x36 ^ 0x5c = 0x6a).
  for (size_t i = 0; i < B; ++i) pad[i] ^= 0x36;
  inner_.update({pad, B});
  for (size_t i = 0; i < B; ++i) pad[i] ^= 0x36 ^ 0x5c;
  outer_.update({pad, B});
  // The pads are the key in thin disguise: wipe them.
  secure_zero(pad, sizeof pad);
}

void Hmac::update(ByteView data) { inner_.update(data); }

Bytes Hmac::finish() {
  const Digest digest = finish_digest();
  return digest.to_bytes();
}

Digest Hmac::finish_digest() {
  const Digest inner_digest = inner_.finish_digest();
  outer_.update(inner_digest);
  return outer_.finish_digest();
}

Bytes hmac(HashAlgorithm alg, ByteView key, ByteView data) {
  Hmac mac(alg, key);
  mac.update(data);
  return mac.finish();
}

// RFC 8018 §5.2:
//   T_i = F(P, S, c, i) = U_1 ^ U_2 ^ ... ^ U_c
//   U_1 = PRF(P, S || INT(i)),  U_j = PRF(P, U_{j-1})
//   DK  = T_1 || T_2 || ... truncated to dkLen
void pbkdf2_hmac(HashAlgorithm alg, ByteView password, ByteView salt, uint32_t iterations,
                 MutableByteView out) {
  if (iterations == 0) throw std::invalid_argument("PBKDF2 iteration count must be at least 1");
  const size_t hLen = digest_size(alg);
  // Step 1: dkLen must not exceed (2^32 - 1) * hLen, since i is a 32-bit counter.
  if ((out.size() + hLen - 1) / hLen > 0xffffffffULL)
    throw std::invalid_argument("PBKDF2 derived key too long");

  const Hmac keyed(alg, password);  // copied for every U_j: the key set-up runs once
  for (uint32_t i = 1; !out.empty(); ++i) {
    const uint8_t INT_i[4] = {static_cast<uint8_t>(i >> 24), static_cast<uint8_t>(i >> 16),
                              static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    Hmac mac = keyed;
    mac.update(salt);
    mac.update(INT_i);
    Bytes U = mac.finish();
    Bytes T = U;
    for (uint32_t j = 2; j <= iterations; ++j) {
      mac = keyed;
      mac.update(U);
      Bytes next = mac.finish();
      secure_zero(U.data(), U.size());
      U = std::move(next);
      for (size_t k = 0; k < hLen; ++k) T[k] ^= U[k];
    }
    const size_t n = std::min(out.size(), hLen);
    std::copy_n(T.begin(), n, out.begin());
    out = out.subspan(n);
    secure_zero(U.data(), U.size());
    secure_zero(T.data(), T.size());
  }
}

}  // namespace tls12::crypto
