// The illustrated pages of the `tls12` program's connections (see
// illustrate_pages.h; the page itself: illustrate/page.h, RFC 5246 §6.2, §7.4).
#include "tools/illustrate_pages.h"

namespace tls12::tools {

protocol::Observer chain_observers(protocol::Observer first, protocol::Observer second) {
  if (!first) return second;
  if (!second) return first;
  return [first = std::move(first), second = std::move(second)](const protocol::Event& event) {
    first(event);
    second(event);
  };
}

void observe_for_page(protocol::EngineConfig& config, const illustrate::Builder& builder) {
  config.observer = chain_observers(config.observer, builder.observer());
  config.observe_records = true;
}

std::string numbered_page_path(const std::string& file, uint64_t n) {
  const size_t slash = file.find_last_of('/');
  const size_t dot = file.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  if (!has_extension) return file + "-" + std::to_string(n);
  return file.substr(0, dot) + "-" + std::to_string(n) + file.substr(dot);
}

illustrate::Builder PageRegistry::start(uint64_t id) {
  illustrate::Builder builder(illustrate::Perspective::server);
  std::lock_guard<std::mutex> lock(mutex_);
  builders_.insert_or_assign(id, builder);
  return builder;
}

std::optional<illustrate::Builder> PageRegistry::find(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = builders_.find(id);
  if (it == builders_.end()) return std::nullopt;
  return it->second;
}

void PageRegistry::forget(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  builders_.erase(id);
}

}  // namespace tls12::tools
