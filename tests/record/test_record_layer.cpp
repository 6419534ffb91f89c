// The record layer as a whole (RFC 5246 §6.2, §7.1, §7.2): round trips of every
// content type under null protection and every AEAD, size boundaries, any
// chunking of the input, and one negative test per framing and content rule.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <vector>

#include "record/codec.h"
#include "record/record_layer.h"
#include "record_test_support.h"

namespace tls12::record {
namespace {

using testing::alert_of;
using testing::kAllAeads;
using testing::make_keys;

Bytes pattern(size_t n, uint8_t start = 0) {
  Bytes b(n);
  for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(start + i * 13);
  return b;
}

// A handshake message of `body_size` bytes with type `type`.
Bytes handshake_message(uint8_t type, size_t body_size) {
  Bytes m{type, static_cast<uint8_t>(body_size >> 16), static_cast<uint8_t>(body_size >> 8),
          static_cast<uint8_t>(body_size)};
  Bytes body = pattern(body_size, type);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

struct Received {
  ContentType type;
  Bytes data;
};

// Drains every item the layer can produce now.
std::vector<Received> drain(RecordLayer& layer) {
  std::vector<Received> out;
  while (auto item = layer.next()) out.push_back({item->type, Bytes(item->data.begin(), item->data.end())});
  return out;
}

// A sender and a receiver with the same protection (nullopt: null protection)
// and application data enabled.
struct Pair {
  RecordLayer sender;
  RecordLayer receiver;
  explicit Pair(std::optional<crypto::AeadAlgorithm> alg) {
    if (alg) {
      sender.install_write_protection(make_keys(*alg, 0x21));
      receiver.install_read_protection(make_keys(*alg, 0x21));
    }
    sender.enable_application_data();
    receiver.enable_application_data();
  }
};

// All the records in a byte stream, as (type, fragment length).
std::vector<std::pair<uint8_t, size_t>> frames(ByteView wire) {
  std::vector<std::pair<uint8_t, size_t>> out;
  size_t pos = 0;
  while (pos + 5 <= wire.size()) {
    size_t len = static_cast<size_t>(wire[pos + 3] << 8 | wire[pos + 4]);
    out.push_back({wire[pos], len});
    pos += 5 + len;
  }
  EXPECT_EQ(pos, wire.size());
  return out;
}

class RoundTrip : public ::testing::TestWithParam<std::optional<crypto::AeadAlgorithm>> {
 protected:
  size_t overhead() const {
    if (!GetParam()) return 0;
    return *GetParam() == crypto::AeadAlgorithm::chacha20_poly1305 ? 16 : 24;
  }
};

TEST_P(RoundTrip, ApplicationDataAtTheBoundaries) {
  for (size_t size : {size_t{0}, size_t{1}, kMaxPlaintextLength - 1, kMaxPlaintextLength,
                      kMaxPlaintextLength + 1, size_t{3} * kMaxPlaintextLength + 5}) {
    Pair p(GetParam());
    const Bytes data = pattern(size, 3);
    p.sender.write(ContentType::application_data, data);
    const Bytes wire(p.sender.output().begin(), p.sender.output().end());
    const size_t records = (size + kMaxPlaintextLength - 1) / kMaxPlaintextLength;
    EXPECT_EQ(wire.size(), size + records * (5 + overhead())) << size;
    for (auto [type, len] : frames(wire)) {
      EXPECT_EQ(type, 23);
      EXPECT_LE(len, kMaxPlaintextLength + overhead());
    }
    p.receiver.feed(wire);
    Bytes joined;
    for (const auto& r : drain(p.receiver)) {
      EXPECT_EQ(r.type, ContentType::application_data);
      joined.insert(joined.end(), r.data.begin(), r.data.end());
    }
    EXPECT_EQ(joined, data) << size;
    EXPECT_EQ(p.receiver.read_protection().sequence_number(), records);
  }
}

TEST_P(RoundTrip, HandshakeMessagesOfEverySizeIncludingOverOneRecord) {
  for (size_t body : {size_t{0}, size_t{1}, kMaxPlaintextLength - 5, kMaxPlaintextLength - 4,
                      kMaxPlaintextLength, size_t{40000}}) {
    Pair p(GetParam());
    const Bytes message = handshake_message(11, body);
    p.sender.write(ContentType::handshake, message);
    p.receiver.feed(p.sender.output());
    auto got = drain(p.receiver);
    ASSERT_EQ(got.size(), 1u) << body;
    EXPECT_EQ(got[0].type, ContentType::handshake);
    EXPECT_EQ(got[0].data, message);
  }
}

TEST_P(RoundTrip, SeveralHandshakeMessagesInOneRecordComeOutOneByOne) {
  Pair p(GetParam());
  Bytes flight;
  for (uint8_t t : {2, 11, 12, 14}) {
    Bytes m = handshake_message(t, t == 14 ? 0 : 50u * t);
    flight.insert(flight.end(), m.begin(), m.end());
  }
  p.sender.write(ContentType::handshake, flight);
  EXPECT_EQ(frames(p.sender.output()).size(), 1u);
  p.receiver.feed(p.sender.output());
  auto got = drain(p.receiver);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].data, handshake_message(2, 100));
  EXPECT_EQ(got[1].data, handshake_message(11, 550));
  EXPECT_EQ(got[2].data, handshake_message(12, 600));
  EXPECT_EQ(got[3].data, handshake_message(14, 0));
}

TEST_P(RoundTrip, AlertAndChangeCipherSpec) {
  Pair p(GetParam());
  p.sender.write_alert({AlertLevel::warning, AlertDescription::close_notify});
  p.sender.write_alert({AlertLevel::fatal, AlertDescription::bad_record_mac});
  p.sender.write_change_cipher_spec();
  p.receiver.feed(p.sender.output());
  auto a = p.receiver.next();
  ASSERT_TRUE(a && a->alert);
  EXPECT_EQ(a->type, ContentType::alert);
  EXPECT_EQ(a->alert->level, AlertLevel::warning);
  EXPECT_EQ(a->alert->description, AlertDescription::close_notify);
  auto b = p.receiver.next();
  ASSERT_TRUE(b && b->alert);
  EXPECT_EQ(alert_to_string(*b->alert), "fatal bad_record_mac");
  auto c = p.receiver.next();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, ContentType::change_cipher_spec);
  EXPECT_EQ(to_hex(c->data), "01");
  EXPECT_FALSE(p.receiver.next());
}

