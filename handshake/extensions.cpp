// Hello extensions: the extension block of RFC 5246 §7.4.1.4 and the data of
// each extension tls12 understands (see extensions.h for the list and RFCs).
//
// Every decoder reads the extension_data with a Reader of its own and ends with
// expect_end(), so an extension whose inner lengths disagree with its outer
// length is a decode_error, never a silent partial read.
#include "handshake/extensions.h"

#include <algorithm>
#include <vector>

namespace tls12::handshake {

using record::AlertDescription;
using record::Reader;
using record::TlsError;
using record::Writer;

std::string extension_name(ExtensionType type) {
  switch (type) {
    case ExtensionType::server_name: return "server_name";
    case ExtensionType::supported_groups: return "supported_groups";
    case ExtensionType::ec_point_formats: return "ec_point_formats";
    case ExtensionType::signature_algorithms: return "signature_algorithms";
    case ExtensionType::application_layer_protocol_negotiation:
      return "application_layer_protocol_negotiation";
    case ExtensionType::encrypt_then_mac: return "encrypt_then_mac";
    case ExtensionType::extended_master_secret: return "extended_master_secret";
    case ExtensionType::session_ticket: return "session_ticket";
    case ExtensionType::supported_versions: return "supported_versions";
    case ExtensionType::renegotiation_info: return "renegotiation_info";
  }
  return "unknown(" + std::to_string(static_cast<uint16_t>(type)) + ")";
}

// ---------------------------------------------------------- the extension block

ExtensionList read_extensions(Reader& reader) {
  Reader block(reader.vector16(0, 0xffff), "extension block");
  ExtensionList list;
  // One bit per extension type: a block may hold 16,383 empty extensions, and
  // searching the list for each would be quadratic work for the peer to ask.
  std::vector<bool> seen(0x10000);
  while (!block.empty()) {
    const uint16_t code = block.u16();
    auto type = static_cast<ExtensionType>(code);
    ByteView data = block.vector16(0, 0xffff);
    if (seen[code]) block.fail("repeats the " + extension_name(type) + " extension");
    seen[code] = true;
    list.push_back({type, Bytes(data.begin(), data.end())});
  }
  return list;
}

void write_extensions(Writer& writer, const ExtensionList& extensions) {
  writer.vector16([&](Writer& w) {
    for (const auto& extension : extensions) {
      w.u16(static_cast<uint16_t>(extension.type));
      w.vector16(extension.data);
    }
  });
}

const Extension* find_extension(const ExtensionList& extensions, ExtensionType type) {
  for (const auto& extension : extensions)
    if (extension.type == type) return &extension;
  return nullptr;
}

// ------------------------------------------------------------- server_name

namespace {

constexpr uint8_t name_type_host_name = 0;  // RFC 6066 §3

// RFC 6066 §3: printable ASCII, dot-separated labels, none empty (so no
// leading, doubled or trailing dot).
void check_host_name(std::string_view name) {
  bool label_empty = true;
  for (char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f)
      throw TlsError(AlertDescription::illegal_parameter,
                     "server_name holds byte " + std::to_string(byte) + ", which no ASCII host name has");
    if (c == '.' && label_empty)
      throw TlsError(AlertDescription::illegal_parameter, "server_name \"" + std::string(name) + "\" has an empty label");
    label_empty = c == '.';
  }
  if (label_empty)
    throw TlsError(AlertDescription::illegal_parameter,
                   "server_name \"" + std::string(name) + "\" ends with a dot or is empty (RFC 6066 §3)");
}

}  // namespace

Bytes encode_server_name(std::string_view host_name) {
  Writer w;
  w.vector16([&](Writer& list) {
    list.u8(name_type_host_name);
    list.vector16(as_bytes(host_name));  // HostName = opaque<1..2^16-1>
  });
  return w.take();
}

std::optional<std::string> decode_server_name(ByteView data) {
  Reader outer(data, "server_name extension");
  Reader list(outer.vector16(1, 0xffff), "server_name list");
  outer.expect_end();
  std::optional<std::string> host_name;
  while (!list.empty()) {
    uint8_t name_type = list.u8();
    // Every name type defined so far has the opaque<1..2^16-1> shape, so an
    // unknown one can be skipped.
    ByteView name = list.vector16(1, 0xffff);
    if (name_type != name_type_host_name) continue;
    if (host_name) list.fail("holds two host_name entries");
    host_name.emplace(name.begin(), name.end());
  }
  if (host_name) check_host_name(*host_name);
  return host_name;
}

// ------------------------------------------------------------- supported_groups

Bytes encode_supported_groups(const std::vector<NamedGroup>& groups) {
  Writer w;
  w.vector16([&](Writer& list) {
    for (NamedGroup group : groups) list.u16(static_cast<uint16_t>(group));
  });
  return w.take();
}

