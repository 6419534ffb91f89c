// Readable traces of a connection's events (see trace.h): the RFC 5246 §7.3
// message flow, each handshake message's §7.4 fields with their wire bytes,
// and, only when asked, the §8.1 / §6.3 secrets.
#include "protocol/trace.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "protocol/printable.h"
#include "record/alert.h"

namespace tls12::protocol {

namespace {

constexpr size_t kHexBytesPerLine = 12;         // the hex column of the bytes level
constexpr size_t kHexColumnWidth = kHexBytesPerLine * 3;
constexpr size_t kMaxValueLength = 96;          // longer values are shortened

// Escaped first (printable.h): decoded values carry the peer's strings.
std::string shorten(const std::string& raw_value) {
  const std::string value = printable(raw_value);
  if (value.size() <= kMaxValueLength) return value;
  return value.substr(0, kMaxValueLength - 3) + "...";
}

std::string arrow(Direction direction) { return direction == Direction::sent ? " > " : " < "; }

const handshake::Field* find_field(const std::vector<handshake::Field>& fields, std::string_view name) {
  auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.name == name; });
  return it == fields.end() ? nullptr : &*it;
}

// The few fields that say what a message decided, for the one-line summary.
std::string summary(const HandshakeMessage& message) {
  const auto& fields = message.fields;
  std::string out;
  auto add = [&](std::string_view label, const handshake::Field* f) {
    if (f != nullptr) out += std::string(out.empty() ? "" : ", ") + std::string(label) + " " + shorten(f->value);
  };
  if (message.name == "ServerHello") {
    add("cipher_suite", find_field(fields, "cipher_suite"));
    add("session_id", find_field(fields, "session_id"));
  } else if (message.name == "ClientHello") {
    add("server_name", find_field(fields, "extensions.server_name"));
  } else if (message.name == "Certificate") {
    size_t count = std::count_if(fields.begin(), fields.end(),
                                 [](const auto& f) { return f.name.rfind("certificate_list[", 0) == 0; });
    out = std::to_string(count) + (count == 1 ? " certificate" : " certificates");
    if (const auto* first = find_field(fields, "certificate_list[0]")) out += ", first " + shorten(first->value);
  } else if (message.name == "ServerKeyExchange") {
    add("named_curve", find_field(fields, "params.named_curve"));
    add("dh_p", find_field(fields, "params.dh_p"));
    add("signed with", find_field(fields, "signed_params.algorithm"));
  } else if (message.name == "CertificateVerify") {
    add("signed with", find_field(fields, "algorithm"));
  } else if (message.name == "Finished") {
    add("verify_data", find_field(fields, "verify_data"));
  }
  if (const auto* bad = find_field(fields, "undecodable")) add("undecodable", bad);
  return out;
}

// The bytes a field shows in the hex column. The "extensions" field spans the
// whole block, whose extensions follow as fields of their own: only its
// two-byte length is shown, so that every byte appears once.
ByteView shown_bytes(const handshake::Field& field) {
  ByteView raw(field.raw);
  if (field.name == "extensions" && raw.size() >= 2) return raw.first(2);
  return raw;
}

}  // namespace

std::optional<TraceLevel> parse_trace_level(std::string_view text) {
  if (text == "off") return TraceLevel::off;
  if (text == "messages") return TraceLevel::messages;
  if (text == "bytes") return TraceLevel::bytes;
  if (text == "secrets") return TraceLevel::secrets;
  return std::nullopt;
}

std::string_view trace_level_name(TraceLevel level) {
  switch (level) {
    case TraceLevel::off: return "off";
    case TraceLevel::messages: return "messages";
    case TraceLevel::bytes: return "bytes";
    case TraceLevel::secrets: return "secrets";
  }
  return "off";
}

std::string hex_lines(ByteView bytes, std::string_view indent, size_t per_line) {
  static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += per_line) {
    out += indent;
    for (size_t j = i; j < std::min(bytes.size(), i + per_line); ++j) {
      if (j > i) out += ' ';
      out += digits[bytes[j] >> 4];
      out += digits[bytes[j] & 0x0f];
    }
    out += '\n';
  }
  return out;
}

TraceRenderer::TraceRenderer(TraceLevel level, std::string who) : level_(level), who_(std::move(who)) {}

// Hex on the left (kHexBytesPerLine bytes a line), name and value on the right
// of the field's first line; further lines of a long field carry hex only.
std::string TraceRenderer::render_fields(const HandshakeMessage& message, std::string_view indent) {
  std::string out;
  for (const auto& field : message.fields) {
    std::string hex = hex_lines(shown_bytes(field), "", kHexBytesPerLine);
    std::string first = hex.substr(0, hex.find('\n'));
    std::string rest = hex.size() > first.size() + 1 ? hex.substr(first.size() + 1) : "";
    first.resize(kHexColumnWidth, ' ');
    out += std::string(indent) + first + "  " + field.name + ": " + shorten(field.value) + "\n";
    size_t start = 0;
    while (start < rest.size()) {
      size_t end = rest.find('\n', start);
      out += std::string(indent) + rest.substr(start, end - start) + "\n";
      start = end + 1;
    }
  }
  return out;
}

