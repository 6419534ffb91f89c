// RSA keys and the RSA primitives of RFC 8017 §5: RSAEP/RSAVP1 (the public
// operation m^e mod n) and RSADP/RSASP1 (the private operation c^d mod n).
//
// The private operation is the one an attacker can probe (a TLS server decrypts
// whatever ClientKeyExchange it is sent), so it is built with three defences:
//  1. Constant time: the two CRT halves (RFC 8017 §5.1.2, step 2.b) run on
//     fixed-width Montgomery code with a fixed-window exponentiation; nothing
//     branches on or indexes memory with the secret exponents or primes.
//  2. Blinding: the input c is replaced by c * r^e for a random r, and the
//     result multiplied by r^-1, so the values the exponentiation works on are
//     unknown to the attacker even if some leak remained (Kocher 1996).
//  3. Fault check: the result is raised to e and compared with the input
//     before it leaves. A glitch in one CRT half would otherwise produce a
//     result whose gcd with n reveals a prime factor (Boneh, DeMillo, Lipton).
#include "crypto/rsa.h"

#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "crypto/bignum.h"
#include "crypto/rsa_internal.h"

namespace tls12::crypto {

struct RsaPublicKey::Impl {
  BigInt n, e;
  size_t bits = 0, k = 0;  // modulus size in bits and bytes
  Montgomery mont_n;
  Impl(BigInt n_, BigInt e_) : n(std::move(n_)), e(std::move(e_)), mont_n(n) {
    bits = n.bit_length();
    k = (bits + 7) / 8;
  }
};

struct RsaPrivateKey::Impl {
  RsaPublicKey pub;
  Montgomery mont_p, mont_q;  // the primes are secret: so are their constants
  LimbVector q;               // q, as wide as the q-Montgomery context
  LimbVector dp, dq;          // d mod (p-1), d mod (q-1)
  LimbVector qinv_mont;       // q^-1 mod p, in Montgomery form mod p

  // Blinding pair (RFC 8017 leaves the method open; this is OpenSSL's): vf =
  // r^e and vi = r^-1 mod n, both in Montgomery form mod n. Squaring both gives
  // a fresh pair for (r^2); a new r is drawn every kBlindingUses operations.
  // Why squaring: a fresh pair costs two random draws, a modular inverse by
  // Euclid's algorithm and an exponentiation by e (18 multiplications mod n),
  // a tenth or more of a private operation if paid every time; advancing the
  // pair costs two squarings. (r^2)^e and r^-2 are as unknown to an attacker as
  // r^e and r^-1, and the regular fresh r keeps one draw from being used
  // forever.
  mutable std::mutex blinding_mutex;
  mutable LimbVector blind_vf, blind_vi;
  mutable int blinding_uses_left = 0;

