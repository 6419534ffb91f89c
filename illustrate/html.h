// HTML building blocks of the illustrated page: escaping (every string that
// came from the peer passes through escape()), and the byte grid that lays a
// record's bytes out in rows of hex with each field of RFC 5246 §6.2 / §7.4
// a labelled, focusable span.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace tls12::illustrate {

// &, <, >, " and ' as entities, so peer-chosen text (a server name, an alert
// reason, an extension's bytes read as text) can never become markup.
std::string escape(std::string_view text);

// Bytes as "16 03 03 ..." (lower-case hex pairs separated by spaces).
std::string spaced_hex(ByteView bytes);

// One labelled field: bytes [begin, end) of the grid's buffer.
struct Span {
  size_t begin = 0;
  size_t end = 0;
  std::string name;   // the RFC's name: "ContentType", "random", "extensions.server_name"
  std::string value;  // decoded, for people
  std::string rfc;    // "RFC 5246 §6.2.1"
};

// The bytes in rows of 16, each byte inside the innermost span that covers it.
// Each run of bytes of one span is a <span class="f" tabindex="0"> carrying
// data-f (the span's id: `id_prefix` and its index), data-name, data-value and
// data-rfc; hovering or focusing one highlights every run of the same field.
std::string byte_grid(ByteView bytes, const std::vector<Span>& spans, const std::string& id_prefix,
                      const std::string& part);

// The same spans as a table (name, value, RFC section, bytes), readable when
// printed and without script.
std::string field_table(ByteView bytes, const std::vector<Span>& spans, const std::string& id_prefix);

}  // namespace tls12::illustrate
