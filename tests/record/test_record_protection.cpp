// AEAD record protection (RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2): the
// nonce and additional data are checked against OpenSSL's EVP AEADs, fed with
// a nonce and additional data built here straight from the RFC text; then the
// failure rules (bad_record_mac, record_overflow, sequence-number exhaustion).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstring>
#include <limits>
#include <memory>

#include "record/protection.h"
#include "record_test_support.h"

namespace tls12::record {
namespace {

using testing::alert_of;
using testing::kAllAeads;
using testing::make_keys;

const EVP_CIPHER* evp_cipher(crypto::AeadAlgorithm alg) {
  switch (alg) {
    case crypto::AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
    case crypto::AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
    case crypto::AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
  }
  return nullptr;
}

bool is_gcm(crypto::AeadAlgorithm alg) { return alg != crypto::AeadAlgorithm::chacha20_poly1305; }

// The nonce, written out from the RFCs independently of the code under test.
Bytes rfc_nonce(const TrafficKeys& keys, uint64_t seq) {
  Bytes seq_bytes(8);
  for (int i = 0; i < 8; ++i) seq_bytes[i] = static_cast<uint8_t>(seq >> (56 - 8 * i));
  if (is_gcm(keys.algorithm)) {  // RFC 5288 §3: salt || nonce_explicit(= seq)
    Bytes nonce(keys.iv.begin(), keys.iv.end());
    nonce.insert(nonce.end(), seq_bytes.begin(), seq_bytes.end());
    return nonce;
  }
  Bytes nonce(keys.iv.begin(), keys.iv.end());  // RFC 7905 §2: IV XOR (0^32 || seq)
  for (int i = 0; i < 8; ++i) nonce[4 + i] ^= seq_bytes[i];
  return nonce;
}

// RFC 5246 §6.2.3.3 additional data.
Bytes rfc_aad(uint64_t seq, uint8_t type, size_t length) {
  Bytes aad;
  for (int i = 0; i < 8; ++i) aad.push_back(static_cast<uint8_t>(seq >> (56 - 8 * i)));
  aad.push_back(type);
  aad.push_back(0x03);
  aad.push_back(0x03);
  aad.push_back(static_cast<uint8_t>(length >> 8));
  aad.push_back(static_cast<uint8_t>(length));
  return aad;
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

// OpenSSL encrypts (or decrypts, checking the tag) with the given nonce/aad.
bool evp_aead(bool encrypt, const TrafficKeys& keys, ByteView nonce, ByteView aad, Bytes& data, Bytes& tag) {
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  const EVP_CIPHER* cipher = evp_cipher(keys.algorithm);
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr, encrypt ? 1 : 0) != 1) return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1)
    return false;
  if (EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, keys.key.data(), nonce.data(), -1) != 1) return false;
  int len = 0;
  if (EVP_CipherUpdate(ctx.get(), nullptr, &len, aad.data(), static_cast<int>(aad.size())) != 1) return false;
  Bytes out(data.size() + 16);
  if (!data.empty() && EVP_CipherUpdate(ctx.get(), out.data(), &len, data.data(), static_cast<int>(data.size())) != 1)
    return false;
  if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tag.data()) != 1) return false;
  int fin = 0;
  if (EVP_CipherFinal_ex(ctx.get(), out.data() + data.size(), &fin) != 1) return false;
  std::copy(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(data.size()), data.begin());
  if (encrypt) {
    tag.resize(16);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, tag.data()) != 1) return false;
  }
  return true;
}

Bytes pattern(size_t n, uint8_t start = 0) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(start + i * 7);
  return b;
}

// Seals `plaintext` with `protection` into a fresh record buffer.
Bytes seal_record(RecordProtection& protection, ContentType type, ByteView plaintext) {
  Bytes record(kRecordHeaderSize + plaintext.size() + protection.overhead());
  if (!plaintext.empty())
    std::memcpy(record.data() + kRecordHeaderSize + protection.prefix_size(), plaintext.data(), plaintext.size());
  EXPECT_EQ(protection.seal(type, record, plaintext.size()), record.size());
  return record;
}

class ProtectionTest : public ::testing::TestWithParam<crypto::AeadAlgorithm> {};

