// The handshake transcript: handshake_messages of RFC 5246 §7.4.9, "all of the
// data from all messages in this handshake (not including any HelloRequest
// messages) up to, but not including, this message", headers included.
//
// Three things are computed from it:
//   - Finished.verify_data hashes it with the PRF hash (§7.4.9);
//   - the extended master secret hashes it through ClientKeyExchange (RFC 7627 §3);
//   - CertificateVerify signs it (§7.4.8). The signature covers the raw
//     concatenated messages, and the signer hashes them with the *signature
//     scheme's* hash, which need not be the PRF hash (rsa_pkcs1_sha512 with a
//     SHA-256 suite is legal). So the raw bytes must stay available until
//     CertificateVerify is done.
//
// The PRF hash is unknown until ServerHello picks the cipher suite, so the
// transcript first only buffers bytes; set_hash() starts the running hash over
// what was buffered. The raw bytes are kept until release_messages() (called
// once no CertificateVerify can follow), after which only the running hash is
// updated. A Transcript is a value: copy it to fork.
#pragma once

#include <memory>

#include "crypto/bytes.h"
#include "crypto/sha2.h"

namespace tls12::handshake {

class Transcript {
 public:
  Transcript() = default;
  Transcript(const Transcript& other);  // a fork: its own running hash
  Transcript& operator=(const Transcript& other);
  Transcript(Transcript&&) noexcept = default;
  Transcript& operator=(Transcript&&) noexcept = default;
  ~Transcript() = default;

  // Appends one whole handshake message (header + body), as sent or received.
  void add(ByteView handshake_message);

  // Chooses the PRF hash (when ServerHello is known) and hashes everything
  // buffered so far. Calling it twice is a std::logic_error.
  void set_hash(crypto::HashAlgorithm prf_hash);
  bool has_hash() const { return hash_ != nullptr; }

  // Hash(handshake_messages so far), the running hash left untouched (and
  // no heap used). std::logic_error before set_hash().
  crypto::Digest current_hash() const;

  // The raw messages so far (for CertificateVerify). std::logic_error after
  // release_messages().
  ByteView messages() const;
  // Drops the raw bytes; the running hash goes on. Requires set_hash() first.
  void release_messages();
  bool keeps_messages() const { return keep_messages_; }

 private:
  // On the heap rather than inline: a connection keeps its (emptied)
  // Transcript for life, and an inline SHA-384 state would cost every idle
  // connection its 224 bytes.
  std::unique_ptr<crypto::Hash> hash_;
  Bytes messages_;
  bool keep_messages_ = true;
};

}  // namespace tls12::handshake
