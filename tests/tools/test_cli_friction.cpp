// The `tls12` program as someone who knows openssl s_client and s_server
// uses it: the README's pipe example against every server, the options they
// look for, and each message that should name the problem and its fix.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "tests/tools/cli_test_support.h"

namespace tls12::tools {
namespace {

using test::contains;
using test::demo_pki;

std::string q(const std::string& s) { return "'" + s + "'"; }

test::CommandResult tls12(const std::string& args) {
  return test::run_command("timeout 60 " + test::tls12_program() + " " + args);
}

std::string client_to(uint16_t port) {
  return test::tls12_program() + " client localhost:" + std::to_string(port) + " --ca " + q(demo_pki("ca.crt"));
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class CliFriction : public ::testing::Test {
 protected:
  std::filesystem::path dir = test::make_temp_dir("tls12-friction");

  std::string get_through_pipe(uint16_t port, const std::string& options = "") {
    return test::run_command("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 " + client_to(port) + " " + options +
                             " 2>/dev/null")
        .output;
  }
};

// ---------------------------------------------------------------- end of input

TEST_F(CliFriction, ThePipeExampleWorksAgainstOurOwnServer) {
  test::OurServer server({"--www"}, dir);
  // (With --close-at-eof the answer is lost or not depending on whether the
  // server read the request before the close_notify: no test can pin that.)
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(contains(get_through_pipe(server.port()), "HTTP/1.0 200 OK"));
}

TEST_F(CliFriction, ThePipeExampleWorksAgainstOpensslServer) {
  uint16_t port = test::free_port();
  test::Child server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                      demo_pki("server.crt"), "-key", demo_pki("server.key"), "-www"},
                     dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
  EXPECT_TRUE(contains(get_through_pipe(port), "HTTP/1.0 200 ok")) << server.log();
}

TEST_F(CliFriction, EchoAnswersArriveBeforeTheClientCloses) {
  test::OurServer server({"--echo"}, dir);
  auto r = test::run_command("printf 'a\\nb\\n' | timeout 30 " + client_to(server.port()) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "a\nb\n");
  auto crlf = test::run_command("printf 'a\\nb\\n' | timeout 30 " + client_to(server.port()) + " --crlf 2>/dev/null");
  EXPECT_EQ(crlf.output, "a\r\nb\r\n");
}

// ---------------------------------------------------------------- client options

TEST_F(CliFriction, WithoutCaTheClientUsesTheSystemRoots) {
  test::OurServer server({"--www"}, dir);
  auto r = tls12("client localhost:" + std::to_string(server.port()) + " --close-at-eof </dev/null");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  // The demo CA is not one of the system's roots, so the chain has no trusted issuer.
  EXPECT_TRUE(contains(r.output, "unknown_ca")) << r.output;
  std::filesystem::create_directories(dir / "cas");
  std::filesystem::copy_file(demo_pki("ca.crt"), dir / "cas" / "demo.pem");
  auto with_capath = tls12("client localhost:" + std::to_string(server.port()) + " --capath " +
                           q((dir / "cas").string()) + " --close-at-eof </dev/null");
  EXPECT_EQ(with_capath.exit_code, 0) << with_capath.output;
  EXPECT_TRUE(contains(with_capath.output, "Verification: OK")) << with_capath.output;
}

TEST_F(CliFriction, ShowcertsBriefAndQuiet) {
  test::OurServer server({"--www"}, dir);
  std::string client = client_to(server.port()) + " --close-at-eof </dev/null";
  auto full = test::run_command(client + " --showcerts 2>&1 >/dev/null");
  EXPECT_EQ(count_of(full.output, "-----BEGIN CERTIFICATE-----"), 2u) << full.output;
  EXPECT_TRUE(std::regex_search(full.output, std::regex("SHA-256 fingerprint: ([0-9A-F]{2}:){31}[0-9A-F]{2}")))
      << full.output;
  EXPECT_TRUE(contains(full.output, "issuer: CN=tls12 demo CA,O=tls12 demo")) << full.output;
  auto brief = test::run_command(client + " --brief 2>&1 >/dev/null");
  EXPECT_TRUE(std::regex_match(brief.output,
                               std::regex("Connected to localhost:[0-9]+: TLS 1.2 \\(0x0303\\), "
                                          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, verification OK\n")))
      << brief.output;
  EXPECT_EQ(test::run_command(client + " --quiet 2>&1 >/dev/null").output, "");
}

TEST_F(CliFriction, NoTicketLeavesTheSessionTicketExtensionOut) {
  test::OurServer server({"--www"}, dir);
  std::string client = client_to(server.port()) + " --reconnect --close-at-eof --trace=bytes </dev/null 2>&1";
  EXPECT_TRUE(contains(test::run_command(client).output, "extensions.session_ticket"));
  auto r = test::run_command(client + " --no-ticket");
  EXPECT_FALSE(contains(r.output, "extensions.session_ticket")) << r.output;
  EXPECT_TRUE(contains(r.output, "Session reused: yes")) << "resumed by session ID instead";
}

TEST_F(CliFriction, AMissingClientCertificateIsNamedAsTheCause) {
  test::OurServer server({"--www", "--ca", demo_pki("ca.crt"), "--verify-client", "required"}, dir);
  auto r = tls12("client localhost:" + std::to_string(server.port()) + " --ca " + q(demo_pki("ca.crt")) +
                 " </dev/null");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "handshake_failure")) << r.output;
  EXPECT_TRUE(contains(r.output, "the server asked for a client certificate and none was sent: give --cert and --key"))
      << r.output;
}

// ---------------------------------------------------------------- keys

TEST_F(CliFriction, AnEncryptedKeyNamesPassOrPromptsNamingTheFile) {
  std::string key = (dir / "server.key").string();
  ASSERT_EQ(test::run_command("openssl genpkey -algorithm RSA -out " + q(key) + " -aes256 -pass pass:s3cret").exit_code,
            0);
  auto r = tls12("show " + q(key) + " --pass pass:s3cret");
  EXPECT_TRUE(contains(r.output, "decrypted PrivateKeyInfo")) << r.output;
  // No terminal: the error says which option gives the passphrase.
  std::string cert = (dir / "server.crt").string();
  ASSERT_EQ(test::run_command("openssl req -new -x509 -key " + q(key) + " -passin pass:s3cret -subj /CN=localhost -out " +
                              q(cert))
                .exit_code,
            0);
  auto no_pass = test::run_command("setsid " + test::tls12_program() + " server --port 0 --cert " + q(cert) +
                                   " --key " + q(key) + " </dev/null 2>&1");
  EXPECT_EQ(no_pass.exit_code, 2);
  EXPECT_TRUE(contains(no_pass.output, "--key " + key + " is encrypted: give its passphrase with --pass")) << no_pass.output;
  // On a terminal it asks, and the prompt names the file.
  auto prompted = test::run_command("(sleep 1; echo s3cret) | script -qec \"" + test::tls12_program() + " show " +
                                    key + " --pass prompt\" /dev/null");
  EXPECT_TRUE(contains(prompted.output, "Enter passphrase for " + key + ":")) << prompted.output;
  EXPECT_TRUE(contains(prompted.output, "decrypted PrivateKeyInfo")) << prompted.output;
}

TEST_F(CliFriction, ABundleWithTheCaFirstSaysWhichOrderToUse) {
  std::string bundle = (dir / "wrong-order.crt").string();
  test::run_command("cat " + q(demo_pki("ca.crt")) + " " + q(demo_pki("server.crt")) + " > " + q(bundle));
  auto r = tls12("server --port 0 --cert " + q(bundle) + " --key " + q(demo_pki("server.key")) + " 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "does not belong")) << r.output;
  EXPECT_TRUE(contains(r.output, "put the server's own certificate first")) << r.output;
}

// ---------------------------------------------------------------- server

TEST_F(CliFriction, TheServerLogsOnStderrAndPrintsClientDataOnStdout) {
  uint16_t port = test::free_port();
  std::string out = (dir / "out.txt").string(), err = (dir / "err.txt").string();
  // exec: the shell becomes the server, so the Child's kill stops the server
  // itself (a shell that forked it would leave it running after the test).
  test::Child server({"sh", "-c",
                      "exec " + test::tls12_program() + " server --port " + std::to_string(port) + " --cert " +
                          q(demo_pki("server.bundle.crt")) + " --key " + q(demo_pki("server.key")) + " >" + q(out) +
                          " 2>" + q(err)},
                     dir / "sh.log");
  ASSERT_TRUE(test::wait_for_port(port, 20));
  test::run_command("printf 'hello' | timeout 30 " + client_to(port) + " --close-at-eof");
  for (int i = 0; i < 100 && !contains(test::read_text(err), "closed"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(test::read_text(out), "hello");
  EXPECT_TRUE(contains(test::read_text(err), "handshake complete")) << test::read_text(err);
}

TEST_F(CliFriction, WwwOffersOnlyHttp1AndCurlGetsThePageOverAlpn) {
  test::OurServer server({"--www", "--alpn", "h2,http/1.1"}, dir);
  EXPECT_TRUE(contains(server.child().log(), "offering only the http/1.x names of --alpn"));
  auto r = test::run_command("curl -s --cacert " + q(demo_pki("ca.crt")) + " https://localhost:" +
                             std::to_string(server.port()) + "/");
  EXPECT_TRUE(contains(r.output, "ALPN: http/1.1")) << r.output;
}

TEST_F(CliFriction, PlainHttpToTheTlsPortIsCalledThat) {
  test::OurServer server({"--www"}, dir);
  test::run_command("curl -s --max-time 5 http://localhost:" + std::to_string(server.port()) + "/");
  EXPECT_TRUE(server.child().wait_for_log("it looks like plain HTTP", 10)) << server.child().log();
}

TEST_F(CliFriction, ServerOptionsGroupsAndChain) {
  // --chain completes a leaf-only --cert; --groups picks ffdhe3072 over the client's first choice.
  uint16_t port = test::free_port();
  test::Child server({test::tls12_program(), "server", "--port", std::to_string(port), "--cert", demo_pki("server.crt"),
                      "--key", demo_pki("server.key"), "--chain", demo_pki("ca.crt"), "--groups", "ffdhe3072",
                      "--www"},
                     dir / "chain.log");
  ASSERT_TRUE(test::wait_for_port(port, 20));
  auto r = test::run_command("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 " + client_to(port) +
                             " --ciphers DHE-RSA-AES128-GCM-SHA256 --groups ffdhe2048,ffdhe3072 2>&1");
  EXPECT_TRUE(contains(r.output, "Server certificate 1:")) << r.output;
  EXPECT_TRUE(contains(r.output, "Group: ffdhe3072")) << r.output;
}

TEST_F(CliFriction, GroupNamesInAnyCaseAndOpensslSpellingsOfP256) {
  // --groups takes P-256 and PRIME256V1 as secp256r1; the server prefers it
  // over the client's first choice, and the summary names it as the RFC does.
  uint16_t port = test::free_port();
  test::Child server({test::tls12_program(), "server", "--port", std::to_string(port), "--cert", demo_pki("server.crt"),
                      "--key", demo_pki("server.key"), "--chain", demo_pki("ca.crt"), "--groups", "P-256,X25519",
                      "--www"},
                     dir / "p256.log");
  ASSERT_TRUE(test::wait_for_port(port, 20));
  auto r = test::run_command("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 " + client_to(port) +
                             " --ciphers ECDHE-RSA-AES128-GCM-SHA256 --groups x25519,PRIME256V1 2>&1");
  EXPECT_TRUE(contains(r.output, "Group: secp256r1")) << r.output;
}

TEST_F(CliFriction, ServerWithAnRsaAndAP256ChainServesEachClientItsKind) {
  // A P-256 certificate from the demo CA, its key as `openssl ecparam` writes
  // it (SEC 1 "EC PRIVATE KEY"), given as a second --cert/--key.
  std::string d = q(dir.string());
  ASSERT_EQ(test::run_command("cd " + d + " && openssl ecparam -name prime256v1 -genkey -noout -out ec.key && "
                              "openssl req -new -key ec.key -subj /CN=localhost -out ec.csr && "
                              "printf 'subjectAltName=DNS:localhost\\n' > ec.cnf && "
                              "openssl x509 -req -in ec.csr -CA " + q(demo_pki("ca.crt")) + " -CAkey " +
                              q(demo_pki("ca.key")) + " -CAserial ec.srl -CAcreateserial -days 30 -sha256 -extfile ec.cnf -out ec.crt "
                              "2>/dev/null")
                .exit_code,
            0);
  test::OurServer server({"--www", "--cert", (dir / "ec.crt").string(), "--key", (dir / "ec.key").string()}, dir);
  auto ask = [&](const std::string& options) {
    return test::run_command("printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 30 " + client_to(server.port()) + " " +
                             options + " 2>&1");
  };
  auto ecdsa = ask("--ciphers ECDHE-ECDSA-AES128-GCM-SHA256 --groups P-256");
  EXPECT_TRUE(contains(ecdsa.output, "Signature scheme: ecdsa_secp256r1_sha256")) << ecdsa.output;
  EXPECT_TRUE(contains(ecdsa.output, "Group: secp256r1")) << ecdsa.output;
  auto rsa = ask("--ciphers ECDHE-RSA-AES128-GCM-SHA256");
  EXPECT_TRUE(contains(rsa.output, "Signature scheme: rsa_")) << rsa.output;
  auto by_sigalgs = ask("--sigalgs rsa_pss_rsae_sha256");
  EXPECT_TRUE(contains(by_sigalgs.output, "Signature scheme: rsa_pss_rsae_sha256")) << by_sigalgs.output;
  auto show = test::run_command(test::tls12_program() + " show " + q((dir / "ec.crt").string()));
  EXPECT_TRUE(contains(show.output, "curve: P-256 (secp256r1, prime256v1)")) << show.output;
}

TEST_F(CliFriction, ServerNotesCaWithoutVerifyClientAndAnExpiredCertificate) {
  test::OurServer server({"--www", "--ca", demo_pki("ca.crt")}, dir);
  EXPECT_TRUE(contains(server.child().log(), "--ca is used only with --verify-client")) << server.child().log();
  // A certificate that expired in 2021, issued by the demo CA with `openssl ca`.
  std::string d = q(dir.string());
  std::string script =
      "cd " + d + " && mkdir -p db && touch db/index.txt && echo 01 > db/serial && "
      "printf '[ca]\\ndefault_ca=d\\n[d]\\ndatabase=db/index.txt\\nserial=db/serial\\nnew_certs_dir=db\\n"
      "default_md=sha256\\npolicy=p\\n[p]\\ncommonName=supplied\\n' > ca.cnf && "
      "openssl req -new -newkey rsa:2048 -nodes -keyout old.key -subj /CN=localhost -out old.csr 2>/dev/null && "
      "openssl ca -batch -config ca.cnf -cert " + q(demo_pki("ca.crt")) + " -keyfile " + q(demo_pki("ca.key")) +
      " -in old.csr -out old.crt -startdate 20200101000000Z -enddate 20210101000000Z -notext 2>/dev/null";
  ASSERT_EQ(test::run_command(script).exit_code, 0);
  test::Child expired({test::tls12_program(), "server", "--port", "0", "--cert", (dir / "old.crt").string(), "--key",
                       (dir / "old.key").string()},
                      dir / "expired.log");
  ASSERT_TRUE(expired.wait_for_log("listening", 20)) << expired.log();
  EXPECT_TRUE(contains(expired.log(), "expired on 2021-01-01 00:00:00 UTC; clients that verify it will refuse it"))
      << expired.log();
}

TEST_F(CliFriction, SniAndTheCheckedNameAreSeparateAndTheDepthIsBounded) {
  test::OurServer server({"--www"}, dir);
  std::string client = client_to(server.port()) + " --close-at-eof </dev/null";
  // No SNI: the server sees none, the client still checks "localhost".
  auto no_sni = test::run_command(client + " --noservername 2>&1");
  EXPECT_EQ(no_sni.exit_code, 0) << no_sni.output;
  EXPECT_TRUE(server.child().wait_for_log("Server name: none", 10)) << server.child().log();
  // The name checked can differ from the one sent.
  auto other = test::run_command(client + " --verify-hostname other.example 2>&1");
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_TRUE(contains(other.output, "other.example")) << other.output;
  auto sent_other = test::run_command(test::tls12_program() + " client 127.0.0.1:" + std::to_string(server.port()) +
                                      " --ca " + q(demo_pki("ca.crt")) +
                                      " --servername other.example --verify-hostname localhost --close-at-eof "
                                      "</dev/null 2>&1");
  EXPECT_EQ(sent_other.exit_code, 0) << sent_other.output;
  // The demo chain is two certificates long, anchor included.
  EXPECT_EQ(test::run_command(client + " --verify-depth 2 2>&1").exit_code, 0);
  auto too_deep = test::run_command(client + " --verify-depth 1 2>&1");
  EXPECT_EQ(too_deep.exit_code, 1) << too_deep.output;
  auto empty_host = tls12("verify --ca " + q(demo_pki("ca.crt")) + " --host '' " + q(demo_pki("server.crt")) + " 2>&1");
  EXPECT_EQ(empty_host.exit_code, 2) << empty_host.output;
  EXPECT_TRUE(contains(empty_host.output, "must not be empty")) << empty_host.output;
}

TEST_F(CliFriction, ServerSigalgsAndVerifyDepthReachTheClientCertificateCheck) {
  std::string client_cert = " --cert " + q(demo_pki("client.crt")) + " --key " + q(demo_pki("client.key"));
  test::OurServer sigalgs({"--www", "--verify-client", "required", "--ca", demo_pki("ca.crt"), "--sigalgs",
                           "rsa_pkcs1_sha384"},
                          dir);
  auto signed_as_asked = test::run_command(client_to(sigalgs.port()) + client_cert + " --trace --close-at-eof "
                                           "</dev/null 2>&1");
  EXPECT_EQ(signed_as_asked.exit_code, 0) << signed_as_asked.output;
  EXPECT_TRUE(contains(signed_as_asked.output, "CertificateVerify (264 bytes): signed with rsa_pkcs1_sha384"))
      << signed_as_asked.output;
  // The client's chain is two certificates long, anchor included.
  test::OurServer shallow({"--www", "--verify-client", "required", "--ca", demo_pki("ca.crt"), "--verify-depth", "1"},
                          dir);
  auto refused = test::run_command(client_to(shallow.port()) + client_cert + " --close-at-eof </dev/null 2>&1");
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_TRUE(shallow.child().wait_for_log("chain_too_long", 10)) << shallow.child().log();
}

// ---------------------------------------------------------------- the program

TEST_F(CliFriction, VersionHelpAndCommandLineErrors) {
  auto version = tls12("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(std::regex_match(version.output, std::regex("tls12 [0-9]+\\.[0-9]+\\.[0-9]+\n"))) << version.output;
  auto demo = tls12("demo --help");
  EXPECT_TRUE(contains(demo.output, "--trace [=LEVEL]")) << demo.output;
  EXPECT_FALSE(contains(demo.output, "TEXT=bytes")) << "the help showed a default that is not the default";
  auto unknown = tls12("frobnicate 2>&1");
  EXPECT_EQ(unknown.output, "tls12: unknown command 'frobnicate' (commands: verify, show, demo, server, client, pki, illustrate; "
                            "see tls12 --help)\n");
  auto show = tls12("show " + q(demo_pki("server.crt")));
  EXPECT_TRUE(contains(show.output, "SHA-256 fingerprint: ")) << show.output;
}

}  // namespace
}  // namespace tls12::tools
