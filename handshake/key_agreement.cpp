// The RSA and ECDHE (x25519) key exchanges of TLS 1.2: RFC 5246 §7.4.7.1 and
// §8.1.1, RFC 8422 §5.4, §5.7 and §5.11. See key_agreement.h.
#include "handshake/key_agreement.h"

#include <algorithm>

#include "crypto/random.h"
#include "crypto/rsa.h"
#include "crypto/x25519.h"
#include "handshake/dhe.h"
#include "record/alert.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::TlsError;

constexpr size_t pre_master_secret_length = 48;

// X25519(private, peer) with the all-zero check of RFC 8422 §5.11.
SecretBytes x25519_pre_master_secret(ByteView private_key, ByteView peer_public) {
  if (peer_public.size() != 32)
    throw TlsError(AlertDescription::illegal_parameter,
                   "x25519 public key is " + std::to_string(peer_public.size()) + " bytes, not 32");
  SecretBytes shared(32);
  if (!crypto::x25519(private_key, peer_public, std::span<uint8_t, 32>(shared.data(), 32)))
    throw TlsError(AlertDescription::illegal_parameter,
                   "x25519 shared secret is all zeros (the peer sent a low-order point)");
  return shared;
}

const crypto::RsaPrivateKey& rsa_private_key(const x509::PrivateKey& key) {
  const auto* rsa = std::get_if<crypto::RsaPrivateKey>(&key);
  if (rsa == nullptr)
    throw TlsError(AlertDescription::internal_error, "an RSA suite needs an RSA certificate key");
  return *rsa;
}

// ---------------------------------------------------------------- RSA

class RsaServer final : public ServerKeyAgreement {
 public:
  RsaServer(std::shared_ptr<const x509::PrivateKey> key, ProtocolVersion client_version)
      : key_(std::move(key)), client_version_(client_version) {}

  std::optional<ServerParams> server_params() override { return std::nullopt; }

  // Step 6 (server, RSA): decrypt with the countermeasure of §7.4.7.1. The
  // function never fails for a bad ciphertext: it returns 48 random bytes
  // instead, chosen before decryption, so that padding oracles learn nothing;
  // the client's Finished then fails to verify like any other wrong key.
  SecretBytes pre_master_secret(ByteView exchange_keys) override {
    SecretBytes pre_master(pre_master_secret_length);
    crypto::rsa_decrypt_pre_master_secret(rsa_private_key(*key_), exchange_keys, client_version_,
                                          std::span<uint8_t, 48>(pre_master.data(), 48));
    return pre_master;
  }

 private:
  std::shared_ptr<const x509::PrivateKey> key_;
  ProtocolVersion client_version_;
};

class RsaClient final : public ClientKeyAgreement {
 public:
  explicit RsaClient(ProtocolVersion client_version) : client_version_(client_version) {}

  void process_server_params(const ServerParams&) override {
    throw TlsError(AlertDescription::unexpected_message, "RSA key exchange has no ServerKeyExchange");
  }

  // Step 4 (client, RSA): pre_master_secret = client_version || 46 random
  // bytes (§7.4.7.1; the version defeats version-rollback attacks), encrypted
  // to the server certificate's RSA key.
  ClientKeyExchangeResult client_key_exchange(const x509::PublicKey& server_key) override {
    const auto* rsa = std::get_if<crypto::RsaPublicKey>(&server_key);
    if (rsa == nullptr)
      throw TlsError(AlertDescription::unsupported_certificate,
                     "RSA key exchange needs an RSA key in the server certificate");
    ClientKeyExchangeResult result;
    result.pre_master_secret.resize(pre_master_secret_length);
    result.pre_master_secret[0] = static_cast<uint8_t>(client_version_ >> 8);
    result.pre_master_secret[1] = static_cast<uint8_t>(client_version_);
    crypto::random_bytes(MutableByteView(result.pre_master_secret).subspan(2));
    result.exchange_keys = crypto::rsaes_pkcs1_v15_encrypt(*rsa, result.pre_master_secret);
    return result;
  }

 private:
  ProtocolVersion client_version_;
};

