// The illustrated page of one TLS 1.2 connection (RFC 5246): a single
// self-contained HTML file (inline CSS and script, no external resource, readable
// offline and printable) showing the nine steps of docs/steps.md, every record
// in a client and a server lane with each field of its bytes labelled, and
// the key schedule (§8.1, §6.3), record nonces and additional data
// (§6.2.3.3), and Finished (§7.4.9) computed with the connection's values.
//
// Feed it a Recording filled by a Builder (illustrate/recording.h), from a
// live Connection (EngineConfig::observe_records = true) or from a passive
// decoder of a capture:
//
//   illustrate::Builder builder(illustrate::Perspective::client);
//   config.observer = builder.observer();
//   config.observe_records = true;
//   ... run the connection ...
//   illustrate::write_page("page.html", builder.recording(), {.show_secrets = false});
#pragma once

#include <string>

#include "illustrate/recording.h"

namespace tls12::illustrate {

struct PageOptions {
  // Show the premaster, master secret, keys and IVs. Off: each is drawn as
  // "redacted (N bytes)". Only where the user asked (--trace=secrets, the
  // demo, --illustrate-self).
  bool show_secrets = false;
  std::string title = "A TLS 1.2 connection";
  // One line under the title saying where the connection comes from
  // ("tls12 client to localhost:4433", "capture.pcap, TCP port 4433").
  std::string subtitle;
  // A plain statement shown in a box at the top (for example that the page
  // shows the secrets of the very connection that carried it).
  std::string notice;
};

// The page as one HTML document.
std::string render_page(const Recording& recording, const PageOptions& options);

// render_page() written to `path`; throws std::runtime_error naming the file.
void write_page(const std::string& path, const Recording& recording, const PageOptions& options);

}  // namespace tls12::illustrate
