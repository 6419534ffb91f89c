// Shared by the handshake tests that drive the client and server state
// machines directly, message by message, with no record layer in between
// (RFC 5246 §7.3 message flow): the messages "on the wire", and a loop that
// runs a whole handshake, letting a test tamper with each message in flight
// and reporting which side raised which alert (§7.2).
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "handshake/client.h"
#include "handshake/messages.h"
#include "handshake/server.h"
#include "record/alert.h"

namespace tls12::handshake::test_support {

// One thing on the wire between the two state machines.
struct Msg {
  bool ccs = false;
  Bytes bytes;  // a handshake message, header included
  HandshakeType type() const { return static_cast<HandshakeType>(bytes.at(0)); }
  ByteView body() const { return ByteView(bytes).subspan(handshake_header_size); }
};

inline void collect(const Actions& actions, std::deque<Msg>& out) {
  for (const auto& action : actions) {
    if (const auto* send = std::get_if<SendHandshake>(&action)) out.push_back(Msg{false, send->message});
    if (std::holds_alternative<SendChangeCipherSpec>(action)) out.push_back(Msg{true, {}});
  }
}

template <class Machine>
Actions deliver(Machine& machine, const Msg& msg) {
  return msg.ccs ? machine.handle_change_cipher_spec() : machine.handle(msg.bytes);
}

struct Outcome {
  std::optional<record::AlertDescription> client_alert;  // raised by the client
  std::optional<record::AlertDescription> server_alert;  // raised by the server
  std::string message;
  bool completed = false;
};

// Runs a handshake, letting `tamper` change each message in flight. The first
// alert raised ends the run: a real peer would send it and close.
using Tamper = std::function<void(bool to_server, Msg& msg)>;
inline Outcome run(Client& client, Server& server, const Tamper& tamper = {}) {
  Outcome outcome;
  std::deque<Msg> to_server, to_client;
  collect(client.start(), to_server);
  while (!to_server.empty() || !to_client.empty()) {
    bool towards_server = !to_server.empty();
    auto& queue = towards_server ? to_server : to_client;
    Msg msg = queue.front();
    queue.pop_front();
    if (tamper) tamper(towards_server, msg);
    try {
      if (towards_server)
        collect(deliver(server, msg), to_client);
      else
        collect(deliver(client, msg), to_server);
    } catch (const record::TlsError& e) {
      (towards_server ? outcome.server_alert : outcome.client_alert) = e.alert();
      outcome.message = e.what();
      return outcome;
    }
  }
  outcome.completed = client.state() == ClientState::connected && server.state() == ServerState::connected;
  return outcome;
}

}  // namespace tls12::handshake::test_support
