// Capture files (pcap, pcapng), link layers, IPv4/IPv6 and TCP reassembly of
// one connection (see pcap.h). File formats: the tcpdump.org pcap format and
// the pcapng draft (draft-ietf-opsawg-pcapng); IPv4 RFC 791, IPv6 RFC 8200,
// TCP RFC 9293.
#include "illustrate/pcap.h"

#include <map>

namespace tls12::illustrate {

namespace {

// ------------------------------------------------------------ bounded reading

// Reads integers of either byte order from a capture, every read checked
// against the end: a capture is untrusted, and one bad length must be an
// error naming where it is, never a read past the end.
class FileReader {
 public:
  FileReader(ByteView data, bool little_endian) : data_(data), little_(little_endian) {}

  uint32_t u32(size_t at) const {
    need(at, 4);
    const uint8_t* p = data_.data() + at;
    return little_ ? uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24
                   : uint32_t(p[3]) | uint32_t(p[2]) << 8 | uint32_t(p[1]) << 16 | uint32_t(p[0]) << 24;
  }
  uint16_t u16(size_t at) const {
    need(at, 2);
    const uint8_t* p = data_.data() + at;
    return little_ ? uint16_t(p[0] | p[1] << 8) : uint16_t(p[1] | p[0] << 8);
  }
  ByteView bytes(size_t at, size_t n) const {
    need(at, n);
    return data_.subspan(at, n);
  }
  size_t size() const { return data_.size(); }
  void set_little_endian(bool little) { little_ = little; }

  void need(size_t at, size_t n) const {
    if (at > data_.size() || data_.size() - at < n)
      throw CaptureError("capture offset " + std::to_string(at) + ": needs " + std::to_string(n) +
                         " bytes but the file ends after " + std::to_string(data_.size() - std::min(at, data_.size())));
  }

