// Issuing X.509 v3 certificates (RFC 5280 §4.1) for a CA, a TLS server or a
// TLS client: the writing side of certificate.h, what `openssl req -x509` and
// `openssl x509 -req -CA` do in the source documents.
//
// Each profile fixes the extensions (RFC 5280 §4.2.1):
//   ca:     basicConstraints critical CA:TRUE (with an optional pathLen),
//           keyUsage critical keyCertSign | cRLSign, optional nameConstraints
//           (critical, permitted DNS names and IP ranges only);
//   server: basicConstraints critical CA:FALSE, keyUsage critical
//           digitalSignature (plus keyEncipherment for RSA keys, which the
//           RSA key exchange of RFC 5246 §7.4.7.1 uses), extKeyUsage
//           serverAuth, subjectAltName;
//   client: the same with extKeyUsage clientAuth.
// Every certificate gets subjectKeyIdentifier and authorityKeyIdentifier
// (RFC 5280 §4.2.1.1, .2), the identifier being the leftmost 160 bits of the
// SHA-256 of the subjectPublicKey (RFC 7093 §2 method 1), and a random
// positive 16-byte serial number (§4.1.2.2: at most 20 octets; CA/Browser
// Forum BR §7.1: at least 64 random bits).
//
// The result is parsed back with Certificate::parse and its signature checked
// with the issuer's public key before it is returned: a certificate the reader
// refuses or a faulty signature never leaves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "x509/certificate.h"
#include "x509/keys.h"
#include "x509/name_writer.h"

namespace tls12::x509 {

enum class CertificateProfile { ca, server, client };

// Permitted subtrees for a CA's nameConstraints: DNS names ("localhost"),
// and IP addresses taken as single-host ranges (/32, /128).
struct PermittedNames {
  std::vector<std::string> dns_names;
  std::vector<Bytes> ip_addresses;
  bool empty() const { return dns_names.empty() && ip_addresses.empty(); }
};

struct CertificateTemplate {
  CertificateProfile profile = CertificateProfile::server;
  Bytes subject;                  // Name DER
  Bytes subject_public_key_info;  // DER
  SubjectAltNames alt_names;      // server and client
  int64_t not_before = 0;         // Unix seconds
  int64_t not_after = 0;
  std::optional<int64_t> path_length;  // ca
  PermittedNames permitted;            // ca
};

// Who signs: the CA's subject name, key identifier and private key.
struct Issuer {
  Bytes name;  // Name DER
  Bytes key_identifier;
  PrivateKey key;
};

// The issuer for a CA certificate and its key. std::invalid_argument with the
// reason if the certificate is not a CA (basicConstraints CA:TRUE), lacks
// keyCertSign, or does not belong to the key.
Issuer issuer_from(const Certificate& ca_certificate, const PrivateKey& ca_key);
// The issuer of a self-signed certificate for `subject` made with `key`.
Issuer self_issuer(ByteView subject, const PrivateKey& key);

// The key identifier of RFC 7093 §2 method 1 for a SubjectPublicKeyInfo.
Bytes key_identifier_of(ByteView subject_public_key_info);

// The signed certificate's DER. std::invalid_argument for a template that
// cannot make a valid certificate (validity ending before it begins or in
// the past, a server or client certificate without names, ...).
Bytes issue_certificate(const CertificateTemplate& tmpl, const Issuer& issuer, int64_t now);

}  // namespace tls12::x509
