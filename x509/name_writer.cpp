// Names and subjectAltName entries written as DER (RFC 5280 §4.1.2.4,
// §4.2.1.6); see name_writer.h.
#include "x509/name_writer.h"

#include <stdexcept>
#include <utility>

#include "x509/der_writer.h"
#include "x509/hostname.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

std::string_view attribute_oid(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kAttributes[] = {
      {"CN", oid::common_name},       {"O", oid::organization_name}, {"OU", oid::organizational_unit_name},
      {"C", oid::country_name},       {"L", "2.5.4.7"},              {"ST", "2.5.4.8"},
  };
  for (const auto& [name, id] : kAttributes)
    if (name == key) return id;
  throw std::invalid_argument("subject attribute \"" + std::string(key) + "\" is not one of CN, O, OU, L, ST, C");
}

// LDH labels (RFC 5890 §2.3.1) that neither begin nor end with a hyphen
// (RFC 1123 §2.1): the reader tolerates such labels in old certificates, but
// we do not write them.
bool is_host_name(std::string_view name) {
  if (!is_ldh_domain(name)) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const bool label_edge = i == 0 || i + 1 == name.size() || name[i - 1] == '.' || name[i + 1] == '.';
    if (name[i] == '-' && label_edge) return false;
  }
  return true;
}

// A host name, or "*." before one of at least two labels (RFC 6125 §6.4.3):
// what we are willing to write into a dNSName.
bool is_host_name_or_wildcard(std::string_view name) {
  if (name.substr(0, 2) == "*.") {
    const std::string_view rest = name.substr(2);
    return is_host_name(rest) && rest.find('.') != std::string_view::npos;
  }
  return is_host_name(name);
}

}  // namespace

Bytes encode_distinguished_name(std::string_view subject) {
  if (subject.empty() || subject.front() != '/')
    throw std::invalid_argument("subject must look like /CN=name/O=organisation, not \"" + std::string(subject) + "\"");
  std::vector<std::pair<std::string_view, std::string_view>> attributes;
  size_t pos = 1;
  while (pos < subject.size()) {
    const size_t end = std::min(subject.find('/', pos), subject.size());
    const std::string_view part = subject.substr(pos, end - pos);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size())
      throw std::invalid_argument("subject part \"" + std::string(part) + "\" is not KEY=value");
    attributes.emplace_back(part.substr(0, eq), part.substr(eq + 1));
    pos = end + 1;
  }
  // Name ::= SEQUENCE OF RelativeDistinguishedName; each RDN a SET OF one
  // AttributeTypeAndValue ::= SEQUENCE { type, value }.
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& name) {
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one
      // in the lambdas below.
      for (const auto& attribute : attributes) {
        const auto& key = attribute.first;
        const auto& value = attribute.second;
        const std::string_view id = attribute_oid(key);
        if (id == oid::country_name && value.size() != 2)
          throw std::invalid_argument("countryName must be two letters (ISO 3166), not \"" + std::string(value) + "\"");
        name.set_of([&](DerWriter& rdn) {
          rdn.sequence([&](DerWriter& atv) {
            atv.oid(id);
            atv.string(id == oid::country_name ? asn1::printable_string : asn1::utf8_string, value);
          });
        });
      }
    });
  });
}

SubjectAltNames parse_subject_alt_names(const std::vector<std::string>& entries) {
  SubjectAltNames out;
  for (const std::string& entry : entries) {
    if (auto ip = parse_ip_address(entry)) {
      out.ip_addresses.push_back(std::move(*ip));
    } else if (is_host_name_or_wildcard(entry)) {
      out.dns_names.push_back(ascii_lowercase(entry));
    } else {
      throw std::invalid_argument("'" + entry + "' is neither a DNS name nor an IP address");
    }
  }
  return out;
}

Bytes encode_subject_alt_name(const SubjectAltNames& names) {
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& general_names) {
      for (const std::string& dns : names.dns_names) general_names.implicit_primitive(2, as_bytes(dns));
      for (const Bytes& ip : names.ip_addresses) general_names.implicit_primitive(7, ip);
    });
  });
}

}  // namespace tls12::x509
