#!/bin/sh
# Makes the test PKI for tests/x509 (and anyone else who needs certificates)
# with the documented openssl commands: a root CA, a server and a client
# certificate signed by it (2048- and 4096-bit RSA, subjectAltName
# DNS:localhost and IP:127.0.0.1, a passphrase-protected key), a server bundle
# through an intermediate CA, and one certificate per rule that path
# validation must enforce (the negative cases of tests/x509/test_verify.cpp).
#
# Usage: make_test_pki.sh OUTDIR        (OUTDIR is created; takes a few seconds)
set -eu
out=${1:?usage: make_test_pki.sh OUTDIR}
mkdir -p "$out"
cd "$out"
PASS=tls12-test-passphrase
DAYS_CA=3650
DAYS=825

# sign NAME ISSUER EXTFILE [extra openssl x509 options]: NAME.csr -> NAME.pem signed by ISSUER
sign() {
  name=$1 issuer=$2 ext=$3
  shift 3
  openssl x509 -req -in "$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" -CAcreateserial \
    -days "$DAYS" -sha256 -extfile "$ext" -out "$name.pem" "$@" 2>/dev/null
}
# csr NAME KEY CN
csr() { openssl req -new -key "$2" -subj "/O=tls12 test/CN=$3" -out "$1.csr"; }
ext() { printf '%s\n' "$@" > "$EXT"; }
EXT=ext.cnf

# --- the documented set-up ----------------------------------------------------
# Root CA: 4096-bit RSA, self-signed.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 Test Root CA" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# Server: 2048-bit RSA, SAN DNS:localhost and IP:127.0.0.1.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key 2>/dev/null
csr server server.key localhost
ext "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1"
sign server ca "$EXT"
cp "$EXT" server.ext

# Client: 4096-bit RSA with a passphrase (PKCS#8, PBES2, AES-256-CBC).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -aes256 -pass "pass:$PASS" -out client.key 2>/dev/null
openssl req -new -key client.key -passin "pass:$PASS" -subj "/O=tls12 test/CN=tls12 test client" -out client.csr
ext "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth"
sign client ca "$EXT"

# The same keys in the other encodings: PKCS#1, unencrypted PKCS#8, public key.
openssl rsa -in server.key -traditional -out server-pkcs1.key 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in server.key -out server-pkcs8.key
openssl pkey -in server.key -pubout -out server-pub.pem
openssl genpkey -algorithm ED25519 -out ed25519.key
openssl pkey -in ed25519.key -pubout -out ed25519-pub.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.key 2>/dev/null
openssl pkey -in p256.key -pubout -out p256-pub.pem

# Intermediate CA (pathlen 0) and a server chained through it: the bundle a
# server sends is its certificate followed by the intermediate.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out int.key 2>/dev/null
csr int int.key "tls12 Test Intermediate CA"
ext "basicConstraints=critical,CA:TRUE,pathlen:0" "keyUsage=critical,keyCertSign,cRLSign" \
    "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid"
sign int ca "$EXT"
csr server2 server.key localhost
ext "basicConstraints=CA:FALSE" "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1"
sign server2 int "$EXT"
cat server2.pem int.pem > server-bundle.pem

# Ed25519 and RSA-PSS signatures.
csr ed-leaf ed25519.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign ed-leaf ca "$EXT"
openssl req -x509 -new -key ed25519.key -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 Ed25519 Root" -out ed-ca.pem
cp ed25519.key ed-ca.key
csr ed-signed server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign ed-signed ed-ca "$EXT"
csr pss server.key localhost
sign pss ca "$EXT" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
csr sha1 server.key localhost
sign sha1 ca "$EXT" -sha1

# Version 1 certificates (no extensions at all): a v1 self-signed root, a
# leaf under it, a v1 certificate used as an intermediate, and a v1 leaf.
openssl req -new -key int.key -subj "/O=tls12 test/CN=tls12 v1 Root" -out v1-ca.csr
openssl x509 -req -in v1-ca.csr -signkey int.key -days "$DAYS_CA" -sha256 -out v1-ca.pem 2>/dev/null
cp int.key v1-ca.key
csr v1-ca-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign v1-ca-leaf v1-ca "$EXT"
csr v1-int int.key "tls12 v1 Intermediate"
openssl x509 -req -in v1-int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days "$DAYS" -sha256 -out v1-int.pem 2>/dev/null
cp int.key v1-int.key
csr v1-int-leaf server.key localhost
sign v1-int-leaf v1-int "$EXT"
csr v1-leaf server.key localhost
openssl x509 -req -in v1-leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days "$DAYS" -sha256 -out v1-leaf.pem 2>/dev/null

