// Distinguished names (RFC 5280 §4.1.2.4, X.501): the issuer and subject of a
// certificate, and how they are compared and printed.
//
//   Name ::= SEQUENCE OF RelativeDistinguishedName
//   RelativeDistinguishedName ::= SET OF AttributeTypeAndValue
//   AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
//
// The string form follows RFC 4514: RDNs in reverse order, comma-separated,
// short names for the common attributes ("CN=localhost,O=tls12 test,C=US").
// Chain building matches a certificate's issuer against candidate subjects
// with RFC 5280 §7.1 comparison (case-insensitive, whitespace-collapsed) when
// the encodings differ, so a CA re-encoded as UTF8String still matches.
#pragma once

#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "x509/der.h"

namespace tls12::x509 {

struct AttributeTypeAndValue {
  std::string type;   // dotted OID
  std::string value;  // as UTF-8 (strings), or "#hex" of the DER for other types (RFC 4514 §2.4)
  uint32_t value_tag = 0;  // the universal string tag, or 0 for a value that is not a string
};

struct Name {
  Bytes der;  // the whole encoded Name: what certificate_authorities (RFC 5246 §7.4.4) carries
  std::vector<std::vector<AttributeTypeAndValue>> rdns;

  // RFC 4514 string form; an empty name is "".
  std::string to_string() const;
  // The values of every commonName attribute, in order.
  std::vector<std::string> common_names() const;
  bool empty() const { return rdns.empty(); }
};

// Reads one Name from `reader`.
Name read_name(DerReader& reader, std::string_view what);
// Parses a whole DER-encoded Name.
Name parse_name(ByteView der);

// RFC 5280 §7.1 name matching: identical encodings match; otherwise the same
// attributes in the same RDN structure with string values equal after ASCII
// case folding and collapsing of inner whitespace.
bool names_match(const Name& a, const Name& b);
// Whether the RDN sequence of `name` begins with that of `prefix`, each RDN
// compared as above: the directoryName subtree test of RFC 5280 §4.2.1.10.
bool name_starts_with(const Name& name, const Name& prefix);

}  // namespace tls12::x509
