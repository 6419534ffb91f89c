// A loopback load benchmark of the real programs: `tls12 server` (the event
// loop of tools/event_server.h) beside `openssl s_server`, same certificate,
// same suite (ECDHE-RSA-AES128-GCM-SHA256), same clients, in one run.
//
// The clients are our engine over blocking sockets, N threads at once (1, 16,
// 256), each repeating for a fixed time:
//   full     connect, full handshake, GET / (--www / -www), read to the close;
//   resumed  the same, offering the session of the thread's first handshake
//            (RFC 5246 §7.3; a ticket, RFC 5077, where the server gives one);
//   upload   one full handshake, then 4 MiB of application data in 16 KiB
//            records and close_notify: MB/s through the server's record layer.
// It reports operations/s (handshakes or MB), and p50/p99 latency, then the
// ratio tls12 / s_server per row. The clients share the machine's two cores
// with the server under test, the same way for both servers.
// Everything runs on 127.0.0.1, is bounded in time, and stops by itself.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "protocol/socket.h"
#include "tests/support/loopback.h"
#include "x509/path_validation.h"

namespace tls12 {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kRunTime{2000};
constexpr size_t kUploadBytes = 4 << 20;

// ---------------------------------------------------------------- servers

struct ServerProcess {
  pid_t pid = -1;
  uint16_t port = 0;
};

// Starts `argv` with its output thrown away and waits for its port.
ServerProcess start_server(std::vector<std::string> argv, uint16_t port) {
  ServerProcess server{::fork(), port};
  if (server.pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    int fd = test::connect_raw(port);
    if (fd >= 0) {
      ::close(fd);
      return server;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::fprintf(stderr, "%s did not start\n", argv[0].c_str());
  std::exit(1);
}

void stop_server(const ServerProcess& server) {
  ::kill(server.pid, SIGTERM);
  ::waitpid(server.pid, nullptr, 0);
}

// The server a benchmark run talks to: "tls12" or "openssl", in --www mode
// or as a sink for uploads.
std::map<std::string, ServerProcess> g_servers;

void start_servers() {
  std::string cert = bench::pki("server.pem"), key = bench::pki("server.key");
  std::string ours = std::string(TLS12_BINARY_DIR) + "/tls12";
  for (bool www : {true, false}) {
    uint16_t port = test::free_port();
    std::vector<std::string> argv{ours, "server", "--port", std::to_string(port), "--cert", cert, "--key", key,
                                  "--quiet"};
    if (www) argv.push_back("--www");
    g_servers[std::string("tls12") + (www ? "" : "-sink")] = start_server(argv, port);
    port = test::free_port();
    argv = {"openssl", "s_server", "-accept", std::to_string(port), "-cert", cert, "-key", key, "-quiet",
            "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"};
    if (www) argv.push_back("-www");
    g_servers[std::string("openssl") + (www ? "" : "-sink")] = start_server(argv, port);
  }
}

// ---------------------------------------------------------------- clients

enum class Load { full, resumed, upload };
const char* load_name(Load load) { return load == Load::full ? "full" : load == Load::resumed ? "resumed" : "upload"; }

std::shared_ptr<protocol::ClientConfig> client_config(bool with_sessions) {
  auto config = std::make_shared<protocol::ClientConfig>();
  config->trust_store = std::make_shared<x509::TrustStore>(x509::TrustStore::from_pem_file(bench::pki("ca.pem")));
  config->server_name = "localhost";
  config->cipher_suites = {handshake::suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  if (with_sessions) config->session_store = std::make_shared<handshake::ClientSessionStore>();
  return config;
}

// One connection of a load; returns false if it failed.
bool one_connection(uint16_t port, std::shared_ptr<const protocol::ClientConfig> config, Load load) {
  int fd = test::connect_raw(port);
  if (fd < 0) return false;
  bool ok = true;
  try {
    protocol::SocketConnection tls(fd, protocol::Connection(config), {std::chrono::seconds(10), {}});
    tls.handshake();
    if (load == Load::upload) {
      Bytes block(16384, 'x');
      for (size_t sent = 0; sent < kUploadBytes; sent += block.size()) tls.write(block);
      tls.close_and_await_peer();
    } else {
      tls.write(as_bytes("GET / HTTP/1.0\r\n\r\n"));
      while (!tls.read_some().empty()) {
      }
      ok = load != Load::resumed || tls.connection().negotiated().resumed;
    }
  } catch (const std::exception&) {
    ok = false;
  }
  ::close(fd);
  return ok;
}

struct LoadResult {
  size_t operations = 0;
  size_t failures = 0;
  std::vector<double> latencies;  // seconds
  double seconds = 0;
};

LoadResult run_load(uint16_t port, Load load, int clients) {
  LoadResult result;
  std::mutex mutex;
  auto end = Clock::now() + kRunTime;
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&] {
      auto config = client_config(load == Load::resumed);
      if (load == Load::resumed) one_connection(port, config, Load::full);  // the session to resume
      std::vector<double> mine;
      size_t failures = 0;
      while (Clock::now() < end) {
        auto begin = Clock::now();
        if (one_connection(port, config, load)) mine.push_back(std::chrono::duration<double>(Clock::now() - begin).count());
        else ++failures;
      }
      std::lock_guard<std::mutex> lock(mutex);
      result.latencies.insert(result.latencies.end(), mine.begin(), mine.end());
      result.failures += failures;
    });
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.operations = result.latencies.size();
  std::sort(result.latencies.begin(), result.latencies.end());
  return result;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())))];
}

