// `Connection`: the sans-I/O TLS 1.2 engine (docs/ARCHITECTURE.md), joining the record
// layer (record/record_layer.h) and a handshake state machine
// (handshake/client.h or handshake/server.h).
//
// It never touches a socket. The caller moves bytes:
//
//   network bytes in   --feed()-->                                Connection
//   network bytes out  <--pending_output() / consume_output(n)--   Connection
//   application data   --write()--> / <--read()--
//
// and asks status() between calls what it waits for. A client is created,
// then started: start() writes its ClientHello, so that a session
// (offer_session) can be given in between. Feeding, taking output or
// writing starts it too, for callers that need nothing in between. A server
// waits for a ClientHello.
//
// Errors. Every protocol failure (a TlsError from the record layer or the
// handshake) is caught here: the matching fatal alert is queued for the peer
// (RFC 5246 §7.2.2), the connection enters the closed state, and
// `alert_sent()` says which alert and why. A fatal alert from the peer closes
// it too (`alert_received()`). feed() never throws for anything the peer sends.
//
// Closure (§7.2.1). close() sends close_notify; a close_notify from the peer is
// answered with ours and makes read() report the end of the stream. If the
// transport ends (feed_eof()) without a close_notify, the data may have been
// cut short by an attacker: `truncated()` says so, and it is not a clean end.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/bytes.h"
#include "handshake/client.h"
#include "handshake/negotiated.h"
#include "handshake/server.h"
#include "protocol/config.h"
#include "protocol/events.h"
#include "record/alert.h"
#include "record/record_layer.h"

namespace tls12::protocol {

class KeyLogFile;

enum class Role { client, server };

// What the engine waits for (Connection::status), in the order a driver
// loop should act on it.
enum class Status {
  want_write,  // records are waiting: send pending_output(), then consume_output()
  want_read,   // the handshake (or close) needs the peer's bytes: feed() them
  done,        // the handshake is complete: application data flows both ways
  closed,      // ended cleanly (close_notify both ways, or sent and the peer is gone)
  error,       // failed, or the stream was cut (truncated()): error() says why
};
std::string_view status_name(Status status);

// An alert that ended (or, for warnings, passed through) the connection.
struct AlertInfo {
  record::AlertLevel level;
  record::AlertDescription description;
  std::string reason;  // our sentence for alerts we send; empty for received ones
};

class Connection {
 public:
  // Throws std::invalid_argument for a configuration that cannot work (see
  // handshake::Client / handshake::Server).
  explicit Connection(ClientConfig config);
  explicit Connection(ServerConfig config);
  // Many connections can share one configuration (and its keys): nothing of
  // it is copied per connection.
  explicit Connection(std::shared_ptr<const ClientConfig> config);
  explicit Connection(std::shared_ptr<const ServerConfig> config);
  ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  Role role() const { return role_; }

  // ---- starting (a client) ----
  // Offers this session (from session() of an earlier connection to the same
  // server, or handshake::load_client_session) on this connection only; it
  // is used if the configuration would still negotiate it. Before start();
  // throws std::logic_error after, or on a server.
  void offer_session(handshake::Session session);
  // Writes the ClientHello (Step 1). Once; later calls, and calls on a
  // server, do nothing.
  void start();

  // ---- bytes from and to the network ----
  // Processes as much as possible; never throws for bad input (see above).
  void feed(ByteView bytes);
  // The transport reached end of stream.
  void feed_eof();
  // The bytes to send, without a copy: send a prefix, then consume_output()
  // with its length. The view lasts until the next call on the Connection.
  ByteView pending_output();
  void consume_output(size_t n);
  // Protected bytes to send, removed from the engine: a copy per call.
  Bytes take_output();
  // Output is waiting (or a client's ClientHello is still to be written).
  bool wants_write() const { return !records_->output().empty() || !started_; }
  Status status() const;

  // ---- application data ----
  // Queues data to send; before the handshake completes it waits and goes out
  // right after Finished. Throws std::logic_error after close() or failure.
  void write(ByteView data);
  // Copies up to out.size() received bytes into `out`; returns how many.
  // Records read between two feed() calls go straight from where they were
  // decrypted into `out`: one copy, no allocation.
  size_t read(MutableByteView out);
  // Everything received so far.
  Bytes read_all();
  size_t readable() const { return plaintext_.size() - plaintext_start_ + unread_bytes_; }

