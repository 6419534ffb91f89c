// libFuzzer target for the trace renderer (protocol/trace.h): whatever bytes a
// peer sends end up in a trace, so rendering must never crash, hang or read
// out of bounds. The input is rendered as a handshake message at every level
// (decoded with each key exchange, as describe_handshake_message would see it)
// and as a protected record, with and without GCM's explicit nonce.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "handshake/describe.h"
#include "protocol/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tls12;
  const ByteView input(data, size);
  for (auto kx : {std::optional<handshake::KeyExchange>{}, std::optional(handshake::KeyExchange::rsa),
                  std::optional(handshake::KeyExchange::ecdhe), std::optional(handshake::KeyExchange::dhe)}) {
    protocol::HandshakeMessage message{protocol::Direction::received, size > 0 ? data[0] : uint8_t{0}, "fuzz",
                                       input, handshake::describe_handshake_message(input, kx)};
    for (auto level : {protocol::TraceLevel::messages, protocol::TraceLevel::bytes})
      (void)protocol::TraceRenderer(level, "peer").render(protocol::Event{message});
  }
  (void)protocol::TraceRenderer::render_protected_record(input, 8, "  ");
  (void)protocol::TraceRenderer::render_protected_record(input, 0, "  ");
  return 0;
}
