// Shared by the in-memory handshake benchmarks (bench_handshake: full
// handshakes, RFC 5246 §7.3; bench_resumption: abbreviated ones, §7.3 and
// RFC 5077): a throw-away RSA-2048 PKI made with the openssl tool, a
// handshake of our two Connection objects driven in memory, the same over
// OpenSSL's memory BIO pair, and a console reporter that keeps each run's
// handshakes/s so the program can print ours/OpenSSL after the run; and the
// operations-per-second reporter of the crypto benchmarks.
#pragma once

#include <benchmark/benchmark.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "crypto/aead.h"
#include "crypto/bignum.h"
#include "protocol/connection.h"

namespace tls12::bench {

// ---------------------------------------------------------------- test PKI

inline std::filesystem::path g_pki;

// A CA and an RSA-2048 leaf for "localhost" per name in `leaves` (e.g.
// "server client"), each as NAME.pem / NAME.key under a fresh temporary
// directory; `prefix` keeps the programs' directories apart.
inline void make_pki(const std::string& prefix, const std::string& leaves) {
  g_pki = std::filesystem::temp_directory_path() / (prefix + std::to_string(getpid()));
  std::filesystem::create_directories(g_pki);
  std::string script =
      "cd '" + g_pki.string() + "' && "
      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ca.key 2>/dev/null && "
      "openssl req -x509 -new -key ca.key -sha256 -days 30 -subj '/CN=bench CA' -out ca.pem && "
      "printf 'basicConstraints=CA:FALSE\\nsubjectAltName=DNS:localhost\\n' > leaf.cnf && "
      "for n in " + leaves + "; do "
      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $n.key 2>/dev/null && "
      "openssl req -new -key $n.key -subj \"/CN=localhost\" -out $n.csr && "
      "openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 "
      "-extfile leaf.cnf -out $n.pem 2>/dev/null; done";
  if (std::system(script.c_str()) != 0) {
    std::fprintf(stderr, "making the benchmark PKI failed\n");
    std::exit(1);
  }
}

// A P-256 leaf for "localhost", NAME.pem / NAME.key, issued by make_pki's CA.
inline void make_ec_leaf(const std::string& name) {
  std::string script =
      "cd '" + g_pki.string() + "' && "
      "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + name + ".key && "
      "openssl req -new -key " + name + ".key -subj /CN=localhost -out " + name + ".csr && "
      "openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -sha256 "
      "-extfile leaf.cnf -out " + name + ".pem 2>/dev/null";
  if (std::system(script.c_str()) != 0) {
    std::fprintf(stderr, "making the benchmark P-256 certificate failed\n");
    std::exit(1);
  }
}

inline std::string pki(const char* name) { return (g_pki / name).string(); }

// The paths this run took, for the line under each ratio table: the AES-GCM
// engine records use ("vaes", "aesni" or "reference") and the RSA-2048 one.
inline std::string cpu_paths() {
  const auto gcm = crypto::make_aead(crypto::AeadAlgorithm::aes_128_gcm, Bytes(16, 0));
  return "AES-128-GCM records on the " + std::string(gcm->implementation()) + " engine, RSA-2048 " +
         (crypto::ifma_available() ? "with AVX-512 IFMA" : "with 64-bit limbs");
}

// ---------------------------------------------------------------- ours

// Hands each side's output to the other until both are quiet; a handshake
// that does not complete ends the program (a benchmark of a failure would
// only measure how fast we give up).
inline void complete_handshake(protocol::Connection& client, protocol::Connection& server) {
  // Views and counts (pending_output/consume_output): no vector per flight.
  for (int round = 0; round < 10; ++round) {
    ByteView to_server = client.pending_output();
    const size_t sent = to_server.size();
    server.feed(to_server);
    client.consume_output(sent);
    ByteView to_client = server.pending_output();
    const size_t answered = to_client.size();
    if (sent == 0 && answered == 0) break;
    client.feed(to_client);
    server.consume_output(answered);
  }
  if (!client.handshake_complete() || !server.handshake_complete()) {
    std::fprintf(stderr, "our handshake failed: %s / %s\n", client.error().c_str(), server.error().c_str());
    std::exit(1);
  }
}

// ---------------------------------------------------------------- OpenSSL

inline void check(int ok, const char* what) {
  if (ok != 1) {
    std::fprintf(stderr, "OpenSSL: %s failed\n", what);
    ERR_print_errors_fp(stderr);
    std::exit(1);
  }
}

struct SslPair {
  SSL* client;
  SSL* server;
};

// One handshake between new SSL objects over a memory BIO pair, the client
// offering `session` when it is not null; returns both ends established.
inline SslPair openssl_handshake(SSL_CTX* client_ctx, SSL_CTX* server_ctx, SSL_SESSION* session = nullptr) {
  SslPair pair{SSL_new(client_ctx), SSL_new(server_ctx)};
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  BIO_new_bio_pair(&client_bio, 0, &server_bio, 0);
  SSL_set_bio(pair.client, client_bio, client_bio);
  SSL_set_bio(pair.server, server_bio, server_bio);
  SSL_set_tlsext_host_name(pair.client, "localhost");
  SSL_set1_host(pair.client, "localhost");
  if (session != nullptr) SSL_set_session(pair.client, session);
  SSL_set_connect_state(pair.client);
  SSL_set_accept_state(pair.server);
  bool client_done = false, server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    if (!client_done) client_done = SSL_do_handshake(pair.client) == 1;
    if (!server_done) server_done = SSL_do_handshake(pair.server) == 1;
  }
  if (!client_done || !server_done) {
    std::fprintf(stderr, "OpenSSL handshake failed\n");
    ERR_print_errors_fp(stderr);
    std::exit(1);
  }
  return pair;
}

