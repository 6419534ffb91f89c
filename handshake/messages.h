// Handshake messages of TLS 1.2 (RFC 5246 §7.4) and NewSessionTicket
// (RFC 5077 §3.3): their fields as plain structs, and their wire format.
//
//   struct {
//       HandshakeType msg_type;    /* handshake type */
//       uint24 length;             /* bytes in message */
//       select (HandshakeType) { ... } body;
//   } Handshake;                                     (RFC 5246 §7.4)
//
// Convention used by every message here:
//   - `encode()` returns the whole Handshake message: the 4-byte header
//     (msg_type, uint24 length) and the body. That is what is sent in
//     handshake records and what goes into the transcript (handshake_messages
//     of §7.4.9 includes the headers).
//   - `encode_body()` returns the body alone.
//   - `static X decode(ByteView body)` decodes a body (the header already
//     split off by record::HandshakeReassembler or `split_handshake`). Decoding is
//     strict: a short body, a vector length outside the RFC's range, or
//     trailing bytes is TlsError(decode_error). Because decoding is strict and
//     every field is kept, `decode(b).encode_body() == b` for any body that
//     decodes (one exception: an empty extension block "00 00" at the end of a
//     hello re-encodes as no block at all, which the RFC treats as the same).
//   - Structs compare with ==, for tests.
//
// ServerKeyExchange and ClientKeyExchange have one shape per key exchange
// (RSA, DHE, ECDHE), and nothing in their bytes says which: the decoder is
// told the negotiated suite's KeyExchange.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "handshake/extensions.h"

namespace tls12::handshake {

// HandshakeType (RFC 5246 §7.4, RFC 5077 §3.3).
enum class HandshakeType : uint8_t {
  hello_request = 0,
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  certificate = 11,
  server_key_exchange = 12,
  certificate_request = 13,
  server_hello_done = 14,
  certificate_verify = 15,
  client_key_exchange = 16,
  finished = 20,
};

// "ClientHello", "ServerKeyExchange", ..., or "unknown(N)".
std::string handshake_type_name(HandshakeType type);

// ProtocolVersion {uint8 major; uint8 minor;} as one uint16: TLS 1.2 is {3,3}.
using ProtocolVersion = uint16_t;
inline constexpr ProtocolVersion TLS1_0 = 0x0301;
inline constexpr ProtocolVersion TLS1_2 = 0x0303;
inline constexpr ProtocolVersion TLS1_3 = 0x0304;

// Random (RFC 5246 §7.4.1.2): 32 bytes (the RFC's gmt_unix_time + random_bytes;
// modern peers fill all 32 with random bytes).
using Random = std::array<uint8_t, 32>;

// CompressionMethod: only null (0) exists in practice (RFC 5246 §7.4.1.2).
inline constexpr uint8_t compression_null = 0;

// Handshake message framing ---------------------------------------------------

// The 4-byte header in front of each body. Reassembling messages from records
// is the record layer's job (record/handshake_reassembler.h); these two helpers
// frame and unframe one whole message.
inline constexpr size_t handshake_header_size = 4;

// header + body.
Bytes wrap_handshake(HandshakeType type, ByteView body);

// Exactly one message (header + body, nothing after) split into its type and
// body (a view into `message`). decode_error if the length field disagrees
// with the size.
struct HandshakeParts {
  HandshakeType type;
  ByteView body;
};
HandshakeParts split_handshake(ByteView message);

// Messages ----------------------------------------------------------------------

// HelloRequest (§7.4.1.1): empty body; the server asks the client to renegotiate.
struct HelloRequest {
  static constexpr HandshakeType type = HandshakeType::hello_request;
  Bytes encode_body() const;
  Bytes encode() const;
  static HelloRequest decode(ByteView body);
  bool operator==(const HelloRequest&) const = default;
};

// ClientHello (§7.4.1.2):
//   ProtocolVersion client_version; Random random; SessionID session_id<0..32>;
//   CipherSuite cipher_suites<2..2^16-2>; CompressionMethod compression_methods<1..2^8-1>;
//   select (extensions_present) { case true: Extension extensions<0..2^16-1>; };
struct ClientHello {
  static constexpr HandshakeType type = HandshakeType::client_hello;
  ProtocolVersion client_version = TLS1_2;
  Random random{};
  Bytes session_id;
  std::vector<CipherSuite> cipher_suites;
  Bytes compression_methods{compression_null};
  ExtensionList extensions;  // written only when not empty

