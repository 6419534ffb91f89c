// PEM (RFC 7468): DER wrapped in base64 between "-----BEGIN label-----" and
// "-----END label-----" lines, the form `openssl` writes keys and certificates in.
//
// A file may hold several blocks (a certificate chain, a key and its
// certificate); text around the blocks is ignored, as `openssl x509 -text`
// output places a human-readable dump before the block. Labels we use:
// CERTIFICATE, PRIVATE KEY (PKCS#8), RSA PRIVATE KEY (PKCS#1),
// ENCRYPTED PRIVATE KEY (PKCS#8 with PBES2), PUBLIC KEY (SubjectPublicKeyInfo).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.h"

namespace tls12::x509 {

struct PemBlock {
  std::string label;
  Bytes der;
};

// Every block in `text`, in order. Throws std::runtime_error for a BEGIN
// without a matching END, a mismatched label, bad base64, or (RFC 1421)
// encryption headers such as "Proc-Type: 4,ENCRYPTED", which we do not support.
std::vector<PemBlock> parse_pem(std::string_view text);

// The blocks with one label (e.g. every "CERTIFICATE" of a chain file).
std::vector<Bytes> pem_blocks_with_label(std::string_view text, std::string_view label);

// Writes one block, 64 base64 characters per line (RFC 7468 §2).
std::string encode_pem(std::string_view label, ByteView der);

// Reads a whole file as text; throws std::runtime_error naming the file.
std::string read_text_file(const std::filesystem::path& path);

// Base64 (RFC 4648 §4) as PEM uses it: whitespace between characters is skipped,
// padding is required, anything else is an error.
Bytes base64_decode(std::string_view text);
std::string base64_encode(ByteView data);

}  // namespace tls12::x509
