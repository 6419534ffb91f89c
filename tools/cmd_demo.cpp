// `tls12 demo`: the documented TLS 1.2 handshake (RFC 5246 §7.3, Figure 1),
// run for real on this machine and told step by step.
//
// A server thread and a client in one process connect over 127.0.0.1 (an
// ephemeral port) with a demo PKI made for this run (tools/demo_pki.h, the
// code of `tls12 pki quick`). Both sides are ordinary protocol::Connection
// engines; the demo only prints their events (protocol/events.h), checks and
// their results included, in the order they happen, each under the number of
// its step (docs/steps.md):
//
//   [step 0] the server opens its passphrase-protected key  RFC 8018 §6.2
//   [step 1] ClientHello and its random                     §7.4.1.2
//   [step 2] ServerHello, Certificate, (ServerKeyExchange),  §7.4.1.3-§7.4.5
//            (CertificateRequest), ServerHelloDone
//   [step 3] the client verifies the server's chain, name    RFC 5280 §6, RFC 6125
//   [step 4] ClientKeyExchange: the premaster secret        §7.4.7
//   [step 5] client Certificate, CertificateVerify          §7.4.6, §7.4.8
//   [step 6] the server verifies the client, recovers the   §7.4.7.1, §8.1, §6.3
//            premaster; both derive master_secret, key_block
//   [step 7] client ChangeCipherSpec, Finished              §7.1, §7.4.9
//   [step 8] server ChangeCipherSpec, Finished              §7.1, §7.4.9
//   [step 9] application data as a record, close_notify     §6.2.3.3, §7.2.1
//
// The premaster and master secrets are printed, marked as secrets: the demo
// keys protect nothing, and seeing them is the point.
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "handshake/client_session_store.h"
#include "handshake/session_cache.h"
#include "handshake/session_ticket.h"
#include "protocol/connection.h"
#include "protocol/socket.h"
#include "protocol/trace.h"
#include "tools/illustrate_pages.h"
#include "tools/commands.h"
#include "tools/demo_pki.h"
#include "tools/net.h"
#include "tools/tls_options.h"
#include "x509/certificate.h"
#include "x509/keys.h"
#include "x509/path_validation.h"

