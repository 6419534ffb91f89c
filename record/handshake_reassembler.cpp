// Reassembly of handshake messages from handshake records, and splitting of
// outgoing ones (RFC 5246 §6.2.1: messages may be coalesced into one record or
// fragmented across several; §7.4: each message has a 4-byte header).
//
// The buffer holds the bytes of messages not yet handed out. Every header in it
// is checked against the size limit as soon as it is complete, so a peer cannot
// make us buffer a 16 MiB "Certificate" one record at a time.
#include "record/handshake_reassembler.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace tls12::record {

namespace {
size_t body_length_at(const uint8_t* header) {
  return static_cast<size_t>(header[1]) << 16 | static_cast<size_t>(header[2]) << 8 | header[3];
}
}  // namespace

size_t HandshakeReassembler::limit_for(uint8_t msg_type) const {
  constexpr uint8_t client_hello = 1;  // HandshakeType (§7.4)
  return msg_type == client_hello ? max_client_hello_size_ : max_message_size_;
}

void HandshakeReassembler::check_headers() const {
  size_t pos = start_;
  while (end_ - pos >= kHandshakeHeaderSize) {
    const size_t length = body_length_at(buffer_.data() + pos);
    const size_t limit = limit_for(buffer_[pos]);
    if (length > limit)
      throw TlsError(AlertDescription::illegal_parameter,
                     "handshake message of type " + std::to_string(buffer_[pos]) + " announces " +
                         std::to_string(length) + " bytes, more than the limit of " + std::to_string(limit));
    if (end_ - pos < kHandshakeHeaderSize + length) break;
    pos += kHandshakeHeaderSize + length;
  }
}

void HandshakeReassembler::add_fragment(ByteView fragment) {
  if (fragment.empty())
    throw TlsError(AlertDescription::unexpected_message, "empty handshake record (RFC 5246 §6.2.1)");
  // Drop the messages already handed out, keeping the partial one.
  if (start_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
  if (buffer_.size() - end_ < fragment.size()) buffer_.resize(end_ + fragment.size());
  std::memcpy(buffer_.data() + end_, fragment.data(), fragment.size());
  end_ += fragment.size();
  check_headers();
}

void HandshakeReassembler::release_buffer() {
  if (has_partial_message()) return;
  Bytes().swap(buffer_);
  start_ = end_ = 0;
}

std::optional<HandshakeMessage> HandshakeReassembler::next() {
  if (end_ - start_ < kHandshakeHeaderSize) return std::nullopt;
  const uint8_t* header = buffer_.data() + start_;
  const size_t length = body_length_at(header);
  if (end_ - start_ < kHandshakeHeaderSize + length) return std::nullopt;
  HandshakeMessage message{header[0], ByteView(header + kHandshakeHeaderSize, length),
                           ByteView(header, kHandshakeHeaderSize + length)};
  start_ += kHandshakeHeaderSize + length;
  return message;
}

std::vector<ByteView> split_into_fragments(ByteView data, size_t max_fragment) {
  if (max_fragment == 0) throw std::invalid_argument("split_into_fragments: max_fragment is 0");
  std::vector<ByteView> fragments;
  for (size_t pos = 0; pos < data.size(); pos += max_fragment)
    fragments.push_back(data.subspan(pos, std::min(max_fragment, data.size() - pos)));
  return fragments;
}

}  // namespace tls12::record
