// Does this certificate name this server? RFC 6125 §6 for DNS names and
// RFC 5280 §4.2.1.6 for IP addresses.
//
//  - Reference identifiers are compared with the subjectAltName dNSName
//    entries. The subject's commonName is consulted only when the certificate
//    has no subjectAltName extension at all, and only if the caller asks for
//    that legacy behaviour (RFC 6125 §6.4.4).
//  - Comparison is case-insensitive (ASCII, §6.4.1); a trailing dot is ignored.
//  - A wildcard is accepted only as the whole left-most label ("*.example.com",
//    §6.4.3), covering exactly one label, and never with fewer than two labels
//    after it ("*.com" is refused). "f*o.example.com" and "*.*.example.com"
//    are refused: partial and multiple wildcards are how mis-issued
//    certificates cover more names than intended.
//  - An IP address matches only a subjectAltName iPAddress entry of the same
//    family, byte for byte; never a dNSName or the commonName.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.h"
#include "x509/certificate.h"

namespace tls12::x509 {

// ASCII lower case (host names compare case-insensitively in ASCII only,
// RFC 6125 §6.4.1; no locale).
std::string ascii_lowercase(std::string_view s);
// a == b ignoring ASCII case; also how registry names (suites, groups,
// signature schemes) are looked up.
bool ascii_equal_ignoring_case(std::string_view a, std::string_view b);
// "example.com": labels of 1..63 letters, digits and hyphens, at most 253
// octets, no trailing dot, no wildcard (RFC 1034 §3.5, RFC 5890 §2.3.1 LDH).
bool is_ldh_domain(std::string_view name);
// Whether a presented identifier (a SAN dNSName or, with the fallback, a CN)
// can match any host at all under the rules below: a host name, or "*." and a
// host name of at least two labels. Matching and name constraints use this
// one predicate, so a CN the fallback could match is always a name the
// constraints see.
bool is_presented_dns_id(std::string_view presented);
// Whether one presented DNS identifier (possibly a wildcard) matches `host`.
bool dns_name_matches(std::string_view presented, std::string_view host);
bool certificate_matches_hostname(const Certificate& cert, std::string_view host,
                                  bool allow_common_name_fallback = false);
bool certificate_matches_ip(const Certificate& cert, ByteView address);

// "127.0.0.1" -> 4 bytes, "::1" -> 16 bytes; nullopt if not an address.
std::optional<Bytes> parse_ip_address(std::string_view text);
// 4 or 16 bytes -> text (IPv6 in full hex groups, lower case).
std::string format_ip_address(ByteView address);

}  // namespace tls12::x509
