// Certification path validation (RFC 5280 §6) for a TLS client or server:
// is this chain, from the peer's certificate up to one of our trust anchors,
// good for this purpose, this name and this time?
//
// Chain building (RFC 4158 in spirit): from the leaf, every certificate among
// the untrusted intermediates and the trust anchors whose subject matches the
// issuer (and whose subjectKeyIdentifier matches the authorityKeyIdentifier
// when both are present) is a candidate; each is tried in turn, depth first,
// with loop detection and a depth limit, until a path ends at a trust anchor
// and passes every check. If none does, the most specific failure is reported.
//
// Checks on a path leaf, CA_1, ..., anchor:
//   - each signature verifies with the issuer's key (RSA PKCS#1 v1.5 with
//     SHA-256/384/512, RSA-PSS, Ed25519; SHA-1 and MD5 are refused);
//   - every certificate is within its validity period at the given time;
//   - every CA has basicConstraints cA=TRUE (§4.2.1.9), respects its
//     pathLenConstraint, and has keyCertSign if it has keyUsage (§4.2.1.3);
//   - no certificate has an unrecognised critical extension (§4.2);
//   - the extKeyUsage of the leaf and intermediates (if present) allows
//     serverAuth or clientAuth; the leaf's keyUsage is checked where the
//     handshake uses the key (RFC 5246 §7.4.2), not here, so a CA certificate
//     is a valid end-entity certificate;
//   - nameConstraints (§4.2.1.10, name_constraints.h) of every CA hold for
//     every name below it, are critical and appear only in CA certificates;
//   - the certificate profile (profile.h): RFC 5280's rules always, the CA/B
//     Forum's under Policy::web;
//   - certificate policies are not processed; a requireExplicitPolicy that
//     would make a valid policy tree necessary fails (unsupported_policy);
//   - the leaf matches the host name or IP address asked for (hostname.h).
//
// Every failure message names the certificate by its depth in the path (0 is
// the leaf) and its subject, and the rule with its RFC or CABF section.
//
// For the handshake, the reasons map to alerts (RFC 5246 §7.2.2):
//   expired, not_yet_valid                        -> certificate_expired
//   unknown_issuer                                -> unknown_ca
//   unsupported_algorithm                         -> unsupported_certificate
//   bad_extended_key_usage, bad_key_usage         -> unsupported_certificate
//   every other reason (bad_signature, not_a_ca, path_length_exceeded,
//   hostname_mismatch, name_constraints_violation, profile_violation,
//   unsupported_policy, malformed, ...)         -> bad_certificate
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"
#include "x509/certificate.h"

namespace tls12::x509 {

enum class Purpose { server, client };

// Which rules a chain must meet (docs/x509.md has the table of rules):
//   rfc5280  what every conforming verifier enforces (RFC 5280 §4, §6; RFC 6125).
//   web      rfc5280 plus the CA/Browser Forum Baseline Requirements'
//            certificate profile, as browsers enforce for public servers.
enum class Policy { rfc5280, web };
std::string_view policy_name(Policy policy);
// "rfc5280" / "web" in any case; nullopt for anything else.
std::optional<Policy> parse_policy(std::string_view text);

enum class Reason {
  ok,
  malformed,                   // a certificate does not parse
  empty_chain,                 // no certificate given
  unknown_issuer,              // no path to a trust anchor
  bad_signature,               // an issuer's signature does not verify
  unsupported_algorithm,       // SHA-1, MD5, P-256 or another algorithm we refuse
  expired,                     // now > notAfter
  not_yet_valid,               // now < notBefore
  not_a_ca,                    // an issuer without basicConstraints cA=TRUE
  path_length_exceeded,        // more CAs below than pathLenConstraint allows
  bad_key_usage,               // CA without keyCertSign, or leaf key usage unfit for TLS
  bad_extended_key_usage,      // extKeyUsage without serverAuth/clientAuth
  unknown_critical_extension,  // a critical extension we do not process
  name_constraints_violation,  // a name outside a CA's permitted / inside its excluded subtrees
  hostname_mismatch,
  ip_address_mismatch,
  chain_too_long,              // depth limit reached while building
  profile_violation,           // a rule of the certificate profile (RFC 5280 §4, CABF BR §7.1 under web)
  unsupported_policy,          // requireExplicitPolicy would need certificate-policy processing
};

// "expired", "hostname_mismatch", ...
std::string_view reason_name(Reason reason);

struct VerifyOptions {
  Purpose purpose = Purpose::server;
  Policy policy = Policy::rfc5280;
  std::optional<std::string> hostname;    // check the leaf against this DNS name
  std::optional<std::string> ip_address;  // or against this IP address (text form)
  std::optional<int64_t> time;            // Unix seconds; now if unset
  bool allow_common_name_fallback = false;  // RFC 6125 §6.4.4 legacy behaviour
  size_t max_depth = 10;                    // certificates in a path, anchor included
};

// A failed verification as an exception, for callers that prefer to throw
// (the handshake catches it and sends the alert the table above gives).
class VerifyError : public std::runtime_error {
 public:
  VerifyError(Reason reason, const std::string& message) : std::runtime_error(message), reason_(reason) {}
  Reason reason() const { return reason_; }

 private:
  Reason reason_;
};

struct VerifyResult {
  Reason reason = Reason::ok;
  std::string message;  // names the certificate and the rule; empty when ok
  std::vector<Certificate> chain;  // leaf ... anchor, when ok
  bool ok() const { return reason == Reason::ok; }
  // Throws VerifyError unless ok().
  void throw_if_failed() const {
    if (!ok()) throw VerifyError(reason, message);
  }
};

// The certificates we trust as roots of paths (the --ca file).
class TrustStore {
 public:
  void add(Certificate anchor) { anchors_.push_back(std::move(anchor)); }
  void add_pem(std::string_view pem_text);
  // One DER certificate from memory. Throws x509 parse errors for bad DER.
  void add_der(ByteView der);
  // Every certificate of a text that is PEM (any number) or one DER
  // certificate; returns how many were added.
  size_t add_pem_or_der(ByteView bytes);
  static TrustStore from_pem_file(const std::filesystem::path& path);
  const std::vector<Certificate>& anchors() const { return anchors_; }
  bool empty() const { return anchors_.empty(); }
  // The anchors' subject Names as DER: the certificate_authorities list of a
  // CertificateRequest (RFC 5246 §7.4.4).
  std::vector<Bytes> subject_names() const;

 private:
  std::vector<Certificate> anchors_;
};

VerifyResult verify_chain(const Certificate& leaf, std::span<const Certificate> untrusted,
                          const TrustStore& trust, const VerifyOptions& options);
// For a TLS Certificate message (RFC 5246 §7.4.2): leaf first, then whatever
// the peer sent; a certificate that does not parse is Reason::malformed.
VerifyResult verify_chain_der(std::span<const Bytes> certificate_list, const TrustStore& trust,
                              const VerifyOptions& options);
// The same when the caller has already parsed the leaf (certificate_list[0]),
// as a TLS handshake does to read the peer's key: it is not parsed twice.
VerifyResult verify_chain_der(const Certificate& leaf, std::span<const Bytes> certificate_list,
                              const TrustStore& trust, const VerifyOptions& options);

}  // namespace tls12::x509