  Impl(RsaPublicKey pub_, const BigInt& p, const BigInt& q_)
      : pub(std::move(pub_)), mont_p(p), mont_q(q_) {}
};

namespace {

constexpr int kBlindingUses = 32;

std::string bits_message(size_t bits, const char* range) {
  return "RSA modulus of " + std::to_string(bits) + " bits is outside " + range;
}

LimbVector limbs_from_bytes(ByteView input, size_t limbs) {
  return BigInt::from_bytes(input).to_fixed(limbs);
}

SecretBytes limbs_to_bytes(const LimbVector& v, size_t k) {
  SecretBytes out(k);
  ct_limbs_to_bytes(v.data(), v.size(), out);
  return out;
}

// Draws a new blinding pair. The inverse is computed with Euclid's algorithm,
// whose running time depends on its input; to keep that from revealing r, it
// inverts r*s for a second random s and then multiplies by s.
void refresh_blinding(const RsaPrivateKey::Impl& key) {
  const auto& pub = key.pub.impl();
  for (;;) {
    BigInt r = BigInt::random_below(pub.n);
    BigInt s = BigInt::random_below(pub.n);
    BigInt rs = (r * s) % pub.n;
    BigInt rs_inv;
    try {
      rs_inv = mod_inverse(rs, pub.n);
    } catch (const std::invalid_argument&) {
      continue;  // gcd(r*s, n) != 1: would mean r or s shares a prime with n
    }
    BigInt vi = (rs_inv * s) % pub.n;
    LimbVector r_fixed = r.to_fixed(pub.mont_n.limbs());
    LimbVector vf = pub.mont_n.exp_public(r_fixed.data(), pub.e);
    LimbVector vi_fixed = vi.to_fixed(pub.mont_n.limbs());
    key.blind_vf.resize(pub.mont_n.limbs());
    key.blind_vi.resize(pub.mont_n.limbs());
    pub.mont_n.to_mont(key.blind_vf.data(), vf.data());
    pub.mont_n.to_mont(key.blind_vi.data(), vi_fixed.data());
    key.blinding_uses_left = kBlindingUses;
    return;
  }
}

// Takes the current blinding pair and advances the stored one by squaring.
void next_blinding(const RsaPrivateKey::Impl& key, LimbVector& vf, LimbVector& vi) {
  std::lock_guard<std::mutex> lock(key.blinding_mutex);
  const Montgomery& mont = key.pub.impl().mont_n;
  if (key.blinding_uses_left == 0) refresh_blinding(key);
  vf = key.blind_vf;
  vi = key.blind_vi;
  mont.sqr(key.blind_vf.data(), key.blind_vf.data());
  mont.sqr(key.blind_vi.data(), key.blind_vi.data());
  --key.blinding_uses_left;
}

}  // namespace

// ---- Public key ---------------------------------------------------------

RsaPublicKey RsaPublicKey::from_components(ByteView n_bytes, ByteView e_bytes, RsaKeyPolicy policy) {
  BigInt n = BigInt::from_bytes(n_bytes), e = BigInt::from_bytes(e_bytes);
  const size_t bits = n.bit_length();
  const size_t min_bits = policy == RsaKeyPolicy::allow_1024_for_verification ? 1024 : 2048;
  if (bits < min_bits || bits > 4096) {
    throw std::invalid_argument(
        bits_message(bits, min_bits == 1024 ? "1024..4096" : "2048..4096"));
  }
  if (!n.is_odd()) throw std::invalid_argument("RSA modulus is even");
  if (!e.is_odd() || e == BigInt(1) || e >= n) {
    throw std::invalid_argument("RSA public exponent must be odd, greater than 1 and below n");
  }
  return RsaPublicKey(std::make_shared<const Impl>(std::move(n), std::move(e)));
}

size_t RsaPublicKey::bits() const { return impl_->bits; }
size_t RsaPublicKey::size() const { return impl_->k; }
Bytes RsaPublicKey::modulus() const { return impl_->n.to_bytes(); }
Bytes RsaPublicKey::public_exponent() const { return impl_->e.to_bytes(); }

// ---- Private key --------------------------------------------------------

RsaPrivateKey RsaPrivateKey::from_components(ByteView n_bytes, ByteView e_bytes, ByteView d_bytes,
                                             ByteView p_bytes, ByteView q_bytes, ByteView dp_bytes,
                                             ByteView dq_bytes, ByteView qinv_bytes) {
  // Validation runs once, on variable-time arithmetic: acceptable for a key
  // being loaded, unlike for the operations an attacker can repeat.
  RsaPublicKey pub = RsaPublicKey::from_components(n_bytes, e_bytes, RsaKeyPolicy::standard);
  const BigInt& n = pub.impl().n;
  const BigInt& e = pub.impl().e;
  BigInt d = BigInt::from_bytes(d_bytes), p = BigInt::from_bytes(p_bytes),
         q = BigInt::from_bytes(q_bytes), dp = BigInt::from_bytes(dp_bytes),
         dq = BigInt::from_bytes(dq_bytes), qinv = BigInt::from_bytes(qinv_bytes);
  auto fail = [](const char* what) { throw std::invalid_argument(std::string("RSA private key: ") + what); };
  if (p < BigInt(3) || q < BigInt(3) || !p.is_odd() || !q.is_odd()) fail("primes must be odd and > 2");
  if (p * q != n) fail("n is not p*q");
  if (d.is_zero() || d >= n) fail("private exponent out of range");
  const BigInt p1 = p - BigInt(1), q1 = q - BigInt(1);
  if (dp != d % p1 || dq != d % q1) fail("CRT exponents do not match d");
  if ((e * dp) % p1 != BigInt(1) || (e * dq) % q1 != BigInt(1)) fail("d is not an inverse of e");
  if (qinv >= p || (q * qinv) % p != BigInt(1)) fail("qInv is not q^-1 mod p");

  auto impl = std::make_shared<Impl>(pub, p, q);
  impl->q = q.to_fixed(impl->mont_q.limbs());
  impl->dp = dp.to_fixed(impl->mont_p.limbs());
  impl->dq = dq.to_fixed(impl->mont_q.limbs());
  LimbVector qinv_fixed = qinv.to_fixed(impl->mont_p.limbs());
  impl->qinv_mont.resize(impl->mont_p.limbs());
  impl->mont_p.to_mont(impl->qinv_mont.data(), qinv_fixed.data());
  return RsaPrivateKey(std::move(impl));
}

namespace {

// One prime factor of n from (n, e, d): de - 1 = 2^t * r with r odd is a
// multiple of lambda(n), so for a random g the sequence g^r, g^2r, ... reaches
// 1; the value just before it, if not -1, is a square root of 1 whose
// difference with 1 shares exactly one prime with n. Each g works with
// probability at least 1/2.
BigInt factor_from_exponents(const BigInt& n, const BigInt& e, const BigInt& d) {
  const BigInt k = e * d - BigInt(1);
  size_t t = 0;
  while (!k.is_zero() && !k.bit(t)) ++t;
  if (k.is_zero() || t == 0) throw std::invalid_argument("RSA private key: e*d - 1 is not even");
  const BigInt r = k >> t;
  const BigInt n1 = n - BigInt(1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    BigInt y = mod_exp_public(BigInt::random_below(n1) + BigInt(1), r, n);
    if (y == BigInt(1) || y == n1) continue;
    for (size_t j = 0; j < t; ++j) {
      BigInt x = (y * y) % n;
      if (x == BigInt(1)) return gcd(y - BigInt(1), n);
      if (x == n1) break;
      y = std::move(x);
    }
  }
  throw std::invalid_argument("RSA private key: d does not match n and e");
}

}  // namespace

RsaPrivateKey RsaPrivateKey::from_n_e_d(ByteView n_bytes, ByteView e_bytes, ByteView d_bytes) {
  const BigInt n = BigInt::from_bytes(n_bytes), e = BigInt::from_bytes(e_bytes),
               d = BigInt::from_bytes(d_bytes);
  if (n < BigInt(15) || !n.is_odd() || e.is_zero() || d.is_zero()) {
    throw std::invalid_argument("RSA private key: n, e or d out of range");
  }
  BigInt p = factor_from_exponents(n, e, d);
  BigInt q = n / p;
  if (p < q) std::swap(p, q);
  const BigInt dp = d % (p - BigInt(1)), dq = d % (q - BigInt(1));
  const BigInt qinv = mod_inverse(q, p);
  return from_components(n_bytes, e_bytes, d_bytes, p.to_bytes(), q.to_bytes(), dp.to_bytes(),
                         dq.to_bytes(), qinv.to_bytes());
}

const RsaPublicKey& RsaPrivateKey::public_key() const { return impl_->pub; }

std::vector<std::span<const uint8_t>> RsaPrivateKey::secret_memory_for_testing() const {
  auto bytes = [](const LimbVector& v) {
    return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(Limb));
  };
  std::vector<std::span<const uint8_t>> out = {bytes(impl_->q), bytes(impl_->dp), bytes(impl_->dq),
                                                bytes(impl_->qinv_mont)};
  for (const auto& m : {&impl_->mont_p, &impl_->mont_q}) {
    auto mem = m->memory();
    out.insert(out.end(), mem.begin(), mem.end());
  }
  return out;
}

