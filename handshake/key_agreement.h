// The key exchange step of the handshake: how client and server come to share
// a pre_master_secret (RFC 5246 §7.4.3, §7.4.7, §8.1), one class per method so
// that a new one (DHE, RFC 5246 §8.1.2 with RFC 7919 groups) is one more
// class and the state machines do not change.
//
//   RSA (§7.4.7.1)    no ServerKeyExchange. The client makes
//                       pre_master_secret = client_version (2) || random (46)
//                     and encrypts it with RSAES-PKCS1-v1_5 to the key in the
//                     server's certificate. The server decrypts with the
//                     Bleichenbacher countermeasure: a bad ciphertext yields a
//                     random premaster, never a distinguishable error, so the
//                     handshake fails later at Finished like any wrong key.
//   ECDHE (RFC 8422)  the server sends an ephemeral public key on a named
//                     curve in ServerKeyExchange (signed, see signing.h); the
//                     client answers with its own in ClientKeyExchange.
//                     x25519: pre_master_secret = X25519(own private, peer
//                     public); an all-zero result (a low-order point, RFC 7748
//                     §6.1) is refused with illegal_parameter.
//                     secp256r1: the uncompressed point 0x04 || X || Y
//                     (§5.1.2), pre_master_secret = x(d * Q_peer) (§5.10); a
//                     point that is compressed, out of range or off the curve
//                     is refused with illegal_parameter (§5.11).
//   DHE (§8.1.2)      the same shape over a finite field: ServerDHParams
//                     {p, g, Ys} from an RFC 7919 group, Z = Y^x mod p with
//                     leading zeros stripped; see handshake/dhe.h.
#pragma once

#include <memory>
#include <optional>
#include <span>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/messages.h"
#include "x509/keys.h"

namespace tls12::handshake {

using ServerParams = std::variant<ServerEcdhParams, ServerDhParams>;

class ServerKeyAgreement {
 public:
  virtual ~ServerKeyAgreement() = default;
  // Step 2 (server): the parameters to sign into ServerKeyExchange, or nullopt
  // for a method without ServerKeyExchange (RSA).
  virtual std::optional<ServerParams> server_params() = 0;
  // Step 6 (server): the pre_master_secret from ClientKeyExchange.exchange_keys.
  virtual SecretBytes pre_master_secret(ByteView exchange_keys) = 0;
};

struct ClientKeyExchangeResult {
  Bytes exchange_keys;           // what goes into ClientKeyExchange
  SecretBytes pre_master_secret;
};

class ClientKeyAgreement {
 public:
  virtual ~ClientKeyAgreement() = default;
  // Step 2 (client, received): the server's (already signature-checked) parameters.
  // Throws TlsError(illegal_parameter) for a group we did not offer or a
  // malformed public value.
  virtual void process_server_params(const ServerParams& params) = 0;
  // Step 4 (client): our ClientKeyExchange contents and the premaster.
  virtual ClientKeyExchangeResult client_key_exchange(const x509::PublicKey& server_key) = 0;
};

// The method of `suite`. The server's RSA method decrypts with `server_key`
// and checks the premaster's version against `client_version` (the one of
// ClientHello, §7.4.7.1). `groups` are the groups this side allows.
std::unique_ptr<ServerKeyAgreement> make_server_key_agreement(
    const CipherSuiteInfo& suite, NamedGroup group, std::shared_ptr<const x509::PrivateKey> server_key,
    ProtocolVersion client_version);
std::unique_ptr<ClientKeyAgreement> make_client_key_agreement(
    const CipherSuiteInfo& suite, std::span<const NamedGroup> groups, ProtocolVersion client_version);

}  // namespace tls12::handshake
