// SHA-512's compression function (FIPS 180-4 §6.4.2) with the message
// schedule computed by AVX2 for two blocks at once, inside the scalar rounds
// of the two blocks before them; the rounds use BMI2's rorx.
//
// Why the schedule: step 1 computes 64 words W(16..79), each from four older
// ones (W(t) = sigma1(W(t-2)) + W(t-7) + sigma0(W(t-15)) + W(t-16)), about a
// third of the work when done one word at a time. W(t) and W(t+1) depend
// only on words before t, so two can be computed together; a 256-bit register
// holds two words of one block in its low half and the same two words of the
// next block in its high half, so one pass schedules two blocks. The words
// plus the round constants K(t) go to a table that the rounds read.
//
// Why inside the rounds: the rounds are a chain of scalar operations that
// leaves the vector units idle, and the schedule of the next pair of blocks
// does not depend on them. One schedule step after every fourth round lets
// the out-of-order core run both at once (as OpenSSL's AVX2 code does).
// Nothing here branches on or indexes by the message.
#define TLS12_SHA512_VECTOR_TARGET "avx2"
#define TLS12_SHA512_TARGET "avx2,bmi,bmi2"
#define TLS12_SHA512_COMPRESS sha512_compress_avx2
#include "crypto/sha512_avx2_body.inc"
