// A CA, a server and a client certificate with their keys, in one call; see
// pki_set.h.
#include "x509/pki_set.h"

#include <ctime>
#include <stdexcept>

#include "crypto/random.h"
#include "x509/certificate.h"
#include "x509/issue.h"
#include "x509/pem.h"

namespace tls12::x509 {

namespace {

constexpr int64_t kDay = 86400;
// Certificates start an hour back, so that a peer whose clock is a little
// behind does not see them as not yet valid.
constexpr int64_t kBackdate = 3600;

void wipe(std::string& s) { secure_zero(s.data(), s.size()); }

std::string certificate_pem(const Bytes& der) { return encode_pem("CERTIFICATE", der); }

CertificateTemplate leaf(CertificateProfile profile, const std::string& subject,
                               const GeneratedKey& key, int64_t now, int days) {
  CertificateTemplate t;
  t.profile = profile;
  t.subject = encode_distinguished_name(subject);
  t.subject_public_key_info = encode_subject_public_key_info(public_key_of(key.key));
  t.not_before = now - kBackdate;
  t.not_after = now + days * kDay;
  return t;
}

// 24 random bytes as hex: a passphrase with 192 bits of entropy.
std::string random_passphrase() {
  SecretBytes raw(24);
  crypto::random_bytes(raw);
  return to_hex(raw);
}

}  // namespace

PkiSet::~PkiSet() {
  for (std::string* s : {&ca_key, &server_key, &client_key, &server_key_encrypted, &server_key_passphrase}) wipe(*s);
}

PkiSet make_pki_set(const PkiSetOptions& o) {
  if (o.days < 1) throw std::invalid_argument("validity must be at least one day");
  const SubjectAltNames names = parse_subject_alt_names(o.hosts);
  if (names.empty()) throw std::invalid_argument("at least one host name or address is needed");
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const std::string org = "/O=" + o.organisation;

  // 1. The CA: self-signed, CA:TRUE, keyCertSign, constrained to the hosts.
  const GeneratedKey ca_key = generate_key(o.key_type);
  CertificateTemplate ca = leaf(CertificateProfile::ca, org + "/CN=" + o.organisation + " CA", ca_key, now,
                                      o.days);
  ca.path_length = 0;
  ca.permitted.ip_addresses = names.ip_addresses;
  // A wildcard is not a constraint; its base domain is (RFC 5280 §4.2.1.10:
  // a dNSName constraint covers the name and every name below it).
  for (const std::string& dns : names.dns_names)
    ca.permitted.dns_names.push_back(dns.rfind("*.", 0) == 0 ? dns.substr(2) : dns);
  const Bytes ca_der = issue_certificate(ca, self_issuer(ca.subject, ca_key.key), now);
  const Issuer issuer = issuer_from(Certificate::parse(ca_der), ca_key.key);

  // 2. The server: its names in subjectAltName, the first one also as CN.
  const GeneratedKey server_key = generate_key(o.key_type);
  CertificateTemplate server = leaf(CertificateProfile::server, org + "/CN=" + o.hosts.front(),
                                          server_key, now, o.days);
  server.alt_names = names;

  // 3. The client: no names to check, clientAuth only.
  const GeneratedKey client_key = generate_key(o.key_type);
  const CertificateTemplate client = leaf(CertificateProfile::client,
                                                org + "/CN=" + o.organisation + " client", client_key, now, o.days);

  PkiSet set;
  set.ca_crt = certificate_pem(ca_der);
  set.ca_key = private_key_pem(ca_key.private_key_info);
  set.server_crt = certificate_pem(issue_certificate(server, issuer, now));
  set.server_key = private_key_pem(server_key.private_key_info);
  set.client_crt = certificate_pem(issue_certificate(client, issuer, now));
  set.client_key = private_key_pem(client_key.private_key_info);
  if (o.encrypted_server_key) {
    set.server_key_passphrase = random_passphrase();
    set.server_key_encrypted = private_key_pem(server_key.private_key_info, as_bytes(set.server_key_passphrase));
  }
  return set;
}

}  // namespace tls12::x509
