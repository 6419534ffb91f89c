// `tls12 demo` (what `make demo` runs): it completes, tells each step of the
// RFC 5246 §7.3 handshake in the documented order, shows secrets of the right
// sizes, the protected record and close_notify, after step 0 (the server key
// opened with its passphrase); its options change what the
// handshake does; and the demo PKI committed as files is the one compiled in.
#include <gtest/gtest.h>

#include <cctype>
#include <regex>
#include <sstream>

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

// The salt and IV step 0 printed, "salt=<hex> iv=<hex>", or "" if the lines
// are not there in the documented form.
std::string step0_parameters(const std::string& output) {
  static const std::regex line(
      "PBES2 \\(RFC 8018 §6.2\\): PBKDF2 \\(§5.2\\) with HMAC-SHA-256, 100000 iterations, salt ([0-9a-f]{32})\\n"
      "[^\\n]*\\n *AES-256-CBC \\(RFC 8018 B.2.5\\) with IV ([0-9a-f]{32}) ");
  std::smatch m;
  if (!std::regex_search(output, m, line)) return "";
  return "salt=" + m[1].str() + " iv=" + m[2].str();
}

TEST(Demo, RsaMutualAuthenticationStepByStep) {
  auto r = demo();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  // Step 0 shows what the decryption used. The key is made afresh for each
  // run with a random salt and IV, so two runs show different ones: printed
  // from what the decoder read, not from a text in the program.
  expect_in_order(r.output, {
      "[step 0] the server opens its private key", "openssl genpkey -algorithm RSA -aes256",
      "PBES2 (RFC 8018 §6.2)", "code: x509/pkcs8_encrypted.cpp: decrypt_encrypted_private_key_info", "[step 1]"});
  const std::string first = step0_parameters(r.output);
  ASSERT_NE(first, "") << r.output;
  auto again = demo();
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const std::string second = step0_parameters(again.output);
  ASSERT_NE(second, "") << again.output;
  EXPECT_NE(first, second);
  expect_in_order(r.output, {
      "CA:", "server: CN=localhost", "client: CN=tls12 demo client",
      "Cipher suite: TLS_RSA_WITH_AES_128_GCM_SHA256",
      "[step 1] client -> server ClientHello", "random: ", "(client_random)",
      "[step 2] server -> client ServerHello", "(server_random)", "session_id: ",
      "[step 2] server -> client Certificate", "certificate_list[0]: CN=localhost",
      "[step 2] server -> client CertificateRequest",
      "[step 2] server -> client ServerHelloDone",
      "[step 3] client verifies the server's chain (RFC 5280 §6): OK", "0 CN=localhost", "(trust anchor)",
      "the leaf matches localhost, the name the client asked for",
      "[step 5] client -> server Certificate", "certificate_list[0]: CN=tls12 demo client",
      "[step 4] client -> server ClientKeyExchange", "exchange_keys.EncryptedPreMasterSecret",
      "encrypted with the server's RSA public key",
      "SECRET pre_master_secret (48 bytes", "SECRET master_secret (48 bytes",
      "SECRET client_write_key (16 bytes", "SECRET server_write_IV (4 bytes",
      "[step 5] client -> server CertificateVerify",
      "[step 7] client -> server ChangeCipherSpec",
      "[step 7] client -> server Finished", "verify_data: ",
      "[step 6] server verifies the client's chain (RFC 5280 §6): OK", "(trust anchor)",
      "[step 6] server recovers the pre_master_secret", "countermeasure",
      "server computes pre_master_secret: the same as the client's",
      "server computes master_secret: the same as the client's",
      "server computes the key_block: the same as the client's",
      "[step 6] server checks the CertificateVerify signature", "valid",
      "[step 7] server compares the client's verify_data", "equal: Finished verified",
      "[step 8] server -> client ChangeCipherSpec",
      "[step 8] server -> client Finished",
      "[step 8] client compares the server's verify_data", "equal: Finished verified",
      "client: handshake complete (TLS_RSA_WITH_AES_128_GCM_SHA256)",
      "[step 9] client -> server application data", "plaintext: \"Hello, server!",
      "ContentType: application_data (23)", "nonce_explicit", "authentication tag",
      "server decrypts and reads: \"Hello, server!",
      "[step 9] client -> server close_notify", "ContentType: alert (21)",
      "the server answered with its close_notify",
      "Demo complete."});
  EXPECT_FALSE(contains(r.output, "DIFFERENT")) << r.output;
  EXPECT_FALSE(contains(r.output, "NOT equal")) << r.output;
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
                             "Authentication: server only", "ServerHello", "[step 2] server -> client Certificate",
                             "[step 2] server -> client ServerKeyExchange", "params.named_curve: x25519",
                             "[step 2] server -> client ServerHelloDone", "[step 3] client verifies the server's chain",
                             "[step 2] client checks the ServerKeyExchange signature", "valid",
                             "[step 4] client -> server ClientKeyExchange", "exchange_keys.ecdh_Yc",
                             "SECRET pre_master_secret (32 bytes",
                             "[step 6] server recovers the pre_master_secret: computes it", "Finished verified",
                             "Demo complete."});
  EXPECT_FALSE(contains(r.output, "CertificateRequest")) << r.output;
  EXPECT_FALSE(contains(r.output, "CertificateVerify")) << r.output;
  EXPECT_FALSE(contains(r.output, "client -> server Certificate ")) << r.output;
  EXPECT_FALSE(contains(r.output, "[step 5]")) << "no client authentication, no step 5\n" << r.output;
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

