// Fuzz target: the capture reader (pcap/pcapng, link layers, IPv4/IPv6, TCP
// reassembly; illustrate/pcap.h) and the passive TLS 1.2 decoder behind it
// (illustrate/passive.h), on arbitrary bytes.
//
// Input layout: byte 0 bit 0 picks the mode. Set: the rest is a capture file,
// read and, if it holds a connection, decoded. Clear: bytes 1-2 (big-endian)
// split the rest into a client and a server stream, byte 3 is the chunk size
// less one in which they arrive alternately. The key log holds the line of
// the recorded connection of ../shared/testvectors/illustrated-tls12 (whose
// streams are the seed corpus), so mutations of it reach record decryption.
// A capture may only fail with CaptureError; the decoder never throws;
// anything else (a crash, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "illustrate/passive.h"
#include "illustrate/pcap.h"

using namespace tls12;
using namespace tls12::illustrate;

namespace {

const KeyLog& fuzz_keylog() {
  static const KeyLog log = KeyLog::parse(
      "CLIENT_RANDOM 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
      "916abf9da55973e13614ae0a3f5d3f37b023ba129aee02cc9134338127cd7049781c8e19fc1eb2a7387ac06ae237344c\n");
  return log;
}

void decode_streams(ByteView data) {
  if (data.size() < 3) return;
  const ByteView streams = data.subspan(3);
  const size_t split = size_t(data[0] << 8 | data[1]) % (streams.size() + 1);
  const size_t chunk = size_t{data[2]} + 1;
  PassiveInput input;
  input.client_to_server = streams.first(split);
  input.server_to_client = streams.subspan(split);
  size_t c = 0, s = 0;
  while (c < input.client_to_server.size() || s < input.server_to_client.size()) {
    const size_t cn = std::min(chunk, input.client_to_server.size() - c);
    if (cn) input.arrival.push_back({protocol::Direction::sent, c, cn, 0});
    c += cn;
    const size_t sn = std::min(chunk, input.server_to_client.size() - s);
    if (sn) input.arrival.push_back({protocol::Direction::received, s, sn, 0});
    s += sn;
  }
  decode_passively(input, fuzz_keylog(), [](const protocol::Event&) {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const ByteView rest(data + 1, size - 1);
  if (data[0] & 1) {
    CaptureLimits limits;
    limits.max_stream_size = 1 << 20;
    try {
      const TcpConnection connection = read_tcp_connection(rest, std::nullopt, limits);
      decode_passively(connection, fuzz_keylog(), [](const protocol::Event&) {});
    } catch (const CaptureError&) {
    }
    return 0;
  }
  decode_streams(rest);
  return 0;
}
