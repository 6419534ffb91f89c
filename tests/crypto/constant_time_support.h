// The valgrind harness of the constant-time tests (test_rsa_constant_time.cpp,
// test_p256_constant_time.cpp).
//
// Method (as in BoringSSL's and BearSSL's constant-time tests): valgrind's
// memcheck reports every conditional jump and every memory address that
// depends on *undefined* memory. A test marks the secrets undefined with
// `poison`; everything computed from them is then undefined too, and any
// branch or address that depends on them becomes a memcheck error. Outputs are
// marked defined again (`unpoison`) before the test compares them; `tainted`
// proves the secret really flowed into an output, so a clean run means
// something. The library declares the few values that are public by design
// with ct_declassify (crypto/bignum.h).
//
// A test program runs its `UnderValgrind` tests in a child valgrind
// (`run_self_under_valgrind`) and asserts the child was clean.
#pragma once

#include <gtest/gtest.h>
#include <valgrind/memcheck.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/random.h"
#include "tests/support/sanitizer.h"
#include "tests/support/test_support.h"

namespace tls12::crypto::ct_test {

inline bool under_valgrind() { return RUNNING_ON_VALGRIND != 0; }

inline void poison(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n); }
inline void unpoison(const void* p, size_t n) { (void)VALGRIND_MAKE_MEM_DEFINED(p, n); }

template <class Container>
void unpoison(const Container& c) {
  unpoison(c.data(), c.size() * sizeof(*c.data()));
}

// Whether valgrind sees any undefined bit in the memory, read without reporting
// an error.
template <class Container>
bool tainted(const Container& c) {
  const size_t size = c.size() * sizeof(*c.data());
  std::vector<uint8_t> vbits(size);
  if (VALGRIND_GET_VBITS(c.data(), vbits.data(), size) != 1) return false;
  return std::any_of(vbits.begin(), vbits.end(), [](uint8_t v) { return v != 0; });
}

// Tests that only make sense inside valgrind skip outside it.
class UnderValgrind : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!under_valgrind()) GTEST_SKIP() << "only meaningful under valgrind (see RunUnderValgrind)";
  }
};

inline test::CommandResult run_self_under_valgrind(const std::string& filter) {
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  return test::run_command("valgrind --error-exitcode=99 --track-origins=yes --quiet " + self +
                           " --gtest_filter='" + filter + "' 2>&1");
}

// The driver's fixture: skips inside valgrind, under a sanitizer, or without valgrind.
class RunUnderValgrind : public ::testing::Test {
 protected:
  void SetUp() override {
    if (under_valgrind()) GTEST_SKIP() << "already under valgrind";
    if (test::kSanitized) GTEST_SKIP() << "valgrind cannot run an AddressSanitizer build";
    if (test::run_command("valgrind --version").exit_code != 0) GTEST_SKIP() << "valgrind is not installed";
  }
};

// The body of each program's canary test, UnderValgrind.CanaryBranchOnSecret:
// a deliberate branch on a poisoned random byte, which valgrind must report.
inline void branch_on_a_secret() {
  uint8_t secret = 1;
  random_bytes(MutableByteView(&secret, 1));
  poison(&secret, 1);
  volatile int sink = 0;
  if ((secret & 1) != 0) sink = sink + 1;
  EXPECT_GE(sink, 0);
}

// The two driver checks: every UnderValgrind test but the canary passes
// cleanly (`count` of them, so none was silently skipped), and the canary
// is caught.
inline void expect_clean_under_valgrind(size_t count) {
  auto r = run_self_under_valgrind("UnderValgrind.*-UnderValgrind.Canary*");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("[  PASSED  ] " + std::to_string(count) + " tests"), std::string::npos) << r.output;
}

inline void expect_canary_caught() {
  auto r = run_self_under_valgrind("UnderValgrind.CanaryBranchOnSecret");
  EXPECT_EQ(r.exit_code, 99) << r.output;
  EXPECT_NE(r.output.find("Conditional jump or move depends on uninitialised value"), std::string::npos)
      << r.output;
}

}  // namespace tls12::crypto::ct_test
