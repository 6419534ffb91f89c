#!/bin/sh
# Certificates for the handshake breadth tests, issued by the CA of the
# handshake test PKI (tests/protocol/make_handshake_pki.sh):
#   ed-server   Ed25519 server certificate for localhost / 127.0.0.1
#   ed-client   Ed25519 client certificate
#   sni-alpha   RSA, DNS:alpha.example          (exact name)
#   sni-beta    RSA, DNS:*.beta.example         (wildcard)
#   sni-gamma   RSA, DNS:gamma.example
# The three SNI certificates share the RSA key server.key: the tests tell them
# apart by the leaf, which is what SNI chooses.
#
# Usage: make_breadth_pki.sh OUTDIR HANDSHAKE_PKI_DIR
set -eu
out=${1:?usage: make_breadth_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
ca=${2:?usage: make_breadth_pki.sh OUTDIR HANDSHAKE_PKI_DIR}
mkdir -p "$out"
cd "$out"
DAYS=825

sign() {
  name=$1 ext=$2
  openssl x509 -req -in "$name.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca.key" -CAserial "$name.srl" \
    -CAcreateserial -days "$DAYS" -sha256 -extfile "$ext" -out "$name.pem" 2>/dev/null
}

printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > ed-server.cnf
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth" > ed-client.cnf

openssl genpkey -algorithm ed25519 -out ed-server.key
openssl req -new -key ed-server.key -subj "/O=tls12 test/CN=localhost" -out ed-server.csr
sign ed-server ed-server.cnf
openssl genpkey -algorithm ed25519 -out ed-client.key
openssl req -new -key ed-client.key -subj "/O=tls12 test/CN=tls12 Ed25519 client" -out ed-client.csr
sign ed-client ed-client.cnf

cp "$ca/server.key" sni.key
for pair in alpha:alpha.example beta:*.beta.example gamma:gamma.example; do
  name=sni-${pair%%:*} dns=${pair#*:}
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:$dns" > "$name.cnf"
  openssl req -new -key sni.key -subj "/O=tls12 test/CN=$dns" -out "$name.csr"
  sign "$name" "$name.cnf"
done

rm -f ./*.csr ./*.srl ./*.cnf
touch done
