// Passive decoding of a captured TLS 1.2 connection (see passive.h): record
// framing (RFC 5246 §6.2.1), handshake messages (§7.4), the key schedule from
// a key-logged master_secret (§8.1, §6.3), record protection (§6.2.3) and the
// Finished values (§7.4.9), reported as protocol::Event values.
#include "illustrate/passive.h"

#include <cctype>
#include <sstream>

#include "handshake/describe.h"
#include "handshake/key_schedule.h"
#include "handshake/messages.h"
#include "handshake/negotiated.h"
#include "handshake/session_keys.h"
#include "record/handshake_reassembler.h"
#include "record/protection.h"
#include "record/record.h"

namespace tls12::illustrate {

namespace {

using handshake::HandshakeType;
using protocol::Direction;
using record::ContentType;

// Ends the decoding of one direction; the reason is one line.
struct StopDirection {
  std::string reason;
};

// The start of a stream that is not TLS, quoted when it is text: "GET / HTTP/1.1".
std::string quoted_start(ByteView bytes) {
  std::string text;
  for (uint8_t b : bytes.first(std::min<size_t>(bytes.size(), 40))) {
    if (b == '\r' || b == '\n') break;
    if (!std::isprint(b)) return "";
    text += static_cast<char>(b);
  }
  return text.empty() ? "" : " \"" + text + "\"";
}

bool looks_like_http(ByteView bytes) {
  static constexpr std::string_view kStarts[] = {"GET ", "POST", "HEAD", "PUT ", "OPTI", "DELE", "CONN", "PATC", "HTTP"};
  const std::string_view start(reinterpret_cast<const char*>(bytes.data()), std::min<size_t>(bytes.size(), 4));
  for (std::string_view s : kStarts)
    if (start.size() == 4 && s == start) return true;
  return false;
}

std::string version_hex(uint16_t version) {
  static const char* hex = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) out += hex[(version >> shift) & 15];
  return out;
}

// What one direction of the connection has reached.
struct Side {
  Direction direction;
  ByteView stream;
  std::string gap;
  size_t available = 0;  // bytes arrived so far
  size_t consumed = 0;   // bytes of whole records decoded
  uint64_t records = 0;
  uint64_t sequence_number = 0;
  std::optional<record::RecordProtection> protection;
  std::string protection_name;
  bool encrypt_then_mac = false;
  bool awaiting_keys = false;  // ChangeCipherSpec seen, no keys to open what follows
  bool stopped = false;
  record::HandshakeReassembler reassembler;

  std::string record_label() const { return "record " + std::to_string(records + 1); }
};

class PassiveDecoder {
 public:
  PassiveDecoder(const PassiveInput& input, const KeyLog& keylog, const protocol::Observer& observer)
      : keylog_(keylog), observer_(observer) {
    client_.direction = Direction::sent;
    client_.stream = input.client_to_server;
    client_.gap = input.client_gap;
    server_.direction = Direction::received;
    server_.stream = input.server_to_client;
    server_.gap = input.server_gap;
  }

  void arrived(const StreamChunk& chunk) {
    Side& side = side_of(chunk.direction);
    if (chunk.offset + chunk.length > side.stream.size() || chunk.offset + chunk.length < side.available) return;
    side.available = chunk.offset + chunk.length;
    decode_records(side);
  }

  PassiveSummary finish() {
    end_of_stream(client_);
    end_of_stream(server_);
    return summary_;
  }

 private:
  Side& side_of(Direction d) { return d == Direction::sent ? client_ : server_; }
  void emit(const protocol::Event& event) {
    if (observer_) observer_(event);
  }

  // ------------------------------------------------------------ records

  void decode_records(Side& side) {
    while (!side.stopped) {
      const ByteView rest = side.stream.subspan(side.consumed, side.available - side.consumed);
      try {
        check_header(side, rest);
        if (rest.size() < record::kRecordHeaderSize) return;
        const size_t length = size_t(rest[3] << 8 | rest[4]);
        if (rest.size() < record::kRecordHeaderSize + length) return;
        decode_record(side, rest.first(record::kRecordHeaderSize + length));
      } catch (const StopDirection& stop) {
        return stop_direction(side, stop.reason);
      } catch (const record::TlsError& e) {
        const std::string what = e.what(), alert = record::alert_name(e.alert());
        return stop_direction(side, side.record_label() + ": " +
                                        (what.find(alert) != std::string::npos ? what : alert + ": " + what));
      } catch (const std::exception& e) {
        return stop_direction(side, side.record_label() + ": " + e.what());
      }
      side.consumed += record::kRecordHeaderSize + size_t(rest[3] << 8 | rest[4]);
      ++side.records;
      ++summary_.records;
      if (!whole_connection_stop_.empty()) {
        stop_direction(client_, whole_connection_stop_);
        stop_direction(server_, whole_connection_stop_);
      }
    }
  }

