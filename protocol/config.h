// Configuration of a Connection (see connection.h): the handshake settings of
// handshake/config.h, which are secure by default, plus what only the
// engine needs (the observer for events, the key log, record limits).
//
// A client needs at least trust anchors and the server's name:
//   ClientConfig config;
//   config.trust_store = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file("ca.pem"));
//   config.server_name = "localhost";
// A server needs its certificate chain and key:
//   ServerConfig config;
//   config.certificate = handshake::CertifiedKey::load("server.pem", "server.key");
#pragma once

#include <memory>
#include <string>

#include "crypto/aead.h"
#include "handshake/config.h"
#include "protocol/events.h"
#include "record/handshake_reassembler.h"

namespace tls12::protocol {

using handshake::ClientAuthentication;
using handshake::ExtendedMasterSecret;

struct EngineConfig {
  // Receives every event (messages, secrets, alerts); may be empty.
  Observer observer;
  // When set, a CLIENT_RANDOM line (NSS key log format) is appended to this
  // file for each connection, so that Wireshark can decrypt a capture.
  std::string keylog_file;
  // The largest handshake message accepted (certificate chains); larger is
  // a clean failure, not unbounded memory.
  size_t max_handshake_message_size = record::kDefaultMaxHandshakeMessageSize;
  // Which AES-GCM implementation protects records; `best` picks the fastest
  // the CPU has. Tests and benchmarks name one to compare them.
  crypto::AeadImplementation aead_implementation = crypto::AeadImplementation::best;
  // Also report every record sent and received (RecordSeen) to the observer.
  // Off by default: it copies each received record before it is opened in
  // place, a cost only an illustrated page needs.
  bool observe_records = false;
  // Memory over speed for many idle connections: whenever a connection has
  // nothing pending (no partial record, no unread data, no unsent output) its
  // record, reassembly and received-data buffers are freed, and once the
  // handshake is complete what only the handshake needed goes too. They grow
  // again with the next record, so a busy connection pays an allocation per
  // record; off by default (docs/record.md, "Memory per connection").
  bool release_buffers_when_idle = false;
};

struct ClientConfig : handshake::ClientConfig, EngineConfig {};
struct ServerConfig : handshake::ServerConfig, EngineConfig {};

}  // namespace tls12::protocol
