#!/bin/sh
# The certificates the handshake tests need: the documented test PKI of
# tests/x509/make_test_pki.sh (CA, 2048-bit server, 4096-bit client with a
# passphrase, an untrusted "other" CA), plus a 4096-bit server, a 2048-bit
# client, and a client certificate signed by the other CA, made with the same
# openssl commands.
#
# Usage: make_handshake_pki.sh OUTDIR
set -eu
out=${1:?usage: make_handshake_pki.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/../x509/make_test_pki.sh" "$out" >/dev/null
cd "$out"
DAYS=825

sign() {
  name=$1 issuer=$2 ext=$3
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days "$DAYS" -sha256 -extfile "$ext" -out "$name.pem" 2>/dev/null
}

printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > server.cnf
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth" > client.cnf

# Server, 4096-bit RSA.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out server4096.key 2>/dev/null
openssl req -new -key server4096.key -subj "/O=tls12 test/CN=localhost" -out server4096.csr
sign server4096 ca server.cnf

# Client, 2048-bit RSA, no passphrase; and the 4096-bit client key decrypted
# (for openssl s_client, and so tests need not pass the passphrase).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client2048.key 2>/dev/null
openssl req -new -key client2048.key -subj "/O=tls12 test/CN=tls12 test client 2048" -out client2048.csr
sign client2048 ca client.cnf
openssl pkey -in client.key -passin pass:tls12-test-passphrase -out client4096.key
cp client.pem client4096.pem

# A client certificate from a CA the server does not trust.
openssl req -new -key client2048.key -subj "/O=tls12 test/CN=tls12 other client" -out client-other.csr
sign client-other other-ca client.cnf

rm -f ./*.csr
touch done
