// Resumed TLS 1.2 handshakes per second in memory (RFC 5246 §7.3 abbreviated
// handshake), by session ID and by session ticket (RFC 5077), ours beside
// OpenSSL's libssl in the same run, with the ratio after the run.
//
// Both stacks do the same work per resumed handshake: a new client and a new
// server object in one process, the client offering the session of an
// earlier full handshake (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, extended
// master secret), the server finding it (cache look-up, or opening the
// AES-256-GCM ticket), new keys from the new randoms, ChangeCipherSpec and
// Finished both ways. No ticket is renewed (the key that sealed it is current).
//   session_id  ours: SessionCache;        OpenSSL: SSL_SESS_CACHE_SERVER, SSL_OP_NO_TICKET
//   ticket      ours: SessionTicketKeys;   OpenSSL: default ticket keys, server cache off
// OpenSSL runs over memory BIOs; its client reuses the SSL_SESSION of the
// first handshake (SSL_set_session). Every iteration checks that both sides
// really resumed; a full handshake would be reported as an error.
#include <benchmark/benchmark.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "bench/bench_support.h"
#include "crypto/cpu.h"
#include "protocol/connection.h"
#include "x509/path_validation.h"

namespace {

using namespace tls12;
using bench::check;
using bench::pki;
namespace suites = handshake::suites;

enum class Kind { session_id, ticket };
const char* kind_name(Kind kind) { return kind == Kind::session_id ? "session_id" : "ticket"; }

// ---------------------------------------------------------------- ours

struct Ours {
  std::shared_ptr<const protocol::ServerConfig> server[2];
  std::shared_ptr<const protocol::ClientConfig> client[2];
};
Ours* g_ours = nullptr;

bool our_handshake(Kind kind) {
  int i = static_cast<int>(kind);
  protocol::Connection client(g_ours->client[i]);
  protocol::Connection server(g_ours->server[i]);
  bench::complete_handshake(client, server);
  return client.negotiated().resumed && server.negotiated().resumed;
}

void setup_ours() {
  g_ours = new Ours;
  auto trust = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(pki("ca.pem")));
  auto server_key = handshake::CertifiedKey::load(pki("server.pem"), pki("server.key"));
  for (Kind kind : {Kind::session_id, Kind::ticket}) {
    int i = static_cast<int>(kind);
    protocol::ServerConfig server;
    server.certificate = server_key;
    server.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
    server.signature_schemes = {handshake::SignatureScheme::rsa_pkcs1_sha256};
    server.aead_implementation = crypto::AeadImplementation::aesni;
    if (kind == Kind::session_id)
      server.session_cache = std::make_shared<handshake::SessionCache>();
    else
      server.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
    g_ours->server[i] = std::make_shared<const protocol::ServerConfig>(std::move(server));
    protocol::ClientConfig client;
    client.trust_store = trust;
    client.server_name = "localhost";
    client.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
    client.signature_schemes = {handshake::SignatureScheme::rsa_pkcs1_sha256};
    client.aead_implementation = crypto::AeadImplementation::aesni;
    client.session_store = std::make_shared<handshake::ClientSessionStore>();
    client.session_tickets = kind == Kind::ticket;
    g_ours->client[i] = std::make_shared<const protocol::ClientConfig>(std::move(client));
    if (our_handshake(kind)) {  // the full handshake that makes the session
      std::fprintf(stderr, "the first handshake cannot be a resumption\n");
      std::exit(1);
    }
  }
}

void BM_ours(benchmark::State& state, Kind kind) {
  for (auto _ : state) {
    if (!our_handshake(kind)) {
      state.SkipWithError("tls12 did not resume");
      break;
    }
  }
  bench::count_handshakes(state);
}

// ---------------------------------------------------------------- OpenSSL

struct OpensslCtx {
  SSL_CTX* server = nullptr;
  SSL_CTX* client = nullptr;
  SSL_SESSION* session = nullptr;
};
OpensslCtx g_openssl[2];

