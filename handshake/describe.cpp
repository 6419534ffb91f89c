// Handshake messages as named fields for traces (see describe.h). The fields
// follow the structures of RFC 5246 §7.4 in wire order; each carries its exact
// bytes, found by walking the message with the same Reader the decoders use.
#include "handshake/describe.h"

#include <cstdio>

#include "handshake/dhe.h"
#include "handshake/messages.h"
#include "record/codec.h"
#include "x509/certificate.h"

namespace tls12::handshake {
namespace {

using record::Reader;

// A value's name, or its GREASE name (RFC 8701) where the RFC's own naming
// function would only say "unknown".
template <class T, class F>
std::string name_or_grease(T value, F name) {
  const auto raw = static_cast<uint16_t>(value);
  return is_grease(raw) ? grease_name(raw) : name(value);
}

std::string version_text(uint16_t v) {
  if (is_grease(v)) return grease_name(v);
  std::string name = v == TLS1_2 ? "TLS 1.2" : v == TLS1_0 ? "TLS 1.0" : v == 0x0302 ? "TLS 1.1"
                     : v == TLS1_3 ? "TLS 1.3" : "unknown";
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%04x", v);
  return name + " (" + hex + ")";
}

// Records the bytes a Reader consumed between mark() and field().
class FieldWalker {
 public:
  FieldWalker(ByteView body, std::vector<Field>& out) : body_(body), reader_(body, "message"), out_(out) {}
  Reader& reader() { return reader_; }
  void mark() { start_ = reader_.offset(); }
  void field(std::string name, std::string value) {
    ByteView raw = body_.subspan(start_, reader_.offset() - start_);
    out_.push_back(Field{std::move(name), std::move(value), Bytes(raw.begin(), raw.end())});
  }

