// The presentation-language codec (RFC 5246 §4): integers, vectors and their
// ranges, and the decode_error every malformed input must produce.
#include <gtest/gtest.h>

#include "record/codec.h"

namespace tls12::record {

static AlertDescription alert_of(auto&& f) {
  try {
    f();
  } catch (const TlsError& e) {
    return e.alert();
  }
  ADD_FAILURE() << "no TlsError thrown";
  return AlertDescription::close_notify;
}

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
