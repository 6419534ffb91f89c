// SHA-512's compression function (FIPS 180-4 §6.4.2) as in
// crypto/sha512_avx2.cpp, with the message schedule's rotations done by
// AVX-512VL on 256-bit registers (vprorq, and vpternlogq for the three-way
// xor of each sigma of §4.1.3): a schedule step takes about 16 operations
// instead of 24, and the schedule has 32 vector registers, so fewer spills.
// The rounds are the same. Chosen when the CPU has AVX-512VL besides AVX2
// and BMI2 (crypto/sha512.cpp); only 256-bit registers are used, so there is
// no frequency penalty for 512-bit ones.
#define TLS12_SHA512_VECTOR_TARGET "avx2,avx512vl"
#define TLS12_SHA512_TARGET "avx2,avx512vl,bmi,bmi2"
#define TLS12_SHA512_COMPRESS sha512_compress_avx512vl
#define TLS12_SHA512_EVEX
#include "crypto/sha512_avx2_body.inc"