namespace {

// One field of a record: its bytes in hex (wrapped), the label beside the first line.
void append_part(std::string& out, ByteView bytes, const std::string& label, std::string_view indent) {
  std::string hex = hex_lines(bytes, "", kHexBytesPerLine);
  std::string first = hex.substr(0, hex.find('\n'));
  first.resize(kHexColumnWidth, ' ');
  out += std::string(indent) + first + "  " + label + "\n";
  for (size_t start = hex.find('\n') + 1; start < hex.size();) {
    size_t end = hex.find('\n', start);
    out += std::string(indent) + hex.substr(start, end - start) + "\n";
    start = end + 1;
  }
}

constexpr size_t kRecordHeaderLength = 5;

// The 5-byte header (§6.2.1); returns the fragment it announces.
ByteView append_header(std::string& out, ByteView record, std::string_view indent) {
  static const std::array<const char*, 4> types{"change_cipher_spec", "alert", "handshake", "application_data"};
  uint8_t type = record[0];
  std::string type_name = type >= 20 && type <= 23 ? types[type - 20] : "unknown";
  size_t length = static_cast<size_t>(record[3]) << 8 | record[4];
  append_part(out, record.first(1), "ContentType: " + type_name + " (" + std::to_string(type) + ")", indent);
  append_part(out, record.subspan(1, 2), "ProtocolVersion: " + std::to_string(record[1]) + "." + std::to_string(record[2]),
              indent);
  append_part(out, record.subspan(3, 2), "length: " + std::to_string(length), indent);
  return record.subspan(kRecordHeaderLength, std::min(length, record.size() - kRecordHeaderLength));
}

}  // namespace

std::string TraceRenderer::render_protected_record(ByteView record, size_t record_iv_length,
                                                   std::string_view indent) {
  constexpr size_t tag_length = 16;  // AES-GCM and ChaCha20-Poly1305 (RFC 5116)
  std::string out;
  if (record.size() < kRecordHeaderLength + record_iv_length + tag_length) {
    append_part(out, record, "(too short for a protected record)", indent);
    return out;
  }
  ByteView fragment = append_header(out, record, indent);
  if (fragment.size() < record_iv_length + tag_length) {
    append_part(out, fragment, "(fragment too short)", indent);
    return out;
  }
  if (record_iv_length > 0)
    append_part(out, fragment.first(record_iv_length), "nonce_explicit (with client/server_write_IV: the GCM nonce)",
                indent);
  ByteView ciphertext = fragment.subspan(record_iv_length, fragment.size() - record_iv_length - tag_length);
  append_part(out, ciphertext,
              "encrypted content (" + std::to_string(ciphertext.size()) + " bytes, as long as the plaintext)", indent);
  append_part(out, fragment.last(tag_length), "authentication tag (covers the content and seq_num + header)", indent);
  return out;
}

std::string TraceRenderer::render_cbc_record(ByteView record, size_t content_length, size_t mac_length,
                                             bool encrypt_then_mac, std::string_view indent) {
  constexpr size_t iv_length = 16;
  std::string out;
  const size_t mac_inside = encrypt_then_mac ? 0 : mac_length;
  const size_t mac_after = encrypt_then_mac ? mac_length : 0;
  if (record.size() < kRecordHeaderLength + iv_length + content_length + mac_length + 1) {
    append_part(out, record, "(too short for this CBC record)", indent);
    return out;
  }
  ByteView fragment = append_header(out, record, indent);
  if (fragment.size() < iv_length + content_length + mac_length + 1) {
    append_part(out, fragment, "(fragment too short)", indent);
    return out;
  }
  append_part(out, fragment.first(iv_length), "IV (16 random bytes, fresh for every record)", indent);
  ByteView ciphertext = fragment.subspan(iv_length, fragment.size() - iv_length - mac_after);
  const size_t padding = ciphertext.size() - content_length - mac_inside - 1;
  append_part(out, ciphertext.first(content_length),
              "encrypted content (" + std::to_string(content_length) + " bytes)", indent);
  if (!encrypt_then_mac)
    append_part(out, ciphertext.subspan(content_length, mac_length),
                "encrypted MAC (HMAC over seq_num + header + content, " + std::to_string(mac_length) + " bytes)",
                indent);
  append_part(out, ciphertext.subspan(content_length + mac_inside, padding + 1),
              "encrypted padding: " + std::to_string(padding) + " bytes of " + std::to_string(padding) +
                  ", then padding_length " + std::to_string(padding) + " (to whole 16-byte blocks)",
              indent);
  if (encrypt_then_mac)
    append_part(out, fragment.last(mac_length),
                "MAC (Encrypt-then-MAC: HMAC over seq_num + header + IV + ciphertext, " + std::to_string(mac_length) +
                    " bytes)",
                indent);
  return out;
}

