// libFuzzer target: the server side of Connection (record layer + server
// state machine) fed arbitrary bytes, either from the first byte on or after
// a valid ClientHello recorded from our own client (so the fuzzer reaches the
// states after ServerHelloDone: Certificate, ClientKeyExchange, ...).
// Whatever comes in, the engine must end in an orderly state: no crash, no
// hang, no exception escaping Connection::feed.
#include <cstddef>
#include <algorithm>
#include <cstdint>

#include "fuzz/fuzz_engine_common.h"

namespace {

const tls12::Bytes& recorded_client_hello() {
  static const tls12::Bytes hello = [] {
    tls12::protocol::Connection client(tls12::fuzz::fuzz_client_config());
    return client.take_output();
  }();
  return hello;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tls12;
  static const auto plain = fuzz::fuzz_server_config(false);
  static const auto mutual = fuzz::fuzz_server_config(true);
  if (size == 0) return 0;
  // First byte: bit 0 = start after a valid ClientHello, bit 1 = ask for a client certificate.
  const uint8_t mode = data[0];
  protocol::Connection server((mode & 2) ? mutual : plain);
  if (mode & 1) server.feed(recorded_client_hello());
  ByteView rest(data + 1, size - 1);
  // Half the runs deliver the bytes in small pieces, to exercise reassembly.
  if (mode & 4) {
    for (size_t i = 0; i < rest.size(); i += 7) server.feed(rest.subspan(i, std::min<size_t>(7, rest.size() - i)));
  } else {
    server.feed(rest);
  }
  server.take_output();
  if (server.handshake_complete()) server.read_all();
  server.feed_eof();
  return 0;
}
