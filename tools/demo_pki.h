// The demo PKI of `tls12 demo`, made fresh each time the program asks for it
// (x509/pki_set.h, the code behind `tls12 pki quick`): a CA, a server
// certificate for localhost / 127.0.0.1 / ::1 and a client certificate, each
// with a 2048-bit RSA key (or a P-256 key) made on this machine. No private key lives in the
// repository, and the CA is name-constrained to those three names, so a
// learner who trusts it in a browser cannot be fooled by it for anything else.
//
// Besides the plain keys, the set holds the server key encrypted with PBES2
// (server_key_encrypted, the form `openssl genpkey -aes256` writes) and the
// random passphrase that opens it (server_key_passphrase).
#pragma once

#include "x509/key_writer.h"
#include "x509/pki_set.h"

namespace tls12::tools {

// Made on the first call (about half a second for three RSA keys, a few
// milliseconds for P-256 ones), then the same set for the rest of the run.
// `key_type` is rsa2048 (the default) or p256 (an ECDSA chain, for the
// ECDHE_ECDSA suites).
const x509::PkiSet& demo_pki(x509::KeyType key_type = x509::KeyType::rsa2048);

}  // namespace tls12::tools
