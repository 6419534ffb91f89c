#!/bin/sh
# P-256 certificates for the ECDHE_ECDSA tests, issued by the (RSA) CA of the
# handshake test PKI (tests/protocol/make_handshake_pki.sh), with the key
# formats openssl writes:
#   ec-server   P-256 server certificate for localhost / 127.0.0.1; its key
#               as PKCS#8 (`openssl genpkey`, "PRIVATE KEY")
#   ec-client   P-256 client certificate; its key as SEC 1 (`openssl
#               ecparam -genkey`, "EC PRIVATE KEY")
#   ec-server-enc.key  the server's key as encrypted PKCS#8 (-aes256),
#               passphrase "tls12-ec-test"
#   p384-client  a P-384 client certificate, for OpenSSL peers only (tls12
#               verifies P-384 signatures but does not sign with P-384)
#
# Usage: make_ec_pki.sh OUTDIR HANDSHAKE_PKI_DIR
set -eu
out=${1:?usage: make_ec_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
ca=${2:?usage: make_ec_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
mkdir -p "$out"
cd "$out"

sign() {
  name=$1 ext=$2
  openssl x509 -req -in "$name.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAserial "$name.srl" \
    -CAcreateserial -days 825 -sha256 -extfile "$ext" -out "$name.pem" 2>/dev/null
}

printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > ec-server.cnf
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth" > ec-client.cnf

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-server.key
openssl pkey -in ec-server.key -aes256 -passout pass:tls12-ec-test -out ec-server-enc.key
openssl req -new -key ec-server.key -subj "/O=tls12 test/CN=localhost" -out ec-server.csr
sign ec-server ec-server.cnf
openssl ecparam -name prime256v1 -genkey -noout -out ec-client.key
openssl req -new -key ec-client.key -subj "/O=tls12 test/CN=tls12 P-256 client" -out ec-client.csr
sign ec-client ec-client.cnf

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384-client.key
openssl req -new -key p384-client.key -subj "/O=tls12 test/CN=tls12 P-384 client" -out p384-client.csr
sign p384-client ec-client.cnf

rm -f ./*.csr ./*.srl ./*.cnf
touch done
