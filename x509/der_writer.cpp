// The DER writer (X.690 §8, §10, §11); see der_writer.h for the rules it keeps.
#include "x509/der_writer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

namespace tls12::x509 {

namespace {

// X.690 §8.1.2: one identifier octet for tag numbers below 31, else 0x1F and
// the number in base-128 digits, most significant first.
void append_identifier(SecretBytes& out, const Tag& tag) {
  const uint8_t head = static_cast<uint8_t>((static_cast<unsigned>(tag.cls) << 6) | (tag.constructed ? 0x20 : 0));
  if (tag.number < 31) {
    out.push_back(static_cast<uint8_t>(head | tag.number));
    return;
  }
  out.push_back(static_cast<uint8_t>(head | 0x1f));
  unsigned groups = 1;
  while (groups < 5 && (tag.number >> (7 * groups)) != 0) ++groups;
  for (unsigned g = groups; g-- > 1;) out.push_back(static_cast<uint8_t>(0x80 | ((tag.number >> (7 * g)) & 0x7f)));
  out.push_back(static_cast<uint8_t>(tag.number & 0x7f));
}

// X.690 §8.1.3 with §10.1: short form below 128; otherwise 0x80 | count and
// the length in `count` octets, the fewest that hold it.
void append_length(SecretBytes& out, size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<uint8_t>(length));
    return;
  }
  unsigned count = 0;
  for (size_t v = length; v != 0; v >>= 8) ++count;
  out.push_back(static_cast<uint8_t>(0x80 | count));
  for (unsigned i = count; i-- > 0;) out.push_back(static_cast<uint8_t>(length >> (8 * i)));
}

// X.690 §8.19: each arc in base 128; the first two arcs share one subidentifier.
SecretBytes oid_contents(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  size_t pos = 0;
  while (pos <= dotted.size()) {
    const size_t dot = std::min(dotted.find('.', pos), dotted.size());
    uint64_t arc = 0;
    const auto [end, ec] = std::from_chars(dotted.data() + pos, dotted.data() + dot, arc);
    if (ec != std::errc{} || end != dotted.data() + dot || dot == pos)
      throw std::invalid_argument("malformed OBJECT IDENTIFIER \"" + std::string(dotted) + "\"");
    arcs.push_back(arc);
    pos = dot + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
    throw std::invalid_argument("malformed OBJECT IDENTIFIER \"" + std::string(dotted) + "\"");
  arcs[1] += arcs[0] * 40;
  SecretBytes out;
  for (size_t i = 1; i < arcs.size(); ++i) {
    unsigned groups = 1;  // base-128 digits, without leading zero digits (§8.19.2)
    while (groups < 10 && (arcs[i] >> (7 * groups)) != 0) ++groups;
    for (unsigned g = groups; g-- > 1;) out.push_back(static_cast<uint8_t>(0x80 | ((arcs[i] >> (7 * g)) & 0x7f)));
    out.push_back(static_cast<uint8_t>(arcs[i] & 0x7f));
  }
  return out;
}

// The reader's own check: what we write must be what it reads.
void check_string(uint32_t tag, std::string_view text) {
  try {
    decode_string(tag, as_bytes(text), 0);
  } catch (const DerError&) {
    throw std::invalid_argument("\"" + std::string(text) + "\" cannot be written as this ASN.1 string type");
  }
}

}  // namespace

DerWriter& DerWriter::element(const Tag& tag, ByteView content) {
  append_identifier(out_, tag);
  append_length(out_, content.size());
  out_.insert(out_.end(), content.begin(), content.end());
  return *this;
}

DerWriter& DerWriter::integer(ByteView magnitude) {
  while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
  SecretBytes content;
  // §8.3.2: a first octet with its top bit set would read as negative, so a
  // positive value gets a 0x00 in front; otherwise no leading zero octets.
  if (magnitude.empty() || (magnitude[0] & 0x80) != 0) content.push_back(0);
  content.insert(content.end(), magnitude.begin(), magnitude.end());
  return element(Tag{TagClass::universal, false, asn1::integer}, content);
}

DerWriter& DerWriter::integer(int64_t value) {
  if (value < 0) throw std::invalid_argument("DerWriter::integer: negative values are not written by tls12");
  uint8_t be[8];
  for (int i = 0; i < 8; ++i) be[i] = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (56 - 8 * i));
  return integer(ByteView(be, 8));
}

DerWriter& DerWriter::boolean(bool value) {
  const uint8_t octet = value ? 0xff : 0x00;  // §11.1: TRUE is all ones in DER
  return element(Tag{TagClass::universal, false, asn1::boolean}, ByteView(&octet, 1));
}

DerWriter& DerWriter::null() { return element(Tag{TagClass::universal, false, asn1::null}, {}); }

DerWriter& DerWriter::oid(std::string_view dotted) {
  return element(Tag{TagClass::universal, false, asn1::object_identifier}, oid_contents(dotted));
}

