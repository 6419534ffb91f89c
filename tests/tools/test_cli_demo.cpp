// `tls12 demo` (what `make demo` runs): it completes, tells each step of the
// RFC 5246 §7.3 handshake in the documented order, shows secrets of the right
// sizes, the protected record and close_notify; its options change what the
// handshake does; and the demo PKI committed as files is the one compiled in.
#include <gtest/gtest.h>

#include <regex>

#include "tests/tools/cli_test_support.h"

namespace tls12::tools {
namespace {

using test::contains;
using test::demo_pki;

test::CommandResult demo(const std::string& args = "") {
  return test::run_command("timeout 120 " + test::tls12_program() + " demo " + args);
}

// Asserts that the parts appear in this order; returns the position after the last.
void expect_in_order(const std::string& text, const std::vector<std::string>& parts) {
  size_t at = 0;
  for (const auto& part : parts) {
    size_t found = text.find(part, at);
    ASSERT_NE(found, std::string::npos) << "missing (or out of order): \"" << part << "\"\n" << text;
    at = found + part.size();
  }
}

// The hex bytes printed under "SECRET <name> (...)", joined.
std::string secret_hex(const std::string& text, const std::string& name) {
  size_t at = text.find("SECRET " + name + " (");
  if (at == std::string::npos) return {};
  std::string hex;
  std::istringstream lines(text.substr(text.find('\n', at) + 1));
  std::string line;
  static const std::regex hex_line("^ +([0-9a-f]{2}( [0-9a-f]{2})*)$");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, hex_line)) hex += m[1].str() + " ";
    else if (!contains(line, "§")) break;  // the explanation line comes before the bytes
  }
  return hex;
}

TEST(Demo, RsaMutualAuthenticationStepByStep) {
  auto r = demo();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {
      "CA:", "server: CN=localhost", "client: CN=tls12 demo client",
      "Cipher suite: TLS_RSA_WITH_AES_128_GCM_SHA256",
      "client -> server  ClientHello", "random: ", "(client_random)",
      "server -> client  ServerHello", "(server_random)", "session_id: ",
      "server -> client  Certificate", "certificate_list[0]: CN=localhost",
      "server -> client  CertificateRequest",
      "server -> client  ServerHelloDone",
      "client verifies the server's chain (RFC 5280 §6): OK", "(trust anchor)",
      "client -> server  Certificate", "certificate_list[0]: CN=tls12 demo client",
      "client -> server  ClientKeyExchange", "exchange_keys.EncryptedPreMasterSecret",
      "encrypted with the server's RSA public key",
      "SECRET pre_master_secret (48 bytes", "SECRET master_secret (48 bytes",
      "client -> server  CertificateVerify",
      "SECRET client_write_key (16 bytes", "SECRET server_write_IV (4 bytes",
      "client -> server  ChangeCipherSpec",
      "client -> server  Finished", "verify_data: ",
      "server verifies the client's chain (RFC 5280 §6): OK",
      "server computes pre_master_secret: the same as the client's",
      "server computes master_secret: the same as the client's",
      "server checks the CertificateVerify signature",
      "server recomputes the client's verify_data", "Finished verified",
      "server -> client  ChangeCipherSpec",
      "server -> client  Finished",
      "client recomputes the server's verify_data", "Finished verified",
      "client: handshake complete (TLS_RSA_WITH_AES_128_GCM_SHA256)",
      "client -> server  application data", "plaintext: \"Hello, server!",
      "ContentType: application_data (23)", "nonce_explicit", "authentication tag",
      "server decrypts and reads: \"Hello, server!",
      "close_notify", "ContentType: alert (21)",
      "the server answered with its close_notify",
      "Demo complete."});
  EXPECT_FALSE(contains(r.output, "DIFFERENT")) << r.output;
  EXPECT_FALSE(contains(r.output, "ServerKeyExchange")) << "RSA key transport has no ServerKeyExchange";

  std::string master = secret_hex(r.output, "master_secret");
  EXPECT_TRUE(std::regex_match(master, std::regex("([0-9a-f]{2} ){48}"))) << master;
  std::string premaster = secret_hex(r.output, "pre_master_secret");
  EXPECT_TRUE(std::regex_match(premaster, std::regex("03 03 ([0-9a-f]{2} ){46}")))
      << "RSA premaster: client_version then 46 random bytes: " << premaster;
  EXPECT_NE(master, premaster);
}

TEST(Demo, EcdheServerAuthenticationOnly) {
  auto r = demo("--kx ecdhe --server-auth-only");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {"Cipher suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                             "Authentication: server only", "ServerHello", "server -> client  Certificate",
                             "server -> client  ServerKeyExchange", "params.named_curve: x25519",
                             "server -> client  ServerHelloDone", "client -> server  ClientKeyExchange",
                             "exchange_keys.ecdh_Yc", "SECRET pre_master_secret (32 bytes", "Finished verified",
                             "Demo complete."});
  EXPECT_FALSE(contains(r.output, "CertificateRequest")) << r.output;
  EXPECT_FALSE(contains(r.output, "CertificateVerify")) << r.output;
  EXPECT_FALSE(contains(r.output, "client -> server  Certificate ")) << r.output;
  EXPECT_FALSE(contains(r.output, "EncryptedPreMasterSecret")) << r.output;
}