// ---- The primitives -----------------------------------------------------

namespace detail {

bool input_in_range(const RsaPublicKey& key, ByteView input) {
  return input.size() == key.size() && BigInt::from_bytes(input) < key.impl().n;
}

Limb rsa_private_masked(const RsaPrivateKey& key, ByteView input, SecretBytes& output) {
  const auto& k = key.impl();
  const auto& pub = k.pub.impl();
  const Montgomery& mn = pub.mont_n;
  const Montgomery& mp = k.mont_p;
  const Montgomery& mq = k.mont_q;
  const size_t kn = mn.limbs(), kp = mp.limbs(), kq = mq.limbs();

  const LimbVector c = limbs_from_bytes(input, kn);  // public: the ciphertext
  LimbVector vf, vi;
  next_blinding(k, vf, vi);
  LimbVector blinded(kn);
  mn.mul(blinded.data(), c.data(), vf.data());  // c * r^e mod n

  // RFC 8017 §5.1.2 step 2.b: m1 = c^dP mod p, m2 = c^dQ mod q,
  // h = (m1 - m2) * qInv mod p, m = m2 + q*h.
  LimbVector cp(kp), cq(kq), m2p(kp), h(kp);
  mp.reduce(cp.data(), blinded.data(), kn);
  mq.reduce(cq.data(), blinded.data(), kn);
  LimbVector m1, m2;
  if (!exp_secret_pair_1024(mp, cp.data(), k.dp.data(), mq, cq.data(), k.dq.data(), m1, m2)) {
    m1 = mp.exp_secret(cp.data(), k.dp.data(), kp);
    m2 = mq.exp_secret(cq.data(), k.dq.data(), kq);
  }
  mp.reduce(m2p.data(), m2.data(), kq);  // q may be larger than p
  mp.sub_mod(h.data(), m1.data(), m2p.data());
  mp.mul(h.data(), h.data(), k.qinv_mont.data());  // Montgomery form cancels: (m1-m2)*qInv

  // m = m2 + q*h, schoolbook with fixed loop bounds (< n, so it fits kn limbs
  // plus possibly one zero limb).
  LimbVector m(kp + kq + 1, 0);
  for (size_t i = 0; i < kq; ++i) {
    Limb carry = 0;
    for (size_t j = 0; j < kp; ++j) {
      unsigned __int128 t = static_cast<unsigned __int128>(k.q[i]) * h[j] + m[i + j] + carry;
      m[i + j] = static_cast<Limb>(t);
      carry = static_cast<Limb>(t >> 64);
    }
    m[i + kp] = carry;
  }
  Limb carry = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    unsigned __int128 t = static_cast<unsigned __int128>(m[i]) + (i < kq ? m2[i] : 0) + carry;
    m[i] = static_cast<Limb>(t);
    carry = static_cast<Limb>(t >> 64);
  }
  m.resize(kn);  // the dropped limbs are zero because m < n

