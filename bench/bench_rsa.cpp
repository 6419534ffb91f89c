// RSA and finite-field DH: tls12 against OpenSSL in the same run.
//
// Measures what a TLS 1.2 server pays per handshake: the RSA private operation
// (premaster decryption for RSA key exchange, PKCS #1 v1.5 and PSS signatures
// for ECDHE/DHE_RSA ServerKeyExchange), RSA verification and premaster
// encryption (the client's side; verification also with a key seen for the
// first time),
// and a full ffdhe2048 exchange (key generation plus shared secret). After the
// run a table prints the ratio of operation rates ours/OpenSSL for each pair
// (above 1 means we are faster; the reporter is in bench_support.h). The machine is shared: compare ratios, not
// absolute numbers.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "bench/bench_support.h"
#include "crypto/bignum.h"
#include "crypto/cpu.h"
#include "crypto/dh.h"
#include "crypto/random.h"
#include "crypto/rsa.h"

namespace tls12::crypto {
namespace {

// ---- Keys ---------------------------------------------------------------------

Bytes bn_param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1) throw std::runtime_error(name);
  Bytes out(static_cast<size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, out.data());
  BN_clear_free(bn);
  return out;
}

struct KeyPair {
  EVP_PKEY* openssl;
  RsaPrivateKey ours;
};

const KeyPair& key(unsigned bits) {
  static std::map<unsigned, KeyPair> keys;
  auto it = keys.find(bits);
  if (it != keys.end()) return it->second;
  EVP_PKEY* pkey = EVP_RSA_gen(bits);
  if (pkey == nullptr) throw std::runtime_error("EVP_RSA_gen failed");
  RsaPrivateKey ours = RsaPrivateKey::from_components(
      bn_param(pkey, OSSL_PKEY_PARAM_RSA_N), bn_param(pkey, OSSL_PKEY_PARAM_RSA_E),
      bn_param(pkey, OSSL_PKEY_PARAM_RSA_D), bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1),
      bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2), bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1),
      bn_param(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2), bn_param(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1));
  return keys.emplace(bits, KeyPair{pkey, std::move(ours)}).first->second;
}

const Bytes kMessage(100, 0x61);  // stands in for ServerKeyExchange params

Bytes premaster_ciphertext(unsigned bits) {
  Bytes pms(48, 0x42);
  pms[0] = 3;
  pms[1] = 3;
  return rsaes_pkcs1_v15_encrypt(key(bits).ours.public_key(), pms);
}

// ---- Ours ---------------------------------------------------------------------

