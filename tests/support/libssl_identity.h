// A throwaway RSA-2048 key and self-signed certificate for an in-memory OpenSSL
// (libssl) server, shared by the record-layer known-answer tests and the record
// benchmark, which both run libssl as the peer or the comparison column.
// Header-only so that bench/ programs can include it without linking the test
// support library. OpenSSL here is a test peer only, never part of tls12.
#pragma once

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>

namespace tls12::test {

struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(X509* x) const { X509_free(x); }
};
template <class T>
using SslPtr = std::unique_ptr<T, SslFree>;

struct LibsslIdentity {
  SslPtr<EVP_PKEY> key;
  SslPtr<X509> cert;
};

// Made once per process (RSA key generation is slow); valid for an hour around now.
inline const LibsslIdentity& libssl_identity() {
  static const LibsslIdentity identity = [] {
    LibsslIdentity c;
    c.key.reset(EVP_RSA_gen(2048));
    c.cert.reset(X509_new());
    X509* x = c.cert.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("tls12.test"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_set_pubkey(x, c.key.get());
    X509_sign(x, c.key.get(), EVP_sha256());
    return c;
  }();
  return identity;
}

}  // namespace tls12::test
