// Which instruction-set extensions this CPU offers, read once with CPUID.
//
// The accelerated primitives (AES-NI, PCLMULQDQ, VAES/VPCLMULQDQ, SHA-NI) are
// chosen at run time from these flags, and the portable reference versions stay
// available so that tests can compare both on the same inputs. Setting the
// environment variable TLS12_CPU=reference turns every accelerated path off
// (for reading traces or comparing speed); TLS12_CPU=noavx512 hides AVX-512
// only, so that a CPU with it runs the paths of one without.
#pragma once

namespace tls12::crypto {

struct CpuFeatures {
  bool aesni = false;       // AES round instructions (128-bit)
  bool pclmulqdq = false;   // carry-less multiply (GHASH)
  bool avx2 = false;
  bool avx512f = false;     // 512-bit registers
  bool avx512vl = false;
  bool avx512bw = false;
  bool vaes = false;        // AES rounds on 256/512-bit vectors
  bool vpclmulqdq = false;  // carry-less multiply on 256/512-bit vectors
  bool sha_ni = false;      // SHA-256 round instructions
  bool bmi2 = false;
  bool adx = false;
};

// The features of this CPU (and what the OS lets us use: AVX-512 state must be
// enabled in XCR0), minus anything TLS12_CPU turns off.
const CpuFeatures& cpu_features();

}  // namespace tls12::crypto
