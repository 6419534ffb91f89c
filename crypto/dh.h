// Finite-field Diffie-Hellman (the DHE key exchange of RFC 5246 §7.4.3 and
// §8.1.2) over the named groups of RFC 7919 ("Negotiated Finite Field
// Diffie-Hellman Ephemeral Parameters"), and over a group (p, g) sent by a
// server in ServerDHParams after checking it.
//
// Each side picks a secret exponent x, sends y = g^x mod p (dh_Ys / dh_Yc), and
// computes Z = peer_y^x mod p. The exponentiation with x is the constant-time
// one of crypto/bignum.h. Z with its leading zero bytes stripped is the
// pre_master_secret (RFC 5246 §8.1.2).
#pragma once

#include <memory>

#include "crypto/bignum.h"
#include "crypto/bytes.h"

namespace tls12::crypto {

enum class FfdheGroup { ffdhe2048, ffdhe3072 };

// The group's prime p (RFC 7919 Appendix A.1, A.2), big-endian; g is 2.
const Bytes& ffdhe_prime(FfdheGroup group);
constexpr uint8_t kFfdheGenerator = 2;

// Checks a peer's public value: 1 < y < p-1, as RFC 7919 §5.1 asks (y = 0, 1
// and p-1 would force the shared secret into {0, 1, p-1}). Leading zero bytes
// in y are allowed. Throws std::invalid_argument.
void validate_dh_public(ByteView p, ByteView y);

// Checks ServerDHParams received by a client (RFC 5246 §7.4.3) when the group
// is not one it knows: p odd of at least 2048 bits (and at most 8192), 1 < g <
// p-1, and 1 < y < p-1. It cannot check that p is a safe prime cheaply, which
// is why RFC 7919 named groups are preferred. Throws std::invalid_argument.
void validate_dh_params(ByteView p, ByteView g, ByteView y);

class DhKeyPair {
 public:
  // A fresh key pair in a named group.
  static DhKeyPair generate(FfdheGroup group);
  // A fresh key pair in a server's group; call validate_dh_params first.
  static DhKeyPair generate(ByteView p, ByteView g);
  // A key pair from a given private exponent (big-endian), for tests.
  static DhKeyPair from_private(FfdheGroup group, ByteView private_exponent);

  // y = g^x mod p, big-endian, left-padded to the size of p (RFC 7919 §3 asks
  // for this padding in dh_Ys and dh_Yc).
  const Bytes& public_value() const { return public_value_; }
  size_t prime_size() const { return prime_size_; }

  // Z = peer_public^x mod p, with leading zero bytes stripped as RFC 5246
  // §8.1.2 requires (so this function does the stripping, not its caller).
  // Throws std::invalid_argument unless 1 < peer_public < p-1.
  SecretBytes shared_secret(ByteView peer_public) const;

 private:
  DhKeyPair(std::shared_ptr<const Montgomery> mont, LimbVector g, LimbVector x);
  std::shared_ptr<const Montgomery> mont_;
  size_t prime_size_ = 0;
  LimbVector x_;  // the private exponent, wiped when freed
  Bytes public_value_;
};

}  // namespace tls12::crypto
