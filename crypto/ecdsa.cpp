// ECDSA over P-256 (FIPS 186-5 §6.4.1 and §6.4.2) and P-384 (verification), RFC 6979 §3.2 nonces, and
// the strict DER of Ecdsa-Sig-Value (RFC 5480 §2.2); see ecdsa.h.
#include "crypto/ecdsa.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/bignum.h"
#include "crypto/hmac.h"

namespace tls12::crypto {
namespace {

using p256::kOrderN;
using p256::Limbs;

// x mod n for x < 2^256: n > 2^255, so one masked subtraction is enough.
Limbs reduce_once_mod_n(const Limbs& x) {
  Limbs reduced, out = x;
  const uint64_t borrow = p256::sub_borrow(reduced, x, kOrderN.m);
  p256::select(out, reduced, p256::mask_from_bit(borrow ^ 1));
  return out;
}

// bits2int (RFC 6979 §2.3.2) for qlen = 256: the leftmost 256 bits of the
// hash as an integer (a shorter hash is taken whole). FIPS 186-5 §6.4.1 step 3
// turns the hash into e the same way.
Limbs bits2int(ByteView digest) {
  std::array<uint8_t, 32> padded{};
  const size_t n = std::min<size_t>(digest.size(), 32);
  std::copy_n(digest.begin(), n, padded.end() - static_cast<std::ptrdiff_t>(n));
  return p256::limbs_from_bytes(padded);
}

std::array<uint8_t, 32> to_bytes(const Limbs& a) {
  std::array<uint8_t, 32> out{};
  p256::limbs_to_bytes(a, out);
  return out;
}

// The scalars of a signature, checked to lie in [1, n-1].
bool in_scalar_range(const Limbs& x) { return !p256::is_zero_mask(x) && p256::less_than_mask(x, kOrderN.m); }

// ---- DER: the one encoding of an Ecdsa-Sig-Value --------------------------------

void append_integer(Bytes& out, const std::array<uint8_t, 32>& value) {
  size_t start = 0;
  while (start < 31 && value[start] == 0) ++start;  // fewest octets (X.690 §8.3.2)
  const bool pad = (value[start] & 0x80) != 0;       // keep it non-negative
  out.push_back(0x02);
  out.push_back(static_cast<uint8_t>(32 - start + (pad ? 1 : 0)));
  if (pad) out.push_back(0x00);
  out.insert(out.end(), value.begin() + static_cast<std::ptrdiff_t>(start), value.end());
}

// Reads one INTEGER at `pos`; nullopt unless it is minimal, non-negative and
// below 2^(64 N). Every length is below 128, so the short form is the only DER one.
template <size_t N>
std::optional<ec_field::Limbs<N>> read_integer(ByteView der, size_t& pos) {
  constexpr size_t size = 8 * N;
  if (der.size() - pos < 2 || der[pos] != 0x02) return std::nullopt;
  const size_t len = der[pos + 1];
  pos += 2;
  if (len == 0 || len > size + 1 || der.size() - pos < len) return std::nullopt;
  ByteView v = der.subspan(pos, len);
  pos += len;
  if (v[0] & 0x80) return std::nullopt;                                   // negative
  if (len > 1 && v[0] == 0 && (v[1] & 0x80) == 0) return std::nullopt;  // leading zero not needed
  if (len == size + 1) {
    if (v[0] != 0) return std::nullopt;  // 2^(64 N) or more
    v = v.subspan(1);                    // the sign octet, then the value
  }
  std::array<uint8_t, size> padded{};
  std::copy(v.begin(), v.end(), padded.end() - static_cast<std::ptrdiff_t>(v.size()));
  return ec_field::limbs_from_bytes<N>(padded);
}

// SEQUENCE { r INTEGER, s INTEGER } and nothing after it, both in [1, n-1].
template <size_t N>
std::optional<std::array<ec_field::Limbs<N>, 2>> read_signature(ByteView der, const ec_field::Modulus<N>& n) {
  if (der.size() < 2 || der[0] != 0x30 || der[1] >= 0x80 || der[1] != der.size() - 2) return std::nullopt;
  size_t pos = 2;
  const auto r = read_integer<N>(der, pos);
  if (!r) return std::nullopt;
  const auto s = read_integer<N>(der, pos);
  if (!s || pos != der.size()) return std::nullopt;
  for (const auto& x : {*r, *s}) {
    if (ec_field::is_zero_mask(x) || !ec_field::less_than_mask(x, n.m)) return std::nullopt;
  }
  return std::array<ec_field::Limbs<N>, 2>{*r, *s};
}

// (x(R) mod n) for a point R that is not infinity: one inversion of Z, and
// only x (y is not needed).
Limbs x_mod_n(const p256::Point& r) {
  const p256::Fe z_inv = {p256::field_inverse(r.z.v)};
  return reduce_once_mod_n(p256::from_mont((r.x * z_inv).v, p256::kFieldP));
}

}  // namespace

Bytes encode_ecdsa_signature(const EcdsaSignature& sig) {
  Bytes body;
  append_integer(body, sig.r);
  append_integer(body, sig.s);
  // At most 70 octets: the short length form, the only DER one below 128.
  body.insert(body.begin(), {uint8_t{0x30}, static_cast<uint8_t>(body.size())});
  return body;
}

std::optional<EcdsaSignature> decode_ecdsa_signature(ByteView der) {
  const auto rs = read_signature<4>(der, kOrderN);
  if (!rs) return std::nullopt;
  return EcdsaSignature{to_bytes((*rs)[0]), to_bytes((*rs)[1])};
}

// ---- RFC 6979 §3.2 ---------------------------------------------------------------

Rfc6979Nonce::Rfc6979Nonce(HashAlgorithm hash, ByteView private_key, ByteView digest)
    : hash_(hash),
      keyed_(hash, Bytes(digest_size(hash), 0x00)),  // step c: K = 0x00 0x00 ...
      v_(digest_size(hash), 0x01) {                   // step b: V = 0x01 0x01 ...
  // Step d's seed: int2octets(x) || bits2octets(h1), where bits2octets reduces
  // bits2int(h1) mod q (RFC 6979 §2.3.4).
  const auto h1 = to_bytes(reduce_once_mod_n(bits2int(digest)));
  SecretBytes seed(private_key.begin(), private_key.end());
  seed.insert(seed.end(), h1.begin(), h1.end());
  update_key(0x00, seed);  // steps d, e
  update_key(0x01, seed);  // steps f, g
}

void Rfc6979Nonce::update_key(uint8_t separator, ByteView seed) {
  Hmac mac = keyed_;
  mac.update(v_);
  mac.update(ByteView(&separator, 1));
  mac.update(seed);
  const Digest k = mac.finish_digest();  // wiped when it goes
  keyed_ = Hmac(hash_, k);
  update_v();
}

// V = HMAC_K(V), from a copy of the keyed HMAC: its two padded key blocks
// are hashed once per K, not once per V.
void Rfc6979Nonce::update_v() {
  Hmac mac = keyed_;
  mac.update(v_);
  const Digest v = mac.finish_digest();
  std::copy_n(v.data(), v.size(), v_.begin());
}

std::array<uint8_t, 32> Rfc6979Nonce::next() {
  for (;;) {
    // Step h.3 after a refused candidate (or one the signer could not use).
    if (!first_) update_key(0x00, {});
    first_ = false;
    // Step h.1-h.2: T = V || V || ... until 256 bits (one block for SHA-256/384/512).
    std::array<uint8_t, 32> k{};
    for (size_t filled = 0; filled < k.size();) {
      update_v();
      const size_t take = std::min(v_.size(), k.size() - filled);
      std::copy_n(v_.begin(), take, k.begin() + static_cast<std::ptrdiff_t>(filled));
      filled += take;
    }
    // A candidate >= n happens with probability 2^-32; revealing that one was
    // skipped says nothing about the one used.
    uint64_t ok = ~p256::is_zero_mask(bits2int(k)) & p256::less_than_mask(bits2int(k), kOrderN.m);
    ct_declassify(&ok, sizeof ok);
    if (ok) return k;
  }
}

// ---- Sign and verify (FIPS 186-5 §6.4.1, §6.4.2) ------------------------------------

EcdsaSignature ecdsa_p256_sign_digest(ByteView private_key, HashAlgorithm hash, ByteView digest) {
  Limbs d;
  if (!p256::private_scalar_from_bytes(private_key, d))
    throw std::invalid_argument("P-256 private key must be 32 bytes in [1, n-1]");
  const Limbs e_mont = p256::to_mont(reduce_once_mod_n(bits2int(digest)), kOrderN);
  const Limbs d_mont = p256::to_mont(d, kOrderN);
  Rfc6979Nonce nonces(hash, private_key, digest);
  for (;;) {
    auto k_bytes = nonces.next();
    const Limbs k = p256::limbs_from_bytes(k_bytes);
    secure_zero(k_bytes.data(), k_bytes.size());
    // k in [1, n-1], so k*G is never infinity.
    Limbs r = x_mod_n(p256::scalar_base_mult(k));
    ct_declassify(r.data(), sizeof r);  // r is part of the signature
    if (p256::is_zero_mask(r)) continue;
    // s = k^-1 (e + r*d) mod n; the inverse is a fixed exponentiation (Fermat),
    // the same steps for every k.
    const Limbs k_inv = p256::order_inverse(p256::to_mont(k, kOrderN));
    const Limbs rd = p256::order_mul(p256::to_mont(r, kOrderN), d_mont);
    Limbs s = p256::from_mont(p256::order_mul(k_inv, p256::mod_add(e_mont, rd, kOrderN)), kOrderN);
    ct_declassify(s.data(), sizeof s);  // s is part of the signature
    if (p256::is_zero_mask(s)) continue;
    secure_zero(d.data(), sizeof d);
    return {to_bytes(r), to_bytes(s)};
  }
}

Bytes ecdsa_p256_sign(ByteView private_key, HashAlgorithm hash, ByteView message) {
  return encode_ecdsa_signature(ecdsa_p256_sign_digest(private_key, hash, crypto::hash(hash, message)));
}

bool ecdsa_p256_verify_digest(ByteView public_key, ByteView digest, const EcdsaSignature& sig) {
  const auto q = p256::decode_point(public_key);
  if (!q) return false;
  const Limbs r = p256::limbs_from_bytes(sig.r), s = p256::limbs_from_bytes(sig.s);
  if (!in_scalar_range(r) || !in_scalar_range(s)) return false;  // §6.4.2 step 1
  const Limbs e_mont = p256::to_mont(reduce_once_mod_n(bits2int(digest)), kOrderN);
  const Limbs w = p256::order_inverse(p256::to_mont(s, kOrderN));
  const Limbs u1 = p256::from_mont(p256::order_mul(e_mont, w), kOrderN);
  const Limbs u2 = p256::from_mont(p256::order_mul(p256::to_mont(r, kOrderN), w), kOrderN);
  // Everything here is public; the constant-time multiplications are simply
  // the ones we have. The complete addition copes with u1*G = ±u2*Q.
  const p256::Point big_r = p256::point_add(p256::scalar_base_mult(u1), p256::scalar_mult(u2, *q));
  if (p256::is_infinity_mask(big_r)) return false;
  return p256::equal_mask(x_mod_n(big_r), r) != 0;
}

bool ecdsa_p256_verify(ByteView public_key, HashAlgorithm hash, ByteView message, ByteView der_signature) {
  const auto sig = decode_ecdsa_signature(der_signature);
  if (!sig) return false;
  return ecdsa_p256_verify_digest(public_key, crypto::hash(hash, message), *sig);
}


// ---- P-384 verification (FIPS 186-5 §6.4.2) ----------------------------------------

namespace {

// e: the leftmost 384 bits of the hash (a shorter hash taken whole), reduced
// once mod n (n > 2^383).
p384::Limbs p384_digest_mod_n(ByteView digest) {
  std::array<uint8_t, p384::scalar_size> padded{};
  const size_t len = std::min(digest.size(), p384::scalar_size);
  std::copy_n(digest.begin(), len, padded.end() - static_cast<std::ptrdiff_t>(len));
  p384::Limbs e = p384::limbs_from_bytes(padded), reduced;
  if (!ec_field::sub_borrow(reduced, e, p384::kOrderN.m)) e = reduced;
  return e;
}

}  // namespace

bool ecdsa_p384_verify(ByteView public_key, HashAlgorithm hash, ByteView message, ByteView der_signature) {
  using p384::kOrderN;
  const auto q = p384::decode_point(public_key);
  const auto rs = read_signature<6>(der_signature, kOrderN);
  if (!q || !rs) return false;
  const auto& [r, s] = *rs;
  const p384::Limbs e = ec_field::to_mont(p384_digest_mod_n(crypto::hash(hash, message)), kOrderN);
  const p384::Limbs w = ec_field::mont_inverse(ec_field::to_mont(s, kOrderN), kOrderN);
  const p384::Limbs u1 = ec_field::from_mont(ec_field::mont_mul(e, w, kOrderN), kOrderN);
  const p384::Limbs u2 = ec_field::from_mont(ec_field::mont_mul(ec_field::to_mont(r, kOrderN), w, kOrderN), kOrderN);
  const auto x = p384::affine_x(p384::double_scalar_mult_public(u1, u2, *q));
  if (!x) return false;  // R is infinity
  // x(R) < p < 2n, so one subtraction reduces it mod n.
  p384::Limbs x_mod_n = *x, reduced;
  if (!ec_field::sub_borrow(reduced, x_mod_n, kOrderN.m)) x_mod_n = reduced;
  return ec_field::equal_mask(x_mod_n, r) != 0;
}

}  // namespace tls12::crypto
