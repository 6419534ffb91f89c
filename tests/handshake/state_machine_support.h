// Shared by the handshake tests that drive the client and server state
// machines directly, message by message, with no record layer in between
// (RFC 5246 §7.3 message flow): the messages "on the wire", and a loop that
// runs a whole handshake, letting a test tamper with each message in flight
// and reporting which side raised which alert (§7.2).
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <variant>

#include "handshake/client.h"
#include "handshake/messages.h"
#include "handshake/server.h"
#include "handshake/signing.h"
#include "record/alert.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::handshake::test_support {

// One thing on the wire between the two state machines.
struct Msg {
  bool ccs = false;
  Bytes bytes;  // a handshake message, header included
  HandshakeType type() const { return static_cast<HandshakeType>(bytes.at(0)); }
  ByteView body() const { return ByteView(bytes).subspan(handshake_header_size); }
};

// The messages the actions send, and (when `checks` is given) the checks they report.
inline void collect(const Actions& actions, std::deque<Msg>& out, std::vector<Check>* checks = nullptr) {
  for (const auto& action : actions) {
    if (const auto* checked = std::get_if<Checked>(&action); checked != nullptr && checks != nullptr)
      checks->push_back(checked->check);
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
  std::optional<Check> failed_check;  // what the failed check found, if a check raised the alert
  std::vector<Check> client_checks;   // the checks each side reported, in order
  std::vector<Check> server_checks;
};

// Runs a handshake, letting `tamper` change each message in flight. The first
// alert raised ends the run: a real peer would send it and close.
using Tamper = std::function<void(bool to_server, Msg& msg)>;
inline Outcome run(Client& client, Server& server, const Tamper& tamper = {}) {
  Outcome outcome;
  std::deque<Msg> to_server, to_client;
  collect(client.start(), to_server, &outcome.client_checks);
  while (!to_server.empty() || !to_client.empty()) {
    bool towards_server = !to_server.empty();
    auto& queue = towards_server ? to_server : to_client;
    Msg msg = queue.front();
    queue.pop_front();
    if (tamper) tamper(towards_server, msg);
    try {
      if (towards_server)
        collect(deliver(server, msg), to_client, &outcome.server_checks);
      else
        collect(deliver(client, msg), to_server, &outcome.client_checks);
    } catch (const CheckFailed& e) {
      (towards_server ? outcome.server_alert : outcome.client_alert) = e.alert();
      outcome.message = e.what();
      outcome.failed_check = e.check();
      return outcome;
    } catch (const record::TlsError& e) {
      (towards_server ? outcome.server_alert : outcome.client_alert) = e.alert();
      outcome.message = e.what();
      return outcome;
    }
  }
  outcome.completed = client.state() == ClientState::connected && server.state() == ServerState::connected;
  return outcome;
}

// A client that trusts the test CA and connects to "localhost", with the
// client certificate when `mutual`; a server with the 2048-bit certificate
// that then requires one.
inline ClientConfig client_config(bool mutual) {
  ClientConfig config;
  config.trust_store = test::test_pki().ca;
  config.server_name = "localhost";
  if (mutual) config.client_certificate = test::test_pki().client2048;
  return config;
}

inline ServerConfig server_config(bool mutual) {
  ServerConfig config;
  config.certificate = test::test_pki().server2048;
  config.trust_store = test::test_pki().ca;
  if (mutual) config.client_authentication = ClientAuthentication::required;
  return config;
}

// Flips the last byte of the first message of `type` going the given way.
inline Tamper flip_last_byte(bool to_server, HandshakeType type) {
  return [=, done = false](bool direction, Msg& msg) mutable {
    if (done || msg.ccs || direction != to_server || msg.type() != type) return;
    msg.bytes.back() ^= 0x01;
    done = true;
  };
}

// Changes the ServerKeyExchange's params with `change` and signs them again
// with `key`, as a malicious server holding its certificate's key could: the
// signature passes, so the client's other checks must act. The randoms it
// signs over are taken from the hellos as they pass.
inline Tamper resign_server_params(std::shared_ptr<const x509::PrivateKey> key, KeyExchange key_exchange,
                                   std::function<void(ServerKeyExchange&)> change) {
  struct Seen {
    Random client_random{}, server_random{};
  };
  auto seen = std::make_shared<Seen>();
  return [=](bool to_server, Msg& msg) {
    if (msg.ccs) return;
    ByteView body = ByteView(msg.bytes).subspan(4);
    if (msg.type() == HandshakeType::client_hello) seen->client_random = ClientHello::decode(body).random;
    if (msg.type() == HandshakeType::server_hello) seen->server_random = ServerHello::decode(body).random;
    if (to_server || msg.type() != HandshakeType::server_key_exchange) return;
    ServerKeyExchange ske = ServerKeyExchange::decode(body, key_exchange);
    change(ske);
    ske.signed_params.signature = sign_with_scheme(ske.signed_params.algorithm, *key,
                                                   ske.signed_content(seen->client_random, seen->server_random));
    msg.bytes = ske.encode();
  };
}

}  // namespace tls12::handshake::test_support