// One handshake offering ctx.session (if any); returns whether it resumed.
bool openssl_handshake(OpensslCtx& ctx, bool keep_session) {
  auto [client, server] = bench::openssl_handshake(ctx.client, ctx.server, ctx.session);
  bool resumed = SSL_session_reused(client) == 1 && SSL_session_reused(server) == 1;
  if (keep_session) ctx.session = SSL_get1_session(client);
  // Freeing a connection that did not shut down marks its session as not
  // resumable (OpenSSL treats it as possibly broken): end both quietly, as
  // our Connection objects are simply dropped.
  SSL_set_shutdown(client, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_set_shutdown(server, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(client);
  SSL_free(server);
  return resumed;
}

void setup_openssl() {
  for (Kind kind : {Kind::session_id, Kind::ticket}) {
    OpensslCtx& ctx = g_openssl[static_cast<int>(kind)];
    ctx.server = SSL_CTX_new(TLS_server_method());
    ctx.client = SSL_CTX_new(TLS_client_method());
    for (SSL_CTX* c : {ctx.server, ctx.client}) {
      check(SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION), "min version");
      check(SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION), "max version");
      check(SSL_CTX_set_cipher_list(c, "ECDHE-RSA-AES128-GCM-SHA256"), "cipher list");
      check(SSL_CTX_set1_sigalgs_list(c, "RSA+SHA256"), "sigalgs");
      check(SSL_CTX_set1_groups_list(c, "X25519"), "groups");
      if (kind == Kind::session_id) SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
    }
    SSL_CTX_set_session_cache_mode(ctx.client, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_session_cache_mode(ctx.server, kind == Kind::session_id ? SSL_SESS_CACHE_SERVER : SSL_SESS_CACHE_OFF);
    check(SSL_CTX_set_session_id_context(ctx.server, reinterpret_cast<const unsigned char*>("bench"), 5), "sid ctx");
    check(SSL_CTX_load_verify_locations(ctx.client, pki("ca.pem").c_str(), nullptr), "CA");
    SSL_CTX_set_verify(ctx.client, SSL_VERIFY_PEER, nullptr);
    check(SSL_CTX_use_certificate_chain_file(ctx.server, pki("server.pem").c_str()), "server cert");
    check(SSL_CTX_use_PrivateKey_file(ctx.server, pki("server.key").c_str(), SSL_FILETYPE_PEM), "server key");
    if (openssl_handshake(ctx, true) || ctx.session == nullptr) {
      std::fprintf(stderr, "OpenSSL: the first handshake gave no session\n");
      std::exit(1);
    }
  }
}

void BM_openssl(benchmark::State& state, Kind kind) {
  OpensslCtx& ctx = g_openssl[static_cast<int>(kind)];
  for (auto _ : state) {
    if (!openssl_handshake(ctx, false)) {
      state.SkipWithError("OpenSSL did not resume");
      break;
    }
  }
  bench::count_handshakes(state);
}

// ---------------------------------------------------------------- ratio table

void print_ratios(std::map<std::string, std::map<std::string, double>>& rates) {
  const auto& cpu = crypto::cpu_features();
  std::printf("\nResumed handshakes per second, ours / OpenSSL libssl in this run (above 1: tls12 faster).\n"
              "CPU paths: sha_ni=%d aesni=%d; %s (tickets: AES-256-GCM, same engine)\n",
              cpu.sha_ni, cpu.aesni, bench::cpu_paths().c_str());
  std::printf("%-12s %12s %12s %8s\n", "resumption", "tls12", "OpenSSL", "ratio");
  for (Kind kind : {Kind::session_id, Kind::ticket}) {
    auto& row = rates[kind_name(kind)];
    if (!row.count("tls12") || !row.count("openssl")) continue;
    std::printf("%-12s %12.0f %12.0f %8.2f\n", kind_name(kind), row["tls12"], row["openssl"],
                row["tls12"] / row["openssl"]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  bench::make_pki("tls12-bench-resume-pki-", "server");
  setup_ours();
  setup_openssl();
  for (Kind kind : {Kind::session_id, Kind::ticket}) {
    std::string base = std::string("resumption/") + kind_name(kind);
    benchmark::RegisterBenchmark((base + "/tls12").c_str(), [kind](benchmark::State& s) { BM_ours(s, kind); })
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((base + "/openssl").c_str(), [kind](benchmark::State& s) { BM_openssl(s, kind); })
        ->Unit(benchmark::kMicrosecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios(reporter.rates);
  std::filesystem::remove_all(bench::g_pki);
  return 0;
}
