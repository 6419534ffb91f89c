// The certificate recipes people copy from tutorials, run verbatim with the
// openssl CLI at test time, then used between `tls12 client` and `tls12
// server`, and each of them against openssl s_server / s_client, mutual TLS
// included:
//   1. the mutual-TLS prototype: a CA from `req -x509`, server and client
//      leaves from `req -newkey` + `x509 -req` with no extension file
//      (no subjectAltName: the host-name check needs --allow-cn-fallback,
//      and the message must say so first);
//   2. a self-signed server whose key is made by `genpkey -aes256`;
//   3. 4096-bit `genrsa` CA, server and client with subjectAltName=DNS:localhost,
//      the bundle `cat server.crt ca.crt` and `cat client.crt client.key > client.pem`.
#include <gtest/gtest.h>

#include "tests/tools/cli_test_support.h"

namespace tls12::tools {
namespace {

using test::contains;

std::string q(const std::string& s) { return "'" + s + "'"; }

class Recipes : public ::testing::Test {
 protected:
  std::filesystem::path dir = test::make_temp_dir("tls12-recipes");
  std::string d = dir.string();

  void run_recipe(const std::string& commands) {
    auto r = test::run_command("cd " + q(d) + " && set -e && " + commands + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  std::string file(const std::string& name) const { return (dir / name).string(); }

  // Our server with these files; its port.
  std::unique_ptr<test::Child> our_server(const std::vector<std::string>& options) {
    uint16_t port = test::free_port();
    std::vector<std::string> argv{test::tls12_program(), "server", "--port", std::to_string(port)};
    argv.insert(argv.end(), options.begin(), options.end());
    auto child = std::make_unique<test::Child>(argv, dir / ("server" + std::to_string(port) + ".log"));
    port_ = port;
    EXPECT_TRUE(test::wait_for_port(port, 20)) << child->log();
    return child;
  }
  std::unique_ptr<test::Child> openssl_server(const std::string& options) {
    uint16_t port = test::free_port();
    std::vector<std::string> argv{"sh", "-c", "cd " + q(d) + " && exec openssl s_server -accept 127.0.0.1:" +
                                                  std::to_string(port) + " -www " + options};
    auto child = std::make_unique<test::Child>(argv, dir / ("s_server" + std::to_string(port) + ".log"));
    port_ = port;
    EXPECT_TRUE(test::wait_for_port(port, 20)) << child->log();
    return child;
  }
  test::CommandResult our_client(const std::string& options) {
    return test::run_command("cd " + q(d) + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 " +
                             test::tls12_program() + " client localhost:" + std::to_string(port_) + " " + options +
                             " 2>&1");
  }
  test::CommandResult openssl_client(const std::string& options) {
    return test::run_command("cd " + q(d) + " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 openssl s_client "
                             "-connect 127.0.0.1:" + std::to_string(port_) + " -servername localhost "
                             "-verify_return_error -ign_eof " + options + " 2>&1");
  }
  uint16_t port_ = 0;
};

TEST_F(Recipes, MutualTlsPrototypeCaServerAndClient) {
  run_recipe(
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 365 -subj '/CN=Test CA' && "
      "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' && "
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 365 && "
      "openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=client' && "
      "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 365");
  const std::string mutual_client = "--ca ca.crt --cert client.crt --key client.key";
  auto server = our_server({"--cert", file("server.crt"), "--key", file("server.key"), "--ca", file("ca.crt"),
                            "--verify-client", "required", "--www"});
  // Without a subjectAltName the name check fails, and the message says why and what to do.
  auto refused = our_client(mutual_client);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(contains(refused.output, "subjectAltName")) << refused.output;
  EXPECT_TRUE(contains(refused.output, "--allow-cn-fallback")) << refused.output;
  auto ours = our_client(mutual_client + " --allow-cn-fallback");
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_TRUE(contains(ours.output, "HTTP/1.0 200 OK")) << ours.output;
  EXPECT_TRUE(contains(ours.output, "Verification: OK")) << ours.output;
  auto theirs = openssl_client("-CAfile ca.crt -cert client.crt -key client.key");
  EXPECT_TRUE(contains(theirs.output, "Verify return code: 0 (ok)")) << theirs.output;
  EXPECT_TRUE(contains(theirs.output, "HTTP/1.0 200 OK")) << theirs.output;
  EXPECT_TRUE(contains(server->log(), "subject: CN=client")) << server->log();

  auto s_server = openssl_server("-cert server.crt -key server.key -CAfile ca.crt -Verify 1 -verify_return_error");
  auto against_openssl = our_client(mutual_client + " --allow-cn-fallback");
  EXPECT_EQ(against_openssl.exit_code, 0) << against_openssl.output << s_server->log();
  EXPECT_TRUE(contains(against_openssl.output, "HTTP/1.0 200 ok")) << against_openssl.output;
}

TEST_F(Recipes, SelfSignedServerWithAnEncryptedKey) {
  run_recipe(
      "openssl genpkey -algorithm RSA -out server.key -aes256 -pass pass:recipe-pass && "
      "openssl req -new -x509 -key server.key -passin pass:recipe-pass -out server.crt -days 365 "
      "-subj '/CN=localhost'");
  auto server = our_server({"--cert", file("server.crt"), "--key", file("server.key"), "--pass", "pass:recipe-pass",
                            "--www"});
  // The certificate is its own trust anchor (a CA certificate as the leaf is valid, RFC 5280).
  auto ours = our_client("--ca server.crt --allow-cn-fallback");
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_TRUE(contains(ours.output, "HTTP/1.0 200 OK")) << ours.output;
  auto theirs = openssl_client("-CAfile server.crt");
  EXPECT_TRUE(contains(theirs.output, "Verify return code: 0 (ok)")) << theirs.output;

  auto s_server = openssl_server("-cert server.crt -key server.key -pass pass:recipe-pass");
  auto against_openssl = our_client("--ca server.crt --allow-cn-fallback");
  EXPECT_EQ(against_openssl.exit_code, 0) << against_openssl.output << s_server->log();
}

TEST_F(Recipes, GenrsaCaServerAndClientWithSubjectAltName) {
  run_recipe(
      "openssl genrsa -out ca.key 4096 && "
      "openssl req -x509 -new -nodes -key ca.key -sha256 -days 1024 -out ca.crt -subj '/CN=Recipe Root CA' && "
      "openssl genrsa -out server.key 4096 && "
      "openssl req -new -key server.key -out server.csr -subj '/CN=localhost' && "
      "printf 'subjectAltName=DNS:localhost\\n' > server.ext && "
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 500 "
      "-sha256 -extfile server.ext && "
      "cat server.crt ca.crt > server.bundle.crt && "
      "openssl genrsa -out client.key 4096 && "
      "openssl req -new -key client.key -out client.csr -subj '/CN=client' && "
      "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 500 "
      "-sha256 && "
      "cat client.crt client.key > client.pem");
  auto server = our_server({"--cert", file("server.bundle.crt"), "--key", file("server.key"), "--ca",
                            file("ca.crt"), "--verify-client", "required", "--www"});
  auto ours = our_client("--ca ca.crt --cert client.pem --key client.pem");
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_TRUE(contains(ours.output, "HTTP/1.0 200 OK")) << ours.output;
  auto theirs = openssl_client("-CAfile ca.crt -cert client.pem");
  EXPECT_TRUE(contains(theirs.output, "Verify return code: 0 (ok)")) << theirs.output;
  EXPECT_TRUE(contains(theirs.output, "HTTP/1.0 200 OK")) << theirs.output;

  auto s_server = openssl_server("-cert server.bundle.crt -key server.key -CAfile ca.crt -Verify 1 "
                                 "-verify_return_error");
  auto against_openssl = our_client("--ca ca.crt --cert client.pem --key client.pem");
  EXPECT_EQ(against_openssl.exit_code, 0) << against_openssl.output << s_server->log();
  EXPECT_TRUE(contains(against_openssl.output, "HTTP/1.0 200 ok")) << against_openssl.output;
}

}  // namespace
}  // namespace tls12::tools
