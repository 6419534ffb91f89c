// libFuzzer target for what a client or a file hands to the resumption code
// (handshake/session.h, handshake/session_ticket.h; RFC 5077 §3.4, §4):
//   - decode_session, the strict binary form inside tickets and session files:
//     anything it accepts must re-encode to the same bytes;
//   - SessionTicketKeys::open on arbitrary bytes: never throws, and a forged
//     ticket never opens (the AES-256-GCM tag is 2^-128 to guess);
//   - a decoded state sealed and opened again comes back unchanged.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "handshake/session.h"
#include "handshake/session_ticket.h"

using namespace tls12;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // A fixed clock: sessions whose creation_time is near it stay valid.
  static handshake::SessionTicketKeys keys({}, [] { return int64_t{1'700'000'000}; });
  const ByteView input(data, size);

  if (keys.open(input)) std::abort();  // a ticket we never issued opened

  handshake::Session session;
  try {
    session = handshake::decode_session(input);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  Bytes again = handshake::encode_session(session);
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin())) std::abort();

  Bytes ticket = keys.seal(session);
  if (auto opened = keys.open(ticket)) {
    if (opened->session.master_secret != session.master_secret ||
        opened->session.cipher_suite != session.cipher_suite ||
        opened->session.server_name != session.server_name ||
        opened->session.peer_certificate_chain != session.peer_certificate_chain)
      std::abort();
  }
  return 0;
}