  // Sends close_notify (once). Reading may go on until the peer's arrives.
  // A client closed before it started sends nothing at all.
  void close();

  // ---- state ----
  bool handshake_complete() const { return handshake_complete_; }
  // Closed by failure, by alerts both ways, or by the transport ending.
  bool is_closed() const { return closed_; }
  bool failed() const { return failed_; }
  // The peer sent close_notify: no more data will come. Before the handshake
  // completed it is also a failure: failed() and alert_received() say so.
  bool peer_closed() const { return peer_closed_; }
  // The transport ended without the peer's close_notify.
  bool truncated() const { return truncated_; }
  const std::optional<AlertInfo>& alert_sent() const { return alert_sent_; }
  const std::optional<AlertInfo>& alert_received() const { return alert_received_; }
  // A human sentence about why the connection failed (empty if it did not).
  std::string error() const;

  // ---- what was negotiated ----
  const handshake::Negotiated& negotiated() const;
  uint16_t version() const { return negotiated().version; }
  const handshake::CipherSuiteInfo* cipher_suite() const { return negotiated().cipher_suite; }
  std::optional<handshake::NamedGroup> group() const { return negotiated().group; }
  std::optional<handshake::SignatureScheme> signature_scheme() const;
  bool extended_master_secret() const { return negotiated().extended_master_secret; }
  const std::vector<Bytes>& peer_certificate_chain() const { return negotiated().peer_chain(); }
  // Whether the peer's chain was checked and accepted (false for a server
  // that did not ask for a client certificate).
  bool peer_verified() const { return negotiated().peer.verified(); }
  std::string handshake_state() const;
  // A client's resumable session once the handshake completed (empty on a
  // server, or when the server keeps none): give it to offer_session() of a
  // later connection to resume.
  std::optional<handshake::Session> session() const;

 private:
  Connection(Role role, EngineConfig engine, size_t max_client_hello_size);
  void process();
  void handle_record(const record::Inbound& inbound);
  void handle_alert(const record::Alert& alert);
  void perform(handshake::Actions actions);
  void send_alert(record::AlertLevel level, record::AlertDescription description, std::string reason);
  void fail(const record::TlsError& error);
  void flush_pending_writes();
  void keep_unread_records();
  void release_when_idle();
  size_t read_kept(MutableByteView out);
  size_t read_records(MutableByteView out);
  void emit(const Event& event);
  void emit_check(const handshake::Check& check);
  void emit_message(Direction direction, ByteView message);
  std::optional<handshake::KeyExchange> negotiated_key_exchange() const;

  Role role_;
  EngineConfig engine_;
  std::shared_ptr<KeyLogFile> keylog_;
  // The record layer lives on the heap so that a Connection moves cheaply
  // and its views stay put.
  std::unique_ptr<record::RecordLayer> records_;
  std::variant<std::monostate, handshake::Client, handshake::Server> handshake_;
  // Received application data not yet read, oldest first: plaintext_, then
  // unread_records_. The latter are views of records opened in place in the
  // record layer's input buffer, read from there into the caller's buffer;
  // feed() would overwrite them, so it first moves what is left of them into
  // plaintext_ (wiped when it grows or goes: SecretBytes).
  SecretBytes plaintext_;  // [plaintext_start_, end)
  size_t plaintext_start_ = 0;
  std::vector<ByteView> unread_records_;  // [unread_index_, end), non-empty records
  size_t unread_index_ = 0;               // the first record not wholly read
  size_t unread_offset_ = 0;              // bytes of it already read
  size_t unread_bytes_ = 0;               // what is left in all of them
  SecretBytes pending_writes_;  // application data written before the handshake completed
  bool started_ = true;  // false for a client until its ClientHello is written
  bool handshake_complete_ = false;
  bool closed_ = false;
  bool failed_ = false;
  bool close_notify_sent_ = false;
  bool peer_closed_ = false;
  bool truncated_ = false;
  std::optional<AlertInfo> alert_sent_;
  std::optional<AlertInfo> alert_received_;
};

}  // namespace tls12::protocol
