// `tls12 server` under real traffic (tools/event_server.h): thousands of
// idle connections, slow-drip clients, bad hellos in a row, a stop under
// load, the connection bound, and start-up checks. The times asserted here
// are guards against a server that stalls (each bound is about ten times
// what a healthy server needs); the figures are printed, and the load
// benchmark (bench/bench_server_load.cpp) carries the ratios.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

#include "tests/server/server_test_support.h"
#include "tests/support/sanitizer.h"

namespace tls12::test {
namespace {

// Under the sanitizers every handshake costs ten times more: fewer clients.
constexpr int kIdleConnections = kSanitized ? 500 : 5000;
constexpr int kSlowClients = kSanitized ? 200 : 1000;

class ServerTraffic : public ::testing::Test {
 protected:
  std::filesystem::path dir = make_temp_dir("tls12-server");
  std::shared_ptr<const protocol::ClientConfig> client_config = demo_client_config();

  // Handshake + GET on a new connection; returns the seconds it took.
  double timed_get(uint16_t port) {
    auto start = Clock::now();
    TlsClient client(port, client_config);
    std::string answer = client.get();
    EXPECT_TRUE(contains(answer, "HTTP/1.0 200 OK")) << answer;
    return seconds_since(start);
  }
};

// A ClientHello whose body ends after its version and five bytes: the
// server cannot decode it and must say decode_error (RFC 5246 §7.2.2).
const std::string kTruncatedClientHello("\x16\x03\x01\x00\x0b\x01\x00\x00\x07\x03\x03\x01\x02\x03\x04\x05", 16);
const std::string kDecodeErrorAlert("\x15\x03\x03\x00\x02\x02\x32", 7);
const std::string kInternalErrorAlert("\x15\x03\x03\x00\x02\x02\x50", 7);

TEST_F(ServerTraffic, HoldsThousandsOfIdleConnectionsAndStillServesANewClientPromptly) {
  uint64_t limit = raise_fd_limit(kIdleConnections + 256);
  std::printf("open-file limit of the test: %llu\n", static_cast<unsigned long long>(limit));
  ASSERT_GE(limit, static_cast<uint64_t>(kIdleConnections + 64)) << "the hard open-file limit is too low";
  OurServer server({"--www", "--quiet"}, dir);
  long before = resident_kib(server.child().pid());

  std::vector<std::unique_ptr<TlsClient>> idle;
  auto start = Clock::now();
  for (int i = 0; i < kIdleConnections; ++i) {
    idle.push_back(std::make_unique<TlsClient>(server.port(), client_config));
    idle.back()->tls->handshake();
  }
  double held = seconds_since(start);
  long after = resident_kib(server.child().pid());
  double latency = timed_get(server.port());
  std::printf("%d idle connections held after their handshakes (%.1f s to make); new handshake + GET: %.1f ms; "
              "server memory per held connection: %.1f KiB\n",
              kIdleConnections, held, latency * 1000, static_cast<double>(after - before) / kIdleConnections);
  EXPECT_LT(latency, 1.0);
  // Every idle connection is still open and served.
  EXPECT_TRUE(contains(idle.front()->get(), "200 OK"));
  EXPECT_TRUE(contains(idle.back()->get(), "200 OK"));
}

TEST_F(ServerTraffic, SlowDripClientsDoNotKeepANewClientOutAndAreDroppedAtTheHandshakeDeadline) {
  raise_fd_limit(kSlowClients + 256);
  constexpr int kDeadline = 3;
  OurServer server({"--www", "--quiet", "--handshake-timeout", std::to_string(kDeadline)}, dir);
  // Half send a partial record header and sit; half drip one byte of a
  // handshake record every half second.
  std::vector<int> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.push_back(connect_raw(server.port()));
    ASSERT_GE(slow.back(), 0);
    ASSERT_EQ(::send(slow.back(), "\x16\x03\x03", 3, MSG_NOSIGNAL), 3);
  }
  auto start = Clock::now();
  std::atomic<bool> dripping{true};
  std::thread dripper([&] {
    while (dripping.load()) {
      for (size_t i = 0; i < slow.size(); i += 2) ::send(slow[i], "\x40", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  double latency = timed_get(server.port());
  std::printf("%d slow clients; new handshake + GET: %.1f ms\n", kSlowClients, latency * 1000);
  EXPECT_LT(latency, 1.0);

  // All are dropped at the deadline, dripping or not, and none before it.
  std::vector<double> dropped_at(slow.size(), -1);
  size_t dropped = 0;
  while (dropped < slow.size() && seconds_since(start) < kDeadline * 10) {
    for (size_t i = 0; i < slow.size(); ++i)
      if (dropped_at[i] < 0 && closed_by_peer(slow[i])) dropped_at[i] = seconds_since(start), ++dropped;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  dripping.store(false);
  dripper.join();
  for (int fd : slow) ::close(fd);
  EXPECT_EQ(dropped, slow.size());
  double first = kDeadline * 10, last = 0;
  for (double t : dropped_at)
    if (t >= 0) first = std::min(first, t), last = std::max(last, t);
  std::printf("dropped between %.2f s and %.2f s after the drip began (deadline %d s)\n", first, last, kDeadline);
  EXPECT_GE(first, kDeadline * 0.8);
}

TEST_F(ServerTraffic, TwentyBadClientHellosEachGetTheirAlertAndTheCloseWithinASecond) {
  OurServer server({"--www", "--quiet"}, dir);
  auto start = Clock::now();
  for (int i = 0; i < 20; ++i) {
    int fd = connect_raw(server.port());
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::send(fd, kTruncatedClientHello.data(), kTruncatedClientHello.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(kTruncatedClientHello.size()));
    bool closed = false;
    std::string received = read_until_closed(fd, 10, closed);
    ::close(fd);
    EXPECT_EQ(received, kDecodeErrorAlert) << "hello " << i;
    EXPECT_TRUE(closed) << "hello " << i;
  }
  double took = seconds_since(start);
  std::printf("20 bad ClientHellos, each answered and closed: %.1f ms in all\n", took * 1000);
  EXPECT_LT(took, 1.0);
}

TEST_F(ServerTraffic, AnswersAreNotHeldBackByNagleAndDelayedAcks) {
  OurServer server({"--www", "--quiet"}, dir);
  // The time from the request to the end of the answer (the page, then
  // close_notify and the TCP close), handshake excluded: under a millisecond
  // when records leave at once, about 40 ms when they wait for an ACK.
  std::vector<double> waits;
  for (int i = 0; i < 20; ++i) {
    TlsClient client(server.port(), client_config);
    client.tls->handshake();
    auto start = Clock::now();
    EXPECT_TRUE(contains(client.get(), "200 OK"));
    waits.push_back(seconds_since(start));
  }
  std::sort(waits.begin(), waits.end());
  std::printf("request to end of answer: median %.2f ms\n", waits[waits.size() / 2] * 1000);
  EXPECT_LT(waits[waits.size() / 2], 0.020);
}

TEST_F(ServerTraffic, AClientOverTheBoundGetsAnAlertAndACleanClose) {
  OurServer server({"--www", "--max-clients", "2"}, dir);
  int first = connect_raw(server.port());
  int second = connect_raw(server.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // both accepted
  int third = connect_raw(server.port());
  bool closed = false;
  std::string received = read_until_closed(third, 10, closed);
  EXPECT_EQ(received, kInternalErrorAlert);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(server.child().wait_for_log("2 connections already open, refusing one", 10)) << server.child().log();
  for (int fd : {first, second, third}) ::close(fd);
  // Once they are gone, a client is served again.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_LT(timed_get(server.port()), 10.0);
}

TEST_F(ServerTraffic, SigtermUnderLoadClosesEveryConnectionAndExitsCleanly) {
  OurServer server({"--www", "--quiet", "--timeout", "60"}, dir);
  std::vector<std::unique_ptr<TlsClient>> established;
  for (int i = 0; i < 20; ++i) {
    established.push_back(std::make_unique<TlsClient>(server.port(), client_config));
    established.back()->tls->handshake();
  }
  std::vector<int> half_open;
  for (int i = 0; i < 20; ++i) {
    half_open.push_back(connect_raw(server.port()));
    ::send(half_open.back(), "\x16\x03", 2, MSG_NOSIGNAL);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  server.child().signal(SIGTERM);
  EXPECT_EQ(server.child().wait(10), std::optional<int>(0)) << server.child().log();
  EXPECT_TRUE(contains(server.child().log(), "stopped by signal")) << server.child().log();
  // Established connections got close_notify: a clean end, not a truncation.
  for (auto& client : established) {
    uint8_t byte;
    EXPECT_EQ(client->tls->read(MutableByteView(&byte, 1)), 0u);
    EXPECT_TRUE(client->tls->connection().peer_closed());
  }
  for (int fd : half_open) {
    bool closed = false;
    read_until_closed(fd, 5, closed);
    EXPECT_TRUE(closed);
    ::close(fd);
  }
}

TEST_F(ServerTraffic, StartUpRefusesAKeyLogFileItCannotWrite) {
  auto r = run_command(tls12_program() + " server --port 0 --cert " + demo_pki("server.bundle.crt") + " --key " +
                       demo_pki("server.key") + " --keylog /nonexistent-dir/keys.txt 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_EQ(r.output, "tls12 server: --keylog: cannot open /nonexistent-dir/keys.txt: No such file or directory\n");
}

TEST_F(ServerTraffic, KeysAreLoggedOnlyWhenAskedAndOnlyForTheOwner) {
  std::string from_environment = (dir / "env-keys.txt").string(), asked = (dir / "keys.txt").string();
  ::setenv("SSLKEYLOGFILE", from_environment.c_str(), 1);
  OurServer server({"--www", "--quiet", "--keylog", asked}, dir);
  OurServer unasked({"--www", "--quiet"}, dir);
  ::unsetenv("SSLKEYLOGFILE");
  timed_get(server.port());
  timed_get(unasked.port());
  EXPECT_FALSE(std::filesystem::exists(from_environment)) << "the server read SSLKEYLOGFILE by itself";
  EXPECT_TRUE(contains(read_text(asked), "CLIENT_RANDOM "));
  auto mode = std::filesystem::status(asked).permissions();
  EXPECT_EQ(mode, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

// A ClientHello (RFC 5246 §7.4.1.2) of `suites` cipher suites (the last one
// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, the others a GREASE value, RFC 8701,
// that no server selects) and a padding extension (RFC 7685) of `padding`
// bytes, as a handshake message.
std::string client_hello(size_t suites, size_t padding) {
  auto u16 = [](size_t v) { return std::string{static_cast<char>(v >> 8), static_cast<char>(v & 0xff)}; };
  std::string body = "\x03\x03" + std::string(32, '\x42') + std::string(1, '\0');
  body += u16(2 * suites);
  for (size_t i = 0; i + 1 < suites; ++i) body += "\x0a\x0a";
  body += "\xc0\x2f";
  body += std::string("\x01\x00", 2);
  std::string extensions = std::string("\x00\x0a\x00\x04\x00\x02\x00\x1d", 8) +  // supported_groups: x25519
                           std::string("\x00\x0b\x00\x02\x01\x00", 6) +           // ec_point_formats
                           std::string("\x00\x0d\x00\x04\x00\x02\x08\x04", 8) +  // signature_algorithms
                           std::string("\x00\x15", 2) + u16(padding) + std::string(padding, '\0');
  body += u16(extensions.size()) + extensions;
  return std::string("\x01", 1) + static_cast<char>(body.size() >> 16) + u16(body.size() & 0xffff) + body;
}

// The suites and padding that make a ClientHello of `size` bytes: padding up
// to what the extensions block holds, suites for the rest.
std::string client_hello_of_size(size_t size) {
  const size_t base = client_hello(1, 0).size();
  size_t suites = 1;
  constexpr size_t kMaxPadding = 65535 - 26;
  if (size > base + kMaxPadding) suites += (size - base - kMaxPadding + 1) / 2;
  std::string hello = client_hello(suites, 0);
  return client_hello(suites, size - hello.size());
}

// Sends a handshake message in records of at most 2^14 bytes (RFC 5246 §6.2.1)
// and returns the first bytes of the answer.
std::string send_hello(uint16_t port, const std::string& hello) {
  int fd = connect_raw(port);
  if (fd < 0) return "cannot connect";
  for (size_t at = 0; at < hello.size(); at += 16384) {
    std::string part = hello.substr(at, 16384);
    std::string record = std::string("\x16\x03\x01", 3) + static_cast<char>(part.size() >> 8) +
                         static_cast<char>(part.size() & 0xff) + part;
    ::send(fd, record.data(), record.size(), MSG_NOSIGNAL);
  }
  bool closed = false;
  std::string answer = read_until_closed_or(fd, 6, 10, closed);
  ::close(fd);
  return answer;
}

TEST_F(ServerTraffic, LargeAndLongClientHellosAreServed) {
  OurServer server({"--www", "--quiet"}, dir);
  // A ServerHello answers: a handshake record whose message is type 2.
  auto served = [](const std::string& answer) { return answer.size() >= 6 && answer[0] == 0x16 && answer[5] == 0x02; };
  for (size_t kib : {16, 32, 64, 128}) {
    std::string hello = client_hello_of_size(kib * 1024);
    ASSERT_EQ(hello.size(), kib * 1024);
    EXPECT_TRUE(served(send_hello(server.port(), hello))) << kib << " KiB";
  }
  for (size_t suites : {1, 256, 1000, 32000})
    EXPECT_TRUE(served(send_hello(server.port(), client_hello(suites, 0)))) << suites << " suites";
}

TEST_F(ServerTraffic, NegativeNumbersAreUsageErrors) {
  std::string base = tls12_program() + " server --port 0 --cert " + demo_pki("server.bundle.crt") + " --key " +
                     demo_pki("server.key");
  for (auto [option, message] : std::vector<std::pair<std::string, std::string>>{
           {"--accept -1", "--accept: must be 0 (run until stopped) or more"},
           {"--workers -2", "--workers: must be 0 (one per core) or more"},
           {"--handshake-timeout 0", "--handshake-timeout: must be at least 1 second"},
           {"--max-clients 0", "--max-clients: must be at least 1"}}) {
    auto r = run_command(base + " " + option + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << option;
    EXPECT_EQ(r.output, "tls12 server: " + message + "\n") << option;
  }
}

}  // namespace
}  // namespace tls12::test
