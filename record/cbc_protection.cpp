// GenericBlockCipher (RFC 5246 §6.2.3.2) with AES-CBC and HMAC, and
// Encrypt-then-MAC (RFC 7366). The layout is in cbc_protection.h.
//
// Opening MAC-then-encrypt records in constant time
// -------------------------------------------------
// The receiver decrypts first and only then learns where the content ends:
// the last plaintext byte says how much padding there is. An attacker who
// changes ciphertext chooses that byte (CBC decryption XORs it with a byte of
// the previous block). Two leaks follow if the code is ordinary:
//
//   * a padding oracle (Vaudenay 2002): a different alert, or an earlier
//     return, for "bad padding" than for "bad MAC" tells the attacker whether
//     the guessed byte made valid padding, which decrypts a byte per 256 tries;
//   * Lucky 13 (AlFardan-Paterson 2013): even with one alert, the MAC is
//     computed over (record - MAC - padding) bytes, and one more or one less
//     SHA compression (about 1 µs) shows which padding length was seen.
//
// So open_mac_then_encrypt does the same work for every padding value:
//   1. public length checks (whole blocks, room for IV + MAC + 1) before any work;
//   2. decrypt everything;
//   3. check_padding: read padding_length p, and compare the last 256 bytes
//      (or all, if fewer) with p under a mask that selects the p+1 padding bytes;
//   4. if the padding is bad, go on as if p were 0 (RFC 5246 §6.2.3.2: "compute
//      the MAC as if there were no padding") so the work is the same;
//   5. the expected MAC over the content with a secret length, with a fixed
//      number of compression calls (crypto/hmac_ct.h);
//   6. extract_mac: copy the received MAC out of a secret position by reading
//      a fixed window and rotating with masks (no secret-indexed access);
//   7. one combined mask "padding good and MAC equal" decides: the only branch.
// Every failure is one bad_record_mac; decryption_failed is never sent
// (RFC 5246 §7.2.2 forbids it).
#include "record/cbc_protection.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "crypto/bignum.h"  // ct_mask_*, ct_declassify
#include "record/alert.h"

