// Peer-controlled text made safe to print in traces and logs: a server name, a
// certificate's names, an ALPN name, an alert's sentence that quotes any of
// them. Control characters (C0 and DEL) could move a terminal's cursor, rewrite
// its title or forge log lines, so they become \xNN, and the backslash
// becomes \\ so that an escape cannot be forged either. Everything else,
// UTF-8 included, is kept.
#pragma once

#include <string>
#include <string_view>

namespace tls12::protocol {

std::string printable(std::string_view text);

}  // namespace tls12::protocol