void ours_decrypt(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const Bytes ct = premaster_ciphertext(bits);
  std::array<uint8_t, 48> pms{};
  for (auto _ : state) {
    rsa_decrypt_pre_master_secret(key(bits).ours, ct, 0x0303, pms);
    benchmark::DoNotOptimize(pms.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void ours_sign_pkcs1(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(rsassa_pkcs1_v15_sign(key(bits).ours, HashAlgorithm::sha256, kMessage));
  state.SetItemsProcessed(state.iterations());
}

void ours_sign_pss(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(rsassa_pss_sign(key(bits).ours, HashAlgorithm::sha256, kMessage));
  state.SetItemsProcessed(state.iterations());
}

void ours_verify_pkcs1(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const RsaPublicKey& pub = key(bits).ours.public_key();
  const Bytes sig = rsassa_pkcs1_v15_sign(key(bits).ours, HashAlgorithm::sha256, kMessage);
  for (auto _ : state) {
    if (!rsassa_pkcs1_v15_verify(pub, HashAlgorithm::sha256, kMessage, sig)) state.SkipWithError("verify failed");
  }
  state.SetItemsProcessed(state.iterations());
}

// The client's side of RSA key exchange: the premaster encrypted to the
// server's key (the random padding and one public operation).
void ours_encrypt(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const RsaPublicKey& pub = key(bits).ours.public_key();
  const Bytes pms(48, 0x42);
  for (auto _ : state) benchmark::DoNotOptimize(rsaes_pkcs1_v15_encrypt(pub, pms));
  state.SetItemsProcessed(state.iterations());
}

// What a client pays for each certificate or ServerKeyExchange key it checks:
// the public key is new (its Montgomery context, R^2 mod n included, is built)
// and used for one verification.
void ours_new_key_verify_pkcs1(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const RsaPublicKey& pub = key(bits).ours.public_key();
  const Bytes n = pub.modulus(), e = pub.public_exponent();
  const Bytes sig = rsassa_pkcs1_v15_sign(key(bits).ours, HashAlgorithm::sha256, kMessage);
  for (auto _ : state) {
    const RsaPublicKey fresh = RsaPublicKey::from_components(n, e);
    if (!rsassa_pkcs1_v15_verify(fresh, HashAlgorithm::sha256, kMessage, sig)) state.SkipWithError("verify failed");
  }
  state.SetItemsProcessed(state.iterations());
}

void ours_ffdhe2048(benchmark::State& state) {
  const DhKeyPair peer = DhKeyPair::generate(FfdheGroup::ffdhe2048);
  for (auto _ : state) {
    DhKeyPair kp = DhKeyPair::generate(FfdheGroup::ffdhe2048);
    benchmark::DoNotOptimize(kp.shared_secret(peer.public_value()));
  }
  state.SetItemsProcessed(state.iterations());
}

// ---- OpenSSL ------------------------------------------------------------------

// One RSAES-PKCS1-v1_5 operation per iteration, decryption or encryption
// (the EVP init and operation functions have the same shapes).
void openssl_pkcs1_cipher(benchmark::State& state, const Bytes& input, int (*init)(EVP_PKEY_CTX*),
                          int (*op)(EVP_PKEY_CTX*, unsigned char*, size_t*, const unsigned char*, size_t)) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key(bits).openssl, nullptr);
  init(ctx);
  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING);
  Bytes out(bits / 8);
  for (auto _ : state) {
    size_t len = out.size();
    if (op(ctx, out.data(), &len, input.data(), input.size()) != 1) state.SkipWithError("RSAES-PKCS1-v1_5");
    benchmark::DoNotOptimize(out.data());
  }
  EVP_PKEY_CTX_free(ctx);
  state.SetItemsProcessed(state.iterations());
}

void openssl_decrypt(benchmark::State& state) {
  openssl_pkcs1_cipher(state, premaster_ciphertext(static_cast<unsigned>(state.range(0))), EVP_PKEY_decrypt_init,
                       EVP_PKEY_decrypt);
}

void openssl_encrypt(benchmark::State& state) {
  openssl_pkcs1_cipher(state, Bytes(48, 0x42), EVP_PKEY_encrypt_init, EVP_PKEY_encrypt);
}

void openssl_sign(benchmark::State& state, bool pss) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  Bytes sig(bits / 8);
  for (auto _ : state) {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestSignInit(md, &pctx, EVP_sha256(), nullptr, key(bits).openssl);
    if (pss) {
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t len = sig.size();
    if (EVP_DigestSign(md, sig.data(), &len, kMessage.data(), kMessage.size()) != 1) state.SkipWithError("sign");
    EVP_MD_CTX_free(md);
    benchmark::DoNotOptimize(sig.data());
  }
  state.SetItemsProcessed(state.iterations());
}
void openssl_sign_pkcs1(benchmark::State& state) { openssl_sign(state, false); }
void openssl_sign_pss(benchmark::State& state) { openssl_sign(state, true); }

void openssl_verify_pkcs1(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const Bytes sig = rsassa_pkcs1_v15_sign(key(bits).ours, HashAlgorithm::sha256, kMessage);
  for (auto _ : state) {
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key(bits).openssl);
    if (EVP_DigestVerify(md, sig.data(), sig.size(), kMessage.data(), kMessage.size()) != 1) {
      state.SkipWithError("verify");
    }
    EVP_MD_CTX_free(md);
  }
  state.SetItemsProcessed(state.iterations());
}