namespace tls12::record {

namespace {

using crypto::ct_mask_eq;
using crypto::ct_mask_lt_small;
using crypto::ct_mask_nonzero;
using crypto::ct_select;

constexpr size_t kBlock = crypto::Aes::block_size;
constexpr size_t kMaxPadding = 255;
constexpr size_t kMaxMac = 48;  // SHA-384

[[noreturn]] void bad_record_mac(const std::string& why) {
  throw TlsError(AlertDescription::bad_record_mac, why + " (bad_record_mac)");
}

// Step 3. `data` is the decrypted content || MAC || padding || padding_length;
// returns an all-ones mask when the padding is well formed and leaves room for
// `mac_length` bytes of MAC, and sets `padding_length` (secret).
uint64_t check_padding(ByteView data, size_t mac_length, uint64_t& padding_length) {
  const size_t n = data.size();  // public, >= mac_length + 1
  const uint64_t p = data[n - 1];
  // p + 1 + mac_length <= n, i.e. p < n - mac_length.
  uint64_t good = ct_mask_lt_small(p, n - mac_length);
  const size_t scan = n < kMaxPadding + 1 ? n : kMaxPadding + 1;
  for (size_t i = 1; i <= scan; ++i) {
    const uint64_t in_padding = ct_mask_lt_small(i - 1, p + 1);  // byte n-i is padding or its length
    good &= ~(in_padding & ct_mask_nonzero(data[n - i] ^ p));
  }
  padding_length = ct_select(good, p, 0);
  return good;
}

// Step 6. Copies data[mac_start .. mac_start + mac_length) into `out`, where
// mac_start is secret but known to lie in [scan_start, data.size() - mac_length].
// No address depends on mac_start:
//   a. every byte of the window is read; those outside the MAC are masked to
//      zero, and the window is folded in chunks of mac_length onto `rotated`,
//      so the MAC lands there rotated by d = (mac_start - scan_start) mod L;
//   b. d is found by subtracting L once per chunk under a mask (no division,
//      whose time can depend on its operands);
//   c. `rotated` is turned back by d in log2(L) steps: step b moves every byte
//      by 2^b positions or not at all, chosen by bit b of d with a mask.
void extract_mac(ByteView data, size_t scan_start, uint64_t mac_start, size_t mac_length, uint8_t* out) {
  uint8_t rotated[kMaxMac] = {};
  const size_t window = data.size() - scan_start;
  for (size_t chunk = 0; chunk < window; chunk += mac_length) {
    const size_t count = std::min(mac_length, window - chunk);
    for (size_t t = 0; t < count; ++t) {
      // The barrier keeps the compiler from folding mac_start into the loop's
      // induction variable; it did, and the address of data[i] became secret.
      const uint64_t i = crypto::ct_barrier(scan_start + chunk + t);
      const uint64_t in_mac = ~ct_mask_lt_small(i, mac_start) & ct_mask_lt_small(i, mac_start + mac_length);
      rotated[t] |= data[i] & static_cast<uint8_t>(in_mac);
    }
  }
  uint64_t d = mac_start - scan_start;
  for (size_t chunk = mac_length; chunk < window; chunk += mac_length)
    d -= mac_length & ~ct_mask_lt_small(d, mac_length);
  uint8_t moved[kMaxMac];
  for (size_t step = 1; step < mac_length; step <<= 1) {
    const uint8_t take = static_cast<uint8_t>(ct_mask_nonzero(d & step));
    for (size_t t = 0; t < mac_length; ++t) {
      const size_t from = t + step < mac_length ? t + step : t + step - mac_length;  // public
      moved[t] = static_cast<uint8_t>((rotated[from] & take) | (rotated[t] & ~take));
    }
    std::memcpy(rotated, moved, mac_length);
  }
  std::memcpy(out, rotated, mac_length);
  secure_zero(rotated, sizeof rotated);
  secure_zero(moved, sizeof moved);
}

uint64_t equal_mask(const uint8_t* a, const uint8_t* b, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= a[i] ^ b[i];
  return ~ct_mask_nonzero(diff);
}

}  // namespace

BlockCipherProtection::BlockCipherProtection(ByteView enc_key, crypto::HashAlgorithm mac, ByteView mac_key,
                                             bool encrypt_then_mac, crypto::AesImplementation impl)
    : aes_(enc_key, impl), mac_(mac, mac_key), encrypt_then_mac_(encrypt_then_mac) {
  if (mac_key.size() != mac_.size())
    throw std::invalid_argument("record MAC key must be " + std::to_string(mac_.size()) + " bytes");
}

size_t BlockCipherProtection::seal(ContentType type, uint64_t seq_num, MutableByteView record,
                                   size_t plaintext_length, ByteView explicit_iv) const {
  if (explicit_iv.size() != record_iv_length) throw std::invalid_argument("CBC record IV must be 16 bytes");
  uint8_t* iv = record.data() + kRecordHeaderSize;
  uint8_t* content = iv + record_iv_length;
  std::memcpy(iv, explicit_iv.data(), record_iv_length);
  uint8_t header[kMacHeaderSize];
  const size_t mac_before = encrypt_then_mac_ ? 0 : mac_length();
  // The least padding that makes whole blocks: p in 0..15, then p+1 bytes of p.
  const size_t p = kBlock - 1 - (plaintext_length + mac_before) % kBlock;
  const size_t encrypted = plaintext_length + mac_before + p + 1;
  const size_t fragment_length = record_iv_length + encrypted + (encrypt_then_mac_ ? mac_length() : 0);
  if (record.size() < kRecordHeaderSize + fragment_length)
    throw TlsError(AlertDescription::internal_error, "record buffer too small to seal into");

  uint8_t chain[kBlock];
  std::memcpy(chain, iv, kBlock);
  size_t done = 0;  // bytes already encrypted, when the MAC and AES ran stitched
  if (!encrypt_then_mac_) {
    write_mac_header(header, seq_num, type, kTls12Version, plaintext_length);
    done = mac_.compute_and_encrypt(header, content, plaintext_length, aes_, chain, content + plaintext_length);
  }
  std::memset(content + plaintext_length + mac_before, static_cast<int>(p), p + 1);
  aes_.cbc_encrypt(chain, content + done, (encrypted - done) / kBlock);
  if (encrypt_then_mac_) {
    // RFC 7366 §3: the MAC covers IV || ciphertext, with their length.
    write_mac_header(header, seq_num, type, kTls12Version, record_iv_length + encrypted);
    mac_.compute(header, ByteView(iv, record_iv_length + encrypted), content + encrypted);
  }
  write_record_header(record, type, fragment_length);
  return kRecordHeaderSize + fragment_length;
}

MutableByteView BlockCipherProtection::open(ContentType type, uint16_t version, uint64_t seq_num,
                                            MutableByteView fragment) const {
  return encrypt_then_mac_ ? open_encrypt_then_mac(type, version, seq_num, fragment)
                           : open_mac_then_encrypt(type, version, seq_num, fragment);
}

MutableByteView BlockCipherProtection::open_mac_then_encrypt(ContentType type, uint16_t version, uint64_t seq_num,
                                                             MutableByteView fragment) const {
  const size_t L = mac_length();
  // Step 1: lengths are on the wire, so these checks reveal nothing.
  const size_t min_encrypted = (L + 1 + kBlock - 1) / kBlock * kBlock;
  if (fragment.size() < record_iv_length + min_encrypted)
    bad_record_mac("CBC record of " + std::to_string(fragment.size()) + " bytes is shorter than IV + MAC + padding");
  if (fragment.size() % kBlock != 0)
    bad_record_mac("CBC record of " + std::to_string(fragment.size()) + " bytes is not whole blocks");

  // Step 2.
  uint8_t chain[kBlock];
  std::memcpy(chain, fragment.data(), kBlock);
  MutableByteView data = fragment.subspan(record_iv_length);
  aes_.cbc_decrypt(chain, data.data(), data.size() / kBlock);

  // Steps 3-4.
  const size_t n = data.size();
  uint64_t padding_length = 0;
  uint64_t good = check_padding(data, L, padding_length);
  const uint64_t content_length = n - L - 1 - padding_length;  // secret
  const size_t max_content = n - L - 1;
  const size_t min_content = max_content > kMaxPadding ? max_content - kMaxPadding : 0;

  // Step 5.
  uint8_t header[kMacHeaderSize];
  write_mac_header(header, seq_num, type, version, content_length);
  uint8_t expected[kMaxMac];
  mac_.compute(header, data.first(max_content), min_content, content_length, expected);

  // Steps 6-7.
  uint8_t received[kMaxMac];
  extract_mac(data.first(n - 1), min_content, content_length, L, received);
  good &= equal_mask(expected, received, L);
  crypto::ct_declassify(&good, sizeof good);  // the verdict is sent as an alert anyway
  if (!good) {
    secure_zero(data.data(), data.size());  // no unauthenticated plaintext stays behind
    bad_record_mac("CBC record does not authenticate");
  }
  size_t length = content_length;
  crypto::ct_declassify(&length, sizeof length);  // public once authentic: it is delivered
  if (length > kMaxPlaintextLength)
    throw TlsError(AlertDescription::record_overflow,
                   "CBC record decrypts to " + std::to_string(length) + " bytes, more than 2^14");
  return data.first(length);
}

// RFC 7366 §3: check the MAC over the ciphertext first; only an authentic
// record is decrypted, so the padding check cannot be an oracle and needs no
// masks. Its failure is still bad_record_mac (§3).
MutableByteView BlockCipherProtection::open_encrypt_then_mac(ContentType type, uint16_t version,
                                                             uint64_t seq_num, MutableByteView fragment) const {
  const size_t L = mac_length();
  if (fragment.size() < record_iv_length + kBlock + L)
    bad_record_mac("Encrypt-then-MAC record of " + std::to_string(fragment.size()) +
                   " bytes is shorter than IV + one block + MAC");
  const size_t encrypted = fragment.size() - L - record_iv_length;
  if (encrypted % kBlock != 0) bad_record_mac("Encrypt-then-MAC ciphertext is not whole blocks");

  uint8_t header[kMacHeaderSize];
  write_mac_header(header, seq_num, type, version, record_iv_length + encrypted);
  uint8_t expected[kMaxMac];
  mac_.compute(header, fragment.first(record_iv_length + encrypted), expected);
  if (!constant_time_equal(ByteView(expected, L), fragment.subspan(record_iv_length + encrypted, L)))
    bad_record_mac("Encrypt-then-MAC record does not authenticate");

  uint8_t chain[kBlock];
  std::memcpy(chain, fragment.data(), kBlock);
  MutableByteView data = fragment.subspan(record_iv_length, encrypted);
  aes_.cbc_decrypt(chain, data.data(), encrypted / kBlock);
  const size_t p = data.back();
  bool padding_ok = p + 1 <= data.size();
  for (size_t i = 1; padding_ok && i <= p + 1; ++i) padding_ok = data[data.size() - i] == p;
  if (!padding_ok) bad_record_mac("Encrypt-then-MAC record has bad padding");
  const size_t length = data.size() - p - 1;
  if (length > kMaxPlaintextLength)
    throw TlsError(AlertDescription::record_overflow,
                   "CBC record decrypts to " + std::to_string(length) + " bytes, more than 2^14");
  return data.first(length);
}

}  // namespace tls12::record
