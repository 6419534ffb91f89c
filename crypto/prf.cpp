// The TLS 1.2 pseudorandom function (RFC 5246 §5).
//
//   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) +
//                          HMAC_hash(secret, A(2) + seed) + ...
//   A(0) = seed
//   A(i) = HMAC_hash(secret, A(i-1))
//   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
//
// P_hash is iterated until it has produced enough bytes; the last output block
// is cut to what is needed. The label is ASCII without a length or a trailing
// NUL ("master secret", "key expansion", "client finished", ...).
//
// Every secret of a TLS 1.2 connection comes from here: the master_secret from
// the pre_master_secret (§8.1), the key_block (§6.3), and the Finished
// verify_data (§7.4.9). The hash is SHA-256 unless the cipher suite names
// another: SHA-384 for the *_SHA384 suites (RFC 5288 §3, RFC 5289 §3.2).
#include "crypto/prf.h"

#include <algorithm>

#include "crypto/hmac.h"

namespace tls12::crypto {

namespace {

// P_hash(secret, seed) into `out`.
void p_hash(HashAlgorithm alg, ByteView secret, ByteView seed, MutableByteView out) {
  const Hmac keyed(alg, secret);  // one key set-up, copied for every HMAC below

  Hmac mac = keyed;  // A(1) = HMAC_hash(secret, A(0)), with A(0) = seed
  mac.update(seed);
  Bytes A = mac.finish();
  while (!out.empty()) {
    mac = keyed;  // HMAC_hash(secret, A(i) + seed): the next output block
    mac.update(A);
    mac.update(seed);
    Bytes block = mac.finish();
    const size_t n = std::min(out.size(), block.size());
    std::copy_n(block.begin(), n, out.begin());
    out = out.subspan(n);
    secure_zero(block.data(), block.size());

    if (out.empty()) break;
    mac = keyed;  // A(i+1) = HMAC_hash(secret, A(i))
    mac.update(A);
    Bytes next = mac.finish();
    secure_zero(A.data(), A.size());
    A = std::move(next);
  }
  // A(i) is not output but is derived from the secret alone: wipe it too.
  secure_zero(A.data(), A.size());
}

}  // namespace

void prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
         MutableByteView out) {
  // label + seed: the label's ASCII bytes, then the seed.
  Bytes label_seed(label.begin(), label.end());
  label_seed.insert(label_seed.end(), seed.begin(), seed.end());
  p_hash(alg, secret, label_seed, out);
}

SecretBytes prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
                size_t length) {
  SecretBytes out(length);
  prf(alg, secret, label, seed, out);
  return out;
}

}  // namespace tls12::crypto
