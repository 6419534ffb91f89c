// Finite-field Diffie-Hellman over the RFC 7919 groups (see dh.h).
//
// Private exponent size: RFC 7919 §5.2 allows short exponents as long as they
// have at least twice the bits of the group's security level (Appendix A lists
// 225 bits for ffdhe2048 and 275 for ffdhe3072). We draw 256 and 320 bits (512
// for a larger server-chosen group): the exponentiation costs grow with the
// exponent, and these stay above those minimums.
#include "crypto/dh.h"

#include <stdexcept>
#include <string>

#include "crypto/random.h"

namespace tls12::crypto {

namespace {

const Bytes kFfdhe2048 = from_hex(
    "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695"
    "A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A"
    "D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
    "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A"
    "BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4"
    "AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
    "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005"
    "C58EF1837D1683B2C6F34A26C1B2EFFA886B423861285C97FFFFFFFFFFFFFFFF");

const Bytes kFfdhe3072 = from_hex(
    "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695"
    "A9E13641146433FBCC939DCE249B3EF97D2FE363630C75D8F681B202AEC4617A"
    "D3DF1ED5D5FD65612433F51F5F066ED0856365553DED1AF3B557135E7F57C935"
    "984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F483A797A"
    "BC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4"
    "AE56EDE76372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F61"
    "9172FE9CE98583FF8E4F1232EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005"
    "C58EF1837D1683B2C6F34A26C1B2EFFA886B4238611FCFDCDE355B3B6519035B"
    "BC34F4DEF99C023861B46FC9D6E6C9077AD91D2691F7F7EE598CB0FAC186D91C"
    "AEFE130985139270B4130C93BC437944F4FD4452E2D74DD364F2E21E71F54BFF"
    "5CAE82AB9C9DF69EE86D2BC522363A0DABC521979B0DEADA1DBF9A42D5C4484E"
    "0ABCD06BFA53DDEF3C1B20EE3FD59D7C25E41D2B66C62E37FFFFFFFFFFFFFFFF");

// One Montgomery context per named group, built on first use.
std::shared_ptr<const Montgomery> group_context(FfdheGroup group) {
  static const auto ctx2048 = std::make_shared<const Montgomery>(BigInt::from_bytes(kFfdhe2048));
  static const auto ctx3072 = std::make_shared<const Montgomery>(BigInt::from_bytes(kFfdhe3072));
  return group == FfdheGroup::ffdhe2048 ? ctx2048 : ctx3072;
}

size_t exponent_bits(size_t prime_bits) {
  if (prime_bits <= 2048) return 256;
  if (prime_bits <= 3072) return 320;
  return 512;
}

// A random exponent of exactly `bits` bits (top bit set, so x > 1).
LimbVector random_exponent(size_t bits) {
  SecretBytes bytes(bits / 8);
  random_bytes(bytes);
  bytes[0] |= 0x80;
  return BigInt::from_bytes(bytes).to_fixed(bits / 64);
}

// 1 < y < p-1 on public values.
bool in_open_range(const BigInt& y, const BigInt& p) { return y > BigInt(1) && y < p - BigInt(1); }

}  // namespace

const Bytes& ffdhe_prime(FfdheGroup group) {
  return group == FfdheGroup::ffdhe2048 ? kFfdhe2048 : kFfdhe3072;
}

void validate_dh_public(ByteView p, ByteView y) {
  if (!in_open_range(BigInt::from_bytes(y), BigInt::from_bytes(p))) {
    throw std::invalid_argument("DH public value is not in the range 1 < y < p-1");
  }
}

void validate_dh_params(ByteView p_bytes, ByteView g_bytes, ByteView y_bytes) {
  const BigInt p = BigInt::from_bytes(p_bytes);
  if (p.bit_length() < 2048 || p.bit_length() > 8192) {
    throw std::invalid_argument("DH prime of " + std::to_string(p.bit_length()) +
                                " bits is outside 2048..8192");
  }
  if (!p.is_odd()) throw std::invalid_argument("DH prime is even");
  if (!in_open_range(BigInt::from_bytes(g_bytes), p)) {
    throw std::invalid_argument("DH generator is not in the range 1 < g < p-1");
  }
  validate_dh_public(p_bytes, y_bytes);
}

DhKeyPair::DhKeyPair(std::shared_ptr<const Montgomery> mont, LimbVector g, LimbVector x)
    : mont_(std::move(mont)), x_(std::move(x)) {
  const BigInt p = mont_->modulus_int();
  prime_size_ = p.byte_length();
  LimbVector y = mont_->exp_secret(g.data(), x_.data(), x_.size());
  public_value_.resize(prime_size_);
  ct_limbs_to_bytes(y.data(), y.size(), public_value_);
  ct_declassify(public_value_.data(), public_value_.size());  // y is sent to the peer
}

DhKeyPair DhKeyPair::generate(FfdheGroup group) {
  auto mont = group_context(group);
  LimbVector g = BigInt(kFfdheGenerator).to_fixed(mont->limbs());
  return DhKeyPair(mont, std::move(g), random_exponent(exponent_bits(64 * mont->limbs())));
}

DhKeyPair DhKeyPair::generate(ByteView p_bytes, ByteView g_bytes) {
  const BigInt p = BigInt::from_bytes(p_bytes), g = BigInt::from_bytes(g_bytes);
  if (p.bit_length() < 2048 || !in_open_range(g, p)) {
    throw std::invalid_argument("DH group parameters are not acceptable");
  }
  auto mont = std::make_shared<const Montgomery>(p);
  return DhKeyPair(mont, g.to_fixed(mont->limbs()), random_exponent(exponent_bits(p.bit_length())));
}

DhKeyPair DhKeyPair::from_private(FfdheGroup group, ByteView private_exponent) {
  auto mont = group_context(group);
  // The exponent's width (not its value) decides the work: round up to limbs.
  const size_t limbs = (private_exponent.size() + 7) / 8;
  LimbVector x(limbs, 0);
  for (size_t i = 0; i < private_exponent.size(); ++i) {
    const size_t pos = private_exponent.size() - 1 - i;
    x[i / 8] |= Limb{private_exponent[pos]} << (8 * (i % 8));
  }
  LimbVector g = BigInt(kFfdheGenerator).to_fixed(mont->limbs());
  return DhKeyPair(mont, std::move(g), std::move(x));
}

SecretBytes DhKeyPair::shared_secret(ByteView peer_public) const {
  const BigInt y = BigInt::from_bytes(peer_public);
  const BigInt p = mont_->modulus_int();
  if (!in_open_range(y, p)) throw std::invalid_argument("DH public value is not in the range 1 < y < p-1");
  LimbVector base = y.to_fixed(mont_->limbs());
  LimbVector z = mont_->exp_secret(base.data(), x_.data(), x_.size());
  SecretBytes padded(prime_size_);
  ct_limbs_to_bytes(z.data(), z.size(), padded);
  // RFC 5246 §8.1.2 strips leading zero bytes, so the premaster's length
  // depends on the secret; the PRF's HMAC then runs a length-dependent number
  // of blocks (the "Raccoon" timing attack, 2020). TLS 1.2 requires it, so the
  // count is declared public here; TLS 1.3 and RFC 7919 §3 keep the padding.
  size_t leading = 0;
  Limb still_zero = ~Limb{0};
  for (size_t i = 0; i < prime_size_; ++i) {
    still_zero &= ct_mask_zero(padded[i]);
    leading += static_cast<size_t>(still_zero & 1);
  }
  ct_declassify(&leading, sizeof leading);
  return SecretBytes(padded.begin() + static_cast<std::ptrdiff_t>(leading), padded.end());
}

}  // namespace tls12::crypto
