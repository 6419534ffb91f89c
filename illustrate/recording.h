// One connection as an illustrated page shows it: every record that crossed
// (RFC 5246 §6.2), every handshake message with its decoded fields (§7.4),
// the secrets (§8.1, §6.3) and the checks, collected from the protocol::Event
// stream of a live Connection (EngineConfig::observe_records) or of a passive
// decoder reading a capture. Everything is copied: events' views live only
// during the call.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "protocol/events.h"

namespace tls12::illustrate {

// Whose events these are: a Connection reports "sent" and "received" from
// its own side. A passive decoder of a capture reports from the client's view
// (sent = client -> server).
enum class Perspective { client, server };
// The two lanes of the page.
enum class Lane { client, server };

struct Record {
  Lane from = Lane::client;
  uint8_t content_type = 0;
  uint64_t sequence_number = 0;
  Bytes wire;        // header included
  Bytes plaintext;
  std::string protection;  // empty: unprotected
  size_t record_iv_length = 0;
  size_t mac_length = 0;
  bool encrypt_then_mac = false;
};

struct UndecodedBytes {
  Lane from = Lane::client;
  Bytes bytes;
  std::string reason;
};

struct Message {
  Lane from = Lane::client;
  uint8_t type = 0;
  std::string name;
  Bytes raw;  // header included
  std::vector<handshake::Field> fields;
};

struct SecretValue {
  handshake::Secret secret;
  Bytes value;
};

// A line of the page's story that is no record: a check, an alert, keys switched on.
struct Note {
  size_t after_items = 0;  // drawn after this many items (records), where it happened
  Lane side = Lane::client;  // who did it
  std::string text;
};

// Records and undecoded bytes, in the order they were seen.
using Item = std::variant<Record, UndecodedBytes>;

struct Recording {
  Perspective perspective = Perspective::client;
  std::vector<Item> items;
  std::vector<Message> messages;
  std::vector<SecretValue> secrets;
  std::vector<protocol::FinishedChecked> finished;
  std::optional<protocol::PreMasterRecovered> premaster_recovered;
  std::vector<Note> notes;
  std::string cipher_suite;  // from HandshakeComplete; empty if it did not complete
  // The bytes of records and undecoded data kept, and what did not fit in
  // the Builder's limit (the page says so).
  size_t bytes_kept = 0;
  uint64_t items_dropped = 0;
  size_t bytes_dropped = 0;
};

// A page is for reading: past this many record bytes a long connection's
// further records are counted, not kept, so memory stays bounded.
inline constexpr size_t kDefaultMaxRecordedBytes = size_t{4} << 20;

// The protocol::Observer that fills a Recording. Copies of the observer share
// the one Recording, so it can be handed to an EngineConfig by value.
class Builder {
 public:
  explicit Builder(Perspective perspective, size_t max_bytes = kDefaultMaxRecordedBytes);
  protocol::Observer observer() const;
  void on_event(const protocol::Event& event) const;
  const Recording& recording() const { return *recording_; }

 private:
  static void apply(Recording& out, size_t max_bytes, const protocol::Event& event);
  std::shared_ptr<Recording> recording_;
  size_t max_bytes_;
};

// The lane of an event's direction from `perspective`'s side.
Lane lane_of(Perspective perspective, protocol::Direction direction);

}  // namespace tls12::illustrate