TEST(Demo, SuiteOptionChoosesAes256AndChaCha20) {
  auto aes = demo("--suite TLS_RSA_WITH_AES_256_GCM_SHA384");
  ASSERT_EQ(aes.exit_code, 0) << aes.output;
  expect_in_order(aes.output, {"cipher_suite: TLS_RSA_WITH_AES_256_GCM_SHA384", "SECRET client_write_key (32 bytes",
                               "protected with AES-256-GCM", "nonce_explicit"});
  auto chacha = demo("--suite ECDHE-RSA-CHACHA20-POLY1305");
  ASSERT_EQ(chacha.exit_code, 0) << chacha.output;
  expect_in_order(chacha.output, {"cipher_suite: TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                                  "SECRET client_write_IV (12 bytes", "ContentType: application_data"});
  EXPECT_FALSE(contains(chacha.output, "nonce_explicit")) << "RFC 7905 records carry no explicit nonce";
}

// A CBC record field by field: IV, encrypted content, padding, and (both sides
// being tls12, so Encrypt-then-MAC is negotiated) the MAC after the ciphertext.
TEST(Demo, CbcSuiteShowsIvContentPaddingAndMac) {
  auto cbc = demo("--suite ECDHE-RSA-AES128-SHA");
  ASSERT_EQ(cbc.exit_code, 0) << cbc.output;
  expect_in_order(cbc.output, {"cipher_suite: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                               "protected with AES-128-CBC with HMAC-SHA1, encrypt-then-MAC",
                               "GenericBlockCipher, Encrypt-then-MAC (RFC 7366)", "IV (16 random bytes",
                               "encrypted content (67 bytes)", "encrypted padding: 12 bytes of 12",
                               "MAC (Encrypt-then-MAC: HMAC over seq_num + header + IV + ciphertext, 20 bytes)",
                               "encrypted content (2 bytes)", "Demo complete."});
  EXPECT_FALSE(contains(cbc.output, "nonce_explicit")) << cbc.output;
}

TEST(Demo, TraceBytesAnnotatesEveryField) {
  auto r = demo("--trace=bytes");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\n      01 +msg_type: ClientHello\n"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\n      03 03 +client_version: TLS 1.2"))) << r.output;
  EXPECT_TRUE(std::regex_search(r.output, std::regex("\n      14 +msg_type: Finished\n      00 00 0c +length: 12")))
      << r.output;
}

TEST(Demo, ResumeRunsAnAbbreviatedHandshake) {
  auto r = demo("--resume");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  size_t second = r.output.find("Second connection");
  ASSERT_NE(second, std::string::npos) << r.output;
  std::string first_part = r.output.substr(0, second), resumed = r.output.substr(second);
  expect_in_order(first_part, {"server -> client  NewSessionTicket", "session new"});
  expect_in_order(resumed, {"client -> server  ClientHello", "session_id: ", "extensions.session_ticket",
                            "server -> client  ServerHello", "the server resumes the session",
                            "server -> client  ChangeCipherSpec", "server -> client  Finished",
                            "master_secret of the resumed session",
                            "client computes master_secret: the same as the server's",
                            "client -> server  ChangeCipherSpec", "client -> server  Finished",
                            "Finished verified", "session resumed", "close_notify", "Demo complete."});
  for (const char* absent : {"Certificate (", "ClientKeyExchange", "ServerKeyExchange", "pre_master_secret"})
    EXPECT_FALSE(contains(resumed, absent)) << absent << " in the abbreviated handshake\n" << resumed;
}

TEST(Demo, DheUsesAnRfc7919Group) {
  auto r = demo("--kx dhe --server-auth-only");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {"Cipher suite: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "server -> client  ServerKeyExchange",
                             "params.dh_p: ffdhe2048", "client -> server  ClientKeyExchange",
                             "SECRET pre_master_secret", "Finished verified", "Demo complete."});
}

TEST(Demo, Help) {
  auto help = test::run_command(test::tls12_program() + " demo --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--kx", "--suite", "--server-auth-only", "--resume", "--trace"})
    EXPECT_TRUE(contains(help.output, option)) << option;
}

// The committed PEM files and the texts compiled into the program are the same,
// and the PKI is what the documentation says: SAN localhost, long validity.
TEST(DemoPki, FilesMatchTheEmbeddedCopyAndVerify) {
  std::string embedded = test::read_text(std::filesystem::path(TLS12_SOURCE_DIR) / "tools" / "demo_pki.cpp");
  for (const char* file : {"ca.crt", "ca.key", "server.crt", "server.key", "client.crt", "client.key"}) {
    std::string pem = test::read_text(demo_pki(file));
    EXPECT_TRUE(contains(embedded, "R\"pem(\n" + pem + ")pem\"")) << file << " differs from tools/demo_pki.cpp";
  }
  EXPECT_EQ(test::read_text(demo_pki("server.bundle.crt")),
            test::read_text(demo_pki("server.crt")) + test::read_text(demo_pki("ca.crt")));
  auto verify = test::run_command("openssl verify -CAfile " + demo_pki("ca.crt") + " " + demo_pki("server.crt") + " " +
                                  demo_pki("client.crt"));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto text = test::run_command("openssl x509 -noout -text -in " + demo_pki("server.crt"));
  EXPECT_TRUE(contains(text.output, "DNS:localhost, IP Address:127.0.0.1")) << text.output;
  EXPECT_TRUE(contains(text.output, "Public-Key: (2048 bit)")) << text.output;
  // Still valid ten years from now (checkend takes seconds).
  auto checkend = test::run_command("openssl x509 -noout -checkend 315360000 -in " + demo_pki("server.crt"));
  EXPECT_EQ(checkend.exit_code, 0) << checkend.output;
}

}  // namespace
}  // namespace tls12::tools
