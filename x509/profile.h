// The certificate profile: rules about one certificate in its role (leaf,
// intermediate CA, trust anchor) that path validation checks besides the
// chaining rules of RFC 5280 §6.
//
// rfc5280 (both policies):
//   - an empty subject needs a critical subjectAltName (§4.1.2.6, §4.2.1.6);
//   - nameConstraints only in CA certificates, and critical (§4.2.1.10).
// web (Policy::web only; CA/Browser Forum Baseline Requirements 2.x):
//   - serialNumber positive, non-zero, at most 20 octets (RFC 5280 §4.1.2.2, BR 7.1);
//   - authorityKeyIdentifier not critical, with keyIdentifier (RFC 5280
//     §4.2.1.1), in every leaf and intermediate (BR 7.1.2.11.1); a root's, if
//     present, has no issuer/serial and equals its subjectKeyIdentifier
//     (BR 7.1.2.1.3); CA certificates carry subjectKeyIdentifier (§4.2.1.2);
//   - a leaf carries extKeyUsage with serverAuth (clientAuth for a client),
//     not anyExtendedKeyUsage, not critical (BR 7.1.2.7.10, 7.1.2.7.6);
//   - basicConstraints critical in CA certificates (§4.2.1.9, BR 7.1.2.10.4),
//     cA FALSE in leaves (BR 7.1.2.7.8); keyCertSign only with cA TRUE
//     (§4.2.1.3); a CA has a non-empty subject (§4.1.2.6);
//   - policyConstraints critical (§4.2.1.11); authorityInfoAccess well formed
//     and not critical (§4.2.2.1);
//   - RSA moduli a whole number of bytes and at least 2048 bits (BR 6.1.5, 7.1.3.1.1);
//   - a leaf has a subjectAltName, not critical when the subject is not
//     empty; its DNS names are host names (letters, digits, hyphens: no
//     underscores) with at most a "*." in front; a wildcard never covers a
//     public suffix (BR 3.2.2.6, using the public suffix list Debian's
//     `publicsuffix` package installs, read at run time); a subject CN is one
//     of the SAN values (BR 7.1.2.7.12, 7.1.4.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "x509/certificate.h"
#include "x509/path_validation.h"

namespace tls12::x509 {

enum class CertRole { leaf, intermediate, anchor };

struct ProfileProblem {
  Reason reason;
  std::string what;  // "has ... (RULE §N)"
};

std::optional<ProfileProblem> profile_problem(const Certificate& cert, CertRole role, Policy policy,
                                              Purpose purpose);

// Where the public suffix list is read from (Debian's `publicsuffix` package).
inline constexpr const char* kPublicSuffixListPath = "/usr/share/publicsuffix/public_suffix_list.dat";
// Whether `domain` is a public suffix ("co.uk", "com", "github.io") by the
// rules of the list (wildcard and exception rules included). Throws
// std::runtime_error if the list cannot be read: a check that cannot be made
// must not pass.
bool is_public_suffix(std::string_view domain);

}  // namespace tls12::x509
