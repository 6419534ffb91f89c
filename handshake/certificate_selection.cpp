// Choosing the server's certificate chain by SNI (RFC 6066 §3) and key type,
// together with the cipher suite (RFC 5246 §7.4.1.3); see
// certificate_selection.h.
#include "handshake/certificate_selection.h"

#include <algorithm>
#include <span>

#include "handshake/dhe.h"
#include "handshake/key_usage.h"
#include "handshake/signing.h"
#include "record/alert.h"
#include "x509/certificate.h"
#include "x509/hostname.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

namespace {

template <class List, class T>
bool contains(const List& list, const T& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// 2: the leaf lists the host exactly; 1: through a wildcard; 0: not at all.
// A leaf we cannot parse names nothing (the server's own configuration, so it
// would fail at the client anyway).
int name_match(const CertifiedKey& key, const std::string& host) {
  if (key.certificate_chain.empty()) return 0;
  try {
    x509::Certificate leaf = x509::Certificate::parse(key.certificate_chain.front());
    for (const std::string& name : leaf.san_dns_names)
      if (x509::ascii_equal_ignoring_case(name, host)) return 2;
    return x509::certificate_matches_hostname(leaf, host) ? 1 : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

// RFC 8422 §5.1.1: the first of our curves that the client lists. A client
// that sends no supported_groups accepts any curve (§4), but every client that
// offers an ECDHE suite sends it, and guessing is not worth an extra rule.
std::optional<NamedGroup> choose_ecdhe_group(std::span<const NamedGroup> ours,
                                             const std::optional<std::vector<NamedGroup>>& client_groups) {
  if (!client_groups) return std::nullopt;
  for (NamedGroup g : ours)
    if (is_ecdhe_group(g) && contains(*client_groups, g)) return g;
  return std::nullopt;
}

std::vector<const CertifiedKey*> all_certificates(const ServerConfig& config) {
  std::vector<const CertifiedKey*> all{&config.certificate};
  for (const CertifiedKey& key : config.additional_certificates) all.push_back(&key);
  return all;
}

}  // namespace

std::vector<const CertifiedKey*> certificates_for_name(const ServerConfig& config,
                                                       const std::optional<std::string>& server_name,
                                                       bool& name_matched) {
  name_matched = false;
  std::vector<const CertifiedKey*> all = all_certificates(config);
  // One chain and no policy on names: nothing to choose, no parsing.
  if (!server_name || (all.size() == 1 && !config.reject_unknown_server_name)) return all;
  std::vector<const CertifiedKey*> exact, wildcard;
  for (const CertifiedKey* key : all) {
    int match = name_match(*key, *server_name);
    if (match == 2) exact.push_back(key);
    if (match == 1) wildcard.push_back(key);
  }
  if (exact.empty() && wildcard.empty()) {
    if (config.reject_unknown_server_name)
      throw TlsError(AlertDescription::unrecognized_name,
                     "no certificate of this server carries the requested name \"" + *server_name + "\"");
    return all;
  }
  name_matched = true;
  exact.insert(exact.end(), wildcard.begin(), wildcard.end());
  return exact;
}

bool can_run(const CipherSuiteInfo& suite, const x509::PrivateKey& key, const ClientHelloExtensions& ext,
             const CommonConfig& config, ServerChoice& choice) {
  if (!key_fits_authentication(suite.authentication, key)) return false;
  choice.group.reset();
  choice.scheme.reset();
  switch (suite.key_exchange) {
    case KeyExchange::rsa:
      // Key transport needs an RSA key that decrypts; the key signs nothing (§7.4.7.1).
      return true;
    case KeyExchange::ecdhe:
      choice.group = choose_ecdhe_group(config.groups, ext.supported_groups);
      if (!choice.group) return false;
      break;
    case KeyExchange::dhe:
      choice.group = choose_dhe_group(config.groups, ext.supported_groups);
      if (!choice.group) return false;
      break;
  }
  // A signature the client accepts. Without signature_algorithms the client
  // could only take SHA-1 signatures (§7.4.1.4.1), which we refuse.
  if (!ext.signature_algorithms) return false;
  choice.scheme = choose_scheme(config.signature_schemes, *ext.signature_algorithms, key);
  return choice.scheme.has_value();
}

ServerChoice choose_suite_and_certificate(const ServerConfig& config, const ClientHello& hello,
                                          const ClientHelloExtensions& ext) {
  ServerChoice choice;
  std::vector<const CertifiedKey*> candidates =
      certificates_for_name(config, ext.server_name, choice.server_name_matched);
  const auto& ours = config.cipher_suites;
  const auto& order = config.prefer_server_cipher_order ? ours : hello.cipher_suites;
  // Parsed once per handshake, not once per suite.
  std::vector<std::optional<uint16_t>> key_usages;
  for (const CertifiedKey* candidate : candidates)
    key_usages.push_back(candidate->certificate_chain.empty() ? std::nullopt
                                                              : leaf_key_usage(candidate->certificate_chain.front()));
  for (CipherSuite id : order) {
    const CipherSuiteInfo* info = find_cipher_suite(id);
    if (info == nullptr || !contains(ours, id) || !hello.offers(id)) continue;
    for (size_t i = 0; i < candidates.size(); ++i) {
      const CertifiedKey* candidate = candidates[i];
      // Step 2 also asks the leaf's keyUsage (key_usage.h).
      if (!key_usage_allows(key_usages[i], server_key_use(info->key_exchange))) continue;
      if (!candidate->private_key || !can_run(*info, *candidate->private_key, ext, config, choice)) continue;
      choice.suite = info;
      choice.certificate = candidate;
      return choice;
    }
  }

  bool any_common = std::any_of(ours.begin(), ours.end(), [&](CipherSuite id) { return hello.offers(id); });
  if (!any_common) throw TlsError(AlertDescription::handshake_failure, "no cipher suite in common with the client");
  bool any_key_fits = std::any_of(ours.begin(), ours.end(), [&](CipherSuite id) {
    const CipherSuiteInfo* info = find_cipher_suite(id);
    return info != nullptr && hello.offers(id) &&
           std::any_of(candidates.begin(), candidates.end(), [&](const CertifiedKey* c) {
             return c->private_key && key_fits_authentication(info->authentication, *c->private_key);
           });
  });
  if (!any_key_fits)
    throw TlsError(AlertDescription::handshake_failure,
                   "no certificate of this server has a key type the client's cipher suites can use");
  bool any_usage_fits = std::any_of(ours.begin(), ours.end(), [&](CipherSuite id) {
    const CipherSuiteInfo* info = find_cipher_suite(id);
    if (info == nullptr || !hello.offers(id)) return false;
    for (size_t i = 0; i < candidates.size(); ++i)
      if (key_usage_allows(key_usages[i], server_key_use(info->key_exchange))) return true;
    return false;
  });
  if (!any_usage_fits)
    throw TlsError(AlertDescription::handshake_failure,
                   "the keyUsage of this server's certificates allows none of the client's key exchanges");
  if (!ext.signature_algorithms)
    throw TlsError(AlertDescription::handshake_failure,
                   "client sent no signature_algorithms: it could only accept SHA-1 signatures");
  if (!choose_ecdhe_group(config.groups, ext.supported_groups))
    throw TlsError(AlertDescription::handshake_failure, "no ECDHE group in common with the client");
  throw TlsError(AlertDescription::handshake_failure,
                 "no signature scheme in common with the client for the keys of this server");
}

}  // namespace tls12::handshake
