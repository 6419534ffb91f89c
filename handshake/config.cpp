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
          suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,    suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
          suites::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,       suites::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
          suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,      suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
          suites::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,         suites::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
          suites::TLS_RSA_WITH_AES_128_CBC_SHA256,            suites::TLS_RSA_WITH_AES_256_CBC_SHA256,
          suites::TLS_RSA_WITH_AES_128_CBC_SHA,               suites::TLS_RSA_WITH_AES_256_CBC_SHA};
}

std::vector<SignatureScheme> default_signature_schemes() {
  return {SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::rsa_pss_rsae_sha384,
          SignatureScheme::rsa_pss_rsae_sha512, SignatureScheme::rsa_pkcs1_sha256,
          SignatureScheme::rsa_pkcs1_sha384,    SignatureScheme::rsa_pkcs1_sha512,
          SignatureScheme::ed25519,             SignatureScheme::ecdsa_secp256r1_sha256,
          SignatureScheme::ecdsa_secp384r1_sha384, SignatureScheme::ecdsa_secp521r1_sha512,
          SignatureScheme::ecdsa_sha224};
}

namespace {

// A server that would sign with a key other than its certificate's fails
// every handshake; say so when the pair is assembled instead. `chain_name`
// and `key_name` say where each came from, for the error.
CertifiedKey checked_pair(std::vector<Bytes> chain_der, std::shared_ptr<const x509::PrivateKey> key,
                                 const std::string& chain_name, const std::string& key_name) {
  if (chain_der.empty()) throw std::runtime_error("no certificate in " + chain_name);
  if (!key) throw std::runtime_error("no private key for the certificate in " + chain_name);
  const x509::Certificate leaf = x509::Certificate::parse(chain_der.front());
  if (!x509::same_public_key(leaf.public_key(), x509::public_key_of(*key)))
    throw std::runtime_error(key_name + " does not belong to the certificate in " + chain_name);
  return CertifiedKey{std::move(chain_der), std::move(key)};
}

}  // namespace

CertifiedKey CertifiedKey::load(const std::string& chain_file, const std::string& key_file,
                                const x509::PassphraseSource& passphrase) {
  std::vector<Bytes> chain;
  for (const auto& cert : x509::load_certificates_file(chain_file)) chain.push_back(cert.der());
  if (chain.empty()) throw std::runtime_error("no certificate in " + chain_file);
  auto key = std::make_shared<const x509::PrivateKey>(x509::load_private_key_file(key_file, passphrase));
  return checked_pair(std::move(chain), std::move(key), chain_file, "the key in " + key_file);
}

CertifiedKey CertifiedKey::from_memory(ByteView chain_pem_or_der, ByteView key_pem_or_der,
                                       const x509::PassphraseSource& passphrase) {
  std::vector<Bytes> chain = x509::certificate_ders(
      std::string_view(reinterpret_cast<const char*>(chain_pem_or_der.data()), chain_pem_or_der.size()));
  auto key = std::make_shared<const x509::PrivateKey>(x509::load_private_key(key_pem_or_der, passphrase));
  return from_parts(std::move(chain), std::move(key));
}

CertifiedKey CertifiedKey::from_parts(std::vector<Bytes> chain_der, std::shared_ptr<const x509::PrivateKey> key,
                                     const std::string& chain_name, const std::string& key_name) {
  return checked_pair(std::move(chain_der), std::move(key), chain_name, key_name);
}

}  // namespace tls12::handshake
