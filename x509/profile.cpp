// The certificate profile of RFC 5280 §4 and, under Policy::web, of the
// CA/Browser Forum Baseline Requirements; see profile.h for the rules.
#include "x509/profile.h"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <set>

#include "x509/der.h"
#include "x509/hostname.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

using Problem = std::optional<ProfileProblem>;

Problem profile(std::string what) { return ProfileProblem{Reason::profile_violation, std::move(what)}; }

bool critical(const Certificate& c, std::string_view id) {
  const Extension* e = c.find_extension(id);
  return e != nullptr && e->critical;
}

// ---- both policies -----------------------------------------------------------

Problem rfc5280_rules(const Certificate& c) {
  if (c.subject.empty() && !c.has_subject_alt_name)
    return profile("has an empty subject and no subjectAltName, so it names nothing (RFC 5280 §4.1.2.6)");
  if (c.subject.empty() && !critical(c, oid::subject_alt_name))
    return profile("has an empty subject and a non-critical subjectAltName (RFC 5280 §4.2.1.6: it MUST be critical)");
  if (c.name_constraints && !c.is_ca())
    return ProfileProblem{Reason::name_constraints_violation,
                          "has nameConstraints but is not a CA (RFC 5280 §4.2.1.10: CA certificates only)"};
  if (c.name_constraints && !critical(c, oid::name_constraints))
    return ProfileProblem{Reason::name_constraints_violation,
                          "has non-critical nameConstraints (RFC 5280 §4.2.1.10: MUST be critical)"};
  return std::nullopt;
}

// ---- web: identifiers, serial, key -------------------------------------------

Problem serial_rules(const Certificate& c) {
  const Bytes& s = c.serial_number;
  if (s.empty() || (s[0] & 0x80)) return profile("has a negative serialNumber (RFC 5280 §4.1.2.2, BR 7.1)");
  if (std::all_of(s.begin(), s.end(), [](uint8_t b) { return b == 0; }))
    return profile("has serialNumber 0 (RFC 5280 §4.1.2.2, BR 7.1: positive)");
  if (s.size() > 20) return profile("has a serialNumber of " + std::to_string(s.size()) + " octets (RFC 5280 §4.1.2.2: at most 20)");
  return std::nullopt;
}

Problem key_identifier_rules(const Certificate& c, CertRole role) {
  if (const Extension* aki = c.find_extension(oid::authority_key_identifier)) {
    if (aki->critical) return profile("has a critical authorityKeyIdentifier (RFC 5280 §4.2.1.1: MUST be non-critical)");
    if (!c.authority_key_identifier)
      return profile("has an authorityKeyIdentifier without keyIdentifier (RFC 5280 §4.2.1.1, BR 7.1.2.11.1)");
    if (role == CertRole::anchor && c.authority_key_identifier_names_issuer)
      return profile("is a root whose authorityKeyIdentifier has authorityCertIssuer/SerialNumber (BR 7.1.2.1.3)");
    if (role == CertRole::anchor && c.subject_key_identifier && *c.authority_key_identifier != *c.subject_key_identifier)
      return profile("is a root whose authorityKeyIdentifier differs from its subjectKeyIdentifier (BR 7.1.2.1.3)");
  } else if (role != CertRole::anchor) {
    return profile("has no authorityKeyIdentifier (RFC 5280 §4.2.1.1, BR 7.1.2.11.1)");
  }
  if (critical(c, oid::subject_key_identifier))
    return profile("has a critical subjectKeyIdentifier (RFC 5280 §4.2.1.2: MUST be non-critical)");
  if (c.is_ca() && !c.subject_key_identifier)
    return profile("is a CA certificate without subjectKeyIdentifier (RFC 5280 §4.2.1.2, BR 7.1.2.11.4)");
  return std::nullopt;
}

size_t modulus_bits(ByteView n) {
  size_t i = 0;
  while (i < n.size() && n[i] == 0) ++i;
  if (i == n.size()) return 0;
  size_t bits = (n.size() - i) * 8;
  for (uint8_t top = n[i]; !(top & 0x80); top = static_cast<uint8_t>(top << 1)) --bits;
  return bits;
}

