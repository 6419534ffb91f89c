// `tls12 pki`: the certificate authority work of the source documents, done
// by the program itself with x509/key_writer.h, request.h and issue.h. Each
// subcommand is the counterpart of one openssl command:
//
//   tls12 pki key   OUT            openssl genpkey -algorithm RSA|EC [-aes256] -out OUT
//   tls12 pki req   --key --subj   openssl req -new -key KEY -subj ... -addext subjectAltName=...
//   tls12 pki ca    --key --subj   openssl req -x509 -new -key KEY -subj ... (CA:TRUE, keyCertSign)
//   tls12 pki sign  --csr --ca     openssl x509 -req -in CSR -CA ca.crt -CAkey ca.key -extfile ...
//   tls12 pki quick DIR            all of the above for a CA, a server and a client
//
// Output files are written all or nothing (tools/output_files.h); private
// keys are created with mode 0600. Every refusal is one line naming the
// problem: a request whose signature does not verify, a CA certificate that
// is not a CA, a host that is not a DNS name or an address, a validity
// that would end in the past, a file that exists without --force.
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "tools/commands.h"
#include "tools/output_files.h"
#include "x509/pki_set.h"
#include "tools/tls_options.h"
#include "x509/certificate.h"
#include "x509/issue.h"
#include "x509/key_writer.h"
#include "x509/path_validation.h"
#include "x509/pem.h"
#include "x509/request.h"

