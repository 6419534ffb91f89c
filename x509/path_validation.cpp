// Certification path building and validation (RFC 5280 §6, as a TLS peer
// needs it); see path_validation.h for the list of checks and the reasons.
#include "x509/path_validation.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <utility>

#include "x509/der.h"
#include "x509/hostname.h"
#include "x509/name_constraints.h"
#include "x509/oid.h"
#include "x509/pem.h"
#include "x509/profile.h"

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
    case Reason::profile_violation: return "profile_violation";
    case Reason::unsupported_policy: return "unsupported_policy";
  }
  return "unknown";
}

std::string_view policy_name(Policy policy) { return policy == Policy::web ? "web" : "rfc5280"; }

std::optional<Policy> parse_policy(std::string_view text) {
  if (ascii_equal_ignoring_case(text, "rfc5280")) return Policy::rfc5280;
  if (ascii_equal_ignoring_case(text, "web")) return Policy::web;
  return std::nullopt;
}

void TrustStore::add_pem(std::string_view pem_text) {
  for (auto& c : parse_certificates_pem(pem_text)) add(std::move(c));
}

void TrustStore::add_der(ByteView der) { add(Certificate::parse(der)); }

size_t TrustStore::add_pem_or_der(ByteView bytes) {
  std::vector<Bytes> ders = certificate_ders(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  for (const Bytes& der : ders) add_der(der);
  return ders.size();
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

// "certificate at depth 1 'CN=tls12 Test Intermediate CA,O=tls12 test'":
// every message names the certificate by its place in the path (0 is the
// leaf) and its subject.
std::string at_depth(const Certificate& c, size_t depth) {
  return "certificate at depth " + std::to_string(depth) + " '" + c.display_name() + "'";
}

using Path = std::vector<const Certificate*>;

bool has_purpose(const Certificate& c, std::string_view purpose) {
  const auto& eku = *c.ext_key_usage;
  return std::find(eku.begin(), eku.end(), purpose) != eku.end();
}

std::optional<Failure> check_validity(const Certificate& c, size_t depth, int64_t now) {
  if (now < c.not_before)
    return Failure{Reason::not_yet_valid, at_depth(c, depth) + " is not valid before " + format_time(c.not_before) +
                                              " (checked at " + format_time(now) + "; RFC 5280 §4.1.2.5)"};
  if (now > c.not_after)
    return Failure{Reason::expired, at_depth(c, depth) + " expired at " + format_time(c.not_after) + " (checked at " +
                                        format_time(now) + "; RFC 5280 §4.1.2.5)"};
  return std::nullopt;
}

// RFC 5280 §6.1.4 (k), (l), (m), (n): what makes a certificate fit to issue others.
std::optional<Failure> check_issuer_rules(const Path& path, size_t i) {
  const Certificate& c = *path[i];
  const bool anchor = i + 1 == path.size();
  // A v1 trust anchor predates basicConstraints; trusting it is the user's choice.
  if (!(anchor && c.version == 1) && !c.is_ca())
    return Failure{Reason::not_a_ca, at_depth(c, i) + " issued " + at_depth(*path[i - 1], i - 1) +
                                         " but is not a CA (basicConstraints cA=TRUE is required, RFC 5280 §4.2.1.9)"};
  if (c.key_usage && !c.has_key_usage(KeyUsageBit::key_cert_sign))
    return Failure{Reason::bad_key_usage, at_depth(c, i) +
                                              " has keyUsage without keyCertSign, so it may not sign certificates "
                                              "(RFC 5280 §4.2.1.3)"};
  if (c.basic_constraints && c.basic_constraints->path_len_constraint) {
    // Intermediate CAs below this one: neither the leaf (even when it is a CA
    // certificate) nor self-issued ones count (§4.2.1.9, §6.1.4 (l)).
    int64_t below = 0;
    for (size_t j = 1; j < i; ++j)
      if (!path[j]->is_self_issued()) ++below;
    if (below > *c.basic_constraints->path_len_constraint)
      return Failure{Reason::path_length_exceeded,
                     at_depth(c, i) + " has pathLenConstraint=" +
                         std::to_string(*c.basic_constraints->path_len_constraint) + " but " + std::to_string(below) +
                         " intermediate CA certificate(s) follow it in the path (RFC 5280 §4.2.1.9)"};
  }
  return std::nullopt;
}

// An extKeyUsage that is present must allow the role (RFC 5280 §4.2.1.12);
// in an intermediate, anyExtendedKeyUsage allows it too. The leaf's keyUsage
// is checked by the handshake, where the key is used (RFC 5246 §7.4.2).
std::optional<Failure> check_purpose(const Certificate& c, size_t depth, Purpose purpose) {
  const std::string_view wanted = purpose == Purpose::server ? oid::server_auth : oid::client_auth;
  const char* wanted_name = purpose == Purpose::server ? "serverAuth" : "clientAuth";
  if (c.ext_key_usage && !has_purpose(c, wanted) && (depth == 0 || !has_purpose(c, oid::any_extended_key_usage)))
    return Failure{Reason::bad_extended_key_usage,
                   at_depth(c, depth) + " has extKeyUsage without " + wanted_name + " (RFC 5280 §4.2.1.12)"};
  return std::nullopt;
}

CertRole role_of(const Path& path, size_t i) {
  if (i == 0) return CertRole::leaf;
  return i + 1 == path.size() ? CertRole::anchor : CertRole::intermediate;
}

// From the trust anchor down, as RFC 5280 §6.1 processes a path: a CA's
// fault is reported before the faults it causes below it.
std::optional<Failure> check_profiles(const Path& path, const VerifyOptions& options) {
  for (size_t i = path.size(); i-- > 0;) {
    const Certificate& c = *path[i];
    if (!c.unknown_critical_extensions.empty())
      return Failure{Reason::unknown_critical_extension, at_depth(c, i) + " has critical extension " +
                                                             c.unknown_critical_extensions.front() +
                                                             " that tls12 does not process (RFC 5280 §4.2)"};
    // The pinned self-signed leaf is the anchor too: it is checked as a leaf.
    if (i > 0 && path[i] == path[0]) continue;
    if (auto p = profile_problem(c, role_of(path, i), options.policy, options.purpose))
      return Failure{p->reason, at_depth(c, i) + " " + p->what};
  }
  return std::nullopt;
}

// RFC 5280 §6.1.3 (b)-(c) for every CA with nameConstraints and every
// certificate below it (self-issued intermediates excepted, §6.1.3 (b)).
std::optional<Failure> check_name_constraints(const Path& path, size_t& budget) {
  for (size_t i = 1; i < path.size(); ++i) {
    if (!path[i]->name_constraints) continue;
    const NameConstraints& nc = *path[i]->name_constraints;
    if (auto form = unprocessable_name_constraint(nc))
      return Failure{Reason::name_constraints_violation,
                     at_depth(*path[i], i) + " constrains the " + *form +
                         " name form, which tls12 cannot process (RFC 5280 §4.2.1.10: process it or reject)"};
    for (size_t j = 0; j < i; ++j) {
      if (j > 0 && path[j]->is_self_issued()) continue;
      if (auto problem = name_constraints_problem(nc, *path[j], j == 0, budget))
        return Failure{Reason::name_constraints_violation, at_depth(*path[j], j) + ": " + *problem +
                                                               " of the nameConstraints of " + at_depth(*path[i], i) +
                                                               " (RFC 5280 §4.2.1.10)"};
    }
  }
  return std::nullopt;
}

// Certificate policies are not processed, so the policy tree of RFC 5280
// §6.1.2-§6.1.5 is never built. With no initial policy set and
// initial-explicit-policy off (what a TLS peer uses), that tree can only
// reject a path once explicit_policy reaches 0, which happens only through
// requireExplicitPolicy: in an intermediate with SkipCerts k when at most k-1
// non-self-issued intermediates follow it (the wrap-up counts the leaf,
// §6.1.5 (a)), or 0 in the leaf (§6.1.5 (b)). Such a path is refused rather
// than accepted unchecked; any other path is decided correctly without it.
std::optional<Failure> check_explicit_policy(const Path& path) {
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    const auto& k = path[i]->require_explicit_policy;
    if (!k) continue;
    int64_t following = 0;
    for (size_t j = 1; j < i; ++j)
      if (!path[j]->is_self_issued()) ++following;
    if ((i == 0 && *k == 0) || (i > 0 && *k <= following + 1))
      return Failure{Reason::unsupported_policy,
                     at_depth(*path[i], i) + " has policyConstraints requireExplicitPolicy=" + std::to_string(*k) +
                         ", which needs certificate policy processing (RFC 5280 §6.1.4 (i), §6.1.5); tls12 does not "
                         "process certificate policies"};
  }
  return std::nullopt;
}

std::optional<Failure> check_identity(const Certificate& leaf, const VerifyOptions& options,
                                      const std::optional<Bytes>& ip) {
  if (options.hostname && !certificate_matches_hostname(leaf, *options.hostname, options.allow_common_name_fallback)) {
    if (!leaf.has_subject_alt_name && !options.allow_common_name_fallback)
      return Failure{Reason::hostname_mismatch,
                     at_depth(leaf, 0) + " has no subjectAltName, so it names no host name (RFC 6125 §6.4.4: the "
                                         "subject CN is not used); reissue it with -addext \"subjectAltName=DNS:" +
                         *options.hostname + "\", or accept the CN with --allow-cn-fallback"};
    return Failure{Reason::hostname_mismatch, at_depth(leaf, 0) + " is not valid for host name " + *options.hostname +
                                                  " (subjectAltName DNS names, RFC 6125 §6.4)"};
  }
  if (ip && !certificate_matches_ip(leaf, *ip))
    return Failure{Reason::ip_address_mismatch,
                   at_depth(leaf, 0) + " is not valid for IP address " + *options.ip_address +
                       (leaf.has_subject_alt_name ? std::string(" (subjectAltName iPAddress, RFC 5280 §4.2.1.6)")
                                                  : " (it has no subjectAltName; reissue it with -addext "
                                                    "\"subjectAltName=IP:" + *options.ip_address + "\")")};
  return std::nullopt;
}

std::optional<Failure> check_path(const Path& path, const VerifyOptions& options, int64_t now,
                                  const std::optional<Bytes>& ip, size_t& budget) {
  if (auto f = check_profiles(path, options)) return f;
  for (size_t i = 0; i < path.size(); ++i)
    if (auto f = check_validity(*path[i], i, now)) return f;
  for (size_t i = 1; i < path.size(); ++i)
    if (auto f = check_issuer_rules(path, i)) return f;
  // The leaf (even when it is itself the trust anchor) and the intermediates;
  // a trust anchor above them is trusted for whatever purpose the user chose.
  for (size_t i = 0; i + 1 < path.size() || i == 0; ++i)
    if (auto f = check_purpose(*path[i], i, options.purpose)) return f;
  if (auto f = check_name_constraints(path, budget)) return f;
  if (auto f = check_explicit_policy(path)) return f;
  return check_identity(*path.front(), options, ip);
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

  // `c` is at the end of the path being built; its issuer would come next.
  bool verify_issuer_signature(const Certificate& issuer, const Certificate& c) {
    const size_t depth = path_.size() - 1;
    auto quoted_c = at_depth(c, depth);
    auto quoted_issuer = "its candidate issuer " + at_depth(issuer, depth + 1);
    if (!c.signature_algorithm) {
      note(2, Reason::unsupported_algorithm,
           quoted_c + " is signed with " + c.signature_algorithm_oid + ": " + c.signature_algorithm_problem +
               " (RFC 5280 §4.1.1.2)");
      return false;
    }
    std::optional<PublicKey> key;
    try {
      key = issuer.public_key(crypto::RsaKeyPolicy::standard);
    } catch (const std::exception& e) {
      note(2, Reason::unsupported_algorithm, quoted_issuer + " has a key tls12 cannot use: " + e.what() +
                                                 " (RFC 5280 §4.1.2.7)");
      return false;
    }
    const bool verified = verify_signature(*key, *c.signature_algorithm, c.tbs_certificate(), c.signature_value);
    if (!verified) {
      note(2, Reason::bad_signature, "the signature on " + quoted_c + " (" + c.signature_algorithm->name() +
                                         ") does not verify with the key of " + quoted_issuer +
                                         " (RFC 5280 §6.1.3 (a)(1))");
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
      note(3, Reason::chain_too_long, "path building from " + at_depth(*path_.front(), 0) + " gave up after trying " +
                                          std::to_string(kMaxSearchSteps) + " partial paths (a tls12 work limit; RFC 4158 §2.4)");
      return false;
    }
    // The anchor counts in the depth (VerifyOptions::max_depth): a path with
    // no room left for one cannot end here.
    if (path_.size() + 1 > options_.max_depth) {
      note(1, Reason::chain_too_long, "no path to a trust anchor within " + std::to_string(options_.max_depth) +
                                          " certificates from " + at_depth(*path_.front(), 0) +
                                          " (a tls12 depth limit; RFC 4158 §2.4)");
      return false;
    }
    const Certificate& current = *path_.back();
    for (const auto& anchor : trust_.anchors()) {
      if (!may_have_issued(anchor, current) || !signature_ok(anchor, current)) continue;
      std::vector<const Certificate*> full = path_;
      full.push_back(&anchor);
      if (auto f = check_path(full, options_, now_, ip_, budget_)) {
        note(4, f->reason, f->message);
        continue;
      }
      found_ = full;
      return true;
    }
    if (path_.size() + 1 >= options_.max_depth) {
      note(1, Reason::chain_too_long, "no path to a trust anchor within " + std::to_string(options_.max_depth) +
                                          " certificates from " + at_depth(*path_.front(), 0) +
                                          " (a tls12 depth limit; RFC 4158 §2.4)");
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
    if (auto f = check_path(full, options_, now_, ip_, budget_)) {
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
  size_t budget_ = kNameConstraintComparisons;  // shared by every path tried
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
    r.message = at_depth(leaf, 0) + ": no trusted issuer found for '" + leaf.issuer.to_string() +
                "' (no chain from it reaches a certificate in the trust store, RFC 5280 §6.1)";
  return r;
}

namespace {

// Parses certificates [first, end) of a Certificate message; on the first that
// does not parse, says which in `failure`.
std::vector<Certificate> parse_chain(std::span<const Bytes> certificate_list, size_t first, VerifyResult& failure) {
  std::vector<Certificate> certs;
  certs.reserve(certificate_list.size() - first);
  for (size_t i = first; i < certificate_list.size(); ++i) {
    try {
      certs.push_back(Certificate::parse(certificate_list[i]));
    } catch (const std::exception& e) {
      failure.reason = Reason::malformed;
      failure.message = "certificate " + std::to_string(i) + " of the chain (depth " + std::to_string(i) +
                        " as sent) does not parse: " + e.what() + " (RFC 5280 §4.1, X.690 DER)";
      return {};
    }
  }
  return certs;
}

}  // namespace

VerifyResult verify_chain_der(std::span<const Bytes> certificate_list, const TrustStore& trust,
                              const VerifyOptions& options) {
  VerifyResult r;
  if (certificate_list.empty()) {
    r.reason = Reason::empty_chain;
    r.message = "no certificate was presented";
    return r;
  }
  const std::vector<Certificate> certs = parse_chain(certificate_list, 0, r);
  if (certs.empty()) return r;
  return verify_chain(certs.front(), std::span<const Certificate>(certs).subspan(1), trust, options);
}

VerifyResult verify_chain_der(const Certificate& leaf, std::span<const Bytes> certificate_list,
                              const TrustStore& trust, const VerifyOptions& options) {
  VerifyResult r;
  const std::vector<Certificate> untrusted = parse_chain(certificate_list, 1, r);
  if (r.reason == Reason::malformed) return r;
  return verify_chain(leaf, untrusted, trust, options);
}

}  // namespace tls12::x509
