// The record-protection AEADs side by side: tls12's AES-GCM engines
// (reference, AES-NI, VAES) and ChaCha20-Poly1305 engines (reference, AVX2),
// libsodium's AES-256-GCM and ChaCha20-Poly1305,
// and OpenSSL EVP's AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305; seal and
// open of 64 B, 1 KiB and 16 KiB records with a 13-byte TLS additional data
// (RFC 5246 §6.2.3.3: seq_num + type + version + length).
//
// After the run a table gives, for each (algorithm, size, direction), the
// throughput of each of ours divided by OpenSSL's in the same run: above 1
// means tls12 is faster. On a shared machine absolute numbers move from run to
// run; ratios measured together hold better. Run with
// --benchmark_repetitions=N to have the table use the medians.
//
// Open is measured in place, with the tag check, without copying the
// ciphertext back each time: GCM and ChaCha20 XOR a keystream, so opening a
// ciphertext C under nonce N leaves P, which is itself a valid ciphertext (of
// C) under the same nonce with another tag. Alternating the two tags makes
// every open succeed on the buffer the previous one left. OpenSSL and
// libsodium are measured the same way (EVP_DecryptFinal_ex checks the tag).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "crypto/aead.h"
#include "crypto/cpu.h"

namespace {

using tls12::Bytes;
using tls12::crypto::Aead;
using tls12::crypto::AeadAlgorithm;
using tls12::crypto::AeadImplementation;

constexpr size_t kAadSize = 13;
const size_t kSizes[] = {64, 1024, 16384};

// ---------------------------------------------------------------- ours
struct OursFixture {
  std::unique_ptr<Aead> aead;
  Bytes data, aad;
  std::array<uint8_t, 12> nonce{};
  std::array<std::array<uint8_t, 16>, 2> tags{};  // for data and for its opening