// MAC-then-encrypt (the client leaves encrypt_then_mac out): the key_block is
// two MAC keys and two keys, no IVs (RFC 5246 §6.3), and the MAC is inside
// the encryption, before the padding (§6.2.3.2).
TEST(Demo, NoEtmShowsMacThenEncryptAndTheCbcKeyBlock) {
  auto cbc = demo("--suite TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA --no-etm --server-auth-only");
  ASSERT_EQ(cbc.exit_code, 0) << cbc.output;
  expect_in_order(cbc.output, {"cipher_suite: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "SECRET master_secret (48 bytes",
                               "SECRET client_write_MAC_key (20 bytes", "the HMAC key of the client's records",
                               "SECRET server_write_MAC_key (20 bytes", "SECRET client_write_key (16 bytes",
                               "SECRET server_write_key (16 bytes", "server computes the key_block: the same as the client's",
                               "protected with AES-128-CBC with HMAC-SHA1, MAC-then-encrypt",
                               "GenericBlockCipher, MAC-then-encrypt", "IV (16 random bytes",
                               "encrypted content (67 bytes)",
                               "encrypted MAC (HMAC over seq_num + header + content, 20 bytes)",
                               "encrypted padding: 8 bytes of 8", "Demo complete."});
  EXPECT_FALSE(contains(cbc.output, "_write_IV")) << cbc.output;
  EXPECT_FALSE(contains(cbc.output, "extensions.encrypt_then_mac")) << cbc.output;
  EXPECT_FALSE(contains(cbc.output, "Encrypt-then-MAC (RFC 7366)")) << cbc.output;
}

// A P-256 chain: the ECDHE_ECDSA suite, ECDSA signatures on the
// ServerKeyExchange and the client's CertificateVerify, the key opened as
// `openssl genpkey -algorithm EC` writes it.
TEST(Demo, KeyTypeP256RunsOverAnEcdsaChain) {
  auto r = demo("--key-type p256");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {"the keys are P-256 (secp256r1), signing with ECDSA",
                             "Cipher suite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                             "`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256`",
                             "[step 2] server -> client ServerKeyExchange", "params.named_curve: x25519",
                             "signed_params.algorithm: ecdsa_secp256r1_sha256",
                             "client checks the ServerKeyExchange signature (ecdsa_secp256r1_sha256)", "valid",
                             "[step 5] client -> server CertificateVerify", "algorithm: ecdsa_secp256r1_sha256",
                             "server checks the CertificateVerify signature (ecdsa_secp256r1_sha256)", "valid",
                             "Finished verified", "Demo complete."});
  EXPECT_FALSE(contains(r.output, "signed_params.algorithm: rsa")) << r.output;
  EXPECT_FALSE(contains(r.output, "2048-bit RSA")) << r.output;
}