  // The header as far as it has arrived (RFC 5246 §6.2.1), so that a stream
  // that is not TLS stops at its first bytes.
  void check_header(const Side& side, ByteView have) const {
    if (have.empty()) return;
    if (side.records == 0 && side.direction == Direction::sent && (have[0] & 0x80) != 0 && have.size() >= 3 &&
        have[2] == 1)
      throw StopDirection{"record 1: an SSLv2-compatible ClientHello (RFC 5246 Appendix E.2): only TLS 1.2 records "
                          "can be decoded"};
    if (have[0] < 20 || have[0] > 23) {
      if (side.records == 0)
        throw StopDirection{std::string("not TLS: the stream starts with") +
                            (quoted_start(have).empty() ? " byte " + std::to_string(have[0]) : quoted_start(have)) +
                            (looks_like_http(have) ? " (plain HTTP)" : "") + ", not a TLS record header"};
      throw StopDirection{side.record_label() + ": content type " + std::to_string(have[0]) +
                          " is none of change_cipher_spec, alert, handshake, application_data"};
    }
    if (have.size() >= 3 && have[1] != 3)
      throw StopDirection{side.record_label() + ": record version " + version_hex(uint16_t(have[1] << 8 | have[2])) +
                          " is not TLS"};
    if (have.size() >= 5 && size_t(have[3] << 8 | have[4]) > record::kMaxCiphertextLength)
      throw StopDirection{side.record_label() + ": record_overflow: a record of " +
                          std::to_string(have[3] << 8 | have[4]) + " bytes exceeds 2^14+2048"};
  }

  void decode_record(Side& side, ByteView wire) {
    const auto type = static_cast<ContentType>(wire[0]);
    const auto version = uint16_t(wire[1] << 8 | wire[2]);
    const ByteView fragment = wire.subspan(record::kRecordHeaderSize);
    protocol::RecordSeen seen{side.direction, wire[0], side.sequence_number, wire, fragment, "", 0, 0, false};
    SecretBytes opened(fragment.begin(), fragment.end());
    if (side.awaiting_keys) throw StopDirection{side.record_label() + ": encrypted, and " + no_keys_reason()};
    if (side.protection) {
      seen.protection = side.protection_name;
      seen.record_iv_length = side.protection->prefix_size();
      seen.mac_length = side.protection->block_cipher() ? side.protection->block_cipher()->mac_length()
                                                        : crypto::Aead::tag_size;
      seen.encrypt_then_mac = side.encrypt_then_mac;
      seen.plaintext = side.protection->open(type, version, opened);
      ++summary_.records_opened;
    }
    ++side.sequence_number;
    emit(seen);
    dispatch(side, type, seen.plaintext);
  }

  void dispatch(Side& side, ContentType type, ByteView plaintext) {
    switch (type) {
      case ContentType::handshake:
        side.reassembler.add_fragment(plaintext);
        while (auto message = side.reassembler.next()) on_handshake_message(side, *message);
        break;
      case ContentType::change_cipher_spec:
        on_change_cipher_spec(side, plaintext);
        break;
      case ContentType::alert: {
        const record::Alert alert = record::decode_alert(plaintext);
        emit(protocol::AlertEvent{side.direction, alert.level, alert.description, ""});
        break;
      }
      case ContentType::application_data:
        break;
    }
  }

  // Reports the rest of a direction as undecoded, once.
  void stop_direction(Side& side, const std::string& reason) {
    if (side.stopped) return;
    side.stopped = true;
    ++summary_.undecoded;
    emit(protocol::Undecoded{side.direction, side.stream.subspan(side.consumed), reason});
  }

  // A record cut short by the end of the capture, or a hole in it.
  void end_of_stream(Side& side) {
    if (side.stopped) return;
    const size_t left = side.stream.size() - side.consumed;
    if (left == 0 && side.gap.empty()) return;
    std::string reason;
    if (left == 0) {
      reason = side.gap;
    } else {
      const size_t total = left < 5 ? 5 : record::kRecordHeaderSize + size_t(side.stream[side.consumed + 3] << 8 |
                                                                               side.stream[side.consumed + 4]);
      reason = side.record_label() + ": truncated: the capture ends after " + std::to_string(left) + " of its " +
               std::to_string(total) + (left < 5 ? " header bytes" : " bytes");
      if (!side.gap.empty()) reason += " (" + side.gap + ")";
    }
    stop_direction(side, reason);
  }

