// Handshake message reassembly and splitting (RFC 5246 §6.2.1, §7.4): messages
// coalesced into one record, one message across many records, the 4-byte
// header itself cut in two, and the maximum message size.
#include <gtest/gtest.h>

#include <vector>

#include "record/handshake_reassembler.h"
#include "record_test_support.h"

namespace tls12::record {
namespace {

using testing::alert_of;

Bytes message(uint8_t type, size_t body_size) {
  Bytes m{type, static_cast<uint8_t>(body_size >> 16), static_cast<uint8_t>(body_size >> 8),
          static_cast<uint8_t>(body_size)};
  for (size_t i = 0; i < body_size; ++i) m.push_back(static_cast<uint8_t>(i * 31 + type));
  return m;
}

std::vector<Bytes> drain(HandshakeReassembler& r) {
  std::vector<Bytes> out;
  while (auto m = r.next()) {
    EXPECT_EQ(m->raw.size(), m->body.size() + 4);
    EXPECT_EQ(m->raw[0], m->msg_type);
    EXPECT_EQ(m->body.data(), m->raw.data() + 4);
    out.emplace_back(m->raw.begin(), m->raw.end());
  }
  return out;
}

TEST(HandshakeReassembly, OneMessageInOneRecord) {
  HandshakeReassembler r;
  const Bytes hello = message(1, 100);
  r.add_fragment(hello);
  auto m = r.next();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->msg_type, 1);
  EXPECT_EQ(m->body.size(), 100u);
  EXPECT_EQ(Bytes(m->raw.begin(), m->raw.end()), hello);
  EXPECT_FALSE(r.next());
  EXPECT_FALSE(r.has_partial_message());
}

TEST(HandshakeReassembly, SeveralMessagesInOneRecordIncludingEmptyBodies) {
  HandshakeReassembler r;
  Bytes flight;
  const std::vector<Bytes> expected{message(2, 70), message(11, 900), message(12, 300), message(14, 0)};
  for (const auto& m : expected) flight.insert(flight.end(), m.begin(), m.end());
  r.add_fragment(flight);
  EXPECT_EQ(drain(r), expected);
}

TEST(HandshakeReassembly, CertificateChainOver16KiBAcrossRecords) {
  const Bytes certificate = message(11, 40000);
  for (size_t fragment : {size_t{16384}, size_t{1}, size_t{3}, size_t{1000}}) {
    HandshakeReassembler r;
    std::vector<Bytes> got;
    for (ByteView piece : split_into_fragments(certificate, fragment)) {
      EXPECT_TRUE(got.empty());
      r.add_fragment(piece);
      for (auto& m : drain(r)) got.push_back(std::move(m));
    }
    ASSERT_EQ(got.size(), 1u) << fragment;
    EXPECT_EQ(got[0], certificate);
    EXPECT_FALSE(r.has_partial_message());
  }
}

TEST(HandshakeReassembly, MessageEndingMidRecordLeavesThePartialNext) {
  HandshakeReassembler r;
  Bytes a = message(2, 10), b = message(11, 30);
  Bytes first(a);
  first.insert(first.end(), b.begin(), b.begin() + 2);  // b's header cut after 2 bytes
  r.add_fragment(first);
  auto got = drain(r);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], a);
  EXPECT_TRUE(r.has_partial_message());
  EXPECT_EQ(r.buffered(), 2u);
  r.add_fragment(ByteView(b).subspan(2));
  got = drain(r);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], b);
  EXPECT_FALSE(r.has_partial_message());
}

TEST(HandshakeReassembly, EmptyFragmentIsUnexpectedMessage) {
  HandshakeReassembler r;
  EXPECT_EQ(alert_of([&] { r.add_fragment({}); }), AlertDescription::unexpected_message);
}

TEST(HandshakeReassembly, MaximumSizeIsEnforcedOnTheHeaderAlone) {
  HandshakeReassembler r;
  const size_t max = kDefaultMaxHandshakeMessageSize;
  // Only the header of an oversized Certificate: refused before any body.
  const Bytes header{11, static_cast<uint8_t>((max + 1) >> 16), static_cast<uint8_t>((max + 1) >> 8),
                     static_cast<uint8_t>(max + 1)};
  EXPECT_EQ(alert_of([&] { r.add_fragment(header); }), AlertDescription::illegal_parameter);
  // A 16 MiB announcement, the header itself arriving in two pieces.
  HandshakeReassembler r2;
  r2.add_fragment(Bytes{11, 0xff});
  EXPECT_EQ(alert_of([&] { r2.add_fragment(Bytes{0xff, 0xff}); }), AlertDescription::illegal_parameter);
  // Exactly the maximum is fine.
  HandshakeReassembler r3;
  const Bytes largest = message(11, max);
  for (ByteView piece : split_into_fragments(largest, 16384)) r3.add_fragment(piece);
  EXPECT_EQ(drain(r3).size(), 1u);
}

TEST(HandshakeReassembly, MaximumSizeIsConfigurable) {
  HandshakeReassembler small(1000);
  EXPECT_EQ(small.max_message_size(), 1000u);
  small.add_fragment(message(1, 1000));
  EXPECT_EQ(drain(small).size(), 1u);
  // The second message in the same record is checked too.
  Bytes two = message(1, 10);
  Bytes big = message(11, 1001);
  two.insert(two.end(), big.begin(), big.end());
  HandshakeReassembler other(1000);
  EXPECT_EQ(alert_of([&] { other.add_fragment(two); }), AlertDescription::illegal_parameter);
  HandshakeReassembler large(200000);
  const Bytes chain = message(11, 150000);
  for (ByteView piece : split_into_fragments(chain, 16384)) large.add_fragment(piece);
  EXPECT_EQ(drain(large).size(), 1u);
}

TEST(SplitIntoFragments, PiecesAreNeverEmptyAndCoverTheInput) {
  const Bytes data = message(11, 40000);
  const auto pieces = split_into_fragments(data, 16384);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].size(), 16384u);
  EXPECT_EQ(pieces[1].size(), 16384u);
  EXPECT_EQ(pieces[2].size(), 40004u - 2 * 16384u);
  EXPECT_EQ(pieces[2].data() + pieces[2].size(), data.data() + data.size());
  EXPECT_TRUE(split_into_fragments({}, 10).empty());
  EXPECT_THROW(split_into_fragments(data, 0), std::invalid_argument);
}

}  // namespace
}  // namespace tls12::record
