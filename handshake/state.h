// What the handshake state machines (handshake/client.h, handshake/server.h)
// hand back to the Connection: the states of each side and the actions to carry
// out.
//
// The state machines never touch the record layer (docs/ARCHITECTURE.md). Fed one
// handshake message or one ChangeCipherSpec, they return an ordered list of
// actions, and `Connection` performs them in that order:
//
//   SendHandshake        put this handshake message (header included) on the wire
//   SendChangeCipherSpec put a ChangeCipherSpec record on the wire (§7.1)
//   InstallWriteKeys     from now on protect what we send with these keys
//   InstallReadKeys      from now on open what we receive with these keys
//   SecretDerived        a secret was computed (for the observer and the key log)
//   Checked              what a check found (handshake/checks.h), for the observer
//   SendWarningAlert     a warning alert (no_renegotiation, RFC 5246 §7.2.2)
//   HandshakeComplete    both Finished messages are checked (§7.4.9)
//
// Failures are not actions: they are thrown as record::TlsError carrying the
// alert (CheckFailed when a check failed, with its report), which Connection
// catches at its boundary.
//
// The states follow RFC 5246 §7.3 (Figure 1). Each name says which message the
// side waits for next.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "crypto/aead.h"
#include "crypto/bytes.h"
#include "handshake/checks.h"
#include "record/alert.h"
#include "record/protection.h"

namespace tls12::handshake {

enum class ClientState {
  start,                       // nothing sent yet
  wait_server_hello,           // ClientHello sent
  wait_certificate,            // ServerHello received
  wait_server_key_exchange,    // ECDHE or DHE: the server's ephemeral key comes next
  wait_certificate_request,    // CertificateRequest or ServerHelloDone
  wait_server_hello_done,      // after CertificateRequest
  wait_change_cipher_spec,     // our Finished sent
  wait_finished,               // the server's ChangeCipherSpec received
  connected,                   // handshake complete
};

enum class ServerState {
  wait_client_hello,
  wait_client_certificate,     // we sent CertificateRequest
  wait_client_key_exchange,
  wait_certificate_verify,     // the client sent a non-empty Certificate
  wait_change_cipher_spec,
  wait_finished,
  connected,
};

std::string_view state_name(ClientState state);
std::string_view state_name(ServerState state);

// The keys for one direction of the record layer, cut from the key_block
// (RFC 5246 §6.3) by the key schedule: record::TrafficKeys.
using record::TrafficKeys;

struct SendHandshake { Bytes message; };
struct SendChangeCipherSpec {};
struct InstallWriteKeys { TrafficKeys keys; };
struct InstallReadKeys { TrafficKeys keys; };
struct SecretDerived { Secret secret; SecretBytes value; };
struct SendWarningAlert { record::AlertDescription description; std::string reason; };
struct Checked { Check check; };
struct HandshakeComplete {};

using Action = std::variant<SendHandshake, SendChangeCipherSpec, InstallWriteKeys, InstallReadKeys,
                            SecretDerived, Checked, SendWarningAlert, HandshakeComplete>;
using Actions = std::vector<Action>;

// Appends one action, constructed in place (pushing a temporary variant makes
// GCC 12 report a spurious -Wmaybe-uninitialized).
template <class T>
void add_action(Actions& actions, T&& action) {
  actions.emplace_back(std::in_place_type<std::decay_t<T>>, std::forward<T>(action));
}

// The one place an out-of-order message is turned into an alert (RFC 5246
// §7.3: "sending handshake messages in an unexpected order results in a fatal
// error"): unexpected_message, naming the message and the state.
[[noreturn]] void unexpected(std::string_view message, std::string_view state);

// Renegotiation is refused with a warning no_renegotiation alert (RFC 5746
// §4.2, §4.4). Each refusal costs a sealed record, so a peer that asks again
// and again gets unexpected_message after this many (OpenSSL stops a peer
// that repeats itself in the same way, see the record layer's caps).
inline constexpr int max_renegotiation_refusals = 4;
// Adds the refusal, or throws unexpected_message past the cap; `refusals`
// counts this connection's refusals so far.
void refuse_renegotiation(int& refusals, std::string_view request, Actions& actions);

// Reports a check that passed; a failed one is thrown as CheckFailed instead.
void report(Actions& actions, Check check);

}  // namespace tls12::handshake
