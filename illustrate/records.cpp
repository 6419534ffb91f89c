// The records of the illustrated page (RFC 5246 §6.2): each record's bytes cut
// into labelled fields, the record header (§6.2.1), the protection layout
// (§6.2.3.2 GenericBlockCipher, RFC 7366 §3 encrypt-then-MAC, §6.2.3.3
// GenericAEADCipher with RFC 5288 §3 / RFC 7905 §2 nonces), and the content:
// handshake messages with their fields (§7.4), ChangeCipherSpec (§7.1),
// alerts (§7.2) and application data (§10).
#include <algorithm>
#include <map>

#include "illustrate/layout.h"
#include "record/alert.h"
#include "record/record.h"

namespace tls12::illustrate::detail {

namespace {

constexpr uint8_t kChangeCipherSpec = 20, kAlert = 21, kHandshake = 22, kApplicationData = 23;
constexpr size_t kHeader = 5;

std::string message_section(uint8_t type) {
  switch (type) {
    case 1: return "RFC 5246 §7.4.1.2";
    case 2: return "RFC 5246 §7.4.1.3";
    case 4: return "RFC 5077 §3.3";
    case 11: return "RFC 5246 §7.4.2";
    case 12: return "RFC 5246 §7.4.3";
    case 13: return "RFC 5246 §7.4.4";
    case 14: return "RFC 5246 §7.4.5";
    case 15: return "RFC 5246 §7.4.8";
    case 16: return "RFC 5246 §7.4.7";
    case 20: return "RFC 5246 §7.4.9";
    default: return "RFC 5246 §7.4";
  }
}

// The RFC that defines an extension, by the name describe() gives it.
std::string extension_section(const std::string& name) {
  static const std::map<std::string, std::string> sections = {
      {"server_name", "RFC 6066 §3"},
      {"supported_groups", "RFC 8422 §5.1.1"},
      {"elliptic_curves", "RFC 8422 §5.1.1"},
      {"ec_point_formats", "RFC 8422 §5.1.2"},
      {"signature_algorithms", "RFC 5246 §7.4.1.4.1"},
      {"extended_master_secret", "RFC 7627 §5.1"},
      {"encrypt_then_mac", "RFC 7366 §2"},
      {"session_ticket", "RFC 5077 §3.2"},
      {"SessionTicket", "RFC 5077 §3.2"},
      {"application_layer_protocol_negotiation", "RFC 7301 §3.1"},
      {"renegotiation_info", "RFC 5746 §3.2"},
      {"max_fragment_length", "RFC 6066 §4"},
      {"status_request", "RFC 6066 §8"},
  };
  auto it = sections.find(name);
  return it != sections.end() ? it->second : "RFC 5246 §7.4.1.4";
}

std::string field_section(const Message& message, const std::string& field) {
  if (field == "msg_type" || field == "length") return "RFC 5246 §7.4";
  const std::string prefix = "extensions.";
  if (field.rfind(prefix, 0) == 0) return extension_section(field.substr(prefix.size()));
  if (message.type == 12 && field.rfind("params.", 0) == 0 && field.find("dh_") == std::string::npos)
    return "RFC 8422 §5.4";
  if (message.type == 16 && field == "exchange_keys.ecdh_Yc") return "RFC 8422 §5.7";
  return message_section(message.type);
}

// Where each of a message's fields lies inside it. describe() gives each
// field's bytes in wire order, so each is searched from the end of the last
// one found, then (for a field inside the last one) from its start.
std::vector<std::pair<size_t, size_t>> locate_fields(const Message& message) {
  std::vector<std::pair<size_t, size_t>> where;
  size_t last_begin = 0, last_end = 0;
  for (const auto& field : message.fields) {
    if (field.raw.empty()) {
      where.emplace_back(0, 0);
      continue;
    }
    auto find_from = [&](size_t from) -> size_t {
      if (from > message.raw.size()) return message.raw.size();
      auto it = std::search(message.raw.begin() + static_cast<std::ptrdiff_t>(from), message.raw.end(),
                            field.raw.begin(), field.raw.end());
      return static_cast<size_t>(it - message.raw.begin());
    };
    size_t at = find_from(last_end);
    if (at == message.raw.size()) at = find_from(last_begin);
    if (at == message.raw.size()) at = find_from(0);
    if (at == message.raw.size()) {
      where.emplace_back(0, 0);
      continue;
    }
    where.emplace_back(at, at + field.raw.size());
    last_begin = at;
    last_end = at + field.raw.size();
  }
  return where;
}

// Bytes [begin, end) of a record fragment as a field, when not empty.
void add(std::vector<Span>& spans, size_t begin, size_t end, std::string name, std::string value, std::string rfc) {
  if (end > begin) spans.push_back(Span{begin, end, std::move(name), std::move(value), std::move(rfc)});
}

std::string text_preview(ByteView bytes) {
  constexpr size_t kPreview = 400;
  std::string text(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(std::min(bytes.size(), kPreview)));
  for (char& c : text)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n') || static_cast<unsigned char>(c) >= 0x7f) c = '.';
  if (bytes.size() > kPreview) text += "…";
  return text;
}

void protected_spans(std::vector<Span>& spans, const Record& r) {
  const size_t end = r.wire.size();
  const size_t iv_end = std::min(end, kHeader + r.record_iv_length);
  const bool cbc = r.protection.find("CBC") != std::string::npos;
  if (!cbc) {
    add(spans, kHeader, iv_end, "nonce_explicit", spaced_hex(ByteView(r.wire).subspan(kHeader, iv_end - kHeader)),
        "RFC 5288 §3");
    const size_t tag = end >= r.mac_length ? end - r.mac_length : end;
    add(spans, iv_end, std::max(iv_end, tag), "encrypted content",
        std::to_string(r.plaintext.size()) + " bytes of " + r.protection + " ciphertext", "RFC 5246 §6.2.3.3");
    add(spans, std::max(iv_end, tag), end, "authentication tag", std::to_string(r.mac_length) + "-byte AEAD tag",
        "RFC 5246 §6.2.3.3");
    return;
  }
  add(spans, kHeader, iv_end, "IV", "record IV, fresh and random per record", "RFC 5246 §6.2.3.2");
  // CBC encrypts block for block, so each part of the plaintext lies at the
  // same offset in the ciphertext.
  const size_t content_end = std::min(end, iv_end + r.plaintext.size());
  add(spans, iv_end, content_end, "encrypted content", std::to_string(r.plaintext.size()) + " bytes",
      "RFC 5246 §6.2.3.2");
  if (r.encrypt_then_mac) {
    const size_t mac = end >= r.mac_length ? end - r.mac_length : end;
    add(spans, content_end, std::max(content_end, mac), "encrypted padding", "padding and padding_length",
        "RFC 5246 §6.2.3.2");
    add(spans, std::max(content_end, mac), end, "MAC", "HMAC over header and IV ‖ ciphertext", "RFC 7366 §3");
    return;
  }
  const size_t mac_end = std::min(end, content_end + r.mac_length);
  add(spans, content_end, mac_end, "encrypted MAC", "HMAC over seq_num, header and content", "RFC 5246 §6.2.3.1");
  add(spans, mac_end, end, "encrypted padding", "padding and padding_length", "RFC 5246 §6.2.3.2");
}

void handshake_spans(std::vector<Span>& spans, const Context& context, size_t item_index, const Record& record,
                     size_t offset) {
  const size_t record_begin = context.record_stream_begin[item_index];
  const size_t record_end = record_begin + record.plaintext.size();
  for (const auto& placed : context.placed) {
    const Message& m = *placed.message;
    if (m.from != record.from) continue;
    const size_t m_begin = placed.stream_begin, m_end = m_begin + m.raw.size();
    if (m_end <= record_begin || m_begin >= record_end) continue;
    // Stream offsets to offsets in this record's buffer, clipped to it.
    auto clip = [&](size_t a, size_t b) {
      a = std::clamp(a, record_begin, record_end);
      b = std::clamp(b, record_begin, record_end);
      return std::make_pair(a - record_begin + offset, b - record_begin + offset);
    };
    auto [mb, me] = clip(m_begin, m_end);
    add(spans, mb, me, m.name, "handshake message, " + std::to_string(m.raw.size()) + " bytes", message_section(m.type));
    const auto where = locate_fields(m);
    for (size_t i = 0; i < m.fields.size(); ++i) {
      const auto& field = m.fields[i];
      const std::string name = m.name + "." + field.name;
      if (where[i].second == 0) {
        // Decoded but not a byte range of its own: listed, not drawn.
        if (m_begin >= record_begin) spans.push_back(Span{mb, mb, name, field.value, field_section(m, field.name)});
        continue;
      }
      auto [fb, fe] = clip(m_begin + where[i].first, m_begin + where[i].second);
      add(spans, fb, fe, name, field.value, field_section(m, field.name));
    }
  }
}

}  // namespace

Context make_context(const Recording& recording, const PageOptions& options) {
  Context context{recording, options, {}, {}, nullptr, {}, {}, false};
  size_t stream[2] = {0, 0};
  for (const auto& message : recording.messages) {
    size_t& at = stream[message.from == Lane::client ? 0 : 1];
    context.placed.push_back(PlacedMessage{&message, at});
    at += message.raw.size();
    if (message.type == 1 && message.raw.size() >= 38) context.client_random.assign(message.raw.begin() + 6, message.raw.begin() + 38);
    if (message.type == 2 && message.raw.size() >= 38) context.server_random.assign(message.raw.begin() + 6, message.raw.begin() + 38);
    for (const auto& field : message.fields) {
      if (message.type == 2 && field.name == "cipher_suite" && field.raw.size() == 2)
        context.suite = handshake::find_cipher_suite(static_cast<handshake::CipherSuite>(field.raw[0] << 8 | field.raw[1]));
      if (message.type == 2 && field.name == "extensions.extended_master_secret") context.extended_master_secret = true;
    }
  }
  size_t records[2] = {0, 0};
  for (const auto& item : recording.items) {
    const auto* record = std::get_if<Record>(&item);
    size_t begin = 0;
    if (record != nullptr && record->content_type == kHandshake) {
      size_t& at = records[record->from == Lane::client ? 0 : 1];
      begin = at;
      at += record->plaintext.size();
    }
    context.record_stream_begin.push_back(begin);
  }
  return context;
}

std::vector<Span> wire_spans(const Record& r) {
  std::vector<Span> spans;
  if (r.wire.size() < kHeader) return spans;
  const auto type = static_cast<record::ContentType>(r.wire[0]);
  add(spans, 0, 1, "TLSPlaintext.type", record::content_type_name(type) + " (" + std::to_string(r.wire[0]) + ")",
      "RFC 5246 §6.2.1");
  add(spans, 1, 3, "TLSPlaintext.version", "0x" + spaced_hex(ByteView(r.wire).subspan(1, 2)).erase(2, 1),
      "RFC 5246 §6.2.1");
  add(spans, 3, 5, "TLSPlaintext.length", std::to_string(r.wire.size() - kHeader), "RFC 5246 §6.2.1");
  if (!r.protection.empty()) protected_spans(spans, r);
  return spans;
}

std::vector<Span> content_spans(const Context& context, size_t item_index, const Record& record) {
  std::vector<Span> spans;
  const ByteView p = record.plaintext;
  switch (record.content_type) {
    case kHandshake:
      handshake_spans(spans, context, item_index, record, 0);
      break;
    case kChangeCipherSpec:
      add(spans, 0, p.size(), "ChangeCipherSpec.type", "change_cipher_spec (1)", "RFC 5246 §7.1");
      break;
    case kAlert:
      if (p.size() >= 2) {
        add(spans, 0, 1, "Alert.level", std::string(record::alert_level_name(static_cast<record::AlertLevel>(p[0]))),
            "RFC 5246 §7.2");
        add(spans, 1, 2, "Alert.description", record::alert_name(static_cast<record::AlertDescription>(p[1])),
            "RFC 5246 §7.2");
      }
      break;
    case kApplicationData:
      add(spans, 0, p.size(), "application_data", text_preview(p), "RFC 5246 §10");
      break;
    default:
      break;
  }
  return spans;
}

std::set<int> record_steps(const Context& context, size_t item_index, const Record& record) {
  const bool client = record.from == Lane::client;
  switch (record.content_type) {
    case kChangeCipherSpec: return {client ? 7 : 8};
    case kAlert:
    case kApplicationData: return {9};
    default: break;
  }
  std::set<int> steps;
  const size_t begin = context.record_stream_begin[item_index], end = begin + record.plaintext.size();
  for (const auto& placed : context.placed) {
    const Message& m = *placed.message;
    if (m.from != record.from || placed.stream_begin + m.raw.size() <= begin || placed.stream_begin >= end) continue;
    switch (m.type) {
      case 1: steps.insert(1); break;
      case 2: case 12: case 13: case 14: steps.insert(2); break;
      case 11: steps.insert(client ? 5 : 2); if (!client) steps.insert(3); break;
      case 16: steps.insert(4); steps.insert(6); break;
      case 15: steps.insert(5); steps.insert(6); break;
      case 20: case 4: steps.insert(client ? 7 : 8); break;
      default: break;
    }
  }
  return steps;
}

}  // namespace tls12::illustrate::detail
