// OpenSSL's P-256 as an oracle for the ECDH and ECDSA tests and the EC bench:
// key pairs moved between OpenSSL's EVP_PKEY and our raw forms (the 32-byte
// private scalar, the 65-byte uncompressed point), ECDH, and ECDSA signing
// and verification over DER signatures (the encoding both sides share).
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <memory>
#include <stdexcept>

#include "crypto/bytes.h"

namespace tls12::crypto::test_support {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

inline void ossl_check(int ok, const char* what) {
  if (ok != 1) throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

inline Pkey p256_generate() {
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

// The private scalar, 32 bytes big-endian.
inline Bytes p256_private_of(EVP_PKEY* key) {
  BIGNUM* d = nullptr;
  ossl_check(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d), "get private key");
  Bytes out(32);
  const int n = BN_bn2binpad(d, out.data(), 32);
  BN_clear_free(d);
  ossl_check(n == 32, "private key to 32 bytes");
  return out;
}

// The public point, uncompressed (OpenSSL's default encoding for P-256).
inline Bytes p256_public_of(EVP_PKEY* key) {
  Bytes out(65);
  size_t len = 0;
  ossl_check(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, out.data(), out.size(), &len),
             "get public key");
  out.resize(len);
  return out;
}

// An EVP_PKEY from our raw key: the public point alone, or with the scalar.
inline Pkey p256_key_from(ByteView public_key, ByteView private_key = {}) {
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  BIGNUM* d = private_key.empty() ? nullptr : BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr);
  OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, public_key.data(), public_key.size());
  if (d) OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  const int ok = EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
                 EVP_PKEY_fromdata(ctx.get(), &key, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) == 1;
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_clear_free(d);
  ossl_check(ok ? 1 : 0, "EVP_PKEY_fromdata");
  return Pkey(key);
}

inline Bytes p256_ecdh_openssl(EVP_PKEY* ours, EVP_PKEY* peer) {
  PkeyCtx ctx(EVP_PKEY_CTX_new(ours, nullptr));
  ossl_check(EVP_PKEY_derive_init(ctx.get()), "derive init");
  ossl_check(EVP_PKEY_derive_set_peer(ctx.get(), peer), "derive set peer");
  size_t len = 0;
  ossl_check(EVP_PKEY_derive(ctx.get(), nullptr, &len), "derive length");
  Bytes out(len);
  ossl_check(EVP_PKEY_derive(ctx.get(), out.data(), &len), "derive");
  out.resize(len);
  return out;
}

// ECDSA with SHA-256 over `message`, DER signature.
inline Bytes p256_sign_openssl(EVP_PKEY* key, ByteView message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Bytes sig(80);
  size_t len = sig.size();
  const int ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                 EVP_DigestSign(ctx, sig.data(), &len, message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ossl_check(ok ? 1 : 0, "EVP_DigestSign");
  sig.resize(len);
  return sig;
}

inline bool p256_verify_openssl(EVP_PKEY* key, ByteView message, ByteView sig) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx, sig.data(), sig.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

}  // namespace tls12::crypto::test_support