// An ECDHE_ECDSA CBC suite takes the P-256 chain by itself; a key type that
// cannot sign the suite is a one-line usage error.
TEST(Demo, EcdsaCbcSuiteAndMismatchedKeyType) {
  auto r = demo("--suite ECDHE-ECDSA-AES128-SHA --no-etm --server-auth-only");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {"the keys are P-256", "cipher_suite: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                             "ecdsa_secp256r1_sha256", "SECRET client_write_MAC_key (20 bytes",
                             "encrypted MAC (HMAC over seq_num + header + content, 20 bytes)", "Demo complete."});
  auto bad = demo("--key-type p256 --suite TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_TRUE(contains(bad.output, "--key-type p256 cannot authenticate TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
      << bad.output;
  auto unknown = demo("--key-type dsa");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_TRUE(contains(unknown.output, "--key-type: unknown key type 'dsa' (rsa or p256)")) << unknown.output;
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
  expect_in_order(first_part, {"[step 8] server -> client NewSessionTicket", "session new"});
  expect_in_order(resumed, {"[step 1] client -> server ClientHello", "session_id: ", "extensions.session_ticket",
                            "[step 2] server -> client ServerHello", "the server resumes the session",
                            "[step 8] server -> client ChangeCipherSpec", "[step 8] server -> client Finished",
                            "master_secret of the resumed session",
                            "client computes master_secret: the same as the server's",
                            "[step 8] client compares the server's verify_data", "equal: Finished verified",
                            "[step 7] client -> server ChangeCipherSpec", "[step 7] client -> server Finished",
                            "[step 7] server compares the client's verify_data", "equal: Finished verified",
                            "session resumed", "close_notify", "Demo complete."});
  for (const char* absent : {"Certificate (", "ClientKeyExchange", "ServerKeyExchange", "pre_master_secret", "[step 3]",
                             "[step 4]", "[step 5]"})
    EXPECT_FALSE(contains(resumed, absent)) << absent << " in the abbreviated handshake\n" << resumed;
}

TEST(Demo, DheUsesAnRfc7919Group) {
  auto r = demo("--kx dhe --server-auth-only");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_in_order(r.output, {"Cipher suite: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "server -> client ServerKeyExchange",
                             "params.dh_p: ffdhe2048", "client -> server ClientKeyExchange",
                             "SECRET pre_master_secret", "Finished verified", "Demo complete."});
}

TEST(Demo, Help) {
  auto help = test::run_command(test::tls12_program() + " demo --help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--kx", "--suite", "--key-type", "--no-etm", "--server-auth-only", "--resume", "--trace"})
    EXPECT_TRUE(contains(help.output, option)) << option;
  EXPECT_TRUE(contains(help.output, "docs/steps.md")) << "the numbering the output uses\n" << help.output;
}

// No private key is committed: the demo makes its PKI at run time.
TEST(DemoPki, NoPrivateKeyLivesInTheRepository) {
  const std::filesystem::path tools = std::filesystem::path(TLS12_SOURCE_DIR) / "tools";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(tools)) {
    if (!entry.is_regular_file()) continue;
    EXPECT_FALSE(contains(test::read_text(entry.path()), "-----BEGIN " "PRIVATE KEY-----")) << entry.path();
    EXPECT_FALSE(contains(test::read_text(entry.path()), "-----BEGIN " "RSA PRIVATE KEY-----")) << entry.path();
  }
  EXPECT_FALSE(std::filesystem::exists(tools / "demo-pki"));
}

// The demo's set is the pki quick set: it verifies, names localhost and both
// loopback addresses, and its CA can vouch for nothing else.
TEST(DemoPki, TheRunTimeSetVerifiesAndIsNameConstrained) {
  EXPECT_EQ(test::read_text(demo_pki("server.bundle.crt")),
            test::read_text(demo_pki("server.crt")) + test::read_text(demo_pki("ca.crt")));
  auto verify = test::run_command("openssl verify -CAfile " + demo_pki("ca.crt") + " " + demo_pki("server.crt") + " " +
                                  demo_pki("client.crt"));
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto text = test::run_command("openssl x509 -noout -text -in " + demo_pki("server.crt"));
  EXPECT_TRUE(contains(text.output, "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1")) << text.output;
  EXPECT_TRUE(contains(text.output, "Public-Key: (2048 bit)")) << text.output;
  auto ca = test::run_command("openssl x509 -noout -text -in " + demo_pki("ca.crt"));
  EXPECT_TRUE(contains(ca.output, "X509v3 Name Constraints: critical")) << ca.output;
  auto other = test::run_command("openssl verify -CAfile " + demo_pki("ca.crt") + " -verify_hostname example.com " +
                                 demo_pki("server.crt") + " 2>&1");
  EXPECT_NE(other.exit_code, 0) << other.output;
}

TEST(DemoPki, TheDemoSaysItsPkiIsFreshAndConstrained) {
  auto r = test::run_command(test::tls12_program() + " demo 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "a demo PKI made for this run by tls12 pki; the CA may vouch for localhost, "
                                 "127.0.0.1 and ::1 only")) << r.output;
}

}  // namespace
}  // namespace tls12::tools