TEST_P(RoundTrip, ByteAtATimeAndAllAtOnceGiveTheSameItems) {
  Pair p(GetParam());
  p.sender.write(ContentType::handshake, handshake_message(1, 300));
  p.sender.write(ContentType::handshake, handshake_message(11, 20000));
  p.sender.write_change_cipher_spec();
  for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, kMaxPlaintextLength})
    p.sender.write(ContentType::application_data, pattern(size, 5));
  p.sender.write_alert({AlertLevel::warning, AlertDescription::close_notify});
  const Bytes wire = p.sender.take_output();
  EXPECT_TRUE(p.sender.output().empty());

  // Reference: one feed.
  RecordLayer all;
  RecordLayer one;
  for (RecordLayer* l : {&all, &one}) {
    if (GetParam()) l->install_read_protection(make_keys(*GetParam(), 0x21));
    l->enable_application_data();
  }
  all.feed(wire);
  const auto expected = drain(all);
  ASSERT_EQ(expected.size(), 7u);  // the empty application data writes no record

  std::vector<Received> got;
  for (uint8_t byte : wire) {
    one.feed(ByteView(&byte, 1));
    for (auto& r : drain(one)) got.push_back(std::move(r));
  }
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].type, expected[i].type) << i;
    EXPECT_EQ(got[i].data, expected[i].data) << i;
  }
}

TEST_P(RoundTrip, ManyRecordsInOneRead) {
  Pair p(GetParam());
  Bytes sent;
  for (size_t i = 0; i < 200; ++i) {
    Bytes d = pattern(1 + i * 37 % 3000, static_cast<uint8_t>(i));
    p.sender.write(ContentType::application_data, d);
    sent.insert(sent.end(), d.begin(), d.end());
  }
  p.receiver.feed(p.sender.output());
  p.sender.consume_output(p.sender.output().size());
  Bytes joined;
  size_t count = 0;
  for (const auto& r : drain(p.receiver)) {
    joined.insert(joined.end(), r.data.begin(), r.data.end());
    ++count;
  }
  EXPECT_EQ(count, 200u);
  EXPECT_EQ(joined, sent);
}