DerWriter& DerWriter::bit_string(ByteView bytes, unsigned unused_bits) {
  if (unused_bits > 7 || (bytes.empty() && unused_bits != 0) ||
      (unused_bits != 0 && (bytes.back() & ((1u << unused_bits) - 1)) != 0))
    throw std::invalid_argument("DerWriter::bit_string: unused bits must be 0..7 and zero (X.690 §11.2.1)");
  SecretBytes content;
  content.push_back(static_cast<uint8_t>(unused_bits));
  content.insert(content.end(), bytes.begin(), bytes.end());
  return element(Tag{TagClass::universal, false, asn1::bit_string}, content);
}

DerWriter& DerWriter::named_bits(uint32_t bits) {
  // Bit 0 is the most significant bit of the first octet (X.690 §8.6.2.4).
  // §11.2.2: trailing zero bits are left out, so the length follows from the
  // highest bit that is set and the rest of the last octet is "unused".
  unsigned count = 0;
  for (unsigned i = 0; i < 32; ++i)
    if ((bits >> i) & 1) count = i + 1;
  Bytes bytes((count + 7) / 8, 0);
  for (unsigned i = 0; i < count; ++i)
    if ((bits >> i) & 1) bytes[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  return bit_string(bytes, static_cast<unsigned>(bytes.size() * 8 - count));
}

DerWriter& DerWriter::octet_string(ByteView bytes) {
  return element(Tag{TagClass::universal, false, asn1::octet_string}, bytes);
}

DerWriter& DerWriter::string(uint32_t tag, std::string_view text) {
  if (tag != asn1::utf8_string && tag != asn1::printable_string && tag != asn1::ia5_string)
    throw std::invalid_argument("DerWriter::string: only UTF8String, PrintableString and IA5String are written");
  check_string(tag, text);
  return element(Tag{TagClass::universal, false, tag}, as_bytes(text));
}

DerWriter& DerWriter::time(int64_t unix_seconds) {
  // RFC 5280 §4.1.2.5: "CAs conforming to this profile MUST always encode
  // certificate validity dates through the year 2049 as UTCTime; certificate
  // validity dates in 2050 or later MUST be encoded as GeneralizedTime."
  if (unix_seconds < kEarliestDerTime || unix_seconds >= kLatestDerTime)
    throw std::invalid_argument("DerWriter::time: outside the years 0000-9999");
  const CivilTime c = civil_from_unix_seconds(unix_seconds);
  const bool utc = c.year >= 1950 && c.year <= 2049;
  char text[20];
  if (utc)
    std::snprintf(text, sizeof text, "%02u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(c.year % 100), c.month, c.day,
                  c.hour, c.minute, c.second);
  else
    std::snprintf(text, sizeof text, "%04u%02u%02u%02u%02u%02uZ", static_cast<unsigned>(c.year), c.month, c.day,
                  c.hour, c.minute, c.second);
  return element(Tag{TagClass::universal, false, utc ? asn1::utc_time : asn1::generalized_time}, as_bytes(text));
}

DerWriter& DerWriter::sequence(const Body& body) {
  DerWriter inner;
  body(inner);
  return element(Tag{TagClass::universal, true, asn1::sequence}, inner.out_);
}

DerWriter& DerWriter::set_of(const Body& body) {
  DerWriter inner;
  body(inner);
  // §11.6: the components in ascending order of their encodings, compared as
  // octet strings with the shorter one padded with zeros at its end.
  std::vector<ByteView> parts;
  DerReader r(inner.out_);
  while (!r.empty()) parts.push_back(r.read_any().encoded);
  std::sort(parts.begin(), parts.end(), [](ByteView a, ByteView b) {
    const size_t n = std::max(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      const uint8_t x = i < a.size() ? a[i] : 0, y = i < b.size() ? b[i] : 0;
      if (x != y) return x < y;
    }
    return false;
  });
  SecretBytes sorted;
  for (ByteView p : parts) sorted.insert(sorted.end(), p.begin(), p.end());
  return element(Tag{TagClass::universal, true, asn1::set}, sorted);
}

DerWriter& DerWriter::explicit_tag(uint32_t number, const Body& body) {
  DerWriter inner;
  body(inner);
  return element(Tag{TagClass::context_specific, true, number}, inner.out_);
}

DerWriter& DerWriter::implicit_primitive(uint32_t number, ByteView content) {
  return element(Tag{TagClass::context_specific, false, number}, content);
}

DerWriter& DerWriter::implicit_constructed(uint32_t number, const Body& body) {
  return explicit_tag(number, body);  // same octets: constructed [number] around the contents
}

DerWriter& DerWriter::raw(ByteView encoded) {
  out_.insert(out_.end(), encoded.begin(), encoded.end());
  return *this;
}

SecretBytes encode(const DerWriter::Body& body) {
  DerWriter w;
  body(w);
  return w.bytes();
}

Bytes encode_public(const DerWriter::Body& body) {
  DerWriter w;
  body(w);
  return w.public_bytes();
}

}  // namespace tls12::x509
