// The run-time demo PKI; see demo_pki.h.
#include "tools/demo_pki.h"

namespace tls12::tools {

const x509::PkiSet& demo_pki() {
  static const x509::PkiSet set = [] {
    x509::PkiSetOptions options;  // localhost, 127.0.0.1, ::1; RSA-2048
    options.organisation = "tls12 demo";
    options.days = 30;
    options.encrypted_server_key = true;
    return x509::make_pki_set(options);
  }();
  return set;
}

}  // namespace tls12::tools