 private:
  ByteView data_;
  bool little_;
};

[[noreturn]] void fail_at(size_t offset, const std::string& what) {
  throw CaptureError("capture offset " + std::to_string(offset) + ": " + what);
}

uint16_t be16(ByteView b, size_t at) { return uint16_t(b[at] << 8 | b[at + 1]); }
uint32_t be32(ByteView b, size_t at) {
  return uint32_t(b[at]) << 24 | uint32_t(b[at + 1]) << 16 | uint32_t(b[at + 2]) << 8 | b[at + 3];
}

// A packet larger than this is not a real frame (the largest snap length
// tcpdump uses is 262144).
constexpr uint32_t kMaxPacketSize = 262144;

// ---------------------------------------------------------------------- pcap

constexpr uint32_t kPcapMagicMicro = 0xa1b2c3d4;
constexpr uint32_t kPcapMagicNano = 0xa1b23c4d;
constexpr size_t kPcapHeaderSize = 24;
constexpr size_t kPcapRecordHeaderSize = 16;

std::vector<Packet> read_pcap(ByteView capture, bool little, bool nano) {
  FileReader file(capture, little);
  file.need(0, kPcapHeaderSize);
  const uint32_t link_type = file.u32(20) & 0x0fffffff;  // upper bits: FCS flags
  std::vector<Packet> packets;
  size_t at = kPcapHeaderSize;
  while (at < file.size()) {
    if (file.size() - at < kPcapRecordHeaderSize)
      fail_at(at, "pcap packet record " + std::to_string(packets.size() + 1) + " header cut short (" +
                      std::to_string(file.size() - at) + " of 16 bytes)");
    const uint32_t captured = file.u32(at + 8);
    if (captured > kMaxPacketSize)
      fail_at(at, "pcap packet record " + std::to_string(packets.size() + 1) + " says " + std::to_string(captured) +
                      " captured bytes, over the " + std::to_string(kMaxPacketSize) + "-byte limit");
    if (file.size() - at - kPcapRecordHeaderSize < captured)
      fail_at(at, "pcap packet record " + std::to_string(packets.size() + 1) + " says " + std::to_string(captured) +
                      " captured bytes but the file ends after " +
                      std::to_string(file.size() - at - kPcapRecordHeaderSize));
    Packet p;
    p.number = packets.size() + 1;
    p.file_offset = at + kPcapRecordHeaderSize;
    p.link_type = link_type;
    p.timestamp_ns = uint64_t(file.u32(at)) * 1000000000 + uint64_t(file.u32(at + 4)) * (nano ? 1 : 1000);
    p.data = file.bytes(p.file_offset, captured);
    p.original_length = file.u32(at + 12);
    packets.push_back(p);
    at = p.file_offset + captured;
  }
  return packets;
}

// -------------------------------------------------------------------- pcapng

constexpr uint32_t kBlockSectionHeader = 0x0A0D0D0A;
constexpr uint32_t kBlockInterface = 1;
constexpr uint32_t kBlockPacketObsolete = 2;
constexpr uint32_t kBlockSimplePacket = 3;
constexpr uint32_t kBlockEnhancedPacket = 6;
constexpr uint32_t kByteOrderMagic = 0x1A2B3C4D;
constexpr uint16_t kOptionEnd = 0;
constexpr uint16_t kOptionTsResol = 9;  // if_tsresol

struct Interface {
  uint32_t link_type = 0;
  uint64_t units_per_second = 1000000;  // if_tsresol, microseconds by default
};

size_t pad4(size_t n) { return (n + 3) & ~size_t{3}; }

// if_tsresol (pcapng §4.2): the high bit says power of 2, else power of 10.
uint64_t units_per_second(uint8_t tsresol) {
  const unsigned exponent = tsresol & 0x7f;
  if (exponent > (tsresol & 0x80 ? 63u : 19u)) return 0;
  uint64_t units = 1;
  for (unsigned i = 0; i < exponent; ++i) units *= (tsresol & 0x80) ? 2 : 10;
  return units;
}

Interface read_interface(const FileReader& file, size_t body, size_t body_end) {
  Interface iface;
  if (body_end - body < 8) fail_at(body, "pcapng Interface Description Block shorter than its 8 fixed bytes");
  iface.link_type = file.u16(body);
  for (size_t at = body + 8; body_end - at >= 4;) {
    const uint16_t code = file.u16(at), length = file.u16(at + 2);
    if (code == kOptionEnd) break;
    if (body_end - at - 4 < length) fail_at(at, "pcapng option " + std::to_string(code) + " runs past its block");
    if (code == kOptionTsResol && length >= 1) {
      iface.units_per_second = units_per_second(file.bytes(at + 4, 1)[0]);
      if (iface.units_per_second == 0) fail_at(at, "pcapng if_tsresol is out of range");
    }
    at += 4 + pad4(length);
  }
  return iface;
}

const Interface& interface_at(const std::vector<Interface>& interfaces, uint32_t id, size_t offset) {
  if (id >= interfaces.size())
    fail_at(offset, "pcapng packet on interface " + std::to_string(id) + ", but the section describes " +
                        std::to_string(interfaces.size()));
  return interfaces[id];
}

Packet packet_of(const FileReader& file, size_t data_at, uint32_t captured, size_t body_end, size_t block_at) {
  if (captured > kMaxPacketSize)
    fail_at(block_at, "pcapng packet of " + std::to_string(captured) + " captured bytes, over the " +
                          std::to_string(kMaxPacketSize) + "-byte limit");
  if (data_at > body_end || body_end - data_at < captured)
    fail_at(block_at, "pcapng packet says " + std::to_string(captured) + " captured bytes, more than its block holds");
  Packet p;
  p.file_offset = data_at;
  p.data = file.bytes(data_at, captured);
  return p;
}

uint64_t timestamp_ns(uint64_t units, uint64_t per_second) {
  return units / per_second * 1000000000 + (units % per_second) * 1000000000 / per_second;
}

// One Section Header Block at `at`: sets the byte order for its section.
void read_section_header(FileReader& file, ByteView capture, size_t at) {
  file.need(at, 12);
  const uint32_t magic = be32(capture, at + 8);
  if (magic == kByteOrderMagic) file.set_little_endian(false);
  else if (magic == 0x4D3C2B1A) file.set_little_endian(true);
  else fail_at(at + 8, "pcapng Section Header Block has no byte-order magic");
}

std::vector<Packet> read_pcapng(ByteView capture) {
  FileReader file(capture, true);
  std::vector<Interface> interfaces;
  std::vector<Packet> packets;
  size_t at = 0;
  while (at < file.size()) {
    if (file.size() - at < 12) fail_at(at, "pcapng block header cut short");
    const bool section = be32(capture, at) == kBlockSectionHeader;
    if (section) {
      read_section_header(file, capture, at);
      interfaces.clear();
    }
    const uint32_t type = file.u32(at), total = file.u32(at + 4);
    if (total < 12 || total % 4 != 0)
      fail_at(at + 4, "pcapng block length " + std::to_string(total) + " is not a multiple of 4 of at least 12");
    if (file.size() - at < total)
      fail_at(at + 4, "pcapng block of " + std::to_string(total) + " bytes but the file ends after " +
                          std::to_string(file.size() - at));
    if (file.u32(at + total - 4) != total)
      fail_at(at + total - 4, "pcapng block's trailing length differs from its leading length " + std::to_string(total));
    const size_t body = at + 8, body_end = at + total - 4;
    if (type == kBlockInterface) {
      interfaces.push_back(read_interface(file, body, body_end));
    } else if (type == kBlockEnhancedPacket || type == kBlockPacketObsolete) {
      if (body_end - body < 20) fail_at(at, "pcapng packet block shorter than its 20 fixed bytes");
      const uint32_t id = type == kBlockEnhancedPacket ? file.u32(body) : file.u16(body);
      const Interface& iface = interface_at(interfaces, id, at);
      Packet p = packet_of(file, body + 20, file.u32(body + 12), body_end, at);
      p.link_type = iface.link_type;
      p.timestamp_ns = timestamp_ns(uint64_t(file.u32(body + 4)) << 32 | file.u32(body + 8), iface.units_per_second);
      p.original_length = file.u32(body + 16);
      p.number = packets.size() + 1;
      packets.push_back(p);
    } else if (type == kBlockSimplePacket) {
      if (body_end - body < 4) fail_at(at, "pcapng Simple Packet Block shorter than its 4 fixed bytes");
      const Interface& iface = interface_at(interfaces, 0, at);
      const uint32_t original = file.u32(body);
      Packet p = packet_of(file, body + 4, std::min<uint32_t>(original, uint32_t(body_end - body - 4)), body_end, at);
      p.link_type = iface.link_type;
      p.original_length = original;
      p.number = packets.size() + 1;
      packets.push_back(p);
    }
    at += total;
  }
  return packets;
}

// ------------------------------------------------------------ network layers

struct Segment {
  Bytes source, destination;  // IP addresses, 4 or 16 bytes
  uint16_t source_port = 0, destination_port = 0;
  uint32_t seq = 0;
  bool syn = false, ack = false;
  ByteView payload;
  size_t payload_offset = 0;  // in the file
};

std::string packet_where(const Packet& p) {
  return "packet " + std::to_string(p.number) + " (capture offset " + std::to_string(p.file_offset) + ")";
}

// The IP datagram inside a frame, by link type; nullopt for frames that do
// not carry IP (ARP, say).
std::optional<ByteView> ip_of_frame(const Packet& p) {
  const ByteView d = p.data;
  auto ethertype_ip = [](uint16_t type) { return type == 0x0800 || type == 0x86DD; };
  switch (p.link_type) {
    case kLinkEthernet: {
      size_t at = 12;
      while (d.size() >= at + 2 && (be16(d, at) == 0x8100 || be16(d, at) == 0x88a8)) at += 4;  // 802.1Q tags
      if (d.size() < at + 2 || !ethertype_ip(be16(d, at))) return std::nullopt;
      return d.subspan(at + 2);
    }
    case kLinkNull: {
      // The family is in the capturing machine's byte order: AF_INET is 2
      // everywhere, AF_INET6 24, 28 or 30 depending on the system.
      if (d.size() < 4) return std::nullopt;
      const uint32_t le = uint32_t(d[0] | d[1] << 8 | d[2] << 16) | uint32_t(d[3]) << 24;
      const uint32_t family = le > 0xffff ? be32(d, 0) : le;
      if (family != 2 && family != 24 && family != 28 && family != 30 && family != 10) return std::nullopt;
      return d.subspan(4);
    }
    case kLinkRaw:
    case kLinkIpv4:
    case kLinkIpv6:
      return d;
    case kLinkLinuxSll:
      if (d.size() < 16 || !ethertype_ip(be16(d, 14))) return std::nullopt;
      return d.subspan(16);
    case kLinkLinuxSll2:
      if (d.size() < 20 || !ethertype_ip(be16(d, 0))) return std::nullopt;
      return d.subspan(20);
    default:
      throw CaptureError(packet_where(p) + ": link type " + std::to_string(p.link_type) +
                         " is not one of Ethernet (1), null/loopback (0), raw IP (101), Linux cooked (113, 276)");
  }
}

// The TCP segment of an IP datagram; nullopt for other protocols.
struct IpPayload {
  Bytes source, destination;
  ByteView tcp;
};

std::optional<IpPayload> ipv4(const Packet& p, ByteView ip) {
  if (ip.size() < 20) throw CaptureError(packet_where(p) + ": IPv4 header cut short");
  const size_t header = size_t(ip[0] & 0x0f) * 4, total = be16(ip, 2);
  if (header < 20 || total < header)
    throw CaptureError(packet_where(p) + ": IPv4 header length " + std::to_string(header) + " / total length " +
                       std::to_string(total) + " are inconsistent");
  if (ip[9] != 6) return std::nullopt;
  if ((be16(ip, 6) & 0x3fff) != 0)
    throw CaptureError(packet_where(p) + ": fragmented IPv4 packet: IP fragments are not reassembled");
  if (ip.size() < total)
    throw CaptureError(packet_where(p) + ": IPv4 total length " + std::to_string(total) + " but only " +
                       std::to_string(ip.size()) + " bytes captured (snap length too small?)");
  return IpPayload{Bytes(ip.begin() + 12, ip.begin() + 16), Bytes(ip.begin() + 16, ip.begin() + 20),
                   ip.subspan(header, total - header)};
}

std::optional<IpPayload> ipv6(const Packet& p, ByteView ip) {
  if (ip.size() < 40) throw CaptureError(packet_where(p) + ": IPv6 header cut short");
  const size_t payload = be16(ip, 4);
  if (ip.size() - 40 < payload)
    throw CaptureError(packet_where(p) + ": IPv6 payload length " + std::to_string(payload) + " but only " +
                       std::to_string(ip.size() - 40) + " bytes captured (snap length too small?)");
  uint8_t next = ip[6];
  size_t at = 40;
  const size_t end = 40 + payload;
  // Hop-by-hop, routing and destination options headers are skipped (RFC 8200 §4).
  while (next == 0 || next == 43 || next == 60) {
    if (end - at < 8) throw CaptureError(packet_where(p) + ": IPv6 extension header cut short");
    const size_t length = (size_t(ip[at + 1]) + 1) * 8;
    if (end - at < length) throw CaptureError(packet_where(p) + ": IPv6 extension header cut short");
    next = ip[at];
    at += length;
  }
  if (next == 44) throw CaptureError(packet_where(p) + ": fragmented IPv6 packet: IP fragments are not reassembled");
  if (next != 6) return std::nullopt;
  return IpPayload{Bytes(ip.begin() + 8, ip.begin() + 24), Bytes(ip.begin() + 24, ip.begin() + 40),
                   ip.subspan(at, end - at)};
}

std::optional<Segment> tcp_segment(const Packet& p) {
  const std::optional<ByteView> ip = ip_of_frame(p);
  if (!ip || ip->empty()) return std::nullopt;
  const unsigned version = (*ip)[0] >> 4;
  std::optional<IpPayload> inner = version == 4 ? ipv4(p, *ip) : version == 6 ? ipv6(p, *ip) : std::nullopt;
  if (!inner) return std::nullopt;
  const ByteView tcp = inner->tcp;
  if (tcp.size() < 20) throw CaptureError(packet_where(p) + ": TCP header cut short");
  const size_t header = size_t(tcp[12] >> 4) * 4;
  if (header < 20 || header > tcp.size())
    throw CaptureError(packet_where(p) + ": TCP data offset " + std::to_string(header) + " is out of range");
  Segment s;
  s.source = std::move(inner->source);
  s.destination = std::move(inner->destination);
  s.source_port = be16(tcp, 0);
  s.destination_port = be16(tcp, 2);
  s.seq = be32(tcp, 4);
  s.syn = (tcp[13] & 0x02) != 0;
  s.ack = (tcp[13] & 0x10) != 0;
  s.payload = tcp.subspan(header);
  s.payload_offset = size_t(s.payload.data() - p.data.data()) + p.file_offset;
  return s;
}

std::string address_text(const Bytes& a) {
  std::string out;
  if (a.size() == 4) {
    for (size_t i = 0; i < 4; ++i) out += (i ? "." : "") + std::to_string(a[i]);
    return out;
  }
  // RFC 5952 in short: groups in hex without leading zeros, the longest run
  // of zero groups written "::".
  size_t best = 8, best_len = 0;
  for (size_t i = 0; i < 8;) {
    size_t j = i;
    while (j < 8 && a[2 * j] == 0 && a[2 * j + 1] == 0) ++j;
    if (j - i > best_len && j - i > 1) best = i, best_len = j - i;
    i = j == i ? i + 1 : j;
  }
  static const char* hex = "0123456789abcdef";
  for (size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    const unsigned v = unsigned(a[2 * i] << 8 | a[2 * i + 1]);
    std::string g;
    for (unsigned x = v; x != 0 || g.empty(); x >>= 4) g.insert(g.begin(), hex[x & 15]);
    out += g;
  }
  return out;
}

// --------------------------------------------------------------- reassembly

// One direction of the connection put back in order (RFC 9293 §3.4): bytes
// are placed by sequence number relative to the first one, so duplicates and
// overlaps fall on bytes already held and segments ahead of a hole wait.
class StreamAssembler {
 public:
  StreamAssembler(protocol::Direction direction, size_t limit) : direction_(direction), limit_(limit) {}

