// Fuzz target: the incoming side of the record layer (RFC 5246 §6.2): framing,
// record opening and the per-type rules, on arbitrary bytes in arbitrary
// chunks.
//
// Input layout: byte 0 picks the options (bit 0: accept a 0x0301 first record;
// bits 1-2: read protection none / AES-128-GCM / ChaCha20-Poly1305 / AES-256-GCM
// with fixed keys; bit 3: application data enabled; bit 4: AES-128-CBC with
// HMAC-SHA1 instead, bit 5 making it Encrypt-then-MAC); byte 1 is the chunk size
// for feed(). The rest is the byte stream. Every failure must be a TlsError;
// anything else (a crash, another exception, a broken invariant) is a bug.
// Invariants include the interleaving and repetition rules: no alert or
// application data while a handshake message is half-received, no more than
// the caps of warning alerts or empty records in a row.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "record/record_layer.h"

using namespace tls12;
using namespace tls12::record;

namespace {

TrafficKeys fixed_keys(crypto::AeadAlgorithm alg) {
  TrafficKeys keys;
  keys.algorithm = alg;
  keys.key.assign(crypto::aead_key_size(alg), 0x42);
  keys.iv.assign(fixed_iv_length(alg), 0x24);
  return keys;
}

// AES-128-CBC + HMAC-SHA1 (RFC 5246 §6.2.3.2), RFC 7366 when `etm`.
TrafficKeys fixed_cbc_keys(bool etm) {
  TrafficKeys keys;
  keys.key.assign(16, 0x42);
  keys.mac_algorithm = crypto::HashAlgorithm::sha1;
  keys.mac_key.assign(20, 0x24);
  keys.encrypt_then_mac = etm;
  return keys;
}

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const size_t chunk = data[1] == 0 ? 1 : data[1];
  ByteView stream(data + 2, size - 2);

  RecordLayerOptions options;
  options.accept_legacy_first_record_version = flags & 1;
  options.max_handshake_message_size = 8192;
  options.max_client_hello_size = 8192;
  RecordLayer layer(options);
  static const crypto::AeadAlgorithm kAlgs[] = {crypto::AeadAlgorithm::aes_128_gcm,
                                                crypto::AeadAlgorithm::chacha20_poly1305,
                                                crypto::AeadAlgorithm::aes_256_gcm};
  const int protection = (flags >> 1) & 3;
  if (flags & 16)
    layer.install_read_protection(fixed_cbc_keys(flags & 32));
  else if (protection != 0)
    layer.install_read_protection(fixed_keys(kAlgs[protection - 1]));
  if (flags & 8) layer.enable_application_data();

  int warnings_in_a_row = 0, empty_in_a_row = 0;
  try {
    for (size_t pos = 0; pos < stream.size(); pos += chunk) {
      layer.feed(stream.subspan(pos, std::min(chunk, stream.size() - pos)));
      while (auto item = layer.next()) {
        const bool warning = item->alert && item->alert->level == AlertLevel::warning;
        warnings_in_a_row = warning ? warnings_in_a_row + 1 : 0;
        check(warnings_in_a_row <= kMaxConsecutiveWarningAlerts);
        const bool empty = item->type == ContentType::application_data && item->data.empty();
        empty_in_a_row = empty ? empty_in_a_row + 1 : 0;
        check(empty_in_a_row <= kMaxConsecutiveEmptyRecords);
        if (item->type == ContentType::alert || item->type == ContentType::application_data)
          check(!layer.handshake_message_pending());
        switch (item->type) {
          case ContentType::handshake:
            check(item->data.size() >= kHandshakeHeaderSize);
            check(item->data.size() <= kHandshakeHeaderSize + options.max_handshake_message_size);
            break;
          case ContentType::change_cipher_spec:
            check(item->data.size() == 1 && item->data[0] == 1);
            break;
          case ContentType::alert:
            check(item->alert.has_value() && item->data.size() == 2);
            break;
          case ContentType::application_data:
            check(layer.application_data_enabled());
            check(item->data.size() <= kMaxPlaintextLength);
            break;
        }
      }
    }
  } catch (const TlsError&) {
    // Rejected input: the connection would send this alert and close.
  }
  return 0;
}
