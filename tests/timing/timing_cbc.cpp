// A statistical timing test of the CBC record check (RFC 5246 §6.2.3.2,
// record/cbc_protection.cpp), in the manner of dudect (Reparaz, Balasch and
// Verbauwhede, "Dude, is my code constant time?", 2017): time many record
// openings of two classes, interleaved in random order, and compare the two
// timing distributions with Welch's t-test. |t| above 4.5 is evidence of a
// timing difference an attacker could measure.
//
// The two classes are the two ends of Lucky 13: both records fail (as every
// record an attacker forges does), both are 512 bytes long, and they differ
// only in their padding:
//   class 0: valid padding of 255 bytes, wrong MAC: the shortest MAC input;
//   class 1: the same record but for its last plaintext byte, which makes the
//            padding invalid, treated as none: the longest MAC input.
// A plain MAC-then-decrypt implementation runs four more SHA-1 compressions
// for class 1 and shows t in the hundreds.
//
// Run by `make test-timing`, not by CTest: on a shared machine other jobs add
// noise, so the result is a measurement to read, not a pass/fail gate.
#include <x86intrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include "crypto/aes.h"
#include "crypto/random.h"
#include "record/protection.h"

using namespace tls12;

namespace {

constexpr size_t kEncrypted = 512;  // 32 blocks after the IV
constexpr size_t kMac = 20;         // HMAC-SHA1

record::TrafficKeys keys() {
  record::TrafficKeys k;
  k.key.assign(16, 0x11);
  k.mac_algorithm = crypto::HashAlgorithm::sha1;
  k.mac_key.assign(kMac, 0x22);
  return k;
}

// IV || CBC(plaintext) with the library's AES.
Bytes fragment_of(const record::TrafficKeys& k, const Bytes& iv, Bytes plaintext) {
  uint8_t chain[16];
  std::memcpy(chain, iv.data(), 16);
  crypto::Aes(k.key).cbc_encrypt(chain, plaintext.data(), plaintext.size() / 16);
  Bytes fragment = iv;
  fragment.insert(fragment.end(), plaintext.begin(), plaintext.end());
  return fragment;
}

// One pair of records: the same IV, content and (wrong) MAC bytes, ending in
// 256 bytes of 255. Class 0 keeps them: 255 bytes of padding and the length,
// valid. Class 1 changes the last byte to 254, which claims 254 bytes of
// padding that hold 255: invalid. So only the padding's validity, and with it
// the length the MAC is computed over, differs between the classes.
std::array<Bytes, 2> record_pair(const record::TrafficKeys& k) {
  Bytes iv(16), plain(kEncrypted);
  crypto::random_bytes(iv);
  crypto::random_bytes(plain);
  std::fill(plain.end() - 256, plain.end(), static_cast<uint8_t>(255));
  Bytes invalid = plain;
  invalid.back() = 254;
  return {fragment_of(k, iv, plain), fragment_of(k, iv, invalid)};
}

struct Stats {
  double n = 0, mean = 0, m2 = 0;  // Welford's running mean and variance
  void add(double x) {
    n += 1;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  double variance() const { return m2 / (n - 1); }
};

double welch_t(const Stats& a, const Stats& b) {
  return (a.mean - b.mean) / std::sqrt(a.variance() / a.n + b.variance() / b.n);
}


// Times opening one record per entry of `classes`, choosing the record of
// that class from `pool`. As in dudect, every input is copied to its own slot
// before any timing starts (in batches, to bound memory), so the timed code
// never follows a copy whose source address depends on the class: a first
// version copied from per-class pools right before each opening, and an A/A
// run (the same records in both classes) gave |t| > 20 from that alone.
std::vector<uint64_t> measure(const record::TrafficKeys& k, const std::array<std::vector<Bytes>, 2>& pool,
                              const std::vector<uint8_t>& classes) {
  constexpr size_t kBatch = 8192;
  constexpr size_t kSize = 16 + kEncrypted;
  record::RecordProtection reader(k);
  std::vector<uint64_t> cycles(classes.size());
  std::vector<uint8_t> slots(kBatch * kSize);
  size_t failures = 0;
  for (size_t first = 0; first < classes.size(); first += kBatch) {
    const size_t count = std::min(kBatch, classes.size() - first);
    for (size_t j = 0; j < count; ++j) {
      const Bytes& source = pool[classes[first + j]][(first + j) % pool[0].size()];
      std::memcpy(slots.data() + j * kSize, source.data(), kSize);
    }
    for (size_t j = 0; j < count; ++j) {
      reader.set_sequence_number(0);
      MutableByteView fragment(slots.data() + j * kSize, kSize);
      const uint64_t start = __rdtsc();
      try {
        (void)reader.open(record::ContentType::application_data, record::kTls12Version, fragment);
      } catch (const record::TlsError&) {
        ++failures;
      }
      cycles[first + j] = __rdtsc() - start;
    }
  }
  if (failures != classes.size()) throw std::runtime_error("every record should fail to open");
  return cycles;
}

// Welch's t of the two classes over all measurements and over those below the
// 90th and 50th percentiles (dudect's cropping, which removes interrupts and
// other jobs' noise). Returns the largest |t|.
double report(const char* title, const std::vector<uint64_t>& cycles, const std::vector<uint8_t>& classes) {
  std::vector<uint64_t> sorted = cycles;
  std::sort(sorted.begin(), sorted.end());
  std::printf("%s\n", title);
  double worst = 0;
  for (double percentile : {1.0, 0.9, 0.5}) {
    const uint64_t limit = sorted[static_cast<size_t>(percentile * static_cast<double>(cycles.size() - 1))];
    Stats st[2];
    for (size_t i = 0; i < cycles.size(); ++i)
      if (cycles[i] <= limit) st[classes[i]].add(static_cast<double>(cycles[i]));
    const double t = welch_t(st[0], st[1]);
    worst = std::max(worst, std::fabs(t));
    std::printf("  below %3.0f%%: mean %.0f vs %.0f cycles, Welch t = %+.2f\n", percentile * 100, st[0].mean,
                st[1].mean, t);
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t measurements = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 400000;
  const record::TrafficKeys k = keys();
  constexpr size_t kPool = 256;
  std::array<std::vector<Bytes>, 2> pool;
  for (size_t i = 0; i < kPool; ++i) {
    auto pair = record_pair(k);
    pool[0].push_back(pair[0]);
    pool[1].push_back(pair[1]);
  }
  std::mt19937_64 rng(12345);
  std::vector<uint8_t> classes(measurements);
  for (auto& c : classes) c = static_cast<uint8_t>(rng() & 1);

  std::printf("CBC record check (AES-128-CBC, HMAC-SHA1, %zu-byte records), %zu measurements\n", kEncrypted + 16,
              measurements);
  // The control: class 0's records in both classes. Its |t| is what the
  // harness and the machine produce with no difference at all.
  const double control = report("A/A control (valid padding in both classes):",
                                measure(k, {pool[0], pool[0]}, classes), classes);
  const double worst = report("class 0: valid 255-byte padding, bad MAC; class 1: invalid padding, bad MAC:",
                              measure(k, pool, classes), classes);
  std::printf("max |t| = %.2f (threshold 4.5; the A/A control gave %.2f): %s\n", worst, control,
              worst < 4.5 ? "no timing difference detected" : "TIMING DIFFERENCE");
  return worst < 4.5 ? 0 : 1;
}
