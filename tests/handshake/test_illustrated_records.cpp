// The Illustrated TLS 1.2 connection (../shared/testvectors/illustrated-tls12,
// TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA) replayed through our record layer: from
// the key log's master secret and the hello randoms, our key schedule cuts the
// key_block; our CBC protection then opens every protected record of both
// sides (Finished, application data, the closing alert), whose content, MAC
// and padding must match the recorded plaintexts byte for byte; and sealing
// each plaintext again with the recorded IV must give the recorded record,
// byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "crypto/aes.h"
#include "handshake/key_schedule.h"
#include "record/cbc_protection.h"
#include "record/protection.h"
#include "tests/handshake/illustrated_connection.h"

namespace tls12::handshake {
namespace {

namespace ill = test::illustrated;
using record::ContentType;

struct Recorded {
  const char* record;  // caps/ file of the protected record
  const char* plain;   // caps/ file of its plaintext (content, then MAC and padding as far as recorded)
  ContentType type;
  size_t content_length;
  uint64_t seq_num;
};

// Client records (client_write keys) and server records (server_write keys),
// each direction's sequence numbers starting at 0 after ChangeCipherSpec.
const Recorded kClient[] = {{"clientfinished", "clientfinishedplain", ContentType::handshake, 16, 0},
                            {"clientdata", "clientdataplain", ContentType::application_data, 4, 1},
                            {"clientalert", "clientalertplain", ContentType::alert, 2, 2}};
const Recorded kServer[] = {{"serverfinished", "serverfinishedplain", ContentType::handshake, 16, 0},
                            {"serverdata", "serverdataplain", ContentType::application_data, 4, 1}};

Random random_of(const std::string& hello) {
  Random r;
  const Bytes b = ill::hello_random(hello);
  std::copy(b.begin(), b.end(), r.begin());
  return r;
}

const CipherSuiteInfo& suite() { return *find_cipher_suite(suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA); }

KeyBlock key_block() {
  return derive_key_block(suite(), ill::keylog_master_secret(), random_of("clienthello"), random_of("serverhello"));
}

record::TrafficKeys keys_for(bool client) {
  const KeyBlock kb = key_block();
  return client ? client_write_keys(suite(), kb) : server_write_keys(suite(), kb);
}

// Decrypts with our AES-CBC alone: the whole plaintext, MAC and padding included.
Bytes raw_plaintext(const record::TrafficKeys& keys, const Bytes& record) {
  uint8_t iv[16];
  std::memcpy(iv, record.data() + 5, 16);
  Bytes data(record.begin() + 21, record.end());
  crypto::Aes(keys.key).cbc_decrypt(iv, data.data(), data.size() / 16);
  return data;
}

void check_direction(bool client, std::span<const Recorded> records) {
  const record::TrafficKeys keys = keys_for(client);
  record::RecordProtection reader(keys);
  for (const Recorded& r : records) {
    SCOPED_TRACE(r.record);
    const Bytes wire = ill::record(r.record);
    const Bytes plain = ill::record(r.plain);
    ASSERT_EQ(wire[0], static_cast<uint8_t>(r.type));

    // 1. Open it: the MAC and padding check pass and the content is the recorded one.
    Bytes fragment(wire.begin() + 5, wire.end());
    ASSERT_EQ(reader.sequence_number(), r.seq_num);
    const MutableByteView content = reader.open(r.type, record::kTls12Version, fragment);
    EXPECT_EQ(to_hex(content), to_hex(ByteView(plain).first(r.content_length)));

    // 2. Every recorded plaintext byte (content, MAC, padding) as decrypted.
    const Bytes decrypted = raw_plaintext(keys, wire);
    ASSERT_GE(decrypted.size(), plain.size());
    EXPECT_EQ(to_hex(ByteView(decrypted).first(plain.size())), to_hex(plain));
    const uint8_t p = decrypted.back();
    EXPECT_EQ(decrypted.size(), r.content_length + 20 + p + 1u);

    // 3. Seal the content again with the recorded IV: the recorded record.
    const record::BlockCipherProtection writer(keys.key, crypto::HashAlgorithm::sha1, keys.mac_key, false);
    Bytes sealed(5 + 16 + r.content_length + writer.max_overhead());
    std::memcpy(sealed.data() + 21, plain.data(), r.content_length);
    sealed.resize(writer.seal(r.type, r.seq_num, sealed, r.content_length, ByteView(wire).subspan(5, 16)));
    EXPECT_EQ(to_hex(sealed), to_hex(wire));
  }
}

TEST(IllustratedRecords, EveryClientRecordOpensAndSealsByteForByte) { check_direction(true, kClient); }
TEST(IllustratedRecords, EveryServerRecordOpensAndSealsByteForByte) { check_direction(false, kServer); }

// The same records with one bit changed anywhere fail as bad_record_mac.
TEST(IllustratedRecords, AnyFlippedBitIsBadRecordMac) {
  const Bytes wire = ill::record("clientdata");
  for (size_t i = 5; i < wire.size(); ++i) {
    record::RecordProtection reader(keys_for(true));
    reader.set_sequence_number(1);
    Bytes fragment(wire.begin() + 5, wire.end());
    fragment[i - 5] ^= 0x04;
    try {
      reader.open(ContentType::application_data, record::kTls12Version, fragment);
      ADD_FAILURE() << "byte " << i << " flipped and still accepted";
    } catch (const record::TlsError& e) {
      EXPECT_EQ(e.alert(), record::AlertDescription::bad_record_mac) << i;
    }
  }
}

}  // namespace
}  // namespace tls12::handshake
