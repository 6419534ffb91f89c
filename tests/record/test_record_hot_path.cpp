// The record layer's hot path (docs/record.md, "Where the bytes live"): once the
// buffers have grown, writing, sealing, reading and opening application-data
// records allocates nothing, and plaintext is opened where the record lies.
//
// This program replaces the global operator new to count allocations, so it is
// kept apart from the other record tests.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "record/record_layer.h"
#include "record_test_support.h"

// Our operator new/delete pair malloc with free consistently; GCC cannot see
// that once they are inlined into library code, hence the pragma.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<size_t> g_allocations{0};
}  // namespace

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

namespace tls12::record {
namespace {

using testing::kAllAeads;
using testing::make_keys;

class HotPath : public ::testing::TestWithParam<crypto::AeadAlgorithm> {};

TEST_P(HotPath, SteadyStateRecordsAllocateNothing) {
  RecordLayer sender, receiver;
  sender.install_write_protection(make_keys(GetParam(), 0x33));
  receiver.install_read_protection(make_keys(GetParam(), 0x33));
  sender.enable_application_data();
  receiver.enable_application_data();
  Bytes data(3 * kMaxPlaintextLength, 0x5a);

  size_t received = 0;
  auto round = [&](size_t size) {
    sender.write(ContentType::application_data, ByteView(data).first(size));
    receiver.feed(sender.output());
    sender.consume_output(sender.output().size());
    while (auto item = receiver.next()) received += item->data.size();
  };
  round(data.size());  // the buffers grow here, once

  const size_t before = g_allocations.load();
  ASSERT_GT(before, 0u) << "the counting operator new is not in use";
  for (int i = 0; i < 50; ++i)
    for (size_t size : {size_t{1}, size_t{1024}, kMaxPlaintextLength, 3 * kMaxPlaintextLength}) round(size);
  const size_t allocations = g_allocations.load() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_EQ(received, data.size() + 50 * (1 + 1024 + kMaxPlaintextLength + 3 * kMaxPlaintextLength));
}

TEST_P(HotPath, OutputBufferIsReusedNotReallocated) {
  RecordLayer sender;
  sender.install_write_protection(make_keys(GetParam(), 1));
  sender.enable_application_data();
  Bytes data(kMaxPlaintextLength, 1);
  sender.write(ContentType::application_data, data);
  const uint8_t* first = sender.output().data();
  sender.consume_output(sender.output().size());
  for (int i = 0; i < 10; ++i) {
    sender.write(ContentType::application_data, data);
    EXPECT_EQ(sender.output().data(), first);
    sender.consume_output(sender.output().size());
  }
}

INSTANTIATE_TEST_SUITE_P(AllAeads, HotPath, ::testing::ValuesIn(kAllAeads), [](const auto& info) {
  std::string name(crypto::aead_name(info.param));
  for (auto& c : name)
    if (c == '-') c = '_';
  return name;
});

}  // namespace
}  // namespace tls12::record
