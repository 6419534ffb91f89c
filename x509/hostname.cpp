// Server identity checks: RFC 6125 §6 (DNS names) and RFC 5280 §4.2.1.6
// (IP addresses); see hostname.h for the rules and why.
#include "x509/hostname.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace tls12::x509 {

std::string ascii_lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool ascii_equal_ignoring_case(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [&](char x, char y) { return lower(x) == lower(y); });
}

namespace {

std::string normalise(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);  // "example.com." is absolute form
  return ascii_lowercase(name);
}

std::vector<std::string_view> labels(std::string_view name) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    out.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

// A reference identifier must be a plain host name: letters, digits, hyphens,
// dots, no empty labels and no wildcard (a client never looks up "*").
bool valid_reference(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (std::string_view label : labels(host)) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

bool is_ldh_domain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (std::string_view label : labels(name)) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool is_presented_dns_id(std::string_view presented_in) {
  const std::string presented = normalise(presented_in);
  if (presented.rfind("*.", 0) == 0) {
    const std::string_view base = std::string_view(presented).substr(2);
    return valid_reference(base) && base.find('.') != std::string_view::npos;
  }
  return valid_reference(presented);
}

bool dns_name_matches(std::string_view presented_in, std::string_view host_in) {
  const std::string presented = normalise(presented_in);
  const std::string host = normalise(host_in);
  if (!valid_reference(host) || !is_presented_dns_id(presented)) return false;
  if (presented.find('*') == std::string::npos) return presented == host;
  // RFC 6125 §6.4.3 with the strict choices: '*' only as the entire left-most
  // label, exactly one '*', at least two labels after it, matching one whole
  // non-empty label of the host.
  const auto p = labels(presented);
  const auto h = labels(host);
  if (p[0] != "*") return false;                                     // "f*o.example.com", "*foo.example.com"
  if (presented.find('*', 1) != std::string::npos) return false;     // "*.*.example.com"
  if (p.size() < 3) return false;                                    // "*.com"
  if (h.size() != p.size()) return false;                            // one label only
  for (size_t i = 1; i < p.size(); ++i)
    if (p[i].empty() || p[i] != h[i]) return false;
  return !h[0].empty();
}

bool certificate_matches_hostname(const Certificate& cert, std::string_view host, bool allow_common_name_fallback) {
  for (const auto& dns : cert.san_dns_names)
    if (dns_name_matches(dns, host)) return true;
  // RFC 6125 §6.4.4: the CN only if there is no subjectAltName at all (not
  // merely no dNSName), and only when the caller opts in.
  if (!cert.has_subject_alt_name && allow_common_name_fallback) {
    for (const auto& cn : cert.subject.common_names())
      if (dns_name_matches(cn, host)) return true;
  }
  return false;
}

bool certificate_matches_ip(const Certificate& cert, ByteView address) {
  for (const auto& ip : cert.san_ip_addresses)
    if (ip.size() == address.size() && std::equal(ip.begin(), ip.end(), address.begin())) return true;
  return false;
}

namespace {

std::optional<Bytes> parse_ipv4(std::string_view text) {
  Bytes out;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
    const size_t start = i;
    unsigned value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) value = value * 10 + (text[i++] - '0');
    // No empty parts, no leading zeros (which some parsers read as octal).
    if (i == start || value > 255 || (text[start] == '0' && i - start > 1)) return std::nullopt;
    out.push_back(static_cast<uint8_t>(value));
  }
  if (i != text.size()) return std::nullopt;
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 4291 §2.2 text forms: eight groups, "::" for one run of zero groups, and
// an embedded IPv4 address in the last 32 bits.
std::optional<Bytes> parse_ipv6(std::string_view text) {
  std::vector<uint16_t> head, tail;
  bool gap = false;
  std::vector<uint16_t>* cur = &head;
  size_t i = 0;
  if (text.substr(0, 2) == "::") {
    gap = true;
    cur = &tail;
    i = 2;
  }
  while (i < text.size()) {
    const size_t next_colon = text.find(':', i);
    const std::string_view group = text.substr(i, next_colon == std::string_view::npos ? std::string_view::npos : next_colon - i);
    if (group.find('.') != std::string_view::npos && next_colon == std::string_view::npos) {
      auto v4 = parse_ipv4(group);
      if (!v4) return std::nullopt;
      cur->push_back(static_cast<uint16_t>(((*v4)[0] << 8) | (*v4)[1]));
      cur->push_back(static_cast<uint16_t>(((*v4)[2] << 8) | (*v4)[3]));
      i = text.size();
      break;
    }
    if (group.empty() || group.size() > 4) return std::nullopt;
    unsigned v = 0;
    for (char c : group) {
      const int d = hex_value(c);
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    cur->push_back(static_cast<uint16_t>(v));
    if (next_colon == std::string_view::npos) {
      i = text.size();
      break;
    }
    i = next_colon + 1;
    if (i < text.size() && text[i] == ':') {
      if (gap) return std::nullopt;  // only one "::"
      gap = true;
      cur = &tail;
      ++i;
    } else if (i == text.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  const size_t total = head.size() + tail.size();
  if ((gap && total > 7) || (!gap && total != 8)) return std::nullopt;
  std::vector<uint16_t> groups = head;
  groups.resize(8 - tail.size(), 0);
  groups.insert(groups.end(), tail.begin(), tail.end());
  Bytes out;
  for (uint16_t g : groups) {
    out.push_back(static_cast<uint8_t>(g >> 8));
    out.push_back(static_cast<uint8_t>(g));
  }
  return out;
}

}  // namespace

std::optional<Bytes> parse_ip_address(std::string_view text) {
  if (text.find(':') != std::string_view::npos) return parse_ipv6(text);
  return parse_ipv4(text);
}

std::string format_ip_address(ByteView a) {
  char buf[64];
  if (a.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
  }
  if (a.size() == 16) {
    std::string out;
    for (size_t i = 0; i < 16; i += 2) {
      std::snprintf(buf, sizeof buf, "%s%x", i ? ":" : "", (a[i] << 8) | a[i + 1]);
      out += buf;
    }
    return out;
  }
  return "(" + to_hex(a) + ")";
}

}  // namespace tls12::x509
