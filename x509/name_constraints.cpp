// Name constraints (RFC 5280 §4.2.1.10); see name_constraints.h for the rules
// of each name form and why the work is bounded.
#include "x509/name_constraints.h"

#include <functional>
#include <vector>

#include "x509/hostname.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

using Form = GeneralSubtree::Form;

std::string without_trailing_dot(std::string s) {
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// `name` is `domain` or below it ("a.example.com" under "example.com").
bool at_or_below(const std::string& name, const std::string& domain) {
  if (name == domain) return true;
  return name.size() > domain.size() && name.ends_with(domain) && name[name.size() - domain.size() - 1] == '.';
}

// The host-like constraint forms: "" everything, ".d" strictly below d,
// "d" d and below it (DNS) or exactly d (URI, rfc822Name hosts).
bool host_within(std::string_view name_in, std::string_view constraint_in, bool subdomains_of_plain) {
  const std::string name = without_trailing_dot(ascii_lowercase(name_in));
  const std::string constraint = ascii_lowercase(constraint_in);
  if (constraint.empty()) return true;
  if (constraint[0] == '.') return name.size() > constraint.size() && name.ends_with(constraint);
  return subdomains_of_plain ? at_or_below(name, constraint) : name == constraint;
}

// A wildcard "*.B" is the set { L.B : L one label }.
bool wildcard_subset(const std::string& base, const std::string& constraint) {
  if (constraint.empty()) return true;
  if (constraint[0] == '.') return at_or_below(base, constraint.substr(1));
  return at_or_below(base, constraint);
}
bool wildcard_intersects(const std::string& base, const std::string& constraint) {
  if (wildcard_subset(base, constraint)) return true;
  // "x.B" (one label above B) is itself one of the names "*.B" matches.
  if (constraint.empty() || constraint[0] == '.') return false;
  const size_t dot = constraint.find('.');
  return dot != std::string::npos && constraint.substr(dot + 1) == base;
}

bool ip_within(ByteView ip, ByteView address_and_mask) {
  if (address_and_mask.size() != 2 * ip.size()) return false;
  const size_t n = ip.size();
  for (size_t i = 0; i < n; ++i)
    if ((ip[i] & address_and_mask[n + i]) != (address_and_mask[i] & address_and_mask[n + i])) return false;
  return true;
}

bool mailbox_within(std::string_view mailbox, std::string_view constraint) {
  const size_t at = mailbox.rfind('@');
  if (at == std::string_view::npos) return false;
  if (constraint.find('@') != std::string_view::npos) {
    // One mailbox: the local part exactly, the host case-insensitively.
    const size_t c_at = constraint.rfind('@');
    return mailbox.substr(0, at) == constraint.substr(0, c_at) &&
           ascii_lowercase(mailbox.substr(at + 1)) == ascii_lowercase(constraint.substr(c_at + 1));
  }
  return host_within(mailbox.substr(at + 1), constraint, false);
}

// One name of one form, and how a subtree of that form contains it. For the
// excluded subtrees of a wildcard, `excluded_match` differs from `match`.
struct Candidate {
  Form form;
  std::string shown;  // "DNS name www.example.com"
  std::function<bool(const GeneralSubtree&)> match;
  std::function<bool(const GeneralSubtree&)> excluded_match;
};

class Checker {
 public:
  Checker(const NameConstraints& nc, size_t& budget) : nc_(nc), budget_(budget) {}

  std::optional<std::string> check(const Candidate& c) {
    bool any_permitted = false, permitted = false;
    for (const auto& s : nc_.permitted) {
      if (s.form != c.form) continue;
      if (!spend()) return exhausted();
      any_permitted = true;
      if (c.match(s)) {
        permitted = true;
        break;
      }
    }
    if (any_permitted && !permitted) return c.shown + " is outside the permitted subtrees";
    const auto& excluded = c.excluded_match ? c.excluded_match : c.match;
    for (const auto& s : nc_.excluded) {
      if (s.form != c.form) continue;
      if (!spend()) return exhausted();
      if (excluded(s)) return c.shown + " is inside an excluded subtree";
    }
    return std::nullopt;
  }

 private:
  bool spend() {
    if (budget_ == 0) return false;
    --budget_;
    return true;
  }
  static std::string exhausted() {
    return "needs more than " + std::to_string(kNameConstraintComparisons) +
           " name comparisons (a tls12 work limit) to be checked against the subtrees";
  }
  const NameConstraints& nc_;
  size_t& budget_;
};

bool constrains(const NameConstraints& nc, Form form) {
  for (const auto* list : {&nc.permitted, &nc.excluded})
    for (const auto& s : *list)
      if (s.form == form) return true;
  return false;
}

Candidate dns_candidate(const std::string& name) {
  const std::string n = without_trailing_dot(ascii_lowercase(name));
  if (n.rfind("*.", 0) == 0) {
    const std::string base = n.substr(2);
    return {Form::dns_name, "DNS name " + name,
            [base](const GeneralSubtree& s) { return wildcard_subset(base, ascii_lowercase(s.text)); },
            [base](const GeneralSubtree& s) { return wildcard_intersects(base, ascii_lowercase(s.text)); }};
  }
  return {Form::dns_name, "DNS name " + name, [n](const GeneralSubtree& s) { return host_within(n, s.text, true); },
          nullptr};
}

std::vector<Candidate> candidates(const Certificate& subject, bool is_leaf) {
  std::vector<Candidate> out;
  for (const auto& d : subject.san_dns_names) out.push_back(dns_candidate(d));
  // Exactly when the common-name fallback could use the CN (RFC 6125 §6.4.4).
  if (is_leaf && !subject.has_subject_alt_name)
    for (const auto& cn : subject.subject.common_names())
      if (is_presented_dns_id(cn)) out.push_back(dns_candidate(cn));
  for (const auto& ip : subject.san_ip_addresses)
    out.push_back({Form::ip_address, "IP address " + format_ip_address(ip),
                   [ip](const GeneralSubtree& s) { return ip_within(ip, s.ip_and_mask); }, nullptr});
  std::vector<std::string> mailboxes = subject.san_rfc822_names;
  if (!subject.has_subject_alt_name)
    for (const auto& rdn : subject.subject.rdns)
      for (const auto& a : rdn)
        if (a.type == oid::email_address) mailboxes.push_back(a.value);
  for (const auto& m : mailboxes)
    out.push_back({Form::rfc822_name, "e-mail address " + m,
                   [m](const GeneralSubtree& s) { return mailbox_within(m, s.text); }, nullptr});
  for (const auto& u : subject.san_uris) {
    const auto host = uri_host(u);
    out.push_back({Form::uri, "URI " + u + (host ? "" : " (no host name to check)"),
                   [host](const GeneralSubtree& s) { return host && host_within(*host, s.text, false); },
                   [host](const GeneralSubtree& s) { return !host || host_within(*host, s.text, false); }});
  }
  std::vector<Name> directories = subject.san_directory_names;
  if (!subject.subject.empty()) directories.insert(directories.begin(), subject.subject);
  for (const auto& d : directories)
    out.push_back({Form::directory_name, "directory name '" + d.to_string() + "'",
                   [d](const GeneralSubtree& s) { return name_starts_with(d, s.directory_name); }, nullptr});
  return out;
}

const char* form_name(uint32_t tag) {
  switch (tag) {
    case 0: return "otherName";
    case 3: return "x400Address";
    case 5: return "ediPartyName";
    case 8: return "registeredID";
    default: return "GeneralName";
  }
}

}  // namespace

std::optional<std::string> uri_host(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  std::string_view authority = uri.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.empty() || authority.front() == '[') return std::nullopt;  // IPv6 literal
  authority = authority.substr(0, authority.find(':'));
  if (parse_ip_address(authority) || !is_ldh_domain(without_trailing_dot(std::string(authority)))) return std::nullopt;
  return std::string(authority);
}

std::optional<std::string> unprocessable_name_constraint(const NameConstraints& nc) {
  for (const auto* list : {&nc.permitted, &nc.excluded})
    for (const auto& s : *list)
      if (s.form == Form::other) return std::string(form_name(s.tag)) + " [" + std::to_string(s.tag) + "]";
  return std::nullopt;
}

std::optional<std::string> name_constraints_problem(const NameConstraints& nc, const Certificate& subject,
                                                    bool is_leaf, size_t& budget) {
  Checker checker(nc, budget);
  for (const auto& c : candidates(subject, is_leaf))
    if (constrains(nc, c.form))
      if (auto problem = checker.check(c)) return problem;
  return std::nullopt;
}

}  // namespace tls12::x509