  bool offers(CipherSuite suite) const;
  Bytes encode_body() const;
  Bytes encode() const;
  static ClientHello decode(ByteView body);
  bool operator==(const ClientHello&) const = default;
};

// ServerHello (§7.4.1.3):
//   ProtocolVersion server_version; Random random; SessionID session_id<0..32>;
//   CipherSuite cipher_suite; CompressionMethod compression_method;
//   select (extensions_present) { case true: Extension extensions<0..2^16-1>; };
struct ServerHello {
  static constexpr HandshakeType type = HandshakeType::server_hello;
  ProtocolVersion server_version = TLS1_2;
  Random random{};
  Bytes session_id;
  CipherSuite cipher_suite = 0;
  uint8_t compression_method = compression_null;
  ExtensionList extensions;  // written only when not empty

  Bytes encode_body() const;
  Bytes encode() const;
  static ServerHello decode(ByteView body);
  bool operator==(const ServerHello&) const = default;
};

// Certificate (§7.4.2): ASN.1Cert certificate_list<0..2^24-1>, each
// ASN.1Cert = opaque<1..2^24-1>, the sender's certificate first. The DER blobs
// are kept as received; x509/ parses them. An empty list is a client with no
// certificate (§7.4.6).
struct Certificate {
  static constexpr HandshakeType type = HandshakeType::certificate;
  std::vector<Bytes> certificate_list;

  Bytes encode_body() const;
  Bytes encode() const;
  static Certificate decode(ByteView body);
  bool operator==(const Certificate&) const = default;
};

// digitally-signed struct (§4.7 with §7.4.1.4.1): the algorithm pair, then
// opaque signature<0..2^16-1>.
struct DigitallySigned {
  SignatureScheme algorithm{};
  Bytes signature;
  bool operator==(const DigitallySigned&) const = default;
};

// ServerECDHParams (RFC 4492 §5.4 / RFC 8422 §5.4): ECParameters with
// curve_type named_curve (3) and the NamedCurve, then ECPoint public<1..2^8-1>.
// explicit_prime/explicit_char2 curves are refused (illegal_parameter).
struct ServerEcdhParams {
  NamedGroup named_curve{};
  Bytes public_key;  // for x25519, the 32-byte u-coordinate (RFC 8422 §5.11)
  bool operator==(const ServerEcdhParams&) const = default;
};
inline constexpr uint8_t ec_curve_type_named_curve = 3;

// ServerDHParams (§7.4.3): opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>;
// opaque dh_Ys<1..2^16-1>; big-endian integers.
struct ServerDhParams {
  Bytes dh_p;
  Bytes dh_g;
  Bytes dh_Ys;
  bool operator==(const ServerDhParams&) const = default;
};

// ServerKeyExchange (§7.4.3) for DHE and ECDHE suites: the params, then
// digitally-signed { client_random + server_random + params }.
struct ServerKeyExchange {
  static constexpr HandshakeType type = HandshakeType::server_key_exchange;
  std::variant<ServerEcdhParams, ServerDhParams> params;
  DigitallySigned signed_params;

  KeyExchange key_exchange() const;  // ecdhe or dhe, from the variant
  // The params bytes exactly as on the wire (decoding is strict, so these are
  // the bytes the peer signed).
  Bytes encode_params() const;
  // What the signature covers (§7.4.3): ClientHello.random + ServerHello.random + params.
  Bytes signed_content(const Random& client_random, const Random& server_random) const;

