// Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)-(c)): a CA certificate may
// limit the names of every certificate below it to permitted subtrees and
// keep them out of excluded ones, for each name form separately:
//
//   dNSName        "example.com" admits example.com and any name below it
//                  (a leading period is malformed here: certificate.h).
//                  A wildcard SAN "*.example.com" is the set of names it can
//                  match: permitted only if every one of them is, excluded if
//                  any one of them is.
//   iPAddress      address and mask (CIDR), same family only.
//   rfc822Name     "user@host" one mailbox, "host" its mailboxes, ".domain"
//                  mailboxes below it; applied to SAN rfc822Names and, when
//                  there is no SAN, to the subject's emailAddress attributes.
//   URI            the host of the URI: "host" exactly, ".domain" below it; a
//                  URI without a host, or with an IP literal, cannot satisfy it.
//   directoryName  the subject (and SAN directoryNames) must begin with the
//                  constraint's RDN sequence.
//
// Forms tls12 cannot process (otherName, x400Address, ediPartyName,
// registeredID) fail: "the application MUST either process the constraint or
// reject the certificate". The leaf's subject commonName is a DNS name here
// whenever the common-name fallback could match it: the leaf has no
// subjectAltName and the CN passes the predicate host-name matching uses
// (is_presented_dns_id). So --allow-cn-fallback cannot escape a constraint.
//
// The work is bounded: every (subtree, name) comparison spends one unit of a
// budget shared by the whole path search, so a chain built to make the
// product of constraints and names huge is refused instead of stalling the
// verifier.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "x509/certificate.h"

namespace tls12::x509 {

// Comparisons allowed for one verification (Go and rustls-webpki use the same
// order of magnitude; real chains need a few dozen).
inline constexpr size_t kNameConstraintComparisons = 250'000;

// The subtree of `ca`'s nameConstraints that tls12 cannot process, described
// ("otherName [0]"), or nullopt.
std::optional<std::string> unprocessable_name_constraint(const NameConstraints& nc);

// Why the names of `subject` break `nc` ("DNS name evil.example is outside the
// permitted subtrees"), or nullopt. `budget` is decremented per comparison;
// when it runs out the answer is a violation saying so.
std::optional<std::string> name_constraints_problem(const NameConstraints& nc, const Certificate& subject,
                                                    bool is_leaf, size_t& budget);

// The host of a URI ("https://user@www.example.com:8443/x" -> "www.example.com"),
// or nullopt if it has none or it is an IP literal.
std::optional<std::string> uri_host(std::string_view uri);

}  // namespace tls12::x509
