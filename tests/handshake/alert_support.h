// Shared by the handshake tests that check refusals: the alert (RFC 5246
// §7.2) a call raises as a record::TlsError, or none, so that a negative test
// can name the exact alert it expects and fail when the call is accepted.
#pragma once

#include <functional>
#include <optional>

#include "record/alert.h"

namespace tls12::handshake::test_support {

inline std::optional<record::AlertDescription> alert_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const record::TlsError& e) {
    return e.alert();
  }
  return std::nullopt;
}

}  // namespace tls12::handshake::test_support
