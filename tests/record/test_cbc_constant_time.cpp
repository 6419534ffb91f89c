// Checks that opening a MAC-then-encrypt CBC record (RFC 5246 §6.2.3.2,
// record/cbc_protection.cpp) never branches on, nor indexes memory with, the
// decrypted plaintext: the padding check, the constant-time MAC and the MAC
// extraction together are the Lucky 13 defence, and a branch anywhere in them
// would be a padding oracle in time.
//
// The whole fragment (IV and ciphertext) and the MAC key are marked undefined
// for valgrind, so everything decrypted from them is too; the record's size
// stays public, as it is on the wire. The library declares public on purpose
// only the verdict (sent as an alert either way) and, for an authentic record,
// its content length (delivered). Valid records, bad padding and bad MACs go
// through the same code and must all be clean. The harness is
// tests/crypto/constant_time_support.h; a canary proves it catches a branch.
#include <gtest/gtest.h>

#include <cstring>

#include "crypto/hmac.h"
#include "record/protection.h"
#include "tests/crypto/constant_time_support.h"

namespace tls12::record {
namespace {

using namespace crypto::ct_test;

TrafficKeys keys_for(crypto::HashAlgorithm mac, size_t key_size) {
  TrafficKeys k;
  k.key.assign(key_size, 0x11);
  k.mac_algorithm = mac;
  k.mac_key.assign(crypto::digest_size(mac), 0x22);
  return k;
}

// A sealed record's fragment, then changed the way an attacker would: `flip`
// XORs into the last byte of the second-to-last ciphertext block, which
// changes the decrypted padding_length byte.
Bytes sealed_fragment(const TrafficKeys& k, size_t content_length, uint8_t flip) {
  RecordProtection writer(k);
  Bytes record(kRecordHeaderSize + content_length + writer.overhead());
  record.resize(writer.seal(ContentType::application_data, record, content_length));
  Bytes fragment(record.begin() + kRecordHeaderSize, record.end());
  fragment[fragment.size() - 17] ^= flip;
  return fragment;
}

// Opens the poisoned fragment. An untouched record (flip 0) must open to its
// content length, with content derived from the ciphertext; a changed one
// must be refused with bad_record_mac, whatever its padding now says.
void open_poisoned(const TrafficKeys& k, Bytes fragment, size_t content_length, uint8_t flip) {
  RecordProtection reader(k);
  poison(fragment.data(), fragment.size());
  try {
    MutableByteView content = reader.open(ContentType::application_data, kTls12Version, fragment);
    EXPECT_EQ(flip, 0) << "a changed record was accepted";
    EXPECT_EQ(content.size(), content_length);
    if (!content.empty()) {
      EXPECT_TRUE(tainted(content)) << "the content should derive from the poisoned ciphertext";
    }
    unpoison(content);
  } catch (const TlsError& e) {
    EXPECT_NE(flip, 0) << "an untouched record was refused";
    EXPECT_EQ(e.alert(), AlertDescription::bad_record_mac);
  }
}

// ---- Run under valgrind (these skip when not under valgrind) ------------------

TEST_F(UnderValgrind, CbcOpenValidAndInvalidPaddingSha1) {
  const TrafficKeys k = keys_for(crypto::HashAlgorithm::sha1, 16);
  for (size_t len : {size_t{0}, size_t{100}, size_t{1000}})
    for (uint8_t flip : {0x00, 0x01, 0x10, 0xff}) open_poisoned(k, sealed_fragment(k, len, flip), len, flip);
}

TEST_F(UnderValgrind, CbcOpenValidAndInvalidPaddingSha256) {
  const TrafficKeys k = keys_for(crypto::HashAlgorithm::sha256, 16);
  for (size_t len : {size_t{0}, size_t{300}})
    for (uint8_t flip : {0x00, 0x03, 0x80}) open_poisoned(k, sealed_fragment(k, len, flip), len, flip);
}

TEST_F(UnderValgrind, CbcOpenValidAndInvalidPaddingSha384) {
  const TrafficKeys k = keys_for(crypto::HashAlgorithm::sha384, 32);
  for (size_t len : {size_t{0}, size_t{300}})
    for (uint8_t flip : {0x00, 0x05, 0x40}) open_poisoned(k, sealed_fragment(k, len, flip), len, flip);
}

// The MAC key is secret as well: keying and MACing must not branch on it.
TEST_F(UnderValgrind, CbcSealWithSecretMacKey) {
  TrafficKeys k = keys_for(crypto::HashAlgorithm::sha256, 16);
  poison(k.mac_key.data(), k.mac_key.size());
  poison(k.key.data(), k.key.size());
  RecordProtection writer(k);
  Bytes record(kRecordHeaderSize + 50 + writer.overhead());
  record.resize(writer.seal(ContentType::application_data, record, 50));
  const ByteView fragment = ByteView(record).subspan(kRecordHeaderSize);
  EXPECT_TRUE(tainted(fragment));
  unpoison(fragment);
}

// The negative control: it branches on a secret on purpose and asserts nothing
// itself. Its check is RunUnderValgrind.CanaryIsCaught, which requires valgrind
// to report it, so a harness that saw nothing could not pass.
TEST_F(UnderValgrind, CanaryBranchOnSecret) { branch_on_a_secret(); }

// ---- The driver ----------------------------------------------------------------

TEST_F(RunUnderValgrind, SecretsNeverReachBranchesOrAddresses) { expect_clean_under_valgrind(4); }
TEST_F(RunUnderValgrind, CanaryIsCaught) { expect_canary_caught(); }

}  // namespace
}  // namespace tls12::record