# --- one certificate per rule -------------------------------------------------
# Untrusted root: a second CA nobody trusts, and a server it signed.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other-ca.key 2>/dev/null
openssl req -x509 -new -key other-ca.key -sha256 -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 Other Root CA" -out other-ca.pem
csr other-server server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign other-server other-ca "$EXT"

# Intermediate without CA=TRUE that nevertheless signs a server certificate.
csr noca-int int.key "tls12 Not A CA"
ext "basicConstraints=CA:FALSE"
sign noca-int ca "$EXT"
cp int.key noca-int.key
csr noca-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign noca-leaf noca-int "$EXT"

# A second certificate with the intermediate's name and key that is not a CA:
# chain building must try every candidate issuer, not stop at the first.
csr int-dup int.key "tls12 Test Intermediate CA"
ext "basicConstraints=CA:FALSE" "subjectKeyIdentifier=hash"
sign int-dup ca "$EXT"

# pathLen exceeded: int (pathlen:0) -> sub-int (CA) -> leaf.
csr subint int.key "tls12 Sub Intermediate CA"
ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign"
sign subint int "$EXT"
cp int.key subint.key
csr pathlen-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign pathlen-leaf subint "$EXT"
cat int.pem subint.pem > pathlen-untrusted.pem

# A CA whose keyUsage lacks keyCertSign.
csr noksign-int int.key "tls12 No keyCertSign CA"
ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,digitalSignature"
sign noksign-int ca "$EXT"
cp int.key noksign-int.key
csr noksign-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign noksign-leaf noksign-int "$EXT"

# Two CAs that issued each other (a loop for chain building), a leaf under one.
openssl req -x509 -new -key other-ca.key -sha256 -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 Loop B" -out loop-b0.pem
cp other-ca.key loop-b0.key
csr loop-a int.key "tls12 Loop A"
ext "basicConstraints=critical,CA:TRUE"
sign loop-a loop-b0 "$EXT"
cp int.key loop-a.key
csr loop-b other-ca.key "tls12 Loop B"
sign loop-b loop-a "$EXT"
csr loop-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign loop-leaf loop-a "$EXT"
cat loop-a.pem loop-b.pem > loop-untrusted.pem

# Unknown critical extension.
csr critical server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost" "1.2.3.4=critical,ASN1:NULL"
sign critical ca "$EXT"

# Wrong extKeyUsage: a client certificate offered as a server's.
csr eku server.key localhost
ext "extendedKeyUsage=clientAuth" "subjectAltName=DNS:localhost"
sign eku ca "$EXT"

# Name constraints: a CA restricted to allowed.example and 10.0.0.0/8.
csr nc-int int.key "tls12 Constrained CA"
ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign" \
    "nameConstraints=critical,permitted;DNS:allowed.example,permitted;IP:10.0.0.0/255.0.0.0"
sign nc-int ca "$EXT"
cp int.key nc-int.key
csr nc-good server.key www.allowed.example
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:www.allowed.example,IP:10.1.2.3"
sign nc-good nc-int "$EXT"
csr nc-bad server.key evil.example
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:evil.example"
sign nc-bad nc-int "$EXT"
csr nc-badip server.key www.allowed.example
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:www.allowed.example,IP:192.168.1.1"
sign nc-badip nc-int "$EXT"

# Wildcards: one good, two misused.
for w in "good:*.example.com" "double:*.*.example.com" "partial:f*o.example.com"; do
  n=${w%%:*} san=${w#*:}
  csr "wild-$n" server.key "$san"
  ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:$san"
  sign "wild-$n" ca "$EXT"
done

# No subjectAltName at all: only the CN names the host (compatibility option).
csr cn-only server.key localhost
ext "extendedKeyUsage=serverAuth"
sign cn-only ca "$EXT"

# The server certificate with one bit of its signature flipped (the last byte
# of the DER is the last byte of signatureValue).
openssl x509 -in server.pem -outform DER -out flipped.der
size=$(wc -c < flipped.der)
last=$(tail -c 1 flipped.der | od -An -tu1 | tr -d ' ')
head -c $((size - 1)) flipped.der > flipped.tmp
# shellcheck disable=SC2059
printf "\\$(printf %o $((last ^ 1)))" >> flipped.tmp
openssl x509 -inform DER -in flipped.tmp -out flipped.pem
rm -f flipped.der flipped.tmp

rm -f ./*.csr
echo "test PKI written to $out"
