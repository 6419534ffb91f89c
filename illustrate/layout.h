// Internal to the illustrated page: how each record is cut into labelled
// fields (RFC 5246 §6.2 record layer, §7.1, §7.2, §7.4 handshake, RFC 5288 /
// RFC 7905 AEAD, RFC 7366 encrypt-then-MAC), which of the nine steps of
// docs/steps.md it belongs to, and the calculations drawn beside it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "handshake/cipher_suites.h"
#include "illustrate/html.h"
#include "illustrate/page.h"
#include "illustrate/recording.h"

namespace tls12::illustrate::detail {

// Where one handshake message lies: its lane and its offset in that lane's
// stream of handshake plaintext (the records' fragments joined).
struct PlacedMessage {
  const Message* message;
  size_t stream_begin;
};

// What the renderer knows about the connection as a whole.
struct Context {
  const Recording& recording;
  const PageOptions& options;
  std::vector<PlacedMessage> placed;           // every message, in order
  std::vector<size_t> record_stream_begin;     // per item: offset of a handshake record in its lane's stream
  const handshake::CipherSuiteInfo* suite = nullptr;
  Bytes client_random, server_random;
  bool extended_master_secret = false;
};

Context make_context(const Recording& recording, const PageOptions& options);

// The labelled fields of a record's wire bytes, and of its plaintext.
std::vector<Span> wire_spans(const Record& record);
std::vector<Span> content_spans(const Context& context, size_t item_index, const Record& record);
// The nine steps (1..9) a record takes part in.
std::set<int> record_steps(const Context& context, size_t item_index, const Record& record);

// A secret's bytes when the page may show them, else "redacted (N bytes)".
std::string secret_text(const Context& context, ByteView value);
const Bytes* find_secret(const Recording& recording, handshake::Secret secret);

// The HTML of each part of the page.
std::string render_items(const Context& context);
std::string render_record_calculation(const Context& context, const Record& record);
std::string render_calculations(const Context& context);

std::string_view page_style();
std::string_view page_script();

}  // namespace tls12::illustrate::detail
