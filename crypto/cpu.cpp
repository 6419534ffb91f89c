// CPUID feature detection for run-time dispatch (see cpu.h).
#include "crypto/cpu.h"

#include <cpuid.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace tls12::crypto {

namespace {

uint64_t read_xcr0() {
  uint32_t eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  const char* env = std::getenv("TLS12_CPU");
  if (env != nullptr && std::strcmp(env, "reference") == 0) return f;

  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  f.aesni = ecx & bit_AES;
  f.pclmulqdq = ecx & bit_PCLMUL;
  const bool osxsave = ecx & bit_OSXSAVE;
  const uint64_t xcr0 = osxsave ? read_xcr0() : 0;
  const bool ymm_enabled = (xcr0 & 0x6) == 0x6;      // SSE and AVX state
  const bool zmm_enabled = (xcr0 & 0xe6) == 0xe6;    // plus opmask and ZMM state

  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
    f.avx2 = ymm_enabled && (ebx & bit_AVX2);
    f.bmi2 = ebx & bit_BMI2;
    f.adx = ebx & bit_ADX;
    f.sha_ni = ebx & bit_SHA;
    f.avx512f = zmm_enabled && (ebx & bit_AVX512F);
    f.avx512bw = zmm_enabled && (ebx & bit_AVX512BW);
    f.avx512vl = zmm_enabled && (ebx & bit_AVX512VL);
    f.vaes = ymm_enabled && (ecx & bit_VAES);
    f.vpclmulqdq = ymm_enabled && (ecx & bit_VPCLMULQDQ);
  }
  // The AVX2/BMI2 paths as a CPU without AVX-512 runs them, on one with it:
  // to measure and test those paths there.
  if (env != nullptr && std::strcmp(env, "noavx512") == 0) f.avx512f = f.avx512bw = f.avx512vl = false;
  return f;
}

}  // namespace

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

}  // namespace tls12::crypto
