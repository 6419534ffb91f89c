// Making keys and certificates (`tls12 pki`): RSA-2048 key generation, ours
// (crypto/rsa_keygen.cpp) against OpenSSL's (EVP_RSA_gen, what `openssl
// genpkey -algorithm RSA` runs, measured in process so that starting a
// program is not counted), and certificate issuance per second
// (x509/issue.cpp: build the TBSCertificate, sign it with an RSA-2048 or
// Ed25519 CA key, parse the result back and verify its signature).
//
// The time to find a prime is random (a candidate is prime with probability
// about 1/355 at 1024 bits), so one key generation says little: each side
// runs many times and the medians are compared. The machine is shared:
// compare the ratio, not the absolute numbers.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <string>

#include "crypto/rsa_keygen.h"
#include "x509/issue.h"
#include "x509/key_writer.h"

namespace tls12::bench {
namespace {

constexpr int kKeygenRuns = 41;

void BM_RsaKeygen_ours(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(crypto::rsa_generate_key(2048));
}

void BM_RsaKeygen_openssl(benchmark::State& state) {
  for (auto _ : state) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    benchmark::DoNotOptimize(key);
    EVP_PKEY_free(key);
  }
}

void issue(benchmark::State& state, x509::KeyType ca_type) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const x509::GeneratedKey ca_key = x509::generate_key(ca_type);
  const x509::GeneratedKey leaf_key = x509::generate_key(x509::KeyType::ed25519);
  x509::CertificateTemplate ca;
  ca.profile = x509::CertificateProfile::ca;
  ca.subject = x509::encode_distinguished_name("/CN=bench CA");
  ca.subject_public_key_info = x509::encode_subject_public_key_info(x509::public_key_of(ca_key.key));
  ca.not_before = now;
  ca.not_after = now + 86400;
  const Bytes ca_der = x509::issue_certificate(ca, x509::self_issuer(ca.subject, ca_key.key), now);
  const x509::Issuer issuer = x509::issuer_from(x509::Certificate::parse(ca_der), ca_key.key);
  x509::CertificateTemplate server = ca;
  server.profile = x509::CertificateProfile::server;
  server.subject = x509::encode_distinguished_name("/CN=localhost");
  server.subject_public_key_info = x509::encode_subject_public_key_info(x509::public_key_of(leaf_key.key));
  server.alt_names = x509::parse_subject_alt_names({"localhost", "127.0.0.1"});
  for (auto _ : state) benchmark::DoNotOptimize(x509::issue_certificate(server, issuer, now));
  state.SetItemsProcessed(state.iterations());
}

void BM_Issue_rsa2048_ca(benchmark::State& state) { issue(state, x509::KeyType::rsa2048); }
void BM_Issue_ed25519_ca(benchmark::State& state) { issue(state, x509::KeyType::ed25519); }
void BM_Issue_p256_ca(benchmark::State& state) { issue(state, x509::KeyType::p256); }

// Console output as usual, plus the medians of the key generation runs and
// the ratio, after the run.
class MedianReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> median_ms;
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs)
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median")
        median_ms[run.run_name.function_name] = run.GetAdjustedRealTime();  // registered in milliseconds
  }
};

}  // namespace
}  // namespace tls12::bench

int main(int argc, char** argv) {
  using namespace tls12::bench;
  benchmark::Initialize(&argc, argv);
  using Fn = void (*)(benchmark::State&);
  for (auto [name, fn] : {std::pair<const char*, Fn>{"BM_RsaKeygen_ours", BM_RsaKeygen_ours},
                          std::pair<const char*, Fn>{"BM_RsaKeygen_openssl", BM_RsaKeygen_openssl}})
    benchmark::RegisterBenchmark(name, fn)
        ->Iterations(1)
        ->Repetitions(kKeygenRuns)
        ->ReportAggregatesOnly(true)
        ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_Issue_rsa2048_ca", BM_Issue_rsa2048_ca)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Issue_ed25519_ca", BM_Issue_ed25519_ca)->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_Issue_p256_ca", BM_Issue_p256_ca)->Unit(benchmark::kMicrosecond);
  MedianReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  const double ours = reporter.median_ms["BM_RsaKeygen_ours"], theirs = reporter.median_ms["BM_RsaKeygen_openssl"];
  if (ours > 0 && theirs > 0)
    std::printf("\nRSA-2048 key generation, median of %d runs: ours %.1f ms, OpenSSL %.1f ms, ours/OpenSSL time %.2f\n",
                kKeygenRuns, ours, theirs, ours / theirs);
  benchmark::Shutdown();
  return 0;
}
