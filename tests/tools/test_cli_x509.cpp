// The `tls12` program's first subcommands, run as a user would: `verify`
// exit statuses (0 valid, 1 not valid with one line on stderr, 2 usage or
// unreadable input), `show` output for certificates and keys, and the help
// text of the program and each subcommand.
#include <gtest/gtest.h>

#include "tests/support/test_support.h"
#include "tests/x509/test_pki.h"

namespace tls12::tools {
namespace {

std::string pki(const char* file) { return (test::test_pki_dir() / file).string(); }

test::CommandResult tls12(const std::string& args) { return test::run_command(test::tls12_binary() + " " + args); }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(Cli, HelpIsComplete) {
  const auto top = tls12("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_TRUE(contains(top.output, "verify")) << top.output;
  EXPECT_TRUE(contains(top.output, "show")) << top.output;
  const auto verify = tls12("verify --help");
  EXPECT_EQ(verify.exit_code, 0);
  for (const char* opt : {"--ca", "--untrusted", "--host", "--ip", "--at", "--purpose", "--allow-cn-fallback", "LEAF"})
    EXPECT_TRUE(contains(verify.output, opt)) << opt << "\n" << verify.output;
  const auto show = tls12("show --help");
  EXPECT_EQ(show.exit_code, 0);
  for (const char* opt : {"FILE", "--der", "--passin"}) EXPECT_TRUE(contains(show.output, opt)) << opt;
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(tls12("").exit_code, 2) << "a subcommand is required";
  EXPECT_EQ(tls12("frobnicate").exit_code, 2);
  EXPECT_EQ(tls12("verify " + pki("server.pem")).exit_code, 2) << "--ca is required";
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " /nonexistent.pem").exit_code, 2);
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " --host localhost --ip 127.0.0.1 " + pki("server.pem")).exit_code, 2);
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " --purpose email " + pki("server.pem")).exit_code, 2);
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " --ip 300.1.1.1 " + pki("server.pem")).exit_code, 2);
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " --at soon " + pki("server.pem")).exit_code, 2);
  // Unreadable input: a file that holds no certificate.
  EXPECT_EQ(tls12("verify --ca " + pki("server.key") + " " + pki("server.pem")).exit_code, 2);
  EXPECT_EQ(tls12("verify --ca " + pki("ca.pem") + " " + pki("ext.cnf")).exit_code, 2);
}

TEST(Cli, VerifyReportsSuccessAndFailure) {
  const auto ok = tls12("verify --ca " + pki("ca.pem") + " --host localhost " + pki("server-bundle.pem"));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_TRUE(contains(ok.output, "OK")) << ok.output;
  EXPECT_TRUE(contains(ok.output, "tls12 Test Intermediate CA")) << ok.output;
  const auto bad = tls12("verify --ca " + pki("other-ca.pem") + " " + pki("server.pem") + " 2>&1 >/dev/null");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.output.rfind("tls12 verify: unknown_issuer: ", 0), 0u) << bad.output;
}

TEST(Cli, ShowCertificateFieldByField) {
  const auto r = tls12("show " + pki("server.pem"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* field : {"serialNumber", "sha256WithRSAEncryption", "issuer:  CN=tls12 Test Root CA,O=tls12 test",
                            "subject: CN=localhost,O=tls12 test", "notBefore", "notAfter", "RSA (2048 bit)",
                            "subjectAltName", "DNS:localhost", "IP:127.0.0.1", "extKeyUsage", "serverAuth",
                            "keyUsage (2.5.29.15), critical", "digitalSignature keyEncipherment"})
    EXPECT_TRUE(contains(r.output, field)) << field << "\n" << r.output;
  EXPECT_FALSE(contains(r.output, "-- DER --"));
  const auto der = tls12("show --der " + pki("server.pem"));
  EXPECT_TRUE(contains(der.output, "OBJECT IDENTIFIER 2.5.29.17 (subjectAltName)")) << der.output;
  EXPECT_TRUE(contains(der.output, "hl=4")) << der.output;
}

TEST(Cli, ShowBundlesAndKeys) {
  const auto bundle = tls12("show " + pki("server-bundle.pem"));
  size_t count = 0;
  for (size_t at = 0; (at = bundle.output.find("== CERTIFICATE", at)) != std::string::npos; ++at) ++count;
  EXPECT_EQ(count, 2u) << bundle.output;
  const auto locked = tls12("show " + pki("client.key"));
  EXPECT_EQ(locked.exit_code, 0);
  EXPECT_TRUE(contains(locked.output, "--pass")) << locked.output;
  const auto opened = tls12("show --passin pass:tls12-test-passphrase " + pki("client.key"));
  EXPECT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_TRUE(contains(opened.output, "RSA (4096 bit)")) << opened.output;
  EXPECT_TRUE(contains(opened.output, "not shown")) << "private components are never printed";
  EXPECT_EQ(tls12("show --passin pass:wrong " + pki("client.key")).exit_code, 2);
  const auto ed = tls12("show " + pki("ed25519.key"));
  EXPECT_TRUE(contains(ed.output, "Ed25519")) << ed.output;
  // EC keys: the curve by its names and the point's two coordinates.
  for (const char* file : {"p256-pub.pem", "p256.key"}) {
    const auto p256 = tls12(std::string("show ") + pki(file) + " 2>&1");
    EXPECT_EQ(p256.exit_code, 0) << p256.output;
    EXPECT_TRUE(contains(p256.output, "EC P-256")) << p256.output;
    EXPECT_TRUE(contains(p256.output, "curve: P-256 (secp256r1, prime256v1)")) << p256.output;
    EXPECT_TRUE(contains(p256.output, "    x: ")) << p256.output;
    EXPECT_TRUE(contains(p256.output, "    y: ")) << p256.output;
  }
}

}  // namespace
}  // namespace tls12::tools