TEST_P(RoundTrip, ReadingFromTheInputSpaceOpensInPlace) {
  Pair p(GetParam());
  p.sender.write(ContentType::application_data, pattern(1000));
  const ByteView wire = p.sender.output();
  MutableByteView space = p.receiver.input_space(wire.size());
  std::memcpy(space.data(), wire.data(), wire.size());
  p.receiver.commit_input(wire.size());
  auto item = p.receiver.next();
  ASSERT_TRUE(item);
  EXPECT_EQ(Bytes(item->data.begin(), item->data.end()), pattern(1000));
  const size_t prefix = GetParam() && *GetParam() != crypto::AeadAlgorithm::chacha20_poly1305 ? 8 : 0;
  EXPECT_EQ(item->data.data(), space.data() + 5 + prefix);
}

TEST_P(RoundTrip, SmallerMaxFragmentSplitsMore) {
  Pair p(GetParam());
  p.sender.set_max_fragment(512);
  p.sender.write(ContentType::handshake, handshake_message(11, 2000));
  EXPECT_EQ(frames(p.sender.output()).size(), 4u);  // 2004 bytes in 512-byte pieces
  p.receiver.feed(p.sender.output());
  auto got = drain(p.receiver);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].data, handshake_message(11, 2000));
  EXPECT_THROW(p.sender.set_max_fragment(0), std::invalid_argument);
  EXPECT_THROW(p.sender.set_max_fragment(kMaxPlaintextLength + 1), std::invalid_argument);
}

TEST_P(RoundTrip, EmptyHandshakeAlertOrChangeCipherSpecRecordsAreRejected) {
  for (ContentType type : {ContentType::handshake, ContentType::alert, ContentType::change_cipher_spec}) {
    // Our writer refuses to make one...
    Pair p(GetParam());
    EXPECT_EQ(alert_of([&] { p.sender.write(type, {}); }), AlertDescription::internal_error);
    // ...and a peer's is unexpected_message, also when it is encrypted.
    RecordProtection sealer = GetParam() ? RecordProtection(make_keys(*GetParam(), 0x21)) : RecordProtection();
    Bytes record(5 + sealer.overhead());
    sealer.seal(type, record, 0);
    p.receiver.feed(record);
    EXPECT_EQ(alert_of([&] { p.receiver.next(); }), AlertDescription::unexpected_message)
        << content_type_name(type);
  }
}

TEST_P(RoundTrip, ApplicationDataBeforeTheHandshakeCompletesIsUnexpected) {
  RecordLayer sender, receiver;
  if (GetParam()) {
    sender.install_write_protection(make_keys(*GetParam(), 1));
    receiver.install_read_protection(make_keys(*GetParam(), 1));
  }
  EXPECT_EQ(alert_of([&] { sender.write(ContentType::application_data, pattern(10)); }),
            AlertDescription::internal_error);
  sender.enable_application_data();
  sender.write(ContentType::application_data, pattern(10));
  receiver.feed(sender.output());
  EXPECT_EQ(alert_of([&] { receiver.next(); }), AlertDescription::unexpected_message);
}

