// Hello extensions (RFC 5246 §7.4.1.4) and the ones tls12 understands:
//
//   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
//   Extension extensions<0..2^16-1>;     (at the end of ClientHello and ServerHello)
//
//   server_name (0)             RFC 6066 §3    the host the client wants
//   supported_groups (10)       RFC 8422 §5.1.1 / RFC 7919 §2 (was "elliptic_curves")
//   ec_point_formats (11)       RFC 8422 §5.1.2
//   signature_algorithms (13)   RFC 5246 §7.4.1.4.1
//   application_layer_protocol_negotiation (16)  RFC 7301 §3.1
//   encrypt_then_mac (22)       RFC 7366 §2
//   extended_master_secret (23) RFC 7627 §5.1
//   session_ticket (35)         RFC 5077 §3.2
//   supported_versions (43)     RFC 8446 §4.2.1 (recognised: a TLS 1.3 client still gets TLS 1.2)
//   renegotiation_info (0xff01) RFC 5746 §3.2
//
// Two layers. A message keeps its extensions as an `ExtensionList` of raw
// (type, data) pairs in wire order, so unknown extensions survive and a decoded
// message re-encodes byte for byte. `ClientHelloExtensions` and
// `ServerHelloExtensions` are the typed view the state machines work with:
// `parse()` decodes every known extension's data strictly, `to_list()` builds
// the raw list to send.
//
// Duplicates. RFC 5246 §7.4.1.4: "There MUST NOT be more than one extension of
// the same type." A block that repeats a type is not a well-formed extension
// block, so `read_extensions` rejects it with decode_error (as Go's crypto/tls
// and BoringSSL do; OpenSSL uses illegal_parameter).
//
// Unknown extensions. A server ignores extensions it does not know (RFC 5246
// §7.4.1.4); they stay in `unknown`. A client must reject any extension in
// ServerHello it did not offer with unsupported_extension (§7.4.1.4):
// `check_server_extensions_offered` does that check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/cipher_suites.h"
#include "record/codec.h"

