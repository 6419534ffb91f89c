// State and secret names, and the single place where an out-of-order message becomes an
// unexpected_message alert (RFC 5246 §7.3, §7.2.2). See state.h.
#include "handshake/state.h"

#include <string>

namespace tls12::handshake {

std::string_view state_name(ClientState state) {
  switch (state) {
    case ClientState::start: return "start";
    case ClientState::wait_server_hello: return "wait_server_hello";
    case ClientState::wait_certificate: return "wait_certificate";
    case ClientState::wait_server_key_exchange: return "wait_server_key_exchange";
    case ClientState::wait_certificate_request: return "wait_certificate_request";
    case ClientState::wait_server_hello_done: return "wait_server_hello_done";
    case ClientState::wait_change_cipher_spec: return "wait_change_cipher_spec";
    case ClientState::wait_finished: return "wait_finished";
    case ClientState::connected: return "connected";
  }
  return "unknown";
}

std::string_view state_name(ServerState state) {
  switch (state) {
    case ServerState::wait_client_hello: return "wait_client_hello";
    case ServerState::wait_client_certificate: return "wait_client_certificate";
    case ServerState::wait_client_key_exchange: return "wait_client_key_exchange";
    case ServerState::wait_certificate_verify: return "wait_certificate_verify";
    case ServerState::wait_change_cipher_spec: return "wait_change_cipher_spec";
    case ServerState::wait_finished: return "wait_finished";
    case ServerState::connected: return "connected";
  }
  return "unknown";
}

std::string_view secret_name(Secret secret) {
  switch (secret) {
    case Secret::pre_master_secret: return "pre_master_secret";
    case Secret::master_secret: return "master_secret";
    case Secret::client_write_MAC_key: return "client_write_MAC_key";
    case Secret::server_write_MAC_key: return "server_write_MAC_key";
    case Secret::client_write_key: return "client_write_key";
    case Secret::server_write_key: return "server_write_key";
    case Secret::client_write_IV: return "client_write_IV";
    case Secret::server_write_IV: return "server_write_IV";
  }
  return "unknown";
}

void report(Actions& actions, Check check) { add_action(actions, Checked{std::move(check)}); }

void refuse_renegotiation(int& refusals, std::string_view request, Actions& actions) {
  if (++refusals > max_renegotiation_refusals)
    throw record::TlsError(record::AlertDescription::unexpected_message,
                           "peer asked to renegotiate " + std::to_string(refusals) + " times (" + std::string(request) +
                               ") after being refused");
  add_action(actions, SendWarningAlert{record::AlertDescription::no_renegotiation, "renegotiation is not supported"});
}

void unexpected(std::string_view message, std::string_view state) {
  throw record::TlsError(record::AlertDescription::unexpected_message,
                         std::string(message) + " is not allowed in state " + std::string(state));
}

}  // namespace tls12::handshake
