// The sans-I/O engine (see connection.h): records in, handshake actions carried
// out, records out. RFC 5246 §6 (record layer), §7.1 (ChangeCipherSpec), §7.2
// (alerts and closure), §7.3 (the handshake it drives).
#include "protocol/connection.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "handshake/describe.h"
#include "handshake/messages.h"
#include "protocol/keylog.h"
#include "protocol/printable.h"

namespace tls12::protocol {

using record::AlertDescription;
using record::AlertLevel;
using record::ContentType;
using record::TlsError;

namespace {

// `max_client_hello_size` is the body limit for an incoming ClientHello: the
// server's own (handshake/limits.h), so that the record layer refuses an
// oversized one from its header; for a client, which never accepts one, the
// ordinary message limit.
record::RecordLayerOptions record_options(Role role, const EngineConfig& engine, size_t max_client_hello_size) {
  record::RecordLayerOptions options;
  // Real clients put TLS 1.0 in the record header of their first ClientHello
  // (RFC 5246 Appendix E.1); a server accepts that on the first record only.
  options.accept_legacy_first_record_version = role == Role::server;
  options.max_handshake_message_size = engine.max_handshake_message_size;
  options.max_client_hello_size = max_client_hello_size;
  options.aead_implementation = engine.aead_implementation;
  return options;
}

// Runs `step` on the handshake state machine, client or server.
template <class Step>
handshake::Actions drive(std::variant<std::monostate, handshake::Client, handshake::Server>& machine, Step step) {
  return std::visit(
      [&](auto& side) -> handshake::Actions {
        if constexpr (std::is_same_v<std::decay_t<decltype(side)>, std::monostate>)
          throw TlsError(AlertDescription::internal_error, "no handshake state machine");
        else
          return step(side);
      },
      machine);
}

// Turns the record layer's observations into RecordSeen events. It holds its
// own copy of the observer, not the Connection, which may move.
record::RecordObserver record_observer(Observer observer) {
  return [observer = std::move(observer)](const record::RecordObservation& seen) {
    observer(RecordSeen{seen.sent ? Direction::sent : Direction::received, static_cast<uint8_t>(seen.type),
                        seen.sequence_number, seen.wire, seen.plaintext, seen.protection_name,
                        seen.record_iv_length, seen.mac_length, seen.encrypt_then_mac});
  };
}

size_t client_hello_body_limit(const handshake::HandshakeLimits& limits) {
  const size_t message = std::max(limits.max_client_hello_size, record::kHandshakeHeaderSize);
  return std::min(message - record::kHandshakeHeaderSize, record::kMaxClientHelloBodySize);
}

}  // namespace

Connection::Connection(Role role, EngineConfig engine, size_t max_client_hello_size)
    : role_(role),
      engine_(std::move(engine)),
      records_(std::make_unique<record::RecordLayer>(record_options(role, engine_, max_client_hello_size))) {
  if (!engine_.keylog_file.empty()) keylog_ = std::make_shared<KeyLogFile>(engine_.keylog_file);
  if (engine_.observe_records && engine_.observer) records_->set_record_observer(record_observer(engine_.observer));
}

Connection::Connection(ClientConfig config)
    : Connection(std::make_shared<const ClientConfig>(std::move(config))) {}

Connection::Connection(std::shared_ptr<const ClientConfig> config)
    : Connection(Role::client, static_cast<const EngineConfig&>(*config), config->max_handshake_message_size) {
  std::shared_ptr<const handshake::ClientConfig> shared(config, static_cast<const handshake::ClientConfig*>(config.get()));
  handshake_.emplace<handshake::Client>(std::move(shared));
  started_ = false;
}

Connection::Connection(ServerConfig config)
    : Connection(std::make_shared<const ServerConfig>(std::move(config))) {}

Connection::Connection(std::shared_ptr<const ServerConfig> config)
    : Connection(Role::server, static_cast<const EngineConfig&>(*config), client_hello_body_limit(config->limits)) {
  // The handshake shares the configuration (aliasing the base-class part).
  std::shared_ptr<const handshake::ServerConfig> shared(config, static_cast<const handshake::ServerConfig*>(config.get()));
  handshake_.emplace<handshake::Server>(std::move(shared));
}

Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

void Connection::offer_session(handshake::Session session) {
  auto* client = std::get_if<handshake::Client>(&handshake_);
  if (client == nullptr) throw std::logic_error("offer_session on a server connection");
  if (started_) throw std::logic_error("offer_session after start(): the ClientHello is already written");
  client->offer(std::move(session));
}

void Connection::start() {
  if (started_) return;
  started_ = true;
  try {
    perform(std::get<handshake::Client>(handshake_).start());
  } catch (const TlsError& error) {
    fail(error);
  }
}

// ---------------------------------------------------------------- input

void Connection::feed(ByteView bytes) {
  start();
  if (closed_ || bytes.empty()) return;
  keep_unread_records();
  try {
    records_->feed(bytes);
    process();
    release_when_idle();
  } catch (const handshake::CheckFailed& failed) {
    // What the failed check found goes to the observer before the alert.
    emit_check(failed.check());
    fail(failed);
  } catch (const TlsError& error) {
    fail(error);
  }
}

void Connection::feed_eof() {
  if (closed_) return;
  // §7.2.1: without close_notify an attacker may have cut the stream short.
  truncated_ = !peer_closed_;
  closed_ = true;
  if (!handshake_complete_ && !failed_) failed_ = true;
}

void Connection::process() {
  while (!closed_ && !peer_closed_) {
    std::optional<record::Inbound> inbound = records_->next();
    if (!inbound) break;
    handle_record(*inbound);
  }
}

void Connection::handle_record(const record::Inbound& inbound) {
  switch (inbound.type) {
    case ContentType::handshake: {
      emit_message(Direction::received, inbound.data);
      perform(drive(handshake_, [&](auto& side) { return side.handle(inbound.data); }));
      break;
    }
    case ContentType::change_cipher_spec: {
      emit(ChangeCipherSpec{Direction::received});
      perform(drive(handshake_, [](auto& side) { return side.handle_change_cipher_spec(); }));
      break;
    }
    case ContentType::alert:
      handle_alert(*inbound.alert);
      break;
    case ContentType::application_data:
      // The record layer refuses application data before the handshake is
      // complete (unexpected_message), so this is authenticated data. It
      // stays where it was decrypted until read() or the next feed().
      if (!inbound.data.empty()) {
        unread_records_.push_back(inbound.data);
        unread_bytes_ += inbound.data.size();
      }
      break;
  }
}

// §7.2: close_notify ends the peer's sending; any other warning is reported
// and ignored; a fatal alert ends the connection.
void Connection::handle_alert(const record::Alert& alert) {
  emit(AlertEvent{Direction::received, alert.level, alert.description, {}});
  if (alert.description == AlertDescription::close_notify) {
    peer_closed_ = true;
    // §7.2.1: "the other party MUST respond with a close_notify alert of its
    // own and close down the connection immediately".
    if (!close_notify_sent_) close();
    closed_ = true;
    // Before Finished, a close is no clean end: the handshake failed.
    if (!handshake_complete_) {
      failed_ = true;
      alert_received_ = AlertInfo{alert.level, alert.description, {}};
    }
    return;
  }
  if (alert.level == AlertLevel::warning) return;
  alert_received_ = AlertInfo{alert.level, alert.description, {}};
  failed_ = true;
  closed_ = true;
}

// ---------------------------------------------------------------- actions

// Carries out what the state machine asked for, in order. Consecutive
// handshake messages are coalesced into as few records as possible (§6.2.1
// allows it), which saves records and a few system calls per flight.
void Connection::perform(handshake::Actions actions) {
  Bytes flight;
  auto flush_flight = [&] {
    if (!flight.empty()) records_->write(ContentType::handshake, flight);
    flight.clear();
  };
  for (auto& action : actions) {
    if (auto* send = std::get_if<handshake::SendHandshake>(&action)) {
      emit_message(Direction::sent, send->message);
      flight.insert(flight.end(), send->message.begin(), send->message.end());
      continue;
    }
    flush_flight();
    if (std::holds_alternative<handshake::SendChangeCipherSpec>(action)) {
      records_->write_change_cipher_spec();
      emit(ChangeCipherSpec{Direction::sent});
    } else if (auto* write_keys = std::get_if<handshake::InstallWriteKeys>(&action)) {
      records_->install_write_protection(write_keys->keys);
      emit(KeysActivated{Direction::sent, record::protection_name(write_keys->keys)});
    } else if (auto* read_keys = std::get_if<handshake::InstallReadKeys>(&action)) {
      records_->install_read_protection(read_keys->keys);
      emit(KeysActivated{Direction::received, record::protection_name(read_keys->keys)});
    } else if (auto* secret = std::get_if<handshake::SecretDerived>(&action)) {
      emit(SecretDerived{secret->secret, secret->value, negotiated().client_random});
    } else if (auto* checked = std::get_if<handshake::Checked>(&action)) {
      emit_check(checked->check);
    } else if (auto* warning = std::get_if<handshake::SendWarningAlert>(&action)) {
      send_alert(AlertLevel::warning, warning->description, warning->reason);
    } else if (std::holds_alternative<handshake::HandshakeComplete>(action)) {
      handshake_complete_ = true;
      records_->enable_application_data();
      emit(HandshakeComplete{std::string(negotiated().cipher_suite->name)});
      flush_pending_writes();
    }
  }
  flush_flight();
}

// The reason may quote the peer (a name it sent): kept printable, since it
// ends up in error() and in logs.
void Connection::send_alert(AlertLevel level, AlertDescription description, std::string raw_reason) {
  std::string reason = printable(raw_reason);
  records_->write_alert(record::Alert{level, description});
  emit(AlertEvent{Direction::sent, level, description, reason});
  if (level == AlertLevel::fatal || description == AlertDescription::close_notify)
    alert_sent_ = AlertInfo{level, description, std::move(reason)};
}

// The boundary of docs/ARCHITECTURE.md: a failure becomes one fatal alert to the peer
// and the closed state. Whatever the alert cannot be sent (the record layer
// itself broke) is still recorded.
void Connection::fail(const TlsError& error) {
  if (failed_) return;
  failed_ = true;
  closed_ = true;
  try {
    send_alert(AlertLevel::fatal, error.alert(), error.what());
  } catch (const std::exception&) {
    alert_sent_ = AlertInfo{AlertLevel::fatal, error.alert(), printable(error.what())};
  }
}

// ---------------------------------------------------------------- output

ByteView Connection::pending_output() {
  start();
  return records_->output();
}

void Connection::consume_output(size_t n) {
  records_->consume_output(n);
  release_when_idle();
}

Bytes Connection::take_output() {
  start();
  Bytes out = records_->take_output();
  release_when_idle();
  return out;
}

void Connection::write(ByteView data) {
  start();
  if (closed_ || close_notify_sent_) throw std::logic_error("write on a closed TLS connection");
  if (!handshake_complete_) {
    pending_writes_.insert(pending_writes_.end(), data.begin(), data.end());
    return;
  }
  if (data.empty()) return;
  try {
    records_->write(ContentType::application_data, data);
  } catch (const TlsError& error) {
    fail(error);
  }
}

void Connection::flush_pending_writes() {
  if (pending_writes_.empty()) return;
  records_->write(ContentType::application_data, pending_writes_);
  pending_writes_.clear();
  pending_writes_.shrink_to_fit();
}

size_t Connection::read(MutableByteView out) {
  size_t n = read_kept(out);
  n += read_records(out.subspan(n));
  release_when_idle();
  return n;
}

// From plaintext_: records kept across a feed().
size_t Connection::read_kept(MutableByteView out) {
  size_t n = std::min(out.size(), plaintext_.size() - plaintext_start_);
  if (n == 0) return 0;
  std::memcpy(out.data(), plaintext_.data() + plaintext_start_, n);
  plaintext_start_ += n;
  if (plaintext_start_ == plaintext_.size()) {
    plaintext_.clear();
    plaintext_start_ = 0;
  }
  return n;
}

// From the records still in the record layer's input buffer.
size_t Connection::read_records(MutableByteView out) {
  size_t n = 0;
  while (n < out.size() && unread_index_ < unread_records_.size()) {
    ByteView record = unread_records_[unread_index_].subspan(unread_offset_);
    const size_t k = std::min(record.size(), out.size() - n);
    std::memcpy(out.data() + n, record.data(), k);
    n += k;
    unread_offset_ += k;
    if (unread_offset_ == unread_records_[unread_index_].size()) {
      ++unread_index_;
      unread_offset_ = 0;
    }
  }
  unread_bytes_ -= n;
  if (unread_index_ == unread_records_.size()) {
    unread_records_.clear();  // keeps its capacity: no allocation per record
    unread_index_ = 0;
  }
  return n;
}

// Before the record layer's input buffer changes: what was not read moves
// into plaintext_ (the second copy that reading in time avoids).
void Connection::keep_unread_records() {
  for (size_t i = unread_index_; i < unread_records_.size(); ++i) {
    ByteView record = unread_records_[i].subspan(i == unread_index_ ? unread_offset_ : 0);
    plaintext_.insert(plaintext_.end(), record.begin(), record.end());
  }
  unread_records_.clear();
  unread_index_ = unread_offset_ = unread_bytes_ = 0;
}

Bytes Connection::read_all() {
  keep_unread_records();
  Bytes out(plaintext_.begin() + static_cast<std::ptrdiff_t>(plaintext_start_), plaintext_.end());
  plaintext_.clear();
  plaintext_start_ = 0;
  release_when_idle();
  return out;
}

// The release-buffers mode (EngineConfig::release_buffers_when_idle): only
// what holds nothing goes; unread records live in the input buffer, so it
// stays while any are left.
void Connection::release_when_idle() {
  if (!engine_.release_buffers_when_idle || readable() != 0) return;
  SecretBytes().swap(plaintext_);
  plaintext_start_ = 0;
  std::vector<ByteView>().swap(unread_records_);
  records_->release_idle_buffers();
  if (handshake_complete_)
    std::visit([](auto& side) {
      if constexpr (!std::is_same_v<std::decay_t<decltype(side)>, std::monostate>) side.release_finished_state();
    }, handshake_);
}

void Connection::close() {
  if (!started_) {
    // A client that never said hello has nothing to close on the wire.
    started_ = close_notify_sent_ = closed_ = true;
    return;
  }
  if (close_notify_sent_ || failed_) return;
  close_notify_sent_ = true;
  try {
    send_alert(AlertLevel::warning, AlertDescription::close_notify, "closing");
  } catch (const TlsError& error) {
    fail(error);
  }
}

// ---------------------------------------------------------------- queries

const handshake::Negotiated& Connection::negotiated() const {
  if (const auto* client = std::get_if<handshake::Client>(&handshake_)) return client->negotiated();
  return std::get<handshake::Server>(handshake_).negotiated();
}

std::optional<handshake::SignatureScheme> Connection::signature_scheme() const {
  return negotiated().server_signature_scheme;
}

std::string Connection::handshake_state() const {
  if (const auto* client = std::get_if<handshake::Client>(&handshake_))
    return std::string(handshake::state_name(client->state()));
  return std::string(handshake::state_name(std::get<handshake::Server>(handshake_).state()));
}

std::string_view status_name(Status status) {
  switch (status) {
    case Status::want_write: return "want_write";
    case Status::want_read: return "want_read";
    case Status::done: return "done";
    case Status::closed: return "closed";
    case Status::error: return "error";
  }
  return "unknown";
}

// Output first: a failed connection still has its alert to send, a closing
// one its close_notify.
Status Connection::status() const {
  if (wants_write()) return Status::want_write;
  if (failed_ || truncated_) return Status::error;
  if (closed_) return Status::closed;
  if (handshake_complete_) return Status::done;
  return Status::want_read;
}

// A copy for the caller to keep: the handshake itself shares its session.
std::optional<handshake::Session> Connection::session() const {
  const auto* client = std::get_if<handshake::Client>(&handshake_);
  if (client == nullptr || !client->session()) return std::nullopt;
  return *client->session();
}

std::string Connection::error() const {
  if (alert_sent_ && alert_sent_->level == AlertLevel::fatal)
    return "sent " + record::alert_name(alert_sent_->description) + ": " + alert_sent_->reason;
  if (alert_received_ && alert_received_->description == AlertDescription::close_notify)
    return "received close_notify before the handshake completed";
  if (alert_received_) return "received " + record::alert_name(alert_received_->description);
  if (truncated_) return "the connection ended without close_notify (truncation)";
  return {};
}

// ---------------------------------------------------------------- events

void Connection::emit(const Event& event) {
  if (keylog_) keylog_->on_event(event);
  if (engine_.observer) engine_.observer(event);
}

void Connection::emit_check(const handshake::Check& check) {
  std::visit([&](const auto& report) { emit(report); }, check);
}

std::optional<handshake::KeyExchange> Connection::negotiated_key_exchange() const {
  const auto* suite = negotiated().cipher_suite;
  if (suite == nullptr) return std::nullopt;
  return suite->key_exchange;
}

void Connection::emit_message(Direction direction, ByteView message) {
  if (!engine_.observer || message.empty()) return;
  HandshakeMessage event;
  event.direction = direction;
  event.type = message[0];
  event.name = handshake::handshake_type_name(static_cast<handshake::HandshakeType>(message[0]));
  event.raw = message;
  event.fields = handshake::describe_handshake_message(message, negotiated_key_exchange());
  engine_.observer(event);
}

}  // namespace tls12::protocol
