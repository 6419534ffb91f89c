// Shared by fuzz_client_engine.cpp and fuzz_server_engine.cpp: configurations
// for a client and a server over the throwaway identity, and a helper that
// feeds bytes to a Connection in records-sized pieces.
#pragma once

#include <memory>

#include "fuzz/fuzz_identity.h"
#include "protocol/connection.h"
#include "x509/certificate.h"
#include "x509/keys.h"

namespace tls12::fuzz {

inline handshake::CertifiedKey fuzz_identity() {
  handshake::CertifiedKey identity;
  for (const auto& cert : x509::parse_certificates_pem(kFuzzCertificatePem))
    identity.certificate_chain.push_back(cert.der());
  identity.private_key = std::make_shared<const x509::PrivateKey>(x509::load_private_key_pem(kFuzzKeyPem));
  return identity;
}

inline std::shared_ptr<const protocol::ServerConfig> fuzz_server_config(bool client_auth) {
  protocol::ServerConfig config;
  config.certificate = fuzz_identity();
  auto trust = std::make_shared<x509::TrustStore>();
  trust->add_pem(kFuzzCertificatePem);
  config.trust_store = trust;
  if (client_auth) config.client_authentication = protocol::ClientAuthentication::optional;
  return std::make_shared<const protocol::ServerConfig>(std::move(config));
}

// A client that accepts any server certificate, so fuzzed chains get past
// Certificate into the later states.
inline protocol::ClientConfig fuzz_client_config() {
  protocol::ClientConfig config;
  config.verify_server_certificate = false;
  config.server_name = "localhost";
  config.client_certificate = fuzz_identity();
  return config;
}

}  // namespace tls12::fuzz
