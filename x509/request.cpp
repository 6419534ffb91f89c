// PKCS #10 certification requests (RFC 2986 §4): making, parsing, checking
// the self-signature; see request.h.
#include "x509/request.h"

#include <stdexcept>

#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/der_writer.h"
#include "x509/key_writer.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

// Extensions ::= SEQUENCE OF Extension, with only subjectAltName (when any
// names are asked for).
Bytes requested_extensions(const SubjectAltNames& alt_names) {
  const Bytes san = encode_subject_alt_name(alt_names);
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& list) {
      list.sequence([&](DerWriter& ext) {
        ext.oid(oid::subject_alt_name);
        ext.octet_string(san);
      });
    });
  });
}

// attributes [0] IMPLICIT SET OF Attribute: the extensionRequest, if any.
void read_attributes(DerReader& r, CertificationRequest& out) {
  const Element attrs = r.read(TagClass::context_specific, true, 0, "attributes");
  DerReader list(attrs.content, attrs.offset + (attrs.encoded.size() - attrs.content.size()));
  while (!list.empty()) {
    DerReader attribute = list.read_sequence("Attribute");
    const std::string type = attribute.read_oid("Attribute.type");
    DerReader values = attribute.read_set("Attribute.values");
    attribute.expect_end("Attribute");
    if (type != kExtensionRequestOid) continue;  // challengePassword and the like: not ours to use
    const Element extensions = values.read_any();
    values.expect_end("extensionRequest (one value)");
    Certificate requested;
    decode_extensions(extensions.encoded, requested);
    if (!requested.san_rfc822_names.empty() || !requested.san_uris.empty() || !requested.san_other_forms.empty() ||
        !requested.san_directory_names.empty())
      throw std::runtime_error("the request asks for subjectAltName forms other than DNS names and IP addresses");
    out.alt_names.dns_names = requested.san_dns_names;
    out.alt_names.ip_addresses = requested.san_ip_addresses;
  }
}

}  // namespace

Bytes make_certification_request(const PrivateKey& key, ByteView subject_name, const SubjectAltNames& alt_names) {
  const Bytes spki = encode_subject_public_key_info(public_key_of(key));
  const Bytes info = encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.integer(0);  // v1
      s.raw(subject_name);
      s.raw(spki);
      s.implicit_constructed(0, [&](DerWriter& attributes) {
        if (alt_names.empty()) return;
        attributes.sequence([&](DerWriter& attribute) {
          attribute.oid(kExtensionRequestOid);
          attribute.set_of([&](DerWriter& values) { values.raw(requested_extensions(alt_names)); });
        });
      });
    });
  });
  const Bytes algorithm = signature_algorithm_identifier(key);
  const Bytes signature = sign_message(key, info);
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& s) {
      s.raw(info);
      s.raw(algorithm);
      s.bit_string(signature);
    });
  });
}

CertificationRequest CertificationRequest::parse(ByteView der) {
  CertificationRequest out;
  out.der.assign(der.begin(), der.end());
  DerReader outer(der);
  DerReader request = outer.read_sequence("CertificationRequest");
  outer.expect_end("CertificationRequest");
  const Element info = request.read(TagClass::universal, true, asn1::sequence, "certificationRequestInfo");
  out.certification_request_info.assign(info.encoded.begin(), info.encoded.end());
  const Element algorithm = request.read(TagClass::universal, true, asn1::sequence, "signatureAlgorithm");
  out.signature_algorithm.assign(algorithm.encoded.begin(), algorithm.encoded.end());
  const ByteView signature = request.read_bit_string_octets("signature");
  out.signature.assign(signature.begin(), signature.end());
  request.expect_end("CertificationRequest");

  DerReader r(info.content, info.offset + (info.encoded.size() - info.content.size()));
  const size_t version_at = r.offset();
  if (r.read_small_integer("version") != 0) throw DerError("CertificationRequestInfo.version must be 0 (v1)", version_at);
  out.subject = read_name(r, "subject");
  const Element spki = r.read(TagClass::universal, true, asn1::sequence, "subjectPKInfo");
  out.subject_public_key_info.assign(spki.encoded.begin(), spki.encoded.end());
  read_attributes(r, out);
  r.expect_end("CertificationRequestInfo");
  return out;
}

bool CertificationRequest::signature_verifies() const {
  try {
    const PublicKey key = parse_subject_public_key_info(subject_public_key_info);
    return verify_signature(key, parse_signature_algorithm(signature_algorithm), certification_request_info,
                            signature);
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace tls12::x509
