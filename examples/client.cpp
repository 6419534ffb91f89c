// A TLS 1.2 client written with tls12's application API (include/tls12/tls12.h):
// the ordinary OpenSSL client program, line by line (docs/api.md).
//
//   client HOST PORT CA.pem [CERT.pem KEY.pem]
//
// Connects, checks the server's certificate against CA.pem and HOST (with
// CERT/KEY it also proves its own identity: mutual TLS), sends one line,
// prints the reply, and closes with close_notify.
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include <tls12/tls12.h>

// A TCP connection to host:port (the part of the program that is not TLS).
static int connect_to(const std::string& host, const std::string& port) {
  addrinfo hints{}, *found = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  return fd;
}

int main(int argc, char** argv) {
  if (argc != 4 && argc != 6) {
    std::cerr << "usage: client HOST PORT CA.pem [CERT.pem KEY.pem]\n";
    return 2;
  }
  const std::string host = argv[1];
  try {
    // SSL_CTX_new, SSL_CTX_load_verify_locations, SSL_CTX_use_certificate_file, ...
    tls12::Context ctx = tls12::Context::client();
    ctx.load_verify_file(argv[3]);
    if (argc == 6) ctx.use_certificate_chain_file(argv[4]).use_private_key_file(argv[5]);

    int fd = connect_to(host, argv[2]);
    if (fd < 0) {
      std::cerr << "client: cannot connect to " << host << ":" << argv[2] << "\n";
      return 1;
    }
    tls12::Stream tls(ctx, fd, host);  // SSL_new + SSL_set_fd + SSL_set1_host
    tls.handshake();                   // SSL_connect
    std::cerr << "client: " << tls.version() << " " << tls.cipher_suite() << "\n";

    tls.write("Hello from the tls12 client\n");  // SSL_write
    std::cout << tls.read_string() << std::flush;  // SSL_read
    tls.shutdown();                                // SSL_shutdown
    close(fd);
  } catch (const tls12::Error& e) {
    std::cerr << "client: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
