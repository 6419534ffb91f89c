// Checks that the RSA private operation, the RFC 5246 §7.4.7.1 premaster
// countermeasure and the DH exponentiation never branch on secrets nor use them
// to index memory.
//
// The harness (poison, tainted, the valgrind child) is in
// constant_time_support.h. The library declares the few values that are
// public by design (the fault check's outcome, the general decryption's
// success) with ct_declassify.
//
// The `Run...UnderValgrind` tests re-run this program under valgrind with
// --error-exitcode and assert it is clean; a canary with a deliberate secret
// branch proves that the harness does catch one.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "crypto/bignum.h"
#include "crypto/dh.h"
#include "crypto/montgomery_internal.h"
#include "crypto/random.h"
#include "crypto/rsa.h"
#include "tests/crypto/constant_time_support.h"
#include "tests/support/test_support.h"

namespace tls12::crypto {
namespace {

using namespace ct_test;

const RsaPrivateKey& wycheproof_key() {
  static const RsaPrivateKey key = [] {
    std::ifstream in(test::wycheproof_dir() / "rsa_pkcs1_2048_test.json");
    const auto v = nlohmann::json::parse(in);
    const auto& pk = v["testGroups"][0]["privateKey"];
    auto h = [&](const char* name) { return from_hex(pk[name].get<std::string>()); };
    return RsaPrivateKey::from_components(h("modulus"), h("publicExponent"), h("privateExponent"),
                                          h("prime1"), h("prime2"), h("exponent1"), h("exponent2"),
                                          h("coefficient"));
  }();
  return key;
}

void poison_key(const RsaPrivateKey& key) {
  for (auto region : key.secret_memory_for_testing()) poison(region.data(), region.size());
}

// ---- Run under valgrind (these skip when not under valgrind) ------------------

TEST_F(UnderValgrind, RsaPrivateOperation) {
  const RsaPrivateKey& key = wycheproof_key();
  poison_key(key);
  for (int i = 0; i < 3; ++i) {
    Bytes x(key.public_key().size());
    random_bytes(x);
    x[0] = 0;
    SecretBytes y = rsa_private_operation(key, x);
    EXPECT_TRUE(tainted(y));
    unpoison(y);
    EXPECT_EQ(rsa_public_operation(key.public_key(), y), x);
  }
}

TEST_F(UnderValgrind, RsaSignatures) {
  const RsaPrivateKey& key = wycheproof_key();
  poison_key(key);
  const Bytes msg = from_hex("0102030405");
  Bytes sig = rsassa_pkcs1_v15_sign(key, HashAlgorithm::sha256, msg);
  unpoison(sig);
  EXPECT_TRUE(rsassa_pkcs1_v15_verify(key.public_key(), HashAlgorithm::sha256, msg, sig));
  sig = rsassa_pss_sign(key, HashAlgorithm::sha384, msg);
  unpoison(sig);
  EXPECT_TRUE(rsassa_pss_verify(key.public_key(), HashAlgorithm::sha384, msg, sig, 48));
}

TEST_F(UnderValgrind, PremasterCountermeasure) {
  const RsaPrivateKey& key = wycheproof_key();
  poison_key(key);
  const size_t k = key.public_key().size();
  Bytes pms(48, 0x42);
  pms[0] = 3;
  pms[1] = 3;
  // Good, wrong version, wrong padding type, zero inside PS, short message.
  std::vector<std::pair<Bytes, bool>> blocks;
  auto block = [&](size_t msg_len) {
    Bytes em(k, 0x5a);
    em[0] = 0;
    em[1] = 2;
    em[k - msg_len - 1] = 0;
    std::fill(em.end() - static_cast<std::ptrdiff_t>(msg_len), em.end(), 0x42);
    em[k - msg_len] = 3;
    em[k - msg_len + 1] = 3;
    return em;
  };
  blocks.push_back({block(48), true});
  Bytes bad = block(48);
  bad[k - 47] = 1;
  blocks.push_back({bad, false});
  bad = block(48);
  bad[1] = 1;
  blocks.push_back({bad, false});
  bad = block(48);
  bad[7] = 0;
  blocks.push_back({bad, false});
  blocks.push_back({block(47), false});
  for (const auto& [em, good] : blocks) {
    const Bytes ct = rsa_public_operation(key.public_key(), em);
    std::array<uint8_t, 48> out{};
    rsa_decrypt_pre_master_secret(key, ct, 0x0303, out);
    EXPECT_TRUE(tainted(out));
    unpoison(out);
    EXPECT_EQ(Bytes(out.begin(), out.end()) == pms, good);
  }
}

TEST_F(UnderValgrind, Pkcs1GeneralDecryption) {
  const RsaPrivateKey& key = wycheproof_key();
  poison_key(key);
  const Bytes msg = from_hex("48656c6c6f");
  auto m = rsaes_pkcs1_v15_decrypt(key, rsaes_pkcs1_v15_encrypt(key.public_key(), msg));
  ASSERT_TRUE(m.has_value());
  unpoison(*m);
  EXPECT_EQ(Bytes(m->begin(), m->end()), msg);
}

TEST_F(UnderValgrind, DhSharedSecret) {
  Bytes x(32);
  random_bytes(x);
  x[0] |= 0x80;
  DhKeyPair peer = DhKeyPair::generate(FfdheGroup::ffdhe2048);
  poison(x.data(), x.size());
  DhKeyPair ours = DhKeyPair::from_private(FfdheGroup::ffdhe2048, x);
  unpoison(ours.public_value());
  SecretBytes z = ours.shared_secret(peer.public_value());
  EXPECT_TRUE(tainted(z));
  unpoison(z);
  EXPECT_EQ(z, peer.shared_secret(ours.public_value()));
}

// Building the Montgomery context of a CRT prime (R^2 mod p) must not branch on
// p either. Only the lowest byte stays defined: the constructor checks that the
// modulus is odd, which is public for a prime.
TEST_F(UnderValgrind, MontgomerySetUpOfSecretPrime) {
  std::ifstream in(test::wycheproof_dir() / "rsa_pkcs1_2048_test.json");
  const auto v = nlohmann::json::parse(in);
  const BigInt p = BigInt::from_bytes(from_hex(v["testGroups"][0]["privateKey"]["prime1"].get<std::string>()));
  const LimbVector expected = Montgomery(p).r2();
  poison(reinterpret_cast<const uint8_t*>(p.limbs().data()) + 1, p.limb_count() * sizeof(Limb) - 1);
  Montgomery mp(p);
  // Viewed as bytes: tainted() and unpoison() count their argument's elements.
  const std::span<const uint8_t> r2(reinterpret_cast<const uint8_t*>(mp.r2().data()),
                                    mp.r2().size() * sizeof(Limb));
  EXPECT_TRUE(tainted(r2));
  unpoison(r2);
  EXPECT_EQ(mp.r2(), expected);
}

// Whether the machine has BMI2 and ADX, from the kernel's view of the CPU:
// valgrind's emulated CPUID hides ADX from the program it runs, although it
// executes the instructions.
bool host_has_adx() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line);
    bool bmi2 = false, adx = false;
    for (std::string w; words >> w;) {
      bmi2 = bmi2 || w == "bmi2";
      adx = adx || w == "adx";
    }
    return bmi2 && adx;
  }
  return false;
}

