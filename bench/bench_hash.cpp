// SHA-256, SHA-384, SHA-512 and HMAC-SHA256 throughput: tls12 against
// OpenSSL's EVP and libsodium, at 64 B, 1 KiB and 16 KiB, all in one run.
//
// The machine is shared and noisy, so the numbers that mean something are the
// ratios printed after the run (ours / OpenSSL and ours / libsodium in CPU time
// per operation, which other processes on the machine disturb less than wall
// time: below 1 means we are faster). SHA-256 and SHA-384/512 run both our
// compression functions: "tls12" is what the library selects (SHA-NI, or the
// AVX2 message schedule for SHA-512, when the CPU has them), "tls12-portable"
// the FIPS 180-4 reference.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "crypto/cpu.h"
#include "crypto/hmac.h"
#include "crypto/random.h"
#include "crypto/sha2.h"

namespace {

using namespace tls12;
using namespace tls12::crypto;

constexpr size_t kSizes[] = {64, 1024, 16384};

Bytes message(size_t n) {
  Bytes m(n);
  random_bytes(m);
  return m;
}

const Bytes& hmac_key() {
  static const Bytes key = message(32);
  return key;
}

// Time per operation by "primitive size" and implementation, for the ratio
// table printed after the run.
using ResultKey = std::pair<std::string, long>;  // primitive, message size
std::map<ResultKey, std::map<std::string, double>>& results() {
  static std::map<ResultKey, std::map<std::string, double>> r;
  return r;
}

// Runs `op` over a message of state.range(0) bytes and records its time.
template <class Op>
void run(benchmark::State& state, Op op) {
  const Bytes m = message(static_cast<size_t>(state.range(0)));
  for (auto _ : state) op(m);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// Google Benchmark reports its own timings; this reporter also keeps them to
// compute the ratios.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.iterations == 0) continue;
      // Names look like "SHA-256/tls12/1024".
      const std::string name = run.benchmark_name();
      const auto first = name.find('/');
      const auto last = name.rfind('/');
      if (first == std::string::npos || first == last) continue;
      const ResultKey key{name.substr(0, first), std::stol(name.substr(last + 1))};
      const std::string impl = name.substr(first + 1, last - first - 1);
      results()[key][impl] = run.GetAdjustedCPUTime();
    }
  }
};

void print_ratios() {
  const CpuFeatures& cpu = cpu_features();
  std::printf("\nRatios in CPU time per operation (below 1: tls12 faster). SHA-NI %s; SHA-512 %s.\n",
              cpu.sha_ni ? "available and used by tls12" : "not available",
              detail::sha512_compress_selected() == &detail::sha512_compress_avx512vl ? "with the AVX-512VL schedule"
              : detail::sha512_compress_selected() == &detail::sha512_compress_avx2   ? "with the AVX2 schedule"
                                                                                      : "portable");
  std::printf("%-22s %14s %14s %17s\n", "primitive / size", "tls12/OpenSSL", "tls12/sodium",
              "portable/OpenSSL");
  for (const auto& entry : results()) {
    const std::string key = entry.first.first + " " + std::to_string(entry.first.second) + " B";
    const auto& impls = entry.second;
    const auto get = [&](const char* n) {
      const auto it = impls.find(n);
      return it == impls.end() ? 0.0 : it->second;
    };
    const double ours = get("tls12"), openssl = get("openssl"), sodium = get("libsodium"),
                 portable = get("tls12-portable");
    const auto ratio = [](double a, double b) {
      char buf[32];
      if (a > 0 && b > 0)
        std::snprintf(buf, sizeof buf, "%.2f", a / b);
      else
        std::snprintf(buf, sizeof buf, "-");
      return std::string(buf);
    };
    std::printf("%-22s %14s %14s %17s\n", key.c_str(), ratio(ours, openssl).c_str(),
                ratio(ours, sodium).c_str(), ratio(portable, openssl).c_str());
  }
}

// ------------------------------------------------------------ SHA-256

void sha256_tls12(benchmark::State& state) {
  run(state, [](const Bytes& m) { benchmark::DoNotOptimize(sha256(m)); });
}

