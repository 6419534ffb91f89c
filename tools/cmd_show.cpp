// `tls12 show FILE`: prints the certificates, requests and keys in a PEM (or DER) file
// field by field, with the names RFC 5280 and RFC 8017 use, so a learner can
// look each one up; `--der` adds an annotated dump of the encoding (offsets,
// tags, lengths, decoded values), the way `openssl asn1parse -i` shows it.
//
// Private keys are shown by their public half only: the secret components are
// never printed.
#include <iostream>
#include <memory>
#include <string>

#include "tools/commands.h"
#include "tools/tls_options.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/keys.h"
#include "x509/hostname.h"
#include "x509/pem.h"
#include "x509/request.h"

namespace tls12::tools {

namespace {

struct ShowArgs {
  std::string file;
  bool der = false;
  std::string passin;
};

// The curve by its three names, and the point split into its coordinates
// (SEC 1 §2.3.3: 0x04 || X || Y).
std::string describe_ec_point(const x509::EcPublicKey& key) {
  const size_t half = (key.point.size() - 1) / 2;
  const ByteView point(key.point);
  std::string out = key.curve == x509::EcCurve::p256 ? "  curve: P-256 (secp256r1, prime256v1)\n"
                                                     : "  curve: P-384 (secp384r1)\n";
  out += "  point (uncompressed, 04 || x || y):\n";
  out += "    x: " + to_hex(point.subspan(1, half)) + "\n";
  out += "    y: " + to_hex(point.subspan(1 + half)) + "\n";
  return out;
}

std::string describe_private_key(const x509::PrivateKey& key) {
  const x509::PublicKey pub = x509::public_key_of(key);
  std::string out = "  type: " + x509::describe(pub) + "\n";
  if (const auto* rsa = std::get_if<crypto::RsaPublicKey>(&pub)) {
    out += "  modulus (n): " + to_hex(ByteView(rsa->modulus()).first(16)) + "...\n";
    out += "  publicExponent (e): 0x" + to_hex(rsa->public_exponent()) + "\n";
    out += "  private components (d, p, q, dP, dQ, qInv): present, not shown\n";
  } else if (const auto* ec = std::get_if<x509::EcPublicKey>(&pub)) {
    out += describe_ec_point(*ec);
    out += "  private key (32-byte scalar d): present, not shown\n";
  } else {
    out += "  public key: " + to_hex(std::get<x509::Ed25519PublicKey>(pub).bytes) + "\n";
    out += "  private key (32-byte seed): present, not shown\n";
  }
  return out;
}

// PKCS #10 (RFC 2986 §4): what the requester asks a CA to certify.
std::string describe_request(const x509::CertificationRequest& req) {
  std::string out = "CertificationRequest (PKCS#10, RFC 2986):\n  subject: " + req.subject.to_string() + "\n";
  out += "  subjectPKInfo: " + x509::describe(x509::parse_subject_public_key_info(req.subject_public_key_info)) + "\n";
  for (const auto& dns : req.alt_names.dns_names) out += "  requested subjectAltName: DNS:" + dns + "\n";
  for (const auto& ip : req.alt_names.ip_addresses)
    out += "  requested subjectAltName: IP:" + x509::format_ip_address(ip) + "\n";
  out += std::string("  self-signature: ") +
         (req.signature_verifies() ? "verifies (the requester holds the private key)" : "DOES NOT VERIFY") + "\n";
  return out;
}

std::string describe_public_key(const x509::PublicKey& key) {
  std::string out = x509::describe(key) + "\n";
  if (const auto* ec = std::get_if<x509::EcPublicKey>(&key)) out += describe_ec_point(*ec);
  return out;
}

void show_block(const x509::PemBlock& block, const ShowArgs& a) {
  std::cout << "== " << block.label << " (" << block.der.size() << " bytes of DER) ==\n";
  if (block.label == "CERTIFICATE") {
    std::cout << x509::describe(x509::Certificate::parse(block.der));
    std::cout << "SHA-256 fingerprint: " << sha256_fingerprint(block.der) << "\n";
  } else if (block.label == "PRIVATE KEY") {
    std::cout << "PrivateKeyInfo (PKCS#8, RFC 5208):\n" << describe_private_key(x509::parse_pkcs8_private_key(block.der));
  } else if (block.label == "RSA PRIVATE KEY") {
    std::cout << "RSAPrivateKey (PKCS#1, RFC 8017 A.1.2):\n"
              << describe_private_key(x509::parse_pkcs1_rsa_private_key(block.der));
  } else if (block.label == "EC PRIVATE KEY") {
    std::cout << "ECPrivateKey (SEC 1, RFC 5915 §3):\n" << describe_private_key(x509::parse_sec1_ec_private_key(block.der));
  } else if (block.label == "ENCRYPTED PRIVATE KEY") {
    std::cout << "EncryptedPrivateKeyInfo (RFC 5958 §3, RFC 8018):\n  "
              << x509::describe_encrypted_private_key_info(block.der) << "\n";
    if (a.passin.empty()) {
      std::cout << "  (give --pass pass:...|env:VAR|file:PATH|prompt to decrypt it)\n";
    } else {
      x509::PassphraseSource source = x509::PassphraseSource::parse(a.passin);
      if (source.kind == x509::PassphraseSource::Kind::prompt) source.argument = a.file;  // the prompt names it
      const SecretBytes pass = x509::read_passphrase(source);
      const SecretBytes info = x509::decrypt_encrypted_private_key_info(block.der, pass);
      std::cout << "decrypted PrivateKeyInfo:\n" << describe_private_key(x509::parse_pkcs8_private_key(info));
    }
  } else if (block.label == "CERTIFICATE REQUEST") {
    std::cout << describe_request(x509::CertificationRequest::parse(block.der));
  } else if (block.label == "PUBLIC KEY") {
    std::cout << "SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): "
              << describe_public_key(x509::parse_subject_public_key_info(block.der));
  } else {
    std::cout << "(a block tls12 does not interpret)\n";
  }
  if (a.der) std::cout << "-- DER --\n" << x509::der_dump(block.der);
  std::cout << "\n";
}

int run_show(const ShowArgs& a) {
  try {
    const std::string text = x509::read_text_file(a.file);
    std::vector<x509::PemBlock> blocks;
    if (text.find("-----BEGIN") == std::string::npos) {
      blocks.push_back({"CERTIFICATE", Bytes(text.begin(), text.end())});  // raw DER
    } else {
      blocks = x509::parse_pem(text);
    }
    if (blocks.empty()) throw std::runtime_error("no PEM block found");
    for (const auto& b : blocks) show_block(b, a);
  } catch (const std::exception& e) {
    std::cerr << "tls12 show: " << a.file << ": " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void add_show_command(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  CLI::App* cmd = app.add_subcommand(
      "show", "Print the certificates and keys in a PEM or DER file field by field (like openssl x509 -text).");
  cmd->add_option("FILE", args->file, "PEM file (CERTIFICATE, CERTIFICATE REQUEST, PRIVATE KEY, RSA PRIVATE KEY, "
                                      "ENCRYPTED PRIVATE KEY, PUBLIC KEY blocks) or a DER certificate")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--der", args->der, "also print an annotated dump of each DER encoding (offset, length, type, value)");
  cmd->add_option("--pass,--passin", args->passin,
                  "passphrase for an ENCRYPTED PRIVATE KEY: pass:TEXT, env:VAR, file:PATH or prompt "
                  "(--pass as in client and server; --passin as in openssl)");
  cmd->callback([args] { exit_status() = run_show(*args); });
}

}  // namespace tls12::tools