// The same with OpenSSL: a key built from n and e (libcrypto sets up its
// Montgomery context on the first use of the key) and one verification.
void openssl_new_key_verify_pkcs1(benchmark::State& state) {
  const unsigned bits = static_cast<unsigned>(state.range(0));
  const RsaPublicKey& pub = key(bits).ours.public_key();
  const Bytes n = pub.modulus(), e = pub.public_exponent();
  const Bytes sig = rsassa_pkcs1_v15_sign(key(bits).ours, HashAlgorithm::sha256, kMessage);
  for (auto _ : state) {
    BIGNUM* bn_n = BN_bin2bn(n.data(), static_cast<int>(n.size()), nullptr);
    BIGNUM* bn_e = BN_bin2bn(e.data(), static_cast<int>(e.size()), nullptr);
    OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e);
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* kctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    EVP_PKEY* pkey = nullptr;
    EVP_PKEY_fromdata_init(kctx);
    EVP_PKEY_fromdata(kctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, pkey);
    if (EVP_DigestVerify(md, sig.data(), sig.size(), kMessage.data(), kMessage.size()) != 1) {
      state.SkipWithError("verify");
    }
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(kctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_e);
    BN_free(bn_n);
  }
  state.SetItemsProcessed(state.iterations());
}

EVP_PKEY* openssl_dh_keygen() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY_keygen_init(ctx);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>("ffdhe2048"), 0),
      OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX_set_params(ctx, params);
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_generate(ctx, &pkey);
  EVP_PKEY_CTX_free(ctx);
  return pkey;
}

void openssl_ffdhe2048(benchmark::State& state) {
  EVP_PKEY* peer = openssl_dh_keygen();
  Bytes z(256);
  for (auto _ : state) {
    EVP_PKEY* kp = openssl_dh_keygen();
    EVP_PKEY_CTX* dctx = EVP_PKEY_CTX_new(kp, nullptr);
    EVP_PKEY_derive_init(dctx);
    EVP_PKEY_derive_set_peer(dctx, peer);
    size_t len = z.size();
    if (EVP_PKEY_derive(dctx, z.data(), &len) != 1) state.SkipWithError("derive");
    EVP_PKEY_CTX_free(dctx);
    EVP_PKEY_free(kp);
  }
  EVP_PKEY_free(peer);
  state.SetItemsProcessed(state.iterations());
}

// Pairs are registered as "<op>/ours" and "<op>/openssl" so the summary can
// match them by the part before the last slash.
void register_all() {
  struct Pair {
    const char* name;
    void (*ours)(benchmark::State&);
    void (*openssl)(benchmark::State&);
    bool sized;
  };
  const Pair pairs[] = {
      {"rsa_decrypt_premaster", ours_decrypt, openssl_decrypt, true},
      {"rsa_sign_pkcs1_sha256", ours_sign_pkcs1, openssl_sign_pkcs1, true},
      {"rsa_sign_pss_sha256", ours_sign_pss, openssl_sign_pss, true},
      {"rsa_verify_pkcs1_sha256", ours_verify_pkcs1, openssl_verify_pkcs1, true},
      {"rsa_encrypt_premaster", ours_encrypt, openssl_encrypt, true},
      {"rsa_new_key_verify_pkcs1_sha256", ours_new_key_verify_pkcs1, openssl_new_key_verify_pkcs1, true},
      {"ffdhe2048_keygen_and_shared_secret", ours_ffdhe2048, openssl_ffdhe2048, false},
  };
  for (const Pair& p : pairs) {
    for (unsigned bits : {2048u, 4096u}) {
      const std::string base = p.sized ? std::string(p.name) + "_" + std::to_string(bits) : p.name;
      benchmark::RegisterBenchmark((base + "/ours").c_str(), p.ours)->Arg(bits)->Unit(benchmark::kMicrosecond);
      benchmark::RegisterBenchmark((base + "/openssl").c_str(), p.openssl)->Arg(bits)->Unit(benchmark::kMicrosecond);
      if (!p.sized) break;
    }
  }
}

}  // namespace
}  // namespace tls12::crypto

int main(int argc, char** argv) {
  const std::string exponentiation =
      tls12::crypto::ifma_available() ? "AVX-512 IFMA, both halves interleaved"
                                      : "portable 64-bit limbs (no IFMA or TLS12_CPU=reference)";
  return tls12::bench::run_with_ratio_table(
      argc, argv, tls12::crypto::register_all,
      "RSA-2048 CRT exponentiations: " + exponentiation + "; other sizes and DH: portable 64-bit limbs" +
          (tls12::crypto::cpu_features().bmi2 && tls12::crypto::cpu_features().adx
               ? " (RSA widths with BMI2/ADX).\n"
               : ".\n") +
      "OpenSSL's DH derive also checks y^q mod p (a full-size exponentiation); ours checks 1 < y < p-1.\n");
}