INSTANTIATE_TEST_SUITE_P(Protections, RoundTrip,
                         ::testing::Values(std::nullopt, kAllAeads[0], kAllAeads[1], kAllAeads[2]),
                         [](const auto& info) {
                           if (!info.param) return std::string("null");
                           std::string name(crypto::aead_name(*info.param));
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

// ---- Framing rules (RecordReader, through the layer) ----

AlertDescription alert_after_feeding(const Bytes& wire, RecordLayerOptions options = {}) {
  RecordLayer layer(options);
  layer.feed(wire);
  return alert_of([&] {
    while (layer.next()) {
    }
  });
}

TEST(Framing, UnknownContentTypeIsUnexpectedMessageOnItsFirstByte) {
  for (uint8_t type : {0, 19, 24, 0x80, 0x47}) {  // 0x80: SSLv2 hello; 0x47: "G" of HTTP GET
    RecordLayer layer;
    layer.feed(Bytes{type});  // one byte is enough to know
    EXPECT_EQ(alert_of([&] { layer.next(); }), AlertDescription::unexpected_message) << int(type);
  }
}

TEST(Framing, OtherVersionsAreProtocolVersion) {
  for (uint16_t version : {0x0300, 0x0301, 0x0302, 0x0304, 0x0203, 0xfeff}) {
    RecordLayer layer;
    layer.feed(Bytes{22, static_cast<uint8_t>(version >> 8), static_cast<uint8_t>(version)});
    EXPECT_EQ(alert_of([&] { layer.next(); }), AlertDescription::protocol_version) << version;
  }
}

Bytes make_record(uint8_t type, uint16_t version, ByteView body) {
  Writer w;
  w.u8(type);
  w.u16(version);
  w.vector16(body);
  return w.take();
}

TEST(Framing, OlderVersionsOnlyOnTheClientHelloRecordsWhenAllowed) {
  const Bytes hello = handshake_message(1, 10);
  RecordLayerOptions server;
  server.accept_legacy_first_record_version = true;
  // RFC 5246 Appendix E.1: any {03,xx} on the ClientHello; 0x0301 is what clients send.
  for (uint16_t version : {0x0300, 0x0301, 0x0302, 0x0303, 0x03ff}) {
    RecordLayer layer(server);
    layer.feed(make_record(22, version, hello));
    auto item = layer.next();
    ASSERT_TRUE(item) << version;
    EXPECT_EQ(Bytes(item->data.begin(), item->data.end()), hello);
    layer.feed(make_record(22, 0x0301, hello));  // the next message's record must say 0x0303
    EXPECT_EQ(alert_of([&] { layer.next(); }), AlertDescription::protocol_version) << version;
  }
  // A ClientHello over two records: both may carry 0x0301.
  {
    RecordLayer layer(server);
    const Bytes big = handshake_message(1, 20000);
    for (ByteView piece : split_into_fragments(big, kMaxPlaintextLength)) layer.feed(make_record(22, 0x0301, piece));
    auto item = layer.next();
    ASSERT_TRUE(item);
    EXPECT_EQ(Bytes(item->data.begin(), item->data.end()), big);
  }
  // Not a {03,xx} version.
  EXPECT_EQ(alert_after_feeding(make_record(22, 0x0203, hello), server), AlertDescription::protocol_version);
  // Not allowed by default (a client reading the ServerHello).
  EXPECT_EQ(alert_after_feeding(make_record(22, 0x0301, hello)), AlertDescription::protocol_version);
  // Before the ClientHello, a client knows no better version for any record:
  // an alert with 0x0301 is read (the content rules judge it).
  {
    RecordLayer layer(server);
    layer.feed(make_record(21, 0x0301, Bytes{1, 0}));
    auto item = layer.next();
    ASSERT_TRUE(item && item->alert);
    EXPECT_EQ(item->alert->description, AlertDescription::close_notify);
  }
  // After the ClientHello, no record may.
  {
    RecordLayer layer(server);
    layer.feed(make_record(22, 0x0301, hello));
    ASSERT_TRUE(layer.next());
    layer.feed(make_record(21, 0x0301, Bytes{1, 0}));
    EXPECT_EQ(alert_of([&] { layer.next(); }), AlertDescription::protocol_version);
  }
}

TEST(Framing, RecordLongerThan2To14Plus2048IsOverflowFromTheHeaderAlone) {
  const size_t len = kMaxCiphertextLength + 1;
  EXPECT_EQ(alert_after_feeding(Bytes{23, 3, 3, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)}),
            AlertDescription::record_overflow);
  EXPECT_EQ(alert_after_feeding(Bytes{23, 3, 3, 0xff, 0xff}), AlertDescription::record_overflow);
}

TEST(Framing, UnprotectedRecordLongerThan2To14IsOverflow) {
  Bytes wire{22, 3, 3, 0x40, 0x01};  // 2^14 + 1: fine as ciphertext, not as plaintext
  wire.resize(5 + kMaxPlaintextLength + 1, 0);
  EXPECT_EQ(alert_after_feeding(wire), AlertDescription::record_overflow);
}

TEST(Framing, PartialRecordWaitsForMoreBytes) {
  RecordLayer layer;
  layer.feed(Bytes{22, 3, 3, 0, 4, 1, 0});
  EXPECT_FALSE(layer.next());
  layer.feed(Bytes{0, 1});
  EXPECT_FALSE(layer.next());  // record complete but the message needs 1 more byte
  layer.feed(Bytes{22, 3, 3, 0, 1, 9});
  auto item = layer.next();
  ASSERT_TRUE(item);
  EXPECT_EQ(to_hex(item->data), "0100000109");
}

// ---- Content rules ----

TEST(ChangeCipherSpec, MustBeExactlyTheByteOne) {
  EXPECT_EQ(alert_after_feeding(Bytes{20, 3, 3, 0, 1, 2}), AlertDescription::decode_error);
  EXPECT_EQ(alert_after_feeding(Bytes{20, 3, 3, 0, 1, 0}), AlertDescription::decode_error);
  EXPECT_EQ(alert_after_feeding(Bytes{20, 3, 3, 0, 2, 2, 1}), AlertDescription::decode_error);
  // A ChangeCipherSpec and then more: the rest is unexpected (tlsfuzzer test-ccs).
  EXPECT_EQ(alert_after_feeding(Bytes{20, 3, 3, 0, 2, 1, 1}), AlertDescription::unexpected_message);
  EXPECT_EQ(alert_after_feeding(Bytes{20, 3, 3, 0, 2, 1, 0}), AlertDescription::unexpected_message);
  RecordLayer layer;
  layer.feed(Bytes{20, 3, 3, 0, 1, 1});
  auto item = layer.next();
  ASSERT_TRUE(item);
  EXPECT_EQ(item->type, ContentType::change_cipher_spec);
}

TEST(ChangeCipherSpec, InTheMiddleOfAHandshakeMessageIsUnexpected) {
  // Half of a 10-byte Finished, then ChangeCipherSpec.
  EXPECT_EQ(alert_after_feeding(Bytes{22, 3, 3, 0, 5, 20, 0, 0, 10, 1, 20, 3, 3, 0, 1, 1}),
            AlertDescription::unexpected_message);
}

TEST(ChangeCipherSpec, KeysCannotChangeInTheMiddleOfAHandshakeMessage) {
  RecordLayer layer;
  layer.feed(Bytes{22, 3, 3, 0, 5, 20, 0, 0, 10, 1});
  EXPECT_FALSE(layer.next());
  EXPECT_EQ(alert_of([&] { layer.install_read_protection(make_keys(kAllAeads[0], 1)); }),
            AlertDescription::unexpected_message);
}

TEST(Alerts, MustBeTwoBytesWithAKnownLevel) {
  EXPECT_EQ(alert_after_feeding(Bytes{21, 3, 3, 0, 1, 2}), AlertDescription::decode_error);
  EXPECT_EQ(alert_after_feeding(Bytes{21, 3, 3, 0, 3, 2, 20, 0}), AlertDescription::decode_error);
  EXPECT_EQ(alert_after_feeding(Bytes{21, 3, 3, 0, 2, 3, 20}), AlertDescription::decode_error);
  EXPECT_EQ(alert_after_feeding(Bytes{21, 3, 3, 0, 2, 0, 20}), AlertDescription::decode_error);
}

// §6.2.1: "handshake messages MUST NOT be interleaved with other record types".
TEST(Alerts, BetweenTheFragmentsOfAHandshakeMessageAreUnexpected) {
  const Bytes half{22, 3, 3, 0, 3, 11, 0, 0};
  Bytes wire = half;
  for (uint8_t b : {21, 3, 3, 0, 2, 1, 0}) wire.push_back(b);
  EXPECT_EQ(alert_after_feeding(wire), AlertDescription::unexpected_message);
  // The same alert after a whole message is fine.
  RecordLayer layer;
  layer.feed(Bytes{22, 3, 3, 0, 6, 11, 0, 0, 2, 0xaa, 0xbb, 21, 3, 3, 0, 2, 1, 0});
  auto m = layer.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(to_hex(m->data), "0b000002aabb");
  auto a = layer.next();
  ASSERT_TRUE(a && a->alert);
  EXPECT_EQ(a->alert->description, AlertDescription::close_notify);
}

TEST(Alerts, ApplicationDataBetweenTheFragmentsOfAHandshakeMessageIsUnexpected) {
  RecordLayer layer;
  layer.enable_application_data();  // e.g. a renegotiation ClientHello after the handshake
  layer.feed(Bytes{22, 3, 3, 0, 3, 1, 0, 0, 23, 3, 3, 0, 1, 'x'});
  EXPECT_EQ(alert_of([&] { while (layer.next()) {} }), AlertDescription::unexpected_message);
}

// The caps of record_layer.h: `cap` records like `repeated` in a row are read,
// a record with content (`reset`) starts the count again, one more is
// unexpected_message.
void expect_cap(const Bytes& repeated, int cap, const Bytes& reset) {
  RecordLayer layer;
  layer.enable_application_data();
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < cap; ++i) {
      layer.feed(repeated);
      ASSERT_TRUE(layer.next()) << round << " " << i;
    }
    if (round == 0) {
      layer.feed(reset);
      ASSERT_TRUE(layer.next());
    }
  }
  layer.feed(repeated);
  EXPECT_EQ(alert_of([&] { layer.next(); }), AlertDescription::unexpected_message);
}

