// Collecting one connection's events (protocol/events.h) into a Recording
// for the illustrated page: records (RFC 5246 §6.2), handshake messages
// (§7.4), secrets (§8.1, §6.3) and the checks of §7.4.
#include "illustrate/recording.h"

#include <string>

#include "handshake/cipher_suites.h"
#include "record/alert.h"

namespace tls12::illustrate {

namespace {

Bytes copy(ByteView view) { return Bytes(view.begin(), view.end()); }

std::string lane_name(Lane lane) { return lane == Lane::client ? "client" : "server"; }

Lane other(Lane lane) { return lane == Lane::client ? Lane::server : Lane::client; }

std::string chain_note(const protocol::PeerChainChecked& check) {
  const std::string whose = check.peer == handshake::Sender::server ? "server's" : "client's";
  if (!check.validated) return "the " + whose + " chain was not verified (verification off)";
  if (!check.accepted()) return "the " + whose + " chain was refused: " + check.message;
  std::string path;
  for (const auto& name : check.path) path += (path.empty() ? "" : " -> ") + name;
  return "the " + whose + " chain was validated (RFC 5280 §6): " + path +
         (check.name.empty() ? "" : "; name matched: " + check.name);
}

}  // namespace

Lane lane_of(Perspective perspective, protocol::Direction direction) {
  const Lane self = perspective == Perspective::client ? Lane::client : Lane::server;
  return direction == protocol::Direction::sent ? self : other(self);
}

Builder::Builder(Perspective perspective, size_t max_bytes)
    : recording_(std::make_shared<Recording>()), max_bytes_(max_bytes) {
  recording_->perspective = perspective;
}

protocol::Observer Builder::observer() const {
  return [recording = recording_, max = max_bytes_](const protocol::Event& event) {
    Builder::apply(*recording, max, event);
  };
}

void Builder::on_event(const protocol::Event& event) const { apply(*recording_, max_bytes_, event); }

namespace {

// Whether an item of `size` bytes still fits; counts it as dropped if not.
bool keep(Recording& out, size_t max_bytes, size_t size) {
  if (out.items_dropped == 0 && out.bytes_kept + size <= max_bytes) {
    out.bytes_kept += size;
    return true;
  }
  ++out.items_dropped;
  out.bytes_dropped += size;
  return false;
}

}  // namespace

void Builder::apply(Recording& out, size_t max_bytes, const protocol::Event& event) {
  const Perspective p = out.perspective;
  const Lane self = p == Perspective::client ? Lane::client : Lane::server;
  if (const auto* r = std::get_if<protocol::RecordSeen>(&event)) {
    if (!keep(out, max_bytes, r->wire.size() + r->plaintext.size())) return;
    // Built in place: GCC 12 warns (wrongly) about moving a Record into the variant.
    Record& record = std::get<Record>(out.items.emplace_back(std::in_place_type<Record>));
    record.from = lane_of(p, r->direction);
    record.content_type = r->content_type;
    record.sequence_number = r->sequence_number;
    record.wire = copy(r->wire);
    record.plaintext = copy(r->plaintext);
    record.protection = r->protection;
    record.record_iv_length = r->record_iv_length;
    record.mac_length = r->mac_length;
    record.encrypt_then_mac = r->encrypt_then_mac;
  } else if (const auto* u = std::get_if<protocol::Undecoded>(&event)) {
    if (!keep(out, max_bytes, u->bytes.size())) return;
    UndecodedBytes& undecoded = std::get<UndecodedBytes>(out.items.emplace_back(std::in_place_type<UndecodedBytes>));
    undecoded.from = lane_of(p, u->direction);
    undecoded.bytes = copy(u->bytes);
    undecoded.reason = u->reason;
  } else if (const auto* m = std::get_if<protocol::HandshakeMessage>(&event)) {
    out.messages.push_back(Message{lane_of(p, m->direction), m->type, m->name, copy(m->raw), m->fields});
  } else if (const auto* s = std::get_if<protocol::SecretDerived>(&event)) {
    out.secrets.push_back(SecretValue{s->secret, copy(s->value)});
  } else if (const auto* f = std::get_if<protocol::FinishedChecked>(&event)) {
    out.finished.push_back(*f);
  } else if (const auto* pm = std::get_if<protocol::PreMasterRecovered>(&event)) {
    out.premaster_recovered = *pm;
  } else if (const auto* c = std::get_if<protocol::PeerChainChecked>(&event)) {
    out.notes.push_back(Note{out.items.size(), c->peer == handshake::Sender::server ? Lane::client : Lane::server, chain_note(*c)});
  } else if (const auto* sig = std::get_if<protocol::SignatureChecked>(&event)) {
    out.notes.push_back(Note{out.items.size(), self, "the " + sig->message + " signature (" + handshake::signature_scheme_name(sig->scheme) +
                                       ") was " + (sig->valid ? "valid" : "INVALID")});
  } else if (const auto* k = std::get_if<protocol::KeysActivated>(&event)) {
    out.notes.push_back(Note{out.items.size(), self, lane_name(self) + (k->direction == protocol::Direction::sent ? " writes" : " reads") +
                                       " with " + k->aead + " from now on"});
  } else if (const auto* a = std::get_if<protocol::AlertEvent>(&event)) {
    out.notes.push_back(Note{out.items.size(), lane_of(p, a->direction), lane_name(lane_of(p, a->direction)) + " sent the " +
                                                           std::string(record::alert_level_name(a->level)) + " alert " +
                                                           record::alert_name(a->description) +
                                                           (a->reason.empty() ? "" : ": " + a->reason)});
  } else if (const auto* done = std::get_if<protocol::HandshakeComplete>(&event)) {
    out.cipher_suite = done->cipher_suite;
  }
}

}  // namespace tls12::illustrate