TEST_P(ProtectionTest, OurRecordsDecryptWithOpenSslUsingTheRfcNonceAndAad) {
  const TrafficKeys keys = make_keys(GetParam(), 0x10);
  RecordProtection protection(keys);
  protection.set_sequence_number(0x0102030405060708ull);
  for (size_t size : {size_t{0}, size_t{1}, size_t{100}, kMaxPlaintextLength}) {
    const uint64_t seq = protection.sequence_number();
    const Bytes plaintext = pattern(size, static_cast<uint8_t>(size));
    Bytes record = seal_record(protection, ContentType::application_data, plaintext);
    EXPECT_EQ(protection.sequence_number(), seq + 1);

    const size_t explicit_size = is_gcm(GetParam()) ? 8 : 0;
    ASSERT_EQ(record.size(), 5 + explicit_size + size + 16);
    EXPECT_EQ(record[0], 23);
    EXPECT_EQ(record[1], 0x03);
    EXPECT_EQ(record[2], 0x03);
    EXPECT_EQ(static_cast<size_t>(record[3] << 8 | record[4]), explicit_size + size + 16);
    const Bytes nonce = rfc_nonce(keys, seq);
    if (is_gcm(GetParam())) {  // nonce_explicit on the wire is the sequence number
      EXPECT_EQ(to_hex(ByteView(record).subspan(5, 8)), to_hex(ByteView(nonce).subspan(4, 8)));
    }

    Bytes data(record.begin() + 5 + static_cast<std::ptrdiff_t>(explicit_size), record.end() - 16);
    Bytes tag(record.end() - 16, record.end());
    ASSERT_TRUE(evp_aead(false, keys, nonce, rfc_aad(seq, 23, size), data, tag)) << "size " << size;
    EXPECT_EQ(data, plaintext);
  }
}

TEST_P(ProtectionTest, OpenSslRecordsOpenWithOurs) {
  const TrafficKeys keys = make_keys(GetParam(), 0x40);
  RecordProtection opener(keys);
  for (uint64_t seq : {uint64_t{0}, uint64_t{1}, uint64_t{0xfffffffffffffffdull}}) {
    opener.set_sequence_number(seq);
    const Bytes plaintext = pattern(333, 9);
    Bytes data = plaintext, tag;
    const Bytes nonce = rfc_nonce(keys, seq);
    ASSERT_TRUE(evp_aead(true, keys, nonce, rfc_aad(seq, 22, data.size()), data, tag));
    Bytes fragment;
    if (is_gcm(GetParam())) fragment.insert(fragment.end(), nonce.begin() + 4, nonce.end());
    fragment.insert(fragment.end(), data.begin(), data.end());
    fragment.insert(fragment.end(), tag.begin(), tag.end());
    MutableByteView opened = opener.open(ContentType::handshake, kTls12Version, fragment);
    EXPECT_EQ(Bytes(opened.begin(), opened.end()), plaintext);
    // In place: the plaintext lies inside the fragment, after the explicit nonce.
    EXPECT_EQ(opened.data(), fragment.data() + (is_gcm(GetParam()) ? 8 : 0));
    EXPECT_EQ(opener.sequence_number(), seq + 1);
  }
}

TEST_P(ProtectionTest, AnyChangedByteIsBadRecordMacAndReleasesNothing) {
  const TrafficKeys keys = make_keys(GetParam(), 0x70);
  RecordProtection sealer(keys);
  const Bytes plaintext = pattern(64, 1);
  const Bytes record = seal_record(sealer, ContentType::application_data, plaintext);
  for (size_t i = 5; i < record.size(); ++i) {
    Bytes tampered = record;
    tampered[i] ^= 0x01;
    RecordProtection opener(keys);
    MutableByteView fragment = MutableByteView(tampered).subspan(5);
    EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::application_data, kTls12Version, fragment); }),
              AlertDescription::bad_record_mac)
        << "byte " << i;
    // The plaintext area holds no decrypted bytes after the failure.
    const size_t prefix = is_gcm(GetParam()) ? 8 : 0;
    for (size_t j = 0; j < plaintext.size(); ++j) ASSERT_EQ(fragment[prefix + j], 0) << "byte " << i;
    EXPECT_EQ(opener.sequence_number(), 0u);
  }
}

