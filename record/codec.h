// The presentation language of RFC 5246 §4 on the wire: big-endian integers of
// 1, 2, 3 and 4 bytes, and variable-length vectors with a 1-, 2- or 3-byte
// length prefix and an allowed range, written <floor..ceiling> in the RFC:
//
//   opaque session_id<0..32>;          Reader::vector8(0, 32)
//   CipherSuite cipher_suites<2..2^16-2>;  Reader::vector16(2, 65534)
//   ASN.1Cert certificate_list<0..2^24-1>; Reader::vector24(0, 16777215)
//
// Every message encoder and decoder in tls12 goes through `Reader` and
// `Writer`. The Reader never reads past its end: a short message, or a length
// outside the range the RFC allows, is a `decode_error` alert.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>

#include "crypto/bytes.h"
#include "record/alert.h"

namespace tls12::record {

class Reader {
 public:
  explicit Reader(ByteView data, std::string_view what = "message") : data_(data), what_(what) {}

  uint8_t u8() { return static_cast<uint8_t>(take_int(1)); }
  uint16_t u16() { return static_cast<uint16_t>(take_int(2)); }
  uint32_t u24() { return static_cast<uint32_t>(take_int(3)); }
  uint32_t u32() { return static_cast<uint32_t>(take_int(4)); }

  // Exactly `n` bytes.
  ByteView bytes(size_t n) {
    if (n > remaining()) fail("is truncated");
    ByteView out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  // A vector with a 1-, 2- or 3-byte length prefix whose length must lie in
  // [floor, ceiling].
  ByteView vector8(size_t floor, size_t ceiling) { return vector(1, floor, ceiling); }
  ByteView vector16(size_t floor, size_t ceiling) { return vector(2, floor, ceiling); }
  ByteView vector24(size_t floor, size_t ceiling) { return vector(3, floor, ceiling); }

  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return remaining() == 0; }
  size_t offset() const { return pos_; }

  // The message must end here: trailing bytes are a decode_error.
  void expect_end() const {
    if (!empty()) fail("has " + std::to_string(remaining()) + " trailing bytes");
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw TlsError(AlertDescription::decode_error, what_ + " " + problem);
  }

 private:
  uint32_t take_int(size_t n) {
    ByteView b = bytes(n);
    uint32_t v = 0;
    for (uint8_t byte : b) v = v << 8 | byte;
    return v;
  }
  ByteView vector(size_t prefix, size_t floor, size_t ceiling) {
    size_t length = take_int(prefix);
    if (length < floor || length > ceiling)
      fail("has a vector of " + std::to_string(length) + " bytes, outside <" +
           std::to_string(floor) + ".." + std::to_string(ceiling) + ">");
    return bytes(length);
  }

  ByteView data_;
  size_t pos_ = 0;
  std::string what_;
};

class Writer {
 public:
  void u8(uint8_t v) { put_int(v, 1); }
  void u16(uint16_t v) { put_int(v, 2); }
  void u24(uint32_t v) { put_int(v, 3); }
  void u32(uint32_t v) { put_int(v, 4); }
  void bytes(ByteView b) { out_.insert(out_.end(), b.begin(), b.end()); }

  // Vectors whose contents are already in hand.
  void vector8(ByteView b) { put_int(checked(b.size(), 0xff), 1); bytes(b); }
  void vector16(ByteView b) { put_int(checked(b.size(), 0xffff), 2); bytes(b); }
  void vector24(ByteView b) { put_int(checked(b.size(), 0xffffff), 3); bytes(b); }

  // Vectors built in place: `body(writer)` writes the contents and the length
  // prefix is filled in afterwards.
  template <std::invocable<Writer&> F> void vector8(F&& body) { nested(1, 0xff, body); }
  template <std::invocable<Writer&> F> void vector16(F&& body) { nested(2, 0xffff, body); }
  template <std::invocable<Writer&> F> void vector24(F&& body) { nested(3, 0xffffff, body); }

  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  void put_int(uint32_t v, size_t n) {
    for (size_t i = n; i-- > 0;) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  static size_t checked(size_t size, size_t max) {
    // An encoder asked to write a vector too long for its prefix is our bug.
    if (size > max) throw TlsError(AlertDescription::internal_error, "vector too long to encode");
    return size;
  }
  template <class F> void nested(size_t prefix, size_t max, F& body) {
    size_t start = out_.size();
    put_int(0, prefix);
    body(*this);
    size_t length = checked(out_.size() - start - prefix, max);
    for (size_t i = 0; i < prefix; ++i)
      out_[start + i] = static_cast<uint8_t>(length >> (8 * (prefix - 1 - i)));
  }

  Bytes out_;
};

}  // namespace tls12::record
