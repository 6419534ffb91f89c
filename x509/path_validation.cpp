// Certification path building and validation (RFC 5280 §6, as a TLS peer
// needs it); see path_validation.h for the list of checks and the reasons.
#include "x509/path_validation.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "x509/der.h"
#include "x509/ec_keys.h"
#include "x509/hostname.h"
#include "x509/oid.h"
#include "x509/pem.h"

namespace tls12::x509 {

std::string_view reason_name(Reason r) {
  switch (r) {
    case Reason::ok: return "ok";
    case Reason::malformed: return "malformed";
    case Reason::empty_chain: return "empty_chain";
    case Reason::unknown_issuer: return "unknown_issuer";
    case Reason::bad_signature: return "bad_signature";
    case Reason::unsupported_algorithm: return "unsupported_algorithm";
    case Reason::expired: return "expired";
    case Reason::not_yet_valid: return "not_yet_valid";
    case Reason::not_a_ca: return "not_a_ca";
    case Reason::path_length_exceeded: return "path_length_exceeded";
    case Reason::bad_key_usage: return "bad_key_usage";
    case Reason::bad_extended_key_usage: return "bad_extended_key_usage";
    case Reason::unknown_critical_extension: return "unknown_critical_extension";
    case Reason::name_constraints_violation: return "name_constraints_violation";
    case Reason::hostname_mismatch: return "hostname_mismatch";
    case Reason::ip_address_mismatch: return "ip_address_mismatch";
    case Reason::chain_too_long: return "chain_too_long";
  }
  return "unknown";
}

void TrustStore::add_pem(std::string_view pem_text) {
  for (auto& c : parse_certificates_pem(pem_text)) add(std::move(c));
}

TrustStore TrustStore::from_pem_file(const std::filesystem::path& path) {
  TrustStore store;
  for (auto& c : load_certificates_file(path)) store.add(std::move(c));
  return store;
}

std::vector<Bytes> TrustStore::subject_names() const {
  std::vector<Bytes> out;
  for (const auto& a : anchors_) out.push_back(a.subject.der);
  return out;
}

namespace {

struct Failure {
  Reason reason;
  std::string message;
};

std::string quoted(const Certificate& c) { return "certificate '" + c.display_name() + "'"; }

// ---- name constraints (RFC 5280 §4.2.1.10) -----------------------------------

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "Any DNS name that can be constructed by simply adding zero or more labels
// to the left-hand side of the name satisfies the name constraint"; a
// constraint with a leading '.' (a common extension) admits subdomains only.
bool dns_within(std::string_view name_in, std::string_view constraint_in) {
  std::string name = lower(name_in), constraint = lower(constraint_in);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (constraint.empty()) return true;
  if (constraint[0] == '.') return name.size() > constraint.size() && name.ends_with(constraint);
  if (name == constraint) return true;
  return name.size() > constraint.size() && name.ends_with(constraint) && name[name.size() - constraint.size() - 1] == '.';
}

bool ip_within(ByteView ip, ByteView address_and_mask) {
  if (address_and_mask.size() != 2 * ip.size()) return false;
  const size_t n = ip.size();
  for (size_t i = 0; i < n; ++i)
    if ((ip[i] & address_and_mask[n + i]) != (address_and_mask[i] & address_and_mask[n + i])) return false;
  return true;
}

template <class Matches>
std::optional<std::string> check_against(const NameConstraints& nc, GeneralSubtree::Form form, Matches matches) {
  bool any_permitted = false, permitted = false;
  for (const auto& s : nc.permitted) {
    if (s.form != form) continue;
    any_permitted = true;
    permitted = permitted || matches(s);
  }
  if (any_permitted && !permitted) return "is outside the permitted subtrees";
  for (const auto& s : nc.excluded)
    if (s.form == form && matches(s)) return "is inside an excluded subtree";
  return std::nullopt;
}

// Looks like a host name (so the CN of a leaf without SAN is subject to DNS
// constraints, as OpenSSL also does).
bool looks_like_hostname(std::string_view s) {
  if (s.empty() || s.find('.') == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*';
  });
}

std::optional<Failure> check_name_constraints(const Certificate& ca, const Certificate& subject, bool is_leaf) {
  const NameConstraints& nc = *ca.name_constraints;
  std::vector<std::string> dns = subject.san_dns_names;
  if (is_leaf && dns.empty())
    for (const auto& cn : subject.subject.common_names())
      if (looks_like_hostname(cn)) dns.push_back(cn);
  for (const auto& name : dns) {
    auto bad = check_against(nc, GeneralSubtree::Form::dns_name,
                             [&](const GeneralSubtree& s) { return dns_within(name, s.dns_name); });
    if (bad)
      return Failure{Reason::name_constraints_violation,
                     quoted(subject) + ": DNS name " + name + " " + *bad + " of the nameConstraints of " + quoted(ca)};
  }
  for (const auto& ip : subject.san_ip_addresses) {
    auto bad = check_against(nc, GeneralSubtree::Form::ip_address,
                             [&](const GeneralSubtree& s) { return ip_within(ip, s.ip_and_mask); });
    if (bad)
      return Failure{Reason::name_constraints_violation, quoted(subject) + ": IP address " + format_ip_address(ip) +
                                                             " " + *bad + " of the nameConstraints of " + quoted(ca)};
  }
  return std::nullopt;
}

// ---- per-certificate rules -------------------------------------------------

bool has_purpose(const Certificate& c, std::string_view purpose) {
  const auto& eku = *c.ext_key_usage;
  return std::find(eku.begin(), eku.end(), purpose) != eku.end();
}

std::optional<Failure> check_validity(const Certificate& c, int64_t now) {
  if (now < c.not_before)
    return Failure{Reason::not_yet_valid, quoted(c) + " is not valid before " + format_time(c.not_before) +
                                              " (checked at " + format_time(now) + ")"};
  if (now > c.not_after)
    return Failure{Reason::expired,
                   quoted(c) + " expired at " + format_time(c.not_after) + " (checked at " + format_time(now) + ")"};
  return std::nullopt;
}

// RFC 5280 §6.1.4 (k), (l), (m), (n): what makes a certificate fit to issue others.
std::optional<Failure> check_issuer_rules(const std::vector<const Certificate*>& path, size_t i) {
  const Certificate& c = *path[i];
  const bool anchor = i + 1 == path.size();
  // A v1 trust anchor predates basicConstraints; trusting it is the user's choice.
  if (!(anchor && c.version == 1)) {
    if (!c.basic_constraints || !c.basic_constraints->ca)
      return Failure{Reason::not_a_ca, quoted(c) + " issued " + quoted(*path[i - 1]) +
                                           " but is not a CA (basicConstraints cA=TRUE is required, RFC 5280 §4.2.1.9)"};
  }
  if (c.key_usage && !c.has_key_usage(KeyUsageBit::key_cert_sign))
    return Failure{Reason::bad_key_usage,
                   quoted(c) + " has keyUsage without keyCertSign, so it may not sign certificates (RFC 5280 §4.2.1.3)"};
  if (c.basic_constraints && c.basic_constraints->path_len_constraint) {
    // Intermediate CAs below this one, not counting self-issued ones (§6.1.4 (l)).
    int64_t below = 0;
    for (size_t j = 1; j < i; ++j)
      if (!path[j]->is_self_issued()) ++below;
    if (below > *c.basic_constraints->path_len_constraint)
      return Failure{Reason::path_length_exceeded,
                     quoted(c) + " has pathLenConstraint=" + std::to_string(*c.basic_constraints->path_len_constraint) +
                         " but " + std::to_string(below) + " CA certificate(s) follow it in the path"};
  }
  return std::nullopt;
}

std::optional<Failure> check_purpose(const Certificate& c, bool leaf, Purpose purpose) {
  const std::string_view wanted = purpose == Purpose::server ? oid::server_auth : oid::client_auth;
  const char* wanted_name = purpose == Purpose::server ? "serverAuth" : "clientAuth";
  if (c.ext_key_usage && !has_purpose(c, wanted) && (leaf || !has_purpose(c, oid::any_extended_key_usage)))
    return Failure{Reason::bad_extended_key_usage,
                   quoted(c) + " has extKeyUsage without " + wanted_name + " (RFC 5280 §4.2.1.12)"};
  if (leaf && c.key_usage) {
    // A TLS 1.2 server key signs (ECDHE/DHE) or decrypts (RSA key exchange);
    // a client key signs CertificateVerify.
    const bool fits = c.has_key_usage(KeyUsageBit::digital_signature) || c.has_key_usage(KeyUsageBit::key_agreement) ||
                      (purpose == Purpose::server && c.has_key_usage(KeyUsageBit::key_encipherment));
    if (!fits)
      return Failure{Reason::bad_key_usage, quoted(c) + " has keyUsage that allows no TLS " +
                                                (purpose == Purpose::server ? "server" : "client") + " key use"};
  }
  return std::nullopt;
}

std::optional<Failure> check_path(const std::vector<const Certificate*>& path, const VerifyOptions& options,
                                  int64_t now, const std::optional<Bytes>& ip) {
  for (const Certificate* c : path)
    if (!c->unknown_critical_extensions.empty())
      return Failure{Reason::unknown_critical_extension,
                     quoted(*c) + " has critical extension " + c->unknown_critical_extensions.front() +
                         " that tls12 does not process (RFC 5280 §4.2)"};
  for (const Certificate* c : path)
    if (auto f = check_validity(*c, now)) return f;
  for (size_t i = 1; i < path.size(); ++i)
    if (auto f = check_issuer_rules(path, i)) return f;
  // The leaf (even when it is itself the trust anchor) and the intermediates;
  // a trust anchor above them is trusted for whatever purpose the user chose.
  for (size_t i = 0; i < path.size(); ++i)
    if (i == 0 || i + 1 < path.size())
      if (auto f = check_purpose(*path[i], i == 0, options.purpose)) return f;
  for (size_t i = 1; i < path.size(); ++i) {
    if (!path[i]->name_constraints) continue;
    for (size_t j = 0; j < i; ++j) {
      if (j > 0 && path[j]->is_self_issued()) continue;  // RFC 5280 §6.1.3 (b)
      if (auto f = check_name_constraints(*path[i], *path[j], j == 0)) return f;
    }
  }
  const Certificate& leaf = *path.front();
  if (options.hostname && !certificate_matches_hostname(leaf, *options.hostname, options.allow_common_name_fallback))
    return Failure{Reason::hostname_mismatch, quoted(leaf) + " is not valid for host name " + *options.hostname +
                                                  " (subjectAltName DNS names, RFC 6125)"};
  if (ip && !certificate_matches_ip(leaf, *ip))
    return Failure{Reason::ip_address_mismatch, quoted(leaf) + " is not valid for IP address " + *options.ip_address +
                                                    " (subjectAltName iPAddress)"};
  return std::nullopt;
}

// ---- path building ------------------------------------------------------------

class PathBuilder {
 public:
  PathBuilder(std::span<const Certificate> untrusted, const TrustStore& trust, const VerifyOptions& options,
              int64_t now, std::optional<Bytes> ip)
      : untrusted_(untrusted), trust_(trust), options_(options), now_(now), ip_(std::move(ip)) {}

