// ALPN selection and checks (RFC 7301 §3.1, §3.2), see alpn.h.
#include "handshake/alpn.h"

#include <algorithm>
#include <stdexcept>

#include "record/alert.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

std::optional<std::string> select_application_protocol(const std::vector<std::string>& ours,
                                                       const std::optional<std::vector<std::string>>& offered,
                                                       bool required) {
  if (ours.empty()) return std::nullopt;
  if (!offered) {
    if (required)
      throw TlsError(AlertDescription::no_application_protocol,
                     "client offers no application protocol and this server requires one");
    return std::nullopt;
  }
  // Our order, not the client's: RFC 7301 §3.2 leaves the choice to the server.
  for (const std::string& protocol : ours)
    if (std::find(offered->begin(), offered->end(), protocol) != offered->end()) return protocol;
  throw TlsError(AlertDescription::no_application_protocol,
                 "none of the client's application protocols is supported by this server");
}

void check_selected_application_protocol(const std::vector<std::string>& offered,
                                         const std::optional<std::string>& chosen) {
  if (!chosen) return;
  if (std::find(offered.begin(), offered.end(), *chosen) == offered.end())
    throw TlsError(AlertDescription::illegal_parameter,
                   "server selected the application protocol \"" + *chosen + "\", which the client did not offer");
}

void check_application_protocols(const std::vector<std::string>& protocols) {
  size_t total = 0;
  for (const std::string& protocol : protocols) {
    if (protocol.empty() || protocol.size() > 255)
      throw std::invalid_argument("an ALPN protocol name must be 1 to 255 bytes");
    total += 1 + protocol.size();
  }
  if (total > 0xffff) throw std::invalid_argument("the ALPN protocol list is longer than 65535 bytes");
}

}  // namespace tls12::handshake