void sha256_portable(benchmark::State& state) {
  // The portable compression function over the whole blocks, plus the same
  // padding work a hash does (one more block), without the dispatcher.
  run(state, [](const Bytes& m) {
    std::array<uint32_t, 8> h = {0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
                                 0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U};
    std::array<uint8_t, 64> last{};
    detail::sha256_compress_portable(h, m.data(), m.size() / 64);
    detail::sha256_compress_portable(h, last.data(), 1);
    benchmark::DoNotOptimize(h);
  });
}

void sha256_openssl(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[32];
    unsigned int len;
    EVP_Digest(m.data(), m.size(), md, &len, EVP_sha256(), nullptr);
    benchmark::DoNotOptimize(md);
  });
}

void sha256_sodium(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, m.data(), m.size());
    benchmark::DoNotOptimize(md);
  });
}

// ------------------------------------------------------------ SHA-384, SHA-512

// The portable SHA-512 compression over the whole blocks plus one for padding,
// as sha256_portable does (SHA-384 is the same work).
void sha512_portable(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    std::array<uint64_t, 8> h = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                 0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                 0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
    std::array<uint8_t, 128> last{};
    detail::sha512_compress_portable(h, m.data(), m.size() / 128);
    detail::sha512_compress_portable(h, last.data(), 1);
    benchmark::DoNotOptimize(h);
  });
}

void sha512_tls12(benchmark::State& state) {
  run(state, [](const Bytes& m) { benchmark::DoNotOptimize(sha512(m)); });
}

void sha512_openssl(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[64];
    unsigned int len;
    EVP_Digest(m.data(), m.size(), md, &len, EVP_sha512(), nullptr);
    benchmark::DoNotOptimize(md);
  });
}

void sha512_sodium(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(md, m.data(), m.size());
    benchmark::DoNotOptimize(md);
  });
}

void sha384_tls12(benchmark::State& state) {
  run(state, [](const Bytes& m) { benchmark::DoNotOptimize(sha384(m)); });
}

void sha384_openssl(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[48];
    unsigned int len;
    EVP_Digest(m.data(), m.size(), md, &len, EVP_sha384(), nullptr);
    benchmark::DoNotOptimize(md);
  });
}

// ------------------------------------------------------------ HMAC-SHA256
// Each operation includes the key set-up, as a single MAC would.

void hmac_tls12(benchmark::State& state) {
  run(state,
      [](const Bytes& m) { benchmark::DoNotOptimize(hmac(HashAlgorithm::sha256, hmac_key(), m)); });
}

void hmac_openssl(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[32];
    unsigned int len;
    HMAC(EVP_sha256(), hmac_key().data(), static_cast<int>(hmac_key().size()), m.data(), m.size(),
         md, &len);
    benchmark::DoNotOptimize(md);
  });
}

void hmac_sodium(benchmark::State& state) {
  run(state, [](const Bytes& m) {
    uint8_t md[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, hmac_key().data(), hmac_key().size());
    crypto_auth_hmacsha256_update(&st, m.data(), m.size());
    crypto_auth_hmacsha256_final(&st, md);
    benchmark::DoNotOptimize(md);
  });
}

void register_all() {
  const std::pair<const char*, void (*)(benchmark::State&)> benches[] = {
      {"SHA-256/tls12", sha256_tls12},        {"SHA-256/tls12-portable", sha256_portable},
      {"SHA-256/openssl", sha256_openssl},    {"SHA-256/libsodium", sha256_sodium},
      {"SHA-384/tls12", sha384_tls12},        {"SHA-384/tls12-portable", sha512_portable},
      {"SHA-384/openssl", sha384_openssl},    {"SHA-512/tls12", sha512_tls12},
      {"SHA-512/tls12-portable", sha512_portable}, {"SHA-512/openssl", sha512_openssl},
      {"SHA-512/libsodium", sha512_sodium},
      {"HMAC-SHA256/tls12", hmac_tls12},      {"HMAC-SHA256/openssl", hmac_openssl},
      {"HMAC-SHA256/libsodium", hmac_sodium},
  };
  for (const auto& [name, fn] : benches) {
    auto* b = benchmark::RegisterBenchmark(name, fn);
    for (size_t size : kSizes) b->Arg(static_cast<int64_t>(size));
  }
}

}  // namespace

int main(int argc, char** argv) {
  ensure_sodium();
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios();
  return 0;
}
