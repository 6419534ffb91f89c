// Shared by the record-layer tests: catching the alert a call throws,
// and deterministic traffic keys for each AEAD.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>

#include "crypto/aead.h"
#include "record/alert.h"
#include "record/protection.h"

namespace tls12::record::testing {

// The alert `f` throws as a TlsError; a test failure if it throws nothing.
template <class F>
AlertDescription alert_of(F&& f) {
  try {
    f();
  } catch (const TlsError& e) {
    return e.alert();
  }
  ADD_FAILURE() << "no TlsError thrown";
  return AlertDescription::close_notify;
}

inline constexpr std::array<crypto::AeadAlgorithm, 3> kAllAeads = {
    crypto::AeadAlgorithm::aes_128_gcm, crypto::AeadAlgorithm::aes_256_gcm,
    crypto::AeadAlgorithm::chacha20_poly1305};

// Keys whose bytes are seed, seed+1, ... (IV continues the sequence).
inline TrafficKeys make_keys(crypto::AeadAlgorithm alg, uint8_t seed) {
  TrafficKeys keys;
  keys.algorithm = alg;
  uint8_t v = seed;
  keys.key.resize(crypto::aead_key_size(alg));
  for (auto& b : keys.key) b = v++;
  keys.iv.resize(fixed_iv_length(alg));
  for (auto& b : keys.iv) b = v++;
  return keys;
}

}  // namespace tls12::record::testing
