// The record path, side by side with OpenSSL's (RFC 5246 §6.2.3.3 records with
// RFC 5288 AES-GCM and RFC 7905 ChaCha20-Poly1305, and §6.2.3.2 AES-CBC with
// HMAC-SHA1 / HMAC-SHA256, MAC-then-encrypt).
//
// Ours: RecordLayer::write (fragment, header, explicit nonce, seal in place
// into the output buffer) and, for opening, RecordLayer::feed + next (copy into
// the input buffer, header parse and checks, open in place, content-type
// rules). OpenSSL: SSL_write and SSL_read on a client/server pair joined by an
// in-memory BIO pair after a real handshake with the same suite.
//
// Differences worth knowing when reading the ratios: SSL_read copies the
// plaintext into the caller's buffer, while our next() hands out a view of the
// plaintext where it was decrypted (that is the design, not a shortcut: the
// bytes are authenticated and readable in place). Both sides copy the incoming
// record once into their input buffer.
//
// After the run, a table prints ours/OpenSSL for each suite, size and
// direction, with the AES-GCM implementation ours used (vaes, aesni, ...),
// and a second one how much of each side's raw AEAD speed its record path
// keeps (the "raw-seal" runs are the AEAD alone, ours and EVP).
//
// The CBC suites run MAC-then-encrypt on both sides (OpenSSL with
// SSL_OP_NO_ENCRYPT_THEN_MAC), which is where OpenSSL uses its stitched
// AES-NI+SHA code; ours opens them with the constant-time check
// (record/cbc_protection.cpp), which hashes up to 256 bytes more than the
// content to keep the time independent of the padding.
#include <benchmark/benchmark.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/aead.h"
#include "crypto/aes.h"
#include "record/record_layer.h"
#include "tests/support/libssl_identity.h"

using namespace tls12;
using namespace tls12::record;

