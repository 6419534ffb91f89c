// The whole PKI the source documents make with openssl, made in one call with
// issue.h: a self-signed CA, a server certificate for the given hosts,
// a client certificate, and the keys. `tls12 pki quick` writes it to files;
// `tls12 demo` makes one in memory each time it runs, so that no private key
// needs to live in the repository.
//
// The CA carries name constraints (RFC 5280 §4.2.1.10) permitting exactly the
// server's hosts: a learner who trusts it in a browser trusts it for those
// names and nothing else.
#pragma once

#include <string>
#include <vector>

#include "x509/key_writer.h"

namespace tls12::x509 {

struct PkiSetOptions {
  std::vector<std::string> hosts = {"localhost", "127.0.0.1", "::1"};
  KeyType key_type = KeyType::rsa2048;
  int days = 365;
  std::string organisation = "tls12 demo";  // O=, and the CA and client CNs
  // Also give the server key encrypted (PBES2) under a random passphrase.
  bool encrypted_server_key = false;
};

// PEM texts. The keys are PKCS#8 ("PRIVATE KEY"); the secrets are wiped when
// the set is destroyed.
struct PkiSet {
  std::string ca_crt, ca_key;
  std::string server_crt, server_key;
  std::string client_crt, client_key;
  // With encrypted_server_key: the server key as an ENCRYPTED PRIVATE KEY and
  // the passphrase that opens it.
  std::string server_key_encrypted, server_key_passphrase;
  PkiSet() = default;
  PkiSet(const PkiSet&) = delete;
  PkiSet& operator=(const PkiSet&) = delete;
  PkiSet(PkiSet&&) = default;
  PkiSet& operator=(PkiSet&&) = default;
  ~PkiSet();
};

// std::invalid_argument names a bad host or option.
PkiSet make_pki_set(const PkiSetOptions& options);

}  // namespace tls12::x509
