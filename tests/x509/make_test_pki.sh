#!/bin/sh
# Makes the test PKI for tests/x509 (and anyone else who needs certificates)
# with the documented openssl commands: a root CA, a server and a client
# certificate signed by it (2048- and 4096-bit RSA, subjectAltName
# DNS:localhost and IP:127.0.0.1, a passphrase-protected key), a server bundle
# through an intermediate CA, valid but unusual chains (a CA certificate as
# the leaf, a cross-signed root), and one certificate per rule that path
# validation must enforce under each policy (the negative cases of
# tests/x509/test_verify.cpp): malformed certificates, name constraints on
# every name form, and the rfc5280 and web certificate profiles. Needs the
# openssl CLI and python3 with Debian's python3-cryptography (for empty
# subjects, which openssl cannot write).
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

# --- valid but unusual chains -------------------------------------------------
# A CA certificate as the end-entity, under the pathlen:0 intermediate: the
# leaf is not an intermediate, so pathLenConstraint does not count it.
csr caleaf server.key localhost
ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign caleaf int "$EXT"
# A cross-signed root: xroot exists self-signed (untrusted) and signed by ca;
# the path from its leaf to ca goes through the cross-certificate.
openssl req -x509 -new -key other-ca.key -sha256 -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 Cross Root" -out xroot-self.pem
csr xroot other-ca.key "tls12 Cross Root"
ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign" "subjectKeyIdentifier=hash" "authorityKeyIdentifier=keyid"
sign xroot ca "$EXT"
cp other-ca.key xroot.key
csr xleaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign xleaf xroot "$EXT"
cat xroot-self.pem xroot.pem > xroot-untrusted.pem

# --- malformed certificates: parsing fails, the chain is rejected --------------
# leaf_with NAME EXTLINES...: a leaf for localhost signed by ca with these extensions.
leaf_with() {
  n=$1
  shift
  csr "$n" server.key localhost
  ext "$@"
  sign "$n" ca "$EXT"
}
leaf_with bad-empty-eku "subjectAltName=DNS:localhost" "2.5.29.37=DER:3000"
leaf_with bad-san-ip-length "2.5.29.17=DER:3005870301020304"
leaf_with bad-san-dns-non-ia5 "2.5.29.17=DER:30048202c3a9"
leaf_with bad-empty-subtrees "basicConstraints=critical,CA:TRUE" "2.5.29.30=critical,DER:3002a000"
leaf_with bad-nc-dns-leading-period "basicConstraints=critical,CA:TRUE" "nameConstraints=critical,permitted;DNS:.allowed.example"
leaf_with bad-nc-dns-not-a-name "basicConstraints=critical,CA:TRUE" "nameConstraints=critical,permitted;DNS:allowed..example"
# Byte surgery on a signed certificate (the signature no longer matters:
# parsing fails first). patch IN OUT OLD NEW: replace the last occurrence of
# hex OLD by NEW (same length, so the DER stays well formed around it).
patch() {
  openssl x509 -in "$1" -outform DER -out patch.der
  python3 -c "import sys; d=open('patch.der','rb').read(); o=bytes.fromhex(sys.argv[1]); i=d.rfind(o); assert i>=0; open('patch.der','wb').write(d[:i]+bytes.fromhex(sys.argv[2])+d[i+len(o):])" "$3" "$4"
  openssl x509 -inform DER -in patch.der -out "$2" 2>/dev/null || { base64 -w64 patch.der | sed '1i-----BEGIN CERTIFICATE-----;$a-----END CERTIFICATE-----' | tr ';' '\n' > "$2"; }
  rm -f patch.der
}
# authorityKeyIdentifier (2.5.29.35) relabelled subjectKeyIdentifier (2.5.29.14): two of one extension.
patch server.pem bad-duplicate-extension.pem 0603551d23 0603551d0e
# signatureAlgorithm sha384WithRSAEncryption outside, sha256WithRSAEncryption inside.
patch server.pem bad-signature-algorithms-differ.pem 2a864886f70d01010b 2a864886f70d01010c
# Truncated DER: the certificate without its last byte, re-wrapped as PEM.
openssl x509 -in server.pem -outform DER | head -c -1 | base64 -w64 | { echo "-----BEGIN CERTIFICATE-----"; cat; echo "-----END CERTIFICATE-----"; } > bad-truncated.pem

