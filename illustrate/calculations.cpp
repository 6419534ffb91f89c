// The calculations of the illustrated page with the connection's own values:
// the premaster secret (RFC 5246 §8.1.1 RSA, §8.1.2 DHE, RFC 8422 §5.10
// ECDHE), the master secret (§8.1; RFC 7627 §4 with the session hash), the
// key block and its split (§6.3), each protected record's nonce and
// additional data (§6.2.3.3 with RFC 5288 §3 and RFC 7905 §2; §6.2.3.1 and
// RFC 7366 §3 for CBC), and Finished (§7.4.9).
#include <algorithm>

#include "crypto/sha2.h"
#include "handshake/key_schedule.h"
#include "illustrate/layout.h"

namespace tls12::illustrate::detail {

namespace {

std::string row(const std::string& name, const std::string& value) {
  return "<tr><th>" + name + "</th><td class=\"hex\">" + value + "</td></tr>";
}

std::string box(const std::string& id, const std::string& title, const std::string& explanation,
                const std::string& rows) {
  return "<div class=\"calc\" id=\"" + id + "\"><h3>" + title + "</h3><p>" + explanation + "</p><table>" + rows +
         "</table></div>";
}

std::string premaster_text(const Context& c) {
  if (c.suite == nullptr) return "The key exchange is unknown (no ServerHello was decoded).";
  switch (c.suite->key_exchange) {
    case handshake::KeyExchange::rsa: {
      std::string text =
          "RSA key exchange (RFC 5246 §7.4.7.1): the client made 48 bytes, client_version (03 03) and 46 random "
          "bytes, and sent them encrypted to the server's RSA key in ClientKeyExchange.";
      if (c.recording.premaster_recovered && c.recording.premaster_recovered->rsa_countermeasure)
        text += " The server decrypted them with the §7.4.7.1 countermeasure: a bad padding would have given a "
                "random premaster instead, without a different path an attacker could time.";
      return text;
    }
    case handshake::KeyExchange::dhe:
      return "Finite-field Diffie-Hellman (RFC 5246 §8.1.2): both sides compute g^(xy) mod p from their own secret "
             "and the other's public value (dh_Ys, dh_Yc); leading zero bytes are stripped.";
    case handshake::KeyExchange::ecdhe:
      return "Elliptic-curve Diffie-Hellman (RFC 8422 §5.10): both sides compute the shared point from their own "
             "secret and the other's public point (ServerKeyExchange params.public, ClientKeyExchange ecdh_Yc); "
             "the premaster is its x-coordinate (X25519: the 32-byte result).";
  }
  return {};
}

// Every handshake message before `end` (index in recording.messages), joined:
// handshake_messages of §7.4.9.
Bytes transcript(const Recording& r, size_t end) {
  Bytes out;
  for (size_t i = 0; i < end && i < r.messages.size(); ++i) {
    if (r.messages[i].type == 0) continue;  // HelloRequest is not part of it (§7.4.1.1)
    out.insert(out.end(), r.messages[i].raw.begin(), r.messages[i].raw.end());
  }
  return out;
}

handshake::Random as_random(const Bytes& bytes) {
  handshake::Random random{};
  std::copy_n(bytes.begin(), std::min(bytes.size(), random.size()), random.begin());
  return random;
}

std::string master_secret_box(const Context& c) {
  const Bytes* premaster = find_secret(c.recording, handshake::Secret::pre_master_secret);
  const Bytes* master = find_secret(c.recording, handshake::Secret::master_secret);
  std::string rows = row("pre_master_secret", premaster ? secret_text(c, *premaster) : "not known here (resumed session?)");
  std::string explanation;
  if (c.extended_master_secret && c.suite != nullptr) {
    size_t through = 0;
    for (size_t i = 0; i < c.recording.messages.size(); ++i)
      if (c.recording.messages[i].type == 16) through = i + 1;
    const Bytes session_hash = crypto::hash(c.suite->prf_hash, transcript(c.recording, through));
    explanation = "Extended master secret (RFC 7627 §4): master_secret = PRF(pre_master_secret, \"extended master "
                  "secret\", session_hash)[0..47], where session_hash = " +
                  std::string(crypto::hash_name(c.suite->prf_hash)) +
                  "(every handshake message through ClientKeyExchange). It binds the keys to this handshake.";
    rows += row("label", "\"extended master secret\"") + row("session_hash", spaced_hex(session_hash));
  } else {
    explanation = "RFC 5246 §8.1: master_secret = PRF(pre_master_secret, \"master secret\", ClientHello.random + "
                  "ServerHello.random)[0..47].";
    rows += row("label", "\"master secret\"") + row("ClientHello.random", spaced_hex(c.client_random)) +
            row("ServerHello.random", spaced_hex(c.server_random));
  }
  if (c.suite != nullptr) rows += row("PRF hash", "HMAC-" + std::string(crypto::hash_name(c.suite->prf_hash)));
  rows += row("master_secret", master ? secret_text(c, *master) : "not known");
  return box("master-secret", "The master secret", explanation, rows);
}

std::string key_block_box(const Context& c) {
  const Bytes* master = find_secret(c.recording, handshake::Secret::master_secret);
  std::string explanation =
      "RFC 5246 §6.3: key_block = PRF(master_secret, \"key expansion\", ServerHello.random + ClientHello.random), "
      "cut in this order into the MAC keys (CBC suites only), the encryption keys and the fixed IVs.";
  if (master == nullptr || c.suite == nullptr || c.client_random.size() != 32 || c.server_random.size() != 32)
    return box("key-block", "The key block", explanation, row("key_block", "not known (no master secret)"));
  const handshake::KeyBlock keys =
      handshake::derive_key_block(*c.suite, *master, as_random(c.client_random), as_random(c.server_random));
  std::string rows = row("label", "\"key expansion\"");
  auto part = [&](const char* name, const SecretBytes& value) {
    if (!value.empty()) rows += row(std::string(name) + " (" + std::to_string(value.size()) + ")", secret_text(c, Bytes(value.begin(), value.end())));
  };
  part("client_write_MAC_key", keys.client_write_MAC_key);
  part("server_write_MAC_key", keys.server_write_MAC_key);
  part("client_write_key", keys.client_write_key);
  part("server_write_key", keys.server_write_key);
  part("client_write_IV", keys.client_write_IV);
  part("server_write_IV", keys.server_write_IV);
  return box("key-block", "The key block", explanation, rows);
}

std::string finished_boxes(const Context& c) {
  std::string out;
  for (size_t i = 0; i < c.recording.messages.size(); ++i) {
    const Message& m = c.recording.messages[i];
    if (m.type != 20 || c.suite == nullptr) continue;
    const bool client = m.from == Lane::client;
    const Bytes hash = crypto::hash(c.suite->prf_hash, transcript(c.recording, i));
    std::string rows = row("label", client ? "\"client finished\"" : "\"server finished\"") +
                       row("Hash(handshake_messages)", spaced_hex(hash)) +
                       row("verify_data", spaced_hex(ByteView(m.raw).subspan(std::min<size_t>(4, m.raw.size()))));
    for (const auto& check : c.recording.finished) {
      if ((check.sender == handshake::Sender::client) != client) continue;
      rows += row("computed by the receiver", spaced_hex(check.expected)) +
              row("compared", check.equal ? "equal: the handshake was not tampered with" : "DIFFERENT: decrypt_error");
    }
    out += box(client ? "finished-client" : "finished-server", client ? "The client's Finished" : "The server's Finished",
               "RFC 5246 §7.4.9: verify_data = PRF(master_secret, finished_label, " +
                   std::string(crypto::hash_name(c.suite->prf_hash)) +
                   "(handshake_messages))[0..11], over every handshake message before this one.",
               rows);
  }
  return out;
}

Bytes sequence_bytes(uint64_t seq) {
  Bytes out(8);
  for (int i = 7; i >= 0; --i, seq >>= 8) out[static_cast<size_t>(i)] = static_cast<uint8_t>(seq);
  return out;
}

}  // namespace

std::string secret_text(const Context& c, ByteView value) {
  if (c.options.show_secrets) return spaced_hex(value);
  return "<span class=\"redacted\">redacted (" + std::to_string(value.size()) + " bytes)</span>";
}

const Bytes* find_secret(const Recording& recording, handshake::Secret secret) {
  for (auto it = recording.secrets.rbegin(); it != recording.secrets.rend(); ++it)
    if (it->secret == secret) return &it->value;
  return nullptr;
}

std::string render_record_calculation(const Context& c, const Record& r) {
  if (r.protection.empty() || r.wire.size() < 5) return {};
  const bool client = r.from == Lane::client;
  const bool cbc = r.protection.find("CBC") != std::string::npos;
  // The length in the additional data / MAC header: the plaintext's, except
  // for encrypt-then-MAC, whose MAC covers IV and ciphertext (RFC 7366 §3).
  size_t length = r.plaintext.size();
  if (cbc && r.encrypt_then_mac) length = r.wire.size() - 5 - std::min(r.mac_length, r.wire.size() - 5);
  Bytes header = sequence_bytes(r.sequence_number);
  header.insert(header.end(), {r.wire[0], r.wire[1], r.wire[2], static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)});
  std::string rows = row("seq_num", std::to_string(r.sequence_number));
  if (cbc) {
    rows += row("MAC input header", spaced_hex(header) + " <small>seq_num ‖ type ‖ version ‖ length</small>");
    rows += row("MAC", std::string(client ? "client" : "server") + "_write_MAC_key, HMAC over header ‖ " +
                           (r.encrypt_then_mac ? "IV ‖ ciphertext (RFC 7366 §3)" : "content (§6.2.3.1)"));
    return "<div class=\"calc rec-calc\"><table>" + rows + "</table></div>";
  }
  rows += row("additional_data", spaced_hex(header) + " <small>seq_num ‖ type ‖ version ‖ length</small>");
  const Bytes* iv = find_secret(c.recording, client ? handshake::Secret::client_write_IV : handshake::Secret::server_write_IV);
  const std::string iv_name = client ? "client_write_IV" : "server_write_IV";
  if (r.record_iv_length > 0) {
    const ByteView explicit_nonce = ByteView(r.wire).subspan(5, std::min(r.record_iv_length, r.wire.size() - 5));
    rows += row("nonce", iv_name + " ‖ nonce_explicit = " + (iv ? secret_text(c, *iv) : "unknown") + " ‖ " +
                             spaced_hex(explicit_nonce) + " <small>RFC 5288 §3</small>");
  } else {
    std::string value = iv_name + " XOR (00 00 00 00 ‖ seq_num) <small>RFC 7905 §2</small>";
    if (iv != nullptr && iv->size() == 12) {
      Bytes nonce = *iv;
      const Bytes seq = sequence_bytes(r.sequence_number);
      for (size_t i = 0; i < 8; ++i) nonce[4 + i] ^= seq[i];
      value += "<br>= " + secret_text(c, nonce);
    }
    rows += row("nonce", value);
  }
  return "<div class=\"calc rec-calc\"><table>" + rows + "</table></div>";
}

std::string render_calculations(const Context& c) {
  std::string out = "<section id=\"keys\"><h2>The keys, computed with this connection's values</h2>";
  if (!c.options.show_secrets)
    out += "<p class=\"redaction\">Secrets are redacted on this page: ask for them with --trace=secrets.</p>";
  out += box("premaster", "The premaster secret", premaster_text(c),
             row("pre_master_secret", [&] {
               const Bytes* p = find_secret(c.recording, handshake::Secret::pre_master_secret);
               return p ? secret_text(c, *p) : std::string("not known here (a resumed session has none)");
             }()));
  out += master_secret_box(c) + key_block_box(c) + finished_boxes(c);
  return out + "</section>";
}

}  // namespace tls12::illustrate::detail
