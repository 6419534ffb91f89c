// `tls12 pki` as a user runs it: the set `pki quick` makes is accepted by
// OpenSSL (verify, asn1parse -strictpem, rsa -check, ec -check) and completes mutual TLS
// with openssl s_server / s_client and with our own server and client; keys
// are created 0600; key/req/ca/sign chain together like the openssl commands
// they stand for; every refusal is one line and leaves nothing written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/tools/cli_test_support.h"

namespace tls12 {
namespace {

using test::contains;

std::string q(const std::string& s) { return "'" + s + "'"; }

test::CommandResult tls12(const std::string& args) {
  return test::run_command("timeout 120 " + test::tls12_program() + " " + args + " 2>&1");
}
test::CommandResult openssl(const std::string& args) { return test::run_command("openssl " + args + " 2>&1"); }

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

// The port our server (started with --port 0) reports on its first line, or
// "" if it did not start.
std::string listening_port(const test::Child& server) {
  const std::string marker = "listening on 127.0.0.1:";
  if (!server.wait_for_log(marker, 20)) return "";
  const std::string log = server.log();
  return std::to_string(std::stoi(log.substr(log.find(marker) + marker.size())));
}

// One line of output, ending in a newline.
bool one_line(const std::string& text) { return !text.empty() && text.find('\n') == text.size() - 1; }

class CliPki : public ::testing::Test {
 protected:
  std::filesystem::path dir = test::make_temp_dir("tls12-pki");
  std::string f(const std::string& name) const { return (dir / name).string(); }
  std::string set(const std::string& name) const { return (dir / "set" / name).string(); }
  void make_set() {
    const auto r = tls12("pki quick " + q((dir / "set").string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
};

TEST_F(CliPki, QuickMakesTheDocumentsSetWithOwnerOnlyKeys) {
  make_set();
  for (const char* name : {"ca.crt", "server.crt", "server.bundle.crt", "client.crt"})
    EXPECT_EQ(mode_of(set(name)) & 0600, 0600u) << name;
  for (const char* name : {"ca.key", "server.key", "client.key", "client.pem"})
    EXPECT_EQ(mode_of(set(name)), 0600u) << name;
  const auto server = openssl("verify -CAfile " + set("ca.crt") + " -purpose sslserver -verify_hostname localhost " +
                              set("server.crt"));
  EXPECT_EQ(server.exit_code, 0) << server.output;
  const auto ip = openssl("verify -CAfile " + set("ca.crt") + " -purpose sslserver -verify_ip ::1 " + set("server.crt"));
  EXPECT_EQ(ip.exit_code, 0) << ip.output;
  const auto client = openssl("verify -CAfile " + set("ca.crt") + " -purpose sslclient " + set("client.crt"));
  EXPECT_EQ(client.exit_code, 0) << client.output;
  // The CA's name constraints: it cannot vouch for another name.
  const auto other = openssl("verify -CAfile " + set("ca.crt") + " -verify_hostname example.com " + set("server.crt"));
  EXPECT_NE(other.exit_code, 0) << other.output;
  EXPECT_TRUE(contains(openssl("x509 -noout -text -in " + set("ca.crt")).output, "X509v3 Name Constraints: critical"));
  for (const char* name : {"ca.crt", "server.bundle.crt", "client.pem", "server.key"})
    EXPECT_EQ(openssl("asn1parse -strictpem -noout -in " + set(name)).exit_code, 0) << name;
  const auto check = openssl("rsa -check -noout -in " + set("server.key"));
  EXPECT_TRUE(contains(check.output, "RSA key ok")) << check.output;
  // Our own verifier agrees.
  const auto ours = tls12("verify --ca " + q(set("ca.crt")) + " --host localhost " + q(set("server.bundle.crt")));
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
}

TEST_F(CliPki, QuickSetCompletesMutualTlsBetweenOpensslPeers) {
  make_set();
  const uint16_t port = test::free_port();
  test::Child server({"openssl", "s_server", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                      set("server.bundle.crt"), "-key", set("server.key"), "-CAfile", set("ca.crt"), "-Verify", "1",
                      "-verify_return_error", "-rev"},
                     dir / "s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
  const auto r = test::run_command("(printf 'hello\\n'; sleep 1) | timeout 30 openssl s_client -connect 127.0.0.1:" +
                                   std::to_string(port) + " -servername localhost -verify_hostname localhost -CAfile " +
                                   set("ca.crt") + " -verify_return_error -brief -cert " + set("client.crt") +
                                   " -key " + set("client.key") + " 2>&1");
  EXPECT_TRUE(contains(r.output, "Verification: OK")) << r.output;
  EXPECT_TRUE(contains(r.output, "olleh")) << r.output;
  ASSERT_TRUE(server.wait_for_log("CONNECTION ESTABLISHED", 10)) << server.log();
  EXPECT_TRUE(contains(server.log(), "CN = tls12 demo client")) << server.log();
}

TEST_F(CliPki, QuickSetCompletesMutualTlsBetweenOurServerAndClient) {
  make_set();
  test::Child server({test::tls12_program(), "server", "--port", "0", "--cert", set("server.bundle.crt"), "--key",
                      set("server.key"), "--ca", set("ca.crt"), "--verify-client", "required", "--echo"},
                     dir / "server.log");
  const std::string port = listening_port(server);
  ASSERT_FALSE(port.empty()) << server.log();
  const auto r = test::run_command("(printf 'ping\\n'; sleep 1) | timeout 30 " + test::tls12_program() +
                                   " client localhost:" + port + " --ca " + q(set("ca.crt")) + " --cert " +
                                   q(set("client.crt")) + " --key " + q(set("client.key")) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output << server.log();
  EXPECT_EQ(r.output, "ping\n");
  EXPECT_TRUE(server.wait_for_log("Verification: OK", 10)) << server.log();
}

TEST_F(CliPki, Ed25519SetVerifiesAndServesTls) {
  const std::string ed = (dir / "ed").string();
  auto r = tls12("pki quick " + q(ed) + " --type ed25519 --host localhost");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(openssl("x509 -noout -text -in " + ed + "/server.crt").output, "ED25519"));
  const auto v = openssl("verify -CAfile " + ed + "/ca.crt -verify_hostname localhost " + ed + "/server.crt");
  EXPECT_EQ(v.exit_code, 0) << v.output;
  test::Child server({test::tls12_program(), "server", "--port", "0", "--cert", ed + "/server.bundle.crt", "--key",
                      ed + "/server.key", "--echo"},
                     dir / "ed-server.log");
  const std::string port = listening_port(server);
  ASSERT_FALSE(port.empty()) << server.log();
  const auto s = test::run_command("(printf 'ed\\n'; sleep 1) | timeout 30 openssl s_client -connect 127.0.0.1:" +
                                   port + " -servername localhost -verify_hostname localhost -CAfile " + ed +
                                   "/ca.crt -verify_return_error -brief 2>&1");
  EXPECT_TRUE(contains(s.output, "Verification: OK")) << s.output;
  EXPECT_TRUE(contains(s.output, "Signature type: ed25519")) << s.output;
  EXPECT_TRUE(contains(s.output, "\ned\n")) << s.output;  // echoed back
}

// ---- P-256 -------------------------------------------------------------------

TEST_F(CliPki, P256SetPassesOpensslChecksAndItsKeysReadBackByteForByte) {
  const std::string ec = (dir / "ec").string();
  const auto r = tls12("pki quick " + q(ec) + " --type p256");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name : {"ca.key", "server.key", "client.key"}) {
    const std::string key = ec + "/" + name;
    EXPECT_TRUE(contains(openssl("ec -check -noout -in " + key).output, "EC Key valid.")) << name;
    EXPECT_TRUE(contains(openssl("pkey -check -noout -in " + key).output, "Key is valid")) << name;
    // OpenSSL writes the key back out exactly as we wrote it.
    EXPECT_EQ(openssl("pkey -in " + key).output, test::read_text(key)) << name;
    // The certificate holds the key's public half.
    EXPECT_EQ(openssl("pkey -pubout -in " + key).output,
              openssl("x509 -pubkey -noout -in " + ec + "/" + std::string(name).substr(0, std::string(name).find('.')) +
                      ".crt").output)
        << name;
  }
  for (const char* name : {"ca.crt", "server.bundle.crt", "client.pem", "server.key"})
    EXPECT_EQ(openssl("asn1parse -strictpem -noout -in " + ec + "/" + name).exit_code, 0) << name;
  const auto text = openssl("x509 -noout -text -in " + ec + "/server.crt");
  EXPECT_TRUE(contains(text.output, "Signature Algorithm: ecdsa-with-SHA256")) << text.output;
  EXPECT_TRUE(contains(text.output, "ASN1 OID: prime256v1")) << text.output;
  EXPECT_FALSE(contains(text.output, "Key Encipherment")) << text.output;
  const auto v = openssl("verify -CAfile " + ec + "/ca.crt -purpose sslserver -verify_hostname localhost " + ec +
                         "/server.crt");
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_EQ(openssl("verify -CAfile " + ec + "/ca.crt -purpose sslclient " + ec + "/client.crt").exit_code, 0);
  const auto ours = tls12("verify --ca " + q(ec + "/ca.crt") + " --host localhost " + q(ec + "/server.bundle.crt"));
  EXPECT_EQ(ours.exit_code, 0) << ours.output;
}

TEST_F(CliPki, P256SetServesMutualTlsBetweenOpensslPeers) {
  const std::string ec = (dir / "ec").string();
  ASSERT_EQ(tls12("pki quick " + q(ec) + " --type p256").exit_code, 0);
  const uint16_t port = test::free_port();
  test::Child server({"openssl", "s_server", "-tls1_2", "-accept", "127.0.0.1:" + std::to_string(port), "-cert",
                      ec + "/server.bundle.crt", "-key", ec + "/server.key", "-CAfile", ec + "/ca.crt", "-Verify", "1",
                      "-verify_return_error", "-rev"},
                     dir / "ec-s_server.log");
  ASSERT_TRUE(test::wait_for_port(port, 20)) << server.log();
  const auto r = test::run_command("(printf 'hello\\n'; sleep 1) | timeout 30 openssl s_client -tls1_2 "
                                   "-connect 127.0.0.1:" + std::to_string(port) +
                                   " -servername localhost -verify_hostname localhost -CAfile " +
                                   ec + "/ca.crt -verify_return_error -brief -cert " + ec + "/client.crt -key " + ec +
                                   "/client.key 2>&1");
  EXPECT_TRUE(contains(r.output, "Verification: OK")) << r.output;
  EXPECT_TRUE(contains(r.output, "Ciphersuite: ECDHE-ECDSA-")) << r.output;
  EXPECT_TRUE(contains(r.output, "Signature type: ECDSA")) << r.output;
  EXPECT_TRUE(contains(r.output, "olleh")) << r.output;
  ASSERT_TRUE(server.wait_for_log("CONNECTION ESTABLISHED", 10)) << server.log();
  EXPECT_TRUE(contains(server.log(), "CN = tls12 demo client")) << server.log();
}

TEST_F(CliPki, P256SetServesMutualTlsBetweenOurServerAndClient) {
  const std::string ec = (dir / "ec").string();
  ASSERT_EQ(tls12("pki quick " + q(ec) + " --type p256").exit_code, 0);
  test::Child server({test::tls12_program(), "server", "--port", "0", "--cert", ec + "/server.bundle.crt", "--key",
                      ec + "/server.key", "--ca", ec + "/ca.crt", "--verify-client", "required", "--echo"},
                     dir / "ec-server.log");
  const std::string port = listening_port(server);
  ASSERT_FALSE(port.empty()) << server.log();
  const auto r = test::run_command("(printf 'ping\\n'; sleep 1) | timeout 30 " + test::tls12_program() +
                                   " client localhost:" + port + " --ca " + q(ec + "/ca.crt") + " --cert " +
                                   q(ec + "/client.crt") + " --key " + q(ec + "/client.key") + " 2>" +
                                   q(f("ec-client.err")));
  EXPECT_EQ(r.exit_code, 0) << r.output << server.log();
  EXPECT_EQ(r.output, "ping\n");
  EXPECT_TRUE(contains(test::read_text(f("ec-client.err")), "ECDHE_ECDSA")) << test::read_text(f("ec-client.err"));
  EXPECT_TRUE(server.wait_for_log("Verification: OK", 10)) << server.log();
}

TEST_F(CliPki, P256KeysRequestsAndCasMixWithRsa) {
  make_set();  // an RSA CA
  ASSERT_EQ(tls12("pki key " + q(f("ec.key")) + " --type p256 --pass pass:ecpass").exit_code, 0);
  EXPECT_EQ(mode_of(f("ec.key")), 0600u);
  EXPECT_TRUE(contains(test::read_text(f("ec.key")), "BEGIN ENCRYPTED PRIVATE KEY"));
  const auto opened = openssl("pkey -noout -text -in " + f("ec.key") + " -passin pass:ecpass");
  EXPECT_TRUE(contains(opened.output, "ASN1 OID: prime256v1")) << opened.output;
  EXPECT_NE(openssl("pkey -noout -in " + f("ec.key") + " -passin pass:wrong").exit_code, 0);
  auto r = tls12("pki req --key " + q(f("ec.key")) + " --passin pass:ecpass --subj /CN=localhost --san localhost "
                 "--out " + q(f("ec.csr")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto verified = openssl("req -verify -noout -text -in " + f("ec.csr"));
  EXPECT_TRUE(contains(verified.output, "verify OK")) << verified.output;
  EXPECT_TRUE(contains(verified.output, "Signature Algorithm: ecdsa-with-SHA256")) << verified.output;
  // An RSA CA issues to the P-256 subject.
  r = tls12("pki sign --csr " + q(f("ec.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --out " + q(f("ec-by-rsa.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto v = openssl("verify -CAfile " + set("ca.crt") + " -verify_hostname localhost " + f("ec-by-rsa.crt"));
  EXPECT_EQ(v.exit_code, 0) << v.output;
  // A P-256 CA (its key encrypted) issues to an RSA subject and to a P-256 one.
  ASSERT_EQ(tls12("pki ca --key " + q(f("ec.key")) + " --passin pass:ecpass --subj '/CN=EC CA' --out " +
                  q(f("ec-ca.crt"))).exit_code, 0);
  r = tls12("pki req --key " + q(set("server.key")) + " --subj /CN=localhost --san localhost --out " + q(f("rsa.csr")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const std::string& csr : {f("rsa.csr"), f("ec.csr")}) {
    const std::string out = csr + ".crt";
    r = tls12("pki sign --csr " + q(csr) + " --ca " + q(f("ec-ca.crt")) + " --ca-key " + q(f("ec.key")) +
              " --ca-pass pass:ecpass --out " + q(out));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    v = openssl("verify -CAfile " + f("ec-ca.crt") + " -purpose sslserver -verify_hostname localhost " + out);
    EXPECT_EQ(v.exit_code, 0) << csr << "\n" << v.output;
    EXPECT_TRUE(contains(openssl("x509 -noout -text -in " + out).output, "Signature Algorithm: ecdsa-with-SHA256"));
  }
  // A request openssl made with its own P-256 key is signed too.
  ASSERT_EQ(openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + f("o.key")).exit_code, 0);
  ASSERT_EQ(openssl("req -new -key " + f("o.key") + " -subj /CN=localhost -addext subjectAltName=DNS:localhost "
                    "-out " + f("o.csr")).exit_code, 0);
  r = tls12("pki sign --csr " + q(f("o.csr")) + " --ca " + q(f("ec-ca.crt")) + " --ca-key " + q(f("ec.key")) +
            " --ca-pass pass:ecpass --out " + q(f("o.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(openssl("verify -CAfile " + f("ec-ca.crt") + " " + f("o.crt")).exit_code, 0);
}

TEST_F(CliPki, UnknownKeyTypeIsOneLineAndWritesNothing) {
  for (const char* command : {"key ", "quick "}) {
    const auto r = tls12(std::string("pki ") + command + q(f("out")) + " --type p384");
    EXPECT_EQ(r.exit_code, 2) << command;
    EXPECT_TRUE(one_line(r.output)) << r.output;
    EXPECT_TRUE(contains(r.output, "--type: key type must be rsa2048, rsa3072, rsa4096, ed25519 or p256, not \"p384\""))
        << r.output;
    EXPECT_FALSE(std::filesystem::exists(f("out"))) << command;
  }
}

TEST_F(CliPki, KeyReqCaSignChainLikeTheOpensslCommands) {
  ASSERT_EQ(tls12("pki key " + q(f("ca.key")) + " --type ed25519").exit_code, 0);
  ASSERT_EQ(tls12("pki key " + q(f("server.key")) + " --pass pass:s3cret").exit_code, 0);
  EXPECT_EQ(mode_of(f("server.key")), 0600u);
  EXPECT_TRUE(contains(test::read_text(f("server.key")), "BEGIN ENCRYPTED PRIVATE KEY"));
  const auto opened = openssl("pkey -noout -in " + f("server.key") + " -passin pass:s3cret");
  EXPECT_EQ(opened.exit_code, 0) << opened.output;
  auto r = tls12("pki req --key " + q(f("server.key")) + " --passin pass:s3cret --subj /CN=www.example.test --san "
                 "www.example.test --san 192.0.2.1 --out " + q(f("server.csr")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto verified = openssl("req -verify -noout -in " + f("server.csr"));
  EXPECT_TRUE(contains(verified.output, "verify OK")) << verified.output;
  const auto shown = tls12("show " + q(f("server.csr")));
  EXPECT_TRUE(contains(shown.output, "requested subjectAltName: IP:192.0.2.1")) << shown.output;
  EXPECT_TRUE(contains(shown.output, "self-signature: verifies")) << shown.output;
  r = tls12("pki ca --key " + q(f("ca.key")) + " --subj '/CN=Example CA/O=Example' --permit example.test --permit "
            "192.0.2.1 --out " + q(f("ca.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = tls12("pki sign --csr " + q(f("server.csr")) + " --ca " + q(f("ca.crt")) + " --ca-key " + q(f("ca.key")) +
            " --days 30 --out " + q(f("server.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = openssl("verify -CAfile " + f("ca.crt") + " -verify_hostname www.example.test " + f("server.crt"));
  EXPECT_EQ(v.exit_code, 0) << v.output;
  const auto text = openssl("x509 -noout -text -in " + f("server.crt"));
  EXPECT_TRUE(contains(text.output, "IP Address:192.0.2.1")) << text.output;
  EXPECT_TRUE(contains(text.output, "Signature Algorithm: ED25519")) << text.output;
  // --pubkey instead of a request, for a client certificate. Under a
  // name-constrained CA a CN that looks like a host name ("someone") is held
  // to the DNS constraints (docs/x509.md), so a person's name is used.
  openssl("pkey -in " + f("server.key") + " -passin pass:s3cret -pubout -out " + f("server.pub"));
  r = tls12("pki sign --pubkey " + q(f("server.pub")) + " --subj '/CN=Some One' --client --ca " + q(f("ca.crt")) +
            " --ca-key " + q(f("ca.key")) + " --out " + q(f("client.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(openssl("verify -purpose sslclient -CAfile " + f("ca.crt") + " " + f("client.crt")).exit_code, 0);
}

// The other direction: what openssl makes, tls12 reads and signs (the
// documents' server key with -aes256, its request with a subjectAltName).
TEST_F(CliPki, SignsRequestsAndUsesKeysThatOpensslMade) {
  make_set();
  auto made = openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:docs -out " +
                      f("server.key"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  made = openssl("req -new -key " + f("server.key") + " -passin pass:docs -subj /CN=localhost -addext "
                 "subjectAltName=DNS:localhost,IP:127.0.0.1 -out " + f("openssl.csr"));
  ASSERT_EQ(made.exit_code, 0) << made.output;
  auto r = tls12("pki sign --csr " + q(f("openssl.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " +
                 q(set("ca.key")) + " --out " + q(f("server.crt")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto v = openssl("verify -CAfile " + set("ca.crt") + " -purpose sslserver -verify_ip 127.0.0.1 " +
                         f("server.crt"));
  EXPECT_EQ(v.exit_code, 0) << v.output;
  // The openssl-encrypted key makes a request of ours too.
  r = tls12("pki req --key " + q(f("server.key")) + " --passin pass:docs --subj /CN=localhost --san localhost --out " +
            q(f("ours.csr")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(openssl("req -verify -noout -in " + f("ours.csr")).output, "verify OK"));
}

TEST_F(CliPki, EveryRsaSizePassesOpensslRsaCheck) {
  for (const char* type : {"rsa2048", "rsa3072", "rsa4096"}) {
    const std::string key = f(std::string(type) + ".key");
    ASSERT_EQ(tls12("pki key " + q(key) + " --type " + type).exit_code, 0) << type;
    const auto check = openssl("rsa -check -noout -text -in " + key);
    EXPECT_TRUE(contains(check.output, "RSA key ok")) << type << "\n" << check.output;
    EXPECT_TRUE(contains(check.output, std::string("Private-Key: (") + (type + 3) + " bit, 2 primes)")) << check.output;
    EXPECT_TRUE(contains(check.output, "publicExponent: 65537 (0x10001)")) << check.output;
  }
}

TEST_F(CliPki, ExistingFilesAreRefusedUnlessForced) {
  make_set();
  const std::string before = test::read_text(set("ca.crt"));
  const auto again = tls12("pki quick " + q((dir / "set").string()));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(one_line(again.output)) << again.output;
  EXPECT_TRUE(contains(again.output, "ca.crt exists (use --force to replace it)")) << again.output;
  EXPECT_EQ(test::read_text(set("ca.crt")), before);
  EXPECT_EQ(tls12("pki quick --force " + q((dir / "set").string())).exit_code, 0);
  EXPECT_NE(test::read_text(set("ca.crt")), before);
}

TEST_F(CliPki, NothingIsHalfWritten) {
  // One file of the set exists: nothing else may appear.
  std::filesystem::create_directories(dir / "partial");
  test::write_file(dir / "partial" / "server.key", as_bytes("mine"));
  const auto r = tls12("pki quick " + q((dir / "partial").string()));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "server.key exists")) << r.output;
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "partial")) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(test::read_text(dir / "partial" / "server.key"), "mine");
  // An unwritable place: one line naming it.
  const auto unwritable = tls12("pki key /proc/no-such-dir/k.key");
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_TRUE(one_line(unwritable.output)) << unwritable.output;
  EXPECT_TRUE(contains(unwritable.output, "cannot write /proc/no-such-dir/k.key")) << unwritable.output;
}

TEST_F(CliPki, BadInputGetsOneLineNamingTheProblem) {
  make_set();
  // A request whose signature does not verify: flip one bit of the subject.
  ASSERT_EQ(tls12("pki req --key " + q(set("server.key")) + " --subj /CN=aaaa --out " + q(f("good.csr"))).exit_code, 0);
  std::string pem = test::read_text(f("good.csr"));
  openssl("req -in " + f("good.csr") + " -outform DER -out " + f("good.der"));
  Bytes der = test::read_file(f("good.der"));
  const std::string cn = "aaaa";
  auto at = std::search(der.begin(), der.end(), cn.begin(), cn.end());
  ASSERT_NE(at, der.end());
  *at = 'b';
  test::write_file(f("bad.der"), der);
  openssl("req -inform DER -in " + f("bad.der") + " -out " + f("bad.csr"));
  auto r = tls12("pki sign --csr " + q(f("bad.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " +
                 q(set("ca.key")) + " --out " + q(f("bad.crt")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "the request's signature does not verify")) << r.output;
  EXPECT_FALSE(std::filesystem::exists(f("bad.crt")));
  // A "CA" that is a server certificate.
  r = tls12("pki sign --csr " + q(f("good.csr")) + " --ca " + q(set("server.crt")) + " --ca-key " +
            q(set("server.key")) + " --san aaaa.test --out " + q(f("x.crt")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "is not a CA (no basicConstraints CA:TRUE)")) << r.output;
  // A name that is neither a DNS name nor an address.
  r = tls12("pki quick " + q(f("bad-host")) + " --host 'bad_name!'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "'bad_name!' is neither a DNS name nor an IP address")) << r.output;
  EXPECT_FALSE(std::filesystem::exists(f("bad-host")));
  // A validity that ends before it starts is refused by the option itself.
  r = tls12("pki sign --csr " + q(f("good.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --san aaaa.test --days 0 --out " + q(f("y.crt")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_FALSE(std::filesystem::exists(f("y.crt")));
  // A server certificate without any name.
  r = tls12("pki sign --csr " + q(f("good.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --out " + q(f("z.crt")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "needs at least one DNS name or IP address")) << r.output;
  // A wildcard is not a name constraint.
  r = tls12("pki ca --key " + q(set("ca.key")) + " --subj /CN=x --permit '*.example.com' --out " + q(f("wc.crt")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "--permit: '*.example.com' is a wildcard")) << r.output;
  // A name the CA's name constraints do not permit: refused, not written.
  r = tls12("pki sign --csr " + q(f("good.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --san example.com --out " + q(f("nc.crt")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "the certificate would not verify under its CA")) << r.output;
  EXPECT_FALSE(std::filesystem::exists(f("nc.crt")));
  // A wrong CA key.
  r = tls12("pki sign --csr " + q(f("good.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("client.key")) +
            " --san aaaa.test --out " + q(f("w.crt")));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.output, "the CA key does not belong to the CA certificate")) << r.output;
  EXPECT_TRUE(contains(tls12("pki key " + q(f("k")) + " --type rsa1024").output, "--type: key type must be"));
  // Input that cannot be read is status 2, one line naming the file.
  r = tls12("pki sign --csr " + q(f("missing.csr")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --out " + q(f("m.crt")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "cannot read " + f("missing.csr"))) << r.output;
  r = tls12("pki sign --csr " + q(set("ca.crt")) + " --ca " + q(set("ca.crt")) + " --ca-key " + q(set("ca.key")) +
            " --out " + q(f("m.crt")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.output, "no CERTIFICATE REQUEST block")) << r.output;
  ASSERT_EQ(tls12("pki key " + q(f("enc.key")) + " --type ed25519 --pass pass:right").exit_code, 0);
  r = tls12("pki req --key " + q(f("enc.key")) + " --passin pass:wrong --subj /CN=x --out " + q(f("w.csr")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r.output)) << r.output;
  EXPECT_TRUE(contains(r.output, "wrong passphrase")) << r.output;
  EXPECT_FALSE(std::filesystem::exists(f("w.csr")));
}

}  // namespace
}  // namespace tls12