  VerifyResult run(const Certificate& leaf) {
    path_.push_back(&leaf);
    // A self-signed leaf that is itself a trust anchor (a pinned certificate,
    // as OpenSSL also accepts).
    if (leaf.is_self_issued())
      for (const auto& anchor : trust_.anchors())
        if (anchor.der() == leaf.der()) return finish_with({&anchor});
    if (extend()) return success();
    VerifyResult r;
    r.reason = best_.reason;
    r.message = best_.message;
    return r;
  }

 private:
  // Could `issuer` have issued `c`? Names must match; key identifiers must
  // match when both are present (RFC 5280 §4.2.1.1 exists to pick among CAs
  // with the same name, e.g. across a key rollover).
  static bool may_have_issued(const Certificate& issuer, const Certificate& c) {
    if (!names_match(issuer.subject, c.issuer)) return false;
    if (c.authority_key_identifier && issuer.subject_key_identifier &&
        *c.authority_key_identifier != *issuer.subject_key_identifier)
      return false;
    return true;
  }

  // The search below may reach the same (issuer, subject) pair along many
  // paths; each signature is verified once and the answer remembered.
  bool signature_ok(const Certificate& issuer, const Certificate& c) {
    const auto pair = std::make_pair(&issuer, &c);
    const auto known = signatures_.find(pair);
    if (known != signatures_.end()) return known->second;
    const bool ok = verify_issuer_signature(issuer, c);
    signatures_.emplace(pair, ok);
    return ok;
  }

