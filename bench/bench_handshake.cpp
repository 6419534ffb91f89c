// Full TLS 1.2 handshakes per second in memory, ours beside OpenSSL's libssl
// in the same run, and the heap an established idle connection holds on each
// side.
//
// Both stacks do the same work per handshake: a client and a server in one
// process, an RSA-2048 server certificate, rsa_pkcs1_sha256 signatures (so
// both sign and verify with the same RSA operations), the client verifying
// the server's chain, no session cache or tickets (every handshake is full).
//   ECDHE x25519         TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
//   RSA key exchange     TLS_RSA_WITH_AES_128_GCM_SHA256
//   mutual auth          ECDHE x25519 with an RSA-2048 client certificate
//   ECDHE-ECDSA          TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 over secp256r1
//                        with a P-256 server certificate (ecdsa_secp256r1_sha256
//                        signatures; the chain's CA is still RSA-2048)
// OpenSSL runs with SSL_CTX_set1_sigalgs_list(ctx, "RSA+SHA256") (ECDSA+SHA256
// and groups P-256 for the last) over memory BIOs. After the run a table gives ours/OpenSSL for each (above 1: tls12
// faster), and the heap bytes per idle connection: ours counted with a
// replaced global operator new/delete, OpenSSL's with CRYPTO_set_mem_functions.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <new>
#include <string>

#include "bench/bench_support.h"
#include "crypto/aead.h"
#include "crypto/cpu.h"
#include "protocol/connection.h"
#include "x509/path_validation.h"

// ---------------------------------------------------------------- heap counting
// Bytes currently allocated through operator new (ours) and through OpenSSL's
// allocator hooks, by usable size, so that frees subtract what was added.
// The replaced operator new/delete below are malloc/free underneath, which
// GCC cannot see once it inlines them into callers; its mismatch warning does
// not apply here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
static std::atomic<long long> g_new_bytes{0};
static std::atomic<long long> g_openssl_bytes{0};

void* operator new(size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  g_new_bytes += static_cast<long long>(malloc_usable_size(p));
  return p;
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  g_new_bytes -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }
// Over-aligned types (the AES-GCM key schedules are alignas(64)) come through
// the aligned forms; they must be counted too.
void* operator new(size_t size, std::align_val_t align) {
  size_t a = static_cast<size_t>(align);
  void* p = std::aligned_alloc(a, (size + a - 1) / a * a);
  if (p == nullptr) throw std::bad_alloc();
  g_new_bytes += static_cast<long long>(malloc_usable_size(p));
  return p;
}
void operator delete(void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { operator delete(p); }
void* operator new[](size_t size, std::align_val_t align) { return operator new(size, align); }
void operator delete[](void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { operator delete(p); }
void* operator new[](size_t size) { return operator new(size); }
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete[](void* p, size_t) noexcept { operator delete(p); }

static void* openssl_malloc(size_t n, const char*, int) {
  void* p = std::malloc(n);
  if (p != nullptr) g_openssl_bytes += static_cast<long long>(malloc_usable_size(p));
  return p;
}
static void* openssl_realloc(void* p, size_t n, const char*, int) {
  long long before = p != nullptr ? static_cast<long long>(malloc_usable_size(p)) : 0;
  void* q = std::realloc(p, n);
  if (q != nullptr) g_openssl_bytes += static_cast<long long>(malloc_usable_size(q)) - before;
  else if (n == 0) g_openssl_bytes -= before;
  return q;
}
static void openssl_free(void* p, const char*, int) {
  if (p != nullptr) g_openssl_bytes -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}

namespace {

using namespace tls12;
using bench::check;
using bench::pki;
using bench::SslPair;
namespace suites = handshake::suites;

enum class Kind { ecdhe, rsa, mutual, ecdsa };
constexpr Kind kKinds[] = {Kind::ecdhe, Kind::rsa, Kind::mutual, Kind::ecdsa};
const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::ecdhe: return "ECDHE-x25519";
    case Kind::rsa: return "RSA-kx";
    case Kind::mutual: return "ECDHE-mutual";
    case Kind::ecdsa: return "ECDHE-ECDSA-P256";
  }
  return "?";
}

handshake::CipherSuite suite_of(Kind kind) {
  if (kind == Kind::rsa) return suites::TLS_RSA_WITH_AES_128_GCM_SHA256;
  if (kind == Kind::ecdsa) return suites::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
  return suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
}

// ---------------------------------------------------------------- ours
struct Ours {
  std::shared_ptr<const protocol::ServerConfig> server[4];
  std::shared_ptr<const protocol::ClientConfig> client[4];
};
Ours* g_ours = nullptr;

void setup_ours() {
  g_ours = new Ours;
  auto trust = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(pki("ca.pem")));
  auto server_key = handshake::CertifiedKey::load(pki("server.pem"), pki("server.key"));
  auto client_key = handshake::CertifiedKey::load(pki("client.pem"), pki("client.key"));
  auto ec_server_key = handshake::CertifiedKey::load(pki("ec-server.pem"), pki("ec-server.key"));
  for (Kind kind : kKinds) {
    int i = static_cast<int>(kind);
    const auto suite = suite_of(kind);
    const auto scheme = kind == Kind::ecdsa ? handshake::SignatureScheme::ecdsa_secp256r1_sha256
                                            : handshake::SignatureScheme::rsa_pkcs1_sha256;
    const auto group = kind == Kind::ecdsa ? handshake::NamedGroup::secp256r1 : handshake::NamedGroup::x25519;
    protocol::ServerConfig server;
    server.certificate = kind == Kind::ecdsa ? ec_server_key : server_key;
    server.trust_store = trust;
    server.cipher_suites = {suite};
    server.groups = {group};
    // The ECDSA leaf is issued by the RSA CA: the client verifies one RSA
    // signature on the chain and one ECDSA signature on ServerKeyExchange.
    server.signature_schemes = {scheme};
    if (kind == Kind::mutual) server.client_authentication = protocol::ClientAuthentication::required;
    server.aead_implementation = crypto::AeadImplementation::aesni;
    g_ours->server[i] = std::make_shared<const protocol::ServerConfig>(std::move(server));
    protocol::ClientConfig client;
    client.trust_store = trust;
    client.server_name = "localhost";
    client.cipher_suites = {suite};
    client.groups = {group};
    client.signature_schemes = {scheme};
    if (kind == Kind::mutual) client.client_certificate = client_key;
    // This program measures the handshake; the record path has bench_record.
    // AES-NI protects the two Finished records, which keeps the numbers
    // independent of the wide-vector (VAES) AES-GCM path.
    client.aead_implementation = crypto::AeadImplementation::aesni;
    g_ours->client[i] = std::make_shared<const protocol::ClientConfig>(std::move(client));
  }
}

