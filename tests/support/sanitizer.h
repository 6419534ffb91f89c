// Shared by the test programs: whether this build runs under AddressSanitizer,
// so that slow randomized loops can run fewer rounds (a Debug+ASan build is
// several times slower) and checks that need valgrind can be passed over
// (valgrind cannot run AddressSanitizer binaries). g++ says so with
// __SANITIZE_ADDRESS__, clang with __has_feature(address_sanitizer).
#pragma once

namespace tls12::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace tls12::test