  bool verify_issuer_signature(const Certificate& issuer, const Certificate& c) {
    if (!c.signature_algorithm) {
      note(2, Reason::unsupported_algorithm,
           quoted(c) + " is signed with " + c.signature_algorithm_oid + ": " + c.signature_algorithm_problem);
      return false;
    }
    std::optional<PublicKey> key;
    std::optional<P256PublicKey> ec_key;  // EC keys are not a PublicKey (see ec_keys.h)
    try {
      if (issuer.public_key_algorithm_oid == oid::ec_public_key)
        ec_key = parse_ec_subject_public_key_info(issuer.subject_public_key_info);
      else
        key = issuer.public_key(crypto::RsaKeyPolicy::standard);
    } catch (const std::exception& e) {
      note(2, Reason::unsupported_algorithm, quoted(issuer) + " has a key tls12 cannot use: " + e.what());
      return false;
    }
    const bool verified =
        ec_key ? verify_ecdsa_signature(*ec_key, *c.signature_algorithm, c.tbs_certificate(), c.signature_value)
               : verify_signature(*key, *c.signature_algorithm, c.tbs_certificate(), c.signature_value);
    if (!verified) {
      note(2, Reason::bad_signature, "the signature on " + quoted(c) + " (" + c.signature_algorithm->name() +
                                         ") does not verify with the key of " + quoted(issuer));
      return false;
    }
    return true;
  }

