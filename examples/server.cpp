// A TLS 1.2 server written with tls12's application API (include/tls12/tls12.h):
// the ordinary OpenSSL server program, line by line (docs/api.md).
//
//   server PORT CERT.pem KEY.pem [CA.pem]
//
// Accepts one connection on PORT, runs the handshake (with CA.pem it asks for
// a client certificate and requires one signed by that CA: mutual TLS), reads
// one message, answers it, and closes with close_notify.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include <tls12/tls12.h>

// A listening TCP socket on every address (the part of the program that is not TLS).
static int listen_on(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 1) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::cerr << "usage: server PORT CERT.pem KEY.pem [CA.pem]\n";
    return 2;
  }
  try {
    // SSL_CTX_new, SSL_CTX_use_certificate_file, SSL_CTX_use_PrivateKey_file
    tls12::Context ctx = tls12::Context::server();
    ctx.use_certificate_chain_file(argv[2]).use_private_key_file(argv[3]);
    if (argc == 5) ctx.load_verify_file(argv[4]).verify(tls12::Verify::required);  // SSL_CTX_set_verify

    int listener = listen_on(std::stoi(argv[1]));
    if (listener < 0) {
      std::cerr << "server: cannot listen on port " << argv[1] << "\n";
      return 1;
    }
    std::cerr << "server: listening on port " << argv[1] << "\n";
    int fd = accept(listener, nullptr, nullptr);
    tls12::Stream tls(ctx, fd);  // SSL_new + SSL_set_fd
    tls.handshake();             // SSL_accept
    std::cerr << "server: " << tls.version() << " " << tls.cipher_suite()
              << (tls.peer_verified() ? ", client certificate verified" : "") << "\n";

    std::string request = tls.read_string();           // SSL_read
    tls.write("Hello from the tls12 server, you said: " + request);  // SSL_write
    tls.shutdown();                                     // SSL_shutdown
    close(fd);
    close(listener);
  } catch (const tls12::Error& e) {
    std::cerr << "server: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
