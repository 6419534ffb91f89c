// Reading a packet capture down to the two byte streams of one TCP connection,
// so that a TLS connection between two other programs can be decoded
// passively (illustrate/passive.h).
//
//   capture file   pcap (the classic libpcap format: both byte orders, micro-
//                  or nanosecond timestamps) or pcapng (Section Header,
//                  Interface Description, Enhanced and Simple Packet blocks,
//                  both byte orders; other blocks are skipped)
//   link layer     Ethernet (LINKTYPE 1, with 802.1Q tags), BSD null/loopback
//                  (0), raw IP (101, 228, 229), Linux cooked SLL (113) and SLL2
//                  (276): what `tcpdump -i lo` and `tcpdump -i any` write
//   network        IPv4 (RFC 791) and IPv6 (RFC 8200); fragmented IP is not
//                  reassembled: a fragment of a TCP packet is an error
//   transport      TCP (RFC 9293): one connection, both directions put back
//                  in sequence-number order (§3.4), whatever order and how
//                  many times the segments were captured
//
// The capture is untrusted input: every length is checked before it is used,
// memory is bounded by sizes (the capture, each stream), and anything that
// cannot be read is a CaptureError whose one-line message names the problem
// and the file offset where it is.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "protocol/events.h"

namespace tls12::illustrate {

// A capture that cannot be read; what() is one line ("capture offset 40:
// pcap packet record 1 says 70000 captured bytes but the file ends after 12").
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CaptureLimits {
  size_t max_capture_size = size_t{256} << 20;  // the whole file
  size_t max_stream_size = size_t{64} << 20;    // the bytes of each direction, gaps included
};

// The link types read (LINKTYPE_* values of the tcpdump.org registry).
inline constexpr uint32_t kLinkNull = 0;
inline constexpr uint32_t kLinkEthernet = 1;
inline constexpr uint32_t kLinkRaw = 101;
inline constexpr uint32_t kLinkLinuxSll = 113;
inline constexpr uint32_t kLinkIpv4 = 228;
inline constexpr uint32_t kLinkIpv6 = 229;
inline constexpr uint32_t kLinkLinuxSll2 = 276;

// One captured frame as the file holds it.
struct Packet {
  uint64_t number = 0;     // 1-based, in file order
  size_t file_offset = 0;  // where its bytes start in the file
  uint32_t link_type = 0;
  uint64_t timestamp_ns = 0;  // since the epoch
  ByteView data;           // the captured bytes (a view into the capture)
  uint32_t original_length = 0;
};

// Every packet of a pcap or pcapng file, in file order. Throws CaptureError.
std::vector<Packet> read_packets(ByteView capture, const CaptureLimits& limits = {});

// Bytes that became available in one direction: stream bytes
// [offset, offset + length) of that direction, in the order they arrived.
struct StreamChunk {
  protocol::Direction direction;  // sent = client to server
  size_t offset = 0;
  size_t length = 0;
  uint64_t packet = 0;  // the packet that completed them
};

struct Endpoint {
  std::string address;  // "127.0.0.1", "::1"
  uint16_t port = 0;
  std::string text() const;  // "127.0.0.1:4433", "[::1]:4433"
};

// One TCP connection reassembled. The client is the side that sent the SYN;
// without a SYN in the capture, the side not using the chosen port (or, with
// no port given, the sender of the first segment).
struct TcpConnection {
  Endpoint client;
  Endpoint server;
  Bytes client_to_server;
  Bytes server_to_client;
  std::vector<StreamChunk> arrival;  // both directions interleaved as captured
  // Why a direction's stream ends early (a segment missing from the capture),
  // one line each; empty when the stream is whole.
  std::string client_gap;
  std::string server_gap;
  uint64_t segments = 0;         // TCP segments of this connection in the capture
  uint64_t retransmitted = 0;    // segments whose bytes had all been seen already
  uint64_t out_of_order = 0;     // segments that arrived before the bytes preceding them
};

// The connection with `port` at either end (the first seen), or with no port
// the first connection that starts with a SYN (else the first TCP segment).
// Throws CaptureError when the capture cannot be read or holds no such
// connection.
TcpConnection read_tcp_connection(ByteView capture, std::optional<uint16_t> port,
                                  const CaptureLimits& limits = {});

}  // namespace tls12::illustrate