// One full handshake; the connections are returned established and idle.
std::pair<protocol::Connection, protocol::Connection> our_handshake(Kind kind) {
  int i = static_cast<int>(kind);
  protocol::Connection client(g_ours->client[i]);
  protocol::Connection server(g_ours->server[i]);
  bench::complete_handshake(client, server);
  return {std::move(client), std::move(server)};
}

void BM_ours(benchmark::State& state, Kind kind) {
  for (auto _ : state) {
    auto pair = our_handshake(kind);
    benchmark::DoNotOptimize(pair);
  }
  bench::count_handshakes(state);
}

// ---------------------------------------------------------------- OpenSSL
struct OpensslCtx {
  SSL_CTX* server = nullptr;
  SSL_CTX* client = nullptr;
};
OpensslCtx g_openssl[4];

void setup_openssl() {
  for (Kind kind : kKinds) {
    OpensslCtx& ctx = g_openssl[static_cast<int>(kind)];
    const std::string suite(handshake::find_cipher_suite(suite_of(kind))->openssl_name);
    const bool ecdsa = kind == Kind::ecdsa;
    ctx.server = SSL_CTX_new(TLS_server_method());
    ctx.client = SSL_CTX_new(TLS_client_method());
    for (SSL_CTX* c : {ctx.server, ctx.client}) {
      check(SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION), "min version");
      check(SSL_CTX_set_max_proto_version(c, TLS1_2_VERSION), "max version");
      check(SSL_CTX_set_cipher_list(c, suite.c_str()), "cipher list");
      // The client also checks the RSA CA's signature on the ECDSA leaf.
      check(SSL_CTX_set1_sigalgs_list(c, ecdsa ? "ECDSA+SHA256:RSA+SHA256" : "RSA+SHA256"), "sigalgs");
      check(SSL_CTX_set1_groups_list(c, ecdsa ? "P-256" : "X25519"), "groups");
      SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
      SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
      check(SSL_CTX_load_verify_locations(c, pki("ca.pem").c_str(), nullptr), "CA");
    }
    const std::string cert = pki(ecdsa ? "ec-server.pem" : "server.pem");
    const std::string key = pki(ecdsa ? "ec-server.key" : "server.key");
    check(SSL_CTX_use_certificate_chain_file(ctx.server, cert.c_str()), "server cert");
    check(SSL_CTX_use_PrivateKey_file(ctx.server, key.c_str(), SSL_FILETYPE_PEM), "server key");
    SSL_CTX_set_verify(ctx.client, SSL_VERIFY_PEER, nullptr);
    if (kind == Kind::mutual) {
      check(SSL_CTX_use_certificate_chain_file(ctx.client, pki("client.pem").c_str()), "client cert");
      check(SSL_CTX_use_PrivateKey_file(ctx.client, pki("client.key").c_str(), SSL_FILETYPE_PEM), "client key");
      SSL_CTX_set_verify(ctx.server, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    }
  }
}