  LimbVector result(kn);
  mn.mul(result.data(), m.data(), vi.data());  // unblind: * r^-1 mod n

  // Fault check: result^e must give back the input. Variable time in e only.
  LimbVector check = mn.exp_public(result.data(), pub.e);
  Limb diff = 0;
  for (size_t i = 0; i < kn; ++i) diff |= check[i] ^ c[i];
  output = limbs_to_bytes(result, pub.k);
  return ct_mask_zero(diff);
}

}  // namespace detail

Bytes rsa_public_operation(const RsaPublicKey& key, ByteView input) {
  if (!detail::input_in_range(key, input)) {
    throw std::invalid_argument("RSA input must be k bytes and smaller than the modulus");
  }
  const Montgomery& mn = key.impl().mont_n;
  LimbVector x = limbs_from_bytes(input, mn.limbs());
  LimbVector y = mn.exp_public(x.data(), key.impl().e);
  return BigInt::from_limbs(y.data(), y.size()).to_bytes(key.size());
}

SecretBytes rsa_private_operation(const RsaPrivateKey& key, ByteView input) {
  if (!detail::input_in_range(key.public_key(), input)) {
    throw std::invalid_argument("RSA input must be k bytes and smaller than the modulus");
  }
  SecretBytes out;
  Limb ok = detail::rsa_private_masked(key, input, out);
  ct_declassify(&ok, sizeof ok);  // a failed fault check is reported, so it is public
  if (ok == 0) throw std::runtime_error("RSA private operation failed its consistency check");
  return out;
}

}  // namespace tls12::crypto