// The BMI2/ADX Montgomery kernels (crypto/montgomery_adx.cpp) with secret
// operands and a secret modulus, as the CRT halves use them. Inside valgrind
// the library's dispatch picks the portable kernels (the CPUID above), so this
// calls the ADX ones directly.
TEST_F(UnderValgrind, AdxMontgomeryKernels) {
  if (!host_has_adx()) GTEST_SKIP() << "this CPU has no BMI2/ADX";
  for (size_t k : {16u, 32u}) {
    LimbVector m(k), a(k), b(k), r(k), expected(k);
    random_bytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(m.data()), k * sizeof(Limb)));
    m[0] |= 1;
    m[k - 1] |= Limb{1} << 63;
    const Montgomery mont(BigInt::from_limbs(m.data(), k));
    for (auto* v : {&a, &b}) {
      random_bytes(std::span<uint8_t>(reinterpret_cast<uint8_t*>(v->data()), k * sizeof(Limb)));
      (*v)[k - 1] >>= 1;  // below m
    }
    Limb m0inv = mont.m0inv();
    for (const LimbVector* v : {&m, &a, &b}) poison(v->data(), k * sizeof(Limb));
    poison(&m0inv, sizeof m0inv);

    detail::adx_mul_of_width(k)(r.data(), a.data(), b.data(), m.data(), m0inv, k);
    EXPECT_TRUE(tainted(r));
    unpoison(r);
    detail::portable_mul_for(k)(expected.data(), a.data(), b.data(), mont.modulus().data(), mont.m0inv(), k);
    unpoison(expected);
    EXPECT_EQ(r, expected);

    detail::adx_sqr_of_width(k)(r.data(), a.data(), m.data(), m0inv, k);
    EXPECT_TRUE(tainted(r));
    unpoison(r);
    detail::portable_sqr_for(k)(expected.data(), a.data(), mont.modulus().data(), mont.m0inv(), k);
    unpoison(expected);
    EXPECT_EQ(r, expected);
  }
}

// A deliberate secret-dependent branch: valgrind must report it.
TEST_F(UnderValgrind, CanaryBranchOnSecret) { branch_on_a_secret(); }

// ---- The driver ----------------------------------------------------------------

// AdxMontgomeryKernels skips (and is not counted) on a CPU without ADX.
TEST_F(RunUnderValgrind, SecretsNeverReachBranchesOrAddresses) {
  expect_clean_under_valgrind(host_has_adx() ? 7 : 6);
}
TEST_F(RunUnderValgrind, CanaryIsCaught) { expect_canary_caught(); }

}  // namespace
}  // namespace tls12::crypto
