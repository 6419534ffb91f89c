// Shared by the big integer tests (crypto/bignum.h, crypto/montgomery.cpp):
// OpenSSL's BIGNUM as the oracle, with owning handles and the conversions
// between our BigInt and BIGNUM through big-endian bytes, the one encoding
// both sides agree on.
#pragma once

#include <openssl/bn.h>

#include <memory>

#include "crypto/bignum.h"

namespace tls12::crypto::test_support {

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct CtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};

inline Bn to_bn(const BigInt& x) {
  Bytes b = x.to_bytes();
  return Bn(BN_bin2bn(b.data(), static_cast<int>(b.size()), nullptr));
}

inline BigInt from_bn(const BIGNUM* b) {
  Bytes out(static_cast<size_t>(BN_num_bytes(b)));
  BN_bn2bin(b, out.data());
  return BigInt::from_bytes(out);
}

}  // namespace tls12::crypto::test_support
