// HTML escaping and the byte grid of the illustrated page (see html.h).
#include "illustrate/html.h"

#include <algorithm>

namespace tls12::illustrate {

namespace {

constexpr size_t kBytesPerRow = 16;
constexpr size_t kTableHexLimit = 64;  // longer fields are shortened in the table, never in the grid

constexpr char kHexDigits[] = "0123456789abcdef";

void append_hex_byte(std::string& out, uint8_t byte) {
  out += kHexDigits[byte >> 4];
  out += kHexDigits[byte & 15];
}

// The innermost (shortest) span that covers each byte, or -1.
std::vector<int> innermost(size_t size, const std::vector<Span>& spans) {
  std::vector<int> owner(size, -1);
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    for (size_t b = s.begin; b < std::min(s.end, size); ++b) {
      const int o = owner[b];
      if (o < 0 || spans[static_cast<size_t>(o)].end - spans[static_cast<size_t>(o)].begin >= s.end - s.begin)
        owner[b] = static_cast<int>(i);
    }
  }
  return owner;
}

std::string span_attributes(const Span& s, const std::string& id) {
  return " data-f=\"" + id + "\" data-name=\"" + escape(s.name) + "\" data-value=\"" + escape(s.value) +
         "\" data-rfc=\"" + escape(s.rfc) + "\"";
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters from the peer are shown as a replacement mark.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += "\xEF\xBF\xBD";
        else out += c;
    }
  }
  return out;
}

std::string spaced_hex(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i) out += ' ';
    append_hex_byte(out, bytes[i]);
  }
  return out;
}

std::string byte_grid(ByteView bytes, const std::vector<Span>& spans, const std::string& id_prefix,
                      const std::string& part) {
  const std::vector<int> owner = innermost(bytes.size(), spans);
  std::string out = "<div class=\"grid\" data-part=\"" + escape(part) + "\">";
  int open = -2;  // the span whose run is open; -2: none
  for (size_t i = 0; i < bytes.size(); ++i) {
    // A run ends at its field's end and at each row's end, so rows stay rows.
    const bool row_start = i % kBytesPerRow == 0;
    if (open != -2 && (owner[i] != open || row_start)) {
      out += "</span>";
      open = -2;
    }
    if (row_start && i > 0) out += "<br>";
    if (open == -2) {
      if (owner[i] >= 0)
        out += "<span class=\"f c" + std::to_string(owner[i] % 4) + "\" tabindex=\"0\"" +
               span_attributes(spans[static_cast<size_t>(owner[i])], id_prefix + std::to_string(owner[i])) + ">";
      else
        out += "<span class=\"u\">";
      open = owner[i];
    }
    append_hex_byte(out, bytes[i]);
    out += ' ';
  }
  if (open != -2) out += "</span>";
  return out + "</div>";
}

std::string field_table(ByteView bytes, const std::vector<Span>& spans, const std::string& id_prefix) {
  std::string out = "<table class=\"fields\"><tr><th>field</th><th>value</th><th>RFC</th><th>bytes</th></tr>";
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    const size_t end = std::min(s.end, bytes.size());
    const size_t shown = std::min(end - std::min(s.begin, end), kTableHexLimit);
    std::string hex = spaced_hex(bytes.subspan(std::min(s.begin, end), shown));
    if (end - s.begin > shown) hex += " … (" + std::to_string(end - s.begin) + " bytes)";
    out += "<tr data-f=\"" + id_prefix + std::to_string(i) + "\"><td class=\"n\">" + escape(s.name) +
           "</td><td class=\"v\">" + escape(s.value) + "</td><td class=\"r\">" + escape(s.rfc) +
           "</td><td class=\"h\">" + hex + "</td></tr>";
  }
  return out + "</table>";
}

}  // namespace tls12::illustrate