namespace {
// A vector of uint16 values: its byte length must be even.
std::vector<uint16_t> read_u16_list(Reader& reader, size_t floor, size_t ceiling) {
  ByteView bytes = reader.vector16(floor, ceiling);
  if (bytes.size() % 2 != 0) reader.fail("has a list of 2-byte values with an odd length");
  Reader items(bytes);
  std::vector<uint16_t> out;
  while (!items.empty()) out.push_back(items.u16());
  return out;
}

template <class Enum>
std::vector<Enum> read_enum_list(ByteView data, std::string_view what, size_t floor,
                                 size_t ceiling) {
  Reader reader(data, std::string(what));
  std::vector<Enum> out;
  for (uint16_t value : read_u16_list(reader, floor, ceiling)) out.push_back(static_cast<Enum>(value));
  reader.expect_end();
  return out;
}
}  // namespace

std::vector<NamedGroup> decode_supported_groups(ByteView data) {
  return read_enum_list<NamedGroup>(data, "supported_groups extension", 2, 0xffff);
}

// ------------------------------------------------------------- ec_point_formats

Bytes encode_ec_point_formats(const Bytes& formats) {
  Writer w;
  w.vector8(formats);
  return w.take();
}

Bytes decode_ec_point_formats(ByteView data) {
  Reader reader(data, "ec_point_formats extension");
  ByteView formats = reader.vector8(1, 0xff);
  reader.expect_end();
  return Bytes(formats.begin(), formats.end());
}

// --------------------------------------------------------- signature_algorithms

Bytes encode_signature_algorithms(const std::vector<SignatureScheme>& schemes) {
  Writer w;
  w.vector16([&](Writer& list) {
    for (SignatureScheme scheme : schemes) list.u16(static_cast<uint16_t>(scheme));
  });
  return w.take();
}

std::vector<SignatureScheme> decode_signature_algorithms(ByteView data) {
  return read_enum_list<SignatureScheme>(data, "signature_algorithms", 2, 0xfffe);
}

// ------------------------------------------------------------------------ ALPN

Bytes encode_alpn(const std::vector<std::string>& protocols) {
  Writer w;
  w.vector16([&](Writer& list) {
    for (const auto& protocol : protocols) list.vector8(as_bytes(protocol));
  });
  return w.take();
}

std::vector<std::string> decode_alpn(ByteView data) {
  Reader outer(data, "application_layer_protocol_negotiation extension");
  Reader list(outer.vector16(2, 0xffff), "ALPN protocol_name_list");
  outer.expect_end();
  std::vector<std::string> protocols;
  while (!list.empty()) {
    ByteView name = list.vector8(1, 0xff);  // empty names are forbidden (RFC 7301 §3.1)
    protocols.emplace_back(name.begin(), name.end());
  }
  return protocols;
}

// ---------------------------------------------------------- renegotiation_info

Bytes encode_renegotiation_info(ByteView renegotiated_connection) {
  Writer w;
  w.vector8(renegotiated_connection);
  return w.take();
}

Bytes decode_renegotiation_info(ByteView data) {
  Reader reader(data, "renegotiation_info extension");
  ByteView value = reader.vector8(0, 0xff);
  reader.expect_end();
  return Bytes(value.begin(), value.end());
}

// ---------------------------------------------------------- supported_versions

Bytes encode_supported_versions(const std::vector<uint16_t>& versions) {
  Writer w;
  w.vector8([&](Writer& list) {
    for (uint16_t version : versions) list.u16(version);
  });
  return w.take();
}

std::vector<uint16_t> decode_supported_versions(ByteView data) {
  Reader reader(data, "supported_versions extension");
  ByteView bytes = reader.vector8(2, 254);
  reader.expect_end();
  if (bytes.size() % 2 != 0) reader.fail("has a version list with an odd length");
  Reader items(bytes);
  std::vector<uint16_t> versions;
  while (!items.empty()) versions.push_back(items.u16());
  return versions;
}

void expect_empty_extension(const Extension& extension) {
  if (!extension.data.empty())
    throw TlsError(AlertDescription::decode_error,
                   "the " + extension_name(extension.type) + " extension must be empty, it has " +
                       std::to_string(extension.data.size()) + " bytes");
}

// ------------------------------------------------------------- typed views

ClientHelloExtensions ClientHelloExtensions::parse(const ExtensionList& extensions) {
  ClientHelloExtensions out;
  for (const auto& ext : extensions) {
    switch (ext.type) {
      case ExtensionType::server_name:
        out.server_name = decode_server_name(ext.data);
        // A list with only unknown name types asks for no host name.
        if (!out.server_name) out.unknown.push_back(ext);
        break;
      case ExtensionType::supported_groups:
        out.supported_groups = decode_supported_groups(ext.data);
        break;
      case ExtensionType::ec_point_formats:
        out.ec_point_formats = decode_ec_point_formats(ext.data);
        break;
      case ExtensionType::signature_algorithms:
        out.signature_algorithms = decode_signature_algorithms(ext.data);
        break;
      case ExtensionType::application_layer_protocol_negotiation:
        out.alpn_protocols = decode_alpn(ext.data);
        break;
      case ExtensionType::encrypt_then_mac:
        expect_empty_extension(ext);  // RFC 7366 §2: "extension_data field ... empty"
        out.encrypt_then_mac = true;
        break;
      case ExtensionType::extended_master_secret:
        expect_empty_extension(ext);
        out.extended_master_secret = true;
        break;
      case ExtensionType::renegotiation_info:
        out.renegotiation_info = decode_renegotiation_info(ext.data);
        break;
      case ExtensionType::session_ticket:
        out.session_ticket = ext.data;  // the whole data is the ticket (RFC 5077 §3.2)
        break;
      case ExtensionType::supported_versions:
        out.supported_versions = decode_supported_versions(ext.data);
        break;
      default:
        out.unknown.push_back(ext);
    }
  }
  return out;
}

