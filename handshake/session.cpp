// The binary form of a session (see session.h), written with the record
// layer's TLS-style codec so it reads like the RFC's structures:
//
//   struct {
//     uint8 format;                       // 1
//     ProtocolVersion version;
//     CipherSuite cipher_suite;
//     opaque master_secret<48>;           // vector8 of exactly 48 bytes
//     uint8 flags;                        // bit 0 EMS, 1 peer_verified, 2 client_authenticated
//     uint8 client_authentication_policy;
//     uint64 creation_time; uint32 lifetime;
//     opaque server_name<0..255>;
//     ASN.1Cert peer_certificate_chain<0..2^24-1>;
//     opaque session_id<0..32>;
//     opaque ticket<0..2^16-1>;
//   } SessionState;
#include "handshake/session.h"

#include <chrono>
#include <stdexcept>

#include "handshake/key_schedule.h"
#include "record/codec.h"

namespace tls12::handshake {

namespace {

constexpr uint8_t format_version = 1;
constexpr uint8_t flag_ems = 1, flag_peer_verified = 2, flag_client_authenticated = 4, flag_etm = 8;

}  // namespace

int64_t system_time_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Bytes encode_session(const Session& s) {
  if (s.master_secret.size() != master_secret_length)
    throw std::invalid_argument("a session's master secret must be 48 bytes");
  record::Writer w;
  w.u8(format_version);
  w.u16(s.version);
  w.u16(static_cast<uint16_t>(s.cipher_suite));
  w.vector8(ByteView(s.master_secret));
  w.u8(static_cast<uint8_t>((s.extended_master_secret ? flag_ems : 0) | (s.peer_verified ? flag_peer_verified : 0) |
                            (s.client_authenticated ? flag_client_authenticated : 0) |
                            (s.encrypt_then_mac ? flag_etm : 0)));
  w.u8(s.client_authentication_policy);
  w.u32(static_cast<uint32_t>(static_cast<uint64_t>(s.creation_time) >> 32));
  w.u32(static_cast<uint32_t>(static_cast<uint64_t>(s.creation_time)));
  w.u32(s.lifetime);
  w.vector8(ByteView(reinterpret_cast<const uint8_t*>(s.server_name.data()), s.server_name.size()));
  w.vector24([&](record::Writer& list) {
    for (const Bytes& cert : s.peer_certificate_chain) list.vector24(cert);
  });
  w.vector8(s.session_id);
  w.vector16(s.ticket);
  return w.take();
}

Session decode_session(ByteView data) {
  try {
    record::Reader r(data, "session state");
    if (r.u8() != format_version) r.fail("has an unknown format");
    Session s;
    s.version = r.u16();
    s.cipher_suite = static_cast<CipherSuite>(r.u16());
    ByteView secret = r.vector8(master_secret_length, master_secret_length);
    s.master_secret.assign(secret.begin(), secret.end());
    uint8_t flags = r.u8();
    if (flags & ~(flag_ems | flag_peer_verified | flag_client_authenticated | flag_etm)) r.fail("has unknown flags");
    s.encrypt_then_mac = flags & flag_etm;
    s.extended_master_secret = flags & flag_ems;
    s.peer_verified = flags & flag_peer_verified;
    s.client_authenticated = flags & flag_client_authenticated;
    s.client_authentication_policy = r.u8();
    uint64_t high = r.u32(), low = r.u32();
    s.creation_time = static_cast<int64_t>(high << 32 | low);
    s.lifetime = r.u32();
    ByteView name = r.vector8(0, 255);
    s.server_name.assign(name.begin(), name.end());
    record::Reader chain(r.vector24(0, 0xffffff), "session certificate chain");
    while (!chain.empty()) {
      ByteView cert = chain.vector24(1, 0xffffff);
      s.peer_certificate_chain.emplace_back(cert.begin(), cert.end());
    }
    ByteView id = r.vector8(0, 32);
    s.session_id.assign(id.begin(), id.end());
    ByteView ticket = r.vector16(0, 0xffff);
    s.ticket.assign(ticket.begin(), ticket.end());
    r.expect_end();
    return s;
  } catch (const record::TlsError& error) {
    throw std::invalid_argument(error.what());
  }
}

}  // namespace tls12::handshake
