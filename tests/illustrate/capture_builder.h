// Captures built byte by byte for the tests of illustrate/pcap.h: TCP
// segments (RFC 9293) in IPv4 (RFC 791) or IPv6 (RFC 8200) packets, framed
// for a link type, written as pcap or pcapng in either byte order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "illustrate/pcap.h"

namespace tls12::test::capture {

struct Segment {
  bool from_client = true;
  uint32_t seq = 0;   // absolute sequence number
  Bytes payload;
  bool syn = false;
  bool ack = true;
};

inline void put16(Bytes& b, uint16_t v) {
  b.push_back(uint8_t(v >> 8));
  b.push_back(uint8_t(v));
}
inline void put32(Bytes& b, uint32_t v) {
  put16(b, uint16_t(v >> 16));
  put16(b, uint16_t(v));
}
inline void put16_order(Bytes& b, uint16_t v, bool little) {
  if (little) {
    b.push_back(uint8_t(v));
    b.push_back(uint8_t(v >> 8));
  } else {
    put16(b, v);
  }
}
inline void put32_order(Bytes& b, uint32_t v, bool little) {
  if (little) {
    put16_order(b, uint16_t(v), true);
    put16_order(b, uint16_t(v >> 16), true);
  } else {
    put32(b, v);
  }
}

inline constexpr uint16_t kClientPort = 50000;
inline constexpr uint16_t kServerPort = 4433;

inline Bytes tcp(const Segment& s) {
  Bytes t;
  put16(t, s.from_client ? kClientPort : kServerPort);
  put16(t, s.from_client ? kServerPort : kClientPort);
  put32(t, s.seq);
  put32(t, 0);
  t.push_back(0x50);  // data offset 5 words
  t.push_back(uint8_t((s.syn ? 0x02 : 0) | (s.ack ? 0x10 : 0)));
  put16(t, 65535);
  put32(t, 0);  // checksum, urgent pointer (not checked)
  t.insert(t.end(), s.payload.begin(), s.payload.end());
  return t;
}

// The header so far, then source and destination address, then the TCP segment.
inline Bytes with_addresses(Bytes ip, const Segment& s, const Bytes& client, const Bytes& server, const Bytes& tcp) {
  const Bytes& src = s.from_client ? client : server;
  const Bytes& dst = s.from_client ? server : client;
  ip.insert(ip.end(), src.begin(), src.end());
  ip.insert(ip.end(), dst.begin(), dst.end());
  ip.insert(ip.end(), tcp.begin(), tcp.end());
  return ip;
}

inline Bytes ipv4(const Segment& s) {
  const Bytes t = tcp(s);
  Bytes ip = {0x45, 0};
  put16(ip, uint16_t(20 + t.size()));
  put32(ip, 0x00004000);  // id 0, don't fragment
  ip.insert(ip.end(), {64, 6, 0, 0});
  return with_addresses(ip, s, {127, 0, 0, 1}, {127, 0, 0, 2}, t);
}

inline Bytes ipv6(const Segment& s) {
  const Bytes t = tcp(s);
  Bytes ip = {0x60, 0, 0, 0};
  put16(ip, uint16_t(t.size()));
  ip.insert(ip.end(), {6, 64});
  Bytes client(16, 0), server(16, 0);
  client[15] = 1;
  server[0] = 0xfe, server[1] = 0x80, server[15] = 2;
  return with_addresses(ip, s, client, server, t);
}

// The frame for `link_type` around an IP packet.
inline Bytes frame(uint32_t link_type, const Bytes& ip) {
  const bool v6 = (ip[0] >> 4) == 6;
  const uint16_t ethertype = v6 ? 0x86DD : 0x0800;
  Bytes f;
  switch (link_type) {
    case illustrate::kLinkEthernet:
      f.assign(12, 0xaa);
      put16(f, ethertype);
      break;
    case illustrate::kLinkNull:
      put32_order(f, v6 ? 30 : 2, true);  // host order of a little-endian machine
      break;
    case illustrate::kLinkLinuxSll:
      f.assign(14, 0);
      put16(f, ethertype);
      break;
    case illustrate::kLinkLinuxSll2:
      put16(f, ethertype);
      f.resize(20, 0);
      break;
    default:
      break;  // raw IP
  }
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

struct Options {
  bool pcapng = false;
  bool little = true;
  bool nano = false;
  bool simple_blocks = false;  // pcapng Simple Packet Blocks instead of Enhanced
  uint32_t link_type = illustrate::kLinkEthernet;
  bool ip6 = false;
  uint8_t tsresol = 0;  // pcapng if_tsresol option when not 0
};

inline Bytes pcap_file(const std::vector<Bytes>& frames, const Options& o) {
  Bytes f;
  put32_order(f, o.nano ? 0xa1b23c4d : 0xa1b2c3d4, o.little);
  put16_order(f, 2, o.little);
  put16_order(f, 4, o.little);
  put32_order(f, 0, o.little);
  put32_order(f, 0, o.little);
  put32_order(f, 262144, o.little);
  put32_order(f, o.link_type, o.little);
  uint32_t t = 1;
  for (const Bytes& fr : frames) {
    put32_order(f, 1700000000, o.little);
    put32_order(f, t++, o.little);
    put32_order(f, uint32_t(fr.size()), o.little);
    put32_order(f, uint32_t(fr.size()), o.little);
    f.insert(f.end(), fr.begin(), fr.end());
  }
  return f;
}

inline void block(Bytes& f, uint32_t type, const Bytes& body, bool little) {
  Bytes padded = body;
  padded.resize((padded.size() + 3) & ~size_t{3}, 0);
  const auto total = uint32_t(12 + padded.size());
  put32_order(f, type, little);
  put32_order(f, total, little);
  f.insert(f.end(), padded.begin(), padded.end());
  put32_order(f, total, little);
}

inline Bytes pcapng_file(const std::vector<Bytes>& frames, const Options& o) {
  Bytes f, shb, idb;
  put32_order(shb, 0x1A2B3C4D, o.little);
  put16_order(shb, 1, o.little);
  put16_order(shb, 0, o.little);
  put32_order(shb, 0xffffffff, o.little);
  put32_order(shb, 0xffffffff, o.little);
  block(f, 0x0A0D0D0A, shb, o.little);
  block(f, 0x00000BAD, Bytes{1, 2, 3}, o.little);  // a custom block: skipped
  put16_order(idb, uint16_t(o.link_type), o.little);
  put16_order(idb, 0, o.little);
  put32_order(idb, 262144, o.little);
  if (o.tsresol != 0) {
    put16_order(idb, 9, o.little);  // if_tsresol, 1 byte
    put16_order(idb, 1, o.little);
    idb.insert(idb.end(), {o.tsresol, 0, 0, 0});
    put32_order(idb, 0, o.little);  // opt_endofopt
  }
  block(f, 1, idb, o.little);
  for (const Bytes& fr : frames) {
    Bytes body;
    if (o.simple_blocks) {
      put32_order(body, uint32_t(fr.size()), o.little);
    } else {
      put32_order(body, 0, o.little);
      put32_order(body, 0, o.little);
      put32_order(body, 1000, o.little);
      put32_order(body, uint32_t(fr.size()), o.little);
      put32_order(body, uint32_t(fr.size()), o.little);
    }
    body.insert(body.end(), fr.begin(), fr.end());
    block(f, o.simple_blocks ? 3 : 6, body, o.little);
  }
  return f;
}

inline Bytes capture_of(const std::vector<Segment>& segments, const Options& o = {}) {
  std::vector<Bytes> frames;
  for (const Segment& s : segments) frames.push_back(frame(o.link_type, o.ip6 ? ipv6(s) : ipv4(s)));
  return o.pcapng ? pcapng_file(frames, o) : pcap_file(frames, o);
}

inline Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

}  // namespace tls12::test::capture
