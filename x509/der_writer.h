// A DER writer (ITU-T X.690 §8 basic rules, §10 and §11 distinguished rules):
// the mirror of the strict reader in der.h, used to make keys, certification
// requests and certificates. Everything it writes, that reader accepts:
//   - lengths in the short form below 128, else the fewest long-form octets (§10.1);
//   - INTEGERs in the fewest octets, with a 0x00 in front of a magnitude whose
//     top bit is set so that it stays positive (§8.3.2);
//   - BOOLEAN TRUE as 0xFF (§11.1);
//   - named-bit BIT STRINGs (keyUsage) without trailing zero bits (§11.2.2);
//   - SET OF in ascending order of the encodings (§11.6);
//   - times as UTCTime up to 2049 and GeneralizedTime from 2050, both
//     ending in 'Z' with seconds (RFC 5280 §4.1.2.5).
//
// A constructed value is written by a function that writes its contents:
//
//   w.sequence([&](DerWriter& s) { s.integer(0); s.oid(oid::rsa_encryption); });
//
// so the code has the shape of the ASN.1 it produces. The output is kept in
// SecretBytes (wiped when freed) because some of what is written is private keys.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "crypto/bytes.h"
#include "x509/der.h"

namespace tls12::x509 {

class DerWriter {
 public:
  using Body = std::function<void(DerWriter&)>;

  // A non-negative INTEGER from a big-endian magnitude (leading zeros allowed).
  DerWriter& integer(ByteView magnitude);
  DerWriter& integer(int64_t value);
  DerWriter& boolean(bool value);
  DerWriter& null();
  // "1.2.840.113549.1.1.11"; throws std::invalid_argument for a malformed OID.
  DerWriter& oid(std::string_view dotted);
  DerWriter& bit_string(ByteView bytes, unsigned unused_bits = 0);
  // A named-bit list (X.680 §22.7) such as keyUsage: bit i of `bits` is named bit i.
  DerWriter& named_bits(uint32_t bits);
  DerWriter& octet_string(ByteView bytes);
  // A character string of universal type `tag` (UTF8String, PrintableString,
  // IA5String); throws std::invalid_argument if the text is not of that type.
  DerWriter& string(uint32_t tag, std::string_view text);
  // UTCTime or GeneralizedTime, by the year (RFC 5280 §4.1.2.5).
  DerWriter& time(int64_t unix_seconds);

  DerWriter& sequence(const Body& body);
  // SET OF: the elements the body writes, sorted (§11.6).
  DerWriter& set_of(const Body& body);
  // [number] EXPLICIT: a constructed context-specific tag around what body writes.
  DerWriter& explicit_tag(uint32_t number, const Body& body);
  // [number] IMPLICIT on a primitive value: the contents under a context tag.
  DerWriter& implicit_primitive(uint32_t number, ByteView content);
  // [number] IMPLICIT on a SEQUENCE or SET: the contents body writes.
  DerWriter& implicit_constructed(uint32_t number, const Body& body);
  // An element already encoded (a Name, a SubjectPublicKeyInfo), copied as it is.
  DerWriter& raw(ByteView encoded);
  // Any tag with these contents (the building block of all of the above).
  DerWriter& element(const Tag& tag, ByteView content);

  const SecretBytes& bytes() const { return out_; }
  // The output as Bytes, for public values (certificates, requests).
  Bytes public_bytes() const { return Bytes(out_.begin(), out_.end()); }

 private:
  SecretBytes out_;
};

// One element's encoding, for the common case of a single constructed value:
// `encode([&](DerWriter& w) { w.sequence(...); })`.
SecretBytes encode(const DerWriter::Body& body);
Bytes encode_public(const DerWriter::Body& body);

}  // namespace tls12::x509
