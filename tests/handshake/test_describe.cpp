// The named fields of handshake messages (handshake/describe.h, RFC 5246
// §7.4) for GREASE values (RFC 8701 §2): a ClientHello carrying them in every
// list a client may grease is described with "GREASE (0x?a?a)", while
// values that are merely unknown, and the library's own cipher_suite_name(),
// keep saying "unknown".
#include <gtest/gtest.h>

#include <map>

#include "handshake/describe.h"
#include "handshake/extensions.h"

namespace tls12::handshake {
namespace {

void put16(Bytes& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

void put_extension(Bytes& out, uint16_t type, const Bytes& data) {
  put16(out, type);
  put16(out, static_cast<uint16_t>(data.size()));
  out.insert(out.end(), data.begin(), data.end());
}

// A ClientHello greased the way browsers do: a GREASE cipher suite, extension,
// group, signature algorithm, ALPN name and version, next to real ones and to
// 0x0a1a, which only looks like GREASE.
Bytes greased_client_hello() {
  Bytes body = {0x03, 0x03};
  body.resize(2 + 32, 0x11);
  body.push_back(0);  // session_id
  put16(body, 8);
  for (uint16_t suite : {0x0a0a, 0xc02f, 0x0a1a, 0xfafa}) put16(body, suite);
  body.insert(body.end(), {1, 0});
  Bytes extensions;
  put_extension(extensions, 0x2a2a, {});
  put_extension(extensions, 10, {0x00, 0x04, 0x3a, 0x3a, 0x00, 0x1d});
  put_extension(extensions, 13, {0x00, 0x04, 0x4a, 0x4a, 0x04, 0x03});
  put_extension(extensions, 16, {0x00, 0x06, 0x02, 0x5a, 0x5a, 0x02, 'h', '2'});
  put_extension(extensions, 43, {0x04, 0x6a, 0x6a, 0x03, 0x03});
  put16(body, static_cast<uint16_t>(extensions.size()));
  body.insert(body.end(), extensions.begin(), extensions.end());
  Bytes message = {1, 0, static_cast<uint8_t>(body.size() >> 8), static_cast<uint8_t>(body.size())};
  message.insert(message.end(), body.begin(), body.end());
  return message;
}

std::map<std::string, std::string> by_name(const std::vector<Field>& fields) {
  std::map<std::string, std::string> out;
  for (const auto& f : fields) out[f.name] = f.value;
  return out;
}

TEST(DescribeGrease, SixteenValuesAndNoOthers) {
  int count = 0;
  for (uint32_t v = 0; v <= 0xffff; ++v) count += is_grease(static_cast<uint16_t>(v));
  EXPECT_EQ(count, 16);
  EXPECT_TRUE(is_grease(0x0a0a));
  EXPECT_TRUE(is_grease(0xfafa));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x0b0b));
  EXPECT_EQ(grease_name(0x7a7a), "GREASE (0x7a7a)");
}

TEST(DescribeGrease, ClientHelloNamesEveryGreaseValue) {
  const auto fields = by_name(describe_handshake_message(greased_client_hello()));
  ASSERT_EQ(fields.count("undecodable"), 0u) << fields.at("undecodable");
  EXPECT_EQ(fields.at("cipher_suites"),
            "GREASE (0x0a0a), TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, unknown(0x0a1a), GREASE (0xfafa)");
  EXPECT_EQ(fields.count("extensions.GREASE (0x2a2a)"), 1u);
  EXPECT_EQ(fields.at("extensions.supported_groups"), "GREASE (0x3a3a), x25519");
  EXPECT_EQ(fields.at("extensions.signature_algorithms"), "GREASE (0x4a4a), ecdsa_secp256r1_sha256");
  EXPECT_EQ(fields.at("extensions.application_layer_protocol_negotiation"), "GREASE (0x5a5a), h2");
  EXPECT_EQ(fields.at("extensions.supported_versions"), "GREASE (0x6a6a), TLS 1.2 (0x0303)");
}

// Callers other than the description keep the RFC 5246 name of the value.
TEST(DescribeGrease, CipherSuiteNameUnchanged) {
  EXPECT_EQ(cipher_suite_name(static_cast<CipherSuite>(0x0a0a)), "unknown(0x0a0a)");
}

}  // namespace
}  // namespace tls12::handshake