// OpenSSL's "SSL death alert" limit.
TEST(Alerts, MoreThanFourWarningAlertsInARowAreUnexpected) {
  const Bytes warning{21, 3, 3, 0, 2, 1, 112};  // unrecognized_name, warning
  expect_cap(warning, kMaxConsecutiveWarningAlerts, Bytes{22, 3, 3, 0, 4, 0, 0, 0, 0});
}

TEST(Alerts, MoreThan32EmptyApplicationDataRecordsInARowAreUnexpected) {
  expect_cap(Bytes{23, 3, 3, 0, 0}, kMaxConsecutiveEmptyRecords, Bytes{23, 3, 3, 0, 1, 'x'});
}

TEST(Alerts, EncodeDecodeAndNames) {
  const Alert alert{AlertLevel::fatal, AlertDescription::record_overflow};
  const auto bytes = encode_alert(alert);
  EXPECT_EQ(bytes[0], 2);
  EXPECT_EQ(bytes[1], 22);
  const Alert back = decode_alert(bytes);
  EXPECT_EQ(back.level, AlertLevel::fatal);
  EXPECT_EQ(back.description, AlertDescription::record_overflow);
  EXPECT_EQ(alert_to_string({AlertLevel::warning, AlertDescription::close_notify}), "warning close_notify");
  const Bytes unknown{2, 250};
  EXPECT_EQ(alert_name(decode_alert(unknown).description), "unknown(250)");
  EXPECT_EQ(alert_from_byte(20), AlertDescription::bad_record_mac);
  EXPECT_FALSE(alert_from_byte(250));
}

