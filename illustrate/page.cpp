// The illustrated page as a whole (see page.h): title, the nine steps of
// docs/steps.md (RFC 5246 §7.3) linked to their records, the records in two
// lanes, and the key schedule (§8.1, §6.3, §7.4.9).
#include "illustrate/page.h"

#include <fstream>
#include <stdexcept>

#include "illustrate/layout.h"
#include "record/record.h"

namespace tls12::illustrate {

namespace detail {

namespace {

constexpr const char* kSteps[9] = {
    "ClientHello",
    "the server's first flight: ServerHello, Certificate, [ServerKeyExchange], [CertificateRequest], ServerHelloDone",
    "the client verifies the server's chain and name",
    "the premaster secret and ClientKeyExchange",
    "the client's Certificate and CertificateVerify (mutual TLS)",
    "the server verifies the client and recovers the premaster; both derive the master secret and the key block",
    "the client's ChangeCipherSpec and Finished",
    "the server's ChangeCipherSpec and Finished",
    "protected application data, then close_notify",
};

std::string lane_name(Lane lane) { return lane == Lane::client ? "client" : "server"; }

std::string record_title(const Context& c, size_t index, const Record& r) {
  std::string what = record::content_type_name(static_cast<record::ContentType>(r.content_type));
  if (r.content_type == 22) {
    std::string names;
    const size_t begin = c.record_stream_begin[index], end = begin + r.plaintext.size();
    for (const auto& placed : c.placed)
      if (placed.message->from == r.from && placed.stream_begin < end && placed.stream_begin + placed.message->raw.size() > begin)
        names += (names.empty() ? "" : ", ") + placed.message->name;
    if (!names.empty()) what += ": " + names;
  }
  const std::string arrow = r.from == Lane::client ? "client → server" : "server → client";
  std::string title = "#" + std::to_string(index + 1) + " " + escape(what) + " <span class=\"dir\">" + arrow + ", " +
                      std::to_string(r.wire.size()) + " bytes" +
                      (r.protection.empty() ? "" : ", " + escape(r.protection)) + "</span>";
  for (int step : record_steps(c, index, r)) title += "<span class=\"step\">step " + std::to_string(step) + "</span>";
  return title;
}

std::string render_record(const Context& c, size_t index, const Record& r) {
  const std::string id = "r" + std::to_string(index + 1);
  std::vector<Span> wire = wire_spans(r);
  std::vector<Span> content = content_spans(c, index, r);
  std::string out = "<section class=\"rec " + lane_name(r.from) + "\" id=\"rec-" + std::to_string(index + 1) +
                    "\" data-from=\"" + lane_name(r.from) + "\" data-type=\"" + std::to_string(r.content_type) +
                    "\" data-seq=\"" + std::to_string(r.sequence_number) + "\"><h3>" + record_title(c, index, r) + "</h3>";
  std::string tables;
  if (r.protection.empty()) {
    // In the clear the fragment is the plaintext: one grid with every field.
    for (Span s : content) {
      s.begin += 5;
      s.end += 5;
      wire.push_back(std::move(s));
    }
    out += "<div class=\"parts\"><div><h4>on the wire</h4>" + byte_grid(r.wire, wire, id + "w", "wire") + "</div></div>";
    tables = field_table(r.wire, wire, id + "w");
  } else {
    out += "<div class=\"parts\"><div><h4>on the wire</h4>" + byte_grid(r.wire, wire, id + "w", "wire") +
           "</div><div><h4>plaintext (decrypted)</h4>" + byte_grid(r.plaintext, content, id + "p", "plaintext") +
           "</div></div>";
    out += render_record_calculation(c, r);
    tables = field_table(r.wire, wire, id + "w") + field_table(r.plaintext, content, id + "p");
  }
  if (r.content_type == 23) {
    out += "<pre class=\"appdata\">" + escape(std::string(r.plaintext.begin(), r.plaintext.end())) + "</pre>";
  }
  return out + "<details class=\"fieldlist\"><summary>every field</summary>" + tables + "</details></section>";
}

std::string render_undecoded(size_t index, const UndecodedBytes& u) {
  return "<section class=\"rec undecoded " + lane_name(u.from) + "\" id=\"rec-" + std::to_string(index + 1) +
         "\" data-from=\"" + lane_name(u.from) + "\"><h3>#" + std::to_string(index + 1) + " undecoded bytes <span class=\"dir\">" +
         std::to_string(u.bytes.size()) + " bytes</span></h3><p class=\"reason\">" + escape(u.reason) + "</p>" +
         byte_grid(u.bytes, {}, "u" + std::to_string(index + 1), "undecoded") + "</section>";
}

std::string render_notes(const Recording& r, size_t after_items) {
  std::string out;
  for (const auto& note : r.notes)
    if (note.after_items == after_items)
      out += "<p class=\"note " + lane_name(note.side) + "\">" + escape(note.text) + "</p>";
  return out;
}

std::string render_timeline(const Context& c) {
  std::vector<std::string> links(9);
  for (size_t i = 0; i < c.recording.items.size(); ++i) {
    const auto* r = std::get_if<Record>(&c.recording.items[i]);
    if (r == nullptr) continue;
    for (int step : record_steps(c, i, *r))
      links[static_cast<size_t>(step - 1)] += "<a href=\"#rec-" + std::to_string(i + 1) + "\">#" + std::to_string(i + 1) + "</a>";
  }
  links[5] += "<a href=\"#keys\">keys</a>";
  std::string out = "<nav><h2>The nine steps</h2><ol class=\"steps\">";
  for (size_t s = 0; s < 9; ++s) out += "<li id=\"step-" + std::to_string(s + 1) + "\">" + escape(kSteps[s]) + links[s] + "</li>";
  return out + "</ol></nav>";
}

std::string render_summary(const Context& c) {
  std::string rows;
  auto row = [&](const std::string& name, const std::string& value) {
    rows += "<tr><th>" + name + "</th><td>" + escape(value) + "</td></tr>";
  };
  row("cipher suite", c.suite ? std::string(c.suite->name) : "not negotiated");
  row("extended master secret (RFC 7627)", c.extended_master_secret ? "yes" : "no");
  row("records", std::to_string(c.recording.items.size()));
  row("handshake", c.recording.cipher_suite.empty() ? "not completed" : "completed");
  row("drawn from", c.recording.perspective == Perspective::client ? "the client's side" : "the server's side");
  return "<table class=\"summary\">" + rows + "</table>";
}

}  // namespace

std::string render_items(const Context& c) {
  std::string out = "<section id=\"records\"><h2>Every record</h2><div class=\"lanes-head\"><span class=\"c\">client</span>"
                    "<span class=\"s\">server</span></div>";
  out += render_notes(c.recording, 0);
  for (size_t i = 0; i < c.recording.items.size(); ++i) {
    const auto& item = c.recording.items[i];
    if (const auto* r = std::get_if<Record>(&item)) out += render_record(c, i, *r);
    else out += render_undecoded(i, std::get<UndecodedBytes>(item));
    out += render_notes(c.recording, i + 1);
  }
  if (c.recording.items_dropped > 0)
    out += "<p class=\"note dropped\">" + std::to_string(c.recording.items_dropped) + " more records (" +
           std::to_string(c.recording.bytes_dropped) + " bytes) are not drawn: the page keeps at most " +
           std::to_string(c.recording.bytes_kept) + " bytes of records.</p>";
  return out + "</section>";
}

}  // namespace detail

std::string render_page(const Recording& recording, const PageOptions& options) {
  const detail::Context context = detail::make_context(recording, options);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      // No request may leave the page: everything it needs is inline.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'\"><title>" +
      escape(options.title) + "</title><style>" + std::string(detail::page_style()) + "</style></head><body>";
  out += "<h1>" + escape(options.title) + "</h1>";
  if (!options.subtitle.empty()) out += "<p class=\"subtitle\">" + escape(options.subtitle) + "</p>";
  if (!options.notice.empty()) out += "<p class=\"notice\">" + escape(options.notice) + "</p>";
  out += "<p>Hover over or Tab to any byte to see its field, its value and the RFC section; the arrow keys move "
         "from field to field.</p>";
  out += detail::render_summary(context) + detail::render_timeline(context) + detail::render_items(context) +
         detail::render_calculations(context);
  out += "<div id=\"info\" aria-live=\"polite\"><span class=\"n\">point at a byte</span><span class=\"r\"></span>"
         "<span class=\"v\"></span></div><script>" +
         std::string(detail::page_script()) + "</script></body></html>\n";
  return out;
}

void write_page(const std::string& path, const Recording& recording, const PageOptions& options) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw std::runtime_error("cannot write the illustrated page " + path);
  file << render_page(recording, options);
  if (!file.flush()) throw std::runtime_error("cannot write the illustrated page " + path);
}

}  // namespace tls12::illustrate
