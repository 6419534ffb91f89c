// The strict DER reader (X.690 §8, §10, §11); see der.h for the rules enforced.
#include "x509/der.h"

#include <cstdio>
#include <string>

#include "x509/oid.h"

namespace tls12::x509 {

namespace {

[[noreturn]] void fail(std::string_view what, std::string_view problem, size_t offset) {
  throw DerError(std::string(what) + ": " + std::string(problem), offset);
}

struct Header {
  Tag tag;
  size_t header_length = 0;
  size_t content_length = 0;
};

// X.690 §8.1.2 (identifier octets) and §8.1.3 (length octets), with the DER
// restrictions of §10.1: definite form, and the fewest length octets.
Header read_header(ByteView data, size_t pos, size_t base) {
  const size_t start = base + pos;
  size_t i = pos;
  if (i >= data.size()) fail("DER", "missing identifier octet", start);
  const uint8_t first = data[i++];
  Header h;
  h.tag.cls = static_cast<TagClass>(first >> 6);
  h.tag.constructed = (first & 0x20) != 0;
  h.tag.number = first & 0x1f;
  if (h.tag.number == 0x1f) {
    // High tag number form: base-128 digits, most significant first, in the
    // fewest digits (no leading 0x80), and only for numbers >= 31.
    uint32_t number = 0;
    bool first_digit = true;
    while (true) {
      if (i >= data.size()) fail("DER", "truncated tag number", start);
      const uint8_t b = data[i++];
      if (first_digit && b == 0x80) fail("DER", "non-minimal tag number", start);
      first_digit = false;
      if (number > (UINT32_MAX >> 7)) fail("DER", "tag number too large", start);
      number = (number << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
    if (number < 31) fail("DER", "high tag number form used for a small tag", start);
    h.tag.number = number;
  }
  if (i >= data.size()) fail("DER", "missing length octets", start);
  const uint8_t len0 = data[i++];
  if (len0 < 0x80) {
    h.content_length = len0;
  } else {
    const size_t count = len0 & 0x7f;
    if (count == 0) fail("DER", "indefinite length is not allowed", start);
    if (count > 4) fail("DER", "length too large", start);
    if (data.size() - i < count) fail("DER", "truncated length octets", start);
    if (data[i] == 0) fail("DER", "non-minimal length (leading zero octet)", start);
    size_t length = 0;
    for (size_t k = 0; k < count; ++k) length = (length << 8) | data[i++];
    if (length < 0x80) fail("DER", "non-minimal length (long form for a short length)", start);
    h.content_length = length;
  }
  h.header_length = i - pos;
  if (data.size() - i < h.content_length) fail("DER", "content runs past the end of the input", start);
  return h;
}

std::string tag_description(const Tag& t) {
  static const char* const classes[] = {"universal", "application", "context-specific", "private"};
  return std::string(classes[static_cast<int>(t.cls)]) + " " + (t.constructed ? "constructed" : "primitive") +
         " tag " + std::to_string(t.number);
}

bool is_digits(ByteView s, size_t from, size_t count) {
  for (size_t k = from; k < from + count; ++k)
    if (s[k] < '0' || s[k] > '9') return false;
  return true;
}

unsigned two_digits(ByteView s, size_t at) { return (s[at] - '0') * 10u + (s[at + 1] - '0'); }

void append_utf8(std::string& out, uint32_t cp, size_t offset) {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail("string", "invalid code point", offset);
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// RFC 3629: well-formed UTF-8 only (no overlong forms, no surrogates).
void check_utf8(ByteView s, size_t offset) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = s[i];
    size_t extra;
    uint32_t cp;
    if (b < 0x80) { ++i; continue; }
    if ((b & 0xe0) == 0xc0) { extra = 1; cp = b & 0x1f; }
    else if ((b & 0xf0) == 0xe0) { extra = 2; cp = b & 0x0f; }
    else if ((b & 0xf8) == 0xf0) { extra = 3; cp = b & 0x07; }
    else fail("UTF8String", "invalid UTF-8", offset);
    if (s.size() - i - 1 < extra) fail("UTF8String", "truncated UTF-8 sequence", offset);
    for (size_t k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) fail("UTF8String", "invalid UTF-8", offset);
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    static constexpr uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      fail("UTF8String", "invalid UTF-8", offset);
    i += extra + 1;
  }
}

}  // namespace

Element DerReader::read_any() {
  const Header h = read_header(data_, pos_, base_);
  Element e;
  e.tag = h.tag;
  e.offset = base_ + pos_;
  e.encoded = data_.subspan(pos_, h.header_length + h.content_length);
  e.content = data_.subspan(pos_ + h.header_length, h.content_length);
  pos_ += h.header_length + h.content_length;
  return e;
}

std::optional<Tag> DerReader::peek_tag() const {
  if (empty()) return std::nullopt;
  return read_header(data_, pos_, base_).tag;
}

bool DerReader::next_is(TagClass cls, uint32_t number) const {
  auto t = peek_tag();
  return t && t->cls == cls && t->number == number;
}

Element DerReader::read(TagClass cls, bool constructed, uint32_t number, std::string_view what) {
  if (empty()) fail(what, "missing", offset());
  const size_t at = offset();
  Element e = read_any();
  const Tag want{cls, constructed, number};
  if (e.tag != want)
    fail(what, "expected " + tag_description(want) + ", found " + tag_description(e.tag), at);
  return e;
}

DerReader DerReader::read_sequence(std::string_view what) {
  Element e = read(TagClass::universal, true, asn1::sequence, what);
  return DerReader(e.content, e.offset + (e.encoded.size() - e.content.size()));
}

DerReader DerReader::read_set(std::string_view what) {
  Element e = read(TagClass::universal, true, asn1::set, what);
  return DerReader(e.content, e.offset + (e.encoded.size() - e.content.size()));
}

std::optional<DerReader> DerReader::read_optional_explicit(uint32_t number, std::string_view what) {
  if (!next_is(TagClass::context_specific, number)) return std::nullopt;
  Element e = read(TagClass::context_specific, true, number, what);
  return DerReader(e.content, e.offset + (e.encoded.size() - e.content.size()));
}

ByteView DerReader::read_integer(std::string_view what) {
  Element e = read(TagClass::universal, false, asn1::integer, what);
  const ByteView c = e.content;
  if (c.empty()) fail(what, "empty INTEGER", e.offset);
  // X.690 §8.3.2: the first nine bits must not be all zeros or all ones.
  if (c.size() > 1 && ((c[0] == 0x00 && (c[1] & 0x80) == 0) || (c[0] == 0xff && (c[1] & 0x80) != 0)))
    fail(what, "non-minimal INTEGER encoding", e.offset);
  return c;
}

ByteView DerReader::read_unsigned_integer(std::string_view what) {
  const size_t at = offset();
  ByteView c = read_integer(what);
  if (c[0] & 0x80) fail(what, "negative INTEGER where a non-negative one is required", at);
  if (c.size() > 1 && c[0] == 0) c = c.subspan(1);
  return c;
}

int64_t DerReader::read_small_integer(std::string_view what) {
  const size_t at = offset();
  ByteView c = read_unsigned_integer(what);
  if (c.size() > 7) fail(what, "INTEGER too large", at);
  int64_t v = 0;
  for (uint8_t b : c) v = (v << 8) | b;
  return v;
}

bool DerReader::read_boolean(std::string_view what) {
  Element e = read(TagClass::universal, false, asn1::boolean, what);
  if (e.content.size() != 1) fail(what, "BOOLEAN must be one octet", e.offset);
  if (e.content[0] != 0x00 && e.content[0] != 0xff) fail(what, "BOOLEAN must be 0x00 or 0xFF in DER", e.offset);
  return e.content[0] == 0xff;
}

void DerReader::read_null(std::string_view what) {
  Element e = read(TagClass::universal, false, asn1::null, what);
  if (!e.content.empty()) fail(what, "NULL must be empty", e.offset);
}

std::string decode_oid(ByteView c, size_t offset) {
  if (c.empty()) fail("OBJECT IDENTIFIER", "empty", offset);
  if (c.back() & 0x80) fail("OBJECT IDENTIFIER", "truncated subidentifier", offset);
  std::string out;
  size_t i = 0;
  bool first = true;
  while (i < c.size()) {
    if (c[i] == 0x80) fail("OBJECT IDENTIFIER", "non-minimal subidentifier", offset);
    uint64_t v = 0;
    while (true) {
      if (v > (UINT64_MAX >> 8)) fail("OBJECT IDENTIFIER", "subidentifier too large", offset);
      v = (v << 7) | (c[i] & 0x7f);
      if ((c[i++] & 0x80) == 0) break;
    }
    if (first) {
      // X.690 §8.19.4: the first subidentifier packs the first two arcs.
      const uint64_t arc1 = v < 40 ? 0 : (v < 80 ? 1 : 2);
      out = std::to_string(arc1) + "." + std::to_string(v - arc1 * 40);
      first = false;
    } else {
      out += "." + std::to_string(v);
    }
  }
  return out;
}

std::string DerReader::read_oid(std::string_view what) {
  Element e = read(TagClass::universal, false, asn1::object_identifier, what);
  return decode_oid(e.content, e.offset);
}

BitString DerReader::read_bit_string(std::string_view what) {
  Element e = read(TagClass::universal, false, asn1::bit_string, what);
  const ByteView c = e.content;
  if (c.empty()) fail(what, "BIT STRING without the unused-bits octet", e.offset);
  const unsigned unused = c[0];
  if (unused > 7) fail(what, "BIT STRING with more than 7 unused bits", e.offset);
  if (c.size() == 1 && unused != 0) fail(what, "empty BIT STRING with unused bits", e.offset);
  // X.690 §11.2.1: the unused bits are zero in DER.
  if (unused != 0 && (c.back() & ((1u << unused) - 1)) != 0)
    fail(what, "BIT STRING unused bits are not zero", e.offset);
  return BitString{c.subspan(1), unused};
}

ByteView DerReader::read_bit_string_octets(std::string_view what) {
  const size_t at = offset();
  BitString b = read_bit_string(what);
  if (b.unused_bits != 0) fail(what, "BIT STRING must hold whole octets", at);
  return b.bytes;
}

ByteView DerReader::read_octet_string(std::string_view what) {
  return read(TagClass::universal, false, asn1::octet_string, what).content;
}

int64_t unix_seconds_from_civil(int year, unsigned month, unsigned day, unsigned hour, unsigned minute,
                                unsigned second) {
  // Days from 1970-01-01 in the proleptic Gregorian calendar (the well-known
  // era-based algorithm: years start in March so the leap day comes last).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = (month + 9) % 12;
  const unsigned doy = (153 * mp + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

CivilTime civil_from_unix_seconds(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const int64_t secs = t - days * 86400;
  // Inverse of unix_seconds_from_civil.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return CivilTime{y, static_cast<unsigned>(m), static_cast<unsigned>(d), static_cast<unsigned>(secs / 3600),
                   static_cast<unsigned>(secs / 60 % 60), static_cast<unsigned>(secs % 60)};
}

std::string format_time(int64_t t) {
  // Years 0000..9999 is all DER can encode; anything beyond is a caller's --at.
  if (t < kEarliestDerTime || t >= kLatestDerTime) return std::to_string(t) + " (Unix seconds, outside years 0000-9999)";
  const CivilTime c = civil_from_unix_seconds(t);
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u:%02u UTC", static_cast<long long>(c.year), c.month,
                c.day, c.hour, c.minute, c.second);
  return buf;
}

int64_t decode_time(uint32_t tag_number, ByteView c, size_t offset) {
  // RFC 5280 §4.1.2.5: UTCTime is YYMMDDHHMMSSZ (YY >= 50 means 19YY), and
  // GeneralizedTime is YYYYMMDDHHMMSSZ; seconds present, no fractions, 'Z'.
  int year;
  size_t i;
  if (tag_number == asn1::utc_time) {
    if (c.size() != 13 || !is_digits(c, 0, 12) || c[12] != 'Z')
      fail("UTCTime", "must be YYMMDDHHMMSSZ", offset);
    const unsigned yy = two_digits(c, 0);
    year = yy >= 50 ? 1900 + static_cast<int>(yy) : 2000 + static_cast<int>(yy);
    i = 2;
  } else if (tag_number == asn1::generalized_time) {
    if (c.size() != 15 || !is_digits(c, 0, 14) || c[14] != 'Z')
      fail("GeneralizedTime", "must be YYYYMMDDHHMMSSZ", offset);
    year = static_cast<int>(two_digits(c, 0) * 100 + two_digits(c, 2));
    i = 4;
  } else {
    fail("time", "expected UTCTime or GeneralizedTime", offset);
  }
  const unsigned month = two_digits(c, i), day = two_digits(c, i + 2), hour = two_digits(c, i + 4),
                 minute = two_digits(c, i + 6), second = two_digits(c, i + 8);
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 59)
    fail("time", "date or time out of range", offset);
  return unix_seconds_from_civil(year, month, day, hour, minute, second);
}

int64_t DerReader::read_time(std::string_view what) {
  if (empty()) fail(what, "missing", offset());
  const size_t at = offset();
  Element e = read_any();
  if (e.tag.cls != TagClass::universal || e.tag.constructed ||
      (e.tag.number != asn1::utc_time && e.tag.number != asn1::generalized_time))
    fail(what, "expected UTCTime or GeneralizedTime", at);
  return decode_time(e.tag.number, e.content, e.offset);
}

bool is_string_tag(uint32_t n) {
  return n == asn1::utf8_string || n == asn1::numeric_string || n == asn1::printable_string ||
         n == asn1::teletex_string || n == asn1::ia5_string || n == asn1::visible_string ||
         n == asn1::universal_string || n == asn1::bmp_string;
}

std::string decode_string(uint32_t n, ByteView c, size_t offset) {
  std::string out;
  switch (n) {
    case asn1::utf8_string:
      check_utf8(c, offset);
      return std::string(c.begin(), c.end());
    case asn1::bmp_string:  // UCS-2, big-endian
      if (c.size() % 2) fail("BMPString", "odd length", offset);
      for (size_t i = 0; i < c.size(); i += 2) append_utf8(out, (c[i] << 8) | c[i + 1], offset);
      return out;
    case asn1::universal_string:  // UCS-4, big-endian
      if (c.size() % 4) fail("UniversalString", "length not a multiple of 4", offset);
      for (size_t i = 0; i < c.size(); i += 4)
        append_utf8(out, (uint32_t{c[i]} << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3], offset);
      return out;
    case asn1::printable_string:
      // X.680 §41.4: letters, digits, space and '()+,-./:=?
      for (uint8_t b : c) {
        const bool ok = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
                        std::string_view(" '()+,-./:=?").find(static_cast<char>(b)) != std::string_view::npos;
        if (!ok) fail("PrintableString", "character outside the PrintableString set", offset);
      }
      return std::string(c.begin(), c.end());
    case asn1::ia5_string:  // International Alphabet No. 5: all of 7-bit ASCII
      for (uint8_t b : c)
        if (b >= 0x80) fail("IA5String", "non-ASCII character", offset);
      return std::string(c.begin(), c.end());
    case asn1::visible_string:  // X.680 §41.1: ASCII without control characters
      for (uint8_t b : c)
        if (b < 0x20 || b > 0x7e) fail("VisibleString", "character outside the VisibleString set", offset);
      return std::string(c.begin(), c.end());
    case asn1::numeric_string:  // X.680 §41.2: digits and space only
      for (uint8_t b : c)
        if ((b < '0' || b > '9') && b != ' ') fail("NumericString", "character outside the NumericString set", offset);
      return std::string(c.begin(), c.end());
    case asn1::teletex_string:
      // In practice T61String holds Latin-1; map each octet to its code point.
      for (uint8_t b : c) append_utf8(out, b, offset);
      return out;
    default:
      fail("string", "not a character string type", offset);
  }
}

std::string DerReader::read_string(std::string_view what) {
  if (empty()) fail(what, "missing", offset());
  const size_t at = offset();
  Element e = read_any();
  if (e.tag.cls != TagClass::universal || e.tag.constructed || !is_string_tag(e.tag.number))
    fail(what, "expected a character string", at);
  return decode_string(e.tag.number, e.content, e.offset);
}

void DerReader::expect_end(std::string_view what) const {
  if (!empty()) fail(what, "unexpected data after the last field", offset());
}

Element parse_single(ByteView data, std::string_view what) {
  DerReader r(data);
  if (r.empty()) fail(what, "empty input", 0);
  Element e = r.read_any();
  r.expect_end(what);
  return e;
}

// ---- annotated dump ---------------------------------------------------------

namespace {

std::string universal_name(uint32_t n) {
  switch (n) {
    case asn1::boolean: return "BOOLEAN";
    case asn1::integer: return "INTEGER";
    case asn1::bit_string: return "BIT STRING";
    case asn1::octet_string: return "OCTET STRING";
    case asn1::null: return "NULL";
    case asn1::object_identifier: return "OBJECT IDENTIFIER";
    case asn1::utf8_string: return "UTF8String";
    case asn1::sequence: return "SEQUENCE";
    case asn1::set: return "SET";
    case asn1::numeric_string: return "NumericString";
    case asn1::printable_string: return "PrintableString";
    case asn1::teletex_string: return "T61String";
    case asn1::ia5_string: return "IA5String";
    case asn1::utc_time: return "UTCTime";
    case asn1::generalized_time: return "GeneralizedTime";
    case asn1::visible_string: return "VisibleString";
    case asn1::universal_string: return "UniversalString";
    case asn1::bmp_string: return "BMPString";
    default: return "universal tag " + std::to_string(n);
  }
}

std::string short_hex(ByteView b) {
  constexpr size_t kMax = 24;
  std::string s = to_hex(b.first(std::min(b.size(), kMax)));
  if (b.size() > kMax) s += "...";
  return s;
}

// Whether `b` is exactly one or more complete DER elements (then it is shown
// opened up, the way extension values and keys are wrapped).
bool holds_der(ByteView b) {
  if (b.size() < 2) return false;
  try {
    DerReader r(b);
    while (!r.empty()) r.read_any();
    return (b[0] & 0x20) != 0;  // only open constructed contents (a SEQUENCE, a SET)
  } catch (const DerError&) {
    return false;
  }
}

// The dump opens constructed elements by recursion, one stack frame a level.
// Each level costs the input only two octets, so a bound is what keeps a
// hostile file from overflowing the stack; real certificates and keys nest
// fewer than a dozen levels.
constexpr int kMaxDumpDepth = 64;

void dump_into(std::string& out, ByteView data, size_t base, int depth) {
  if (depth > kMaxDumpDepth) fail("DER", "nested more than 64 levels deep", base);
  DerReader r(data, base);
  while (!r.empty()) {
    Element e = r.read_any();
    const size_t header = e.encoded.size() - e.content.size();
    char prefix[64];
    std::snprintf(prefix, sizeof prefix, "%6zu: hl=%zu l=%5zu ", e.offset, header, e.content.size());
    out += prefix;
    out += std::string(static_cast<size_t>(depth) * 2, ' ');
    const size_t content_base = e.offset + header;
    if (e.tag.cls != TagClass::universal) {
      out += "[" + std::to_string(e.tag.number) + "]";
      if (e.tag.cls != TagClass::context_specific) out += " (" + tag_description(e.tag) + ")";
      if (e.tag.constructed) {
        out += "\n";
        dump_into(out, e.content, content_base, depth + 1);
      } else {
        out += " " + short_hex(e.content) + "\n";
      }
      continue;
    }
    out += universal_name(e.tag.number);
    const uint32_t n = e.tag.number;
    if (e.tag.constructed) {
      out += "\n";
      dump_into(out, e.content, content_base, depth + 1);
    } else if (n == asn1::object_identifier) {
      const std::string dotted = decode_oid(e.content, e.offset);
      const std::string_view name = oid::name_of(dotted);
      out += " " + dotted + (name.empty() ? "" : " (" + std::string(name) + ")") + "\n";
    } else if (n == asn1::integer || n == asn1::boolean) {
      out += " " + short_hex(e.content) + "\n";
    } else if (n == asn1::utc_time || n == asn1::generalized_time) {
      out += " " + std::string(e.content.begin(), e.content.end()) + " (" +
             format_time(decode_time(n, e.content, e.offset)) + ")\n";
    } else if (is_string_tag(n)) {
      out += " \"" + decode_string(n, e.content, e.offset) + "\"\n";
    } else if (n == asn1::octet_string && holds_der(e.content)) {
      out += " (holds DER)\n";
      dump_into(out, e.content, content_base, depth + 1);
    } else if (n == asn1::bit_string && !e.content.empty() && e.content[0] == 0 && holds_der(e.content.subspan(1))) {
      out += " (holds DER)\n";
      dump_into(out, e.content.subspan(1), content_base + 1, depth + 1);
    } else {
      out += e.content.empty() ? "\n" : " " + short_hex(e.content) + "\n";
    }
  }
}

}  // namespace

std::string der_dump(ByteView data) {
  std::string out;
  dump_into(out, data, 0, 0);
  return out;
}

}  // namespace tls12::x509
