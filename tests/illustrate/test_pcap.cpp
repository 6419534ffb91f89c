// illustrate/pcap.h: pcap and pcapng files of each byte order and link type,
// TCP reassembly of one connection (out of order, retransmitted, overlapping
// segments, holes), and the one-line errors of captures that cannot be read.
#include <gtest/gtest.h>

#include "illustrate/pcap.h"
#include "tests/illustrate/capture_builder.h"

namespace tls12::illustrate {
namespace {

using test::capture::capture_of;
using test::capture::Options;
using test::capture::Segment;
using test::capture::text;

constexpr uint32_t kClientIsn = 1000;
constexpr uint32_t kServerIsn = 0xfffffff0;  // wraps around 2^32 within the stream

// A handshake and a few bytes each way, in order.
std::vector<Segment> conversation() {
  return {
      {true, kClientIsn, {}, true, false},
      {false, kServerIsn, {}, true, true},
      {true, kClientIsn + 1, text("hello "), false, true},
      {false, kServerIsn + 1, text("0123456789abcdefXYZ"), false, true},
      {true, kClientIsn + 7, text("world"), false, true},
  };
}

std::string as_text(const Bytes& b) { return std::string(b.begin(), b.end()); }

void expect_conversation(const TcpConnection& c) {
  EXPECT_EQ(as_text(c.client_to_server), "hello world");
  EXPECT_EQ(as_text(c.server_to_client), "0123456789abcdefXYZ");
  EXPECT_EQ(c.client.port, test::capture::kClientPort);
  EXPECT_EQ(c.server.port, test::capture::kServerPort);
  EXPECT_TRUE(c.client_gap.empty());
  EXPECT_TRUE(c.server_gap.empty());
}

TEST(Pcap, EveryFormatByteOrderAndLinkType) {
  for (bool pcapng : {false, true})
    for (bool little : {false, true})
      for (uint32_t link : {kLinkEthernet, kLinkNull, kLinkRaw, kLinkLinuxSll, kLinkLinuxSll2})
        for (bool ip6 : {false, true}) {
          Options o;
          o.pcapng = pcapng, o.little = little, o.link_type = link, o.ip6 = ip6;
          SCOPED_TRACE(std::string(pcapng ? "pcapng" : "pcap") + (little ? " LE" : " BE") + " link " +
                       std::to_string(link) + (ip6 ? " IPv6" : " IPv4"));
          const Bytes file = capture_of(conversation(), o);
          const TcpConnection c = read_tcp_connection(file, std::nullopt);
          expect_conversation(c);
          EXPECT_EQ(c.client.address, ip6 ? "::1" : "127.0.0.1");
          EXPECT_EQ(c.server.address, ip6 ? "fe80::2" : "127.0.0.2");
          EXPECT_EQ(c.segments, 5u);
        }
}

TEST(Pcap, NanosecondTimestampsAndSimplePacketBlocks) {
  Options nano;
  nano.nano = true;
  const std::vector<Packet> packets = read_packets(capture_of(conversation(), nano));
  ASSERT_EQ(packets.size(), 5u);
  EXPECT_EQ(packets[1].timestamp_ns, 1700000000ull * 1000000000 + 2);
  Options micro;
  EXPECT_EQ(read_packets(capture_of(conversation(), micro))[1].timestamp_ns, 1700000000ull * 1000000000 + 2000);
  // pcapng: timestamps 1000 units after 0: microseconds by default, nanoseconds
  // with if_tsresol 9, 1/1024 s with if_tsresol 0x8a.
  for (const auto& [tsresol, ns] : {std::pair<uint8_t, uint64_t>{0, 1000000}, {9, 1000}, {0x8a, 976562500}}) {
    Options ng;
    ng.pcapng = true, ng.tsresol = tsresol, ng.little = tsresol != 9;
    EXPECT_EQ(read_packets(capture_of(conversation(), ng))[0].timestamp_ns, ns) << int(tsresol);
  }
  Options simple;
  simple.pcapng = true, simple.simple_blocks = true;
  expect_conversation(read_tcp_connection(capture_of(conversation(), simple), test::capture::kServerPort));
}

TEST(Pcap, OutOfOrderRetransmittedAndOverlappingSegments) {
  std::vector<Segment> s = conversation();
  // "world" before "hello ", then "hello " twice, then an overlap "lo wor".
  std::swap(s[2], s[4]);
  s.push_back({true, kClientIsn + 1, text("hello "), false, true});
  s.push_back({true, kClientIsn + 4, text("lo wor"), false, true});
  // The server's bytes in two overlapping halves, the second first.
  s[3] = {false, kServerIsn + 1 + 10, text("abcdefXYZ"), false, true};
  s.push_back({false, kServerIsn + 1, text("0123456789abc"), false, true});
  const TcpConnection c = read_tcp_connection(capture_of(s), std::nullopt);
  expect_conversation(c);
  EXPECT_EQ(c.retransmitted, 2u);
  EXPECT_EQ(c.out_of_order, 2u);
  // Arrival order: the client's 11 bytes at once when the hole filled, then the server's.
  ASSERT_GE(c.arrival.size(), 3u);
  EXPECT_EQ(c.arrival[0].direction, protocol::Direction::sent);
  EXPECT_EQ(c.arrival[0].length, 6u);
  EXPECT_EQ(c.arrival[1].length, 5u);
}

TEST(Pcap, HoleIsReportedAndStreamStopsThere) {
  std::vector<Segment> s = conversation();
  s.erase(s.begin() + 2);  // "hello " never captured
  const TcpConnection c = read_tcp_connection(capture_of(s), std::nullopt);
  EXPECT_TRUE(c.client_to_server.empty());
  EXPECT_EQ(c.client_gap,
            "client-to-server stream: bytes 0 to 6 are missing from the capture; 1 later segment(s) dropped");
}

TEST(Pcap, ConnectionChosenByPortAndClientBySyn) {
  std::vector<Segment> s = conversation();
  s.erase(s.begin(), s.begin() + 2);  // no SYN: the client is the side not on the port
  std::swap(s[0], s[1]);              // and the server speaks first
  const TcpConnection c = read_tcp_connection(capture_of(s), test::capture::kServerPort);
  expect_conversation(c);
  EXPECT_THROW(
      {
        try {
          read_tcp_connection(capture_of(s), uint16_t{8080});
        } catch (const CaptureError& e) {
          EXPECT_STREQ(e.what(), "no TCP segment to or from port 8080 in the capture");
          throw;
        }
      },
      CaptureError);
}

std::string error_of(const Bytes& file, const CaptureLimits& limits = {}) {
  try {
    read_tcp_connection(file, std::nullopt, limits);
  } catch (const CaptureError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Pcap, ExactErrors) {
  EXPECT_EQ(error_of(text("GET / HTTP/1.1\r\n")), "capture offset 0: magic number 47455420 is neither pcap nor pcapng");
  EXPECT_EQ(error_of(Bytes{1, 2}), "capture offset 0: file of 2 bytes is too short to be pcap or pcapng");
  Bytes file = capture_of(conversation());
  EXPECT_EQ(error_of(Bytes(file.begin(), file.begin() + 30)),
            "capture offset 24: pcap packet record 1 header cut short (6 of 16 bytes)");
  EXPECT_EQ(error_of(Bytes(file.begin(), file.begin() + 50)),
            "capture offset 24: pcap packet record 1 says 54 captured bytes but the file ends after 10");
  Options o;
  o.link_type = 105;  // 802.11
  EXPECT_EQ(error_of(capture_of(conversation(), o)),
            "packet 1 (capture offset 40): link type 105 is not one of Ethernet (1), null/loopback (0), raw IP "
            "(101), Linux cooked (113, 276)");
  CaptureLimits small;
  small.max_stream_size = 8;
  EXPECT_EQ(error_of(file, small), "packet 4: the server-to-client stream exceeds the limit of 8 bytes");
  small.max_capture_size = 100;
  EXPECT_EQ(error_of(file, small), "capture of " + std::to_string(file.size()) + " bytes is over the limit of 100");
  Options ng;
  ng.pcapng = true;
  Bytes bad_ng = capture_of(conversation(), ng);
  bad_ng[4] = 13;  // the SHB's length (little-endian) no longer a multiple of 4
  EXPECT_EQ(error_of(bad_ng), "capture offset 4: pcapng block length 13 is not a multiple of 4 of at least 12");
}

TEST(Pcap, FragmentsAreRefusedByName) {
  Bytes file = capture_of(conversation(), Options{false, true, false, false, kLinkRaw, false});
  file[24 + 16 + 6] = 0x20;  // the first packet's flags: more fragments
  EXPECT_EQ(error_of(file), "packet 1 (capture offset 40): fragmented IPv4 packet: IP fragments are not reassembled");
}

// Every prefix of a valid capture is read or refused with a CaptureError, in
// both formats: never a crash, never another exception.
TEST(Pcap, TruncationAtEveryByte) {
  for (bool pcapng : {false, true}) {
    Options o;
    o.pcapng = pcapng;
    const Bytes file = capture_of(conversation(), o);
    for (size_t n = 0; n < file.size(); ++n) {
      const Bytes prefix(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
      try {
        read_tcp_connection(prefix, std::nullopt);
      } catch (const CaptureError& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      }
    }
  }
}

// Every single-byte change of a valid capture: read or a CaptureError.
TEST(Pcap, GarbageAtEveryByte) {
  for (bool pcapng : {false, true}) {
    Options o;
    o.pcapng = pcapng;
    const Bytes file = capture_of(conversation(), o);
    for (size_t i = 0; i < file.size(); ++i)
      for (uint8_t x : {uint8_t{0xff}, uint8_t{0x80}, uint8_t{0x01}}) {
        Bytes bad = file;
        bad[i] ^= x;
        try {
          read_tcp_connection(bad, std::nullopt);
        } catch (const CaptureError&) {
        }
      }
  }
}

}  // namespace
}  // namespace tls12::illustrate
