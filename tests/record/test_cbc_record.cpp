// GenericBlockCipher record protection (RFC 5246 §6.2.3.2) and
// Encrypt-then-MAC (RFC 7366): sealed records are taken apart with OpenSSL's
// AES-CBC and HMAC to check the layout written from the RFC text; records
// forged with OpenSSL (wrong padding, wrong MAC, wrong lengths) must each be
// refused with bad_record_mac and leave no plaintext behind.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <string>

#include "record/protection.h"
#include "record_test_support.h"

namespace tls12::record {
namespace {

using testing::alert_of;

struct Suite {
  const char* name;
  size_t key_size;
  crypto::HashAlgorithm mac;
};
const Suite kSuites[] = {{"AES128_SHA", 16, crypto::HashAlgorithm::sha1},
                         {"AES256_SHA", 32, crypto::HashAlgorithm::sha1},
                         {"AES128_SHA256", 16, crypto::HashAlgorithm::sha256},
                         {"AES256_SHA384", 32, crypto::HashAlgorithm::sha384}};

const EVP_MD* evp_md(crypto::HashAlgorithm h) {
  switch (h) {
    case crypto::HashAlgorithm::sha1: return EVP_sha1();
    case crypto::HashAlgorithm::sha256: return EVP_sha256();
    case crypto::HashAlgorithm::sha384: return EVP_sha384();
    case crypto::HashAlgorithm::sha512: return EVP_sha512();
    case crypto::HashAlgorithm::sha224: return EVP_sha224();
  }
  return nullptr;
}

TrafficKeys cbc_keys(const Suite& s, bool etm, uint8_t seed = 1) {
  TrafficKeys k;
  k.key.resize(s.key_size);
  for (auto& b : k.key) b = seed++;
  k.mac_algorithm = s.mac;
  k.mac_key.resize(crypto::digest_size(s.mac));
  for (auto& b : k.mac_key) b = seed++;
  k.encrypt_then_mac = etm;
  return k;
}

// ---- the oracle: OpenSSL primitives and the RFC's formulas -------------------

Bytes openssl_hmac(const TrafficKeys& k, uint64_t seq, uint8_t type, ByteView body, size_t length) {
  Bytes m;
  for (int i = 0; i < 8; ++i) m.push_back(static_cast<uint8_t>(seq >> (56 - 8 * i)));
  m.insert(m.end(), {type, 3, 3, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
  m.insert(m.end(), body.begin(), body.end());
  unsigned int n = 0;
  uint8_t out[EVP_MAX_MD_SIZE];
  HMAC(evp_md(*k.mac_algorithm), k.mac_key.data(), static_cast<int>(k.mac_key.size()), m.data(), m.size(), out, &n);
  return Bytes(out, out + n);
}

Bytes openssl_cbc(const TrafficKeys& k, ByteView iv, ByteView in, bool encrypt) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const EVP_CIPHER* c = k.key.size() == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
  EVP_CipherInit_ex(ctx, c, nullptr, k.key.data(), iv.data(), encrypt ? 1 : 0);
  EVP_CIPHER_CTX_set_padding(ctx, 0);
  Bytes out(in.size());
  int n = 0;
  EVP_CipherUpdate(ctx, out.data(), &n, in.data(), static_cast<int>(in.size()));
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

// A MAC-then-encrypt fragment built by hand: IV || CBC(content || mac || padding).
Bytes forge(const TrafficKeys& k, ByteView content, ByteView mac, ByteView padding) {
  const Bytes iv(16, 0x42);
  Bytes plain(content.begin(), content.end());
  plain.insert(plain.end(), mac.begin(), mac.end());
  plain.insert(plain.end(), padding.begin(), padding.end());
  Bytes fragment = iv;
  const Bytes ct = openssl_cbc(k, iv, plain, true);
  fragment.insert(fragment.end(), ct.begin(), ct.end());
  return fragment;
}

Bytes padding_of(size_t p) { return Bytes(p + 1, static_cast<uint8_t>(p)); }

Bytes seal(RecordProtection& rp, ByteView content, ContentType type = ContentType::application_data) {
  Bytes record(kRecordHeaderSize + content.size() + rp.overhead());
  // std::copy, not memcpy: an empty content may have a null data(), which
  // memcpy must never be given.
  std::copy(content.begin(), content.end(), record.begin() + static_cast<std::ptrdiff_t>(kRecordHeaderSize + rp.prefix_size()));
  record.resize(rp.seal(type, record, content.size()));
  return record;
}

class CbcRecord : public ::testing::TestWithParam<Suite> {};

// ---- sealing -------------------------------------------------------------------

TEST_P(CbcRecord, MacThenEncryptLayoutMatchesTheRfc) {
  const TrafficKeys k = cbc_keys(GetParam(), false);
  RecordProtection rp(k);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  for (size_t len : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{100}, size_t{16384}}) {
    SCOPED_TRACE(len);
    const uint64_t seq = rp.sequence_number();
    Bytes content(len);
    for (size_t i = 0; i < len; ++i) content[i] = static_cast<uint8_t>(i * 7);
    const Bytes record = seal(rp, content);
    const size_t encrypted = (len + L + 1 + 15) / 16 * 16;  // least padding
    ASSERT_EQ(record.size(), 5 + 16 + encrypted);
    EXPECT_EQ(record[0], 23);
    EXPECT_EQ((record[3] << 8) | record[4], 16 + encrypted);
    const ByteView iv = ByteView(record).subspan(5, 16);
    const Bytes plain = openssl_cbc(k, iv, ByteView(record).subspan(21), false);
    const size_t p = plain.back();
    ASSERT_EQ(plain.size(), len + L + p + 1);
    for (size_t i = 0; i <= p; ++i) EXPECT_EQ(plain[plain.size() - 1 - i], p);
    EXPECT_EQ(Bytes(plain.begin(), plain.begin() + len), content);
    EXPECT_EQ(Bytes(plain.begin() + len, plain.begin() + len + L), openssl_hmac(k, seq, 23, content, len));
  }
}

TEST_P(CbcRecord, EncryptThenMacLayoutMatchesRfc7366) {
  const TrafficKeys k = cbc_keys(GetParam(), true);
  RecordProtection rp(k);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  const Bytes content(33, 0x5a);
  const Bytes record = seal(rp, content);
  const size_t encrypted = 48;  // 33 + padding to whole blocks
  ASSERT_EQ(record.size(), 5 + 16 + encrypted + L);
  const ByteView iv_and_ct = ByteView(record).subspan(5, 16 + encrypted);
  EXPECT_EQ(Bytes(record.end() - L, record.end()), openssl_hmac(k, 0, 23, iv_and_ct, 16 + encrypted));
  const Bytes plain = openssl_cbc(k, iv_and_ct.first(16), iv_and_ct.subspan(16), false);
  EXPECT_EQ(Bytes(plain.begin(), plain.begin() + 33), content);
}

TEST_P(CbcRecord, EveryRecordHasAFreshIv) {
  RecordProtection rp(cbc_keys(GetParam(), false));
  const Bytes a = seal(rp, Bytes(10)), b = seal(rp, Bytes(10));
  EXPECT_NE(Bytes(a.begin() + 5, a.begin() + 21), Bytes(b.begin() + 5, b.begin() + 21));
}

TEST_P(CbcRecord, RoundTripsEveryLengthBothModes) {
  for (bool etm : {false, true}) {
    RecordProtection writer(cbc_keys(GetParam(), etm)), reader(cbc_keys(GetParam(), etm));
    for (size_t len = 0; len <= 600; len += 37) {
      Bytes content(len, static_cast<uint8_t>(len));
      Bytes record = seal(writer, content);
      MutableByteView fragment = MutableByteView(record).subspan(5);
      MutableByteView opened = reader.open(ContentType::application_data, 0x0303, fragment);
      ASSERT_EQ(Bytes(opened.begin(), opened.end()), content) << "etm " << etm << " len " << len;
    }
  }
}

// ---- opening: what must be accepted --------------------------------------------

TEST_P(CbcRecord, AcceptsMaximalPaddingAndEmptyContent) {
  const TrafficKeys k = cbc_keys(GetParam(), false);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  // 255 bytes of padding (RFC 5246 allows up to 255) with content sized to
  // whole blocks: content + L + 256 must be a multiple of 16.
  const size_t len = (16 - L % 16) % 16;
  const Bytes content(len, 0x61);
  Bytes fragment = forge(k, content, openssl_hmac(k, 0, 23, content, len), padding_of(255));
  RecordProtection rp(k);
  MutableByteView opened = rp.open(ContentType::application_data, 0x0303, fragment);
  EXPECT_EQ(Bytes(opened.begin(), opened.end()), content);

  const size_t p = 15 - L % 16;  // empty content, least padding
  Bytes empty = forge(k, {}, openssl_hmac(k, 1, 23, {}, 0), padding_of(p));
  EXPECT_TRUE(rp.open(ContentType::application_data, 0x0303, empty).empty());
}

// ---- opening: every failure is bad_record_mac ---------------------------------

void expect_bad_record_mac(const TrafficKeys& k, Bytes fragment, const char* why) {
  SCOPED_TRACE(why);
  RecordProtection rp(k);
  const size_t size = fragment.size();
  EXPECT_EQ(alert_of([&] { rp.open(ContentType::application_data, 0x0303, fragment); }),
            AlertDescription::bad_record_mac);
  EXPECT_EQ(rp.sequence_number(), 0u) << "a refused record does not advance the sequence number";
  if (size >= 48 && size % 16 == 0 && !k.encrypt_then_mac) {
    for (size_t i = 16; i < fragment.size(); ++i) ASSERT_EQ(fragment[i], 0) << "plaintext left at " << i;
  }
}

TEST_P(CbcRecord, EveryPaddingMacAndLengthErrorIsBadRecordMac) {
  const TrafficKeys k = cbc_keys(GetParam(), false);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  const Bytes content(20, 0x61);
  const Bytes mac = openssl_hmac(k, 0, 23, content, content.size());
  const size_t p = 15 - (content.size() + L) % 16;

  Bytes wrong_byte = padding_of(p + 16);  // two blocks of padding, one byte off
  wrong_byte[3] ^= 1;
  expect_bad_record_mac(k, forge(k, content, mac, wrong_byte), "one padding byte wrong");
  Bytes first_wrong = padding_of(p + 16);
  first_wrong[0] ^= 0x80;
  expect_bad_record_mac(k, forge(k, content, mac, first_wrong), "first padding byte wrong");
  // padding_length says more than the record holds after the MAC.
  Bytes too_long = Bytes(p + 1, 0xff);
  expect_bad_record_mac(k, forge(k, content, mac, too_long), "padding longer than the record");
  Bytes short_claim = padding_of(p);
  short_claim.back() = static_cast<uint8_t>(p + 16);  // claims a block more than there is
  expect_bad_record_mac(k, forge(k, content, mac, short_claim), "padding_length past the content");
  Bytes bad_mac = mac;
  bad_mac[L - 1] ^= 1;
  expect_bad_record_mac(k, forge(k, content, bad_mac, padding_of(p)), "MAC last byte flipped");
  expect_bad_record_mac(k, forge(k, content, openssl_hmac(k, 1, 23, content, content.size()), padding_of(p)),
                        "MAC with another sequence number");
  expect_bad_record_mac(k, forge(k, content, openssl_hmac(k, 0, 22, content, content.size()), padding_of(p)),
                        "MAC with another content type");
  // The MAC is right for a shorter content: valid-looking padding that eats
  // the last content bytes must not pass.
  const Bytes shorter(content.begin(), content.end() - 1);
  expect_bad_record_mac(k, forge(k, content, openssl_hmac(k, 0, 23, shorter, shorter.size()), padding_of(p)),
                        "MAC over a truncated content");

  expect_bad_record_mac(k, Bytes(16, 0), "IV only");
  expect_bad_record_mac(k, Bytes(16 + (L + 1 + 15) / 16 * 16 - 16, 0), "one block short of IV + MAC + padding");
  expect_bad_record_mac(k, Bytes(16 + 48 + 1, 0), "not whole blocks");
  expect_bad_record_mac(k, Bytes{}, "empty fragment");
}

TEST_P(CbcRecord, EncryptThenMacErrorsAreBadRecordMac) {
  const TrafficKeys k = cbc_keys(GetParam(), true);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  RecordProtection writer(k);
  Bytes record = seal(writer, Bytes(40, 1));
  Bytes fragment(record.begin() + 5, record.end());

  Bytes flipped_ct = fragment;
  flipped_ct[20] ^= 1;
  expect_bad_record_mac(k, flipped_ct, "ciphertext bit flipped");
  Bytes flipped_mac = fragment;
  flipped_mac.back() ^= 1;
  expect_bad_record_mac(k, flipped_mac, "MAC bit flipped");
  expect_bad_record_mac(k, Bytes(fragment.begin(), fragment.end() - 1), "one byte short");
  expect_bad_record_mac(k, Bytes(16 + L, 0), "no ciphertext block");

  // A correctly MACed record whose plaintext padding is wrong (RFC 7366 §3:
  // bad_record_mac too).
  const Bytes iv(16, 7);
  Bytes plain(32, 0x33);
  plain.back() = 3;  // says 3, but the three bytes before are 0x33
  Bytes bad = iv;
  const Bytes ct = openssl_cbc(k, iv, plain, true);
  bad.insert(bad.end(), ct.begin(), ct.end());
  const Bytes mac = openssl_hmac(k, 0, 23, bad, bad.size());
  bad.insert(bad.end(), mac.begin(), mac.end());
  expect_bad_record_mac(k, bad, "authentic record with bad padding");
}

TEST_P(CbcRecord, AuthenticContentOver16KiBIsRecordOverflow) {
  const TrafficKeys k = cbc_keys(GetParam(), false);
  const size_t L = crypto::digest_size(*k.mac_algorithm);
  const Bytes content(16385, 0x61);
  const Bytes mac = openssl_hmac(k, 0, 23, content, content.size());
  Bytes fragment = forge(k, content, mac, padding_of(15 - (content.size() + L) % 16));
  RecordProtection rp(k);
  EXPECT_EQ(alert_of([&] { rp.open(ContentType::application_data, 0x0303, fragment); }),
            AlertDescription::record_overflow);
}

INSTANTIATE_TEST_SUITE_P(Suites, CbcRecord, ::testing::ValuesIn(kSuites),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace tls12::record
