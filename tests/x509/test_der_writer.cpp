// The DER writer (x509/der_writer.h) against encodings known from X.690 and
// RFC 5280: INTEGER sign octets, short and long lengths, BIT STRING unused
// bits, UTCTime before 2050 and GeneralizedTime from 2050, SET OF order; and
// every value written is read back by the strict reader (x509/der.h).
#include <gtest/gtest.h>

#include "x509/der.h"
#include "x509/der_writer.h"
#include "x509/oid.h"

namespace tls12::x509 {
namespace {

std::string hex_of(const DerWriter::Body& body) { return to_hex(encode_public(body)); }

TEST(DerWriter, IntegerGetsASignOctetOnlyWhenTheTopBitIsSet) {
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(0); }), "020100");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(127); }), "02017f");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(128); }), "02020080");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(256); }), "02020100");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(65537); }), "0203010001");
  // Leading zero octets of a magnitude are dropped, then one is added back
  // where the sign needs it.
  const Bytes padded = from_hex("0000ff01");
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.integer(padded); }), "020300ff01");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.integer(ByteView{}); }), "020100");
}

TEST(DerWriter, IntegerRoundTripsThroughTheStrictReader) {
  for (const char* magnitude : {"00", "01", "7f", "80", "ff", "0100", "8000000000000000", "00000080"}) {
    const Bytes m = from_hex(magnitude);
    const Bytes der = encode_public([&](DerWriter& w) { w.integer(m); });
    DerReader r(der);
    const ByteView back = r.read_unsigned_integer("INTEGER");
    size_t skip = 0;
    while (skip + 1 < m.size() && m[skip] == 0) ++skip;
    EXPECT_EQ(to_hex(back), to_hex(ByteView(m).subspan(skip))) << magnitude;
  }
}

TEST(DerWriter, LengthsUseTheShortFormBelow128AndTheFewestOctetsAbove) {
  const Bytes b127(127, 0xab), b128(128, 0xab), b255(255, 0xab), b256(256, 0xab), b65536(65536, 0xab);
  EXPECT_EQ(to_hex(encode_public([&](DerWriter& w) { w.octet_string(b127); })).substr(0, 4), "047f");
  EXPECT_EQ(to_hex(encode_public([&](DerWriter& w) { w.octet_string(b128); })).substr(0, 6), "048180");
  EXPECT_EQ(to_hex(encode_public([&](DerWriter& w) { w.octet_string(b255); })).substr(0, 6), "0481ff");
  EXPECT_EQ(to_hex(encode_public([&](DerWriter& w) { w.octet_string(b256); })).substr(0, 8), "04820100");
  const Bytes big = encode_public([&](DerWriter& w) { w.octet_string(b65536); });
  EXPECT_EQ(to_hex(big).substr(0, 10), "0483010000");
  EXPECT_EQ(parse_single(big, "OCTET STRING").content.size(), 65536u);
}

TEST(DerWriter, BitStringCarriesItsUnusedBitCount) {
  const Bytes key = from_hex("0102");
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.bit_string(key); }), "0303000102");
  const Bytes six = from_hex("c0");
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.bit_string(six, 6); }), "030206c0");
  // Unused bits that are not zero would not be DER (X.690 §11.2.1).
  const Bytes bad = from_hex("c1");
  EXPECT_THROW(encode_public([&](DerWriter& w) { w.bit_string(bad, 6); }), std::invalid_argument);
}

TEST(DerWriter, NamedBitsDropTrailingZeroBits) {
  // keyUsage digitalSignature (bit 0) alone: one octet 0x80, seven unused.
  EXPECT_EQ(hex_of([](DerWriter& w) { w.named_bits(1u << 0); }), "03020780");
  // digitalSignature | keyEncipherment (bits 0 and 2): 0xa0, five unused.
  EXPECT_EQ(hex_of([](DerWriter& w) { w.named_bits((1u << 0) | (1u << 2)); }), "030205a0");
  // keyCertSign | cRLSign (bits 5 and 6): 0x06, one unused.
  EXPECT_EQ(hex_of([](DerWriter& w) { w.named_bits((1u << 5) | (1u << 6)); }), "03020106");
  // decipherOnly (bit 8) needs a second octet.
  EXPECT_EQ(hex_of([](DerWriter& w) { w.named_bits(1u << 8); }), "0303070080");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.named_bits(0); }), "030100");
}