  bool in_path(const Certificate& c) const {
    return std::any_of(path_.begin(), path_.end(), [&](const Certificate* p) { return p->der() == c.der(); });
  }

  // Depth-first search for an issuer of path_.back().
  //
  // The search is bounded in work as well as in depth: a peer may send
  // several CA certificates with one name and one key, each able to issue
  // every other, and then the partial paths number in the factorial of the
  // chain length (the path-building denial of service that hit several X.509
  // libraries). Real chains need a handful of steps.
  bool extend() {
    if (++steps_ > kMaxSearchSteps) {
      note(3, Reason::chain_too_long, "path building from " + quoted(*path_.front()) + " gave up after trying " +
                                          std::to_string(kMaxSearchSteps) + " partial paths");
      return false;
    }
    const Certificate& current = *path_.back();
    for (const auto& anchor : trust_.anchors()) {
      if (!may_have_issued(anchor, current) || !signature_ok(anchor, current)) continue;
      std::vector<const Certificate*> full = path_;
      full.push_back(&anchor);
      if (auto f = check_path(full, options_, now_, ip_)) {
        note(4, f->reason, f->message);
        continue;
      }
      found_ = full;
      return true;
    }
    if (path_.size() + 1 >= options_.max_depth) {
      note(1, Reason::chain_too_long, "no path to a trust anchor within " + std::to_string(options_.max_depth) +
                                          " certificates from " + quoted(*path_.front()));
      return false;
    }
    for (const auto& candidate : untrusted_) {
      if (in_path(candidate) || !may_have_issued(candidate, current)) continue;  // loop detection
      if (!signature_ok(candidate, current)) continue;
      path_.push_back(&candidate);
      if (extend()) return true;
      path_.pop_back();
    }
    return false;
  }

  // Keeps the most informative failure: a complete path that broke a rule (4)
  // beats a search that ran out of work (3, it was not finished), which beats
  // a signature that did not verify (2), which beats running out of depth (1),
  // which beats finding no issuer at all (0).
  void note(int rank, Reason reason, std::string message) {
    if (rank > best_rank_) {
      best_rank_ = rank;
      best_ = Failure{reason, std::move(message)};
    }
  }

  VerifyResult finish_with(std::vector<const Certificate*> full) {
    if (auto f = check_path(full, options_, now_, ip_)) {
      VerifyResult r;
      r.reason = f->reason;
      r.message = f->message;
      return r;
    }
    found_ = std::move(full);
    return success();
  }

  VerifyResult success() const {
    VerifyResult r;
    for (const Certificate* c : found_) r.chain.push_back(*c);
    return r;
  }

  std::span<const Certificate> untrusted_;
  const TrustStore& trust_;
  const VerifyOptions& options_;
  int64_t now_;
  std::optional<Bytes> ip_;
  std::vector<const Certificate*> path_;
  std::vector<const Certificate*> found_;
  int best_rank_ = -1;
  static constexpr size_t kMaxSearchSteps = 1000;
  size_t steps_ = 0;
  std::map<std::pair<const Certificate*, const Certificate*>, bool> signatures_;
  Failure best_{Reason::unknown_issuer, ""};
};

}  // namespace

VerifyResult verify_chain(const Certificate& leaf, std::span<const Certificate> untrusted, const TrustStore& trust,
                          const VerifyOptions& options) {
  std::optional<Bytes> ip;
  if (options.ip_address) {
    ip = parse_ip_address(*options.ip_address);
    if (!ip) throw std::invalid_argument("not an IP address: " + *options.ip_address);
  }
  const int64_t now = options.time ? *options.time
                                   : std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::system_clock::now().time_since_epoch())
                                         .count();
  PathBuilder builder(untrusted, trust, options, now, std::move(ip));
  VerifyResult r = builder.run(leaf);
  if (r.reason == Reason::unknown_issuer && r.message.empty())
    r.message = quoted(leaf) + ": no trusted issuer found for '" + leaf.issuer.to_string() +
                "' (no chain from it reaches a certificate in the trust store)";
  return r;
}

VerifyResult verify_chain_der(std::span<const Bytes> certificate_list, const TrustStore& trust,
                              const VerifyOptions& options) {
  VerifyResult r;
  if (certificate_list.empty()) {
    r.reason = Reason::empty_chain;
    r.message = "no certificate was presented";
    return r;
  }
  std::vector<Certificate> certs;
  for (size_t i = 0; i < certificate_list.size(); ++i) {
    try {
      certs.push_back(Certificate::parse(certificate_list[i]));
    } catch (const std::exception& e) {
      r.reason = Reason::malformed;
      r.message = "certificate " + std::to_string(i) + " of the chain does not parse: " + e.what();
      return r;
    }
  }
  return verify_chain(certs.front(), std::span<const Certificate>(certs).subspan(1), trust, options);
}

}  // namespace tls12::x509
