// Distinguished names: parsing, RFC 4514 strings and RFC 5280 §7.1 matching.
#include "x509/name.h"

#include "x509/oid.h"

namespace tls12::x509 {

namespace {

// RFC 4514 §3 short names for the attribute types it lists.
std::string short_type(const std::string& type) {
  if (type == oid::common_name) return "CN";
  if (type == oid::country_name) return "C";
  if (type == "2.5.4.7") return "L";
  if (type == "2.5.4.8") return "ST";
  if (type == "2.5.4.9") return "STREET";
  if (type == oid::organization_name) return "O";
  if (type == oid::organizational_unit_name) return "OU";
  if (type == "0.9.2342.19200300.100.1.25") return "DC";
  if (type == "0.9.2342.19200300.100.1.1") return "UID";
  const std::string_view name = oid::name_of(type);
  return name.empty() ? type : std::string(name);
}

// RFC 4514 §2.4: escape the special characters, a leading '#' or space and a
// trailing space with a backslash.
std::string escape_value(const AttributeTypeAndValue& a) {
  const std::string& v = a.value;
  if (!is_string_tag(a.value_tag)) return v;  // already the "#hex" form of a non-string value (§2.4)
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\';
    if (special || (i == 0 && (c == '#' || c == ' ')) || (i + 1 == v.size() && c == ' ')) out += '\\';
    if (c == '\0') {
      out += "\\00";
      continue;
    }
    out += c;
  }
  return out;
}

std::string fold(const std::string& v) {
  // RFC 5280 §7.1 (simplified RFC 4518 preparation): trim, collapse inner
  // whitespace, fold ASCII case.
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

Name read_name(DerReader& reader, std::string_view what) {
  Name name;
  const size_t start = reader.offset();
  Element whole = reader.read(TagClass::universal, true, asn1::sequence, what);
  name.der.assign(whole.encoded.begin(), whole.encoded.end());
  DerReader rdns(whole.content, start + (whole.encoded.size() - whole.content.size()));
  while (!rdns.empty()) {
    DerReader set = rdns.read_set("RelativeDistinguishedName");
    std::vector<AttributeTypeAndValue> rdn;
    if (set.empty()) throw DerError("RelativeDistinguishedName: empty SET", set.offset());
    while (!set.empty()) {
      DerReader atv = set.read_sequence("AttributeTypeAndValue");
      AttributeTypeAndValue a;
      a.type = atv.read_oid("AttributeType");
      Element value = atv.read_any();
      if (value.tag.cls == TagClass::universal && !value.tag.constructed && is_string_tag(value.tag.number)) {
        a.value_tag = value.tag.number;
        a.value = decode_string(value.tag.number, value.content, value.offset);
      } else {
        a.value_tag = 0;
        a.value = "#" + to_hex(value.encoded);
      }
      atv.expect_end("AttributeTypeAndValue");
      rdn.push_back(std::move(a));
    }
    name.rdns.push_back(std::move(rdn));
  }
  return name;
}

Name parse_name(ByteView der) {
  DerReader r(der);
  Name n = read_name(r, "Name");
  r.expect_end("Name");
  return n;
}

std::string Name::to_string() const {
  std::string out;
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    if (!out.empty()) out += ',';
    bool first = true;
    for (const auto& a : *it) {
      if (!first) out += '+';
      first = false;
      out += short_type(a.type) + "=" + escape_value(a);
    }
  }
  return out;
}

std::vector<std::string> Name::common_names() const {
  std::vector<std::string> out;
  for (const auto& rdn : rdns)
    for (const auto& a : rdn)
      if (a.type == oid::common_name) out.push_back(a.value);
  return out;
}

namespace {

// RDN i of `a` and of `b` hold the same attributes (§7.1 comparison).
bool rdns_equal(const Name& a, const Name& b, size_t i) {
  if (a.rdns[i].size() != b.rdns[i].size()) return false;
  for (size_t k = 0; k < a.rdns[i].size(); ++k) {
    const auto& x = a.rdns[i][k];
    const auto& y = b.rdns[i][k];
    if (x.type != y.type) return false;
    const bool x_string = is_string_tag(x.value_tag);
    const bool y_string = is_string_tag(y.value_tag);
    if (x_string != y_string) return false;
    if (x_string ? fold(x.value) != fold(y.value) : x.value != y.value) return false;
  }
  return true;
}

}  // namespace

bool names_match(const Name& a, const Name& b) {
  if (a.der == b.der) return true;
  return a.rdns.size() == b.rdns.size() && name_starts_with(b, a);
}

bool name_starts_with(const Name& name, const Name& prefix) {
  if (prefix.rdns.size() > name.rdns.size()) return false;
  for (size_t i = 0; i < prefix.rdns.size(); ++i)
    if (!rdns_equal(prefix, name, i)) return false;
  return true;
}

}  // namespace tls12::x509