TEST(DerWriter, TimesAreUtcTimeThrough2049AndGeneralizedTimeFrom2050) {
  const int64_t last_2049 = unix_seconds_from_civil(2049, 12, 31, 23, 59, 59);
  const int64_t first_2050 = unix_seconds_from_civil(2050, 1, 1, 0, 0, 0);
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.time(last_2049); }), "170d" + to_hex(as_bytes("491231235959Z")));
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.time(first_2050); }), "180f" + to_hex(as_bytes("20500101000000Z")));
  const int64_t in_1950 = unix_seconds_from_civil(1950, 1, 1, 0, 0, 0);
  const int64_t in_1949 = unix_seconds_from_civil(1949, 12, 31, 0, 0, 0);
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.time(in_1950); }), "170d" + to_hex(as_bytes("500101000000Z")));
  EXPECT_EQ(hex_of([&](DerWriter& w) { w.time(in_1949); }).substr(0, 4), "180f");
  for (int64_t t : {last_2049, first_2050, in_1950, in_1949, int64_t{0}, int64_t{1798761600}}) {
    const Bytes der = encode_public([&](DerWriter& w) { w.time(t); });
    DerReader r(der);
    EXPECT_EQ(r.read_time("time"), t);
  }
}

TEST(DerWriter, ObjectIdentifiersMatchTheirKnownEncodings) {
  EXPECT_EQ(hex_of([](DerWriter& w) { w.oid(oid::sha256_with_rsa); }), "06092a864886f70d01010b");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.oid(oid::ed25519); }), "06032b6570");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.oid(oid::subject_alt_name); }), "0603551d11");
  for (std::string_view id : {oid::sha256_with_rsa, oid::aes256_cbc, oid::prime256v1, std::string_view("2.999.3")}) {
    const Bytes der = encode_public([&](DerWriter& w) { w.oid(id); });
    DerReader r(der);
    EXPECT_EQ(r.read_oid("oid"), id);
  }
  EXPECT_THROW(encode_public([](DerWriter& w) { w.oid("1.40.3"); }), std::invalid_argument);
  EXPECT_THROW(encode_public([](DerWriter& w) { w.oid("1..3"); }), std::invalid_argument);
  EXPECT_THROW(encode_public([](DerWriter& w) { w.oid("3.1"); }), std::invalid_argument);
}

TEST(DerWriter, BooleanNullAndStrings) {
  EXPECT_EQ(hex_of([](DerWriter& w) { w.boolean(true); }), "0101ff");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.boolean(false); }), "010100");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.null(); }), "0500");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.string(asn1::printable_string, "US"); }), "13025553");
  EXPECT_THROW(encode_public([](DerWriter& w) { w.string(asn1::printable_string, "a@b"); }), std::invalid_argument);
  EXPECT_THROW(encode_public([](DerWriter& w) { w.string(asn1::ia5_string, "\xc3\xa9"); }), std::invalid_argument);
  EXPECT_THROW(encode_public([](DerWriter& w) { w.string(asn1::utf8_string, "\xc3"); }), std::invalid_argument);
}

TEST(DerWriter, SetOfIsSortedAndTagsNest) {
  const Bytes der = encode_public([](DerWriter& w) {
    w.set_of([](DerWriter& s) {
      s.integer(2);
      s.boolean(true);
      s.integer(1);
    });
  });
  EXPECT_EQ(to_hex(der), "31090101ff020101020102");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.explicit_tag(0, [](DerWriter& e) { e.integer(2); }); }), "a003020102");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.implicit_primitive(2, as_bytes("a")); }), "820161");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.element(Tag{TagClass::context_specific, false, 31}, {}); }), "9f1f00");
  EXPECT_EQ(hex_of([](DerWriter& w) { w.element(Tag{TagClass::context_specific, false, 200}, {}); }), "9f814800");
}

}  // namespace
}  // namespace tls12::x509
