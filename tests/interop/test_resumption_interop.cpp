// Session resumption against OpenSSL over 127.0.0.1 (RFC 5246 §7.3 abbreviated
// handshake, RFC 5077 tickets):
//   - our server resumes `openssl s_client -reconnect`, with tickets and with
//     -no_ticket (session IDs), and a session carried by -sess_out/-sess_in;
//     s_client must report "Reused" and our server `resumed`;
//   - our client resumes against `openssl s_server`, by ticket and (with
//     -no_ticket) by session ID, and with a session saved to a file.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "handshake/client_session_store.h"
#include "tests/interop/interop_support.h"
#include "tests/protocol/handshake_test_support.h"

namespace tls12::protocol {
namespace {

using test::Child;
using test::Fd;

size_t count(const std::string& text, const std::string& word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

// A server configuration with a session cache and, unless `tickets` is off,
// ticket keys.
std::shared_ptr<const ServerConfig> resuming_server(bool tickets) {
  ServerConfig config = test::test_server_config();
  config.session_cache = std::make_shared<handshake::SessionCache>();
  if (tickets) config.ticket_keys = std::make_shared<handshake::SessionTicketKeys>();
  return std::make_shared<const ServerConfig>(std::move(config));
}

// Serves `connections` connections one after the other on `listener`: each a
// handshake, then reading until the peer closes. Returns how many resumed.
int serve(int listener, int connections, const std::shared_ptr<const ServerConfig>& config, Child& client) {
  int resumed = 0;
  for (int i = 0; i < connections; ++i) {
    pollfd p{listener, POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) {
      ADD_FAILURE() << "connection " << i << " never came: " << client.output();
      break;
    }
    Fd fd(accept(listener, nullptr, nullptr));
    SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
    try {
      tls.handshake();
      if (tls.connection().negotiated().resumed) ++resumed;
      std::array<uint8_t, 256> buffer;
      while (tls.read(buffer) != 0) {
      }
      tls.close();
    } catch (const std::exception& error) {
      // s_client may drop the socket right after its close_notify.
      if (!tls.connection().handshake_complete())
        ADD_FAILURE() << "connection " << i << ": " << error.what() << "\n" << client.output();
    }
  }
  return resumed;
}

std::vector<std::string> s_client_args(uint16_t port) {
  return {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port), "-tls1_2",
          "-CAfile", test::pki_file("ca.pem"), "-verify_return_error", "-servername", "localhost"};
}

class OurServer : public ::testing::TestWithParam<bool> {};

TEST_P(OurServer, ResumesOpensslReconnect) {
  const bool tickets = GetParam();
  auto dir = test::make_temp_dir("tls12-resume-interop");
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  auto args = s_client_args(port);
  args.push_back("-reconnect");
  if (!tickets) args.push_back("-no_ticket");
  Child client(args, (dir / "s_client.log").string());
  client.close_stdin();
  // -reconnect: one full handshake, then five more with the same session.
  int resumed = serve(listener.get(), 6, resuming_server(tickets), client);
  client.wait(10);
  EXPECT_EQ(resumed, 5);
  EXPECT_EQ(count(client.output(), "Reused, TLSv1.2"), 5u) << client.output();
  EXPECT_EQ(count(client.output(), "New, TLSv1.2"), 1u) << client.output();
}

TEST_P(OurServer, ResumesASessionCarriedBySessOutAndSessIn) {
  const bool tickets = GetParam();
  auto dir = test::make_temp_dir("tls12-resume-interop");
  const std::string session_file = (dir / "session.pem").string();
  auto config = resuming_server(tickets);
  uint16_t port = 0;
  Fd listener(test::listen_on_free_port(port));
  {
    auto args = s_client_args(port);
    for (const std::string& a : {std::string("-sess_out"), session_file}) args.push_back(a);
    if (!tickets) args.push_back("-no_ticket");
    Child client(args, (dir / "first.log").string());
    client.close_stdin();
    EXPECT_EQ(serve(listener.get(), 1, config, client), 0);
    client.wait(10);
    EXPECT_NE(client.output().find("New, TLSv1.2"), std::string::npos) << client.output();
  }
  ASSERT_TRUE(std::filesystem::exists(session_file));
  auto args = s_client_args(port);
  for (const std::string& a : {std::string("-sess_in"), session_file}) args.push_back(a);
  if (!tickets) args.push_back("-no_ticket");
  Child client(args, (dir / "second.log").string());
  client.close_stdin();
  EXPECT_EQ(serve(listener.get(), 1, config, client), 1);
  client.wait(10);
  EXPECT_NE(client.output().find("Reused, TLSv1.2"), std::string::npos) << client.output();
}

INSTANTIATE_TEST_SUITE_P(TicketsAndSessionIds, OurServer, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "tickets" : "no_ticket"; });

// Our client: connects, sends a line, reads s_server -rev's answer, closes.
bool client_connection(uint16_t port, const ClientConfig& config) {
  Fd fd(test::connect_with_retry(port, 10));
  SocketConnection tls(fd.get(), Connection(config), test::short_timeout());
  tls.handshake();
  tls.write(as_bytes("abc\n"));
  std::string reply;
  std::array<uint8_t, 64> buffer;
  while (reply.find('\n') == std::string::npos) {
    size_t n = tls.read(buffer);
    if (n == 0) break;
    reply.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  }
  EXPECT_EQ(reply, "cba\n");
  bool resumed = tls.connection().negotiated().resumed;
  tls.close();
  return resumed;
}

class OurClient : public ::testing::TestWithParam<bool> {};

TEST_P(OurClient, ResumesAgainstOpensslServer) {
  const bool tickets = GetParam();
  auto dir = test::make_temp_dir("tls12-resume-interop");
  uint16_t port = test::free_port();
  std::vector<std::string> argv = {"openssl", "s_server", "-accept", std::to_string(port), "-naccept", "3",
                                   "-cert", test::pki_file("server.pem"), "-key", test::pki_file("server.key"),
                                   "-tls1_2", "-rev", "-quiet"};
  if (!tickets) argv.push_back("-no_ticket");
  Child server(argv, (dir / "s_server.log").string());

  ClientConfig config = test::test_client_config();
  config.server_port = port;
  config.session_store = std::make_shared<handshake::ClientSessionStore>();
  EXPECT_FALSE(client_connection(port, config)) << server.output();
  auto kept = config.session_store->find(handshake::session_store_key("localhost", port));
  ASSERT_TRUE(kept != nullptr);
  EXPECT_EQ(kept->ticket.empty(), !tickets);
  EXPECT_TRUE(client_connection(port, config)) << server.output();

  // The same session through a file, into a fresh store (another process).
  const std::string session_file = (dir / "session.pem").string();
  handshake::save_client_session(session_file, *kept);
  ClientConfig fresh = config;
  fresh.session_store = std::make_shared<handshake::ClientSessionStore>();
  fresh.session_store->store(handshake::session_store_key("localhost", port),
                             handshake::load_client_session(session_file));
  EXPECT_TRUE(client_connection(port, fresh)) << server.output();
  server.wait(5);
}

INSTANTIATE_TEST_SUITE_P(TicketsAndSessionIds, OurClient, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "tickets" : "session_id"; });

}  // namespace
}  // namespace tls12::protocol
