// The handshake transcript (RFC 5246 §7.4.9 handshake_messages): a buffer of
// raw messages until the PRF hash is known, a running hash after, and the raw
// bytes kept for CertificateVerify (§7.4.8) until released. See transcript.h.
#include "handshake/transcript.h"

#include <stdexcept>

namespace tls12::handshake {

Transcript::Transcript(const Transcript& other)
    : hash_(other.hash_ ? std::make_unique<crypto::Hash>(*other.hash_) : nullptr),
      messages_(other.messages_),
      keep_messages_(other.keep_messages_) {}

Transcript& Transcript::operator=(const Transcript& other) {
  if (this != &other) *this = Transcript(other);
  return *this;
}

void Transcript::add(ByteView handshake_message) {
  if (hash_) hash_->update(handshake_message);
  if (keep_messages_) messages_.insert(messages_.end(), handshake_message.begin(),
                                       handshake_message.end());
}

void Transcript::set_hash(crypto::HashAlgorithm prf_hash) {
  if (hash_) throw std::logic_error("transcript hash already chosen");
  hash_ = std::make_unique<crypto::Hash>(prf_hash);
  hash_->update(messages_);
}

crypto::Digest Transcript::current_hash() const {
  if (!hash_) throw std::logic_error("transcript hash not chosen yet (no ServerHello)");
  crypto::Hash copy = *hash_;  // finishing a copy leaves the running hash going
  return copy.finish_digest();
}

ByteView Transcript::messages() const {
  if (!keep_messages_) throw std::logic_error("transcript messages were already released");
  return messages_;
}

void Transcript::release_messages() {
  if (!hash_) throw std::logic_error("transcript messages released before the hash was chosen");
  keep_messages_ = false;
  Bytes().swap(messages_);  // give the memory back, not just clear it
}

}  // namespace tls12::handshake
