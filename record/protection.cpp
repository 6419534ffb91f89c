// AEAD record protection (RFC 5246 §6.2.3.3) with the per-record nonce of
// AES-GCM (RFC 5288 §3) and ChaCha20-Poly1305 (RFC 7905 §2), and the 64-bit
// sequence number of each connection state (RFC 5246 §6.1).
//
// A protected record on the wire (AES-GCM):
//
//   17 03 03 LL LL | nonce_explicit (8) | ciphertext (LL-24) | tag (16)
//
// and with ChaCha20-Poly1305 the same without nonce_explicit (LL-16 bytes of
// ciphertext). The plaintext length that goes into the additional data is the
// ciphertext's length, so the receiver computes it as LL - overhead before
// checking the tag.
#include "record/protection.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "crypto/random.h"
#include <stdexcept>

namespace tls12::record {

namespace {

constexpr size_t kAdditionalDataSize = kMacHeaderSize;  // seq_num(8) type(1) version(2) length(2)
constexpr size_t kGcmSaltSize = 4;
constexpr size_t kGcmExplicitNonceSize = 8;
constexpr size_t kChaChaIvSize = 12;

// A sequence number is used only while it is below this value: the next one
// would be 2^64-1, and the one after that would wrap (RFC 5246 §6.1).
constexpr uint64_t kLastUsableSequenceNumber = std::numeric_limits<uint64_t>::max() - 1;

void put_u64(uint8_t* out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

bool is_gcm(crypto::AeadAlgorithm alg) { return alg != crypto::AeadAlgorithm::chacha20_poly1305; }

}  // namespace

size_t fixed_iv_length(crypto::AeadAlgorithm alg) { return is_gcm(alg) ? kGcmSaltSize : kChaChaIvSize; }

size_t record_iv_length(crypto::AeadAlgorithm alg) { return is_gcm(alg) ? kGcmExplicitNonceSize : 0; }

std::string protection_name(const TrafficKeys& keys) {
  if (!keys.mac_algorithm) return std::string(crypto::aead_name(keys.algorithm));
  std::string hmac(crypto::hash_name(*keys.mac_algorithm));  // "SHA-1" -> "HMAC-SHA1"
  hmac.erase(std::remove(hmac.begin(), hmac.end(), '-'), hmac.end());
  return "AES-" + std::to_string(keys.key.size() * 8) + "-CBC with HMAC-" + hmac +
         (keys.encrypt_then_mac ? ", encrypt-then-MAC" : ", MAC-then-encrypt");
}

RecordProtection::RecordProtection(const TrafficKeys& keys, crypto::AeadImplementation impl)
    : algorithm_(keys.algorithm), explicit_nonce_size_(record_iv_length(keys.algorithm)) {
  if (keys.mac_algorithm) {
    // The AES implementation follows the AEAD choice (reference stays reference).
    const auto aes_impl = impl == crypto::AeadImplementation::reference ? crypto::AesImplementation::reference
                                                                        : crypto::AesImplementation::best;
    cbc_ = std::make_unique<BlockCipherProtection>(keys.key, *keys.mac_algorithm, keys.mac_key,
                                                   keys.encrypt_then_mac, aes_impl);
    explicit_nonce_size_ = BlockCipherProtection::record_iv_length;
    return;
  }
  if (keys.iv.size() != fixed_iv_length(keys.algorithm))
    throw std::invalid_argument(std::string(crypto::aead_name(keys.algorithm)) + " record protection needs a " +
                                std::to_string(fixed_iv_length(keys.algorithm)) + "-byte write IV, got " +
                                std::to_string(keys.iv.size()));
  aead_ = crypto::make_aead(keys.algorithm, keys.key, impl);  // checks the key size
  std::memcpy(iv_, keys.iv.data(), keys.iv.size());
}

RecordProtection::~RecordProtection() { secure_zero(iv_, sizeof iv_); }

// The 12-byte nonce for sequence number seq (AES-GCM's is only the sealing
// side's: the opening side takes nonce_explicit from the record).
void RecordProtection::next_nonce(uint8_t nonce[crypto::Aead::nonce_size]) const {
  if (is_gcm(algorithm_)) {
    // RFC 5288 §3: salt || nonce_explicit, and our nonce_explicit is seq_num.
    std::memcpy(nonce, iv_, kGcmSaltSize);
    put_u64(nonce + kGcmSaltSize, sequence_number_);
  } else {
    // RFC 7905 §2: the 64-bit seq_num, left-padded with zeros to 12 bytes,
    // XORed with client/server_write_IV.
    uint8_t padded[kChaChaIvSize] = {};
    put_u64(padded + 4, sequence_number_);
    for (size_t i = 0; i < kChaChaIvSize; ++i) nonce[i] = iv_[i] ^ padded[i];
  }
}

// RFC 5246 §6.2.3.3: additional_data = seq_num + TLSCompressed.type +
// TLSCompressed.version + TLSCompressed.length (the plaintext's length).
void RecordProtection::fill_additional_data(uint8_t aad[kAdditionalDataSize], ContentType type,
                                            uint16_t version, size_t plaintext_length) const {
  write_mac_header(aad, sequence_number_, type, version, plaintext_length);
}

size_t RecordProtection::seal(ContentType type, MutableByteView record, size_t plaintext_length) {
  if (plaintext_length > kMaxPlaintextLength)
    throw TlsError(AlertDescription::internal_error, "asked to seal a fragment longer than 2^14 bytes");
  const size_t fragment_length = plaintext_length + overhead();
  if (record.size() < kRecordHeaderSize + fragment_length)
    throw TlsError(AlertDescription::internal_error, "record buffer too small to seal into");
  if (sequence_number_ > kLastUsableSequenceNumber)
    throw TlsError(AlertDescription::internal_error,
                   "write sequence number exhausted; the connection must close (no renegotiation)");

  if (cbc_) {
    uint8_t iv[BlockCipherProtection::record_iv_length];
    crypto::random_bytes(iv);  // fresh and unpredictable per record (§6.2.3.2)
    const size_t size = cbc_->seal(type, sequence_number_, record, plaintext_length, iv);
    ++sequence_number_;
    return size;
  }
  write_record_header(record, type, fragment_length);
  if (!is_null()) {
    uint8_t nonce[crypto::Aead::nonce_size];
    next_nonce(nonce);
    std::memcpy(record.data() + kRecordHeaderSize, nonce + kGcmSaltSize, explicit_nonce_size_);
    uint8_t aad[kAdditionalDataSize];
    fill_additional_data(aad, type, kTls12Version, plaintext_length);
    uint8_t* plaintext = record.data() + kRecordHeaderSize + explicit_nonce_size_;
    aead_->seal(crypto::Aead::Nonce(nonce, crypto::Aead::nonce_size), ByteView(aad, kAdditionalDataSize),
                MutableByteView(plaintext, plaintext_length),
                std::span<uint8_t, crypto::Aead::tag_size>(plaintext + plaintext_length, crypto::Aead::tag_size));
  }
  ++sequence_number_;
  return kRecordHeaderSize + fragment_length;
}

MutableByteView RecordProtection::open(ContentType type, uint16_t version, MutableByteView fragment) {
  if (sequence_number_ > kLastUsableSequenceNumber)
    throw TlsError(AlertDescription::unexpected_message,
                   "read sequence number exhausted: the peer kept sending past 2^64-2 records");
  if (fragment.size() > kMaxCiphertextLength)
    throw TlsError(AlertDescription::record_overflow,
                   "record of " + std::to_string(fragment.size()) + " bytes exceeds 2^14+2048");
  if (is_null()) {
    if (fragment.size() > kMaxPlaintextLength)
      throw TlsError(AlertDescription::record_overflow,
                     "unprotected record of " + std::to_string(fragment.size()) + " bytes exceeds 2^14");
    ++sequence_number_;
    return fragment;
  }

  if (cbc_) {
    MutableByteView plaintext = cbc_->open(type, version, sequence_number_, fragment);
    ++sequence_number_;
    return plaintext;
  }
  // Lengths are public (they are on the wire), so checking them before the tag
  // tells an attacker nothing.
  if (fragment.size() < overhead())
    throw TlsError(AlertDescription::bad_record_mac,
                   "protected record of " + std::to_string(fragment.size()) + " bytes is too short for nonce and tag");
  const size_t plaintext_length = fragment.size() - overhead();
  if (plaintext_length > kMaxPlaintextLength)
    throw TlsError(AlertDescription::record_overflow,
                   "protected record would decrypt to " + std::to_string(plaintext_length) +
                       " bytes, more than 2^14");

  uint8_t nonce[crypto::Aead::nonce_size];
  if (is_gcm(algorithm_)) {
    // The receiver does not assume the sender used seq_num as nonce_explicit:
    // RFC 5288 lets it choose, so take the 8 bytes from the record.
    std::memcpy(nonce, iv_, kGcmSaltSize);
    std::memcpy(nonce + kGcmSaltSize, fragment.data(), kGcmExplicitNonceSize);
  } else {
    next_nonce(nonce);
  }
  uint8_t aad[kAdditionalDataSize];
  fill_additional_data(aad, type, version, plaintext_length);
  MutableByteView plaintext = fragment.subspan(explicit_nonce_size_, plaintext_length);
  const uint8_t* tag = plaintext.data() + plaintext_length;
  const bool ok = aead_->open(crypto::Aead::Nonce(nonce, crypto::Aead::nonce_size), ByteView(aad, kAdditionalDataSize),
                              plaintext, std::span<const uint8_t, crypto::Aead::tag_size>(tag, crypto::Aead::tag_size));
  if (!ok) {
    // The AEAD has already wiped `plaintext`; nothing unauthenticated escapes.
    throw TlsError(AlertDescription::bad_record_mac, "record does not authenticate (bad_record_mac)");
  }
  ++sequence_number_;
  return plaintext;
}

}  // namespace tls12::record
