// The interactive part of `tls12 client`: standard input to the connection,
// the connection to standard output, until the connection ends; and what
// "the end of standard input" means for a TLS connection.
//
// At the end of its input a client could send close_notify at once (RFC 5246
// §7.2.1), but then a server that answers afterwards (an HTTP server, an
// echo) must discard its answer: a close_notify ends the peer's reading, and
// "printf 'GET / ...' | tls12 client" would print nothing. So by default the
// client keeps reading after its input ends, until the server closes or has
// been quiet for a moment (AtEndOfInput::wait_for_quiet, 2 s), and only then
// sends close_notify. `--ign-eof` waits for the server to close (like
// `openssl s_client -ign_eof`, bounded by --timeout); `--close-at-eof` closes
// at once (like s_client without it).
#pragma once

#include <chrono>

#include "protocol/socket.h"

namespace tls12::tools {

enum class AtEndOfInput { close, wait_for_quiet, wait_for_server };

struct CopyOptions {
  AtEndOfInput at_end_of_input = AtEndOfInput::wait_for_quiet;
  std::chrono::milliseconds quiet_time{2000};  // for wait_for_quiet
  std::chrono::milliseconds timeout{10000};    // any other wait for the server
  bool crlf = false;                           // send LF as CRLF (line-based protocols)
};

// Copies until the connection ends. Returns false if it ended without the
// server's close_notify (truncation); throws on a TLS or socket failure.
bool copy_stdio(int fd, protocol::SocketConnection& tls, const CopyOptions& options);

}  // namespace tls12::tools
