// `--illustrate FILE.html` of `tls12 client`, `server` and `demo`, and
// `--illustrate-self` of `tls12 server --www`: the illustrated page
// (illustrate/page.h) of each connection, fed by its events with every record
// (RFC 5246 §6.2) reported (EngineConfig::observe_records).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "illustrate/page.h"
#include "illustrate/recording.h"
#include "protocol/config.h"

namespace tls12::tools {

// Both observers, in order (either may be empty).
protocol::Observer chain_observers(protocol::Observer first, protocol::Observer second);

// Makes `config` feed `builder` too, with every record reported.
void observe_for_page(protocol::EngineConfig& config, const illustrate::Builder& builder);

// The file of the server's n-th connection: "page.html" -> "page-3.html"
// (the number goes before the extension, or at the end without one).
std::string numbered_page_path(const std::string& file, uint64_t n);

// The pages being drawn by a server's connections, one Builder per
// connection id, shared by the thread that runs each connection.
class PageRegistry {
 public:
  illustrate::Builder start(uint64_t id);
  std::optional<illustrate::Builder> find(uint64_t id);
  void forget(uint64_t id);

 private:
  std::mutex mutex_;
  std::map<uint64_t, illustrate::Builder> builders_;
};

}  // namespace tls12::tools
