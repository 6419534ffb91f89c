// Certificate issuance (RFC 5280 §4.1, §4.2.1); see issue.h for the profiles.
#include "x509/issue.h"

#include <stdexcept>

#include "crypto/random.h"
#include "crypto/sha2.h"
#include "x509/der.h"
#include "x509/der_writer.h"
#include "x509/key_writer.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

uint32_t bit(KeyUsageBit b) { return 1u << static_cast<unsigned>(b); }

// §4.1.2.2: positive, at most 20 octets. Clearing the top bit keeps it
// positive; setting the next one keeps it exactly 16 octets (no leading
// zero octet to drop), leaving 126 random bits.
Bytes random_serial_number() {
  Bytes serial(16);
  crypto::random_bytes(serial);
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x40);
  return serial;
}

// Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue
// OCTET STRING }; DER leaves out a critical flag that is FALSE (the DEFAULT).
void extension(DerWriter& list, std::string_view id, bool critical, ByteView value) {
  list.sequence([&](DerWriter& e) {
    e.oid(id);
    if (critical) e.boolean(true);
    e.octet_string(value);
  });
}

Bytes basic_constraints(const CertificateTemplate& t) {
  // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      if (t.profile != CertificateProfile::ca) return;  // CA:FALSE is the DEFAULT: an empty SEQUENCE
      s.boolean(true);
      if (t.path_length) s.integer(*t.path_length);
    });
  });
}

uint32_t key_usage(const CertificateTemplate& t, bool rsa_key) {
  if (t.profile == CertificateProfile::ca) return bit(KeyUsageBit::key_cert_sign) | bit(KeyUsageBit::crl_sign);
  uint32_t usage = bit(KeyUsageBit::digital_signature);
  // A TLS server with an RSA key may be asked to decrypt the premaster
  // secret (RSA key exchange), which RFC 5280 §4.2.1.3 calls keyEncipherment.
  if (rsa_key && t.profile == CertificateProfile::server) usage |= bit(KeyUsageBit::key_encipherment);
  return usage;
}

// NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, ... }
// GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
// An iPAddress base is the address followed by its mask (§4.2.1.10); one
// host is the full-length mask.
Bytes name_constraints(const PermittedNames& permitted) {
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& nc) {
      nc.implicit_constructed(0, [&](DerWriter& subtrees) {
        for (const std::string& dns : permitted.dns_names)
          subtrees.sequence([&](DerWriter& s) { s.implicit_primitive(2, as_bytes(dns)); });
        for (const Bytes& ip : permitted.ip_addresses) {
          Bytes range = ip;
          range.insert(range.end(), ip.size(), 0xff);
          subtrees.sequence([&](DerWriter& s) { s.implicit_primitive(7, range); });
        }
      });
    });
  });
}

void write_extensions(DerWriter& list, const CertificateTemplate& t, const Issuer& issuer, bool rsa_key) {
  extension(list, oid::basic_constraints, true, basic_constraints(t));
  extension(list, oid::key_usage, true, encode_public([&](DerWriter& w) { w.named_bits(key_usage(t, rsa_key)); }));
  if (t.profile != CertificateProfile::ca) {
    const std::string_view purpose = t.profile == CertificateProfile::server ? oid::server_auth : oid::client_auth;
    extension(list, oid::ext_key_usage, false,
              encode_public([&](DerWriter& w) { w.sequence([&](DerWriter& s) { s.oid(purpose); }); }));
  }
  if (!t.alt_names.empty()) extension(list, oid::subject_alt_name, false, encode_subject_alt_name(t.alt_names));
  // SubjectKeyIdentifier ::= KeyIdentifier (OCTET STRING);
  // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING, ... }
  const Bytes ski = key_identifier_of(t.subject_public_key_info);
  extension(list, oid::subject_key_identifier, false, encode_public([&](DerWriter& w) { w.octet_string(ski); }));
  extension(list, oid::authority_key_identifier, false, encode_public([&](DerWriter& w) {
              w.sequence([&](DerWriter& s) { s.implicit_primitive(0, issuer.key_identifier); });
            }));
  if (t.profile == CertificateProfile::ca && !t.permitted.empty())
    extension(list, oid::name_constraints, true, name_constraints(t.permitted));
}

