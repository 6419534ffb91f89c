// What each side of the handshake is willing to negotiate, secure by default.
//
// The defaults are the safe choices of RFC 5246 and its updates, so that a
// program that sets only a certificate (server) or only trust anchors and a
// host name (client) gets a careful TLS 1.2 endpoint:
//   - only AEAD suites (RFC 5288, RFC 7905), forward-secret ECDHE and DHE first;
//   - x25519 as the only ECDHE group (RFC 8422 §5.1.1);
//   - RSA-PSS, then PKCS#1 v1.5 signatures with SHA-256/384/512, then Ed25519,
//     never SHA-1 (RFC 5246 §7.4.1.4.1 as updated by RFC 8446 §4.2.3);
//   - the extended master secret (RFC 7627) offered and used whenever the peer
//     supports it; `required` refuses peers that do not;
//   - the client verifies the server's chain and name (RFC 5280 §6, RFC 6125).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/client_session_store.h"
#include "handshake/limits.h"
#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "x509/keys.h"
#include "x509/path_validation.h"

namespace tls12::handshake {

enum class ExtendedMasterSecret {
  preferred,  // offered by the client, accepted by the server; used when both agree
  required,   // a peer without it gets handshake_failure (RFC 7627 §5.2, §5.3)
};

enum class ClientAuthentication {
  none,      // no CertificateRequest
  optional,  // CertificateRequest; an empty Certificate is accepted
  required,  // CertificateRequest; an empty Certificate is handshake_failure (§7.4.6)
};

// The eleven suites of tls12 in the server's default order of preference:
// forward secrecy first (ECDHE, then the slower DHE, before RSA key
// exchange; ECDHE_ECDSA runs only for a server with an Ed25519 certificate),
// and within each AES-128-GCM (fast with AES-NI), AES-256-GCM,
// ChaCha20-Poly1305.
std::vector<CipherSuite> default_cipher_suites();
// rsa_pss_rsae_sha256/384/512, rsa_pkcs1_sha256/384/512, ed25519 (RFC 8422
// §5.1.3: Ed25519 certificates with the ECDHE_ECDSA suites).
std::vector<SignatureScheme> default_signature_schemes();

// A certificate chain (DER, leaf first) and the private key of its leaf.
struct CertifiedKey {
  std::vector<Bytes> certificate_chain;
  std::shared_ptr<const x509::PrivateKey> private_key;