 private:
  ByteView body_;
  Reader reader_;
  std::vector<Field>& out_;
  size_t start_ = 0;
};

template <class T, class F>
std::string join(const std::vector<T>& items, F name) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + name(item);
  return out;
}

// ALPN's protocol_name_list (RFC 7301 §3.1); a two-byte name of a GREASE
// value is named so (RFC 8701 §2).
std::string alpn_text(ByteView data) {
  return join(decode_alpn(data), [](const std::string& name) {
    const auto value = name.size() == 2 ? static_cast<uint16_t>(uint8_t(name[0]) << 8 | uint8_t(name[1])) : 0;
    return name.size() == 2 && is_grease(value) ? grease_name(value) : name;
  });
}

// supported_versions (RFC 8446 §4.2.1): a client's list versions<2..254>, or
// a server's single selected_version.
std::string versions_text(ByteView data) {
  if (data.size() == 2) return version_text(static_cast<uint16_t>(data[0] << 8 | data[1]));
  return join(decode_supported_versions(data), version_text);
}

// An extension's contents are described best-effort: when they do not
// decode, only their size is shown.
std::string decoded_or_size(std::string (*text)(ByteView), ByteView data) {
  try {
    return text(data);
  } catch (const std::exception&) {
    return std::to_string(data.size()) + " bytes";
  }
}

void describe_extensions(FieldWalker& walk, std::vector<Field>& out) {
  if (walk.reader().empty()) return;
  walk.mark();
  ByteView block = walk.reader().vector16(0, 65535);
  walk.field("extensions", std::to_string(block.size()) + " bytes");
  Reader r(block, "extensions");
  while (!r.empty()) {
    size_t start = r.offset();
    const uint16_t type_value = r.u16();
    auto type = static_cast<ExtensionType>(type_value);
    ByteView data = r.vector16(0, 65535);
    ByteView raw = block.subspan(start, r.offset() - start);
    std::string value = std::to_string(data.size()) + " bytes";
    if (type == ExtensionType::server_name) {
      if (data.empty()) value = "(acknowledged)";
      else if (auto name = decode_server_name(data)) value = *name;
    } else if (type == ExtensionType::supported_groups) {
      value = join(decode_supported_groups(data), [](NamedGroup g) { return name_or_grease(g, named_group_name); });
    } else if (type == ExtensionType::signature_algorithms) {
      value = join(decode_signature_algorithms(data),
                   [](SignatureScheme s) { return name_or_grease(s, signature_scheme_name); });
    } else if (type == ExtensionType::application_layer_protocol_negotiation && !data.empty()) {
      value = decoded_or_size(alpn_text, data);
    } else if (type == ExtensionType::supported_versions && !data.empty()) {
      value = decoded_or_size(versions_text, data);
    } else if (type == ExtensionType::ec_point_formats) {
      value = join(decode_ec_point_formats(data), [](uint8_t f) {
        return f == ec_point_format_uncompressed ? std::string("uncompressed") : std::to_string(f);
      });
    } else if (type == ExtensionType::renegotiation_info) {
      Bytes connection = decode_renegotiation_info(data);
      value = connection.empty() ? "renegotiated_connection: (empty, initial handshake)" : to_hex(connection);
    } else if (data.empty()) {
      value = "(empty)";
    }
    const std::string name = is_grease(type_value) ? grease_name(type_value) : extension_name(type);
    out.push_back(Field{"extensions." + name, value, Bytes(raw.begin(), raw.end())});
  }
}

void describe_hello(FieldWalker& walk, std::vector<Field>& out, bool client) {
  Reader& r = walk.reader();
  walk.mark();
  uint16_t version = r.u16();
  walk.field(client ? "client_version" : "server_version", version_text(version));
  walk.mark();
  ByteView random = r.bytes(32);
  walk.field("random", to_hex(random));
  walk.mark();
  ByteView session_id = r.vector8(0, 32);
  walk.field("session_id", session_id.empty() ? "(empty)" : to_hex(session_id));
  walk.mark();
  if (client) {
    ByteView suites = r.vector16(2, 65534);
    std::string names;
    for (size_t i = 0; i + 1 < suites.size(); i += 2)
      names += (names.empty() ? "" : ", ") + name_or_grease(static_cast<CipherSuite>(suites[i] << 8 | suites[i + 1]), cipher_suite_name);
    walk.field("cipher_suites", names);
    walk.mark();
    ByteView methods = r.vector8(1, 255);
    walk.field("compression_methods", to_hex(methods));
  } else {
    walk.field("cipher_suite", name_or_grease(r.u16(), cipher_suite_name));
    walk.mark();
    walk.field("compression_method", std::to_string(r.u8()));
  }
  describe_extensions(walk, out);
}

void describe_body(HandshakeType type, ByteView body, std::optional<KeyExchange> kex, std::vector<Field>& out) {
  FieldWalker walk(body, out);
  switch (type) {
    case HandshakeType::client_hello: return describe_hello(walk, out, true);
    case HandshakeType::server_hello: return describe_hello(walk, out, false);
    case HandshakeType::certificate: {
      Certificate msg = Certificate::decode(body);
      if (msg.certificate_list.empty()) out.push_back(Field{"certificate_list", "(empty: no certificate)", {}});
      for (size_t i = 0; i < msg.certificate_list.size(); ++i) {
        std::string value = std::to_string(msg.certificate_list[i].size()) + " bytes";
        try {
          value = x509::Certificate::parse(msg.certificate_list[i]).subject.to_string() + " (" + value + ")";
        } catch (const std::exception&) {
        }
        out.push_back(Field{"certificate_list[" + std::to_string(i) + "]", value, msg.certificate_list[i]});
      }
      return;
    }
    case HandshakeType::server_key_exchange: {
      if (!kex) return;
      ServerKeyExchange msg = ServerKeyExchange::decode(body, *kex);
      if (const auto* ecdh = std::get_if<ServerEcdhParams>(&msg.params)) {
        out.push_back(Field{"params.named_curve", named_group_name(ecdh->named_curve), {}});
        out.push_back(Field{"params.public", to_hex(ecdh->public_key), ecdh->public_key});
      }
      if (const auto* dh = std::get_if<ServerDhParams>(&msg.params)) {
        auto group = named_ffdhe_group(dh->dh_p);
        out.push_back(Field{"params.dh_p", group ? named_group_name(*group) : to_hex(dh->dh_p), dh->dh_p});
        out.push_back(Field{"params.dh_g", to_hex(dh->dh_g), dh->dh_g});
        out.push_back(Field{"params.dh_Ys", to_hex(dh->dh_Ys), dh->dh_Ys});
      }
      out.push_back(Field{"signed_params.algorithm", signature_scheme_name(msg.signed_params.algorithm), {}});
      out.push_back(Field{"signed_params.signature", std::to_string(msg.signed_params.signature.size()) + " bytes",
                          msg.signed_params.signature});
      return;
    }
    case HandshakeType::certificate_request: {
      CertificateRequest msg = CertificateRequest::decode(body);
      out.push_back(Field{"certificate_types", join(msg.certificate_types, [](ClientCertificateType t) {
                            return t == ClientCertificateType::rsa_sign     ? std::string("rsa_sign")
                                   : t == ClientCertificateType::ecdsa_sign ? std::string("ecdsa_sign")
                                                                            : std::to_string(static_cast<int>(t));
                          }), {}});
      out.push_back(Field{"supported_signature_algorithms",
                          join(msg.supported_signature_algorithms, signature_scheme_name), {}});
      for (const Bytes& name : msg.certificate_authorities) {
        std::string text = to_hex(name);
        try {
          text = x509::parse_name(name).to_string();
        } catch (const std::exception&) {
        }
        out.push_back(Field{"certificate_authorities", text, name});
      }
      return;
    }
    case HandshakeType::certificate_verify: {
      CertificateVerify msg = CertificateVerify::decode(body);
      out.push_back(Field{"algorithm", signature_scheme_name(msg.signature.algorithm), {}});
      out.push_back(Field{"signature", std::to_string(msg.signature.signature.size()) + " bytes",
                          msg.signature.signature});
      return;
    }
    case HandshakeType::client_key_exchange: {
      if (!kex) return;
      ClientKeyExchange msg = ClientKeyExchange::decode(body, *kex);
      out.push_back(Field{*kex == KeyExchange::rsa   ? "exchange_keys.EncryptedPreMasterSecret"
                          : *kex == KeyExchange::dhe ? "exchange_keys.dh_Yc"
                                                     : "exchange_keys.ecdh_Yc",
                          to_hex(msg.exchange_keys), msg.exchange_keys});
      return;
    }
    case HandshakeType::finished: {
      Finished msg = Finished::decode(body);
      out.push_back(Field{"verify_data", to_hex(msg.verify_data), Bytes(msg.verify_data.begin(), msg.verify_data.end())});
      return;
    }
    default:
      return;
  }
}

}  // namespace

bool is_grease(uint16_t value) { return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff); }

std::string grease_name(uint16_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "GREASE (0x%04x)", value);
  return text;
}

std::vector<Field> describe_handshake_message(ByteView message, std::optional<KeyExchange> key_exchange) {
  std::vector<Field> out;
  if (message.size() < handshake_header_size) {
    out.push_back(Field{"undecodable", "shorter than a handshake header", Bytes(message.begin(), message.end())});
    return out;
  }
  auto type = static_cast<HandshakeType>(message[0]);
  out.push_back(Field{"msg_type", handshake_type_name(type), Bytes{message[0]}});
  size_t length = size_t{message[1]} << 16 | size_t{message[2]} << 8 | message[3];
  out.push_back(Field{"length", std::to_string(length), Bytes(message.begin() + 1, message.begin() + 4)});
  try {
    describe_body(type, message.subspan(handshake_header_size), key_exchange, out);
  } catch (const std::exception& e) {
    out.push_back(Field{"undecodable", e.what(), {}});
  }
  return out;
}

}  // namespace tls12::handshake