Problem key_rules(const Certificate& c) {
  if (c.public_key_algorithm_oid != oid::rsa_encryption) return std::nullopt;
  size_t bits = 0;
  try {
    bits = modulus_bits(std::get<crypto::RsaPublicKey>(c.public_key(crypto::RsaKeyPolicy::allow_1024_for_verification)).modulus());
  } catch (const std::exception& e) {
    return profile(std::string("has an RSA key tls12 cannot read: ") + e.what() + " (BR 6.1.5)");
  }
  if (bits % 8 != 0 || bits < 2048)
    return profile("has a " + std::to_string(bits) +
                   "-bit RSA modulus (BR 6.1.5, 7.1.3.1.1: at least 2048 bits, a whole number of bytes)");
  return std::nullopt;
}

// ---- web: CA and leaf shape -----------------------------------------------------

Problem constraint_rules(const Certificate& c, CertRole role) {
  if (c.is_ca() && !critical(c, oid::basic_constraints))
    return profile("is a CA certificate with non-critical basicConstraints (RFC 5280 §4.2.1.9, BR 7.1.2.10.4)");
  if (role == CertRole::leaf && c.is_ca())
    return profile("is a leaf with basicConstraints cA TRUE (BR 7.1.2.7.8: cA FALSE)");
  if (c.has_key_usage(KeyUsageBit::key_cert_sign) && !c.is_ca())
    return profile("asserts keyCertSign without basicConstraints cA TRUE (RFC 5280 §4.2.1.3)");
  if (c.is_ca() && c.subject.empty()) return profile("is a CA with an empty subject (RFC 5280 §4.1.2.6, BR 7.1.2.10.2)");
  if (c.find_extension(oid::policy_constraints) && !critical(c, oid::policy_constraints))
    return profile("has non-critical policyConstraints (RFC 5280 §4.2.1.11: MUST be critical)");
  return std::nullopt;
}

// AuthorityInfoAccessSyntax ::= SEQUENCE SIZE (1..MAX) OF AccessDescription
// AccessDescription ::= SEQUENCE { accessMethod OBJECT IDENTIFIER, accessLocation GeneralName }
Problem aia_rules(const Certificate& c) {
  const Extension* e = c.find_extension(oid::authority_info_access);
  if (e == nullptr) return std::nullopt;
  if (e->critical) return profile("has a critical authorityInfoAccess (RFC 5280 §4.2.2.1: MUST be non-critical)");
  try {
    DerReader outer(e->value);
    DerReader list = outer.read_sequence("authorityInfoAccess");
    outer.expect_end("authorityInfoAccess");
    if (list.empty()) throw DerError("empty sequence", 0);
    while (!list.empty()) {
      DerReader d = list.read_sequence("AccessDescription");
      d.read_oid("accessMethod");
      const Element location = d.read_any();
      if (location.tag.cls != TagClass::context_specific || location.tag.number > 8)
        throw DerError("accessLocation is not a GeneralName", location.offset);
      d.expect_end("AccessDescription");
    }
  } catch (const std::exception& ex) {
    return profile(std::string("has a malformed authorityInfoAccess: ") + ex.what() + " (RFC 5280 §4.2.2.1)");
  }
  return std::nullopt;
}

Problem eku_rules(const Certificate& c, Purpose purpose) {
  const bool server = purpose == Purpose::server;
  const char* wanted = server ? "serverAuth" : "clientAuth";
  if (!c.ext_key_usage)
    return ProfileProblem{Reason::bad_extended_key_usage,
                          std::string("has no extKeyUsage; a ") + (server ? "server" : "client") + " leaf needs " +
                              wanted + " (BR 7.1.2.7.10)"};
  const auto& eku = *c.ext_key_usage;
  if (std::find(eku.begin(), eku.end(), oid::any_extended_key_usage) != eku.end())
    return ProfileProblem{Reason::bad_extended_key_usage, "has anyExtendedKeyUsage in a leaf (BR 7.1.2.7.10)"};
  if (critical(c, oid::ext_key_usage))
    return ProfileProblem{Reason::bad_extended_key_usage, "has a critical extKeyUsage in a leaf (BR 7.1.2.7.6)"};
  return std::nullopt;  // the purpose itself is checked under both policies
}

Problem wildcard_rule(const std::string& dns) {
  if (dns.rfind("*.", 0) != 0) return std::nullopt;
  const std::string base = ascii_lowercase(dns.substr(2));
  if (is_public_suffix(base))
    return profile("has wildcard DNS name " + dns + ", which covers the public suffix " + base + " (BR 3.2.2.6)");
  return std::nullopt;
}