  // Loads a PEM chain file and a PEM key file (the passphrase only read if the
  // key is encrypted). Throws std::runtime_error if the key does not belong to
  // the first certificate.
  static CertifiedKey load(const std::string& chain_file, const std::string& key_file,
                           const x509::PassphraseSource& passphrase = {});
  // The same from memory: the chain as PEM text or one DER certificate, the
  // key as PEM or DER (x509::load_private_key). Same checks, same errors.
  static CertifiedKey from_memory(ByteView chain_pem_or_der, ByteView key_pem_or_der,
                                  const x509::PassphraseSource& passphrase = {});
  // A chain already split into DER certificates (leaf first) and a parsed key;
  // the names say where each came from, for the errors.
  static CertifiedKey from_parts(std::vector<Bytes> chain_der, std::shared_ptr<const x509::PrivateKey> key,
                                 const std::string& chain_name = "the certificate chain given",
                                 const std::string& key_name = "the private key given");
};

struct CommonConfig {
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  // Most preferred first; a server picks the first of its own the client lists.
  std::vector<NamedGroup> groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  ExtendedMasterSecret extended_master_secret = ExtendedMasterSecret::preferred;
  // Roots for checking the peer's chain (the client's always, the server's when
  // it asks for client certificates); also the CA names in CertificateRequest.
  std::shared_ptr<const x509::TrustStore> trust_store;
  // Unix seconds at which certificates are checked; now when unset.
  std::optional<int64_t> verification_time;
  // The certificate rules the peer's chain must meet (x509::Policy,
  // docs/x509.md): rfc5280 by default, web for the CA/B Forum profile.
  x509::Policy verification_policy = x509::Policy::rfc5280;
  // The longest path the peer's chain may make, anchor included.
  size_t max_verify_depth = 10;
  // Bounds on what the peer may send (handshake/limits.h); the ClientHello
  // limits apply to servers, the chain limits to both sides.
  HandshakeLimits limits;
};

struct ClientConfig : CommonConfig {
  // The server's name: sent as server_name (RFC 6066 §3) unless it is an IP
  // address, and checked against the server's certificate (RFC 6125).
  std::string server_name;
  // Whether server_name goes into the ClientHello (off: no SNI, as `openssl
  // s_client -noservername`; the certificate is still checked).
  bool send_server_name = true;
  // When set, the certificate is checked against this name instead of
  // server_name: SNI and the checked name can differ (s_client's
  // -servername and -verify_hostname).
  std::optional<std::string> verify_name;
  // Turning this off accepts any server certificate: for tests and demos
  // against a throwaway server only. The handshake still records the result.
  bool verify_server_certificate = true;
  // Compatibility (RFC 6125 §6.4.4): match server_name against the subject
  // CN of a certificate that has no subjectAltName. Off by default.
  bool allow_common_name_fallback = false;
  // Sent when the server asks for a certificate (CertificateRequest); when
  // unset, an empty Certificate is sent (§7.4.6).
  std::optional<CertifiedKey> client_certificate;
  // ALPN (RFC 7301): the protocols to offer, most preferred first; empty: no
  // ALPN extension. Negotiated::alpn_protocol says what the server chose.
  std::vector<std::string> alpn_protocols;
  // Session resumption (RFC 5246 §7.3, RFC 5077; docs/resumption.md): when set,
  // the session of each full handshake is kept here under
  // session_store_key(server_name, server_port) and offered by the next
  // connection to that server. Unset: every handshake is a full one.
  std::shared_ptr<ClientSessionStore> session_store;
  uint16_t server_port = 443;
  // With a store: ask for session tickets (an empty session_ticket extension).
  bool session_tickets = true;
  // Offer encrypt_then_mac (RFC 7366) when a CBC suite is offered. Off: the
  // CBC records are MAC-then-encrypt (RFC 5246 §6.2.3.2), as with a server
  // that does not know the extension (`tls12 demo --no-etm` shows them).
  bool offer_encrypt_then_mac = true;
  // Without a store: still ask for a ticket (with session_tickets), so that
  // Client::session() has one to hand to the caller, who keeps sessions
  // itself and offers them per connection (Client::offer).
  bool keep_session = false;
  // Changes the ClientHello before it is sent and hashed: extra cipher suites,
  // padding (RFC 7685) or unknown extensions, to see how a server copes with
  // large or unusual hellos. The client still accepts from the server only
  // what it implements and configured.
  std::function<void(ClientHello&)> edit_client_hello;
};

struct ServerConfig : CommonConfig {
  CertifiedKey certificate;  // required: the server's chain and key
  // More chains, chosen per handshake by the client's server_name and by the
  // key types its suites and signature_algorithms accept (RFC 6066 §3,
  // handshake/certificate_selection.h). `certificate` is the default.
  std::vector<CertifiedKey> additional_certificates;
  // A server_name that no chain carries: unrecognized_name instead of the default.
  bool reject_unknown_server_name = false;
  // ALPN (RFC 7301): the protocols this server speaks, most preferred first;
  // empty: ALPN ignored. With alpn_required a client offering none of them,
  // or no ALPN at all, gets no_application_protocol.
  std::vector<std::string> alpn_protocols;
  bool alpn_required = false;
  // RFC 5246 §7.4.1.2 leaves the choice to the server: by default it picks its
  // own most preferred suite the client offers.
  bool prefer_server_cipher_order = true;
  ClientAuthentication client_authentication = ClientAuthentication::none;
  // Session resumption (docs/resumption.md). A cache enables session IDs, ticket
  // keys enable session tickets (RFC 5077); both may be shared by many servers
  // and threads. Neither: sessions are not resumable.
  std::shared_ptr<SessionCache> session_cache;
  std::shared_ptr<SessionTicketKeys> ticket_keys;
};

}  // namespace tls12::handshake