ExtensionList ClientHelloExtensions::to_list() const {
  ExtensionList list;
  if (server_name) list.push_back({ExtensionType::server_name, encode_server_name(*server_name)});
  if (supported_groups)
    list.push_back({ExtensionType::supported_groups, encode_supported_groups(*supported_groups)});
  if (ec_point_formats)
    list.push_back({ExtensionType::ec_point_formats, encode_ec_point_formats(*ec_point_formats)});
  if (signature_algorithms)
    list.push_back({ExtensionType::signature_algorithms,
                    encode_signature_algorithms(*signature_algorithms)});
  if (alpn_protocols)
    list.push_back({ExtensionType::application_layer_protocol_negotiation,
                    encode_alpn(*alpn_protocols)});
  if (encrypt_then_mac) list.push_back({ExtensionType::encrypt_then_mac, {}});
  if (extended_master_secret) list.push_back({ExtensionType::extended_master_secret, {}});
  if (session_ticket) list.push_back({ExtensionType::session_ticket, *session_ticket});
  if (supported_versions)
    list.push_back(
        {ExtensionType::supported_versions, encode_supported_versions(*supported_versions)});
  if (renegotiation_info)
    list.push_back(
        {ExtensionType::renegotiation_info, encode_renegotiation_info(*renegotiation_info)});
  list.insert(list.end(), unknown.begin(), unknown.end());
  return list;
}

ServerHelloExtensions ServerHelloExtensions::parse(const ExtensionList& extensions) {
  ServerHelloExtensions out;
  for (const auto& ext : extensions) {
    switch (ext.type) {
      case ExtensionType::server_name:
        expect_empty_extension(ext);  // RFC 6066 §3: "extension_data field ... SHALL be empty"
        out.server_name = true;
        break;
      case ExtensionType::ec_point_formats:
        out.ec_point_formats = decode_ec_point_formats(ext.data);
        break;
      case ExtensionType::application_layer_protocol_negotiation: {
        auto protocols = decode_alpn(ext.data);
        // RFC 7301 §3.1: the server's list "MUST contain exactly one" name.
        if (protocols.size() != 1)
          throw TlsError(AlertDescription::decode_error,
                         "ServerHello ALPN extension must name exactly one protocol");
        out.alpn_protocol = protocols.front();
        break;
      }
      case ExtensionType::encrypt_then_mac:
        expect_empty_extension(ext);  // RFC 7366 §2: "extension_data field ... empty"
        out.encrypt_then_mac = true;
        break;
      case ExtensionType::extended_master_secret:
        expect_empty_extension(ext);
        out.extended_master_secret = true;
        break;
      case ExtensionType::renegotiation_info:
        out.renegotiation_info = decode_renegotiation_info(ext.data);
        break;
      case ExtensionType::session_ticket:
        expect_empty_extension(ext);  // RFC 5077 §3.2
        out.session_ticket = true;
        break;
      default:
        out.unknown.push_back(ext);
    }
  }
  return out;
}

ExtensionList ServerHelloExtensions::to_list() const {
  ExtensionList list;
  if (server_name) list.push_back({ExtensionType::server_name, {}});
  if (ec_point_formats)
    list.push_back({ExtensionType::ec_point_formats, encode_ec_point_formats(*ec_point_formats)});
  if (alpn_protocol)
    list.push_back({ExtensionType::application_layer_protocol_negotiation,
                    encode_alpn({*alpn_protocol})});
  if (encrypt_then_mac) list.push_back({ExtensionType::encrypt_then_mac, {}});
  if (extended_master_secret) list.push_back({ExtensionType::extended_master_secret, {}});
  if (session_ticket) list.push_back({ExtensionType::session_ticket, {}});
  if (renegotiation_info)
    list.push_back(
        {ExtensionType::renegotiation_info, encode_renegotiation_info(*renegotiation_info)});
  list.insert(list.end(), unknown.begin(), unknown.end());
  return list;
}

void check_server_extensions_offered(const ExtensionList& offered, bool scsv_sent,
                                     const ExtensionList& received) {
  for (const auto& ext : received) {
    bool was_offered = find_extension(offered, ext.type) != nullptr ||
                       (ext.type == ExtensionType::renegotiation_info && scsv_sent);
    if (!was_offered)
      throw TlsError(AlertDescription::unsupported_extension,
                     "ServerHello carries the " + extension_name(ext.type) +
                         " extension, which the ClientHello did not offer");
  }
}

}  // namespace tls12::handshake