namespace tls12::tools {

namespace {

constexpr int64_t kDay = 86400;
// Where we refuse what openssl would write (docs/pki.md).
constexpr const char* kStrictNames =
    "Stricter than openssl, on purpose: DNS names must be host names (letters, digits, inner hyphens) or *.name";

struct PkiArgs {
  std::string out, key, passin, pass, type = "rsa2048", subject, csr, pubkey, ca, ca_key, ca_pass;
  std::vector<std::string> names, permit;
  int days = 0;
  int path_length = -1;
  bool client = false, force = false;
};

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

// Reads a passphrase source whose prompt names `what`.
SecretBytes passphrase_for(const std::string& spec, const std::string& what) {
  x509::PassphraseSource source = parse_passphrase(spec);
  if (source.kind == x509::PassphraseSource::Kind::prompt) source.argument = what;
  return x509::read_passphrase(source);
}

// Runs `read` on an input file; whatever goes wrong there (unreadable,
// malformed, wrong passphrase) is bad input, exit status 2, as in every
// command (tools/commands.h). Refusals about well-formed input are status 1.
template <class Read>
auto read_input(Read read) {
  try {
    return read();
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw UsageError(e.what());
  }
}

x509::PrivateKey load_key(const std::string& file, const std::string& passin) {
  x509::PassphraseSource source = parse_passphrase(passin);
  if (source.kind == x509::PassphraseSource::Kind::prompt) source.argument = file;
  return read_input([&] { return x509::load_private_key_file(file, source); });
}

x509::SubjectAltNames names_from(const std::vector<std::string>& entries, std::string_view option = "--san") {
  try {
    return x509::parse_subject_alt_names(entries);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string(option) + ": " + e.what());
  }
}

Bytes subject_from(const std::string& subject) {
  try {
    return x509::encode_distinguished_name(subject);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--subj: ") + e.what());
  }
}

x509::KeyType key_type_from(const std::string& type) {
  try {
    return x509::parse_key_type(type);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--type: ") + e.what());
  }
}

// `openssl genpkey`: a new key, encrypted when --pass is given.
void run_key(const PkiArgs& a) {
  const x509::KeyType type = key_type_from(a.type);
  const SecretBytes pass = a.pass.empty() ? SecretBytes{} : passphrase_for(a.pass, a.out);
  if (!a.pass.empty() && pass.empty()) throw UsageError("--pass: the passphrase is empty");
  // A typing mistake in a new passphrase would lock the key away: ask twice.
  if (a.pass == "prompt" && passphrase_for(a.pass, a.out + " (again)") != pass)
    throw UsageError("--pass: the two passphrases differ");
  const x509::GeneratedKey key = x509::generate_key(type);
  OutputFiles out;
  out.add(a.out, x509::private_key_pem(key.private_key_info, pass), true);
  out.commit(a.force);
}

// `openssl req -new`: a PKCS #10 request signed with the key.
void run_req(const PkiArgs& a) {
  const x509::PrivateKey key = load_key(a.key, a.passin);
  const Bytes der = x509::make_certification_request(key, subject_from(a.subject), names_from(a.names));
  OutputFiles out;
  out.add(a.out, x509::encode_pem("CERTIFICATE REQUEST", der), false);
  out.commit(a.force);
}

// `openssl req -x509`: a self-signed CA certificate.
void run_ca(const PkiArgs& a) {
  const x509::PrivateKey key = load_key(a.key, a.passin);
  x509::CertificateTemplate t;
  t.profile = x509::CertificateProfile::ca;
  t.subject = subject_from(a.subject);
  t.subject_public_key_info = x509::encode_subject_public_key_info(x509::public_key_of(key));
  t.not_before = now();
  t.not_after = now() + int64_t{a.days} * kDay;
  if (a.path_length >= 0) t.path_length = a.path_length;
  const x509::SubjectAltNames permitted = names_from(a.permit, "--permit");
  for (const std::string& dns : permitted.dns_names)
    if (dns.rfind("*.", 0) == 0)
      throw UsageError("--permit: '" + dns + "' is a wildcard; a constraint is a domain (" + dns.substr(2) +
                       " permits it and every name below it, RFC 5280 §4.2.1.10)");
  t.permitted = x509::PermittedNames{permitted.dns_names, permitted.ip_addresses};
  OutputFiles out;
  out.add(a.out, x509::encode_pem("CERTIFICATE", x509::issue_certificate(t, x509::self_issuer(t.subject, key), now())),
          false);
  out.commit(a.force);
}

// The subject, key and names a certificate is issued for: from a request
// (whose signature must verify) or from a public key file and --subj.
void fill_subject(const PkiArgs& a, x509::CertificateTemplate& t) {
  if (!a.csr.empty()) {
    const x509::CertificationRequest req = read_input([&] {
      const auto blocks = x509::pem_blocks_with_label(x509::read_text_file(a.csr), "CERTIFICATE REQUEST");
      if (blocks.empty()) throw UsageError(a.csr + ": no CERTIFICATE REQUEST block");
      try {
        return x509::CertificationRequest::parse(blocks.front());
      } catch (const std::exception& e) {
        throw UsageError(a.csr + ": " + e.what());
      }
    });
    if (!req.signature_verifies())
      throw std::runtime_error(a.csr + ": the request's signature does not verify with its own key");
    t.subject = req.subject.der;
    t.subject_public_key_info = req.subject_public_key_info;
    t.alt_names = req.alt_names;
  } else {
    t.subject_public_key_info = read_input([&] {
      const auto blocks = x509::pem_blocks_with_label(x509::read_text_file(a.pubkey), "PUBLIC KEY");
      if (blocks.empty()) throw UsageError(a.pubkey + ": no PUBLIC KEY block");
      x509::parse_subject_public_key_info(blocks.front());  // a key we can use, or an error naming why not
      return blocks.front();
    });
    t.subject = subject_from(a.subject);
  }
  if (!a.names.empty()) t.alt_names = names_from(a.names);  // --san replaces what the request asked for
}

// A certificate its own CA would not validate (a name outside the CA's name
// constraints, a validity beyond what the CA allows) is refused rather than
// written: RFC 5280 path validation with the CA as the trust anchor.
void check_verifies_under(const x509::Certificate& ca, const Bytes& der, bool client) {
  x509::TrustStore trust;
  trust.add(ca);
  x509::VerifyOptions options;
  options.purpose = client ? x509::Purpose::client : x509::Purpose::server;
  options.time = now();
  const x509::VerifyResult result = x509::verify_chain(x509::Certificate::parse(der), {}, trust, options);
  if (!result.ok()) throw std::runtime_error("the certificate would not verify under its CA: " + result.message);
}

// `openssl x509 -req -CA`: a server (or, with --client, client) certificate.
void run_sign(const PkiArgs& a) {
  if (a.csr.empty() == a.pubkey.empty()) throw UsageError("give exactly one of --csr and --pubkey");
  if (!a.pubkey.empty() && a.subject.empty()) throw UsageError("--pubkey needs --subj");
  const auto cas = read_input([&] { return x509::load_certificates_file(a.ca); });
  if (cas.empty()) throw UsageError(a.ca + ": no CERTIFICATE block");
  const x509::Certificate& ca = cas.front();
  if (ca.not_after <= now()) throw std::runtime_error(a.ca + ": the CA certificate expired at " + x509::format_time(ca.not_after));
  const x509::Issuer issuer = x509::issuer_from(ca, load_key(a.ca_key, a.ca_pass));
  x509::CertificateTemplate t;
  t.profile = a.client ? x509::CertificateProfile::client : x509::CertificateProfile::server;
  fill_subject(a, t);
  t.not_before = now();
  t.not_after = now() + int64_t{a.days} * kDay;
  const Bytes der = x509::issue_certificate(t, issuer, now());
  check_verifies_under(ca, der, a.client);
  OutputFiles out;
  out.add(a.out, x509::encode_pem("CERTIFICATE", der), false);
  out.commit(a.force);
}

// The documents' whole set in one directory.
void run_quick(const PkiArgs& a) {
  x509::PkiSetOptions options;
  if (!a.names.empty()) options.hosts = a.names;
  options.key_type = key_type_from(a.type);
  options.days = a.days;
  x509::PkiSet set;
  try {
    set = x509::make_pki_set(options);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--host: ") + e.what());
  }
  const std::filesystem::path dir = a.out;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  OutputFiles out;
  out.add(dir / "ca.crt", set.ca_crt, false);
  out.add(dir / "ca.key", set.ca_key, true);
  out.add(dir / "server.crt", set.server_crt, false);
  out.add(dir / "server.key", set.server_key, true);
  out.add(dir / "server.bundle.crt", set.server_crt + set.ca_crt, false);  // leaf first, as TLS sends it
  out.add(dir / "client.crt", set.client_crt, false);
  out.add(dir / "client.key", set.client_key, true);
  out.add(dir / "client.pem", set.client_crt + set.client_key, true);  // certificate and key in one file
  out.commit(a.force);
  std::string hosts;
  for (const std::string& h : options.hosts) hosts += (hosts.empty() ? "" : ", ") + h;
  std::cout << "wrote " << dir.string() << "/: ca.crt ca.key (the CA, may vouch for " << hosts
            << " only), server.crt server.key server.bundle.crt, client.crt client.key client.pem\n";
}

void report(const std::string& name, void (*run)(const PkiArgs&), const PkiArgs& a) {
  try {
    run(a);
  } catch (const UsageError& e) {
    std::cerr << "tls12 pki " << name << ": " << e.what() << "\n";
    exit_status() = kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "tls12 pki " << name << ": " << e.what() << "\n";
    exit_status() = kExitFailed;
  }
}

void add_force(CLI::App* cmd, PkiArgs& a) {
  cmd->add_flag("--force", a.force, "replace output files that exist (otherwise they are refused)");
}

void add_key_input(CLI::App* cmd, PkiArgs& a) {
  cmd->add_option("--key", a.key,
                  "the private key (PEM: PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)")
      ->required();
  cmd->add_option("--passin", a.passin, "passphrase of an encrypted --key: pass:TEXT, env:VAR, file:PATH or prompt");
}

void add_days(CLI::App* cmd, PkiArgs& a, int default_days) {
  a.days = default_days;
  cmd->add_option("--days", a.days, "validity in days from now (at least 1)")
      ->capture_default_str()
      ->check(CLI::Range(1, 36500));
}

void add_key_command(CLI::App* pki, const std::shared_ptr<PkiArgs>& a) {
  CLI::App* cmd = pki->add_subcommand("key", "Make a private key, PKCS#8 PEM, mode 0600 (openssl genpkey)");
  cmd->add_option("OUT", a->out, "the key file to write")->required();
  cmd->add_option("--type", a->type, "rsa2048, rsa3072, rsa4096, ed25519 or p256 (ECDSA on secp256r1)")
      ->capture_default_str();
  cmd->add_option("--pass", a->pass,
                  "encrypt the key (PBES2: PBKDF2-HMAC-SHA-256, AES-256-CBC, as openssl genpkey -aes256) with "
                  "this passphrase: pass:TEXT, env:VAR, file:PATH or prompt");
  add_force(cmd, *a);
  cmd->callback([a] { report("key", run_key, *a); });
}

void add_req_command(CLI::App* pki, const std::shared_ptr<PkiArgs>& a) {
  CLI::App* cmd = pki->add_subcommand("req", "Make a PKCS#10 certificate signing request (openssl req -new)");
  add_key_input(cmd, *a);
  cmd->add_option("--subj", a->subject, "the subject, /CN=name/O=organisation (CN, O, OU, L, ST, C)")->required();
  cmd->add_option("--san", a->names, std::string("a DNS name or IP address for subjectAltName (repeatable). ") + kStrictNames);
  cmd->add_option("--out", a->out, "the request file to write (PEM CERTIFICATE REQUEST)")->required();
  add_force(cmd, *a);
  cmd->callback([a] { report("req", run_req, *a); });
}

void add_ca_command(CLI::App* pki, const std::shared_ptr<PkiArgs>& a) {
  CLI::App* cmd = pki->add_subcommand("ca", "Make a self-signed CA certificate (openssl req -x509)");
  add_key_input(cmd, *a);
  cmd->add_option("--subj", a->subject, "the CA's name, /CN=name/O=organisation")->required();
  add_days(cmd, *a, 3650);
  cmd->add_option("--permit", a->permit,
                  "name constraint: the CA may vouch only for this DNS name (and names below it) or IP "
                  "address (repeatable)");
  cmd->add_option("--pathlen", a->path_length, "basicConstraints pathLenConstraint (CAs allowed below this one)")
      ->check(CLI::Range(0, 16));
  cmd->add_option("--out", a->out, "the certificate file to write")->required();
  add_force(cmd, *a);
  cmd->callback([a] { report("ca", run_ca, *a); });
}

void add_sign_command(CLI::App* pki, const std::shared_ptr<PkiArgs>& a) {
  CLI::App* cmd = pki->add_subcommand("sign", "Issue a certificate from a request or a public key with a CA "
                                              "(openssl x509 -req -CA)");
  cmd->add_option("--csr", a->csr, "the certificate signing request (its signature must verify)");
  cmd->add_option("--pubkey", a->pubkey, "or a PUBLIC KEY file, with --subj");
  cmd->add_option("--subj", a->subject, "the subject when signing a public key");
  cmd->add_option("--ca", a->ca, "the CA certificate (CA:TRUE, keyCertSign)")->required();
  cmd->add_option("--ca-key", a->ca_key, "the CA's private key")->required();
  cmd->add_option("--ca-pass", a->ca_pass, "passphrase of an encrypted --ca-key");
  cmd->add_option("--san", a->names,
                  std::string("DNS name or IP address (repeatable; replaces the request's names). ") + kStrictNames);
  cmd->add_flag("--client", a->client, "a client certificate (clientAuth) instead of a server one (serverAuth)");
  add_days(cmd, *a, 365);
  cmd->add_option("--out", a->out, "the certificate file to write")->required();
  add_force(cmd, *a);
  cmd->callback([a] { report("sign", run_sign, *a); });
}

void add_quick_command(CLI::App* pki, const std::shared_ptr<PkiArgs>& a) {
  CLI::App* cmd = pki->add_subcommand(
      "quick", "Make a CA, a server and a client certificate with their keys in DIR: ca.crt/key, server.crt/key, "
               "server.bundle.crt, client.crt/key, client.pem. The CA is name-constrained to the --host names.");
  cmd->add_option("DIR", a->out, "the directory to write (created if missing)")->required();
  cmd->add_option("--host", a->names,
                  std::string("the server's DNS names and IP addresses (repeatable; default localhost, 127.0.0.1, "
                              "::1). ") + kStrictNames);
  cmd->add_option("--type", a->type, "key type of all three keys: rsa2048, rsa3072, rsa4096, ed25519 or p256")
      ->capture_default_str();
  add_days(cmd, *a, 365);
  add_force(cmd, *a);
  cmd->callback([a] { report("quick", run_quick, *a); });
}

}  // namespace

void add_pki_command(CLI::App& app) {
  CLI::App* pki = app.add_subcommand("pki", "Make keys, requests and certificates: a small CA (the openssl "
                                            "genpkey/req/x509 commands of the documents)");
  pki->require_subcommand(1);
  // One argument set per subcommand: CLI11 fills only the chosen one.
  add_key_command(pki, std::make_shared<PkiArgs>());
  add_req_command(pki, std::make_shared<PkiArgs>());
  add_ca_command(pki, std::make_shared<PkiArgs>());
  add_sign_command(pki, std::make_shared<PkiArgs>());
  add_quick_command(pki, std::make_shared<PkiArgs>());
}

}  // namespace tls12::tools