namespace {

struct Suite {
  const char* openssl_name;
  crypto::AeadAlgorithm aead;
  std::optional<crypto::HashAlgorithm> mac;  // set for the CBC suites (AES-128)
  const char* label;                         // the name in the tables
};

const Suite kSuites[] = {
    {"ECDHE-RSA-AES128-GCM-SHA256", crypto::AeadAlgorithm::aes_128_gcm, std::nullopt, "AES-128-GCM"},
    {"ECDHE-RSA-AES256-GCM-SHA384", crypto::AeadAlgorithm::aes_256_gcm, std::nullopt, "AES-256-GCM"},
    {"ECDHE-RSA-CHACHA20-POLY1305", crypto::AeadAlgorithm::chacha20_poly1305, std::nullopt, "CHACHA20-POLY1305"},
    {"ECDHE-RSA-AES128-SHA", crypto::AeadAlgorithm::aes_128_gcm, crypto::HashAlgorithm::sha1, "AES-128-CBC-SHA"},
    {"ECDHE-RSA-AES128-SHA256", crypto::AeadAlgorithm::aes_128_gcm, crypto::HashAlgorithm::sha256,
     "AES-128-CBC-SHA256"},
};
const size_t kSizes[] = {16384, 1024};

TrafficKeys bench_keys(crypto::AeadAlgorithm alg) {
  TrafficKeys keys;
  keys.algorithm = alg;
  keys.key.assign(crypto::aead_key_size(alg), 0x5c);
  keys.iv.assign(fixed_iv_length(alg), 0xa3);
  return keys;
}

TrafficKeys bench_keys(const Suite& suite) {
  if (!suite.mac) return bench_keys(suite.aead);
  TrafficKeys keys;
  keys.key.assign(16, 0x5c);
  keys.mac_algorithm = suite.mac;
  keys.mac_key.assign(crypto::digest_size(*suite.mac), 0x3a);
  return keys;
}

// ---- Ours ----

void ours_seal(benchmark::State& state, const Suite* suite, crypto::AeadImplementation impl, size_t size) {
  RecordLayerOptions options;
  options.aead_implementation = impl;
  RecordLayer layer(options);
  layer.install_write_protection(bench_keys(*suite));
  layer.enable_application_data();
  Bytes data(size, 0x61);
  for (auto _ : state) {
    layer.write(ContentType::application_data, data);
    benchmark::DoNotOptimize(layer.output().data());
    layer.consume_output(layer.output().size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

void ours_open(benchmark::State& state, const Suite* suite, crypto::AeadImplementation impl, size_t size) {
  RecordLayerOptions options;
  options.aead_implementation = impl;
  RecordLayer sender(options), receiver(options);
  sender.install_write_protection(bench_keys(*suite));
  receiver.install_read_protection(bench_keys(*suite));
  sender.enable_application_data();
  receiver.enable_application_data();
  sender.write(ContentType::application_data, Bytes(size, 0x61));
  const Bytes record = sender.take_output();
  for (auto _ : state) {
    // The same record each time, so rewind the sequence number it was sealed with.
    receiver.read_protection().set_sequence_number(0);
    receiver.feed(record);
    auto item = receiver.next();
    if (!item || item->data.size() != size) {
      state.SkipWithError("record did not open");
      break;
    }
    benchmark::DoNotOptimize(item->data.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

// The AEAD alone on the same bytes: what the record path adds is the rest.
void ours_raw_seal(benchmark::State& state, crypto::AeadAlgorithm alg, crypto::AeadImplementation impl, size_t size) {
  auto aead = crypto::make_aead(alg, bench_keys(alg).key, impl);
  Bytes data(size, 0x61);
  uint8_t nonce[crypto::Aead::nonce_size] = {}, aad[13] = {}, tag[crypto::Aead::tag_size];
  for (auto _ : state) {
    aead->seal(crypto::Aead::Nonce(nonce, crypto::Aead::nonce_size), ByteView(aad, sizeof aad), data,
               std::span<uint8_t, crypto::Aead::tag_size>(tag, crypto::Aead::tag_size));
    benchmark::DoNotOptimize(tag);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

// ---- OpenSSL ----

const EVP_CIPHER* evp_cipher(crypto::AeadAlgorithm alg) {
  switch (alg) {
    case crypto::AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
    case crypto::AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
    case crypto::AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
  }
  return nullptr;
}

void openssl_raw_seal(benchmark::State& state, crypto::AeadAlgorithm alg, size_t size) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const TrafficKeys keys = bench_keys(alg);
  uint8_t nonce[12] = {}, aad[13] = {}, tag[16];
  EVP_EncryptInit_ex(ctx, evp_cipher(alg), nullptr, keys.key.data(), nonce);
  Bytes data(size, 0x61);
  int len = 0;
  for (auto _ : state) {
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce);
    EVP_EncryptUpdate(ctx, nullptr, &len, aad, sizeof aad);
    EVP_EncryptUpdate(ctx, data.data(), &len, data.data(), static_cast<int>(size));
    EVP_EncryptFinal_ex(ctx, data.data() + len, &len);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag);
    benchmark::DoNotOptimize(tag);
  }
  EVP_CIPHER_CTX_free(ctx);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

template <class T>
using Ptr = tls12::test::SslPtr<T>;

// A connected client/server pair over a BIO pair. The client's half is
// `client_bio`: what the client writes is read from the server's half.
struct OpenSslPair {
  Ptr<SSL_CTX> client_ctx, server_ctx;
  Ptr<SSL> client, server;
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;

  explicit OpenSslPair(const char* suite) {
    client_ctx.reset(SSL_CTX_new(TLS_client_method()));
    server_ctx.reset(SSL_CTX_new(TLS_server_method()));
    for (SSL_CTX* ctx : {client_ctx.get(), server_ctx.get()}) {
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_options(ctx, SSL_OP_NO_ENCRYPT_THEN_MAC);  // CBC: MAC-then-encrypt, as ours
      if (SSL_CTX_set_cipher_list(ctx, suite) != 1) throw std::runtime_error("OpenSSL lacks the suite");
    }
    SSL_CTX_use_certificate(server_ctx.get(), tls12::test::libssl_identity().cert.get());
    SSL_CTX_use_PrivateKey(server_ctx.get(), tls12::test::libssl_identity().key.get());
    client.reset(SSL_new(client_ctx.get()));
    server.reset(SSL_new(server_ctx.get()));
    BIO_new_bio_pair(&client_bio, 65536, &server_bio, 65536);
    SSL_set_bio(client.get(), client_bio, client_bio);
    SSL_set_bio(server.get(), server_bio, server_bio);
    SSL_set_connect_state(client.get());
    SSL_set_accept_state(server.get());
    bool client_done = false, server_done = false;
    for (int i = 0; i < 20 && !(client_done && server_done); ++i) {
      client_done = SSL_do_handshake(client.get()) == 1;
      server_done = SSL_do_handshake(server.get()) == 1;
    }
    if (!client_done || !server_done) throw std::runtime_error("OpenSSL handshake failed");
  }
};

void openssl_seal(benchmark::State& state, const char* suite, size_t size) {
  OpenSslPair pair(suite);
  Bytes data(size, 0x61);
  for (auto _ : state) {
    if (SSL_write(pair.client.get(), data.data(), static_cast<int>(size)) != static_cast<int>(size)) {
      state.SkipWithError("SSL_write failed");
      break;
    }
    // Discard the record without copying it out (the counterpart of our
    // consume_output).
    char* p;
    BIO_nread(pair.server_bio, &p, static_cast<int>(BIO_ctrl_pending(pair.server_bio)));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

void openssl_open(benchmark::State& state, const char* suite, size_t size) {
  OpenSslPair pair(suite);
  Bytes data(size, 0x61), out(size);
  constexpr size_t kPool = 64;
  std::vector<Bytes> pool(kPool);
  size_t next = kPool;
  for (auto _ : state) {
    if (next == kPool) {
      // libssl cannot rewind a sequence number, so records are made ahead, untimed.
      state.PauseTiming();
      for (auto& record : pool) {
        SSL_write(pair.client.get(), data.data(), static_cast<int>(size));
        record.resize(BIO_ctrl_pending(pair.server_bio));
        BIO_read(pair.server_bio, record.data(), static_cast<int>(record.size()));
      }
      next = 0;
      state.ResumeTiming();
    }
    const Bytes& record = pool[next++];
    BIO_write(pair.client_bio, record.data(), static_cast<int>(record.size()));
    if (SSL_read(pair.server.get(), out.data(), static_cast<int>(size)) != static_cast<int>(size)) {
      state.SkipWithError("SSL_read failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
}

// ---- Registration and the ratio table ----

struct Entry {
  std::string suite, op, who;
  size_t size;
};
std::map<std::string, Entry> g_entries;  // benchmark name -> what it measures

std::string implementation_of(const Suite& suite, crypto::AeadImplementation impl) {
  if (suite.mac) return crypto::Aes(Bytes(16, 0)).uses_aesni() ? "aesni" : "reference";
  return std::string(crypto::make_aead(suite.aead, bench_keys(suite.aead).key, impl)->implementation());
}

void register_all() {
  for (const Suite& suite : kSuites) {
    const std::string label = suite.label;
    std::vector<crypto::AeadImplementation> impls{crypto::AeadImplementation::best};
    if (!suite.mac && suite.aead != crypto::AeadAlgorithm::chacha20_poly1305) {
      // Show the AES-NI path too when the best one is VAES.
      auto best = crypto::make_aead(suite.aead, bench_keys(suite.aead).key);
      if (std::string(best->implementation()) == "vaes" &&
          crypto::aead_implementation_available(crypto::AeadImplementation::aesni))
        impls.push_back(crypto::AeadImplementation::aesni);
    }
    for (size_t size : kSizes) {
      for (const char* op : {"seal", "open", "raw-seal"}) {
        const bool seal = std::string(op) == "seal";
        const bool raw = std::string(op) == "raw-seal";
        if (raw && suite.mac) continue;  // no AEAD to time alone
        for (auto impl : impls) {
          const std::string who = "ours-" + implementation_of(suite, impl);
          const std::string name = "Record/" + label + "/" + std::to_string(size) + "/" + op + "/" + who;
          g_entries[name] = {label, op, who, size};
          if (raw)
            benchmark::RegisterBenchmark(name.c_str(), ours_raw_seal, suite.aead, impl, size);
          else if (seal)
            benchmark::RegisterBenchmark(name.c_str(), ours_seal, &suite, impl, size);
          else
            benchmark::RegisterBenchmark(name.c_str(), ours_open, &suite, impl, size);
        }
        const std::string name = "Record/" + label + "/" + std::to_string(size) + "/" + op + "/openssl";
        g_entries[name] = {label, op, "openssl", size};
        if (raw)
          benchmark::RegisterBenchmark(name.c_str(), openssl_raw_seal, suite.aead, size);
        else if (seal)
          benchmark::RegisterBenchmark(name.c_str(), openssl_seal, suite.openssl_name, size);
        else
          benchmark::RegisterBenchmark(name.c_str(), openssl_open, suite.openssl_name, size);
      }
    }
  }
}

// Keeps each run's throughput (bytes per CPU second) for the summary.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred || run.run_type != Run::RT_Iteration) continue;
      const std::string name = run.benchmark_name();
      auto it = g_entries.find(name);
      if (it == g_entries.end() || run.cpu_accumulated_time <= 0) continue;
      rates[name] = static_cast<double>(it->second.size) * static_cast<double>(run.iterations) /
                    run.cpu_accumulated_time;
    }
  }
  std::map<std::string, double> rates;
};

std::string name_of(const Entry& e, const std::string& op, const std::string& who) {
  return "Record/" + e.suite + "/" + std::to_string(e.size) + "/" + op + "/" + who;
}

void print_ratios(const RatioReporter& reporter) {
  auto rate = [&](const std::string& name) {
    auto it = reporter.rates.find(name);
    return it == reporter.rates.end() ? 0.0 : it->second;
  };
  std::printf("\nours / OpenSSL (seal: SSL_write; open: SSL_read; raw-seal: EVP AEAD alone). >1: ours faster\n");
  std::printf("%-20s %6s %-9s %-16s %8s\n", "AEAD", "bytes", "op", "ours", "ratio");
  for (const auto& [name, entry] : g_entries) {
    if (entry.who == "openssl") continue;
    const double ours = rate(name), theirs = rate(name_of(entry, entry.op, "openssl"));
    if (ours > 0 && theirs > 0)
      std::printf("%-20s %6zu %-9s %-16s %7.2fx\n", entry.suite.c_str(), entry.size, entry.op.c_str(),
                  entry.who.c_str(), ours / theirs);
  }
  std::printf("\nrecord seal / raw AEAD seal, each against itself (1.00 = framing costs nothing)\n");
  std::printf("%-20s %6s %-16s %8s\n", "AEAD", "bytes", "who", "share");
  for (const auto& [name, entry] : g_entries) {
    if (entry.op != "seal") continue;
    const double record = rate(name), raw = rate(name_of(entry, "raw-seal", entry.who));
    if (record > 0 && raw > 0)
      std::printf("%-20s %6zu %-16s %7.2f\n", entry.suite.c_str(), entry.size, entry.who.c_str(), record / raw);
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_ratios(reporter);
  benchmark::Shutdown();
  return 0;
}
