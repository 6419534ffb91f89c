// X.509 certificate parsing (RFC 5280 §4.1 and the extensions of §4.2.1); see
// certificate.h for the structure. Each function below reads one ASN.1 type
// and is named after it.
#include "x509/certificate.h"

#include <algorithm>
#include <set>

#include "x509/der.h"
#include "x509/hostname.h"
#include "x509/oid.h"
#include "x509/pem.h"

namespace tls12::x509 {

namespace {

size_t content_offset(const Element& e) { return e.offset + (e.encoded.size() - e.content.size()); }

DerReader reader_for(const Element& e) { return DerReader(e.content, content_offset(e)); }

std::optional<crypto::HashAlgorithm> hash_from_oid(const std::string& id) {
  if (id == oid::sha256) return crypto::HashAlgorithm::sha256;
  if (id == oid::sha384) return crypto::HashAlgorithm::sha384;
  if (id == oid::sha512) return crypto::HashAlgorithm::sha512;
  return std::nullopt;
}

// HashAlgorithm AlgorithmIdentifier inside RSASSA-PSS-params (RFC 4055 §2.1):
// parameters NULL or absent.
crypto::HashAlgorithm read_hash_identifier(DerReader& r, std::string_view what) {
  DerReader seq = r.read_sequence(what);
  const std::string id = seq.read_oid(what);
  if (!seq.empty()) seq.read_null(what);
  seq.expect_end(what);
  auto h = hash_from_oid(id);
  if (!h) throw UnsupportedError(std::string(what) + ": hash " + id + " is not accepted (SHA-256/384/512 only)");
  return *h;
}

// RSASSA-PSS-params (RFC 4055 §3.1). Every field has a SHA-1 default, which we
// refuse, so in practice all of hash, mask generation and salt are explicit.
SignatureAlgorithm read_pss_parameters(DerReader& params) {
  DerReader p = params.read_sequence("RSASSA-PSS-params");
  params.expect_end("RSASSA-PSS-params");
  SignatureAlgorithm alg;
  alg.kind = SignatureAlgorithm::Kind::rsa_pss;
  auto hash = p.read_optional_explicit(0, "hashAlgorithm");
  if (!hash) throw UnsupportedError("RSASSA-PSS with the default hash SHA-1 is refused");
  alg.hash = read_hash_identifier(*hash, "RSASSA-PSS hashAlgorithm");
  hash->expect_end("hashAlgorithm");
  auto mgf = p.read_optional_explicit(1, "maskGenAlgorithm");
  if (!mgf) throw UnsupportedError("RSASSA-PSS with the default MGF1-SHA-1 is refused");
  DerReader m = mgf->read_sequence("maskGenAlgorithm");
  mgf->expect_end("maskGenAlgorithm");
  if (m.read_oid("maskGenAlgorithm") != oid::mgf1) throw UnsupportedError("RSASSA-PSS mask generation other than MGF1");
  if (read_hash_identifier(m, "MGF1 hash") != alg.hash)
    throw UnsupportedError("RSASSA-PSS with different message and MGF1 hashes is not supported");
  m.expect_end("maskGenAlgorithm");
  alg.salt_length = 20;
  if (auto salt = p.read_optional_explicit(2, "saltLength")) {
    const int64_t v = salt->read_small_integer("saltLength");
    salt->expect_end("saltLength");
    if (v > 1024) throw DerError("RSASSA-PSS saltLength too large", p.offset());
    alg.salt_length = static_cast<size_t>(v);
  }
  if (auto trailer = p.read_optional_explicit(3, "trailerField")) {
    if (trailer->read_small_integer("trailerField") != 1) throw UnsupportedError("RSASSA-PSS trailerField must be 1");
    trailer->expect_end("trailerField");
  }
  p.expect_end("RSASSA-PSS-params");
  return alg;
}

// GeneralName ::= CHOICE { otherName [0], rfc822Name [1] IA5String,
//   dNSName [2] IA5String, x400Address [3], directoryName [4] Name,
//   ediPartyName [5], uniformResourceIdentifier [6] IA5String,
//   iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
// (RFC 5280 §4.2.1.6). The IA5String forms must hold 7-bit ASCII only.
struct GeneralName {
  uint32_t tag = 0;
  std::string text;  // [1], [2], [6]
  Bytes octets;      // [7]
  Name directory;    // [4]
};

GeneralName read_general_name(const Element& e) {
  if (e.tag.cls != TagClass::context_specific) throw DerError("GeneralName must be context-specific", e.offset);
  GeneralName g;
  g.tag = e.tag.number;
  const bool ia5 = g.tag == 1 || g.tag == 2 || g.tag == 6;
  if (ia5 || g.tag == 7) {
    if (e.tag.constructed) throw DerError("GeneralName [" + std::to_string(g.tag) + "] must be primitive", e.offset);
    if (ia5) g.text = decode_string(asn1::ia5_string, e.content, e.offset);
    else g.octets.assign(e.content.begin(), e.content.end());
  } else if (g.tag == 4) {
    // directoryName [4] is EXPLICIT (Name is a CHOICE).
    if (!e.tag.constructed) throw DerError("GeneralName directoryName must be constructed", e.offset);
    DerReader r = reader_for(e);
    g.directory = read_name(r, "directoryName");
    r.expect_end("directoryName");
  } else if (g.tag > 8) {
    throw DerError("GeneralName choice [" + std::to_string(g.tag) + "] does not exist", e.offset);
  }
  return g;
}

void read_general_names(DerReader& seq, Certificate& c) {
  if (seq.empty()) throw DerError("GeneralNames must not be empty", seq.offset());
  while (!seq.empty()) {
    const Element e = seq.read_any();
    GeneralName g = read_general_name(e);
    switch (g.tag) {
      case 1: c.san_rfc822_names.push_back(std::move(g.text)); break;
      case 2: c.san_dns_names.push_back(std::move(g.text)); break;
      case 4: c.san_directory_names.push_back(std::move(g.directory)); break;
      case 6: c.san_uris.push_back(std::move(g.text)); break;
      case 7:
        // iPAddress: 4 (IPv4) or 16 (IPv6) bytes in a SAN.
        if (g.octets.size() != 4 && g.octets.size() != 16)
          throw DerError("subjectAltName iPAddress must be 4 or 16 bytes", e.offset);
        c.san_ip_addresses.push_back(std::move(g.octets));
        break;
      default: c.san_other_forms.push_back(g.tag);
    }
  }
}

// A mask is a run of one bits then zero bits (a CIDR prefix); anything else
// has no meaning as a subtree (RFC 5280 §4.2.1.10, RFC 4632 §3.1).
bool contiguous_mask(ByteView mask) {
  bool zero_seen = false;
  for (uint8_t b : mask)
    for (int i = 7; i >= 0; --i) {
      const bool one = (b >> i) & 1;
      if (one && zero_seen) return false;
      zero_seen = zero_seen || !one;
    }
  return true;
}

// The host part of an rfc822Name or URI constraint: "" (everything), "host"
// or ".domain" (names below it only; RFC 5280 §4.2.1.10 defines that form
// for these two). "." alone, "..x", a trailing dot or a wildcard are
// malformed.
bool valid_domain_constraint(std::string_view text) {
  if (text.empty()) return true;
  if (text.front() == '.') text.remove_prefix(1);
  return is_ldh_domain(text);
}

GeneralSubtree subtree_from(GeneralName g, size_t offset) {
  GeneralSubtree t;
  t.tag = g.tag;
  auto malformed = [&](const std::string& what) { throw DerError("nameConstraints " + what, offset); };
  switch (g.tag) {
    case 2:
      // "DNS name restrictions are expressed as host.example.com": RFC 5280
      // gives the leading-period form to rfc822Name and URI only, so a
      // dNSName constraint is empty (everything) or a domain name.
      if (!g.text.empty() && g.text.front() == '.')
        malformed("dNSName '" + g.text + "' has a leading period, a form RFC 5280 §4.2.1.10 defines only for "
                  "rfc822Name and URI");
      if (!g.text.empty() && !is_ldh_domain(g.text)) malformed("dNSName '" + g.text + "' is not a domain name");
      t.form = GeneralSubtree::Form::dns_name;
      break;
    case 1: {
      const size_t at = g.text.find('@');
      const bool ok = at == std::string::npos ? valid_domain_constraint(g.text)
                                              : at > 0 && is_ldh_domain(std::string_view(g.text).substr(at + 1));
      if (!ok) malformed("rfc822Name '" + g.text + "' is not a mailbox, host or .domain");
      t.form = GeneralSubtree::Form::rfc822_name;
      break;
    }
    case 6:
      if (!valid_domain_constraint(g.text)) malformed("uniformResourceIdentifier '" + g.text + "' is not a host or .domain");
      t.form = GeneralSubtree::Form::uri;
      break;
    case 7:
      if (g.octets.size() != 8 && g.octets.size() != 32) malformed("iPAddress must be 8 or 32 bytes (address and mask)");
      if (!contiguous_mask(ByteView(g.octets).subspan(g.octets.size() / 2))) malformed("iPAddress mask is not a prefix");
      t.form = GeneralSubtree::Form::ip_address;
      t.ip_and_mask = std::move(g.octets);
      break;
    case 4:
      t.form = GeneralSubtree::Form::directory_name;
      t.directory_name = std::move(g.directory);
      break;
    default: t.form = GeneralSubtree::Form::other;
  }
  t.text = std::move(g.text);
  return t;
}

std::vector<GeneralSubtree> read_general_subtrees(DerReader& r) {
  std::vector<GeneralSubtree> out;
  if (r.empty()) throw DerError("GeneralSubtrees must not be empty", r.offset());
  while (!r.empty()) {
    // GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
    DerReader s = r.read_sequence("GeneralSubtree");
    const Element base = s.read_any();
    out.push_back(subtree_from(read_general_name(base), base.offset));
    // RFC 5280 §4.2.1.10: minimum MUST be zero and maximum MUST be absent.
    if (!s.empty()) throw DerError("GeneralSubtree minimum/maximum must be absent", s.offset());
  }
  return out;
}

// SkipCerts ::= INTEGER (0..MAX) under an IMPLICIT tag: the INTEGER rules
// (minimal, non-negative) apply to the contents.
int64_t read_implicit_small_integer(const Element& e) {
  Bytes der{asn1::integer, static_cast<uint8_t>(e.content.size())};
  if (e.content.size() > 8) throw DerError("SkipCerts too large", e.offset);
  der.insert(der.end(), e.content.begin(), e.content.end());
  DerReader r(der, e.offset);
  const int64_t v = r.read_small_integer("SkipCerts");
  if (v < 0) throw DerError("SkipCerts must not be negative", e.offset);
  return v;
}

uint16_t decode_key_usage(const BitString& bits) {
  uint16_t value = 0;
  for (unsigned i = 0; i < 9 && i / 8 < bits.bytes.size(); ++i)
    if ((bits.bytes[i / 8] >> (7 - i % 8)) & 1) value |= static_cast<uint16_t>(1u << i);
  return value;
}

// One extension's value, by OID. Returns false for extensions we do not know.
bool decode_extension(Certificate& c, const std::string& id, const Element& value) {
  DerReader r = reader_for(value);
  if (id == oid::basic_constraints) {
    // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
    DerReader s = r.read_sequence("basicConstraints");
    BasicConstraints bc;
    if (s.next_is(TagClass::universal, asn1::boolean)) {
      const size_t at = s.offset();
      bc.ca = s.read_boolean("basicConstraints.cA");
      if (!bc.ca) throw DerError("basicConstraints.cA FALSE must be omitted in DER (DEFAULT)", at);
    }
    if (!s.empty()) bc.path_len_constraint = s.read_small_integer("pathLenConstraint");
    s.expect_end("basicConstraints");
    c.basic_constraints = bc;
  } else if (id == oid::key_usage) {
    c.key_usage = decode_key_usage(r.read_bit_string("keyUsage"));
  } else if (id == oid::ext_key_usage) {
    DerReader s = r.read_sequence("extKeyUsage");
    std::vector<std::string> purposes;
    if (s.empty()) throw DerError("extKeyUsage must not be empty", s.offset());
    while (!s.empty()) purposes.push_back(s.read_oid("KeyPurposeId"));
    c.ext_key_usage = std::move(purposes);
  } else if (id == oid::subject_alt_name) {
    DerReader s = r.read_sequence("subjectAltName");
    c.has_subject_alt_name = true;
    read_general_names(s, c);
  } else if (id == oid::name_constraints) {
    // NameConstraints ::= SEQUENCE { permittedSubtrees [0] IMPLICIT GeneralSubtrees OPTIONAL,
    //                                excludedSubtrees [1] IMPLICIT GeneralSubtrees OPTIONAL }
    DerReader s = r.read_sequence("nameConstraints");
    NameConstraints nc;
    if (s.next_is(TagClass::context_specific, 0)) {
      DerReader p = reader_for(s.read(TagClass::context_specific, true, 0, "permittedSubtrees"));
      nc.permitted = read_general_subtrees(p);
    }
    if (s.next_is(TagClass::context_specific, 1)) {
      DerReader x = reader_for(s.read(TagClass::context_specific, true, 1, "excludedSubtrees"));
      nc.excluded = read_general_subtrees(x);
    }
    // "Conforming CAs MUST NOT issue certificates where name constraints is an empty sequence."
    if (nc.permitted.empty() && nc.excluded.empty()) throw DerError("nameConstraints is an empty sequence", s.offset());
    s.expect_end("nameConstraints");
    c.name_constraints = std::move(nc);
  } else if (id == oid::subject_key_identifier) {
    const ByteView ski = r.read_octet_string("subjectKeyIdentifier");
    c.subject_key_identifier = Bytes(ski.begin(), ski.end());
  } else if (id == oid::authority_key_identifier) {
    // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL,
    //   authorityCertIssuer [1] OPTIONAL, authorityCertSerialNumber [2] OPTIONAL }
    DerReader s = r.read_sequence("authorityKeyIdentifier");
    if (s.next_is(TagClass::context_specific, 0)) {
      const Element k = s.read(TagClass::context_specific, false, 0, "keyIdentifier");
      c.authority_key_identifier = Bytes(k.content.begin(), k.content.end());
    }
    if (s.next_is(TagClass::context_specific, 1)) {
      s.read(TagClass::context_specific, true, 1, "authorityCertIssuer");
      c.authority_key_identifier_names_issuer = true;
    }
    if (s.next_is(TagClass::context_specific, 2)) {
      s.read(TagClass::context_specific, false, 2, "authorityCertSerialNumber");
      c.authority_key_identifier_names_issuer = true;
    }
    s.expect_end("authorityKeyIdentifier");
  } else if (id == oid::policy_constraints) {
    // PolicyConstraints ::= SEQUENCE { requireExplicitPolicy [0] SkipCerts OPTIONAL,
    //                                  inhibitPolicyMapping [1] SkipCerts OPTIONAL }
    DerReader s = r.read_sequence("policyConstraints");
    // "Conforming CAs MUST NOT issue certificates where policy constraints is an empty sequence" (§4.2.1.11).
    if (s.empty()) throw DerError("policyConstraints is an empty sequence", s.offset());
    if (s.next_is(TagClass::context_specific, 0))
      c.require_explicit_policy = read_implicit_small_integer(s.read(TagClass::context_specific, false, 0, "requireExplicitPolicy"));
    if (s.next_is(TagClass::context_specific, 1)) read_implicit_small_integer(s.read(TagClass::context_specific, false, 1, "inhibitPolicyMapping"));
    s.expect_end("policyConstraints");
  } else if (id == oid::certificate_policies || id == oid::policy_mappings || id == oid::inhibit_any_policy ||
             id == oid::authority_info_access) {
    // Recognised, not decoded here: path_validation.h says how policies are
    // treated; the web profile checks authorityInfoAccess.
    return true;
  } else {
    return false;
  }
  r.expect_end(oid::name_of(id));
  return true;
}

void read_extensions(Certificate& c, DerReader& wrapper) {
  // Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
  DerReader list = wrapper.read_sequence("Extensions");
  wrapper.expect_end("extensions");
  if (list.empty()) throw DerError("Extensions must not be empty", list.offset());
  std::set<std::string> seen;
  while (!list.empty()) {
    // Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
    const size_t at = list.offset();
    DerReader e = list.read_sequence("Extension");
    Extension ext;
    ext.oid = e.read_oid("extnID");
    if (e.next_is(TagClass::universal, asn1::boolean)) {
      const size_t b = e.offset();
      ext.critical = e.read_boolean("critical");
      if (!ext.critical) throw DerError("Extension.critical FALSE must be omitted in DER (DEFAULT)", b);
    }
    const Element value = e.read(TagClass::universal, false, asn1::octet_string, "extnValue");
    e.expect_end("Extension");
    // RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension."
    if (!seen.insert(ext.oid).second) throw DerError("extension " + ext.oid + " appears twice", at);
    ext.value.assign(value.content.begin(), value.content.end());
    const bool known = decode_extension(c, ext.oid, value);
    if (!known && ext.critical) c.unknown_critical_extensions.push_back(ext.oid);
    c.extensions.push_back(std::move(ext));
  }
}

}  // namespace

void decode_extensions(ByteView extensions_der, Certificate& into) {
  DerReader wrapper(extensions_der);
  read_extensions(into, wrapper);
}

SignatureAlgorithm parse_signature_algorithm(ByteView der) {
  DerReader outer(der);
  DerReader r = outer.read_sequence("AlgorithmIdentifier");
  outer.expect_end("AlgorithmIdentifier");
  const std::string id = r.read_oid("algorithm");
  SignatureAlgorithm alg;
  auto rsa_pkcs1 = [&](crypto::HashAlgorithm h) {
    // RFC 4055 §5: the parameters are NULL (some encoders omit them).
    if (!r.empty()) r.read_null("parameters");
    r.expect_end("AlgorithmIdentifier");
    alg.kind = SignatureAlgorithm::Kind::rsa_pkcs1_v15;
    alg.hash = h;
    return alg;
  };
  if (id == oid::sha256_with_rsa) return rsa_pkcs1(crypto::HashAlgorithm::sha256);
  if (id == oid::sha384_with_rsa) return rsa_pkcs1(crypto::HashAlgorithm::sha384);
  if (id == oid::sha512_with_rsa) return rsa_pkcs1(crypto::HashAlgorithm::sha512);
  if (id == oid::ed25519) {
    r.expect_end("Ed25519 AlgorithmIdentifier (parameters must be absent)");
    alg.kind = SignatureAlgorithm::Kind::ed25519;
    return alg;
  }
  if (id == oid::rsassa_pss) return read_pss_parameters(r);
  if (id == oid::sha1_with_rsa || id == "1.2.840.10045.4.1")
    throw UnsupportedError("SHA-1 signatures are refused (collisions are practical)");
  if (id == oid::md5_with_rsa || id == "1.2.840.113549.1.1.2")
    throw UnsupportedError("MD5/MD2 signatures are refused (collisions are practical)");
  auto ecdsa = [&](crypto::HashAlgorithm h) {
    // RFC 5758 §3.2: the parameters MUST be absent.
    r.expect_end("ECDSA AlgorithmIdentifier (parameters must be absent)");
    alg.kind = SignatureAlgorithm::Kind::ecdsa;
    alg.hash = h;
    return alg;
  };
  if (id == oid::ecdsa_with_sha256) return ecdsa(crypto::HashAlgorithm::sha256);
  if (id == oid::ecdsa_with_sha384) return ecdsa(crypto::HashAlgorithm::sha384);
  if (id == oid::ecdsa_with_sha512) return ecdsa(crypto::HashAlgorithm::sha512);
  if (id.rfind("1.2.840.10045.4.3.", 0) == 0) throw UnsupportedError("ECDSA with SHA-224 is refused (SHA-256/384/512 only)");
  const std::string_view name = oid::name_of(id);
  throw UnsupportedError("unsupported signature algorithm " + id + (name.empty() ? "" : " (" + std::string(name) + ")"));
}

const Extension* Certificate::find_extension(std::string_view id) const {
  for (const auto& e : extensions)
    if (e.oid == id) return &e;
  return nullptr;
}

Certificate Certificate::parse(ByteView input) {
  Certificate c;
  c.der_.assign(input.begin(), input.end());
  DerReader outer(c.der_);
  DerReader cert = outer.read_sequence("Certificate");
  outer.expect_end("Certificate");
  const Element tbs = cert.read(TagClass::universal, true, asn1::sequence, "tbsCertificate");
  c.tbs_offset_ = tbs.offset;
  c.tbs_length_ = tbs.encoded.size();
  const Element outer_alg = cert.read(TagClass::universal, true, asn1::sequence, "signatureAlgorithm");
  const ByteView sig = cert.read_bit_string_octets("signatureValue");
  c.signature_value.assign(sig.begin(), sig.end());
  cert.expect_end("Certificate");

  DerReader t = reader_for(tbs);
  if (auto v = t.read_optional_explicit(0, "version")) {
    const size_t at = v->offset();
    const int64_t version = v->read_small_integer("version");
    v->expect_end("version");
    if (version == 0) throw DerError("version v1 must be omitted in DER (DEFAULT)", at);
    if (version > 2) throw DerError("unknown certificate version " + std::to_string(version + 1), at);
    c.version = static_cast<int>(version) + 1;
  }
  const ByteView serial = t.read_integer("serialNumber");
  c.serial_number.assign(serial.begin(), serial.end());
  const Element inner_alg = t.read(TagClass::universal, true, asn1::sequence, "signature");
  // RFC 5280 §4.1.1.2: the two copies of the algorithm MUST be identical, or
  // an attacker could relabel what the signature is checked with.
  if (!std::equal(inner_alg.encoded.begin(), inner_alg.encoded.end(), outer_alg.encoded.begin(), outer_alg.encoded.end()))
    throw DerError("tbsCertificate.signature differs from signatureAlgorithm", inner_alg.offset);
  c.issuer = read_name(t, "issuer");
  DerReader validity = t.read_sequence("validity");
  c.not_before = validity.read_time("notBefore");
  c.not_after = validity.read_time("notAfter");
  validity.expect_end("validity");
  c.subject = read_name(t, "subject");
  const Element spki = t.read(TagClass::universal, true, asn1::sequence, "subjectPublicKeyInfo");
  c.subject_public_key_info.assign(spki.encoded.begin(), spki.encoded.end());
  {
    DerReader s = reader_for(spki);
    DerReader alg = s.read_sequence("SubjectPublicKeyInfo.algorithm");
    c.public_key_algorithm_oid = alg.read_oid("algorithm");
    s.read_bit_string("subjectPublicKey");
    s.expect_end("subjectPublicKeyInfo");
  }
  // RFC 5280 §4.1.2.8: the unique identifiers "MUST only appear if the version is 2 or 3".
  for (uint32_t tag : {1u, 2u}) {
    if (!t.next_is(TagClass::context_specific, tag)) continue;
    const size_t at = t.offset();
    t.read(TagClass::context_specific, false, tag, tag == 1 ? "issuerUniqueID" : "subjectUniqueID");
    if (c.version == 1) throw DerError("unique identifier in a version 1 certificate", at);
  }
  if (auto ext = t.read_optional_explicit(3, "extensions")) {
    if (c.version != 3) throw DerError("extensions in a version " + std::to_string(c.version) + " certificate", ext->offset());
    read_extensions(c, *ext);
  }
  t.expect_end("tbsCertificate");

  try {
    c.signature_algorithm = parse_signature_algorithm(outer_alg.encoded);
  } catch (const UnsupportedError& e) {
    c.signature_algorithm_problem = e.what();
  }
  c.signature_algorithm_oid = DerReader(outer_alg.content).read_oid("algorithm");
  return c;
}

PublicKey Certificate::public_key(crypto::RsaKeyPolicy policy) const {
  return parse_subject_public_key_info(subject_public_key_info, policy);
}

std::string Certificate::display_name() const {
  const std::string s = subject.to_string();
  return s.empty() ? "(empty subject, serial " + to_hex(serial_number) + ")" : s;
}

std::vector<Certificate> parse_certificates_pem(std::string_view pem_text) {
  std::vector<Certificate> out;
  for (const Bytes& der : pem_blocks_with_label(pem_text, "CERTIFICATE")) out.push_back(Certificate::parse(der));
  return out;
}

std::vector<Bytes> certificate_ders(std::string_view text) {
  if (text.find("-----BEGIN") == std::string_view::npos && !text.empty() && static_cast<uint8_t>(text[0]) == 0x30)
    return {Bytes(text.begin(), text.end())};  // a single DER certificate
  return pem_blocks_with_label(text, "CERTIFICATE");
}

std::vector<Certificate> load_certificates_file(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  try {
    std::vector<Certificate> certs;
    for (const Bytes& der : certificate_ders(text)) certs.push_back(Certificate::parse(der));
    if (certs.empty()) throw std::runtime_error("no CERTIFICATE block found");
    return certs;
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

// ---- text form --------------------------------------------------------------

namespace {

std::string hex_colons(ByteView b) {
  std::string out;
  const std::string h = to_hex(b);
  for (size_t i = 0; i < h.size(); i += 2) {
    if (i) out += ':';
    out += h.substr(i, 2);
  }
  return out;
}

std::string ext_title(const Extension& e) {
  const std::string_view n = oid::name_of(e.oid);
  return "    " + (n.empty() ? e.oid : std::string(n) + " (" + e.oid + ")") + (e.critical ? ", critical" : "") + ":\n";
}

std::string describe_extension(const Certificate& c, const Extension& e) {
  std::string out = ext_title(e);
  if (e.oid == oid::basic_constraints && c.basic_constraints) {
    out += std::string("        cA=") + (c.basic_constraints->ca ? "TRUE" : "FALSE");
    if (c.basic_constraints->path_len_constraint)
      out += ", pathLenConstraint=" + std::to_string(*c.basic_constraints->path_len_constraint);
    out += "\n";
  } else if (e.oid == oid::key_usage && c.key_usage) {
    static const char* const names[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                        "dataEncipherment", "keyAgreement",   "keyCertSign",
                                        "cRLSign",          "encipherOnly",   "decipherOnly"};
    out += "       ";
    for (unsigned i = 0; i < 9; ++i)
      if ((*c.key_usage >> i) & 1) out += std::string(" ") + names[i];
    out += "\n";
  } else if (e.oid == oid::ext_key_usage && c.ext_key_usage) {
    for (const auto& p : *c.ext_key_usage) {
      const std::string_view n = oid::name_of(p);
      out += "        " + (n.empty() ? p : std::string(n) + " (" + p + ")") + "\n";
    }
  } else if (e.oid == oid::subject_alt_name) {
    for (const auto& d : c.san_dns_names) out += "        DNS:" + d + "\n";
    for (const auto& ip : c.san_ip_addresses) out += "        IP:" + format_ip_address(ip) + "\n";
    for (const auto& m : c.san_rfc822_names) out += "        email:" + m + "\n";
    for (const auto& u : c.san_uris) out += "        URI:" + u + "\n";
    for (const auto& d : c.san_directory_names) out += "        DirName:" + d.to_string() + "\n";
    for (uint32_t t : c.san_other_forms) out += "        (GeneralName [" + std::to_string(t) + "], not used by tls12)\n";
  } else if (e.oid == oid::name_constraints && c.name_constraints) {
    auto subtree = [](const GeneralSubtree& s) -> std::string {
      if (s.form == GeneralSubtree::Form::dns_name) return "DNS:" + s.text;
      if (s.form == GeneralSubtree::Form::rfc822_name) return "email:" + s.text;
      if (s.form == GeneralSubtree::Form::uri) return "URI:" + s.text;
      if (s.form == GeneralSubtree::Form::directory_name) return "DirName:" + s.directory_name.to_string();
      if (s.form == GeneralSubtree::Form::ip_address) {
        const size_t half = s.ip_and_mask.size() / 2;
        return "IP:" + format_ip_address(ByteView(s.ip_and_mask).first(half)) + "/" +
               format_ip_address(ByteView(s.ip_and_mask).subspan(half));
      }
      return "(GeneralName [" + std::to_string(s.tag) + "], a form tls12 cannot process: chains through this CA fail)";
    };
    for (const auto& s : c.name_constraints->permitted) out += "        permitted " + subtree(s) + "\n";
    for (const auto& s : c.name_constraints->excluded) out += "        excluded " + subtree(s) + "\n";
  } else if (e.oid == oid::subject_key_identifier && c.subject_key_identifier) {
    out += "        " + hex_colons(*c.subject_key_identifier) + "\n";
  } else if (e.oid == oid::authority_key_identifier) {
    out += "        keyIdentifier " + (c.authority_key_identifier ? hex_colons(*c.authority_key_identifier) : "(absent)") + "\n";
  } else {
    out += "        " + hex_colons(ByteView(e.value).first(std::min<size_t>(e.value.size(), 32))) +
           (e.value.size() > 32 ? "..." : "") + (e.critical ? "  (unknown and critical: the certificate is unusable)" : "") + "\n";
  }
  return out;
}

}  // namespace

std::string describe(const Certificate& c) {
  std::string out = "Certificate:\n";
  out += "  version: " + std::to_string(c.version) + " (v" + std::to_string(c.version) + ")\n";
  out += "  serialNumber: " + hex_colons(c.serial_number) + "\n";
  const std::string_view alg_name = oid::name_of(c.signature_algorithm_oid);
  out += "  signature algorithm: " +
         (c.signature_algorithm ? c.signature_algorithm->name()
                                : c.signature_algorithm_oid + (alg_name.empty() ? "" : " (" + std::string(alg_name) + ")") +
                                      " -- " + c.signature_algorithm_problem) + "\n";
  out += "  issuer:  " + c.issuer.to_string() + "\n";
  out += "  validity:\n    notBefore: " + format_time(c.not_before) + "\n    notAfter:  " + format_time(c.not_after) + "\n";
  out += "  subject: " + c.subject.to_string() + "\n";
  out += "  subjectPublicKeyInfo: ";
  try {
    const PublicKey key = c.public_key(crypto::RsaKeyPolicy::allow_1024_for_verification);
    out += describe(key) + "\n";
    if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&key)) {
      out += "    modulus (n): " + hex_colons(ByteView(rsa->modulus()).first(16)) + ":...\n";
      out += "    publicExponent (e): 0x" + to_hex(rsa->public_exponent()) + "\n";
    } else if (const auto* ec = std::get_if<EcPublicKey>(&key)) {
      // SEC 1 §2.3.3: 0x04 || X || Y, the two coordinates of equal length.
      const size_t half = (ec->point.size() - 1) / 2;
      out += std::string("    curve: ") + (ec->curve == EcCurve::p256 ? "P-256 (secp256r1, prime256v1)" : "P-384 (secp384r1)") + "\n";
      out += "    point x: " + hex_colons(ByteView(ec->point).subspan(1, half)) + "\n";
      out += "    point y: " + hex_colons(ByteView(ec->point).subspan(1 + half)) + "\n";
    } else {
      out += "    public key: " + hex_colons(std::get<Ed25519PublicKey>(key).bytes) + "\n";
    }
  } catch (const std::exception& e) {
    out += std::string(e.what()) + "\n";
  }
  if (!c.extensions.empty()) {
    out += "  extensions:\n";
    for (const auto& e : c.extensions) out += describe_extension(c, e);
  }
  out += "  signatureValue (" + std::to_string(c.signature_value.size()) + " bytes): " +
         hex_colons(ByteView(c.signature_value).first(std::min<size_t>(16, c.signature_value.size()))) + ":...\n";
  return out;
}

}  // namespace tls12::x509
