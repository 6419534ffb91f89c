// P-256 (crypto/p256.h, ecdh.h, ecdsa.h): tls12 against OpenSSL in the same run.
//
// Measures what an ECDHE handshake over secp256r1 costs each side (a fresh
// key pair and the shared secret: RFC 8422 §5.10), what an ECDSA server pays
// per ServerKeyExchange signature (with RFC 6979 nonces), and what a client
// pays per ECDSA signature it checks. After the run a table prints ours/OpenSSL
// for each pair (above 1 means we are faster). OpenSSL's P-256 on x86-64 is
// hand-written assembly (ecp_nistz256) with a precomputed table for k*G; ours
// is portable C++ on 64-bit limbs. The machine is shared: compare ratios, not
// absolute numbers.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>

#include "bench/bench_support.h"
#include "crypto/ecdh.h"
#include "crypto/ecdsa.h"
#include "crypto/p256.h"
#include "tests/crypto/ec_oracle.h"

namespace tls12::crypto {
namespace {

using namespace test_support;

const Bytes kMessage(100, 0x61);  // stands in for ServerKeyExchange params

// ---- Ours ---------------------------------------------------------------------

void ours_keygen_and_ecdh(benchmark::State& state) {
  const auto peer = p256::KeyPair::generate();
  std::array<uint8_t, 32> shared{};
  for (auto _ : state) {
    const auto pair = p256::KeyPair::generate();
    if (!p256_ecdh(pair.private_key, peer.public_key, shared)) state.SkipWithError("ecdh failed");
    benchmark::DoNotOptimize(shared.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void ours_sign(benchmark::State& state) {
  const auto key = p256::KeyPair::generate();
  for (auto _ : state) benchmark::DoNotOptimize(ecdsa_p256_sign(key.private_key, HashAlgorithm::sha256, kMessage));
  state.SetItemsProcessed(state.iterations());
}

void ours_verify(benchmark::State& state) {
  const auto key = p256::KeyPair::generate();
  const Bytes sig = ecdsa_p256_sign(key.private_key, HashAlgorithm::sha256, kMessage);
  for (auto _ : state) {
    if (!ecdsa_p256_verify(key.public_key, HashAlgorithm::sha256, kMessage, sig)) state.SkipWithError("verify");
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- OpenSSL ------------------------------------------------------------------

void openssl_keygen_and_ecdh(benchmark::State& state) {
  const Pkey peer = p256_generate();
  PkeyCtx gen(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY_keygen_init(gen.get());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("P-256"), 0),
      OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX_set_params(gen.get(), params);
  Bytes z(32);
  for (auto _ : state) {
    EVP_PKEY* kp = nullptr;
    EVP_PKEY_generate(gen.get(), &kp);
    EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new(kp, nullptr);
    EVP_PKEY_derive_init(dctx);
    EVP_PKEY_derive_set_peer(dctx, peer.get());
    size_t len = z.size();
    if (EVP_PKEY_derive(dctx, z.data(), &len) != 1) state.SkipWithError("derive");
    EVP_PKEY_CTX_free(dctx);
    EVP_PKEY_free(kp);
  }
  state.SetItemsProcessed(state.iterations());
}

void openssl_sign(benchmark::State& state) {
  const Pkey key = p256_generate();
  for (auto _ : state) benchmark::DoNotOptimize(p256_sign_openssl(key.get(), kMessage));
  state.SetItemsProcessed(state.iterations());
}

void openssl_verify(benchmark::State& state) {
  const Pkey key = p256_generate();
  const Bytes sig = p256_sign_openssl(key.get(), kMessage);
  for (auto _ : state) {
    if (!p256_verify_openssl(key.get(), kMessage, sig)) state.SkipWithError("verify");
  }
  state.SetItemsProcessed(state.iterations());
}

void register_all() {
  struct Pair {
    const char* name;
    void (*ours)(benchmark::State&);
    void (*openssl)(benchmark::State&);
  };
  const Pair pairs[] = {
      {"p256_keygen_and_ecdh", ours_keygen_and_ecdh, openssl_keygen_and_ecdh},
      {"ecdsa_p256_sign_sha256", ours_sign, openssl_sign},
      {"ecdsa_p256_verify_sha256", ours_verify, openssl_verify},
  };
  for (const Pair& p : pairs) {
    // Arg(256) only names the curve size; the reporter drops it.
    benchmark::RegisterBenchmark((std::string(p.name) + "/ours").c_str(), p.ours)->Arg(256)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string(p.name) + "/openssl").c_str(), p.openssl)->Arg(256)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace tls12::crypto

int main(int argc, char** argv) {
  return tls12::bench::run_with_ratio_table(
      argc, argv, tls12::crypto::register_all,
      "Ours: portable C++, 4x64-bit Montgomery limbs, 4-bit windows, complete formulas, constant time.\n");
}
