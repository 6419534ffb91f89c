// libFuzzer target: the client side of Connection (record layer + client
// state machine) fed arbitrary bytes as the server's, either from the first
// byte on or after a valid ServerHello (and Certificate) recorded from our own
// server, so the fuzzer reaches ServerKeyExchange, CertificateRequest,
// ServerHelloDone and beyond. No crash, no hang, no exception escaping feed().
#include <cstddef>
#include <cstdint>
#include <map>

#include "fuzz/fuzz_engine_common.h"
#include "handshake/messages.h"

namespace {

using tls12::Bytes;

// The server's first flight in records: ServerHello, then Certificate, each
// in its own handshake record (they do not depend on the client's random).
struct Prefix {
  Bytes server_hello;
  Bytes certificate;
};

Bytes record(tls12::ByteView message) {
  Bytes out = {22, 3, 3, static_cast<uint8_t>(message.size() >> 8), static_cast<uint8_t>(message.size())};
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

const Prefix& recorded_prefix(tls12::handshake::CipherSuite suite) {
  static std::map<tls12::handshake::CipherSuite, Prefix> cache;
  auto it = cache.find(suite);
  if (it != cache.end()) return it->second;
  using namespace tls12::handshake;
  Prefix p;
  ServerHello hello;
  hello.random.fill(0x42);
  hello.cipher_suite = suite;
  ServerHelloExtensions ext;
  ext.extended_master_secret = true;
  ext.renegotiation_info = Bytes{};
  hello.extensions = ext.to_list();
  p.server_hello = record(hello.encode());
  Certificate certificate;
  certificate.certificate_list = tls12::fuzz::fuzz_client_config().client_certificate->certificate_chain;
  p.certificate = record(certificate.encode());
  return cache.emplace(suite, std::move(p)).first->second;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tls12;
  if (size == 0) return 0;
  // First byte: bits 0-1 = how much valid prefix (none, ServerHello,
  // ServerHello + Certificate), bit 2 = RSA instead of ECDHE suite.
  const uint8_t mode = data[0];
  auto suite = (mode & 4) ? handshake::suites::TLS_RSA_WITH_AES_128_GCM_SHA256
                          : handshake::suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
  static const protocol::ClientConfig config = fuzz::fuzz_client_config();  // parse the key once
  protocol::Connection client(config);
  client.take_output();
  const Prefix& prefix = recorded_prefix(suite);
  if ((mode & 3) >= 1) client.feed(prefix.server_hello);
  if ((mode & 3) >= 2) client.feed(prefix.certificate);
  client.feed(ByteView(data + 1, size - 1));
  client.take_output();
  if (client.handshake_complete()) client.read_all();
  client.feed_eof();
  return 0;
}