  Bytes encode_body() const;
  Bytes encode() const;
  // `key_exchange` must be dhe or ecdhe (an RSA suite has no ServerKeyExchange:
  // receiving one is the state machine's unexpected_message).
  static ServerKeyExchange decode(ByteView body, KeyExchange key_exchange);
  bool operator==(const ServerKeyExchange&) const = default;
};

// ClientCertificateType (§7.4.4).
enum class ClientCertificateType : uint8_t { rsa_sign = 1, dss_sign = 2, ecdsa_sign = 64 };

// CertificateRequest (§7.4.4):
//   ClientCertificateType certificate_types<1..2^8-1>;
//   SignatureAndHashAlgorithm supported_signature_algorithms<2^16-1>;  (<2..2^16-2>)
//   DistinguishedName certificate_authorities<0..2^16-1>; DistinguishedName = opaque<1..2^16-1>;
struct CertificateRequest {
  static constexpr HandshakeType type = HandshakeType::certificate_request;
  std::vector<ClientCertificateType> certificate_types;
  std::vector<SignatureScheme> supported_signature_algorithms;
  std::vector<Bytes> certificate_authorities;  // DER Names

  Bytes encode_body() const;
  Bytes encode() const;
  static CertificateRequest decode(ByteView body);
  bool operator==(const CertificateRequest&) const = default;
};

// ServerHelloDone (§7.4.5): empty body.
struct ServerHelloDone {
  static constexpr HandshakeType type = HandshakeType::server_hello_done;
  Bytes encode_body() const;
  Bytes encode() const;
  static ServerHelloDone decode(ByteView body);
  bool operator==(const ServerHelloDone&) const = default;
};

// CertificateVerify (§7.4.8): digitally-signed { handshake_messages } — the
// signature covers every handshake message so far, raw (Transcript::messages()).
struct CertificateVerify {
  static constexpr HandshakeType type = HandshakeType::certificate_verify;
  DigitallySigned signature;

  Bytes encode_body() const;
  Bytes encode() const;
  static CertificateVerify decode(ByteView body);
  bool operator==(const CertificateVerify&) const = default;
};

// ClientKeyExchange (§7.4.7), exchange_keys by key exchange:
//   rsa:   EncryptedPreMasterSecret, opaque<0..2^16-1> (TLS 1.0+ always has the
//          2-byte length, §7.4.7.1)
//   dhe:   ClientDiffieHellmanPublic, opaque dh_Yc<1..2^16-1> (explicit form, §7.4.7.2)
//   ecdhe: ClientECDiffieHellmanPublic, ECPoint ecdh_Yc<1..2^8-1> (RFC 8422 §5.7)
struct ClientKeyExchange {
  static constexpr HandshakeType type = HandshakeType::client_key_exchange;
  KeyExchange key_exchange = KeyExchange::ecdhe;
  Bytes exchange_keys;  // the encrypted premaster, dh_Yc, or ecdh_Yc (without length)

  Bytes encode_body() const;
  Bytes encode() const;
  static ClientKeyExchange decode(ByteView body, KeyExchange key_exchange);
  bool operator==(const ClientKeyExchange&) const = default;
};

// Finished (§7.4.9): opaque verify_data[verify_data_length], 12 bytes for every
// TLS 1.2 suite tls12 knows.
inline constexpr size_t verify_data_length = 12;
struct Finished {
  static constexpr HandshakeType type = HandshakeType::finished;
  std::array<uint8_t, verify_data_length> verify_data{};

  Bytes encode_body() const;
  Bytes encode() const;
  static Finished decode(ByteView body);
  bool operator==(const Finished&) const = default;
};

// NewSessionTicket (RFC 5077 §3.3):
//   uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>;
struct NewSessionTicket {
  static constexpr HandshakeType type = HandshakeType::new_session_ticket;
  uint32_t ticket_lifetime_hint = 0;  // seconds; 0 = unspecified
  Bytes ticket;

  Bytes encode_body() const;
  Bytes encode() const;
  static NewSessionTicket decode(ByteView body);
  bool operator==(const NewSessionTicket&) const = default;
};

}  // namespace tls12::handshake
