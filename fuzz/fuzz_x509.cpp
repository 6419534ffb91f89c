// libFuzzer target for the x509 parsers: PEM, the DER reader (through the
// annotated dump, which walks every element), certificates, names, keys and
// PKCS #10 certification requests.
// Any input must either parse or throw one of the documented exception types;
// a crash, hang or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/keys.h"
#include "x509/name.h"
#include "x509/pem.h"
#include "x509/request.h"

namespace {

template <class F>
void quietly(F f) {
  try {
    f();
  } catch (const std::exception&) {
    // Rejected input is the expected outcome for most of the corpus.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tls12::x509;
  const tls12::ByteView der(data, size);
  quietly([&] { (void)der_dump(der); });
  quietly([&] {
    const Certificate c = Certificate::parse(der);
    (void)describe(c);
    (void)c.subject.to_string();
  });
  quietly([&] { (void)parse_name(der); });
  quietly([&] { (void)parse_subject_public_key_info(der); });
  quietly([&] { (void)parse_pkcs8_private_key(der); });
  quietly([&] { (void)parse_sec1_ec_private_key(der); });
  quietly([&] { (void)parse_signature_algorithm(der); });
  quietly([&] { (void)CertificationRequest::parse(der).signature_verifies(); });
  // (EncryptedPrivateKeyInfo is left out: an input may ask for up to 10
  // million PBKDF2 iterations, which would make every such input a timeout.)
  quietly([&] {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& block : parse_pem(text)) {
      if (block.label == "CERTIFICATE") (void)describe(Certificate::parse(block.der));
    }
  });
  return 0;
}