  // ------------------------------------------------------------ handshake

  void on_handshake_message(Side& side, const record::HandshakeMessage& message) {
    std::optional<handshake::KeyExchange> key_exchange;
    if (suite_ != nullptr) key_exchange = suite_->key_exchange;
    const auto type = static_cast<HandshakeType>(message.msg_type);
    emit(protocol::HandshakeMessage{side.direction, message.msg_type, handshake::handshake_type_name(type), message.raw,
                                    handshake::describe_handshake_message(message.raw, key_exchange)});
    if (summary_.handshake_complete || type == HandshakeType::hello_request) return;  // not in the transcript (§7.4.9)
    if (type == HandshakeType::client_hello) on_client_hello(message.body);
    if (type == HandshakeType::server_hello) on_server_hello(message.body);
    if (type == HandshakeType::server_hello_done) full_handshake_ = true;
    if (type == HandshakeType::finished) on_finished(side, message.body);
    transcript_.insert(transcript_.end(), message.raw.begin(), message.raw.end());
  }

  void on_client_hello(ByteView body) {
    const handshake::ClientHello hello = handshake::ClientHello::decode(body);
    client_random_ = hello.random;
    client_offers_ems_ = handshake::find_extension(hello.extensions, handshake::ExtensionType::extended_master_secret);
    client_offers_etm_ = handshake::find_extension(hello.extensions, handshake::ExtensionType::encrypt_then_mac);
  }

  void on_server_hello(ByteView body) {
    const handshake::ServerHello hello = handshake::ServerHello::decode(body);
    if (const auto* v = handshake::find_extension(hello.extensions, handshake::ExtensionType::supported_versions);
        v != nullptr && v->data.size() == 2) {
      const auto chosen = uint16_t(v->data[0] << 8 | v->data[1]);
      whole_connection_stop_ = (chosen == handshake::TLS1_3 ? "TLS 1.3 connection" : "connection") +
                               std::string(" (supported_versions ") + version_hex(chosen) +
                               "): only TLS 1.2 can be illustrated";
      return;
    }
    if (hello.server_version != handshake::TLS1_2) {
      whole_connection_stop_ = "server_version " + version_hex(hello.server_version) +
                               " is not TLS 1.2: only TLS 1.2 can be illustrated";
      return;
    }
    suite_ = handshake::find_cipher_suite(hello.cipher_suite);
    summary_.cipher_suite = handshake::cipher_suite_name(hello.cipher_suite);
    if (suite_ == nullptr) {
      no_keys_reason_ = "the ServerHello chose " + summary_.cipher_suite + ", which tls12 does not implement";
      return;
    }
    derive_keys(hello);
  }

  // Step 6 with the key log's master_secret in place of the key exchange:
  // the same derivation a resumed session makes (§7.3 Figure 2).
  void derive_keys(const handshake::ServerHello& hello) {
    handshake::Negotiated negotiated;
    negotiated.version = handshake::TLS1_2;
    negotiated.cipher_suite = suite_;
    negotiated.client_random = client_random_;
    negotiated.server_random = hello.random;
    negotiated.extended_master_secret =
        client_offers_ems_ && handshake::find_extension(hello.extensions, handshake::ExtensionType::extended_master_secret);
    encrypt_then_mac_ = suite_->is_cbc() && client_offers_etm_ &&
                        handshake::find_extension(hello.extensions, handshake::ExtensionType::encrypt_then_mac);
    const std::optional<ByteView> master = keylog_.master_secret(client_random_);
    if (!master) {
      no_keys_reason_ = "the key log has no CLIENT_RANDOM line for this connection (client_random " +
                        to_hex(client_random_) + ")";
      return;
    }
    secret_actions_.clear();
    keys_ = handshake::resume_session_keys(negotiated, *master, secret_actions_);
  }

  // The secrets, reported once just before the first ChangeCipherSpec: where
  // a live client or server has them at the latest.
  void report_secrets() {
    for (const auto& action : secret_actions_)
      if (const auto* s = std::get_if<handshake::SecretDerived>(&action))
        emit(protocol::SecretDerived{s->secret, s->value, client_random_});
    secret_actions_.clear();
  }

  std::string no_keys_reason() const {
    return no_keys_reason_.empty() ? std::string("no ServerHello came before the ChangeCipherSpec") : no_keys_reason_;
  }