Problem san_rules(const Certificate& c) {
  if (!c.has_subject_alt_name) return profile("is a leaf without subjectAltName (BR 7.1.2.7.12)");
  if (!c.subject.empty() && critical(c, oid::subject_alt_name))
    return profile("has a critical subjectAltName and a non-empty subject (RFC 5280 §4.2.1.6, BR 7.1.2.7.12)");
  for (const auto& dns : c.san_dns_names) {
    const std::string_view host = dns.rfind("*.", 0) == 0 ? std::string_view(dns).substr(2) : std::string_view(dns);
    if (!is_ldh_domain(host))
      return profile("has DNS name '" + dns + "', which is not a host name (BR 7.1.2.7.12: letters, digits, hyphens)");
    if (auto p = wildcard_rule(dns)) return p;
  }
  for (const auto& cn : c.subject.common_names()) {
    const auto ip = parse_ip_address(cn);
    const bool listed =
        ip ? std::find(c.san_ip_addresses.begin(), c.san_ip_addresses.end(), *ip) != c.san_ip_addresses.end()
           : std::any_of(c.san_dns_names.begin(), c.san_dns_names.end(),
                         [&](const std::string& d) { return ascii_lowercase(d) == ascii_lowercase(cn); });
    if (!listed) return profile("has commonName '" + cn + "', which is not one of its subjectAltName values (BR 7.1.4.3)");
  }
  return std::nullopt;
}

Problem web_rules(const Certificate& c, CertRole role, Purpose purpose) {
  for (auto rule : {serial_rules(c), key_identifier_rules(c, role), key_rules(c), constraint_rules(c, role), aia_rules(c)})
    if (rule) return rule;
  if (role != CertRole::leaf) return std::nullopt;
  if (auto p = eku_rules(c, purpose)) return p;
  // The Baseline Requirements profile TLS server certificates; a client's
  // certificate names a person or device, not a host.
  return purpose == Purpose::server ? san_rules(c) : std::nullopt;
}

// ---- the public suffix list -------------------------------------------------------

struct SuffixRules {
  std::set<std::string> plain, wildcard, exception;  // "co.uk"; "ck" for "*.ck"; "www.ck" for "!www.ck"
};

const SuffixRules& suffix_rules() {
  static std::once_flag once;
  static SuffixRules rules;
  static bool loaded = false;
  std::call_once(once, [] {
    std::ifstream in(kPublicSuffixListPath);
    std::string line;
    while (in && std::getline(in, line)) {
      line = line.substr(0, line.find_first_of(" \t\r"));
      if (line.empty() || line.rfind("//", 0) == 0) continue;
      if (line.rfind("*.", 0) == 0) rules.wildcard.insert(ascii_lowercase(line.substr(2)));
      else if (line[0] == '!') rules.exception.insert(ascii_lowercase(line.substr(1)));
      else rules.plain.insert(ascii_lowercase(line));
      loaded = true;
    }
  });
  if (!loaded)
    throw std::runtime_error(std::string("the public suffix list ") + kPublicSuffixListPath +
                             " cannot be read (install Debian's publicsuffix package)");
  return rules;
}

}  // namespace

bool is_public_suffix(std::string_view domain_in) {
  const SuffixRules& rules = suffix_rules();
  std::string domain = ascii_lowercase(domain_in);
  if (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (rules.plain.count(domain)) return true;
  const size_t dot = domain.find('.');
  if (dot != std::string::npos && rules.wildcard.count(domain.substr(dot + 1)) && !rules.exception.count(domain))
    return true;
  // The list's default rule "*": a single label (a TLD not listed) is a suffix too.
  return domain.find('.') == std::string::npos;
}

std::optional<ProfileProblem> profile_problem(const Certificate& cert, CertRole role, Policy policy, Purpose purpose) {
  if (auto p = rfc5280_rules(cert)) return p;
  if (policy != Policy::web) return std::nullopt;
  try {
    return web_rules(cert, role, purpose);
  } catch (const std::runtime_error& e) {
    return profile(std::string("cannot be checked: ") + e.what());
  }
}

}  // namespace tls12::x509
