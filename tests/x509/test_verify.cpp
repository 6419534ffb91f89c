// Path validation on the test PKI of make_test_pki.sh: the documented CA,
// server and client set-up must verify under both policies (rfc5280 and
// web), valid but unusual chains must verify, and each rule of RFC 5280 §6,
// RFC 6125 and the web profile has a certificate that breaks it. Every case
// runs three ways: through x509::verify_chain (the exact Reason and the
// message naming depth, subject and rule), through `tls12 verify` (exit
// status and the reason on stderr), and through `openssl verify` with the same
// -attime, -purpose, -verify_hostname/-verify_ip (and -x509_strict for web);
// the test asserts that OpenSSL agrees, or, for the documented cases, that it
// disagrees exactly as noted (docs/x509.md lists them). Certificates that do
// not parse are MalformedChain cases: invalid (exit 1), never a usage error.
#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "tests/x509/test_pki.h"
#include "x509/certificate.h"
#include "x509/hostname.h"
#include "x509/path_validation.h"
#include "x509/der.h"
#include "x509/pem.h"
#include "x509/profile.h"

namespace tls12::x509 {
namespace {

constexpr int64_t kDay = 86400;

struct Case {
  const char* name;
  const char* leaf;
  const char* untrusted;  // "" for none
  const char* ca;
  const char* host;  // "" for none
  const char* ip;    // "" for none
  Purpose purpose;
  int64_t days_after_issue;  // the --at time, relative to server.pem's notBefore + 1 day
  Reason expected;
  const char* openssl_differs = nullptr;  // why OpenSSL decides otherwise, if it does
  bool cn_fallback = false;
  Policy policy = Policy::rfc5280;  // web cases run `openssl verify -x509_strict`
  const char* message = "";         // a part of the message the failure must carry
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

// The CA/B Forum profile rules that `openssl verify -x509_strict` does not check.
constexpr const char* kWebOnly =
    "a CA/Browser Forum Baseline Requirements rule of the web policy, which openssl verify (even with "
    "-x509_strict) does not enforce";

const Case kCases[] = {
    // The documented set-up.
    {"server_for_localhost", "server.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    {"server_for_127_0_0_1", "server.pem", "", "ca.pem", "", "127.0.0.1", Purpose::server, 0, Reason::ok},
    {"server_bundle_through_intermediate", "server-bundle.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok},
    {"client_for_client_auth", "client.pem", "", "ca.pem", "", "", Purpose::client, 0, Reason::ok},
    {"ed25519_leaf", "ed-leaf.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    {"ed25519_root_signature", "ed-signed.pem", "", "ed-ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    {"rsa_pss_signature", "pss.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    {"name_constraints_permitted", "nc-good.pem", "nc-int.pem", "ca.pem", "www.allowed.example", "", Purpose::server,
     0, Reason::ok},
    {"wildcard_one_label", "wild-good.pem", "", "ca.pem", "www.example.com", "", Purpose::server, 0, Reason::ok},
    {"wildcard_case_insensitive", "wild-good.pem", "", "ca.pem", "WWW.Example.COM", "", Purpose::server, 0, Reason::ok},
    {"common_name_with_compat_option", "cn-only.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok,
     nullptr, true},
    {"v1_root_as_trust_anchor", "v1-ca-leaf.pem", "", "v1-ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    {"v1_leaf", "v1-leaf.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::ok},
    {"v1_intermediate_is_not_a_ca", "v1-int-leaf.pem", "v1-int.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::not_a_ca},
    {"pinned_self_signed_leaf", "ed-ca.pem", "", "ed-ca.pem", "", "", Purpose::server, 0, Reason::ok},
    // One case per rule.
    {"trusted_leaf_that_is_not_self_signed", "server.pem", "", "server.pem", "", "", Purpose::server, 0,
     Reason::unknown_issuer},
    {"expired", "server.pem", "", "ca.pem", "localhost", "", Purpose::server, 900, Reason::expired},
    {"not_yet_valid", "server.pem", "", "ca.pem", "localhost", "", Purpose::server, -30, Reason::not_yet_valid},
    {"wrong_host", "server.pem", "", "ca.pem", "example.com", "", Purpose::server, 0, Reason::hostname_mismatch},
    {"wrong_ip", "server.pem", "", "ca.pem", "", "10.0.0.1", Purpose::server, 0, Reason::ip_address_mismatch},
    {"untrusted_root", "other-server.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::unknown_issuer},
    {"missing_intermediate", "server2.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::unknown_issuer},
    {"intermediate_without_ca_true", "noca-leaf.pem", "noca-int.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::not_a_ca},
    {"path_length_exceeded", "pathlen-leaf.pem", "pathlen-untrusted.pem", "ca.pem", "localhost", "", Purpose::server,
     0, Reason::path_length_exceeded},
    {"flipped_signature_byte", "flipped.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::bad_signature},
    {"ca_without_key_cert_sign", "noksign-leaf.pem", "noksign-int.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::bad_key_usage},
    {"issuer_loop_terminates", "loop-leaf.pem", "loop-untrusted.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::unknown_issuer},
    {"unknown_critical_extension", "critical.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::unknown_critical_extension},
    {"client_certificate_as_server", "eku.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::bad_extended_key_usage},
    {"server_certificate_as_client", "server.pem", "", "ca.pem", "", "", Purpose::client, 0,
     Reason::bad_extended_key_usage},
    {"name_constraints_dns_violation", "nc-bad.pem", "nc-int.pem", "ca.pem", "evil.example", "", Purpose::server, 0,
     Reason::name_constraints_violation},
    {"name_constraints_ip_violation", "nc-badip.pem", "nc-int.pem", "ca.pem", "www.allowed.example", "",
     Purpose::server, 0, Reason::name_constraints_violation},
    {"wildcard_covers_one_label_only", "wild-good.pem", "", "ca.pem", "a.b.example.com", "", Purpose::server, 0,
     Reason::hostname_mismatch},
    {"wildcard_not_the_bare_domain", "wild-good.pem", "", "ca.pem", "example.com", "", Purpose::server, 0,
     Reason::hostname_mismatch},
    {"wildcard_double", "wild-double.pem", "", "ca.pem", "a.b.example.com", "", Purpose::server, 0,
     Reason::hostname_mismatch},
    {"wildcard_partial_label", "wild-partial.pem", "", "ca.pem", "foo.example.com", "", Purpose::server, 0,
     Reason::hostname_mismatch},
    // Valid but unusual chains.
    {"ca_certificate_as_leaf", "ca.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::ok,
     "OpenSSL's sslserver purpose requires a TLS keyUsage in the leaf; RFC 5280 makes a CA certificate a valid "
     "end-entity certificate, and tls12 checks keyUsage where the handshake uses the key (RFC 5246 §7.4.2, RFC "
     "5280 §4.2.1.3)"},
    {"ca_certificate_as_leaf_under_pathlen_0", "caleaf.pem", "int.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok},
    {"cross_signed_root", "xleaf.pem", "xroot-untrusted.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok,
     "OpenSSL takes the first issuer it finds among the untrusted certificates (here the root's self-signed copy) "
     "and fails; tls12 tries every candidate issuer until a path reaches a trust anchor (RFC 4158 §2.4)"},
    {"empty_subject_with_critical_san", "empty-subject-critical-san.pem", "", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::ok},
    {"v1_leaf_with_cn_fallback", "v1-leaf.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok, nullptr,
     true},
    {"name_constraints_directory_name_permitted", "nc-dir-good.pem", "nc-dir.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::ok},
    {"name_constraints_email_permitted", "nc-email-good.pem", "nc-email.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::ok},
    {"name_constraints_uri_permitted", "nc-uri-good.pem", "nc-uri.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok},
    {"name_constraints_wildcard_outside_excluded", "nc-wild-ok.pem", "nc-excl.pem", "ca.pem", "www.example.org", "",
     Purpose::server, 0, Reason::ok},
    // Name constraints on every name form.
    {"name_constraints_directory_name_violation", "nc-dir-bad.pem", "nc-dir.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation, nullptr, false, Policy::rfc5280,
     "certificate at depth 0 'CN=localhost,O=elsewhere': directory name 'CN=localhost,O=elsewhere' is outside the "
     "permitted subtrees of the nameConstraints of certificate at depth 1 'CN=tls12 nc-dir,O=tls12 test' (RFC 5280 "
     "§4.2.1.10)"},
    {"name_constraints_email_violation", "nc-email-bad.pem", "nc-email.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation, nullptr, false, Policy::rfc5280,
     "e-mail address bob@evil.example is outside the permitted subtrees"},
    {"name_constraints_uri_violation", "nc-uri-bad.pem", "nc-uri.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::name_constraints_violation, nullptr, false, Policy::rfc5280,
     "URI https://evil.example/ is outside the permitted subtrees"},
    {"name_constraints_uri_without_host", "nc-uri-nohost.pem", "nc-uri.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation, nullptr, false, Policy::rfc5280,
     "URI urn:example:1 (no host name to check) is outside the permitted subtrees"},
    {"name_constraints_unprocessable_form", "nc-other-leaf.pem", "nc-other.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation,
     "OpenSSL ignores an otherName constraint when the certificates below have no otherName; RFC 5280 §4.2.1.10 "
     "says to process a constraint or reject, and tls12 cannot process otherName",
     false, Policy::rfc5280, "constrains the otherName [0] name form, which tls12 cannot process"},
    {"name_constraints_not_critical", "nc-noncritical-leaf.pem", "nc-noncritical.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation,
     "OpenSSL applies non-critical nameConstraints; RFC 5280 §4.2.1.10 says they MUST be critical", false,
     Policy::rfc5280, "has non-critical nameConstraints (RFC 5280 §4.2.1.10: MUST be critical)"},
    {"name_constraints_in_a_leaf", "nc-in-leaf.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::name_constraints_violation,
     "OpenSSL ignores nameConstraints in an end-entity certificate; RFC 5280 §4.2.1.10 allows them in CA "
     "certificates only",
     false, Policy::rfc5280, "has nameConstraints but is not a CA"},
    {"name_constraints_wildcard_can_match_excluded", "nc-wild-excluded.pem", "nc-excl.pem", "ca.pem",
     "www.example.com", "", Purpose::server, 0, Reason::name_constraints_violation,
     "OpenSSL compares the wildcard as a string; *.example.com can match bad.example.com, which the CA excluded "
     "(RFC 5280 §4.2.1.10)",
     false, Policy::rfc5280, "DNS name *.example.com is inside an excluded subtree"},
    {"name_constraints_apply_to_the_cn_fallback", "nc-cn-only.pem", "nc-int.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::name_constraints_violation,
     "OpenSSL checks a CN against DNS constraints only when it contains a dot, yet matches host names against "
     "such a CN; tls12 uses one host-name predicate for both (RFC 5280 §4.2.1.10, RFC 6125 §6.4.4)",
     true, Policy::rfc5280, "DNS name localhost is outside the permitted subtrees"},
    // Subject and subjectAltName.
    {"empty_subject_needs_critical_san", "empty-subject-noncritical-san.pem", "", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::profile_violation,
     "OpenSSL checks this only with -x509_strict; RFC 5280 §4.2.1.6 makes the SAN of an empty subject critical",
     false, Policy::rfc5280, "has an empty subject and a non-critical subjectAltName (RFC 5280 §4.2.1.6"},
    {"v1_leaf_has_no_host_name", "v1-leaf.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::hostname_mismatch,
     "OpenSSL falls back to the subject CN of a leaf without subjectAltName; tls12 does only with "
     "--allow-cn-fallback (RFC 6125 §6.4.4)",
     false, Policy::rfc5280,
     "has no subjectAltName, so it names no host name (RFC 6125 §6.4.4: the subject CN is not used); reissue it "
     "with -addext \"subjectAltName=DNS:localhost\", or accept the CN with --allow-cn-fallback"},
    // The web policy (openssl verify -x509_strict is the closest OpenSSL has).
    {"web_documented_server", "server.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok, nullptr,
     false, Policy::web},
    {"web_documented_bundle", "server-bundle.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok,
     nullptr, false, Policy::web},
    {"web_documented_client", "client.pem", "", "ca.pem", "", "", Purpose::client, 0, Reason::ok, nullptr, false,
     Policy::web},
    {"web_wildcard_below_public_suffix", "web-wild-ok.pem", "", "ca.pem", "www.example.co.uk", "", Purpose::server, 0,
     Reason::ok, nullptr, false, Policy::web},
    {"web_leaf_without_eku", "web-no-eku.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::bad_extended_key_usage, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has no extKeyUsage; a server leaf needs serverAuth (BR 7.1.2.7.10)"},
    {"web_leaf_with_any_eku", "web-any-eku.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::bad_extended_key_usage, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has anyExtendedKeyUsage in a leaf (BR 7.1.2.7.10)"},
    {"web_leaf_with_critical_eku", "web-critical-eku.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::bad_extended_key_usage, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a critical extKeyUsage in a leaf (BR 7.1.2.7.6)"},
    {"web_underscore_in_dns_name", "web-underscore.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=my_host.example.com,O=tls12 test' has DNS name 'my_host.example.com', which is not a host name (BR 7.1.2.7.12"},
    {"web_wildcard_covers_public_suffix", "web-wild-public-suffix.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=*.co.uk,O=tls12 test' has wildcard DNS name *.co.uk, which covers the public suffix co.uk (BR 3.2.2.6)"},
    {"web_cn_not_in_san", "web-cn-not-in-san.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has commonName 'localhost', which is not one of its subjectAltName values (BR 7.1.4.3)"},
    {"web_critical_san_with_subject", "web-critical-san.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a critical subjectAltName and a non-empty subject (RFC 5280 §4.2.1.6, BR 7.1.2.7.12)"},
    {"web_key_cert_sign_without_ca", "web-key-cert-sign.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' asserts keyCertSign without basicConstraints cA TRUE (RFC 5280 §4.2.1.3)"},
    {"web_critical_aki", "web-critical-aki.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a critical authorityKeyIdentifier (RFC 5280 §4.2.1.1"},
    {"web_aki_without_key_identifier", "web-aki-no-keyid.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has an authorityKeyIdentifier without keyIdentifier (RFC 5280 §4.2.1.1, BR 7.1.2.11.1)"},
    {"web_noncritical_policy_constraints", "web-noncritical-policy-constraints.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has non-critical policyConstraints (RFC 5280 §4.2.1.11"},
    {"web_malformed_aia", "web-bad-aia.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a malformed authorityInfoAccess"},
    {"web_serial_zero", "web-serial-zero.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has serialNumber 0 (RFC 5280 §4.1.2.2, BR 7.1"},
    {"web_serial_negative", "web-serial-negative.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a negative serialNumber (RFC 5280 §4.1.2.2, BR 7.1)"},
    {"web_serial_too_long", "web-serial-long.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a serialNumber of 21 octets (RFC 5280 §4.1.2.2: at most 20)"},
    {"web_rsa_modulus_not_whole_bytes", "web-odd-modulus.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 0 'CN=localhost,O=tls12 test' has a 2052-bit RSA modulus (BR 6.1.5, 7.1.3.1.1"},
    {"web_ca_certificate_as_leaf", "caleaf.pem", "int.pem", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::profile_violation, kWebOnly, false, Policy::web, "is a leaf with basicConstraints cA TRUE (BR 7.1.2.7.8"},
    {"web_intermediate_noncritical_basic_constraints", "web-int-noncritical-bc-leaf.pem", "web-int-noncritical-bc.pem",
     "ca.pem", "localhost", "", Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "certificate at depth 1 'CN=tls12 web-int-noncritical-bc,O=tls12 test' is a CA certificate with non-critical "
     "basicConstraints (RFC 5280 §4.2.1.9, BR 7.1.2.10.4)"},
    {"web_intermediate_without_ski", "web-int-no-ski-leaf.pem", "web-int-no-ski.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "certificate at depth 1 'CN=tls12 web-int-no-ski,O=tls12 test' is a CA certificate without "
     "subjectKeyIdentifier (RFC 5280 §4.2.1.2, BR 7.1.2.11.4)"},
    {"web_root_aki_names_its_issuer", "aki-root-leaf.pem", "", "aki-root.pem", "localhost", "", Purpose::server, 0,
     Reason::profile_violation, kWebOnly, false, Policy::web,
     "certificate at depth 1 'CN=tls12 AKI Root,O=tls12 test' is a root whose authorityKeyIdentifier has "
     "authorityCertIssuer/SerialNumber (BR 7.1.2.1.3)"},
    {"web_v1_leaf", "v1-leaf.pem", "", "ca.pem", "", "", Purpose::server, 0, Reason::profile_violation, kWebOnly, false,
     Policy::web, "certificate at depth 0 'CN=localhost,O=tls12 test' has no authorityKeyIdentifier (RFC 5280 §4.2.1.1"},
    {"web_ca_with_empty_subject", "empty-subject-ca-leaf.pem", "empty-subject-ca.pem", "ca.pem", "localhost", "",
     Purpose::server, 0, Reason::profile_violation, nullptr, false, Policy::web,
     "is a CA with an empty subject (RFC 5280 §4.1.2.6, BR 7.1.2.10.2)"},
    {"rfc5280_accepts_ca_with_empty_subject_and_critical_san", "empty-subject-ca-leaf.pem", "empty-subject-ca.pem",
     "ca.pem", "localhost", "", Purpose::server, 0, Reason::ok},
    // Certificate policies are not processed: a requireExplicitPolicy that
    // bites fails, one that does not is harmless.
    {"require_explicit_policy_that_bites", "explicit-policy-0-leaf.pem", "explicit-policy-0.pem", "ca.pem",
     "localhost", "", Purpose::server, 0, Reason::unsupported_policy,
     "openssl verify checks certificate policies only with -policy_check; with requireExplicitPolicy=0 and no "
     "certificatePolicies the valid policy tree is empty, so RFC 5280 §6.1.5 (g) makes the path invalid",
     false, Policy::rfc5280,
     "certificate at depth 1 'CN=tls12 explicit-policy-0,O=tls12 test' has policyConstraints "
     "requireExplicitPolicy=0, which needs certificate policy processing"},
    {"require_explicit_policy_out_of_reach", "explicit-policy-5-leaf.pem", "explicit-policy-5.pem", "ca.pem",
     "localhost", "", Purpose::server, 0, Reason::ok},
    // The rfc5280 policy accepts what only the web profile forbids.
    {"rfc5280_accepts_leaf_without_eku", "web-no-eku.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok},
    {"rfc5280_accepts_serial_zero", "web-serial-zero.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::ok},
    {"rfc5280_accepts_wildcard_on_public_suffix", "web-wild-public-suffix.pem", "", "ca.pem", "www.co.uk", "",
     Purpose::server, 0, Reason::ok},
    // Documented disagreements.
    {"sha1_signature", "sha1.pem", "", "ca.pem", "localhost", "", Purpose::server, 0, Reason::unsupported_algorithm,
     "OpenSSL 3.0 at its default security level 1 still accepts SHA-1 certificate signatures; tls12 refuses them "
     "because SHA-1 collisions are practical (SHAttered, 2017)"},
    {"common_name_without_option", "cn-only.pem", "", "ca.pem", "localhost", "", Purpose::server, 0,
     Reason::hostname_mismatch,
     "OpenSSL falls back to the subject CN when there is no subjectAltName DNS entry; RFC 6125 §6.4.4 makes that "
     "legacy, so tls12 does it only with --allow-cn-fallback"},
};

class VerifyCase : public ::testing::TestWithParam<Case> {
 protected:
  static std::filesystem::path pki() { return test::test_pki_dir(); }
  static std::string path(const char* file) { return (pki() / file).string(); }

  int64_t at_time(const Case& c) const {
    const Certificate server = load_certificates_file(pki() / "server.pem").front();
    return server.not_before + kDay + c.days_after_issue * kDay;
  }
};

TEST_P(VerifyCase, ApiCliAndOpenSslDecide) {
  const Case& c = GetParam();
  const int64_t at = at_time(c);

  // 1. The library, with the exact reason.
  std::vector<Certificate> leaf_file = load_certificates_file(path(c.leaf));
  std::vector<Certificate> untrusted(leaf_file.begin() + 1, leaf_file.end());
  if (*c.untrusted) {
    auto more = load_certificates_file(path(c.untrusted));
    untrusted.insert(untrusted.end(), more.begin(), more.end());
  }
  VerifyOptions options;
  options.purpose = c.purpose;
  options.time = at;
  if (*c.host) options.hostname = c.host;
  if (*c.ip) options.ip_address = c.ip;
  options.allow_common_name_fallback = c.cn_fallback;
  options.policy = c.policy;
  const VerifyResult result = verify_chain(leaf_file.front(), untrusted, TrustStore::from_pem_file(path(c.ca)), options);
  EXPECT_EQ(reason_name(result.reason), reason_name(c.expected)) << result.message;
  if (!result.ok()) {
    EXPECT_NE(result.message.find("certificate at depth "), std::string::npos) << result.message;
    EXPECT_TRUE(result.message.find("RFC ") != std::string::npos || result.message.find("BR ") != std::string::npos)
        << "the rule and its section: " << result.message;
    EXPECT_NE(result.message.find(c.message), std::string::npos) << result.message;
  }

  // 2. `tls12 verify`.
  std::string args = " --ca " + path(c.ca) + " --at " + std::to_string(at) + " --purpose " +
                     (c.purpose == Purpose::server ? "server" : "client");
  if (*c.untrusted) args += " --untrusted " + path(c.untrusted);
  if (*c.host) args += std::string(" --host ") + c.host;
  if (*c.ip) args += std::string(" --ip ") + c.ip;
  if (c.cn_fallback) args += " --allow-cn-fallback";
  args += std::string(" --policy ") + std::string(policy_name(c.policy));
  const auto cli = test::run_command(test::tls12_binary() + " verify" + args + " " + path(c.leaf) + " 2>&1 >/dev/null");
  if (c.expected == Reason::ok) {
    EXPECT_EQ(cli.exit_code, 0) << cli.output;
    EXPECT_EQ(cli.output, "");
  } else {
    EXPECT_EQ(cli.exit_code, 1) << cli.output;
    EXPECT_EQ(cli.output.rfind("tls12 verify: " + std::string(reason_name(c.expected)) + ": ", 0), 0u) << cli.output;
    EXPECT_EQ(std::count(cli.output.begin(), cli.output.end(), '\n'), 1) << "one line on stderr: " << cli.output;
  }

  // 3. `openssl verify` with the same settings.
  std::string ossl = "openssl verify -CAfile " + path(c.ca) + " -attime " + std::to_string(at) + " -purpose " +
                     (c.purpose == Purpose::server ? "sslserver" : "sslclient");
  // OpenSSL verifies only the first certificate of the file: offer the rest as -untrusted.
  if (leaf_file.size() > 1) ossl += " -untrusted " + path(c.leaf);
  if (*c.untrusted) ossl += " -untrusted " + path(c.untrusted);
  if (*c.host) ossl += std::string(" -verify_hostname ") + c.host;
  if (*c.ip) ossl += std::string(" -verify_ip ") + c.ip;
  if (c.policy == Policy::web) ossl += " -x509_strict";
  const auto openssl = test::run_command(ossl + " " + path(c.leaf));
  const bool openssl_ok = openssl.exit_code == 0;
  if (c.openssl_differs == nullptr) {
    EXPECT_EQ(openssl_ok, c.expected == Reason::ok) << "OpenSSL disagrees: " << openssl.output;
  } else {
    EXPECT_NE(openssl_ok, c.expected == Reason::ok)
        << "documented as a disagreement (" << c.openssl_differs << ") but OpenSSL agrees: " << openssl.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Pki, VerifyCase, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// A certificate that does not parse is a rejected chain, not a usage error:
// the library says malformed, `tls12 verify` exits 1 with the reason, and
// OpenSSL refuses it too.
struct MalformedCase {
  const char* name;
  const char* file;
  const char* reason;  // what the parser reports
  const char* openssl_differs = nullptr;  // why OpenSSL accepts it, if it does
};

std::ostream& operator<<(std::ostream& os, const MalformedCase& c) { return os << c.name; }

const MalformedCase kMalformed[] = {
    {"truncated_der", "bad-truncated.pem", "DER: content runs past the end of the input"},
    {"duplicate_extension", "bad-duplicate-extension.pem", "extension 2.5.29.14 appears twice"},
    {"signature_algorithms_differ", "bad-signature-algorithms-differ.pem",
     "tbsCertificate.signature differs from signatureAlgorithm"},
    {"empty_extended_key_usage", "bad-empty-eku.pem", "extKeyUsage must not be empty",
     "OpenSSL accepts an empty extKeyUsage; RFC 5280 §4.2.1.12 defines it as SIZE (1..MAX)"},
    {"empty_general_subtrees", "bad-empty-subtrees.pem", "GeneralSubtrees must not be empty",
     "OpenSSL accepts an empty GeneralSubtrees; RFC 5280 §4.2.1.10 defines it as SIZE (1..MAX)"},
    {"san_ip_address_of_3_bytes", "bad-san-ip-length.pem", "subjectAltName iPAddress must be 4 or 16 bytes",
     "OpenSSL accepts a 3-byte iPAddress; RFC 5280 §4.2.1.6 allows 4 (IPv4) or 16 (IPv6) octets"},
    {"san_dns_name_not_ia5", "bad-san-dns-non-ia5.pem", "IA5String: non-ASCII character",
     "OpenSSL accepts non-ASCII octets in a dNSName; RFC 5280 §4.2.1.6 makes it an IA5String"},
    {"dns_constraint_with_leading_period", "bad-nc-dns-leading-period.pem",
     "nameConstraints dNSName '.allowed.example' has a leading period, a form RFC 5280 §4.2.1.10 defines only for "
     "rfc822Name and URI",
     "OpenSSL reads a leading period in a dNSName constraint as 'names below it'; RFC 5280 §4.2.1.10 gives that "
     "form to rfc822Name and URI constraints only"},
    {"dns_constraint_not_a_domain_name", "bad-nc-dns-not-a-name.pem",
     "nameConstraints dNSName 'allowed..example' is not a domain name",
     "OpenSSL accepts a dNSName constraint that is no domain name; RFC 5280 §4.2.1.10 constrains by DNS name"},
};

class MalformedChain : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedChain, IsInvalidWithTheReason) {
  const MalformedCase& c = GetParam();
  const std::string file = (test::test_pki_dir() / c.file).string();
  const auto blocks = pem_blocks_with_label(test::read_text(file), "CERTIFICATE");
  ASSERT_EQ(blocks.size(), 1u);
  const TrustStore trust = TrustStore::from_pem_file(test::test_pki_dir() / "ca.pem");
  const VerifyResult r = verify_chain_der(blocks, trust, VerifyOptions{});
  EXPECT_EQ(reason_name(r.reason), "malformed");
  EXPECT_NE(r.message.find(c.reason), std::string::npos) << r.message;

  const auto cli = test::run_command(test::tls12_binary() + " verify --ca " + (test::test_pki_dir() / "ca.pem").string() +
                                     " " + file + " 2>&1 >/dev/null");
  EXPECT_EQ(cli.exit_code, 1) << cli.output;
  EXPECT_EQ(cli.output.rfind("tls12 verify: malformed: certificate 0 of " + file + " does not parse: " + c.reason, 0),
            0u)
      << cli.output;
  const auto openssl =
      test::run_command("openssl verify -CAfile " + (test::test_pki_dir() / "ca.pem").string() + " " + file + " 2>&1");
  if (c.openssl_differs == nullptr)
    EXPECT_NE(openssl.exit_code, 0) << "OpenSSL accepts it: " << openssl.output;
  else
    EXPECT_EQ(openssl.exit_code, 0) << "documented as accepted by OpenSSL (" << c.openssl_differs
                                    << ") but it refuses: " << openssl.output;
}

INSTANTIATE_TEST_SUITE_P(Pki, MalformedChain, ::testing::ValuesIn(kMalformed),
                         [](const ::testing::TestParamInfo<MalformedCase>& info) { return std::string(info.param.name); });

// DER TLV with a definite length (short or long form).
Bytes tlv(uint8_t tag, ByteView content) {
  Bytes out{tag};
  if (content.size() < 128) {
    out.push_back(static_cast<uint8_t>(content.size()));
  } else {
    Bytes len;
    for (size_t n = content.size(); n > 0; n >>= 8) len.insert(len.begin(), static_cast<uint8_t>(n));
    out.push_back(static_cast<uint8_t>(0x80 | len.size()));
    out.insert(out.end(), len.begin(), len.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

TEST(Verify, UniqueIdentifierInVersionOneIsMalformed) {
  // v1-leaf.pem with an issuerUniqueID [1] appended to its tbsCertificate
  // (the signature no longer matters: parsing fails first).
  const Certificate v1 = load_certificates_file(test::test_pki_dir() / "v1-leaf.pem").front();
  DerReader outer(v1.der());
  DerReader cert = outer.read_sequence("Certificate");
  const Element tbs = cert.read_any();
  Bytes tbs_content(tbs.content.begin(), tbs.content.end());
  for (uint8_t b : {0x81, 0x01, 0x00}) tbs_content.push_back(b);
  Bytes rest;
  while (!cert.empty()) {
    const Element e = cert.read_any();
    rest.insert(rest.end(), e.encoded.begin(), e.encoded.end());
  }
  Bytes body = tlv(0x30, tbs_content);
  body.insert(body.end(), rest.begin(), rest.end());
  const std::vector<Bytes> chain{tlv(0x30, body)};
  const VerifyResult r = verify_chain_der(chain, TrustStore::from_pem_file(test::test_pki_dir() / "ca.pem"), {});
  EXPECT_EQ(r.reason, Reason::malformed);
  EXPECT_NE(r.message.find("unique identifier in a version 1 certificate"), std::string::npos) << r.message;
}

TEST(Verify, UnreadableInputIsAUsageError) {
  const auto dir = test::make_temp_dir("x509-usage");
  const std::string text = (dir / "text.pem").string();
  test::run_command("echo 'no certificate here' > '" + text + "'");
  const std::string ca = (test::test_pki_dir() / "ca.pem").string();
  const auto none = test::run_command(test::tls12_binary() + " verify --ca " + ca + " " + text + " 2>&1 >/dev/null");
  EXPECT_EQ(none.exit_code, 2) << none.output;
  EXPECT_EQ(none.output, "tls12 verify: " + text + ": no CERTIFICATE block found\n");
  const auto policy = test::run_command(test::tls12_binary() + " verify --policy strictest --ca " + ca + " " + ca +
                                        " 2>&1 >/dev/null");
  EXPECT_EQ(policy.exit_code, 2) << policy.output;
  EXPECT_NE(policy.output.find("--policy"), std::string::npos) << policy.output;
  std::filesystem::remove_all(dir);
}

TEST(Verify, NameConstraintWorkIsBounded) {
  // 600 permitted subtrees and 500 names need 300,000 comparisons, more than
  // the 250,000 one verification may spend: refused, and quickly.
  const auto dir = test::make_temp_dir("x509-nc-work");
  const auto pki = test::test_pki_dir();
  std::string constraints = "nameConstraints=critical", sans = "subjectAltName=DNS:n0.d599.example";
  for (int i = 0; i < 600; ++i) constraints += ",permitted;DNS:d" + std::to_string(i) + ".example";
  for (int i = 1; i < 500; ++i) sans += ",DNS:n" + std::to_string(i) + ".d599.example";
  const std::string d = dir.string(), p = pki.string();
  test::write_file(dir / "ca.ext", as_bytes("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n" + constraints + "\n"));
  test::write_file(dir / "leaf.ext", as_bytes("extendedKeyUsage=serverAuth\n" + sans + "\n"));
  const std::string script =
      "set -e; cd '" + d + "'; openssl req -new -key '" + p + "/int.key' -subj '/CN=Many Constraints' -out ca.csr; " +
      "openssl x509 -req -in ca.csr -CA '" + p + "/ca.pem' -CAkey '" + p +
      "/ca.key' -set_serial 77 -days 30 -extfile ca.ext -out ca.pem; " + "openssl req -new -key '" + p +
      "/server.key' -subj '/CN=localhost' -out leaf.csr; " + "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey '" + p +
      "/int.key' -set_serial 78 -days 30 -extfile leaf.ext -out leaf.pem";
  const auto made = test::run_command("sh -c \"" + script + "\" 2>&1");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  const Certificate leaf = load_certificates_file(dir / "leaf.pem").front();
  VerifyOptions options;
  options.time = leaf.not_before + 60;
  const VerifyResult r = verify_chain(leaf, load_certificates_file(dir / "ca.pem"), TrustStore::from_pem_file(pki / "ca.pem"), options);
  EXPECT_EQ(r.reason, Reason::name_constraints_violation) << r.message;
  EXPECT_NE(r.message.find("needs more than 250000 name comparisons (a tls12 work limit) to be checked against the subtrees of the "
                              "nameConstraints of certificate at depth 1 'CN=Many Constraints'"), std::string::npos) << r.message;
  std::filesystem::remove_all(dir);
}

TEST(Verify, PublicSuffixList) {
  EXPECT_TRUE(is_public_suffix("co.uk"));
  EXPECT_TRUE(is_public_suffix("com"));
  EXPECT_TRUE(is_public_suffix("github.io")) << "the list's private section counts too";
  EXPECT_FALSE(is_public_suffix("example.co.uk"));
  EXPECT_FALSE(is_public_suffix("example.com"));
  EXPECT_TRUE(is_public_suffix("anything.ck")) << "wildcard rule *.ck";
  EXPECT_FALSE(is_public_suffix("www.ck")) << "exception rule !www.ck";
}

TEST(Verify, PolicyNames) {
  EXPECT_EQ(parse_policy("rfc5280"), Policy::rfc5280);
  EXPECT_EQ(parse_policy("web"), Policy::web);
  EXPECT_EQ(parse_policy("WEB"), Policy::web);  // names ignore case, as suite and group names do
  EXPECT_FALSE(parse_policy("webs").has_value());
  EXPECT_EQ(policy_name(Policy::web), "web");
  EXPECT_EQ(VerifyOptions{}.policy, Policy::rfc5280) << "rfc5280 is the default";
}

TEST(Verify, ChainIsReturnedLeafToAnchor) {
  const auto pki = test::test_pki_dir();
  const auto bundle = load_certificates_file(pki / "server-bundle.pem");
  ASSERT_EQ(bundle.size(), 2u);
  VerifyOptions options;
  options.time = bundle[0].not_before + kDay;
  const VerifyResult r = verify_chain(bundle[0], std::span(bundle).subspan(1), TrustStore::from_pem_file(pki / "ca.pem"), options);
  ASSERT_TRUE(r.ok()) << r.message;
  ASSERT_EQ(r.chain.size(), 3u);
  EXPECT_EQ(r.chain[0].subject.to_string(), "CN=localhost,O=tls12 test");
  EXPECT_EQ(r.chain[1].subject.to_string(), "CN=tls12 Test Intermediate CA,O=tls12 test");
  EXPECT_EQ(r.chain[2].subject.to_string(), "CN=tls12 Test Root CA,O=tls12 test");
}

TEST(Verify, VersionOneCertificatesParse) {
  const Certificate v1 = load_certificates_file(test::test_pki_dir() / "v1-leaf.pem").front();
  EXPECT_EQ(v1.version, 1);
  EXPECT_TRUE(v1.extensions.empty());
  EXPECT_FALSE(v1.has_subject_alt_name);
  EXPECT_FALSE(v1.basic_constraints.has_value());
  const Certificate v3 = load_certificates_file(test::test_pki_dir() / "server.pem").front();
  EXPECT_EQ(v3.version, 3);
  EXPECT_EQ(v3.san_dns_names, std::vector<std::string>{"localhost"});
  ASSERT_EQ(v3.san_ip_addresses.size(), 1u);
  EXPECT_EQ(format_ip_address(v3.san_ip_addresses[0]), "127.0.0.1");
  ASSERT_TRUE(v3.ext_key_usage.has_value());
  EXPECT_EQ(*v3.ext_key_usage, std::vector<std::string>{"1.3.6.1.5.5.7.3.1"});
  ASSERT_TRUE(v3.authority_key_identifier.has_value());
  const Certificate ca = load_certificates_file(test::test_pki_dir() / "ca.pem").front();
  EXPECT_EQ(*v3.authority_key_identifier, *ca.subject_key_identifier);
  const Certificate nc = load_certificates_file(test::test_pki_dir() / "nc-int.pem").front();
  ASSERT_TRUE(nc.name_constraints.has_value());
  ASSERT_EQ(nc.name_constraints->permitted.size(), 2u);
  EXPECT_EQ(nc.name_constraints->permitted[0].text, "allowed.example");
  EXPECT_EQ(to_hex(nc.name_constraints->permitted[1].ip_and_mask), "0a000000ff000000");
}

TEST(Verify, TriesEveryCandidateIssuer) {
  // int-dup.pem has the intermediate's name and key but is not a CA. Offered
  // first, it must not hide the good path through int.pem; offered alone, it
  // is the reason the chain fails.
  const auto pki = test::test_pki_dir();
  std::vector<Certificate> untrusted = load_certificates_file(pki / "int-dup.pem");
  const Certificate leaf = load_certificates_file(pki / "server2.pem").front();
  const TrustStore trust = TrustStore::from_pem_file(pki / "ca.pem");
  VerifyOptions options;
  options.time = leaf.not_before + kDay;
  EXPECT_EQ(verify_chain(leaf, untrusted, trust, options).reason, Reason::not_a_ca);
  for (auto& c : load_certificates_file(pki / "int.pem")) untrusted.push_back(c);
  const VerifyResult r = verify_chain(leaf, untrusted, trust, options);
  EXPECT_TRUE(r.ok()) << r.message;
}

TEST(Verify, DerChainAndTrustAnchorNames) {
  const auto pki = test::test_pki_dir();
  const auto bundle = load_certificates_file(pki / "server-bundle.pem");
  const TrustStore trust = TrustStore::from_pem_file(pki / "ca.pem");
  std::vector<Bytes> list{bundle[0].der(), bundle[1].der()};
  VerifyOptions options;
  options.time = bundle[0].not_before + kDay;
  options.hostname = "localhost";
  EXPECT_TRUE(verify_chain_der(list, trust, options).ok());
  list[1].pop_back();
  EXPECT_EQ(verify_chain_der(list, trust, options).reason, Reason::malformed);
  EXPECT_EQ(verify_chain_der({}, trust, options).reason, Reason::empty_chain);
  ASSERT_EQ(trust.subject_names().size(), 1u);
  EXPECT_EQ(parse_name(trust.subject_names()[0]).to_string(), "CN=tls12 Test Root CA,O=tls12 test");
}

TEST(Verify, DepthLimitStopsLongChains) {
  const auto pki = test::test_pki_dir();
  const Certificate leaf = load_certificates_file(pki / "pathlen-leaf.pem").front();
  VerifyOptions options;
  options.time = leaf.not_before + kDay;
  options.max_depth = 3;  // leaf, sub-int, int, root is 4
  const VerifyResult r = verify_chain(leaf, load_certificates_file(pki / "pathlen-untrusted.pem"),
                                      TrustStore::from_pem_file(pki / "ca.pem"), options);
  EXPECT_EQ(r.reason, Reason::chain_too_long) << r.message;
}

TEST(Verify, PathSearchIsBoundedWhenEveryCaCanIssueEveryOther) {
  // Nine CA certificates with one name and one key (only the serial differs):
  // each verifies as the issuer of every other, so an unbounded depth-first
  // search would try about 9! orderings, each with its signature checks.
  const auto dir = test::make_temp_dir("x509-loop");
  const std::string d = "'" + dir.string() + "'";
  std::string script = "set -e; cd " + d +
                       "; openssl genpkey -algorithm ed25519 -out k.pem"
                       "; openssl genpkey -algorithm ed25519 -out other.key"
                       "; openssl req -x509 -new -key other.key -subj '/CN=Unrelated Root' -days 30 -out root.pem";
  for (int i = 1; i <= 9; ++i)
    script += "; openssl req -x509 -new -key k.pem -subj '/CN=Loop CA' -set_serial " + std::to_string(i) +
              " -days 30 -addext basicConstraints=critical,CA:TRUE -out ca" + std::to_string(i) + ".pem";
  script += "; openssl req -new -key k.pem -subj '/CN=loop leaf' -out leaf.csr"
            "; openssl x509 -req -in leaf.csr -CA ca1.pem -CAkey k.pem -set_serial 100 -days 30 -out leaf.pem";
  const test::CommandResult made = test::run_command("sh -c \"" + script + "\" 2>&1");
  ASSERT_EQ(made.exit_code, 0) << made.output;

  std::vector<Certificate> untrusted;
  for (int i = 1; i <= 9; ++i) untrusted.push_back(load_certificates_file(dir / ("ca" + std::to_string(i) + ".pem")).front());
  const Certificate leaf = load_certificates_file(dir / "leaf.pem").front();
  // The loop is real: a CA in it verifies as the issuer of another.
  VerifyOptions options;
  options.time = leaf.not_before + 60;
  TrustStore loop_root;
  loop_root.add(untrusted[4]);
  EXPECT_EQ(verify_chain(untrusted[0], {}, loop_root, options).reason, Reason::ok);

  const VerifyResult r = verify_chain(leaf, untrusted, TrustStore::from_pem_file(dir / "root.pem"), options);
  EXPECT_EQ(r.reason, Reason::chain_too_long) << r.message;
  EXPECT_NE(r.message.find("gave up after trying 1000 partial paths"), std::string::npos) << r.message;
  std::filesystem::remove_all(dir);
}

TEST(Verify, BadIpArgumentIsAnError) {
  const auto pki = test::test_pki_dir();
  VerifyOptions options;
  options.ip_address = "127.0.0.256";
  EXPECT_THROW(verify_chain(load_certificates_file(pki / "server.pem").front(), {},
                            TrustStore::from_pem_file(pki / "ca.pem"), options),
               std::invalid_argument);
}

TEST(Hostname, Rfc6125Matching) {
  EXPECT_TRUE(dns_name_matches("localhost", "LOCALHOST"));
  EXPECT_TRUE(dns_name_matches("example.com.", "example.com"));
  EXPECT_TRUE(dns_name_matches("*.example.com", "a.example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", ".example.com"));
  EXPECT_FALSE(dns_name_matches("*.com", "example.com"));
  EXPECT_FALSE(dns_name_matches("*.*.example.com", "a.b.example.com"));
  EXPECT_FALSE(dns_name_matches("f*o.example.com", "foo.example.com"));
  EXPECT_FALSE(dns_name_matches("*o.example.com", "foo.example.com"));
  EXPECT_FALSE(dns_name_matches("a.*.example.com", "a.b.example.com"));
  EXPECT_FALSE(dns_name_matches("example.com", "*.example.com")) << "a reference identifier never has a wildcard";
  EXPECT_FALSE(dns_name_matches("example.com", "example.com.evil"));
}

TEST(Hostname, IpAddressParsing) {
  EXPECT_EQ(to_hex(*parse_ip_address("127.0.0.1")), "7f000001");
  EXPECT_EQ(to_hex(*parse_ip_address("::1")), "00000000000000000000000000000001");
  EXPECT_EQ(to_hex(*parse_ip_address("2001:db8::ff00:42:8329")), "20010db8000000000000ff0000428329");
  EXPECT_EQ(to_hex(*parse_ip_address("::ffff:10.0.0.1")), "00000000000000000000ffff0a000001");
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1::2::3", "12345::", "1.2.3.4 ", ":1"})
    EXPECT_FALSE(parse_ip_address(bad).has_value()) << bad;
  EXPECT_EQ(format_ip_address(*parse_ip_address("10.1.2.3")), "10.1.2.3");
}

}  // namespace
}  // namespace tls12::x509
