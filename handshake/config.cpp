// Secure defaults for the handshake configuration, and loading a certificate
// chain with its key (see config.h).
#include "handshake/config.h"

#include <stdexcept>

#include "x509/certificate.h"

namespace tls12::handshake {

std::vector<CipherSuite> default_cipher_suites() {
  return {suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,  suites::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
          suites::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
          suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,      suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
          suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,        suites::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
          suites::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,  suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
          suites::TLS_RSA_WITH_AES_256_GCM_SHA384,
          // AES-CBC with HMAC after every AEAD suite, as browsers order them:
          // a server choosing by this list never picks CBC when both sides
          // have an AEAD suite, and a client offers CBC only as the fallback.
          suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,      suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
          suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,         suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
          suites::TLS_RSA_WITH_AES_128_CBC_SHA256,            suites::TLS_RSA_WITH_AES_256_CBC_SHA256,
          suites::TLS_RSA_WITH_AES_128_CBC_SHA,               suites::TLS_RSA_WITH_AES_256_CBC_SHA};
}

std::vector<SignatureScheme> default_signature_schemes() {
  return {SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::rsa_pss_rsae_sha384,
          SignatureScheme::rsa_pss_rsae_sha512, SignatureScheme::rsa_pkcs1_sha256,
          SignatureScheme::rsa_pkcs1_sha384,    SignatureScheme::rsa_pkcs1_sha512,
          SignatureScheme::ed25519};
}

CertifiedKey CertifiedKey::load(const std::string& chain_file, const std::string& key_file,
                                const x509::PassphraseSource& passphrase) {
  std::vector<x509::Certificate> chain = x509::load_certificates_file(chain_file);
  if (chain.empty()) throw std::runtime_error("no certificate in " + chain_file);
  auto key = std::make_shared<const x509::PrivateKey>(x509::load_private_key_file(key_file, passphrase));
  // A server that would sign with a key other than its certificate's fails
  // every handshake; say so at start-up instead.
  if (!x509::same_public_key(chain.front().public_key(), x509::public_key_of(*key)))
    throw std::runtime_error("the key in " + key_file + " does not belong to the certificate in " + chain_file);
  CertifiedKey result;
  for (const auto& cert : chain) result.certificate_chain.push_back(cert.der());
  result.private_key = std::move(key);
  return result;
}

}  // namespace tls12::handshake