SslPair openssl_handshake(Kind kind) {
  const OpensslCtx& ctx = g_openssl[static_cast<int>(kind)];
  return bench::openssl_handshake(ctx.client, ctx.server);
}

void BM_openssl(benchmark::State& state, Kind kind) {
  for (auto _ : state) {
    SslPair pair = openssl_handshake(kind);
    SSL_free(pair.client);
    SSL_free(pair.server);
  }
  bench::count_handshakes(state);
}

// ---------------------------------------------------------------- ratio table
// Heap held by one established, idle connection on each side: allocate a
// pair, then free each side and see how much memory goes.
struct HeapPair {
  long long client = 0;
  long long server = 0;
};

// Ours, in the default mode or with EngineConfig::release_buffers_when_idle.
HeapPair our_idle_heap(bool release) {
  const int i = static_cast<int>(Kind::ecdhe);
  auto client_config = std::make_shared<protocol::ClientConfig>(*g_ours->client[i]);
  auto server_config = std::make_shared<protocol::ServerConfig>(*g_ours->server[i]);
  client_config->release_buffers_when_idle = server_config->release_buffers_when_idle = release;
  auto client = std::make_unique<protocol::Connection>(std::shared_ptr<const protocol::ClientConfig>(client_config));
  auto server = std::make_unique<protocol::Connection>(std::shared_ptr<const protocol::ServerConfig>(server_config));
  bench::complete_handshake(*client, *server);
  HeapPair heap;
  long long before = g_new_bytes;
  client.reset();
  heap.client = before - g_new_bytes;
  before = g_new_bytes;
  server.reset();
  heap.server = before - g_new_bytes;
  return heap;
}

void print_heap() {
  const HeapPair kept = our_idle_heap(false), released = our_idle_heap(true);
  long long ossl_client = 0, ossl_server = 0;
  {
    SslPair pair = openssl_handshake(Kind::ecdhe);
    long long before = g_openssl_bytes;
    SSL_free(pair.client);
    ossl_client = before - g_openssl_bytes;
    before = g_openssl_bytes;
    SSL_free(pair.server);
    ossl_server = before - g_openssl_bytes;
  }
  std::printf("\nHeap per established idle connection (ECDHE, AES-128-GCM), bytes; tls12 by default and with\n"
              "release_buffers_when_idle (tls12 server's default), ratios to OpenSSL (below 1: tls12 smaller):\n");
  std::printf("%-8s %10s %10s %10s %8s %8s\n", "side", "tls12", "released", "OpenSSL", "ratio", "ratio");
  const auto row = [](const char* side, long long ours, long long released_bytes, long long theirs) {
    std::printf("%-8s %10lld %10lld %10lld %8.2f %8.2f\n", side, ours, released_bytes, theirs,
                static_cast<double>(ours) / static_cast<double>(theirs),
                static_cast<double>(released_bytes) / static_cast<double>(theirs));
  };
  row("client", kept.client, released.client, ossl_client);
  row("server", kept.server, released.server, ossl_server);
}

void print_ratios(std::map<std::string, std::map<std::string, double>>& rates) {
  const auto& cpu = crypto::cpu_features();
  std::printf("\nFull handshakes per second, ours / OpenSSL libssl in this run (above 1: tls12 faster).\n"
              "CPU paths: sha_ni=%d aesni=%d bmi2=%d adx=%d; %s\n",
              cpu.sha_ni, cpu.aesni, cpu.bmi2, cpu.adx, bench::cpu_paths().c_str());
  std::printf("%-18s %12s %12s %8s\n", "handshake", "tls12", "OpenSSL", "ratio");
  for (Kind kind : kKinds) {
    auto& row = rates[kind_name(kind)];
    if (!row.count("tls12") || !row.count("openssl")) continue;
    std::printf("%-18s %12.0f %12.0f %8.2f\n", kind_name(kind), row["tls12"], row["openssl"],
                row["tls12"] / row["openssl"]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Before OpenSSL allocates anything.
  CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free);
  bench::make_pki("tls12-bench-pki-", "server client");
  bench::make_ec_leaf("ec-server");
  setup_ours();
  setup_openssl();
  for (Kind kind : kKinds) {
    std::string base = std::string("handshake/") + kind_name(kind);
    benchmark::RegisterBenchmark((base + "/tls12").c_str(), [kind](benchmark::State& s) { BM_ours(s, kind); })
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((base + "/openssl").c_str(), [kind](benchmark::State& s) { BM_openssl(s, kind); })
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios(reporter.rates);
  print_heap();
  std::filesystem::remove_all(bench::g_pki);
  return 0;
}