void check_template(const CertificateTemplate& t, int64_t now) {
  if (t.not_after <= t.not_before) throw std::invalid_argument("validity ends before it begins");
  if (t.not_after <= now) throw std::invalid_argument("validity ends in the past (" + format_time(t.not_after) + ")");
  if (t.profile == CertificateProfile::server && t.alt_names.empty())
    throw std::invalid_argument("a server certificate needs at least one DNS name or IP address (RFC 6125 §6.4.4)");
  if (t.profile != CertificateProfile::ca && (t.path_length || !t.permitted.empty()))
    throw std::invalid_argument("path length and name constraints belong on CA certificates only");
  if (t.path_length && *t.path_length < 0) throw std::invalid_argument("path length must not be negative");
}

Bytes tbs_certificate(const CertificateTemplate& t, const Issuer& issuer, ByteView algorithm) {
  const bool rsa_key = std::holds_alternative<crypto::RsaPublicKey>(parse_subject_public_key_info(t.subject_public_key_info));
  const Bytes serial = random_serial_number();
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& tbs) {
      tbs.explicit_tag(0, [](DerWriter& v) { v.integer(2); });  // version v3
      tbs.integer(serial);
      tbs.raw(algorithm);
      tbs.raw(issuer.name);
      tbs.sequence([&](DerWriter& validity) {
        validity.time(t.not_before);
        validity.time(t.not_after);
      });
      tbs.raw(t.subject);
      tbs.raw(t.subject_public_key_info);
      tbs.explicit_tag(3, [&](DerWriter& e) {
        e.sequence([&](DerWriter& list) { write_extensions(list, t, issuer, rsa_key); });
      });
    });
  });
}

}  // namespace

Bytes key_identifier_of(ByteView subject_public_key_info) {
  DerReader outer(subject_public_key_info);
  DerReader spki = outer.read_sequence("SubjectPublicKeyInfo");
  spki.read_sequence("algorithm");
  const ByteView key = spki.read_bit_string_octets("subjectPublicKey");
  const auto digest = crypto::sha256(key);
  return Bytes(digest.begin(), digest.begin() + 20);
}

Issuer issuer_from(const Certificate& ca, const PrivateKey& key) {
  if (!ca.is_ca()) throw std::invalid_argument("the CA certificate " + ca.display_name() + " is not a CA (no basicConstraints CA:TRUE)");
  if (ca.key_usage && !ca.has_key_usage(KeyUsageBit::key_cert_sign))
    throw std::invalid_argument("the CA certificate " + ca.display_name() + " lacks keyUsage keyCertSign");
  if (!same_public_key(ca.public_key(), public_key_of(key)))
    throw std::invalid_argument("the CA key does not belong to the CA certificate " + ca.display_name());
  Issuer issuer{ca.subject.der, {}, key};
  issuer.key_identifier = ca.subject_key_identifier ? *ca.subject_key_identifier : key_identifier_of(ca.subject_public_key_info);
  return issuer;
}

Issuer self_issuer(ByteView subject, const PrivateKey& key) {
  const Bytes spki = encode_subject_public_key_info(public_key_of(key));
  return Issuer{Bytes(subject.begin(), subject.end()), key_identifier_of(spki), key};
}

Bytes issue_certificate(const CertificateTemplate& t, const Issuer& issuer, int64_t now) {
  check_template(t, now);
  const Bytes algorithm = signature_algorithm_identifier(issuer.key);
  const Bytes tbs = tbs_certificate(t, issuer, algorithm);
  const Bytes signature = sign_message(issuer.key, tbs);
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
  const Bytes der = encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& c) {
      c.raw(tbs);
      c.raw(algorithm);
      c.bit_string(signature);
    });
  });
  const Certificate parsed = Certificate::parse(der);
  if (!parsed.signature_algorithm ||
      !verify_signature(public_key_of(issuer.key), *parsed.signature_algorithm, parsed.tbs_certificate(),
                        parsed.signature_value))
    throw std::runtime_error("the new certificate's signature does not verify (a fault while signing)");
  return der;
}

}  // namespace tls12::x509
