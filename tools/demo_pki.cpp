// The run-time demo PKI; see demo_pki.h.
#include "tools/demo_pki.h"

namespace tls12::tools {

namespace {

x509::PkiSet make_demo_pki(x509::KeyType key_type) {
  x509::PkiSetOptions options;  // localhost, 127.0.0.1, ::1
  options.key_type = key_type;
  options.organisation = "tls12 demo";
  options.days = 30;
  options.encrypted_server_key = true;
  return x509::make_pki_set(options);
}

}  // namespace

const x509::PkiSet& demo_pki(x509::KeyType key_type) {
  if (key_type == x509::KeyType::p256) {
    static const x509::PkiSet p256_set = make_demo_pki(x509::KeyType::p256);
    return p256_set;
  }
  static const x509::PkiSet rsa_set = make_demo_pki(x509::KeyType::rsa2048);
  return rsa_set;
}

}  // namespace tls12::tools