  void syn(uint32_t seq) {
    if (!started_) start(seq + 1);
  }

  // Returns whether the segment brought nothing new.
  void add(uint32_t seq, ByteView payload, uint64_t packet, TcpConnection& out) {
    if (payload.empty()) return;
    if (!started_) start(seq);
    // Offsets relative to the first byte: an offset in the upper half of the
    // 32-bit space is before the start (a retransmission of earlier data).
    const uint32_t rel = seq - isn_;
    if (rel >= 0x80000000u) return count_retransmission(out);
    const size_t offset = rel;
    if (offset + payload.size() <= data_.size()) return count_retransmission(out);
    if (offset + payload.size() > limit_)
      throw CaptureError("packet " + std::to_string(packet) + ": the " + name() + " stream exceeds the limit of " +
                         std::to_string(limit_) + " bytes");
    if (offset > data_.size()) {
      ++out.out_of_order;
      Bytes& held = pending_[offset];
      if (payload.size() > held.size()) held.assign(payload.begin(), payload.end());
      return;
    }
    append(offset, payload, packet, out);
    drain(packet, out);
  }

  // The bytes in order, and why they stop early (a hole that never filled).
  Bytes take(std::string& gap) {
    if (!pending_.empty())
      gap = name() + " stream: bytes " + std::to_string(data_.size()) + " to " +
            std::to_string(pending_.begin()->first) + " are missing from the capture; " +
            std::to_string(pending_.size()) + " later segment(s) dropped";
    return std::move(data_);
  }