// rates[load/clients][stack] = operations (or MB) per second
std::map<std::string, std::map<std::string, double>> g_rates;

void BM_load(benchmark::State& state, const std::string& stack, Load load, int clients) {
  uint16_t port = g_servers[load == Load::upload ? stack + "-sink" : stack].port;
  LoadResult result;
  for (auto _ : state) {
    result = run_load(port, load, clients);
    state.SetIterationTime(result.seconds);
  }
  double rate = static_cast<double>(result.operations) / result.seconds;
  if (load == Load::upload) {
    rate = rate * kUploadBytes / 1e6;
    state.counters["MB/s"] = rate;
  } else {
    state.counters["handshakes/s"] = rate;
  }
  state.counters["p50_ms"] = percentile(result.latencies, 0.50) * 1000;
  state.counters["p99_ms"] = percentile(result.latencies, 0.99) * 1000;
  state.counters["failed"] = static_cast<double>(result.failures);
  g_rates[std::string(load_name(load)) + "/" + std::to_string(clients)][stack] = rate;
}

void print_ratios() {
  std::printf("\nLoopback load, tls12 server / openssl s_server in this run (above 1: tls12 faster).\n"
              "full and resumed: handshake + GET per second; upload: MB/s. Both servers on 2 cores\n"
              "shared with the clients; s_server is single-threaded, tls12 has one worker per core.\n"
              "upload compares the programs, not the record layers (bench_record does that): without\n"
              "-www, s_server serves one connection at a time and copies what it reads to stdout.\n");
  std::printf("%-14s %12s %12s %8s\n", "load/clients", "tls12", "s_server", "ratio");
  for (auto& [row, stacks] : g_rates) {
    if (!stacks.count("tls12") || !stacks.count("openssl") || stacks["openssl"] == 0) continue;
    std::printf("%-14s %12.1f %12.1f %8.2f\n", row.c_str(), stacks["tls12"], stacks["openssl"],
                stacks["tls12"] / stacks["openssl"]);
  }
}

}  // namespace
}  // namespace tls12

int main(int argc, char** argv) {
  using namespace tls12;
  std::signal(SIGPIPE, SIG_IGN);
  bench::make_pki("tls12-bench-load-pki-", "server");
  start_servers();
  for (Load load : {Load::full, Load::resumed, Load::upload})
    for (int clients : {1, 16, 256}) {
      if (load == Load::upload && clients == 256) continue;  // 1 GiB per second of run time: no more is learned
      for (const char* stack : {"tls12", "openssl"}) {
        std::string name = std::string("load/") + load_name(load) + "/" + std::to_string(clients) + "/" + stack;
        benchmark::RegisterBenchmark(name.c_str(), [stack = std::string(stack), load, clients](benchmark::State& s) {
          BM_load(s, stack, load, clients);
        })->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);
      }
    }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  print_ratios();
  for (auto& [name, server] : g_servers) stop_server(server);
  std::filesystem::remove_all(bench::g_pki);
  return 0;
}
