// RSASSA-PSS (RFC 8017 §8.1) with EMSA-PSS (§9.1) and MGF1 (§B.2.1): the
// probabilistic RSA signature behind TLS's rsa_pss_rsae_sha256/384/512 schemes
// (RFC 8446 §4.2.3, also usable in TLS 1.2 through signature_algorithms).
//
//   M' = 0x00 * 8 || Hash(M) || salt          H = Hash(M')
//   DB = 0x00 ... 0x00 || 0x01 || salt        EM = (DB xor MGF1(H)) || H || 0xbc
//
// The encoded message is emBits = modBits - 1 bits long, so that it is always
// below n; the unused top bits of EM are cleared.
#include <algorithm>
#include <stdexcept>

#include "crypto/random.h"
#include "crypto/rsa.h"
#include "crypto/rsa_internal.h"

namespace tls12::crypto {

Bytes mgf1(HashAlgorithm hash, ByteView seed, size_t length) {
  Bytes mask;
  mask.reserve(length + digest_size(hash));
  for (uint32_t counter = 0; mask.size() < length; ++counter) {
    Hash h(hash);
    h.update(seed);
    const uint8_t c[4] = {static_cast<uint8_t>(counter >> 24), static_cast<uint8_t>(counter >> 16),
                          static_cast<uint8_t>(counter >> 8), static_cast<uint8_t>(counter)};
    h.update(c);
    Bytes block = h.finish();
    mask.insert(mask.end(), block.begin(), block.end());
  }
  mask.resize(length);
  return mask;
}

namespace {

// H = Hash(0x00*8 || mHash || salt), step 5-6 of §9.1.1 and 12-13 of §9.1.2.
Bytes pss_hash(HashAlgorithm hash, ByteView m_hash, ByteView salt) {
  Hash h(hash);
  const uint8_t zeros[8] = {};
  h.update(zeros);
  h.update(m_hash);
  h.update(salt);
  return h.finish();
}

// The mask that clears the 8*emLen - emBits leftmost bits of EM's first byte.
uint8_t top_byte_mask(size_t em_bits) {
  const size_t unused = 8 * ((em_bits + 7) / 8) - em_bits;
  return static_cast<uint8_t>(0xff >> unused);
}

}  // namespace

Bytes rsassa_pss_sign(const RsaPrivateKey& key, HashAlgorithm hash, ByteView message) {
  const RsaPublicKey& pub = key.public_key();
  const size_t em_bits = pub.bits() - 1;
  const size_t em_len = (em_bits + 7) / 8;
  const size_t h_len = digest_size(hash), s_len = h_len;
  if (em_len < h_len + s_len + 2) throw std::invalid_argument("RSA modulus too short for RSASSA-PSS");

  const Bytes m_hash = crypto::hash(hash, message);
  Bytes salt(s_len);
  random_bytes(salt);
  const Bytes h = pss_hash(hash, m_hash, salt);

  // DB = PS || 0x01 || salt, masked with MGF1(H).
  const size_t db_len = em_len - h_len - 1;
  Bytes db(db_len, 0);
  db[db_len - s_len - 1] = 0x01;
  std::copy(salt.begin(), salt.end(), db.end() - static_cast<std::ptrdiff_t>(s_len));
  const Bytes db_mask = mgf1(hash, h, db_len);
  for (size_t i = 0; i < db_len; ++i) db[i] ^= db_mask[i];
  db[0] &= top_byte_mask(em_bits);

  // EM, left-padded to k bytes (emLen is k - 1 when modBits - 1 is a multiple of 8).
  Bytes em(pub.size() - em_len, 0);
  em.insert(em.end(), db.begin(), db.end());
  em.insert(em.end(), h.begin(), h.end());
  em.push_back(0xbc);
  SecretBytes s = rsa_private_operation(key, em);
  return Bytes(s.begin(), s.end());
}

bool rsassa_pss_verify(const RsaPublicKey& key, HashAlgorithm hash, ByteView message,
                       ByteView signature, size_t salt_length) {
  // §8.1.2 step 1-2: length check, then RSAVP1.
  if (!detail::input_in_range(key, signature)) return false;
  const Bytes m = rsa_public_operation(key, signature);
  const size_t em_bits = key.bits() - 1;
  const size_t em_len = (em_bits + 7) / 8;
  const size_t h_len = digest_size(hash);
  // I2OSP(m, emLen): a value needing more than emLen bytes is invalid.
  for (size_t i = 0; i < m.size() - em_len; ++i) {
    if (m[i] != 0) return false;
  }
  const ByteView em = ByteView(m).subspan(m.size() - em_len);

  // EMSA-PSS-VERIFY (§9.1.2).
  if (em_len < h_len + salt_length + 2) return false;              // step 3
  if (em[em_len - 1] != 0xbc) return false;                        // step 4
  const size_t db_len = em_len - h_len - 1;
  const ByteView masked_db = em.first(db_len);                     // step 5
  const ByteView h = em.subspan(db_len, h_len);
  if ((masked_db[0] & ~top_byte_mask(em_bits)) != 0) return false;  // step 6
  Bytes db = mgf1(hash, h, db_len);                                 // steps 7-8
  for (size_t i = 0; i < db_len; ++i) db[i] ^= masked_db[i];
  db[0] &= top_byte_mask(em_bits);                                  // step 9
  const size_t ps_len = db_len - salt_length - 1;                   // step 10
  for (size_t i = 0; i < ps_len; ++i) {
    if (db[i] != 0) return false;
  }
  if (db[ps_len] != 0x01) return false;
  const ByteView salt = ByteView(db).subspan(db_len - salt_length);  // step 11
  const Bytes m_hash = crypto::hash(hash, message);
  const Bytes h2 = pss_hash(hash, m_hash, salt);                     // steps 12-13
  return constant_time_equal(h, h2);                                 // step 14
}

}  // namespace tls12::crypto
