#!/bin/sh
# Leaf certificates whose keyUsage fits only one TLS use, for the keyUsage
# checks of handshake/key_usage.h, signed by the handshake test CA and reusing
# its keys (so a test can swap one certificate for another of the same key):
#   server-ke.pem   keyEncipherment only   (RSA key transport, no signing)
#   server-ds.pem   digitalSignature only  (ECDHE/DHE signing, no key transport)
#   client-ka.pem   keyAgreement only      (cannot sign CertificateVerify)
#
# Usage: make_key_usage_pki.sh OUTDIR HANDSHAKE_PKI_DIR
set -eu
out=${1:?usage: make_key_usage_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
pki=${2:?usage: make_key_usage_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
mkdir -p "$out"
cd "$out"

leaf() {
  name=$1 key=$2 subject=$3
  shift 3
  printf '%s\n' "basicConstraints=CA:FALSE" "$@" > "$name.cnf"
  openssl req -new -key "$pki/$key" -subj "$subject" -out "$name.csr"
  openssl x509 -req -in "$name.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAserial "$name.srl" -CAcreateserial \
    -days 825 -sha256 -extfile "$name.cnf" -out "$name.pem" 2>/dev/null
}

leaf server-ke server.key "/O=tls12 test/CN=localhost" "keyUsage=critical,keyEncipherment" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
leaf server-ds server.key "/O=tls12 test/CN=localhost" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
leaf client-ka client2048.key "/O=tls12 test/CN=tls12 key agreement client" "keyUsage=critical,keyAgreement" \
  "extendedKeyUsage=clientAuth"

rm -f ./*.csr ./*.cnf ./*.srl
touch done