TEST_P(ProtectionTest, HeaderFieldsAreAuthenticated) {
  const TrafficKeys keys = make_keys(GetParam(), 0x11);
  RecordProtection sealer(keys);
  const Bytes record = seal_record(sealer, ContentType::application_data, pattern(20));
  auto open_as = [&](ContentType type, uint16_t version, uint64_t seq) {
    Bytes copy = record;
    RecordProtection opener(keys);
    opener.set_sequence_number(seq);
    (void)opener.open(type, version, MutableByteView(copy).subspan(5));
  };
  EXPECT_NO_THROW(open_as(ContentType::application_data, kTls12Version, 0));
  EXPECT_EQ(alert_of([&] { open_as(ContentType::handshake, kTls12Version, 0); }), AlertDescription::bad_record_mac);
  EXPECT_EQ(alert_of([&] { open_as(ContentType::application_data, 0x0301, 0); }), AlertDescription::bad_record_mac);
  // A replayed or reordered record carries the wrong sequence number.
  EXPECT_EQ(alert_of([&] { open_as(ContentType::application_data, kTls12Version, 1); }),
            AlertDescription::bad_record_mac);
}

TEST_P(ProtectionTest, WrongKeyIsBadRecordMac) {
  RecordProtection sealer(make_keys(GetParam(), 1));
  Bytes record = seal_record(sealer, ContentType::alert, Bytes{1, 0});
  RecordProtection opener(make_keys(GetParam(), 2));
  EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::alert, kTls12Version, MutableByteView(record).subspan(5)); }),
            AlertDescription::bad_record_mac);
}

TEST_P(ProtectionTest, FragmentShorterThanNonceAndTagIsBadRecordMac) {
  RecordProtection opener(make_keys(GetParam(), 3));
  for (size_t n = 0; n < opener.overhead(); ++n) {
    Bytes fragment(n, 0xaa);
    EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::application_data, kTls12Version, fragment); }),
              AlertDescription::bad_record_mac)
        << n;
  }
}

TEST_P(ProtectionTest, PlaintextOver2To14IsRecordOverflow) {
  const TrafficKeys keys = make_keys(GetParam(), 5);
  RecordProtection opener(keys);
  // A correctly sealed 2^14+1-byte plaintext, made with the AEAD directly
  // because our sealing side refuses to produce one.
  const size_t size = kMaxPlaintextLength + 1;
  Bytes data = pattern(size), tag;
  const Bytes nonce = rfc_nonce(keys, 0);
  ASSERT_TRUE(evp_aead(true, keys, nonce, rfc_aad(0, 23, size), data, tag));
  Bytes fragment;
  if (is_gcm(GetParam())) fragment.insert(fragment.end(), nonce.begin() + 4, nonce.end());
  fragment.insert(fragment.end(), data.begin(), data.end());
  fragment.insert(fragment.end(), tag.begin(), tag.end());
  EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::application_data, kTls12Version, fragment); }),
            AlertDescription::record_overflow);
  Bytes huge(kMaxCiphertextLength + 1);
  EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::application_data, kTls12Version, huge); }),
            AlertDescription::record_overflow);
  RecordProtection sealer(keys);
  Bytes buffer(size + 64);
  EXPECT_EQ(alert_of([&] { sealer.seal(ContentType::application_data, buffer, size); }),
            AlertDescription::internal_error);
}

TEST_P(ProtectionTest, SequenceNumberNeverReaches2To64Minus1) {
  const TrafficKeys keys = make_keys(GetParam(), 6);
  RecordProtection sealer(keys), opener(keys);
  const uint64_t last = std::numeric_limits<uint64_t>::max() - 1;
  sealer.set_sequence_number(last);
  opener.set_sequence_number(last);
  Bytes record = seal_record(sealer, ContentType::application_data, pattern(10));
  EXPECT_NO_THROW((void)opener.open(ContentType::application_data, kTls12Version, MutableByteView(record).subspan(5)));
  EXPECT_EQ(sealer.sequence_number(), std::numeric_limits<uint64_t>::max());
  Bytes buffer(100);
  EXPECT_EQ(alert_of([&] { sealer.seal(ContentType::application_data, buffer, 10); }),
            AlertDescription::internal_error);
  Bytes fragment(50);
  EXPECT_EQ(alert_of([&] { (void)opener.open(ContentType::application_data, kTls12Version, fragment); }),
            AlertDescription::unexpected_message);
}

TEST_P(ProtectionTest, WrongKeyOrIvSizeIsRejected) {
  TrafficKeys keys = make_keys(GetParam(), 7);
  keys.iv.push_back(0);
  EXPECT_THROW(RecordProtection{keys}, std::invalid_argument);
  keys = make_keys(GetParam(), 7);
  keys.key.pop_back();
  EXPECT_THROW(RecordProtection{keys}, std::invalid_argument);
}