  void on_change_cipher_spec(Side& side, ByteView plaintext) {
    if (plaintext.size() != 1 || plaintext[0] != 1)
      throw StopDirection{side.record_label() + ": decode_error: ChangeCipherSpec is not the single byte 1"};
    if (side.reassembler.has_partial_message())
      throw StopDirection{side.record_label() + ": unexpected_message: ChangeCipherSpec inside a handshake message"};
    report_secrets();
    emit(protocol::ChangeCipherSpec{side.direction});
    if (side.direction == Direction::received) summary_.resumed = !full_handshake_;
    if (!keys_) {
      side.awaiting_keys = true;
      return;
    }
    const record::TrafficKeys keys = side.direction == Direction::sent
                                         ? handshake::client_write_keys(*suite_, keys_->key_block, encrypt_then_mac_)
                                         : handshake::server_write_keys(*suite_, keys_->key_block, encrypt_then_mac_);
    side.protection.emplace(keys);
    side.protection_name = record::protection_name(keys);
    side.encrypt_then_mac = encrypt_then_mac_;
    side.sequence_number = 0;
    emit(protocol::KeysActivated{side.direction, side.protection_name});
  }

  // Steps 7 and 8 (§7.4.9): verify_data recomputed over the transcript so far.
  void on_finished(Side& side, ByteView body) {
    if (!keys_ || suite_ == nullptr) return;
    const handshake::Finished finished = handshake::Finished::decode(body);
    crypto::Hash hash(suite_->prf_hash);
    hash.update(transcript_);
    const auto sender = side.direction == Direction::sent ? handshake::Sender::client : handshake::Sender::server;
    handshake::FinishedChecked check;
    check.sender = sender;
    check.expected = handshake::compute_verify_data(suite_->prf_hash, keys_->master_secret, sender, hash.finish());
    check.received = finished.verify_data;
    check.equal = check.expected == check.received;
    emit(check);
    (side.direction == Direction::sent ? client_finished_ : server_finished_) = true;
    if (client_finished_ && server_finished_) {
      summary_.handshake_complete = true;
      emit(protocol::HandshakeComplete{summary_.cipher_suite});
    }
  }

  const KeyLog& keylog_;
  const protocol::Observer& observer_;
  Side client_, server_;
  PassiveSummary summary_;
  handshake::Random client_random_{};
  bool client_offers_ems_ = false;
  bool client_offers_etm_ = false;
  bool encrypt_then_mac_ = false;
  bool full_handshake_ = false;
  bool client_finished_ = false;
  bool server_finished_ = false;
  const handshake::CipherSuiteInfo* suite_ = nullptr;
  std::optional<handshake::SessionKeys> keys_;
  handshake::Actions secret_actions_;
  std::string no_keys_reason_;
  std::string whole_connection_stop_;
  Bytes transcript_;
};

std::optional<Bytes> hex_field(const std::string& text, size_t digits) {
  if (text.size() != digits) return std::nullopt;
  for (char c : text)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  return from_hex(text);
}

}  // namespace

KeyLog KeyLog::parse(std::string_view text) {
  KeyLog log;
  std::istringstream in{std::string(text)};
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string label, random, secret, extra;
    words >> label;
    if (label != "CLIENT_RANDOM") continue;  // comments, blank lines, TLS 1.3 secrets
    words >> random >> secret;
    const auto where = "key log line " + std::to_string(number) + ": ";
    const std::optional<Bytes> r = hex_field(random, 64);
    if (!r) throw std::runtime_error(where + "client_random is not 64 hex digits");
    const std::optional<Bytes> s = hex_field(secret, 96);
    if (!s) throw std::runtime_error(where + "master secret is not 96 hex digits");
    if (words >> extra) throw std::runtime_error(where + "unexpected text after the master secret");
    log.secrets_[*r] = SecretBytes(s->begin(), s->end());
  }
  return log;
}

std::optional<ByteView> KeyLog::master_secret(ByteView client_random) const {
  const auto it = secrets_.find(Bytes(client_random.begin(), client_random.end()));
  if (it == secrets_.end()) return std::nullopt;
  return ByteView(it->second);
}

PassiveSummary decode_passively(const PassiveInput& input, const KeyLog& keylog, const protocol::Observer& observer) {
  PassiveDecoder decoder(input, keylog, observer);
  if (input.arrival.empty()) {
    decoder.arrived({Direction::sent, 0, input.client_to_server.size(), 0});
    decoder.arrived({Direction::received, 0, input.server_to_client.size(), 0});
  }
  for (const StreamChunk& chunk : input.arrival) decoder.arrived(chunk);
  return decoder.finish();
}

PassiveSummary decode_passively(const TcpConnection& connection, const KeyLog& keylog,
                                const protocol::Observer& observer) {
  PassiveInput input{connection.client_to_server, connection.server_to_client, connection.arrival,
                     connection.client_gap, connection.server_gap};
  return decode_passively(input, keylog, observer);
}

}  // namespace tls12::illustrate
