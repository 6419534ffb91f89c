// The presentation-language codec (RFC 5246 §4): integers, vectors and their
// ranges, and the decode_error every malformed input must produce.
#include <gtest/gtest.h>

#include "record/codec.h"
#include "tests/record/record_test_support.h"

namespace tls12::record {

using testing::alert_of;

TEST(Codec, IntegersAreBigEndian) {
  Writer w;
  w.u8(0x01);
  w.u16(0x0203);
  w.u24(0x040506);
  w.u32(0x0708090a);
  EXPECT_EQ(to_hex(w.data()), "0102030405060708090a");
  Reader r(w.data());
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.u16(), 0x0203);
  EXPECT_EQ(r.u24(), 0x040506u);
  EXPECT_EQ(r.u32(), 0x0708090au);
  EXPECT_TRUE(r.empty());
}

TEST(Codec, NestedVectorsGetTheirLengthPrefixes) {
  Writer w;
  w.vector16([](Writer& inner) {
    inner.u16(0xc02f);
    inner.vector8(Bytes{0xaa, 0xbb});
  });
  EXPECT_EQ(to_hex(w.data()), "0005c02f02aabb");
}

TEST(Codec, ReadPastEndIsDecodeError) {
  Bytes b{0x01};
  Reader r(b);
  EXPECT_EQ(alert_of([&] { r.u16(); }), AlertDescription::decode_error);
}

TEST(Codec, VectorOutsideRangeIsDecodeError) {
  Bytes b{0x03, 1, 2, 3};
  Reader r1(b);
  EXPECT_EQ(alert_of([&] { r1.vector8(0, 2); }), AlertDescription::decode_error);
  Reader r2(b);
  EXPECT_EQ(alert_of([&] { r2.vector8(4, 10); }), AlertDescription::decode_error);
  Reader r3(b);
  EXPECT_EQ(r3.vector8(1, 3).size(), 3u);
}

TEST(Codec, VectorLongerThanInputIsDecodeError) {
  Bytes b{0x00, 0x05, 1, 2};
  Reader r(b);
  EXPECT_EQ(alert_of([&] { r.vector16(0, 100); }), AlertDescription::decode_error);
}

TEST(Codec, TrailingBytesAreDecodeError) {
  Bytes b{1, 2};
  Reader r(b);
  r.u8();
  EXPECT_EQ(alert_of([&] { r.expect_end(); }), AlertDescription::decode_error);
}

}  // namespace tls12::record

namespace tls12::record {

TEST(Codec, Vector24RoundTripAndRange) {
  Bytes body(70000, 0x42);
  Writer w;
  w.vector24(body);
  ASSERT_EQ(w.size(), 3 + body.size());
  EXPECT_EQ(to_hex(ByteView(w.data()).first(3)), "011170");
  Reader r(w.data());
  EXPECT_EQ(r.vector24(0, 16777215).size(), 70000u);
  EXPECT_TRUE(r.empty());
  Reader tight(w.data());
  EXPECT_EQ(alert_of([&] { tight.vector24(0, 69999); }), AlertDescription::decode_error);
}

TEST(Codec, NestedVector24FillsAThreeBytePrefix) {
  Writer w;
  w.vector24([](Writer& certs) {
    certs.vector24(Bytes{0xde, 0xad});
    certs.vector24(Bytes{0xbe, 0xef, 0x01});
  });
  EXPECT_EQ(to_hex(w.data()), "00000b000002dead000003beef01");
}

TEST(Codec, WritingAVectorTooLongForItsPrefixIsInternalError) {
  Writer w;
  Bytes big(256);
  EXPECT_EQ(alert_of([&] { w.vector8(big); }), AlertDescription::internal_error);
  Bytes bigger(65536);
  EXPECT_EQ(alert_of([&] { w.vector16(bigger); }), AlertDescription::internal_error);
}

TEST(Codec, ErrorMessageNamesWhatWasBeingRead) {
  Bytes b{0x00};
  Reader r(b, "ServerHello");
  try {
    r.u16();
    FAIL() << "no error";
  } catch (const TlsError& e) {
    EXPECT_NE(std::string(e.what()).find("ServerHello"), std::string::npos);
  }
}

}  // namespace tls12::record