// ---------------------------------------------------------------- ratio table

inline void count_handshakes(benchmark::State& state) {
  state.counters["handshakes/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Prints as the console reporter does and keeps handshakes/s of each run
// named "GROUP/KIND/STACK" as rates[KIND][STACK].
//
// With --benchmark_repetitions, every repetition and then the aggregates come
// by; the median, reported last, is the rate kept (the mean, standard
// deviation and coefficient of variation are not rates). With
// --benchmark_report_aggregates_only only the aggregates come by.
inline bool is_rate_to_keep(const benchmark::BenchmarkReporter::Run& run) {
  return run.run_type != benchmark::BenchmarkReporter::Run::RT_Aggregate || run.aggregate_name == "median";
}

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, std::map<std::string, double>> rates;

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || !is_rate_to_keep(run)) continue;
      const std::string& name = run.run_name.function_name;
      auto first = name.find('/'), second = name.rfind('/');
      auto rate = run.counters.find("handshakes/s");
      if (first == std::string::npos || rate == run.counters.end()) continue;
      rates[name.substr(first + 1, second - first - 1)][name.substr(second + 1)] = rate->second.value;
    }
  }
};

// For the crypto benchmarks (bench_rsa, bench_ec): console output as usual,
// plus the operation rate (items/s) of each run registered as "OP/ours" and
// "OP/openssl" (an argument suffix such as "/2048" is dropped), and a table of
// ours/OpenSSL per OP after the run.
class OperationRatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      auto it = run.counters.find("items_per_second");
      if (it == run.counters.end() || run.error_occurred || !is_rate_to_keep(run)) continue;
      std::string name = run.benchmark_name();
      const size_t arg = name.rfind('/');  // drop the "/2048" argument suffix
      if (arg != std::string::npos) name.resize(arg);
      const size_t side = name.rfind('/');
      rates_[name.substr(0, side)][name.substr(side + 1)] = it->second.value;
    }
  }
  void print_summary() const {
    std::printf("\n%-44s %12s %12s %10s\n", "operation", "ours op/s", "OpenSSL op/s", "ours/OpenSSL");
    for (const auto& [op, sides] : rates_) {
      auto o = sides.find("ours"), s = sides.find("openssl");
      if (o == sides.end() || s == sides.end() || s->second == 0) continue;
      std::printf("%-44s %12.0f %12.0f %10.2f\n", op.c_str(), o->second, s->second, o->second / s->second);
    }
  }

 private:
  std::map<std::string, std::map<std::string, double>> rates_;
};

// main() of a crypto benchmark: register, run with the ratio reporter, print
// the table and `footer` (which implementations ran).
inline int run_with_ratio_table(int argc, char** argv, void (*register_all)(), const std::string& footer) {
  benchmark::Initialize(&argc, argv);
  register_all();
  OperationRatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_summary();
  std::printf("%s", footer.c_str());
  benchmark::Shutdown();
  return 0;
}

}  // namespace tls12::bench
