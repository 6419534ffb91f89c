// Application-Layer Protocol Negotiation (RFC 7301): the client lists the
// protocols it can speak over this connection ("h2", "http/1.1", ...) in
// ClientHello; the server picks one by its own preference and names it in
// ServerHello. Both lists travel in the handshake, so the choice is covered by
// Finished like every other negotiated parameter.
//
//   RFC 7301 §3.2  the server's choice comes from its own preference order; if
//                  the client offered protocols but none is supported, the
//                  server answers with the fatal no_application_protocol.
//   RFC 7301 §3.1  a client that gets back a protocol it did not offer (or any
//                  ALPN when it offered none) aborts; tls12 uses
//                  illegal_parameter (unsupported_extension when it offered
//                  none, by the general rule of RFC 5246 §7.4.1.4).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tls12::handshake {

// Server side. `ours` is the server's preference list (empty: ALPN not used,
// the extension is ignored). `offered` is the client's list, nullopt when the
// client sent no ALPN. With `required`, a client without ALPN is refused too.
// Returns the protocol to put in ServerHello (nullopt: send no ALPN).
// Throws TlsError(no_application_protocol).
std::optional<std::string> select_application_protocol(const std::vector<std::string>& ours,
                                                       const std::optional<std::vector<std::string>>& offered,
                                                       bool required);

// Client side: `chosen` is the ServerHello's protocol (nullopt: none), `offered`
// what our ClientHello listed. Throws TlsError(illegal_parameter) for a
// protocol we did not offer.
void check_selected_application_protocol(const std::vector<std::string>& offered,
                                         const std::optional<std::string>& chosen);

// Validates a configured list before it is sent: each name 1..255 bytes and at
// most 2^16-1 bytes in all (RFC 7301 §3.1). Throws std::invalid_argument.
void check_application_protocols(const std::vector<std::string>& protocols);

}  // namespace tls12::handshake
