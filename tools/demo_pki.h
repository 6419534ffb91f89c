// The demo PKI of `tls12 demo` as PEM text compiled into the program
// (tools/demo_pki.cpp, generated with the files of tools/demo-pki/ by
// tools/demo-pki/make-demo-pki.sh): a CA, a server certificate for
// localhost / 127.0.0.1 (its key also passphrase-protected) and a client
// certificate, each 2048-bit RSA.
// The private keys are public on purpose: this PKI exists only to show
// a handshake, never to protect anything.
#pragma once

namespace tls12::tools::demo_pki {

extern const char* const ca_crt;
extern const char* const ca_key;
extern const char* const server_crt;
extern const char* const server_key;
// server_key protected as `openssl genpkey -aes256` protects a key (PKCS#8
// PBES2), and the passphrase that opens it: the demo's step 0.
extern const char* const server_key_encrypted;
extern const char* const server_key_passphrase;
extern const char* const client_crt;
extern const char* const client_key;

}  // namespace tls12::tools::demo_pki