TEST_P(ProtectionTest, EveryImplementationSealsTheSameBytes) {
  const TrafficKeys keys = make_keys(GetParam(), 8);
  RecordProtection best(keys);
  const Bytes expected = seal_record(best, ContentType::handshake, pattern(5000));
  for (auto impl : {crypto::AeadImplementation::reference, crypto::AeadImplementation::aesni,
                    crypto::AeadImplementation::vaes, crypto::AeadImplementation::avx2}) {
    if (!crypto::aead_implementation_available(keys.algorithm, impl)) continue;
    RecordProtection other(keys, impl);
    EXPECT_EQ(to_hex(seal_record(other, ContentType::handshake, pattern(5000))), to_hex(expected))
        << other.aead()->implementation();
  }
}

INSTANTIATE_TEST_SUITE_P(AllAeads, ProtectionTest, ::testing::ValuesIn(kAllAeads),
                         [](const auto& info) {
                           std::string name(crypto::aead_name(info.param));
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(NullProtection, PassesBytesThroughAndLimitsPlaintextTo2To14) {
  RecordProtection null;
  EXPECT_TRUE(null.is_null());
  EXPECT_EQ(null.overhead(), 0u);
  Bytes record = seal_record(null, ContentType::handshake, Bytes{1, 2, 3});
  EXPECT_EQ(to_hex(record), "1603030003010203");
  Bytes ok(kMaxPlaintextLength, 1);
  EXPECT_EQ(null.open(ContentType::handshake, kTls12Version, ok).size(), kMaxPlaintextLength);
  Bytes big(kMaxPlaintextLength + 1, 1);
  EXPECT_EQ(alert_of([&] { (void)null.open(ContentType::handshake, kTls12Version, big); }),
            AlertDescription::record_overflow);
}

TEST(Protection, IvLengthsFollowTheRfcs) {
  EXPECT_EQ(fixed_iv_length(crypto::AeadAlgorithm::aes_128_gcm), 4u);
  EXPECT_EQ(fixed_iv_length(crypto::AeadAlgorithm::aes_256_gcm), 4u);
  EXPECT_EQ(fixed_iv_length(crypto::AeadAlgorithm::chacha20_poly1305), 12u);
  EXPECT_EQ(record_iv_length(crypto::AeadAlgorithm::aes_128_gcm), 8u);
  EXPECT_EQ(record_iv_length(crypto::AeadAlgorithm::chacha20_poly1305), 0u);
  EXPECT_EQ(RecordProtection(make_keys(crypto::AeadAlgorithm::aes_256_gcm, 0)).overhead(), 24u);
  EXPECT_EQ(RecordProtection(make_keys(crypto::AeadAlgorithm::chacha20_poly1305, 0)).overhead(), 16u);
}

}  // namespace
}  // namespace tls12::record

namespace tls12::record {
namespace {

// The example of docs/record.md, byte for byte.
TEST(DocumentedExample, MatchesDocsRecordMd) {
  const Bytes plaintext = Bytes(as_bytes("hello, TLS 1.2\n").begin(), as_bytes("hello, TLS 1.2\n").end());
  auto seal_example = [&](crypto::AeadAlgorithm alg) {
    TrafficKeys keys;
    keys.algorithm = alg;
    keys.key.resize(crypto::aead_key_size(alg));
    for (size_t i = 0; i < keys.key.size(); ++i) keys.key[i] = static_cast<uint8_t>(i);
    keys.iv.resize(fixed_iv_length(alg));
    for (size_t i = 0; i < keys.iv.size(); ++i) keys.iv[i] = static_cast<uint8_t>(0xa0 + i);
    RecordProtection protection(keys);
    protection.set_sequence_number(1);
    return to_hex(seal_record(protection, ContentType::application_data, plaintext));
  };
  EXPECT_EQ(seal_example(crypto::AeadAlgorithm::aes_128_gcm),
            "1703030027"
            "0000000000000001"
            "2e14709e03a85704cb3f6626f5369e"
            "44d43f2a662c56d3588990418928553a");
  EXPECT_EQ(seal_example(crypto::AeadAlgorithm::chacha20_poly1305),
            "170303001f"
            "1a10a09f805163b958c349067d9714"
            "a19adb55e1a6114dceb1d68fac61a1ea");
}

}  // namespace
}  // namespace tls12::record