// ---------------------------------------------------------------- ECDHE x25519

class EcdheServer final : public ServerKeyAgreement {
 public:
  // Step 2 (server, ECDHE): a fresh ephemeral key pair per handshake, which is
  // what makes the suite forward-secret.
  std::optional<ServerParams> server_params() override {
    ServerEcdhParams params;
    params.named_curve = NamedGroup::x25519;
    params.public_key.assign(key_pair_.public_key.begin(), key_pair_.public_key.end());
    return ServerParams{params};
  }

  SecretBytes pre_master_secret(ByteView exchange_keys) override {
    return x25519_pre_master_secret(key_pair_.private_key, exchange_keys);
  }

 private:
  crypto::X25519KeyPair key_pair_ = crypto::X25519KeyPair::generate();
};

class EcdheClient final : public ClientKeyAgreement {
 public:
  explicit EcdheClient(std::span<const NamedGroup> groups) : groups_(groups.begin(), groups.end()) {}

  // Step 2 (client, received, ECDHE): the server must pick a curve we offered
  // (RFC 8422 §5.4), and only x25519 is implemented.
  void process_server_params(const ServerParams& params) override {
    const auto* ecdh = std::get_if<ServerEcdhParams>(&params);
    if (ecdh == nullptr)
      throw TlsError(AlertDescription::illegal_parameter, "ECDHE suite with non-ECDH parameters");
    if (ecdh->named_curve != NamedGroup::x25519 ||
        std::find(groups_.begin(), groups_.end(), ecdh->named_curve) == groups_.end())
      throw TlsError(AlertDescription::illegal_parameter,
                     "server chose the group " + named_group_name(ecdh->named_curve) +
                         ", which the client did not offer");
    if (ecdh->public_key.size() != 32)
      throw TlsError(AlertDescription::illegal_parameter, "server's x25519 public key is not 32 bytes");
    server_public_ = ecdh->public_key;
  }

  // Step 4 (client, ECDHE): our ephemeral key, and X25519 with the server's.
  ClientKeyExchangeResult client_key_exchange(const x509::PublicKey&) override {
    if (server_public_.empty())
      throw TlsError(AlertDescription::unexpected_message, "ECDHE suite without ServerKeyExchange");
    auto key_pair = crypto::X25519KeyPair::generate();
    ClientKeyExchangeResult result;
    result.pre_master_secret = x25519_pre_master_secret(key_pair.private_key, server_public_);
    result.exchange_keys.assign(key_pair.public_key.begin(), key_pair.public_key.end());
    return result;
  }

 private:
  std::vector<NamedGroup> groups_;
  Bytes server_public_;
};

}  // namespace

std::unique_ptr<ServerKeyAgreement> make_server_key_agreement(
    const CipherSuiteInfo& suite, NamedGroup group, std::shared_ptr<const x509::PrivateKey> server_key,
    ProtocolVersion client_version) {
  switch (suite.key_exchange) {
    case KeyExchange::rsa: return std::make_unique<RsaServer>(std::move(server_key), client_version);
    case KeyExchange::ecdhe:
      if (group != NamedGroup::x25519) break;
      return std::make_unique<EcdheServer>();
    case KeyExchange::dhe: return make_dhe_server_key_agreement(group);  // handshake/dhe.h
  }
  throw TlsError(AlertDescription::internal_error,
                 "no key exchange implemented for " + std::string(suite.name));
}

std::unique_ptr<ClientKeyAgreement> make_client_key_agreement(
    const CipherSuiteInfo& suite, std::span<const NamedGroup> groups, ProtocolVersion client_version) {
  switch (suite.key_exchange) {
    case KeyExchange::rsa: return std::make_unique<RsaClient>(client_version);
    case KeyExchange::ecdhe: return std::make_unique<EcdheClient>(groups);
    case KeyExchange::dhe: return make_dhe_client_key_agreement();  // handshake/dhe.h
  }
  throw TlsError(AlertDescription::internal_error,
                 "no key exchange implemented for " + std::string(suite.name));
}

}  // namespace tls12::handshake
