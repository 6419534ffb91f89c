// Encrypted private keys: EncryptedPrivateKeyInfo (RFC 5958 §3) protected with
// PBES2 (RFC 8018 §6.2): a key derived from the passphrase with PBKDF2
// (§5.2, HMAC-SHA-256/384/512) encrypts the PrivateKeyInfo with AES-CBC
// (RFC 8018 B.2.5, NIST SP 800-38A §6.2) and PKCS#7 padding (RFC 8018 §6.1.1
// step 4). This is exactly what `openssl genpkey -aes256 -pass ...` writes:
//
//   EncryptedPrivateKeyInfo ::= SEQUENCE {
//     encryptionAlgorithm AlgorithmIdentifier { PBES2, PBES2-params },
//     encryptedData OCTET STRING }
//   PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier {PBKDF2, PBKDF2-params},
//                               encryptionScheme AlgorithmIdentifier {aes256-CBC, iv OCTET STRING} }
//   PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
//                                keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }
//
// Writing: encrypt_private_key_info (key_writer.h) makes the same structure
// with a random salt and IV. Also the passphrase sources (pass:, env:, file:, prompt).
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "crypto/aes.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "x509/der_writer.h"
#include "x509/der.h"
#include "x509/keys.h"
#include "x509/key_writer.h"
#include "x509/oid.h"

