// The demo PKI of `tls12 demo`, made fresh each time the program asks for it
// (x509/pki_set.h, the code behind `tls12 pki quick`): a CA, a server
// certificate for localhost / 127.0.0.1 / ::1 and a client certificate, each
// with a 2048-bit RSA key made on this machine. No private key lives in the
// repository, and the CA is name-constrained to those three names, so a
// learner who trusts it in a browser cannot be fooled by it for anything else.
//
// Besides the plain keys, the set holds the server key encrypted with PBES2
// (server_key_encrypted, the form `openssl genpkey -aes256` writes) and the
// random passphrase that opens it (server_key_passphrase).
#pragma once

#include "x509/pki_set.h"

namespace tls12::tools {

// Made on the first call (about half a second: three RSA keys), then the same
// set for the rest of the run.
const x509::PkiSet& demo_pki();

}  // namespace tls12::tools
