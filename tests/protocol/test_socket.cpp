// The blocking socket adapter (protocol/socket.h) over a socketpair: a full
// handshake and data between two threads, close_notify giving a clean end of
// stream, an end without close_notify reported as truncation, and the
// timeout hook deciding whether to keep waiting.
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <thread>

#include "protocol/socket.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() {
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fd) != 0) throw std::runtime_error("socketpair failed");
  }
  ~SocketPair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
  void close(int i) {
    ::close(fd[i]);
    fd[i] = -1;
  }
};

SocketOptions quick(int ms = 5000) {
  SocketOptions options;
  options.timeout = std::chrono::milliseconds(ms);
  return options;
}

std::string read_line(SocketConnection& tls) {
  std::string line;
  std::array<uint8_t, 64> buffer;
  while (line.find('\n') == std::string::npos) {
    size_t n = tls.read(buffer);
    if (n == 0) break;
    line.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return line;
}

TEST(Socket, HandshakeDataAndCleanClose) {
  SocketPair pair;
  std::string server_got;
  size_t server_eof_read = 99;
  std::thread server_thread([&] {
    SocketConnection server(pair.fd[1], Connection(test::test_server_config()), quick());
    server_got = read_line(server);
    server.write(as_bytes("pong\n"));
    std::array<uint8_t, 16> buffer;
    server_eof_read = server.read(buffer);  // the client's close_notify
  });
  SocketConnection client(pair.fd[0], Connection(test::test_client_config()), quick());
  client.handshake();
  EXPECT_TRUE(client.connection().handshake_complete());
  client.write(as_bytes("ping\n"));
  EXPECT_EQ(read_line(client), "pong\n");
  client.close();
  std::array<uint8_t, 16> buffer;
  EXPECT_EQ(client.read(buffer), 0u);  // the server's close_notify in reply
  server_thread.join();
  EXPECT_EQ(server_got, "ping\n");
  EXPECT_EQ(server_eof_read, 0u);
  EXPECT_TRUE(client.connection().peer_closed());
  EXPECT_FALSE(client.connection().truncated());
}

TEST(Socket, EndWithoutCloseNotifyIsTruncation) {
  SocketPair pair;
  std::thread server_thread([&] {
    SocketConnection server(pair.fd[1], Connection(test::test_server_config()), quick());
    server.write(as_bytes("half a mess"));
    shutdown(pair.fd[1], SHUT_RDWR);  // no close_notify
  });
  SocketConnection client(pair.fd[0], Connection(test::test_client_config()), quick());
  std::array<uint8_t, 64> buffer;
  size_t n = client.read(buffer);
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n)), "half a mess");
  EXPECT_THROW(client.read(buffer), ConnectionFailed);
  EXPECT_TRUE(client.connection().truncated());
  server_thread.join();
}

TEST(Socket, HandshakeFailureIsConnectionFailedWithTheAlertSent) {
  SocketPair pair;
  std::thread server_thread([&] {
    SocketConnection server(pair.fd[1], Connection(test::test_server_config()), quick());
    EXPECT_THROW(server.handshake(), ConnectionFailed);
    ASSERT_TRUE(server.connection().alert_received().has_value());
    EXPECT_EQ(server.connection().alert_received()->description, record::AlertDescription::bad_certificate);
  });
  ClientConfig config = test::test_client_config();
  config.server_name = "not-the-server.example";
  SocketConnection client(pair.fd[0], Connection(config), quick());
  EXPECT_THROW(client.handshake(), ConnectionFailed);
  ASSERT_TRUE(client.connection().alert_sent().has_value());
  EXPECT_EQ(client.connection().alert_sent()->description, record::AlertDescription::bad_certificate);
  server_thread.join();
}

TEST(Socket, TimeoutHookDecidesWhetherToKeepWaiting) {
  SocketPair pair;  // nobody answers on fd[1]
  int calls = 0;
  SocketOptions options = quick(20);
  options.on_timeout = [&] { return ++calls < 3; };
  SocketConnection client(pair.fd[0], Connection(test::test_client_config()), options);
  EXPECT_THROW(client.handshake(), SocketError);
  EXPECT_EQ(calls, 3);

  SocketPair second;
  SocketConnection impatient(second.fd[0], Connection(test::test_client_config()), quick(20));
  EXPECT_THROW(impatient.handshake(), SocketError);
}

}  // namespace
}  // namespace tls12::protocol