# --- name constraints on every name form -------------------------------------------
# ncca NAME CONSTRAINTS...: an intermediate CA (int.key) with these nameConstraints.
ncca() {
  n=$1
  shift
  csr "$n" int.key "tls12 $n"
  printf '%s\n' "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign" "$@" "[dir_sect]" "O=tls12 test" > "$EXT"
  sign "$n" ca "$EXT"
  cp int.key "$n.key"
}
# ncleaf NAME CA SUBJECT EXTLINES...
ncleaf() {
  n=$1 issuer=$2 subj=$3
  shift 3
  openssl req -new -key server.key -subj "$subj" -out "$n.csr"
  ext "extendedKeyUsage=serverAuth" "$@"
  sign "$n" "$issuer" "$EXT"
}
ncca nc-dir "nameConstraints=critical,permitted;dirName:dir_sect"
ncleaf nc-dir-good nc-dir "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost"
ncleaf nc-dir-bad nc-dir "/O=elsewhere/CN=localhost" "subjectAltName=DNS:localhost"
ncca nc-email "nameConstraints=critical,permitted;email:allowed.example"
ncleaf nc-email-good nc-email "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost,email:bob@allowed.example"
ncleaf nc-email-bad nc-email "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost,email:bob@evil.example"
ncca nc-uri "nameConstraints=critical,permitted;URI:.allowed.example"
ncleaf nc-uri-good nc-uri "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost,URI:https://www.allowed.example/x"
ncleaf nc-uri-bad nc-uri "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost,URI:https://evil.example/"
ncleaf nc-uri-nohost nc-uri "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost,URI:urn:example:1"
ncca nc-other "nameConstraints=critical,permitted;otherName:1.2.3.4;UTF8:x"
ncleaf nc-other-leaf nc-other "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost"
ncca nc-noncritical "nameConstraints=permitted;DNS:localhost"
ncleaf nc-noncritical-leaf nc-noncritical "/O=tls12 test/CN=localhost" "subjectAltName=DNS:localhost"
ncca nc-excl "nameConstraints=critical,excluded;DNS:bad.example.com"
ncleaf nc-wild-excluded nc-excl "/O=tls12 test/CN=www.example.com" "subjectAltName=DNS:*.example.com"
ncleaf nc-wild-ok nc-excl "/O=tls12 test/CN=www.example.org" "subjectAltName=DNS:*.example.org"
# A leaf without SAN under the DNS-constrained nc-int: its CN is the host.
ncleaf nc-cn-only nc-int "/O=tls12 test/CN=localhost"
leaf_with nc-in-leaf "subjectAltName=DNS:localhost" "nameConstraints=critical,permitted;DNS:localhost"

# --- the certificate profile ---------------------------------------------------------
# Both policies: an empty subject needs a critical subjectAltName (made with
# Python's cryptography, as openssl cannot write an empty subject).
python3 - <<'PY'
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
def load(p, key=False):
    data = open(p, 'rb').read()
    return serialization.load_pem_private_key(data, None) if key else x509.load_pem_x509_certificate(data)
ca, ca_key, key = load('ca.pem'), load('ca.key', True), load('server.key', True)
now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
def ski(k): return x509.SubjectKeyIdentifier.from_public_key(k.public_key())
def aki(k): return x509.AuthorityKeyIdentifier.from_issuer_public_key(k.public_key())
# An intermediate CA with an empty subject (and so a critical SAN, which
# RFC 5280 §4.1.2.6 asks of any empty subject), and a leaf under it: the web
# policy also wants a CA's subject non-empty (BR 7.1.2.10.2).
int_key = load('int.key', True)
b = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(ca.subject)
     .public_key(int_key.public_key()).serial_number(x509.random_serial_number())
     .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=825))
     .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
     .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), True)
     .add_extension(x509.SubjectAlternativeName([x509.DNSName('ca.example')]), True)
     .add_extension(ski(int_key), False).add_extension(aki(ca_key), False))
empty_ca = b.sign(ca_key, hashes.SHA256())
open('empty-subject-ca.pem', 'wb').write(empty_ca.public_bytes(serialization.Encoding.PEM))
b = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, 'localhost')]))
     .issuer_name(x509.Name([])).public_key(key.public_key()).serial_number(x509.random_serial_number())
     .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=825))
     .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost')]), False)
     .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
     .add_extension(ski(key), False).add_extension(aki(int_key), False))
open('empty-subject-ca-leaf.pem', 'wb').write(b.sign(int_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
for name, critical in (('empty-subject-critical-san', True), ('empty-subject-noncritical-san', False)):
    b = (x509.CertificateBuilder().subject_name(x509.Name([])).issuer_name(ca.subject)
         .public_key(key.public_key()).serial_number(x509.random_serial_number())
         .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=825))
         .add_extension(x509.SubjectAlternativeName([x509.DNSName('localhost')]), critical)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False))
    open(name + '.pem', 'wb').write(b.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM))
