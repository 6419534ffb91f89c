// Writing the names a certificate or request carries: the subject and issuer
// Name (RFC 5280 §4.1.2.4) and the subjectAltName GeneralNames (§4.2.1.6),
// from the spellings people type.
//
//   Name: openssl's -subj form, "/CN=localhost/O=tls12 demo", with the
//     attributes CN, O, OU, L, ST and C. Values are UTF8String (RFC 5280
//     §4.1.2.4: "CAs conforming to this profile MUST use either the
//     PrintableString or UTF8String encoding"), except countryName, which
//     X.520 makes a two-letter PrintableString.
//   subjectAltName: host names ("localhost", "*.example.com") become dNSName
//     [2] IA5String, addresses ("127.0.0.1", "::1") iPAddress [7] OCTET STRING
//     of 4 or 16 bytes. Anything else is refused, naming the bad entry.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace tls12::x509 {

// "/CN=localhost/O=tls12" -> the DER of the Name, one attribute per RDN in
// the order written. std::invalid_argument names what is wrong.
Bytes encode_distinguished_name(std::string_view subject);

struct SubjectAltNames {
  std::vector<std::string> dns_names;
  std::vector<Bytes> ip_addresses;  // 4 or 16 bytes each
  bool empty() const { return dns_names.empty() && ip_addresses.empty(); }
};

// Sorts each entry into DNS names and IP addresses. std::invalid_argument
// ("'a..b' is neither a DNS name nor an IP address") for anything else.
SubjectAltNames parse_subject_alt_names(const std::vector<std::string>& entries);

// The extnValue of a subjectAltName extension: GeneralNames ::= SEQUENCE OF GeneralName.
Bytes encode_subject_alt_name(const SubjectAltNames& names);

}  // namespace tls12::x509
