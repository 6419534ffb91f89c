// Fuzz target: handshake message reassembly (RFC 5246 §6.2.1, §7.4) over
// arbitrary fragment boundaries.
//
// Input layout: byte 0 scales the maximum message size (256 * (1 + byte));
// then fragments, each a 1-byte length followed by that many bytes (the last
// one may be short). Invariants: every message returned is its 4-byte header
// plus exactly the announced body, no larger than the maximum (twice it for a
// ClientHello, which has a limit of its own), and the
// messages returned, concatenated, are a prefix of the fragments concatenated.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "record/handshake_reassembler.h"

using namespace tls12;
using namespace tls12::record;

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t max = 256 * (1 + static_cast<size_t>(data[0]));
  // A ClientHello (type 1) has a limit of its own; here twice the others'.
  HandshakeReassembler reassembler(max, 2 * max);
  Bytes fed, returned;
  try {
    size_t pos = 1;
    while (pos < size) {
      const size_t length = std::min<size_t>(data[pos], size - pos - 1);
      ByteView fragment(data + pos + 1, length);
      pos += 1 + length;
      fed.insert(fed.end(), fragment.begin(), fragment.end());
      reassembler.add_fragment(fragment);
      while (auto message = reassembler.next()) {
        const size_t announced = static_cast<size_t>(message->raw[1]) << 16 |
                                 static_cast<size_t>(message->raw[2]) << 8 | message->raw[3];
        check(message->raw.size() == kHandshakeHeaderSize + announced);
        check(message->body.size() == announced && announced <= (message->msg_type == 1 ? 2 * max : max));
        check(message->msg_type == message->raw[0]);
        returned.insert(returned.end(), message->raw.begin(), message->raw.end());
      }
      check(returned.size() + reassembler.buffered() == fed.size());
    }
  } catch (const TlsError&) {
    // Empty fragment or an oversized message: the connection would close.
  }
  check(returned.size() <= fed.size() && (returned.empty() || std::memcmp(returned.data(), fed.data(), returned.size()) == 0));
  return 0;
}
