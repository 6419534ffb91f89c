// PEM encapsulation (RFC 7468) and base64 (RFC 4648); see pem.h.
#include "x509/pem.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace tls12::x509 {

namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
  const size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// "-----BEGIN X-----" -> "X" if the line has that shape.
bool boundary_label(std::string_view line, std::string_view kind, std::string& label) {
  const std::string head = "-----" + std::string(kind) + " ";
  line = trim(line);
  if (line.size() < head.size() + 5 || line.substr(0, head.size()) != head || line.substr(line.size() - 5) != "-----")
    return false;
  label = std::string(line.substr(head.size(), line.size() - head.size() - 5));
  return true;
}

}  // namespace

Bytes base64_decode(std::string_view text) {
  Bytes out;
  // One allocation up front: a vector that grows leaves copies of what it held
  // (perhaps a private key) in the memory it frees.
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t count = 0, padding = 0;
  for (char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      ++padding;
      ++count;
      continue;
    }
    if (padding != 0) throw std::runtime_error("PEM: base64 data after '=' padding");
    const int v = base64_value(c);
    if (v < 0) throw std::runtime_error(std::string("PEM: invalid base64 character '") + c + "'");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++count;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  if (count % 4 != 0 || padding > 2) throw std::runtime_error("PEM: base64 length is not a multiple of 4");
  // The leftover bits of the last group must be zero for a canonical encoding.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) throw std::runtime_error("PEM: non-canonical base64 padding bits");
  return out;
}

std::string base64_encode(ByteView data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (data[i + 1] << 8) | data[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (data.size() - i == 1) {
    const uint32_t v = uint32_t{data[i]} << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (data.size() - i == 2) {
    const uint32_t v = (uint32_t{data[i]} << 16) | (data[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::vector<PemBlock> parse_pem(std::string_view text) {
  std::vector<PemBlock> blocks;
  std::optional<std::string> open_label;
  std::string body;
  body.reserve(text.size());  // never reallocated, so wiping it below wipes every copy
  auto wipe_body = [&body] {
    secure_zero(body.data(), body.size());
    body.clear();
  };
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    std::string label;
    if (!open_label) {
      if (boundary_label(line, "BEGIN", label)) {
        open_label = label;
        wipe_body();
      }
      continue;  // text outside blocks is commentary
    }
    if (boundary_label(line, "END", label)) {
      if (label != *open_label)
        throw std::runtime_error("PEM: END " + label + " does not match BEGIN " + *open_label + " (line " +
                                 std::to_string(line_no) + ")");
      blocks.push_back(PemBlock{label, base64_decode(body)});
      wipe_body();  // the base64 of a private key is as secret as the key
      open_label.reset();
      continue;
    }
    if (line.find(':') != std::string_view::npos)
      throw std::runtime_error("PEM: header lines (e.g. Proc-Type/DEK-Info legacy encryption) are not supported; "
                               "use PKCS#8 (openssl pkcs8 -topk8 or genpkey -aes256)");
    if (boundary_label(line, "BEGIN", label))
      throw std::runtime_error("PEM: BEGIN " + label + " inside an open " + *open_label + " block");
    body.append(line);
  }
  wipe_body();
  if (open_label) throw std::runtime_error("PEM: BEGIN " + *open_label + " without a matching END");
  return blocks;
}

std::vector<Bytes> pem_blocks_with_label(std::string_view text, std::string_view label) {
  std::vector<Bytes> out;
  for (auto& block : parse_pem(text))
    if (block.label == label) out.push_back(std::move(block.der));
  return out;
}

std::string encode_pem(std::string_view label, ByteView der) {
  // The text may be a private key: every buffer is sized once (no copies left
  // behind by a growing string) and the intermediate base64 is wiped.
  std::string b64 = base64_encode(der);
  const std::string begin = "-----BEGIN " + std::string(label) + "-----\n";
  const std::string end = "-----END " + std::string(label) + "-----\n";
  std::string out;
  out.reserve(begin.size() + b64.size() + b64.size() / 64 + 1 + end.size());
  out += begin;
  for (size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out += '\n';
  }
  out += end;
  secure_zero(b64.data(), b64.size());
  return out;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  // The system's reason (no such file, permission denied) is what the user needs.
  if (!in) throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error("cannot read " + path.string() + ": it is a directory");
  if (!std::filesystem::is_regular_file(path, ec)) {  // a pipe or a device: size unknown
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // A regular file is read straight into a string of its size: a growing
  // buffer would leave copies of a key file's text in memory it frees
  // without wiping.
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw std::runtime_error("cannot read " + path.string() + ": " + ec.message());
  std::string text(static_cast<size_t>(size), '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    throw std::runtime_error("cannot read " + path.string() + " (it changed while being read)");
  return text;
}

}  // namespace tls12::x509
