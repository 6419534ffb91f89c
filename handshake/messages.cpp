// Encoders and decoders of the TLS 1.2 handshake messages (RFC 5246 §7.4) and
// NewSessionTicket (RFC 5077 §3.3). The struct definitions in messages.h quote
// each message's RFC structure; the code below reads and writes the fields in
// exactly that order, with the RFC's vector ranges.
//
// Every decoder finishes with expect_end(): bytes after the last field are a
// decode_error, which keeps decode/encode a byte-exact round trip.
#include "handshake/messages.h"

#include <algorithm>

namespace tls12::handshake {

using record::AlertDescription;
using record::Reader;
using record::TlsError;
using record::Writer;

std::string handshake_type_name(HandshakeType type) {
  switch (type) {
    case HandshakeType::hello_request: return "HelloRequest";
    case HandshakeType::client_hello: return "ClientHello";
    case HandshakeType::server_hello: return "ServerHello";
    case HandshakeType::new_session_ticket: return "NewSessionTicket";
    case HandshakeType::certificate: return "Certificate";
    case HandshakeType::server_key_exchange: return "ServerKeyExchange";
    case HandshakeType::certificate_request: return "CertificateRequest";
    case HandshakeType::server_hello_done: return "ServerHelloDone";
    case HandshakeType::certificate_verify: return "CertificateVerify";
    case HandshakeType::client_key_exchange: return "ClientKeyExchange";
    case HandshakeType::finished: return "Finished";
  }
  return "unknown(" + std::to_string(static_cast<unsigned>(type)) + ")";
}

// ------------------------------------------------------------------- framing

Bytes wrap_handshake(HandshakeType type, ByteView body) {
  Writer w;
  w.u8(static_cast<uint8_t>(type));
  w.vector24(body);  // uint24 length, then the body
  return w.take();
}

HandshakeParts split_handshake(ByteView message) {
  Reader r(message, "handshake message");
  auto type = static_cast<HandshakeType>(r.u8());
  ByteView body = r.vector24(0, 0xffffff);
  r.expect_end();
  return {type, body};
}

namespace {

// Each message's encode() is its body wrapped in the header.
template <class Message>
Bytes encode_message(const Message& message) {
  return wrap_handshake(Message::type, message.encode_body());
}

Random read_random(Reader& r) {
  Random random;
  ByteView bytes = r.bytes(random.size());
  std::copy(bytes.begin(), bytes.end(), random.begin());
  return random;
}

Bytes to_bytes(ByteView view) { return Bytes(view.begin(), view.end()); }

// Hello messages end with an optional extension block (§7.4.1.2: "the presence
// of extensions can be detected by determining whether there are bytes
// following the compression_methods field").
ExtensionList read_optional_extensions(Reader& r) {
  if (r.empty()) return {};
  return read_extensions(r);
}

void write_optional_extensions(Writer& w, const ExtensionList& extensions) {
  if (!extensions.empty()) write_extensions(w, extensions);
}

// DigitallySigned (§4.7): SignatureAndHashAlgorithm, then opaque signature<0..2^16-1>.
DigitallySigned read_digitally_signed(Reader& r) {
  DigitallySigned out;
  out.algorithm = static_cast<SignatureScheme>(r.u16());
  out.signature = to_bytes(r.vector16(0, 0xffff));
  return out;
}

void write_digitally_signed(Writer& w, const DigitallySigned& signed_value) {
  w.u16(static_cast<uint16_t>(signed_value.algorithm));
  w.vector16(signed_value.signature);
}

}  // namespace

// ------------------------------------------------------------ HelloRequest

Bytes HelloRequest::encode_body() const { return {}; }
Bytes HelloRequest::encode() const { return encode_message(*this); }
HelloRequest HelloRequest::decode(ByteView body) {
  Reader(body, "HelloRequest").expect_end();
  return {};
}

// ------------------------------------------------------------- ClientHello

bool ClientHello::offers(CipherSuite suite) const {
  for (CipherSuite offered : cipher_suites)
    if (offered == suite) return true;
  return false;
}

Bytes ClientHello::encode_body() const {
  Writer w;
  w.u16(client_version);
  w.bytes(random);
  w.vector8(session_id);
  w.vector16([&](Writer& list) {
    for (CipherSuite suite : cipher_suites) list.u16(suite);
  });
  w.vector8(compression_methods);
  write_optional_extensions(w, extensions);
  return w.take();
}

Bytes ClientHello::encode() const { return encode_message(*this); }

ClientHello ClientHello::decode(ByteView body) {
  Reader r(body, "ClientHello");
  ClientHello hello;
  hello.client_version = r.u16();
  hello.random = read_random(r);
  hello.session_id = to_bytes(r.vector8(0, 32));
  ByteView suites = r.vector16(2, 0xfffe);
  if (suites.size() % 2 != 0) r.fail("has a cipher_suites list with an odd length");
  Reader suite_reader(suites, "ClientHello cipher_suites");
  while (!suite_reader.empty()) hello.cipher_suites.push_back(suite_reader.u16());
  hello.compression_methods = to_bytes(r.vector8(1, 0xff));
  hello.extensions = read_optional_extensions(r);
  r.expect_end();
  return hello;
}

// ------------------------------------------------------------- ServerHello

Bytes ServerHello::encode_body() const {
  Writer w;
  w.u16(server_version);
  w.bytes(random);
  w.vector8(session_id);
  w.u16(cipher_suite);
  w.u8(compression_method);
  write_optional_extensions(w, extensions);
  return w.take();
}

Bytes ServerHello::encode() const { return encode_message(*this); }

ServerHello ServerHello::decode(ByteView body) {
  Reader r(body, "ServerHello");
  ServerHello hello;
  hello.server_version = r.u16();
  hello.random = read_random(r);
  hello.session_id = to_bytes(r.vector8(0, 32));
  hello.cipher_suite = r.u16();
  hello.compression_method = r.u8();
  hello.extensions = read_optional_extensions(r);
  r.expect_end();
  return hello;
}

// ------------------------------------------------------------- Certificate

Bytes Certificate::encode_body() const {
  Writer w;
  w.vector24([&](Writer& list) {
    for (const auto& cert : certificate_list) list.vector24(cert);
  });
  return w.take();
}

Bytes Certificate::encode() const { return encode_message(*this); }

Certificate Certificate::decode(ByteView body) {
  Reader r(body, "Certificate");
  Reader list(r.vector24(0, 0xffffff), "Certificate certificate_list");
  r.expect_end();
  Certificate out;
  while (!list.empty()) out.certificate_list.push_back(to_bytes(list.vector24(1, 0xffffff)));
  return out;
}

// -------------------------------------------------------- ServerKeyExchange

KeyExchange ServerKeyExchange::key_exchange() const {
  return std::holds_alternative<ServerEcdhParams>(params) ? KeyExchange::ecdhe : KeyExchange::dhe;
}

Bytes ServerKeyExchange::encode_params() const {
  Writer w;
  if (const auto* ecdh = std::get_if<ServerEcdhParams>(&params)) {
    // ECParameters { ECCurveType curve_type = named_curve; NamedCurve namedcurve; }
    w.u8(ec_curve_type_named_curve);
    w.u16(static_cast<uint16_t>(ecdh->named_curve));
    w.vector8(ecdh->public_key);  // ECPoint public<1..2^8-1>
  } else {
    const auto& dh = std::get<ServerDhParams>(params);
    w.vector16(dh.dh_p);
    w.vector16(dh.dh_g);
    w.vector16(dh.dh_Ys);
  }
  return w.take();
}

Bytes ServerKeyExchange::signed_content(const Random& client_random,
                                        const Random& server_random) const {
  Bytes content(client_random.begin(), client_random.end());
  content.insert(content.end(), server_random.begin(), server_random.end());
  Bytes p = encode_params();
  content.insert(content.end(), p.begin(), p.end());
  return content;
}

Bytes ServerKeyExchange::encode_body() const {
  Writer w;
  w.bytes(encode_params());
  write_digitally_signed(w, signed_params);
  return w.take();
}

Bytes ServerKeyExchange::encode() const { return encode_message(*this); }

ServerKeyExchange ServerKeyExchange::decode(ByteView body, KeyExchange key_exchange) {
  Reader r(body, "ServerKeyExchange");
  ServerKeyExchange out;
  if (key_exchange == KeyExchange::ecdhe) {
    uint8_t curve_type = r.u8();
    if (curve_type != ec_curve_type_named_curve)
      // RFC 8422 §5.4 deprecates explicit curves; we cannot use them.
      throw TlsError(AlertDescription::illegal_parameter,
                     "ServerKeyExchange uses curve_type " + std::to_string(curve_type) +
                         "; only named_curve (3) is supported");
    ServerEcdhParams ecdh;
    ecdh.named_curve = static_cast<NamedGroup>(r.u16());
    ecdh.public_key = to_bytes(r.vector8(1, 0xff));
    out.params = std::move(ecdh);
  } else if (key_exchange == KeyExchange::dhe) {
    ServerDhParams dh;
    dh.dh_p = to_bytes(r.vector16(1, 0xffff));
    dh.dh_g = to_bytes(r.vector16(1, 0xffff));
    dh.dh_Ys = to_bytes(r.vector16(1, 0xffff));
    out.params = std::move(dh);
  } else {
    throw TlsError(AlertDescription::unexpected_message,
                   "ServerKeyExchange is not sent with RSA key exchange");
  }
  out.signed_params = read_digitally_signed(r);
  r.expect_end();
  return out;
}

// ------------------------------------------------------- CertificateRequest

Bytes CertificateRequest::encode_body() const {
  Writer w;
  w.vector8([&](Writer& list) {
    for (auto t : certificate_types) list.u8(static_cast<uint8_t>(t));
  });
  w.bytes(encode_signature_algorithms(supported_signature_algorithms));
  w.vector16([&](Writer& list) {
    for (const auto& name : certificate_authorities) list.vector16(name);
  });
  return w.take();
}

Bytes CertificateRequest::encode() const { return encode_message(*this); }

CertificateRequest CertificateRequest::decode(ByteView body) {
  Reader r(body, "CertificateRequest");
  CertificateRequest out;
  for (uint8_t t : r.vector8(1, 0xff))
    out.certificate_types.push_back(static_cast<ClientCertificateType>(t));
  ByteView algorithms = r.vector16(2, 0xfffe);
  if (algorithms.size() % 2 != 0) r.fail("has a supported_signature_algorithms with an odd length");
  Reader alg_reader(algorithms, "CertificateRequest supported_signature_algorithms");
  while (!alg_reader.empty())
    out.supported_signature_algorithms.push_back(static_cast<SignatureScheme>(alg_reader.u16()));
  Reader names(r.vector16(0, 0xffff), "CertificateRequest certificate_authorities");
  while (!names.empty()) out.certificate_authorities.push_back(to_bytes(names.vector16(1, 0xffff)));
  r.expect_end();
  return out;
}

// --------------------------------------------------------- ServerHelloDone

Bytes ServerHelloDone::encode_body() const { return {}; }
Bytes ServerHelloDone::encode() const { return encode_message(*this); }
ServerHelloDone ServerHelloDone::decode(ByteView body) {
  Reader(body, "ServerHelloDone").expect_end();
  return {};
}

// -------------------------------------------------------- CertificateVerify

Bytes CertificateVerify::encode_body() const {
  Writer w;
  write_digitally_signed(w, signature);
  return w.take();
}

Bytes CertificateVerify::encode() const { return encode_message(*this); }

CertificateVerify CertificateVerify::decode(ByteView body) {
  Reader r(body, "CertificateVerify");
  CertificateVerify out;
  out.signature = read_digitally_signed(r);
  r.expect_end();
  return out;
}

// -------------------------------------------------------- ClientKeyExchange

Bytes ClientKeyExchange::encode_body() const {
  Writer w;
  switch (key_exchange) {
    case KeyExchange::rsa: w.vector16(exchange_keys); break;
    case KeyExchange::dhe: w.vector16(exchange_keys); break;
    case KeyExchange::ecdhe: w.vector8(exchange_keys); break;
  }
  return w.take();
}

Bytes ClientKeyExchange::encode() const { return encode_message(*this); }

ClientKeyExchange ClientKeyExchange::decode(ByteView body, KeyExchange key_exchange) {
  Reader r(body, "ClientKeyExchange");
  ClientKeyExchange out;
  out.key_exchange = key_exchange;
  switch (key_exchange) {
    // The RSA ciphertext's own size is checked against the key by the server's
    // decryption, which must not reveal why it failed (§7.4.7.1).
    case KeyExchange::rsa: out.exchange_keys = to_bytes(r.vector16(0, 0xffff)); break;
    case KeyExchange::dhe: out.exchange_keys = to_bytes(r.vector16(1, 0xffff)); break;
    case KeyExchange::ecdhe: out.exchange_keys = to_bytes(r.vector8(1, 0xff)); break;
  }
  r.expect_end();
  return out;
}

// ------------------------------------------------------------------ Finished

Bytes Finished::encode_body() const { return Bytes(verify_data.begin(), verify_data.end()); }
Bytes Finished::encode() const { return encode_message(*this); }

Finished Finished::decode(ByteView body) {
  Reader r(body, "Finished");
  Finished out;
  ByteView data = r.bytes(verify_data_length);
  std::copy(data.begin(), data.end(), out.verify_data.begin());
  r.expect_end();
  return out;
}

// --------------------------------------------------------- NewSessionTicket

Bytes NewSessionTicket::encode_body() const {
  Writer w;
  w.u32(ticket_lifetime_hint);
  w.vector16(ticket);
  return w.take();
}

Bytes NewSessionTicket::encode() const { return encode_message(*this); }

NewSessionTicket NewSessionTicket::decode(ByteView body) {
  Reader r(body, "NewSessionTicket");
  NewSessionTicket out;
  out.ticket_lifetime_hint = r.u32();
  out.ticket = to_bytes(r.vector16(0, 0xffff));
  r.expect_end();
  return out;
}

}  // namespace tls12::handshake
