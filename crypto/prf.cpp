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

// P_hash(secret, label + seed) into `out`. The label and the seed go into each
// HMAC one after the other, so label + seed is never built in memory, and
// every HMAC result stays on the stack (crypto::Digest): the PRF runs four
// times per handshake, and its temporaries were most of the handshake's
// allocations.
void p_hash(HashAlgorithm alg, ByteView secret, ByteView label, ByteView seed, MutableByteView out) {
  const Hmac keyed(alg, secret);  // one key set-up, copied for every HMAC below

  Hmac mac = keyed;  // A(1) = HMAC_hash(secret, A(0)), with A(0) = label + seed
  mac.update(label);
  mac.update(seed);
  Digest A = mac.finish_digest();
  while (!out.empty()) {
    mac = keyed;  // HMAC_hash(secret, A(i) + label + seed): the next output block
    mac.update(A);
    mac.update(label);
    mac.update(seed);
    const Digest block = mac.finish_digest();  // wiped when it goes, as A is
    const size_t n = std::min(out.size(), block.size());
    std::copy_n(block.data(), n, out.begin());
    out = out.subspan(n);

    if (out.empty()) break;
    mac = keyed;  // A(i+1) = HMAC_hash(secret, A(i))
    mac.update(A);
    A = mac.finish_digest();
  }
}

}  // namespace

void prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
         MutableByteView out) {
  // The label's ASCII bytes, then the seed.
  p_hash(alg, secret, as_bytes(label), seed, out);
}

SecretBytes prf(HashAlgorithm alg, ByteView secret, std::string_view label, ByteView seed,
                size_t length) {
  SecretBytes out(length);
  prf(alg, secret, label, seed, out);
  return out;
}

}  // namespace tls12::crypto
