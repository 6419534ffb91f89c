// What a tls12::Context holds (include/tls12/tls12.h): the protocol layer's
// configuration for one role, the credentials while they are assembled, and
// the configuration built from them for the Streams.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "protocol/config.h"
#include "tls12/tls12.h"

namespace tls12 {

struct Context::State {
  Role role = Role::client;
  protocol::ClientConfig client;
  protocol::ServerConfig server;
  // Our chain and key as given so far: paired (and checked) once both are in.
  std::vector<Bytes> chain_der;
  std::string chain_name;
  std::shared_ptr<const x509::PrivateKey> key;
  std::string key_name;
  std::shared_ptr<x509::TrustStore> trust;
  std::chrono::milliseconds handshake_timeout{30000};
  // Built on the first Stream after a change, then shared by the Streams;
  // the mutex lets threads make Streams from one Context at once (as
  // SSL_new on one SSL_CTX), though not while it is being changed.
  std::mutex build_mutex;
  std::shared_ptr<const protocol::ClientConfig> built_client;
  std::shared_ptr<const protocol::ServerConfig> built_server;

  handshake::CommonConfig& common() {
    if (role == Role::client) return client;
    return server;
  }
};

// The configuration a new Stream uses; throws Error(configuration) when the
// Context cannot work (a server without its certificate or key).
std::shared_ptr<const protocol::ClientConfig> client_config(Context::State& state);
std::shared_ptr<const protocol::ServerConfig> server_config(Context::State& state);

}  // namespace tls12
