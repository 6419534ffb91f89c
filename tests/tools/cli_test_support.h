// Helpers for the tests that run the `tls12` program as a user would: its
// path, a demo PKI, and child processes (our server, openssl s_server) that
// are always ended: each Child is killed and reaped when it goes out of scope.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/test_support.h"

namespace tls12::test {

inline std::string tls12_program() { return TLS12_BINARY_DIR "/tls12"; }
// A demo PKI made once per test program by `tls12 pki quick` (the repository
// holds no private key): ca.crt/key, server.crt/key, server.bundle.crt,
// client.crt/key, client.pem, with the organisation "tls12 demo".
inline std::string demo_pki(const std::string& file) {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = make_temp_dir("tls12-demo-pki") / "pki";
    const CommandResult r = run_command(std::string(TLS12_BINARY_DIR "/tls12") + " pki quick '" + d.string() + "' 2>&1");
    if (r.exit_code != 0) throw std::runtime_error("tls12 pki quick failed: " + r.output);
    return d;
  }();
  return (dir / file).string();
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// Waits until something accepts connections on the port (up to `seconds`).
inline bool wait_for_port(uint16_t port, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    int fd = connect_raw(port);
    if (fd >= 0) {
      ::close(fd);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A child process; stdin is a pipe we hold open, stdout+stderr go to a log file.
class Child {
 public:
  Child(const std::vector<std::string>& argv, std::filesystem::path log) : log_(std::move(log)) {
    int in[2];
    if (::pipe(in) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::close(in[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execvp(args[0], args.data());
      ::_exit(127);
    }
    ::close(in[0]);
    stdin_ = in[1];
  }
  ~Child() {
    close_stdin();
    if (pid_ > 0 && !exit_code_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  std::string log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  // Waits until the log contains `text` (up to `seconds`).
  bool wait_for_log(const std::string& text, int seconds) const {
    for (int i = 0; i < seconds * 20; ++i) {
      if (contains(log(), text)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  // The exit code once the child exits within `seconds` (-1 if killed by a
  // signal); nullopt if it is still running (it is then killed by the destructor).
  std::optional<int> wait(int seconds) {
    for (int i = 0; i < seconds * 20 && !exit_code_; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return exit_code_;
  }

 private:
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::optional<int> exit_code_;
};

// Our server on a port the system picks (--port 0); the port is read from its
// first line.
class OurServer {
 public:
  OurServer(std::vector<std::string> options, const std::filesystem::path& dir) {
    std::vector<std::string> argv{tls12_program(), "server", "--port", "0", "--cert",
                                  demo_pki("server.bundle.crt"), "--key", demo_pki("server.key")};
    argv.insert(argv.end(), options.begin(), options.end());
    static int instances = 0;  // a log of its own, so no server reads another's port
    child_.emplace(argv, dir / ("server" + std::to_string(++instances) + ".log"));
    if (!child_->wait_for_log("listening on 127.0.0.1:", 20)) throw std::runtime_error("server did not start");
    std::string log = child_->log();
    size_t at = log.find("listening on 127.0.0.1:") + std::string("listening on 127.0.0.1:").size();
    port_ = static_cast<uint16_t>(std::stoi(log.substr(at)));
  }
  uint16_t port() const { return port_; }
  Child& child() { return *child_; }

 private:
  std::optional<Child> child_;
  uint16_t port_ = 0;
};

}  // namespace tls12::test