std::string TraceRenderer::render_message(const HandshakeMessage& message) const {
  std::string line = who_ + arrow(message.direction) + message.name + " (" + std::to_string(message.raw.size()) +
                     " bytes)";
  std::string s = summary(message);
  if (!s.empty()) line += ": " + s;
  line += "\n";
  if (level_ >= TraceLevel::bytes) line += render_fields(message, "    ");
  return line;
}

std::string TraceRenderer::render(const Event& event) const {
  if (level_ == TraceLevel::off) return {};
  if (const auto* m = std::get_if<HandshakeMessage>(&event)) return render_message(*m);
  if (const auto* c = std::get_if<ChangeCipherSpec>(&event))
    return who_ + arrow(c->direction) + "ChangeCipherSpec\n";
  if (const auto* k = std::get_if<KeysActivated>(&event))
    return who_ + ": records it " + (k->direction == Direction::sent ? "sends" : "receives") +
           " are now protected with " + k->aead + "\n";
  if (const auto* a = std::get_if<AlertEvent>(&event)) {
    std::string line = who_ + arrow(a->direction) + "Alert " + std::string(record::alert_level_name(a->level)) +
                       " " + record::alert_name(a->description);
    if (!a->reason.empty()) line += ": " + printable(a->reason);
    return line + "\n";
  }
  if (const auto* h = std::get_if<HandshakeComplete>(&event))
    return who_ + ": handshake complete, " + h->cipher_suite + "\n";
  if (const auto* c = std::get_if<PeerChainChecked>(&event)) return who_ + ": " + describe_check(*c) + "\n";
  if (const auto* c = std::get_if<SignatureChecked>(&event)) return who_ + ": " + describe_check(*c) + "\n";
  if (const auto* c = std::get_if<PreMasterRecovered>(&event)) return who_ + ": " + describe_check(*c) + "\n";
  if (const auto* c = std::get_if<FinishedChecked>(&event)) return who_ + ": " + describe_check(*c) + "\n";
  if (const auto* s = std::get_if<SecretDerived>(&event)) {
    if (level_ < TraceLevel::secrets) return {};
    return who_ + ": SECRET " + std::string(handshake::secret_name(s->secret)) + " (" + std::to_string(s->value.size()) + " bytes)\n" +
           hex_lines(s->value, "    ", 24);
  }
  return {};
}

std::string describe_check(const PeerChainChecked& check) {
  const std::string whose = check.peer == handshake::Sender::server ? "the server's chain" : "the client's chain";
  if (!check.validated) return whose + " not verified (verification is off)";
  if (!check.accepted())
    return whose + " refused (" + std::string(x509::reason_name(check.reason)) + "): " + printable(check.message);
  std::string line = whose + " verified:";
  for (size_t i = 0; i < check.path.size(); ++i) line += (i == 0 ? " " : " <- ") + printable(check.path[i]);
  if (!check.name.empty()) line += "; name " + printable(check.name) + " matched";
  return line;
}

std::string describe_check(const SignatureChecked& check) {
  return check.message + " signature (" + handshake::signature_scheme_name(check.scheme) + ") " +
         (check.valid ? "verified" : "does NOT verify");
}

std::string describe_check(const PreMasterRecovered& check) {
  return check.rsa_countermeasure
             ? "pre_master_secret recovered: RSA decryption with the §7.4.7.1 countermeasure"
             : "pre_master_secret recovered: agreed from the two ephemeral shares";
}

std::string describe_check(const FinishedChecked& check) {
  return std::string(check.sender == handshake::Sender::server ? "the server's" : "the client's") +
         " Finished: received verify_data " + to_hex(check.received) + ", expected " + to_hex(check.expected) +
         (check.equal ? ": equal" : ": NOT equal");
}

std::mutex& trace_output_mutex() {
  static std::mutex mutex;
  return mutex;
}

Observer trace_observer(std::ostream& out, TraceLevel level, std::string who, Observer next) {
  auto renderer = std::make_shared<TraceRenderer>(level, std::move(who));
  return [&out, renderer, next = std::move(next)](const Event& event) {
    std::string text = renderer->render(event);
    if (!text.empty()) {
      std::lock_guard<std::mutex> lock(trace_output_mutex());
      out << text << std::flush;
    }
    if (next) next(event);
  };
}

}  // namespace tls12::protocol
