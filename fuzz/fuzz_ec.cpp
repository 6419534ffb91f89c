// libFuzzer target for the P-256 parsers: the strict DER of Ecdsa-Sig-Value
// (crypto/ecdsa.h), SEC 1 point decoding (crypto/p256.h) and id-ecPublicKey
// SubjectPublicKeyInfo (x509/ec_keys.h). What decodes must re-encode to
// exactly the input (one encoding per value); verification of an arbitrary
// signature must return, never crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/ecdsa.h"
#include "crypto/p256.h"
#include "x509/ec_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tls12;
  const ByteView input(data, size);
  if (const auto sig = crypto::decode_ecdsa_signature(input)) {
    const Bytes again = crypto::encode_ecdsa_signature(*sig);
    if (again != Bytes(input.begin(), input.end())) std::abort();  // a second encoding was accepted
    static const auto key = crypto::p256::KeyPair::generate();
    (void)crypto::ecdsa_p256_verify(key.public_key, crypto::HashAlgorithm::sha256, input, input);
  }
  if (const auto point = crypto::p256::decode_point(input)) {
    const auto again = crypto::p256::encode_point(*point);
    if (ByteView(again).size() != size || !std::equal(again.begin(), again.end(), input.begin())) std::abort();
  }
  try {
    (void)x509::parse_ec_subject_public_key_info(input);
  } catch (const std::exception&) {
    // Refused input is the expected outcome for most of the corpus.
  }
  return 0;
}