PY
# The web policy, one rule broken per certificate (everything else as server.pem).
web() {
  n=$1 cn=$2
  shift 2
  csr "$n" server.key "$cn"
  ext "$@"
  sign "$n" ca "$EXT"
}
GOOD_EKU=extendedKeyUsage=serverAuth
web web-no-eku localhost "subjectAltName=DNS:localhost"
web web-any-eku localhost "extendedKeyUsage=serverAuth,anyExtendedKeyUsage" "subjectAltName=DNS:localhost"
web web-critical-eku localhost "extendedKeyUsage=critical,serverAuth" "subjectAltName=DNS:localhost"
web web-underscore my_host.example.com "$GOOD_EKU" "subjectAltName=DNS:my_host.example.com"
web web-wild-public-suffix "*.co.uk" "$GOOD_EKU" "subjectAltName=DNS:*.co.uk"
web web-wild-ok "*.example.co.uk" "$GOOD_EKU" "subjectAltName=DNS:*.example.co.uk"
web web-cn-not-in-san localhost "$GOOD_EKU" "subjectAltName=DNS:www.example.com"
web web-critical-san localhost "$GOOD_EKU" "subjectAltName=critical,DNS:localhost"
web web-key-cert-sign localhost "$GOOD_EKU" "subjectAltName=DNS:localhost" "keyUsage=critical,digitalSignature,keyCertSign"
web web-critical-aki localhost "$GOOD_EKU" "subjectAltName=DNS:localhost" "authorityKeyIdentifier=critical,keyid"
web web-aki-no-keyid localhost "$GOOD_EKU" "subjectAltName=DNS:localhost" "authorityKeyIdentifier=issuer"
web web-noncritical-policy-constraints localhost "$GOOD_EKU" "subjectAltName=DNS:localhost" "policyConstraints=inhibitPolicyMapping:1"
web web-bad-aia localhost "$GOOD_EKU" "subjectAltName=DNS:localhost" "1.3.6.1.5.5.7.1.1=DER:3000"
# Serial numbers 0, -5 and 21 octets (openssl x509 -set_serial).
for v in "zero:0" "negative:-5" "long:0x0102030405060708090a0b0c0d0e0f101112131415"; do
  csr "web-serial-${v%%:*}" server.key localhost
  ext "$GOOD_EKU" "subjectAltName=DNS:localhost"
  openssl x509 -req -in "web-serial-${v%%:*}.csr" -CA ca.pem -CAkey ca.key -set_serial "${v#*:}" \
    -days "$DAYS" -sha256 -extfile "$EXT" -out "web-serial-${v%%:*}.pem" 2>/dev/null
done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2052 -out odd.key 2>/dev/null
csr web-odd-modulus odd.key localhost
ext "$GOOD_EKU" "subjectAltName=DNS:localhost"
sign web-odd-modulus ca "$EXT"
# An intermediate with non-critical basicConstraints and one without
# subjectKeyIdentifier, each with a good leaf.
for v in "noncritical-bc:basicConstraints=CA:TRUE" "no-ski:basicConstraints=critical,CA:TRUE"; do
  n=web-int-${v%%:*}
  csr "$n" int.key "tls12 $n"
  if [ "$n" = web-int-no-ski ]; then ext "${v#*:}" "keyUsage=critical,keyCertSign" "subjectKeyIdentifier=none"
  else ext "${v#*:}" "keyUsage=critical,keyCertSign"; fi
  sign "$n" ca "$EXT"
  cp int.key "$n.key"
  csr "$n-leaf" server.key localhost
  ext "$GOOD_EKU" "subjectAltName=DNS:localhost"
  sign "$n-leaf" "$n" "$EXT"
done

# requireExplicitPolicy: 0 in an intermediate makes a valid policy tree
# necessary (no certificatePolicies anywhere: invalid); 5 never bites here.
for v in "0" "5"; do
  n=explicit-policy-$v
  csr "$n" int.key "tls12 $n"
  ext "basicConstraints=critical,CA:TRUE" "keyUsage=critical,keyCertSign" "policyConstraints=critical,requireExplicitPolicy:$v"
  sign "$n" ca "$EXT"
  cp int.key "$n.key"
  csr "$n-leaf" server.key localhost
  ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
  sign "$n-leaf" "$n" "$EXT"
done
# A root whose authorityKeyIdentifier names its issuer and serial (web: BR 7.1.2.1.3).
openssl req -x509 -new -key other-ca.key -sha256 -days "$DAYS_CA" -subj "/O=tls12 test/CN=tls12 AKI Root" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -addext "subjectKeyIdentifier=hash" \
  -addext "authorityKeyIdentifier=keyid:always,issuer:always" -out aki-root.pem
cp other-ca.key aki-root.key
csr aki-root-leaf server.key localhost
ext "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost"
sign aki-root-leaf aki-root "$EXT"

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

rm -f ./*.csr patch.der
echo "test PKI written to $out"
