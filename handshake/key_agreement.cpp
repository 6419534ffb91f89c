// The RSA and ECDHE (x25519, secp256r1) key exchanges of TLS 1.2: RFC 5246
// §7.4.7.1 and §8.1.1, RFC 8422 §5.4, §5.7, §5.10 and §5.11. See key_agreement.h.
#include "handshake/key_agreement.h"

#include <algorithm>

#include "crypto/ecdh.h"
#include "crypto/p256.h"
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

// P-256 ECDH (RFC 8422 §5.10): the x coordinate of d * Q_peer. RFC 8422 §5.11
// makes each side validate the peer's point; crypto::p256_ecdh refuses a
// compressed point, coordinates not below p and a point off the curve
// (SEC 1 §3.2.2.1). Skipping that check is the invalid-curve attack: a point
// of small order on another curve would make d * Q reveal d modulo small
// numbers, one handshake at a time.
SecretBytes p256_pre_master_secret(ByteView private_key, ByteView peer_public) {
  SecretBytes shared(32);
  if (!crypto::p256_ecdh(private_key, peer_public, std::span<uint8_t, 32>(shared.data(), 32)))
    throw TlsError(AlertDescription::illegal_parameter,
                   "secp256r1 public key is not an uncompressed point on the curve (" +
                       std::to_string(peer_public.size()) + " bytes; RFC 8422 §5.11)");
  return shared;
}

// One ephemeral ECDHE key on a named curve (RFC 8422 §5.1.1): a fresh key
// pair per handshake, which is what makes the suite forward-secret.
class EphemeralEcKey {
 public:
  explicit EphemeralEcKey(NamedGroup group) : group_(group) {
    if (group == NamedGroup::x25519) {
      auto pair = crypto::X25519KeyPair::generate();
      private_key_ = std::move(pair.private_key);
      public_key_.assign(pair.public_key.begin(), pair.public_key.end());
    } else {
      auto pair = crypto::p256::KeyPair::generate();
      private_key_ = std::move(pair.private_key);
      public_key_.assign(pair.public_key.begin(), pair.public_key.end());  // uncompressed (§5.1.2)
    }
  }

  NamedGroup group() const { return group_; }
  const Bytes& public_key() const { return public_key_; }

  // The pre_master_secret with the peer's public value; illegal_parameter for
  // a value that is not a valid key on this curve.
  SecretBytes agree(ByteView peer_public) const {
    return group_ == NamedGroup::x25519 ? x25519_pre_master_secret(private_key_, peer_public)
                                        : p256_pre_master_secret(private_key_, peer_public);
  }

 private:
  NamedGroup group_;
  SecretBytes private_key_;
  Bytes public_key_;
};

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

// ---------------------------------------------------------------- ECDHE

class EcdheServer final : public ServerKeyAgreement {
 public:
  explicit EcdheServer(NamedGroup group) : key_(group) {}

  // Step 2 (server, ECDHE): the curve and our ephemeral public key.
  std::optional<ServerParams> server_params() override {
    ServerEcdhParams params;
    params.named_curve = key_.group();
    params.public_key = key_.public_key();
    return ServerParams{params};
  }

  // Step 6 (server, ECDHE): the client's point from ClientKeyExchange.
  SecretBytes pre_master_secret(ByteView exchange_keys) override { return key_.agree(exchange_keys); }

 private:
  EphemeralEcKey key_;
};

class EcdheClient final : public ClientKeyAgreement {
 public:
  explicit EcdheClient(std::span<const NamedGroup> groups) : groups_(groups.begin(), groups.end()) {}

  // Step 2 (client, received, ECDHE): the server must pick a curve we offered
  // (RFC 8422 §5.4), and its value must be a public key on it (§5.11): checked
  // here, so that a bad point is refused as ServerKeyExchange arrives.
  void process_server_params(const ServerParams& params) override {
    const auto* ecdh = std::get_if<ServerEcdhParams>(&params);
    if (ecdh == nullptr)
      throw TlsError(AlertDescription::illegal_parameter, "ECDHE suite with non-ECDH parameters");
    if (!is_ecdhe_group(ecdh->named_curve) ||
        std::find(groups_.begin(), groups_.end(), ecdh->named_curve) == groups_.end())
      throw TlsError(AlertDescription::illegal_parameter,
                     "server chose the group " + named_group_name(ecdh->named_curve) +
                         ", which the client did not offer");
    if (ecdh->named_curve == NamedGroup::x25519 && ecdh->public_key.size() != 32)
      throw TlsError(AlertDescription::illegal_parameter, "server's x25519 public key is not 32 bytes");
    if (ecdh->named_curve == NamedGroup::secp256r1 && !crypto::p256::decode_point(ecdh->public_key))
      throw TlsError(AlertDescription::illegal_parameter,
                     "server's secp256r1 public key is not an uncompressed point on the curve (RFC 8422 §5.11)");
    group_ = ecdh->named_curve;
    server_public_ = ecdh->public_key;
  }

  // Step 4 (client, ECDHE): our ephemeral key on the server's curve, and the
  // agreement with the server's point.
  ClientKeyExchangeResult client_key_exchange(const x509::PublicKey&) override {
    if (server_public_.empty())
      throw TlsError(AlertDescription::unexpected_message, "ECDHE suite without ServerKeyExchange");
    EphemeralEcKey key(group_);
    ClientKeyExchangeResult result;
    result.pre_master_secret = key.agree(server_public_);
    result.exchange_keys = key.public_key();
    return result;
  }

 private:
  std::vector<NamedGroup> groups_;
  NamedGroup group_ = NamedGroup::x25519;
  Bytes server_public_;
};

}  // namespace

std::unique_ptr<ServerKeyAgreement> make_server_key_agreement(
    const CipherSuiteInfo& suite, NamedGroup group, std::shared_ptr<const x509::PrivateKey> server_key,
    ProtocolVersion client_version) {
  switch (suite.key_exchange) {
    case KeyExchange::rsa: return std::make_unique<RsaServer>(std::move(server_key), client_version);
    case KeyExchange::ecdhe:
      if (!is_ecdhe_group(group)) break;
      return std::make_unique<EcdheServer>(group);
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
