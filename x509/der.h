// A strict DER reader (ITU-T X.690 §8 basic rules, §10 distinguished rules):
// the encoding every certificate, key and signature in TLS uses.
//
// Each value is a TLV: an identifier octet (tag class, primitive/constructed,
// tag number, X.690 §8.1.2), a length (§8.1.3), then the contents. DER allows
// exactly one encoding of each value, and this reader insists on it:
//   - definite lengths only, in the fewest octets (§10.1);
//   - INTEGERs in the fewest octets (§8.3.2);
//   - BOOLEAN is 0x00 or 0xFF (§11.1), BIT STRING unused bits are zero (§11.2);
//   - strings are primitive (§10.2), times end in 'Z' without fractions (§11.7,
//     RFC 5280 §4.1.2.5).
// A parser that accepts two encodings of one certificate lets two programs
// disagree about what was signed; that is why strictness matters here.
//
// Every error is a DerError that says what was wrong and at which byte offset.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/bytes.h"

namespace tls12::x509 {

class DerError : public std::runtime_error {
 public:
  DerError(const std::string& what, size_t offset)
      : std::runtime_error(what + " at offset " + std::to_string(offset)), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

enum class TagClass : uint8_t { universal = 0, application = 1, context_specific = 2, private_use = 3 };

// Universal tag numbers (X.680 §8.4) used by certificates.
namespace asn1 {
inline constexpr uint32_t boolean = 1;
inline constexpr uint32_t integer = 2;
inline constexpr uint32_t bit_string = 3;
inline constexpr uint32_t octet_string = 4;
inline constexpr uint32_t null = 5;
inline constexpr uint32_t object_identifier = 6;
inline constexpr uint32_t utf8_string = 12;
inline constexpr uint32_t sequence = 16;
inline constexpr uint32_t set = 17;
inline constexpr uint32_t numeric_string = 18;
inline constexpr uint32_t printable_string = 19;
inline constexpr uint32_t teletex_string = 20;
inline constexpr uint32_t ia5_string = 22;
inline constexpr uint32_t utc_time = 23;
inline constexpr uint32_t generalized_time = 24;
inline constexpr uint32_t visible_string = 26;
inline constexpr uint32_t universal_string = 28;
inline constexpr uint32_t bmp_string = 30;
}  // namespace asn1

struct Tag {
  TagClass cls = TagClass::universal;
  bool constructed = false;
  uint32_t number = 0;
  bool operator==(const Tag&) const = default;
};

// One TLV as read: its tag, its contents, the whole encoding (identifier,
// length and contents: what a signature covers), and where it started.
struct Element {
  Tag tag;
  ByteView content;
  ByteView encoded;
  size_t offset = 0;  // of the identifier octet, from the start of the outermost input
};

struct BitString {
  ByteView bytes;
  unsigned unused_bits = 0;
};

// Reads a sequence of TLVs from `data`. Nested readers (from read_sequence and
// friends) keep absolute offsets so that errors point into the original input.
class DerReader {
 public:
  explicit DerReader(ByteView data, size_t base_offset = 0) : data_(data), base_(base_offset) {}

  bool empty() const { return pos_ == data_.size(); }
  size_t offset() const { return base_ + pos_; }

  // The next element, whatever its tag.
  Element read_any();
  // The tag of the next element without consuming it (nullopt at the end).
  std::optional<Tag> peek_tag() const;
  bool next_is(TagClass cls, uint32_t number) const;

  // The next element, which must have this tag; `what` names it in errors.
  Element read(TagClass cls, bool constructed, uint32_t number, std::string_view what);

  DerReader read_sequence(std::string_view what);
  DerReader read_set(std::string_view what);
  // [number] EXPLICIT: the reader over the wrapped value, or nullopt if absent.
  std::optional<DerReader> read_optional_explicit(uint32_t number, std::string_view what);

  // INTEGER contents (two's complement, minimal).
  ByteView read_integer(std::string_view what);
  // A non-negative INTEGER as big-endian magnitude without the sign octet.
  ByteView read_unsigned_integer(std::string_view what);
  // A non-negative INTEGER that fits in 63 bits (versions, path lengths, counts).
  int64_t read_small_integer(std::string_view what);
  bool read_boolean(std::string_view what);
  void read_null(std::string_view what);
  // OBJECT IDENTIFIER in dotted form ("1.2.840.113549.1.1.11").
  std::string read_oid(std::string_view what);
  BitString read_bit_string(std::string_view what);
  // A BIT STRING that must hold whole octets (keys, signatures).
  ByteView read_bit_string_octets(std::string_view what);
  ByteView read_octet_string(std::string_view what);
  // UTCTime or GeneralizedTime as Unix seconds (RFC 5280 §4.1.2.5).
  int64_t read_time(std::string_view what);
  // Any of the character string types, converted to UTF-8.
  std::string read_string(std::string_view what);

  // Fails unless everything has been read.
  void expect_end(std::string_view what) const;

 private:
  ByteView data_;
  size_t base_;
  size_t pos_ = 0;
};

// Decoders for the contents of primitive values, shared by the reader and the
// annotated dump. `offset` is used in error messages.
std::string decode_oid(ByteView content, size_t offset);
int64_t decode_time(uint32_t tag_number, ByteView content, size_t offset);
bool is_string_tag(uint32_t tag_number);
std::string decode_string(uint32_t tag_number, ByteView content, size_t offset);

// Parses exactly one element covering all of `data` (nothing after it).
Element parse_single(ByteView data, std::string_view what);

// Conversions between calendar dates and Unix seconds (proleptic Gregorian calendar, UTC).
int64_t unix_seconds_from_civil(int year, unsigned month, unsigned day, unsigned hour,
                                unsigned minute, unsigned second);
struct CivilTime {
  int64_t year;
  unsigned month, day, hour, minute, second;
};
CivilTime civil_from_unix_seconds(int64_t unix_seconds);
// The instants DER times can hold: 0000-01-01 up to, not including, 10000-01-01.
inline constexpr int64_t kEarliestDerTime = -62167219200;
inline constexpr int64_t kLatestDerTime = 253402300800;
// "2026-11-23 04:33:44 UTC"
std::string format_time(int64_t unix_seconds);

// An indented, annotated dump of a DER encoding, one line per element with its
// offset, header length, content length, type and decoded value (like
// `openssl asn1parse -i`). OCTET STRINGs and BIT STRINGs that themselves hold
// DER (extension values, keys) are opened as well.
std::string der_dump(ByteView data);

}  // namespace tls12::x509
