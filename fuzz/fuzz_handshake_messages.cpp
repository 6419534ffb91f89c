// Fuzz target for the handshake message decoders (RFC 5246 §7.4, RFC 5077
// §3.3) and the hello extension views (RFC 5246 §7.4.1.4): arbitrary bytes are
// decoded as every message body. Whatever decodes must re-encode to exactly
// the input (decoding is strict and keeps every field), and the only
// exception allowed to escape is record::TlsError.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "handshake/extensions.h"
#include "handshake/messages.h"

namespace {

using namespace tls12;
using namespace tls12::handshake;

void check(bool ok) {
  if (!ok) std::abort();
}

// Decodes `body` with `decode`, and on success checks the round trip. A hello
// whose extension block is present but empty re-encodes without it (the only
// documented difference), so for those the second decode must equal the first.
template <class Decode>
void round_trip(ByteView body, Decode decode, bool is_hello = false) {
  try {
    auto message = decode(body);
    Bytes again = message.encode_body();
    if (is_hello && again.size() + 2 == body.size() && body[body.size() - 2] == 0 &&
        body[body.size() - 1] == 0)
      check(decode(again) == message);
    else
      check(again == Bytes(body.begin(), body.end()));
  } catch (const record::TlsError&) {
  }
}

void hello_views(ByteView body) {
  try {
    auto hello = ClientHello::decode(body);
    auto ext = ClientHelloExtensions::parse(hello.extensions);
    check(ClientHelloExtensions::parse(ext.to_list()) == ext);
  } catch (const record::TlsError&) {
  }
  try {
    auto hello = ServerHello::decode(body);
    auto ext = ServerHelloExtensions::parse(hello.extensions);
    check(ServerHelloExtensions::parse(ext.to_list()) == ext);
  } catch (const record::TlsError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteView body(data, size);
  round_trip(body, [](ByteView b) { return HelloRequest::decode(b); });
  round_trip(body, [](ByteView b) { return ClientHello::decode(b); }, true);
  round_trip(body, [](ByteView b) { return ServerHello::decode(b); }, true);
  round_trip(body, [](ByteView b) { return Certificate::decode(b); });
  for (KeyExchange kx : {KeyExchange::ecdhe, KeyExchange::dhe}) {
    round_trip(body, [kx](ByteView b) { return ServerKeyExchange::decode(b, kx); });
  }
  round_trip(body, [](ByteView b) { return CertificateRequest::decode(b); });
  round_trip(body, [](ByteView b) { return ServerHelloDone::decode(b); });
  round_trip(body, [](ByteView b) { return CertificateVerify::decode(b); });
  for (KeyExchange kx : {KeyExchange::rsa, KeyExchange::dhe, KeyExchange::ecdhe}) {
    round_trip(body, [kx](ByteView b) { return ClientKeyExchange::decode(b, kx); });
  }
  round_trip(body, [](ByteView b) { return Finished::decode(b); });
  round_trip(body, [](ByteView b) { return NewSessionTicket::decode(b); });
  hello_views(body);
  try {
    auto parts = split_handshake(body);
    check(wrap_handshake(parts.type, parts.body) == Bytes(body.begin(), body.end()));
  } catch (const record::TlsError&) {
  }
  return 0;
}