 private:
  void start(uint32_t isn) {
    started_ = true;
    isn_ = isn;
  }
  void count_retransmission(TcpConnection& out) { ++out.retransmitted; }
  std::string name() const { return direction_ == protocol::Direction::sent ? "client-to-server" : "server-to-client"; }

  void append(size_t offset, ByteView payload, uint64_t packet, TcpConnection& out) {
    const size_t skip = data_.size() - offset;  // bytes of an overlap already held
    const size_t before = data_.size();
    data_.insert(data_.end(), payload.begin() + static_cast<std::ptrdiff_t>(skip), payload.end());
    out.arrival.push_back({direction_, before, data_.size() - before, packet});
  }

  // Segments that were waiting for the bytes just appended.
  void drain(uint64_t packet, TcpConnection& out) {
    while (!pending_.empty() && pending_.begin()->first <= data_.size()) {
      auto node = pending_.extract(pending_.begin());
      if (node.key() + node.mapped().size() > data_.size()) append(node.key(), node.mapped(), packet, out);
    }
  }

  protocol::Direction direction_;
  size_t limit_;
  bool started_ = false;
  uint32_t isn_ = 0;
  Bytes data_;
  std::map<size_t, Bytes> pending_;
};

struct Flow {
  Bytes address;
  uint16_t port;
  bool operator==(const Flow&) const = default;
};

bool belongs(const Segment& s, const Flow& a, const Flow& b) {
  const Flow src{s.source, s.source_port}, dst{s.destination, s.destination_port};
  return (src == a && dst == b) || (src == b && dst == a);
}

// Picks the connection and says which end is the client.
std::optional<std::pair<Flow, Flow>> choose(const Segment& s, std::optional<uint16_t> port, bool any_syn) {
  const Flow src{s.source, s.source_port}, dst{s.destination, s.destination_port};
  if (port) {
    if (s.source_port != *port && s.destination_port != *port) return std::nullopt;
    if (s.syn && !s.ack) return std::pair{src, dst};
    if (s.syn) return std::pair{dst, src};
    return s.destination_port == *port ? std::pair{src, dst} : std::pair{dst, src};
  }
  if (any_syn) {
    if (!s.syn) return std::nullopt;
    return s.ack ? std::pair{dst, src} : std::pair{src, dst};
  }
  return std::pair{src, dst};
}

}  // namespace

std::string Endpoint::text() const {
  return (address.find(':') != std::string::npos ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

std::vector<Packet> read_packets(ByteView capture, const CaptureLimits& limits) {
  if (capture.size() > limits.max_capture_size)
    throw CaptureError("capture of " + std::to_string(capture.size()) + " bytes is over the limit of " +
                       std::to_string(limits.max_capture_size));
  if (capture.size() < 4) throw CaptureError("capture offset 0: file of " + std::to_string(capture.size()) +
                                             " bytes is too short to be pcap or pcapng");
  const uint32_t magic_be = be32(capture, 0);
  const uint32_t magic_le = uint32_t(capture[0] | capture[1] << 8 | capture[2] << 16) | uint32_t(capture[3]) << 24;
  if (magic_be == kBlockSectionHeader) return read_pcapng(capture);
  if (magic_be == kPcapMagicMicro || magic_be == kPcapMagicNano)
    return read_pcap(capture, false, magic_be == kPcapMagicNano);
  if (magic_le == kPcapMagicMicro || magic_le == kPcapMagicNano)
    return read_pcap(capture, true, magic_le == kPcapMagicNano);
  throw CaptureError("capture offset 0: magic number " + to_hex(capture.first(4)) + " is neither pcap nor pcapng");
}

TcpConnection read_tcp_connection(ByteView capture, std::optional<uint16_t> port, const CaptureLimits& limits) {
  const std::vector<Packet> packets = read_packets(capture, limits);
  std::vector<std::pair<const Packet*, Segment>> segments;
  bool any_syn = false;
  for (const Packet& p : packets)
    if (auto s = tcp_segment(p)) {
      any_syn = any_syn || (s->syn && !s->ack);
      segments.emplace_back(&p, std::move(*s));
    }
  // With a port, a connection whose SYN is in the capture wins over the
  // leftovers of an earlier one (its last ACKs and FINs).
  std::optional<std::pair<Flow, Flow>> ends;
  for (const auto& [p, s] : segments)
    if (s.syn && !s.ack && (ends = choose(s, port, true))) break;
  if (!ends)
    for (const auto& [p, s] : segments)
      if ((ends = choose(s, port, any_syn))) break;
  if (!ends)
    throw CaptureError(port ? "no TCP segment to or from port " + std::to_string(*port) + " in the capture"
                            : std::string("no TCP connection in the capture"));
  TcpConnection out;
  out.client = {address_text(ends->first.address), ends->first.port};
  out.server = {address_text(ends->second.address), ends->second.port};
  StreamAssembler to_server(protocol::Direction::sent, limits.max_stream_size);
  StreamAssembler to_client(protocol::Direction::received, limits.max_stream_size);
  for (const auto& [p, s] : segments) {
    if (!belongs(s, ends->first, ends->second)) continue;
    ++out.segments;
    const bool from_client = s.source == ends->first.address && s.source_port == ends->first.port;
    StreamAssembler& stream = from_client ? to_server : to_client;
    if (s.syn) stream.syn(s.seq);
    stream.add(s.syn ? s.seq + 1 : s.seq, s.payload, p->number, out);
  }
  out.client_to_server = to_server.take(out.client_gap);
  out.server_to_client = to_client.take(out.server_gap);
  return out;
}

}  // namespace tls12::illustrate