namespace tls12::x509 {

namespace {

// A work factor above this is refused: a hostile key file could otherwise make
// us spin for hours. OpenSSL writes 2048; 10 million is generous.
constexpr int64_t kMaxIterations = 10'000'000;

struct Pbes2Parameters {
  Bytes salt;
  uint32_t iterations = 0;
  crypto::HashAlgorithm prf = crypto::HashAlgorithm::sha256;
  size_t key_length = 32;
  Bytes iv;
};

crypto::HashAlgorithm prf_from_oid(const std::string& id) {
  if (id == oid::hmac_with_sha256) return crypto::HashAlgorithm::sha256;
  if (id == oid::hmac_with_sha384) return crypto::HashAlgorithm::sha384;
  if (id == oid::hmac_with_sha512) return crypto::HashAlgorithm::sha512;
  if (id == oid::hmac_with_sha1) throw UnsupportedError("PBKDF2 with HMAC-SHA-1 is not supported (use -aes256 with OpenSSL 3)");
  throw UnsupportedError("unsupported PBKDF2 pseudorandom function " + id);
}

Pbes2Parameters read_pbes2_parameters(DerReader& params) {
  Pbes2Parameters out;
  DerReader kdf = params.read_sequence("PBES2-params.keyDerivationFunc");
  if (kdf.read_oid("keyDerivationFunc") != oid::pbkdf2) throw UnsupportedError("PBES2 key derivation other than PBKDF2");
  DerReader p = kdf.read_sequence("PBKDF2-params");
  kdf.expect_end("keyDerivationFunc");
  const ByteView salt = p.read_octet_string("PBKDF2-params.salt");
  out.salt.assign(salt.begin(), salt.end());
  const size_t it_at = p.offset();
  const int64_t iterations = p.read_small_integer("PBKDF2-params.iterationCount");
  if (iterations < 1 || iterations > kMaxIterations)
    throw DerError("PBKDF2 iterationCount out of range (1.." + std::to_string(kMaxIterations) + ")", it_at);
  out.iterations = static_cast<uint32_t>(iterations);
  std::optional<int64_t> key_length;
  if (p.next_is(TagClass::universal, asn1::integer)) key_length = p.read_small_integer("PBKDF2-params.keyLength");
  if (!p.empty()) {
    DerReader prf = p.read_sequence("PBKDF2-params.prf");
    out.prf = prf_from_oid(prf.read_oid("prf"));
    if (!prf.empty()) prf.read_null("prf parameters");
    prf.expect_end("prf");
  } else {
    prf_from_oid(std::string(oid::hmac_with_sha1));  // the DEFAULT: refused
  }
  p.expect_end("PBKDF2-params");

  DerReader enc = params.read_sequence("PBES2-params.encryptionScheme");
  const std::string cipher = enc.read_oid("encryptionScheme");
  if (cipher == oid::aes256_cbc) out.key_length = 32;
  else if (cipher == oid::aes128_cbc) out.key_length = 16;
  else throw UnsupportedError("unsupported PBES2 cipher " + cipher + " (AES-128-CBC and AES-256-CBC are supported)");
  const size_t iv_at = enc.offset();
  const ByteView iv = enc.read_octet_string("AES-CBC IV");
  if (iv.size() != 16) throw DerError("AES-CBC IV must be 16 bytes", iv_at);
  out.iv.assign(iv.begin(), iv.end());
  enc.expect_end("encryptionScheme");
  params.expect_end("PBES2-params");
  if (key_length && static_cast<size_t>(*key_length) != out.key_length)
    throw DerError("PBKDF2 keyLength does not match the cipher", it_at);
  return out;
}

// CBC decryption (SP 800-38A §6.2) and removal of the PKCS#7 padding
// (crypto/aes.h). A wrong passphrase gives random-looking plaintext, so the
// padding check is how it is usually detected.
SecretBytes aes_cbc_decrypt(ByteView key, ByteView iv, ByteView ciphertext) {
  if (ciphertext.empty() || ciphertext.size() % 16 != 0)
    throw std::runtime_error("encrypted private key: ciphertext is not a whole number of AES blocks");
  try {
    return crypto::aes_cbc_pkcs7_decrypt(key, iv, ciphertext);
  } catch (const std::runtime_error&) {
    throw std::runtime_error("wrong passphrase or corrupted key (bad padding after decryption)");
  }
}

// PKCS#7 padding (RFC 8018 §6.1.1 step 4: 1 to 16 octets, each holding the
// count) and CBC encryption (SP 800-38A §6.2: C_i = E_K(P_i xor C_{i-1}),
// C_0 = IV). Private to this file on purpose: the TLS CBC record code has its own
// mode with different padding, and this is the only place keys are encrypted.
Bytes aes_cbc_encrypt(ByteView key, ByteView iv, ByteView plaintext) {
  const size_t pad = 16 - plaintext.size() % 16;
  SecretBytes block(plaintext.begin(), plaintext.end());
  block.insert(block.end(), pad, static_cast<uint8_t>(pad));
  const crypto::Aes aes(key);
  Bytes out(block.size());
  const uint8_t* previous = iv.data();
  for (size_t off = 0; off < block.size(); off += 16) {
    for (size_t i = 0; i < 16; ++i) block[off + i] ^= previous[i];
    aes.encrypt_block(block.data() + off, out.data() + off);
    previous = out.data() + off;
  }
  return out;
}

}  // namespace

namespace {

struct EncryptedPrivateKeyInfo {
  Pbes2Parameters parameters;
  ByteView encrypted_data;
};

EncryptedPrivateKeyInfo read_encrypted_private_key_info(ByteView der) {
  DerReader outer(der);
  DerReader r = outer.read_sequence("EncryptedPrivateKeyInfo");
  outer.expect_end("EncryptedPrivateKeyInfo");
  DerReader alg = r.read_sequence("encryptionAlgorithm");
  const std::string scheme = alg.read_oid("encryptionAlgorithm");
  if (scheme != oid::pbes2) throw UnsupportedError("encrypted key scheme " + scheme + " is not PBES2 (PBES1 is not supported)");
  DerReader params = alg.read_sequence("PBES2-params");
  alg.expect_end("encryptionAlgorithm");
  EncryptedPrivateKeyInfo info;
  info.parameters = read_pbes2_parameters(params);
  info.encrypted_data = r.read_octet_string("encryptedData");
  r.expect_end("EncryptedPrivateKeyInfo");
  return info;
}

}  // namespace

std::string describe_encrypted_private_key_info(ByteView der) {
  const Pbes2Parameters p = read_encrypted_private_key_info(der).parameters;
  return "PBES2: PBKDF2 with HMAC-" + std::string(crypto::hash_name(p.prf)) + ", " + std::to_string(p.iterations) +
         " iterations, " + std::to_string(p.salt.size()) + "-byte salt; AES-" + std::to_string(p.key_length * 8) + "-CBC";
}

SecretBytes decrypt_encrypted_private_key_info(ByteView der, ByteView passphrase, Pbes2Opening* opening) {
  const EncryptedPrivateKeyInfo parsed = read_encrypted_private_key_info(der);
  const Pbes2Parameters& p = parsed.parameters;
  const ByteView encrypted = parsed.encrypted_data;

  SecretBytes key(p.key_length);
  crypto::pbkdf2_hmac(p.prf, passphrase, p.salt, p.iterations, key);
  SecretBytes info = aes_cbc_decrypt(key, p.iv, encrypted);
  // Padding can be right by chance (about 1 in 256): the result must also be a
  // PrivateKeyInfo SEQUENCE, which the caller parses strictly.
  try {
    DerReader check(info);
    check.read_sequence("PrivateKeyInfo");
    check.expect_end("PrivateKeyInfo");
  } catch (const DerError&) {
    throw std::runtime_error("wrong passphrase or corrupted key (decrypted data is not a PrivateKeyInfo)");
  }
  if (opening != nullptr) *opening = Pbes2Opening{p.prf, p.salt, p.iterations, p.key_length, p.iv};
  return info;
}

Bytes encrypt_private_key_info(ByteView private_key_info, ByteView passphrase, uint32_t iterations) {
  Bytes salt(16), iv(16);
  crypto::random_bytes(salt);
  crypto::random_bytes(iv);
  SecretBytes key(32);
  crypto::pbkdf2_hmac(crypto::HashAlgorithm::sha256, passphrase, salt, iterations, key);
  const Bytes encrypted = aes_cbc_encrypt(key, iv, private_key_info);
  // The layout of the comment at the top of this file, as OpenSSL 3 writes it
  // (keyLength omitted: aes256-CBC fixes it).
  return encode_public([&](DerWriter& w) {
    w.sequence([&](DerWriter& epki) {
      epki.sequence([&](DerWriter& alg) {
        alg.oid(oid::pbes2);
        alg.sequence([&](DerWriter& params) {
          params.sequence([&](DerWriter& kdf) {
            kdf.oid(oid::pbkdf2);
            kdf.sequence([&](DerWriter& p) {
              p.octet_string(salt);
              p.integer(static_cast<int64_t>(iterations));
              p.sequence([](DerWriter& prf) {
                prf.oid(oid::hmac_with_sha256);
                prf.null();
              });
            });
          });
          params.sequence([&](DerWriter& enc) {
            enc.oid(oid::aes256_cbc);
            enc.octet_string(iv);
          });
        });
      });
      epki.octet_string(encrypted);
    });
  });
}

PassphraseSource PassphraseSource::parse(std::string_view spec) {
  PassphraseSource s;
  auto starts = [&](std::string_view prefix) { return spec.substr(0, prefix.size()) == prefix; };
  if (starts("pass:")) s = {Kind::value, std::string(spec.substr(5))};
  else if (starts("env:")) s = {Kind::env, std::string(spec.substr(4))};
  else if (starts("file:")) s = {Kind::file, std::string(spec.substr(5))};
  else if (spec == "prompt") s = {Kind::prompt, {}};
  else throw std::invalid_argument("passphrase source must be pass:TEXT, env:VAR, file:PATH or prompt");
  return s;
}

namespace {

// `what` names the file the passphrase opens, so the prompt says which one.
SecretBytes prompt_on_terminal(const std::string& what) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) throw std::runtime_error("cannot prompt for a passphrase: no terminal");
  std::string prompt = what.empty() ? "Enter passphrase: " : "Enter passphrase for " + what + ": ";
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  termios saved{};
  const bool have_termios = tcgetattr(fileno(tty), &saved) == 0;
  if (have_termios) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
  }
  SecretBytes out;
  int c;
  while ((c = std::fgetc(tty)) != EOF && c != '\n') out.push_back(static_cast<uint8_t>(c));
  if (have_termios) tcsetattr(fileno(tty), TCSAFLUSH, &saved);
  std::fputs("\n", tty);
  std::fclose(tty);
  return out;
}

}  // namespace

SecretBytes read_passphrase(const PassphraseSource& source) {
  switch (source.kind) {
    case PassphraseSource::Kind::none:
      throw std::runtime_error("the private key is encrypted: a passphrase is needed (pass:, env:, file: or prompt)");
    case PassphraseSource::Kind::value:
      return SecretBytes(source.argument.begin(), source.argument.end());
    case PassphraseSource::Kind::env: {
      const char* v = std::getenv(source.argument.c_str());
      if (v == nullptr) throw std::runtime_error("passphrase variable " + source.argument + " is not set");
      const std::string_view s(v);
      return SecretBytes(s.begin(), s.end());
    }
    case PassphraseSource::Kind::file: {
      std::ifstream in(source.argument, std::ios::binary);
      if (!in) throw std::runtime_error("cannot read passphrase file " + source.argument);
      SecretBytes out;
      char c;
      while (in.get(c) && c != '\n' && c != '\r') out.push_back(static_cast<uint8_t>(c));
      return out;
    }
    case PassphraseSource::Kind::prompt:
      return prompt_on_terminal(source.argument);
  }
  throw std::runtime_error("unknown passphrase source");
}

}  // namespace tls12::x509