namespace tls12::handshake {

enum class ExtensionType : uint16_t {
  server_name = 0,
  supported_groups = 10,
  ec_point_formats = 11,
  signature_algorithms = 13,
  application_layer_protocol_negotiation = 16,
  encrypt_then_mac = 22,
  extended_master_secret = 23,
  session_ticket = 35,
  supported_versions = 43,
  renegotiation_info = 0xff01,
};

// "server_name", ..., or "unknown(N)".
std::string extension_name(ExtensionType type);

// One extension as it travels: its type (any 16-bit value) and its opaque data.
struct Extension {
  ExtensionType type;
  Bytes data;
  bool operator==(const Extension&) const = default;
};
using ExtensionList = std::vector<Extension>;

// The extension block: `extensions<0..2^16-1>`. read_extensions reads the
// 2-byte length and the whole block (decode_error on a bad length, a truncated
// extension or a duplicated type). write_extensions writes the same.
ExtensionList read_extensions(record::Reader& reader);
void write_extensions(record::Writer& writer, const ExtensionList& extensions);

// The first extension of `type`, or nullptr.
const Extension* find_extension(const ExtensionList& extensions, ExtensionType type);

// ec_point_formats values (RFC 8422 §5.1.2): only uncompressed is allowed.
inline constexpr uint8_t ec_point_format_uncompressed = 0;

// ------------------------------------------------- one codec per extension data
// Each decoder reads the whole extension_data strictly (decode_error on bad
// lengths or trailing bytes); each encoder writes the extension_data.

// server_name, ClientHello form (RFC 6066 §3): ServerNameList with one
// host_name entry (name_type 0). Decoding returns the host_name; entries of
// other name types are skipped, two host_names are a decode_error
// ("The ServerNameList MUST NOT contain more than one name of the same name_type").
// A host_name that is well encoded but no DNS host name ("the fully qualified
// DNS hostname ... using ASCII encoding without a trailing dot": a control or
// non-ASCII byte, a NUL, an empty label, a trailing dot) is illegal_parameter:
// the bytes decode, the value is out of range (RFC 5246 §7.2.2), as tlsfuzzer
// expects. Deliberately stricter than OpenSSL, which refuses only a NUL (with
// unrecognized_name) and passes the rest to the application. Returns nullopt
// if the list holds no host_name. The ServerHello form is empty
// data (the server saw the name).
Bytes encode_server_name(std::string_view host_name);
std::optional<std::string> decode_server_name(ByteView data);

// supported_groups: NamedGroup named_group_list<2..2^16-1>.
Bytes encode_supported_groups(const std::vector<NamedGroup>& groups);
std::vector<NamedGroup> decode_supported_groups(ByteView data);

// ec_point_formats: ECPointFormat ec_point_format_list<1..2^8-1>.
Bytes encode_ec_point_formats(const Bytes& formats);
Bytes decode_ec_point_formats(ByteView data);

// signature_algorithms: SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>.
// Also the list inside CertificateRequest (same format).
Bytes encode_signature_algorithms(const std::vector<SignatureScheme>& schemes);
std::vector<SignatureScheme> decode_signature_algorithms(ByteView data);

// application_layer_protocol_negotiation: ProtocolName protocol_name_list<2..2^16-1>,
// ProtocolName = opaque<1..2^8-1>. The server's reply lists exactly one.
Bytes encode_alpn(const std::vector<std::string>& protocols);
std::vector<std::string> decode_alpn(ByteView data);

// renegotiation_info: opaque renegotiated_connection<0..255>. Empty on an
// initial handshake (RFC 5746 §3.4).
Bytes encode_renegotiation_info(ByteView renegotiated_connection);
Bytes decode_renegotiation_info(ByteView data);

// supported_versions, ClientHello form: ProtocolVersion versions<2..254>.
Bytes encode_supported_versions(const std::vector<uint16_t>& versions);
std::vector<uint16_t> decode_supported_versions(ByteView data);

// encrypt_then_mac, extended_master_secret and the server's session_ticket /
// server_name replies carry no data: anything else is a decode_error.
void expect_empty_extension(const Extension& extension);

// ------------------------------------------------------------- typed views

// What a ClientHello asks for. Absent extensions are nullopt/false.
struct ClientHelloExtensions {
  std::optional<std::string> server_name;
  std::optional<std::vector<NamedGroup>> supported_groups;
  std::optional<Bytes> ec_point_formats;
  std::optional<std::vector<SignatureScheme>> signature_algorithms;
  std::optional<std::vector<std::string>> alpn_protocols;
  bool encrypt_then_mac = false;
  bool extended_master_secret = false;
  std::optional<Bytes> renegotiation_info;  // renegotiated_connection
  std::optional<Bytes> session_ticket;      // the ticket (empty: "I support tickets")
  std::optional<std::vector<uint16_t>> supported_versions;
  ExtensionList unknown;  // everything else, kept and ignored

  // Decodes every known extension (decode_error on malformed data).
  static ClientHelloExtensions parse(const ExtensionList& extensions);
  // The list to send, known extensions in a fixed order, then `unknown`.
  ExtensionList to_list() const;
  bool operator==(const ClientHelloExtensions&) const = default;
};

// What a ServerHello answers.
struct ServerHelloExtensions {
  bool server_name = false;  // the server used the client's server_name (empty data)
  std::optional<Bytes> ec_point_formats;
  std::optional<std::string> alpn_protocol;  // exactly one name on the wire
  bool encrypt_then_mac = false;
  bool extended_master_secret = false;
  std::optional<Bytes> renegotiation_info;
  bool session_ticket = false;  // the server will send NewSessionTicket (empty data)
  ExtensionList unknown;        // a client must reject these (never offered)

  static ServerHelloExtensions parse(const ExtensionList& extensions);
  ExtensionList to_list() const;
  bool operator==(const ServerHelloExtensions&) const = default;
};

// RFC 5246 §7.4.1.4: "If a client receives an extension type in ServerHello
// that it did not request in the associated ClientHello, it MUST abort the
// handshake with an unsupported_extension fatal alert." `offered` is the
// ClientHello's list; `scsv_sent` says the client sent
// TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which counts as offering
// renegotiation_info (RFC 5746 §3.4). Throws TlsError(unsupported_extension).
void check_server_extensions_offered(const ExtensionList& offered, bool scsv_sent,
                                     const ExtensionList& received);

}  // namespace tls12::handshake