  OursFixture(AeadAlgorithm alg, AeadImplementation impl, size_t size)
      : aead(tls12::crypto::make_aead(alg, Bytes(tls12::crypto::aead_key_size(alg), 0x42), impl)),
        data(size, 0x17), aad(kAadSize, 0x03) {
    // Sealing D gives C = D xor keystream with the tag of C; sealing C gives
    // D back with the tag of D. So (D, tag of D) opens to C and (C, tag of C)
    // opens to D: tags[0] for the buffer's first state, tags[1] for its second.
    Bytes c = data;
    aead->seal(nonce, aad, c, tags[1]);
    aead->seal(nonce, aad, c, tags[0]);
  }
};

void BM_ours_seal(benchmark::State& state, AeadAlgorithm alg, AeadImplementation impl) {
  OursFixture f(alg, impl, static_cast<size_t>(state.range(0)));
  std::array<uint8_t, 16> tag{};
  for (auto _ : state) {
    f.aead->seal(f.nonce, f.aad, f.data, tag);
    benchmark::DoNotOptimize(tag.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_ours_open(benchmark::State& state, AeadAlgorithm alg, AeadImplementation impl) {
  OursFixture f(alg, impl, static_cast<size_t>(state.range(0)));
  size_t which = 0;
  for (auto _ : state) {
    if (!f.aead->open(f.nonce, f.aad, f.data, f.tags[which])) {
      state.SkipWithError("open failed");
      break;
    }
    which ^= 1;
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// ---------------------------------------------------------------- OpenSSL
const EVP_CIPHER* openssl_cipher(AeadAlgorithm alg) {
  switch (alg) {
    case AeadAlgorithm::aes_128_gcm: return EVP_aes_128_gcm();
    case AeadAlgorithm::aes_256_gcm: return EVP_aes_256_gcm();
    case AeadAlgorithm::chacha20_poly1305: return EVP_chacha20_poly1305();
  }
  return nullptr;
}

// One record as OpenSSL's TLS code would do it: new nonce, AAD, data, tag.
bool openssl_seal(EVP_CIPHER_CTX* ctx, const uint8_t* nonce, const Bytes& aad, Bytes& data,
                  uint8_t tag[16]) {
  int len = 0;
  return EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, data.data(), &len, data.data(), static_cast<int>(data.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, data.data() + len, &len) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) == 1;
}

bool openssl_open(EVP_CIPHER_CTX* ctx, const uint8_t* nonce, const Bytes& aad, Bytes& data,
                  const uint8_t tag[16]) {
  int len = 0;
  return EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce) == 1 &&
         EVP_DecryptUpdate(ctx, nullptr, &len, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_DecryptUpdate(ctx, data.data(), &len, data.data(), static_cast<int>(data.size())) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, const_cast<uint8_t*>(tag)) == 1 &&
         EVP_DecryptFinal_ex(ctx, data.data() + len, &len) == 1;  // the tag check
}

void BM_openssl(benchmark::State& state, AeadAlgorithm alg, bool seal) {
  const size_t size = static_cast<size_t>(state.range(0));
  const Bytes key(tls12::crypto::aead_key_size(alg), 0x42);
  const Bytes aad(kAadSize, 0x03);
  const std::array<uint8_t, 12> nonce{};
  Bytes data(size, 0x17);
  EVP_CIPHER_CTX* enc = EVP_CIPHER_CTX_new();
  EVP_CIPHER_CTX* dec = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(enc, openssl_cipher(alg), nullptr, key.data(), nonce.data());
  EVP_DecryptInit_ex(dec, openssl_cipher(alg), nullptr, key.data(), nonce.data());
  std::array<std::array<uint8_t, 16>, 2> tags{};
  // As in OursFixture: tags[0] for the buffer as it is, tags[1] once opened.
  Bytes c = data;
  bool ok = openssl_seal(enc, nonce.data(), aad, c, tags[1].data());
  ok = ok && openssl_seal(enc, nonce.data(), aad, c, tags[0].data());
  std::array<uint8_t, 16> tag{};
  size_t which = 0;
  for (auto _ : state) {
    ok = ok && (seal ? openssl_seal(enc, nonce.data(), aad, data, tag.data())
                     : openssl_open(dec, nonce.data(), aad, data, tags[which].data()));
    if (!ok) {
      state.SkipWithError("OpenSSL failed");
      break;
    }
    which ^= 1;
    benchmark::ClobberMemory();
  }
  EVP_CIPHER_CTX_free(enc);
  EVP_CIPHER_CTX_free(dec);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// ---------------------------------------------------------------- libsodium AES-256-GCM
void BM_sodium_aes256gcm(benchmark::State& state, bool seal) {
  const size_t size = static_cast<size_t>(state.range(0));
  crypto_aead_aes256gcm_state ctx;
  const Bytes key(32, 0x42), aad(kAadSize, 0x03);
  const std::array<uint8_t, 12> nonce{};
  crypto_aead_aes256gcm_beforenm(&ctx, key.data());
  Bytes data(size, 0x17);
  std::array<std::array<uint8_t, 16>, 2> tags{};
  unsigned long long tag_len = 0;
  Bytes c = data;  // as in OursFixture
  for (size_t i : {1, 0}) {
    crypto_aead_aes256gcm_encrypt_detached_afternm(c.data(), tags[i].data(), &tag_len, c.data(), size,
                                                   aad.data(), aad.size(), nullptr, nonce.data(), &ctx);
  }
  std::array<uint8_t, 16> tag{};
  size_t which = 0;
  for (auto _ : state) {
    if (seal) {
      crypto_aead_aes256gcm_encrypt_detached_afternm(data.data(), tag.data(), &tag_len, data.data(),
                                                     size, aad.data(), aad.size(), nullptr,
                                                     nonce.data(), &ctx);
    } else if (crypto_aead_aes256gcm_decrypt_detached_afternm(data.data(), nullptr, data.data(), size,
                                                              tags[which].data(), aad.data(),
                                                              aad.size(), nonce.data(), &ctx) != 0) {
      state.SkipWithError("libsodium open failed");
      break;
    }
    which ^= 1;
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// ---------------------------------------------------------------- libsodium ChaCha20-Poly1305
void BM_sodium_chacha(benchmark::State& state, bool seal) {
  const size_t size = static_cast<size_t>(state.range(0));
  const Bytes key(32, 0x42), aad(kAadSize, 0x03);
  const std::array<uint8_t, 12> nonce{};
  Bytes data(size, 0x17);
  std::array<std::array<uint8_t, 16>, 2> tags{};
  unsigned long long tag_len = 0;
  Bytes c = data;  // as in OursFixture
  for (size_t i : {1, 0}) {
    crypto_aead_chacha20poly1305_ietf_encrypt_detached(c.data(), tags[i].data(), &tag_len, c.data(), size,
                                                       aad.data(), aad.size(), nullptr, nonce.data(), key.data());
  }
  std::array<uint8_t, 16> tag{};
  size_t which = 0;
  for (auto _ : state) {
    if (seal) {
      crypto_aead_chacha20poly1305_ietf_encrypt_detached(data.data(), tag.data(), &tag_len, data.data(), size,
                                                         aad.data(), aad.size(), nullptr, nonce.data(),
                                                         key.data());
    } else if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(data.data(), nullptr, data.data(), size,
                                                                  tags[which].data(), aad.data(), aad.size(),
                                                                  nonce.data(), key.data()) != 0) {
      state.SkipWithError("libsodium open failed");
      break;
    }
    which ^= 1;
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

// ---------------------------------------------------------------- ratio table
// Registered benchmark name -> (row key "ALG dir size", column name).
struct Cell {
  std::string row, column;
};
std::map<std::string, Cell> g_cells;
std::map<std::string, std::map<std::string, double>> g_rates;  // row -> column -> bytes/s
std::map<std::string, std::map<std::string, bool>> g_from_median;
std::vector<std::string> g_row_order;
std::vector<std::string> g_columns;

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.run_type == Run::RT_Aggregate && !median) continue;
      const auto cell = g_cells.find(run.run_name.function_name + "/" + run.run_name.args);
      if (cell == g_cells.end()) continue;
      const auto rate = run.counters.find("bytes_per_second");
      if (rate == run.counters.end()) continue;
      bool& from_median = g_from_median[cell->second.row][cell->second.column];
      if (median || !from_median) {  // medians win over single repetitions
        g_rates[cell->second.row][cell->second.column] = rate->second.value;
        from_median = median;
      }
    }
  }
};

void print_ratios() {
  const auto& cpu = tls12::crypto::cpu_features();
  std::printf(
      "\nThroughput of ours / OpenSSL EVP in this run (above 1: tls12 faster).\n"
      "CPU: aesni=%d pclmulqdq=%d vaes=%d vpclmulqdq=%d avx2=%d avx512f=%d; best AES-GCM = %s, "
      "best ChaCha20-Poly1305 = %s\n",
      cpu.aesni, cpu.pclmulqdq, cpu.vaes, cpu.vpclmulqdq, cpu.avx2, cpu.avx512f,
      std::string(tls12::crypto::make_aead(AeadAlgorithm::aes_128_gcm, Bytes(16, 0))->implementation()).c_str(),
      std::string(tls12::crypto::make_aead(AeadAlgorithm::chacha20_poly1305, Bytes(32, 0))->implementation()).c_str());
  std::printf("%-30s", "algorithm dir size");
  for (const std::string& c : g_columns) std::printf(" %12s", c.c_str());
  std::printf("\n");
  for (const std::string& row : g_row_order) {
    const auto& rates = g_rates[row];
    const auto openssl = rates.find("openssl");
    std::printf("%-30s", row.c_str());
    for (const std::string& c : g_columns) {
      const auto it = rates.find(c);
      if (c == "openssl" || it == rates.end() || openssl == rates.end()) {
        std::printf(" %12s", c == "openssl" && openssl != rates.end() ? "1.00" : "-");
      } else {
        const double ratio = it->second / openssl->second;
        std::printf(ratio >= 0.01 ? " %12.2f" : " %12.1e", ratio);  // the reference is ~1e-4
      }
    }
    std::printf("\n");
  }
}

void add(const std::string& alg, const std::string& dir, const std::string& column,
         std::function<void(benchmark::State&)> fn) {
  if (std::find(g_columns.begin(), g_columns.end(), column) == g_columns.end()) {
    g_columns.push_back(column);
  }
  for (size_t size : kSizes) {
    const std::string name = alg + "/" + dir + "/" + column;
    const std::string row = alg + " " + dir + " " + std::to_string(size);
    if (std::find(g_row_order.begin(), g_row_order.end(), row) == g_row_order.end()) {
      g_row_order.push_back(row);
    }
    g_cells[name + "/" + std::to_string(size)] = {row, column};
  }
  auto* b = benchmark::RegisterBenchmark(
      (alg + "/" + dir + "/" + column).c_str(), [fn](benchmark::State& s) { fn(s); });
  for (size_t size : kSizes) b->Arg(static_cast<int64_t>(size));
  if (column == "reference") b->MinTime(0.1);  // tens of microseconds per block
}

void register_all() {
  const std::pair<AeadAlgorithm, const char*> aes[] = {{AeadAlgorithm::aes_128_gcm, "AES-128-GCM"},
                                                       {AeadAlgorithm::aes_256_gcm, "AES-256-GCM"}};
  const std::pair<AeadImplementation, const char*> impls[] = {{AeadImplementation::reference, "reference"},
                                                              {AeadImplementation::aesni, "aesni"},
                                                              {AeadImplementation::vaes, "vaes"}};
  for (const bool seal : {true, false}) {
    const std::string dir = seal ? "seal" : "open";
    for (const auto& [alg, name] : aes) {
      add(name, dir, "openssl", [alg = alg, seal](benchmark::State& s) { BM_openssl(s, alg, seal); });
      for (const auto& [impl, impl_name] : impls) {
        if (!tls12::crypto::aead_implementation_available(impl)) continue;
        add(name, dir, impl_name, [alg = alg, impl = impl, seal](benchmark::State& s) {
          seal ? BM_ours_seal(s, alg, impl) : BM_ours_open(s, alg, impl);
        });
      }
      if (alg == AeadAlgorithm::aes_256_gcm && crypto_aead_aes256gcm_is_available()) {
        add(name, dir, "sodium", [seal](benchmark::State& s) { BM_sodium_aes256gcm(s, seal); });
      }
    }
    constexpr AeadAlgorithm chacha = AeadAlgorithm::chacha20_poly1305;
    add("CHACHA20-POLY1305", dir, "openssl", [seal](benchmark::State& s) { BM_openssl(s, chacha, seal); });
    for (const auto& [impl, impl_name] : {std::pair{AeadImplementation::reference, "reference"},
                                          std::pair{AeadImplementation::avx2, "avx2"}}) {
      if (!tls12::crypto::aead_implementation_available(chacha, impl)) continue;
      add("CHACHA20-POLY1305", dir, impl_name, [impl = impl, seal](benchmark::State& s) {
        seal ? BM_ours_seal(s, chacha, impl) : BM_ours_open(s, chacha, impl);
      });
    }
    add("CHACHA20-POLY1305", dir, "sodium", [seal](benchmark::State& s) { BM_sodium_chacha(s, seal); });
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios();
  return 0;
}