namespace tls12::tools {

namespace {

using handshake::KeyExchange;
using protocol::Direction;
using protocol::Event;

constexpr std::chrono::milliseconds kDemoTimeout{10000};
constexpr std::string_view kClientMessage = "Hello, server! This is application data from the tls12 demo client.";
constexpr std::string_view kServerMessage = "Hello, client! The server read your message.";

struct DemoArgs {
  std::string kx = "rsa";
  std::string suite;
  std::string key_type;  // "rsa" or "p256"; empty: what the suite needs
  bool no_etm = false;
  bool server_auth_only = false;
  bool resume = false;
  std::string trace = "messages";
  std::string illustrate;
};

// --illustrate: runs one client connection with `config` drawn too, and writes
// its page (with its secrets: the demo shows them anyway) to `file`.
template <class Run>
void run_drawn(protocol::ClientConfig config, const std::string& file, Run run) {
  if (file.empty()) return run(config);
  illustrate::Builder builder(illustrate::Perspective::client);
  observe_for_page(config, builder);
  auto write = [&] {
    illustrate::PageOptions options;
    options.show_secrets = true;
    options.title = "The tls12 demo connection";
    options.subtitle = "Drawn by tls12 demo from its client's side; the demo's keys are shown.";
    illustrate::write_page(file, builder.recording(), options);
    std::cerr << "tls12 demo: wrote the illustrated page " << file << "\n";
  };
  try {
    run(config);
  } catch (...) {
    write();
    throw;
  }
  write();
}

// What each handshake message is for, in one line (RFC 5246 §7.4).
std::string_view purpose_of(const std::string& message) {
  static const std::map<std::string, std::string_view> purposes{
      {"ClientHello", "§7.4.1.2: the client's version, its random, and the suites it offers"},
      {"ServerHello", "§7.4.1.3: the server's random, the session ID and the suite it chose"},
      {"Certificate", "§7.4.2/§7.4.6: the sender's certificate chain, leaf first"},
      {"ServerKeyExchange", "§7.4.3: the server's ephemeral (EC)DH share, signed with its certificate key"},
      {"CertificateRequest", "§7.4.4: the server asks for a client certificate from these CAs"},
      {"ServerHelloDone", "§7.4.5: the server's first flight is complete"},
      {"ClientKeyExchange", "§7.4.7: what the premaster secret is made from"},
      {"CertificateVerify", "§7.4.8: the client signs the handshake so far with its certificate key"},
      {"Finished", "§7.4.9: PRF(master_secret, label, hash of every handshake message)"},
      {"NewSessionTicket", "RFC 5077 §3.3: the session sealed under the server's ticket key, for the client to keep"},
  };
  auto it = purposes.find(message);
  return it == purposes.end() ? std::string_view{} : it->second;
}

std::string_view purpose_of_secret(const std::string& name, KeyExchange kx) {
  if (name == "pre_master_secret")
    return kx == KeyExchange::rsa   ? "§7.4.7.1: client_version (03 03) + 46 random bytes, chosen by the client"
           : kx == KeyExchange::dhe ? "§8.1.2: g^(ab) mod p of the two ephemeral shares, leading zeros stripped"
                                    : "RFC 8422 §5.10: the ECDH shared secret of the two ephemeral shares (x25519, or the x coordinate on secp256r1)";
  if (name == "master_secret")
    return "§8.1 / RFC 7627: PRF(pre_master_secret, label, randoms or session hash)[0..47]";
  if (name == "client_write_MAC_key")
    return "§6.3 key_block: the HMAC key of the client's records (§6.2.3.1: MAC over seq_num, header and content)";
  if (name == "server_write_MAC_key") return "§6.3 key_block: the HMAC key of the server's records";
  if (name == "client_write_key") return "§6.3 key_block: the key of the client's records";
  if (name == "server_write_key") return "§6.3 key_block: the key of the server's records";
  if (name == "client_write_IV") return "§6.3 key_block: the implicit nonce part of the client's records";
  if (name == "server_write_IV") return "§6.3 key_block: the implicit nonce part of the server's records";
  return {};
}

// The demo PKI as PEM text. This is the one place the command reads it, so
// that where it comes from can change here alone.
// The server's key is the passphrase-protected one (step 0).
struct DemoPki {
  std::string_view ca_crt, server_crt, server_key_encrypted, server_key_passphrase, client_crt, client_key;
};

DemoPki demo_pki_material(x509::KeyType key_type) {
  const x509::PkiSet& set = demo_pki(key_type);
  return {set.ca_crt, set.server_crt, set.server_key_encrypted, set.server_key_passphrase, set.client_crt,
          set.client_key};
}

// Step 0: before any handshake, the server opens its private key, stored in
// the form `openssl genpkey -algorithm RSA -aes256` writes (this run's PKI
// wrote it so, x509/pkcs8_encrypted.cpp). What the opening took
// is what the decryption reports (x509::Pbes2Opening), not a second parse.
handshake::CertifiedKey open_server_key(std::ostream& out, const DemoPki& pki, x509::KeyType key_type) {
  x509::PassphraseSource passphrase{x509::PassphraseSource::Kind::value, std::string(pki.server_key_passphrase)};
  x509::Pbes2Opening opening;
  handshake::CertifiedKey key;
  for (const auto& cert : x509::parse_certificates_pem(pki.server_crt)) key.certificate_chain.push_back(cert.der());
  key.private_key = std::make_shared<const x509::PrivateKey>(
      x509::load_private_key_pem(pki.server_key_encrypted, passphrase, &opening));
  out << "\n[step 0] the server opens its private key, encrypted as `openssl genpkey "
      << (key_type == x509::KeyType::p256 ? "-algorithm EC -pkeyopt ec_paramgen_curve:P-256" : "-algorithm RSA")
      << " -aes256`\n"
      << "         writes it (PKCS#8 EncryptedPrivateKeyInfo, RFC 5958 §3), with the passphrase \""
      << pki.server_key_passphrase << "\"\n"
      << "      PBES2 (RFC 8018 §6.2): PBKDF2 (§5.2) with HMAC-" << crypto::hash_name(opening.prf) << ", "
      << opening.iterations << " iterations, salt " << to_hex(opening.salt) << "\n"
      << "        turns the passphrase into a " << opening.key_length * 8 << "-bit key\n"
      << "      AES-" << opening.key_length * 8 << "-CBC (RFC 8018 B.2.5) with IV " << to_hex(opening.iv)
      << " decrypts the PrivateKeyInfo;\n"
      << "        the PKCS#7 padding and the structure inside tell a wrong passphrase\n"
      << "      code: x509/pkcs8_encrypted.cpp: decrypt_encrypted_private_key_info\n";
  return key;
}

std::string date_of(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

// The step (docs/steps.md) a handshake message belongs to, by who sends it.
int step_of_message(const std::string& who, const std::string& message) {
  const bool client = who == "client";
  if (message == "ClientHello") return 1;
  if (message == "ClientKeyExchange") return 4;
  if (message == "Certificate") return client ? 5 : 2;
  if (message == "CertificateVerify") return 5;
  if (message == "Finished") return client ? 7 : 8;
  if (message == "NewSessionTicket") return 8;
  return 2;  // ServerHello, ServerKeyExchange, CertificateRequest, ServerHelloDone
}

std::string step_label(int step) { return "[step " + std::to_string(step) + "] "; }

// Narrates both sides' events, and nothing else: every check and its result
// is what the engine reported (protocol/events.h), never recomputed here.
// Each side's events arrive in order from its own thread; the two sides
// alternate because each waits for the other's flight.
class Narrator {
 public:
  Narrator(std::ostream& out, protocol::TraceLevel level, const handshake::CipherSuiteInfo& suite)
      : out_(out), level_(level), kx_(suite.key_exchange), cbc_(suite.is_cbc()) {}

  protocol::Observer observer(std::string who) {
    return [this, who](const Event& event) {
      std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
      on_event(who, event);
      out_ << std::flush;
    };
  }

  // A line of the demo's own (application data, close), under the same lock.
  void say(const std::string& text) {
    std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
    out_ << text << std::flush;
  }

  // Waits (bounded) until `who` has completed its handshake, so that the
  // client's next lines follow the server's in an abbreviated handshake, where
  // the client finishes first.
  void wait_for_handshake(const std::string& who) {
    std::unique_lock<std::mutex> lock(complete_mutex_);
    complete_changed_.wait_for(lock, kDemoTimeout, [&] { return complete_.count(who) > 0; });
  }

  // A new connection: nothing derived yet.
  void start_connection(const std::string& title) {
    std::lock_guard<std::mutex> lock(protocol::trace_output_mutex());
    secrets_.clear();
    resuming_ = false;
    std::lock_guard<std::mutex> complete_lock(complete_mutex_);
    complete_.clear();
    out_ << title << std::flush;
  }

 private:
  static std::string peer_of(const std::string& who) { return who == "client" ? "server" : "client"; }

  void on_event(const std::string& who, const Event& event) {
    if (const auto* m = std::get_if<protocol::HandshakeMessage>(&event)) {
      if (m->direction == Direction::sent) sent_message(who, *m);
    } else if (const auto* c = std::get_if<protocol::ChangeCipherSpec>(&event)) {
      if (c->direction == Direction::sent)
        out_ << "\n" << step_label(who == "client" ? 7 : 8) << who << " -> " << peer_of(who)
             << " ChangeCipherSpec (§7.1): the " << who << "'s next records are protected\n";
    } else if (const auto* k = std::get_if<protocol::KeysActivated>(&event)) {
      out_ << "      " << who << ": records it " << (k->direction == Direction::sent ? "sends" : "receives")
           << " are now protected with " << k->aead << "\n";
    } else if (const auto* s = std::get_if<protocol::SecretDerived>(&event)) {
      secret(who, *s);
    } else if (const auto* chain = std::get_if<protocol::PeerChainChecked>(&event)) {
      chain_checked(who, *chain);
    } else if (const auto* signature = std::get_if<protocol::SignatureChecked>(&event)) {
      signature_checked(who, *signature);
    } else if (const auto* premaster = std::get_if<protocol::PreMasterRecovered>(&event)) {
      premaster_recovered(who, *premaster);
    } else if (const auto* finished = std::get_if<protocol::FinishedChecked>(&event)) {
      finished_checked(who, *finished);
    } else if (const auto* a = std::get_if<protocol::AlertEvent>(&event)) {
      out_ << "      " << who << (a->direction == Direction::sent ? " sends" : " receives") << " alert "
           << record::alert_level_name(a->level) << " " << record::alert_name(a->description)
           << (a->reason.empty() ? "" : ": " + a->reason) << "\n";
    } else if (const auto* h = std::get_if<protocol::HandshakeComplete>(&event)) {
      out_ << "      " << who << ": handshake complete (" << h->cipher_suite << ")\n";
      std::lock_guard<std::mutex> lock(complete_mutex_);
      complete_.insert(who);
      complete_changed_.notify_all();
    }
  }

  void sent_message(const std::string& who, const protocol::HandshakeMessage& m) {
    out_ << "\n" << step_label(step_of_message(who, m.name)) << who << " -> " << peer_of(who) << " " << m.name
         << " (" << m.raw.size() << " bytes)\n";
    if (auto purpose = purpose_of(m.name); !purpose.empty()) out_ << "      " << purpose << "\n";
    if (level_ >= protocol::TraceLevel::bytes) {
      out_ << protocol::TraceRenderer::render_fields(m, "      ");
      return;
    }
    for (const auto& field : m.fields) {
      if (field.name == "msg_type" || field.name == "length") continue;
      std::string value = field.value.size() > 100 ? field.value.substr(0, 97) + "..." : field.value;
      out_ << "      " << field.name << ": " << value;
      if (field.name == "random") out_ << "   (" << who << "_random)";
      if (field.name == "session_id" && m.name == "ClientHello") offered_session_id_ = field.value;
      if (field.name == "session_id" && m.name == "ServerHello")
        out_ << (field.value == "(empty)"               ? "   (empty: the server will not resume this session by ID)"
                 : (resuming_ = field.value == offered_session_id_)
                     ? "   (the ID the client offered: the server resumes the session)"
                                                       : "   (a new session, resumable under this ID)");
      if (field.name == "exchange_keys.EncryptedPreMasterSecret")
        out_ << "\n      = the pre_master_secret encrypted with the server's RSA public key (PKCS#1 v1.5)";
      out_ << "\n";
    }
  }

  // Step 3 (the client checks the server) or step 6 (the server checks the client).
  void chain_checked(const std::string& who, const protocol::PeerChainChecked& c) {
    out_ << "\n" << step_label(who == "client" ? 3 : 6) << who << " verifies the " << peer_of(who)
         << "'s chain (RFC 5280 §6): ";
    if (!c.validated) {
      out_ << "NOT checked (verification is off)\n";
      return;
    }
    if (!c.accepted()) {
      out_ << "FAILED: " << x509::reason_name(c.reason) << ": " << c.message << "\n";
      return;
    }
    out_ << "OK\n";
    for (size_t i = 0; i < c.path.size(); ++i)
      out_ << "        " << i << " " << c.path[i] << (i + 1 == c.path.size() ? "  (trust anchor)" : "") << "\n";
    if (!c.name.empty())
      out_ << "        the leaf matches " << c.name << ", the name the " << who << " asked for (RFC 6125)\n";
  }

  void signature_checked(const std::string& who, const protocol::SignatureChecked& c) {
    const bool verify = c.message == "CertificateVerify";
    out_ << "\n" << step_label(verify ? 6 : 2) << who << " checks the " << c.message << " signature (" << handshake::signature_scheme_name(c.scheme)
         << ") with the " << (verify ? "client" : "server") << " certificate's key: "
         << (c.valid ? "valid" : "INVALID") << "\n";
  }

  void premaster_recovered(const std::string& who, const protocol::PreMasterRecovered& c) {
    out_ << "\n" << step_label(6) << who << " recovers the pre_master_secret: "
         << (c.rsa_countermeasure
                 ? "decrypts EncryptedPreMasterSecret with its private key (§7.4.7.1, with the Bleichenbacher "
                   "countermeasure: no branch on the padding)\n"
                 : "computes it from its own ephemeral key and the client's share\n");
  }

  // Step 7 (the server checks the client's Finished) or 8 (the other way).
  void finished_checked(const std::string& who, const protocol::FinishedChecked& c) {
    out_ << "\n" << step_label(c.sender == handshake::Sender::client ? 7 : 8) << who << " compares the "
         << peer_of(who) << "'s verify_data with its own (constant-time compare):\n"
         << "        received " << to_hex(c.received) << "\n        computed " << to_hex(c.expected)
         << "  (over its own transcript)\n        "
         << (c.equal ? "equal: Finished verified" : "NOT equal: the handshake was altered or the keys differ")
         << "\n";
  }

  // Secrets are printed as the client computes them; whichever side derives a
  // secret second is compared with the first (in an abbreviated handshake the
  // server derives its keys first). The key_block is announced once, with
  // its last part.
  void secret(const std::string& who, const protocol::SecretDerived& s) {
    using handshake::Secret;
    const std::string name(handshake::secret_name(s.secret));
    Bytes value(s.value.begin(), s.value.end());
    secrets_[who][s.secret] = value;
    if (who == "client") {
      out_ << "      SECRET " << name << " (" << value.size() << " bytes, shown because this is a demo), computed by the "
           << (s.secret == Secret::pre_master_secret ? "client in step 4" : "client in step 6") << "\n";
      if (resuming_ && s.secret == Secret::master_secret)
        out_ << "        §7.3: the master_secret of the resumed session; no key exchange this time\n";
      else if (auto purpose = purpose_of_secret(name, kx_); !purpose.empty())
        out_ << "        " << purpose << "\n";
      out_ << protocol::hex_lines(value, "        ", 24);
    }
    // The key_block's last part: a CBC suite has no IVs there (§6.3,
    // fixed_iv_length 0: each record carries its own IV).
    const Secret last_part = cbc_ ? Secret::server_write_key : Secret::server_write_IV;
    const bool announced = s.secret == Secret::pre_master_secret || s.secret == Secret::master_secret ||
                           s.secret == last_part;
    if (!announced) return;
    const std::string what = s.secret == last_part ? "the key_block" : name;
    const std::string other = peer_of(who);
    auto it = secrets_[other].find(s.secret);
    if (it == secrets_[other].end()) {
      if (who == "server") out_ << "      server computes " << what << "\n";
      return;
    }
    out_ << "      " << who << " computes " << what << ": "
         << (it->second == value ? "the same as the " + other + "'s" : "DIFFERENT from the " + other + "'s") << "\n";
  }

  std::ostream& out_;
  protocol::TraceLevel level_;
  KeyExchange kx_;
  bool cbc_;  // a CBC suite: MAC keys and no IVs in the key_block
  std::string offered_session_id_;
  bool resuming_ = false;  // the ServerHello took the offered session ID
  std::mutex complete_mutex_;
  std::condition_variable complete_changed_;
  std::set<std::string> complete_;  // sides whose handshake is complete
  std::map<std::string, std::map<handshake::Secret, Bytes>> secrets_;  // side -> secret -> value
};

// A protected record field by field: GCM/ChaCha20 (nonce, ciphertext, tag) or
// CBC (IV, content, MAC, padding), which needs the content's length.
std::string render_record(ByteView record, const handshake::CipherSuiteInfo& suite, bool encrypt_then_mac,
                          size_t content_length) {
  if (!suite.is_cbc()) return protocol::TraceRenderer::render_protected_record(record, suite.record_iv_length, "      ");
  return protocol::TraceRenderer::render_cbc_record(record, content_length, suite.mac_key_length, encrypt_then_mac,
                                                    "      ");
}

// --key-type, or the kind of key the suite needs when it is not given.
x509::KeyType choose_key_type(const DemoArgs& a, const handshake::CipherSuiteInfo& suite) {
  const bool ecdsa_suite = suite.authentication == handshake::Authentication::ecdsa;
  if (a.key_type.empty()) return ecdsa_suite ? x509::KeyType::p256 : x509::KeyType::rsa2048;
  if (a.key_type != "rsa" && a.key_type != "p256")
    throw UsageError("--key-type: unknown key type '" + a.key_type + "' (rsa or p256)");
  const bool p256 = a.key_type == "p256";
  if (p256 != ecdsa_suite)
    throw UsageError("--key-type " + a.key_type + " cannot authenticate " + std::string(suite.name) +
                     (p256 ? " (a *_RSA_* suite needs rsa)" : " (an ECDHE_ECDSA suite needs p256)"));
  return p256 ? x509::KeyType::p256 : x509::KeyType::rsa2048;
}

const handshake::CipherSuiteInfo* choose_suite(const DemoArgs& a) {
  if (a.kx != "rsa" && a.kx != "ecdhe" && a.kx != "dhe")
    throw UsageError("--kx: unknown key exchange '" + a.kx + "' (rsa, ecdhe or dhe)");
  if (a.suite.empty() && a.key_type == "p256")  // an ECDSA chain signs ECDHE_ECDSA suites only
    return handshake::find_cipher_suite(handshake::suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
  if (a.suite.empty()) {
    namespace s = handshake::suites;
    return handshake::find_cipher_suite(a.kx == "rsa"     ? s::TLS_RSA_WITH_AES_128_GCM_SHA256
                                        : a.kx == "ecdhe" ? s::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
                                                          : s::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256);
  }
  auto ids = parse_cipher_suites(a.suite, "--suite");
  if (ids.size() != 1) throw UsageError("--suite: name exactly one cipher suite");
  return handshake::find_cipher_suite(ids.front());
}

void print_setup(std::ostream& out, const DemoPki& pki, const handshake::CipherSuiteInfo& suite, bool mutual,
                 uint16_t port, x509::KeyType key_type) {
  out << "tls12 demo: the TLS 1.2 handshake of RFC 5246 §7.3, run on 127.0.0.1:" << port << "\n\n"
      << "Set-up (a demo PKI made for this run by tls12 pki; the CA may vouch for localhost, 127.0.0.1 and ::1 "
         "only):\n";
  auto show = [&](const char* role, std::string_view pem) {
    auto cert = x509::parse_certificates_pem(pem).front();
    out << "  " << role << cert.display_name() << "\n      issued by " << cert.issuer.to_string()
        << ", valid " << date_of(cert.not_before) << " to " << date_of(cert.not_after);
    for (const auto& dns : cert.san_dns_names) out << ", DNS:" << dns;
    out << "\n";
  };
  show("CA:     ", pki.ca_crt);
  show("server: ", pki.server_crt);
  if (mutual) show("client: ", pki.client_crt);
  out << "  both sides trust the CA; the keys are "
      << (key_type == x509::KeyType::p256 ? "P-256 (secp256r1), signing with ECDSA" : "2048-bit RSA") << "\n\n"
      << "Cipher suite: " << suite.name << " (" << suite.openssl_name << ")\n"
      << (mutual ? "Authentication: mutual (the server asks for the client's certificate)\n"
                 : "Authentication: server only\n");
}

struct ServerResult {
  std::string error;
  std::string received;
};

// The server side: `connections` connections, each answering one message and
// the client's close_notify.
void run_server(protocol::ServerConfig config, int listener, int connections, ServerResult& result) {
  auto shared = std::make_shared<const protocol::ServerConfig>(std::move(config));
  try {
    for (int i = 0; i < connections; ++i) {
      if (!wait_readable(listener, kDemoTimeout)) throw NetError("no client connected");
      Fd fd(::accept(listener, nullptr, nullptr));
      if (fd.get() < 0) throw NetError("accept failed");
      protocol::SocketConnection tls(fd.get(), protocol::Connection(shared), {kDemoTimeout, {}});
      tls.handshake();
      result.received = as_text(tls.read_some());
      tls.write(as_bytes(kServerMessage));
      while (!tls.read_some().empty()) {
      }
    }
  } catch (const std::exception& e) {
    result.error = e.what();
  }
}

// The client side of one connection: handshake, one message each way as
// plaintext and as a record, close_notify. Throws on failure.
void run_client(const protocol::ClientConfig& config, uint16_t port, const handshake::CipherSuiteInfo& suite,
                Narrator& narrator, const ServerResult& server_result) {
  Fd fd = connect_tcp("127.0.0.1", port, kDemoTimeout);
  protocol::SocketConnection tls(fd.get(), protocol::Connection(config), {kDemoTimeout, {}});
  protocol::Connection& connection = tls.connection();
  tls.handshake();
  narrator.wait_for_handshake("server");

  const auto& n = connection.negotiated();
  narrator.say("\nNegotiated: " + version_name(n.version) + ", " + std::string(suite.name) +
               ", extended master secret " + (n.extended_master_secret ? "yes" : "no") + ", session " +
               (n.resumed ? "resumed" : "new") + ", server chain " +
               (connection.peer_verified() ? "verified" : "NOT verified") + "\n");

  // Application data: the plaintext, then the record the engine made of it.
  connection.write(as_bytes(kClientMessage));
  Bytes record(connection.pending_output().begin(), connection.pending_output().end());
  const std::string form = !suite.is_cbc()              ? "§6.2.3.3 GenericAEADCipher"
                           : n.encrypt_then_mac            ? "§6.2.3.2 GenericBlockCipher, Encrypt-then-MAC (RFC 7366)"
                                                           : "§6.2.3.2 GenericBlockCipher, MAC-then-encrypt";
  narrator.say("\n" + step_label(9) + "client -> server application data (" + form + ")\n      plaintext: \"" +
               std::string(kClientMessage) + "\"\n      on the wire (" + std::to_string(record.size()) +
               " bytes):\n" + render_record(record, suite, n.encrypt_then_mac, kClientMessage.size()));
  tls.flush();
  std::string reply = as_text(tls.read_some());
  narrator.say("      server decrypts and reads: \"" + server_result.received + "\"\n\n" + step_label(9) +
               "server -> client application data\n      client reads: \"" +
               reply + "\"\n");

  narrator.say("\n" + step_label(9) + "client -> server close_notify (§7.2.1), itself a protected alert record:\n");
  connection.close();
  Bytes alert(connection.pending_output().begin(), connection.pending_output().end());
  narrator.say(render_record(alert, suite, n.encrypt_then_mac, record::kAlertSize));
  tls.flush();
  while (!connection.peer_closed() && tls.fill()) {
  }
  narrator.say(std::string("      ") +
               (connection.peer_closed() ? "the server answered with its close_notify: a clean end, nothing truncated\n"
                                         : "the server closed without close_notify\n"));
}

int run_demo(const DemoArgs& a) {
  const handshake::CipherSuiteInfo* suite = choose_suite(a);
  const x509::KeyType key_type = choose_key_type(a, *suite);
  protocol::TraceLevel level = parse_trace(a.trace);
  bool mutual = !a.server_auth_only;

  auto trust = std::make_shared<x509::TrustStore>();
  const DemoPki pki = demo_pki_material(key_type);
  trust->add_pem(pki.ca_crt);
  uint16_t port = 0;
  Fd listener = listen_tcp("127.0.0.1", 0, port);

  std::ostream& out = std::cout;
  Narrator narrator(out, level, *suite);

  protocol::ServerConfig server;
  print_setup(out, pki, *suite, mutual, port, key_type);
  server.certificate = open_server_key(out, pki, key_type);
  server.trust_store = trust;
  server.client_authentication = mutual ? protocol::ClientAuthentication::required
                                        : protocol::ClientAuthentication::none;
  server.observer = narrator.observer("server");
  if (std::find(server.cipher_suites.begin(), server.cipher_suites.end(), suite->id) == server.cipher_suites.end())
    server.cipher_suites.push_back(suite->id);

  protocol::ClientConfig client;
  client.trust_store = trust;
  client.server_name = "localhost";
  client.cipher_suites = {suite->id};
  client.offer_encrypt_then_mac = !a.no_etm;
  if (mutual) client.client_certificate = certified_key_from_pem(pki.client_crt, pki.client_key);
  client.observer = narrator.observer("client");
  if (a.resume) {
    // The client keeps the session; the server can find it by session ID
    // (its cache) or open it from a ticket (RFC 5077).
    client.session_store = std::make_shared<handshake::ClientSessionStore>();
    client.server_port = port;
    server.session_cache = std::make_shared<handshake::SessionCache>();
    server.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  }

  const int connections = a.resume ? 2 : 1;
  ServerResult server_result;
  std::thread server_thread(run_server, std::move(server), listener.get(), connections, std::ref(server_result));
  int status = kExitOk;
  try {
    narrator.start_connection("\nThe handshake, as it happens (" + std::string(protocol::trace_level_name(level)) +
                              " level; --trace=bytes shows every byte):\n");
    run_drawn(client, a.illustrate, [&](const protocol::ClientConfig& c) { run_client(c, port, *suite, narrator, server_result); });
    if (a.resume) {
      narrator.start_connection(
          "\n\nSecond connection: the client offers the session back, and both sides resume it with an\n"
          "abbreviated handshake (RFC 5246 §7.3, Figure 2): no certificates, no key exchange, the\n"
          "master_secret of the first connection with the new randoms.\n");
      run_drawn(client, a.illustrate.empty() ? "" : numbered_page_path(a.illustrate, 2),
                [&](const protocol::ClientConfig& c) { run_client(c, port, *suite, narrator, server_result); });
    }
  } catch (const std::exception& e) {
    narrator.say(std::string("tls12 demo: the client failed: ") + e.what() + "\n");
    status = kExitFailed;
  }
  server_thread.join();
  if (!server_result.error.empty()) {
    std::cerr << "tls12 demo: the server failed: " << server_result.error << "\n";
    status = kExitFailed;
  }
  if (status == kExitOk) out << "\nDemo complete.\n";
  return status;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Run the documented TLS 1.2 handshake between a server and a client on 127.0.0.1 with the\n"
      "built-in demo PKI, printing every step (messages, certificates, secrets, records) under its\n"
      "number in docs/steps.md: [step 0] the server's passphrase-protected key opened, then the nine\n"
      "steps of the handshake. Every check shown is the result the engine reported.");
  cmd->add_option("--kx", args->kx, "Key exchange: rsa (RSA key transport, default), ecdhe, dhe (RFC 7919 ffdhe2048)");
  cmd->add_option("--suite", args->suite, "Cipher suite (RFC or OpenSSL name); overrides --kx");
  cmd->add_option("--key-type", args->key_type,
                  "Demo PKI keys: rsa (2048-bit) or p256 (ECDSA, with TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 "
                  "unless --suite names another ECDHE_ECDSA suite); default: what the suite needs");
  cmd->add_flag("--no-etm", args->no_etm,
                "With a CBC suite: the client does not offer encrypt_then_mac (RFC 7366), so the records are "
                "MAC-then-encrypt (RFC 5246 §6.2.3.2)");
  cmd->add_flag("--server-auth-only", args->server_auth_only, "Do not ask for the client's certificate");
  cmd->add_flag("--resume", args->resume, "Run a second connection that resumes the session");
  cmd->add_option("--trace", args->trace,
                  "Detail: messages (the default), bytes or secrets (both show every byte); "
                  "a bare --trace means bytes")
      ->expected(0, 1)
      ->default_str("bytes")
      ->option_text("[=LEVEL]");
  cmd->add_option("--illustrate", args->illustrate,
                  "Also write the illustrated page of the connection (its keys shown) to this HTML file; "
                  "with --resume the resumed connection's goes to FILE-2.html");
  cmd->callback([args] {
    try {
      exit_status() = run_demo(*args);
    } catch (const UsageError& e) {
      std::cerr << "tls12 demo: " << e.what() << "\n";
      exit_status() = kExitUsage;
    } catch (const std::exception& e) {
      std::cerr << "tls12 demo: " << e.what() << "\n";
      exit_status() = kExitFailed;
    }
  });
}

}  // namespace tls12::tools