// ---- Connection states ----

TEST(ConnectionState, InstallingKeysResetsTheSequenceNumber) {
  for (auto alg : kAllAeads) {
    RecordLayer sender, receiver;
    sender.write(ContentType::handshake, handshake_message(1, 4));
    sender.write_change_cipher_spec();
    EXPECT_EQ(sender.write_protection().sequence_number(), 2u);
    sender.install_write_protection(make_keys(alg, 9));
    EXPECT_EQ(sender.write_protection().sequence_number(), 0u);
    sender.write(ContentType::handshake, handshake_message(20, 12));  // Finished: seq 0

    receiver.feed(sender.output());
    ASSERT_TRUE(receiver.next());
    auto ccs = receiver.next();
    ASSERT_TRUE(ccs);
    EXPECT_EQ(ccs->type, ContentType::change_cipher_spec);
    EXPECT_FALSE(receiver.read_protection().aead());
    receiver.install_read_protection(make_keys(alg, 9));
    auto finished = receiver.next();
    ASSERT_TRUE(finished);
    EXPECT_EQ(Bytes(finished->data.begin(), finished->data.end()), handshake_message(20, 12));
    EXPECT_EQ(receiver.read_protection().sequence_number(), 1u);
  }
}

TEST(ConnectionState, MismatchedKeysAreBadRecordMac) {
  RecordLayer sender, receiver;
  sender.install_write_protection(make_keys(kAllAeads[0], 1));
  receiver.install_read_protection(make_keys(kAllAeads[0], 2));
  sender.write(ContentType::handshake, handshake_message(20, 12));
  receiver.feed(sender.output());
  EXPECT_EQ(alert_of([&] { receiver.next(); }), AlertDescription::bad_record_mac);
}

TEST(Output, ConsumeKeepsTheRestAndRefusesTooMuch) {
  RecordLayer layer;
  layer.write(ContentType::handshake, handshake_message(1, 1));
  layer.write(ContentType::handshake, handshake_message(2, 1));
  const Bytes all(layer.output().begin(), layer.output().end());
  ASSERT_EQ(all.size(), 20u);
  layer.consume_output(7);
  EXPECT_EQ(to_hex(layer.output()), to_hex(ByteView(all).subspan(7)));
  EXPECT_THROW(layer.consume_output(14), std::invalid_argument);
  layer.write(ContentType::handshake, handshake_message(3, 1));
  EXPECT_EQ(layer.output().size(), 23u);
  EXPECT_EQ(to_hex(layer.take_output()).substr(26), "160303000503000001" + to_hex(pattern(1, 3)));
  EXPECT_TRUE(layer.output().empty());
}

}  // namespace
}  // namespace tls12::record
