// Known answers against OpenSSL's libssl: byte-exact interoperability of record
// framing and protection (RFC 5246 §6.2, RFC 5288, RFC 7905).
//
// An OpenSSL client and server complete a TLS 1.2 handshake in memory with one
// fixed suite. Every byte each side sends is kept. Afterwards the master secret
// and the randoms are read back from libssl, the key block is derived with our
// PRF (RFC 5246 §6.3), and:
//   - our record layer reads the whole client flight (ClientHello in a 0x0301
//     record, ClientKeyExchange, ChangeCipherSpec, the encrypted Finished at
//     sequence number 0) and the whole server flight;
//   - application data written by SSL_write opens with our layer (sequence
//     numbers 1, 2, ...);
//   - application data and a close_notify sealed by our layer are accepted by
//     SSL_read.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/prf.h"
#include "record/record_layer.h"
#include "record_test_support.h"
#include "tests/support/libssl_identity.h"

namespace tls12::record {
namespace {

template <class T>
using Ptr = tls12::test::SslPtr<T>;

struct Suite {
  const char* openssl_name;
  crypto::AeadAlgorithm aead;
  crypto::HashAlgorithm prf_hash;
};

const Suite kSuites[] = {
    {"ECDHE-RSA-AES128-GCM-SHA256", crypto::AeadAlgorithm::aes_128_gcm, crypto::HashAlgorithm::sha256},
    {"ECDHE-RSA-AES256-GCM-SHA384", crypto::AeadAlgorithm::aes_256_gcm, crypto::HashAlgorithm::sha384},
    {"ECDHE-RSA-CHACHA20-POLY1305", crypto::AeadAlgorithm::chacha20_poly1305, crypto::HashAlgorithm::sha256},
};

// Moves everything `from` has written into `to`'s input, and keeps a copy.
void pump(SSL* from, SSL* to, Bytes& transcript) {
  BIO* out = SSL_get_wbio(from);
  uint8_t buf[4096];
  int n;
  while ((n = BIO_read(out, buf, sizeof buf)) > 0) {
    transcript.insert(transcript.end(), buf, buf + n);
    ASSERT_EQ(BIO_write(SSL_get_rbio(to), buf, n), n);
  }
}

Bytes drain_wbio(SSL* ssl) {
  Bytes out;
  uint8_t buf[4096];
  int n;
  while ((n = BIO_read(SSL_get_wbio(ssl), buf, sizeof buf)) > 0) out.insert(out.end(), buf, buf + n);
  return out;
}

class LibsslSession {
 public:
  explicit LibsslSession(const Suite& suite) {
    client_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    server_ctx_.reset(SSL_CTX_new(TLS_server_method()));
    for (SSL_CTX* ctx : {client_ctx_.get(), server_ctx_.get()}) {
      SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
      SSL_CTX_set_cipher_list(ctx, suite.openssl_name);
      SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    }
    SSL_CTX_use_certificate(server_ctx_.get(), tls12::test::libssl_identity().cert.get());
    SSL_CTX_use_PrivateKey(server_ctx_.get(), tls12::test::libssl_identity().key.get());
    client_.reset(SSL_new(client_ctx_.get()));
    server_.reset(SSL_new(server_ctx_.get()));
    SSL_set_bio(client_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_bio(server_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(client_.get());
    SSL_set_accept_state(server_.get());
  }

  void handshake() {
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
      client_done = SSL_do_handshake(client_.get()) == 1;
      pump(client_.get(), server_.get(), client_flight);
      server_done = SSL_do_handshake(server_.get()) == 1;
      pump(server_.get(), client_.get(), server_flight);
    }
    ASSERT_TRUE(client_done && server_done) << ERR_error_string(ERR_get_error(), nullptr);
  }

  // RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion",
  // server_random + client_random), cut into (no MAC keys for AEAD suites)
  // client_write_key, server_write_key, client_write_IV, server_write_IV.
  void derive_keys(const Suite& suite) {
    uint8_t master[48], client_random[32], server_random[32];
    ASSERT_EQ(SSL_SESSION_get_master_key(SSL_get_session(client_.get()), master, sizeof master), 48u);
    ASSERT_EQ(SSL_get_client_random(client_.get(), client_random, 32), 32u);
    ASSERT_EQ(SSL_get_server_random(client_.get(), server_random, 32), 32u);
    Bytes seed(server_random, server_random + 32);
    seed.insert(seed.end(), client_random, client_random + 32);
    const size_t key_len = crypto::aead_key_size(suite.aead);
    const size_t iv_len = fixed_iv_length(suite.aead);
    const SecretBytes block = crypto::prf(suite.prf_hash, ByteView(master, 48), "key expansion", seed,
                                          2 * key_len + 2 * iv_len);
    auto cut = [&](size_t offset, size_t len) { return SecretBytes(block.begin() + offset, block.begin() + offset + len); };
    client_keys.algorithm = server_keys.algorithm = suite.aead;
    client_keys.key = cut(0, key_len);
    client_keys.iv = cut(2 * key_len, iv_len);
    server_keys.key = cut(key_len, key_len);
    server_keys.iv = cut(2 * key_len + iv_len, iv_len);
  }

  SSL* client() { return client_.get(); }
  SSL* server() { return server_.get(); }

  Bytes client_flight, server_flight;
  TrafficKeys client_keys, server_keys;

 private:
  Ptr<SSL_CTX> client_ctx_, server_ctx_;
  Ptr<SSL> client_, server_;
};

// Reads a whole handshake flight with our layer, installing `keys` at the
// ChangeCipherSpec, and returns the handshake message types seen (CCS as 0xff).
std::vector<int> read_flight(RecordLayer& layer, ByteView flight, const TrafficKeys& keys) {
  std::vector<int> types;
  layer.feed(flight);
  while (auto item = layer.next()) {
    if (item->type == ContentType::change_cipher_spec) {
      types.push_back(0xff);
      layer.install_read_protection(keys);
    } else {
      EXPECT_EQ(item->type, ContentType::handshake);
      types.push_back(item->data[0]);
      if (item->data[0] == 20) {
        EXPECT_EQ(item->data.size(), 16u);  // Finished: 12-byte verify_data
      }
    }
  }
  EXPECT_EQ(layer.read_protection().sequence_number(), 1u);  // Finished was record 0
  return types;
}

class Libssl : public ::testing::TestWithParam<Suite> {};

TEST_P(Libssl, OurLayerReadsBothHandshakeFlights) {
  LibsslSession s(GetParam());
  s.handshake();
  s.derive_keys(GetParam());
  ASSERT_GE(s.client_flight.size(), 3u);
  EXPECT_EQ(s.client_flight[1] << 8 | s.client_flight[2], 0x0301) << "OpenSSL's ClientHello record version";

  RecordLayerOptions server_options;
  server_options.accept_legacy_first_record_version = true;
  RecordLayer as_server(server_options);
  EXPECT_EQ(read_flight(as_server, s.client_flight, s.client_keys), (std::vector<int>{1, 16, 0xff, 20}));

  RecordLayer as_client;
  EXPECT_EQ(read_flight(as_client, s.server_flight, s.server_keys), (std::vector<int>{2, 11, 12, 14, 0xff, 20}));
}

TEST_P(Libssl, SslWriteRecordsOpenWithOurs) {
  LibsslSession s(GetParam());
  s.handshake();
  s.derive_keys(GetParam());
  RecordLayerOptions server_options;
  server_options.accept_legacy_first_record_version = true;
  RecordLayer as_server(server_options);
  read_flight(as_server, s.client_flight, s.client_keys);
  as_server.enable_application_data();

  for (size_t size : {size_t{1}, size_t{1000}, size_t{16383}, size_t{16384}, size_t{40000}}) {
    std::string data(size, '\0');
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + i % 26);
    ASSERT_EQ(SSL_write(s.client(), data.data(), static_cast<int>(size)), static_cast<int>(size));
    as_server.feed(drain_wbio(s.client()));
    std::string got;
    while (auto item = as_server.next()) {
      EXPECT_EQ(item->type, ContentType::application_data);
      got.append(reinterpret_cast<const char*>(item->data.data()), item->data.size());
    }
    EXPECT_EQ(got, data) << size;
  }
  // A close_notify from libssl decodes as one.
  SSL_shutdown(s.client());
  as_server.feed(drain_wbio(s.client()));
  auto alert = as_server.next();
  ASSERT_TRUE(alert && alert->alert);
  EXPECT_EQ(alert->alert->description, AlertDescription::close_notify);
}

TEST_P(Libssl, OurRecordsAreAcceptedBySslRead) {
  LibsslSession s(GetParam());
  s.handshake();
  s.derive_keys(GetParam());
  // Ours as the server towards libssl's client, and as the client towards
  // libssl's server: both Finished records were sequence number 0.
  struct Direction {
    const TrafficKeys* keys;
    SSL* reader;
  };
  for (Direction d : {Direction{&s.server_keys, s.client()}, Direction{&s.client_keys, s.server()}}) {
    RecordLayer ours;
    ours.install_write_protection(*d.keys);
    ours.write_protection().set_sequence_number(1);
    ours.enable_application_data();
    for (size_t size : {size_t{1}, size_t{777}, size_t{16384}, size_t{50000}}) {
      std::string data(size, '\0');
      for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>('A' + i % 26);
      ours.write(ContentType::application_data, as_bytes(data));
      const Bytes wire = ours.take_output();
      ASSERT_EQ(BIO_write(SSL_get_rbio(d.reader), wire.data(), static_cast<int>(wire.size())),
                static_cast<int>(wire.size()));
      std::string got(size, '\0');
      size_t have = 0;
      while (have < size) {
        int n = SSL_read(d.reader, got.data() + have, static_cast<int>(size - have));
        ASSERT_GT(n, 0) << ERR_error_string(ERR_get_error(), nullptr);
        have += static_cast<size_t>(n);
      }
      EXPECT_EQ(got, data) << size;
    }
    ours.write_alert({AlertLevel::warning, AlertDescription::close_notify});
    const Bytes wire = ours.take_output();
    BIO_write(SSL_get_rbio(d.reader), wire.data(), static_cast<int>(wire.size()));
    char byte;
    EXPECT_EQ(SSL_read(d.reader, &byte, 1), 0);
    EXPECT_EQ(SSL_get_error(d.reader, 0), SSL_ERROR_ZERO_RETURN);
  }
}

TEST_P(Libssl, SslReadRejectsARecordWeSealWithTheWrongSequenceNumber) {
  // The counter-check: the previous test would pass vacuously if libssl
  // accepted anything.
  LibsslSession s(GetParam());
  s.handshake();
  s.derive_keys(GetParam());
  RecordLayer ours;
  ours.install_write_protection(s.server_keys);
  ours.write_protection().set_sequence_number(2);
  ours.enable_application_data();
  ours.write(ContentType::application_data, as_bytes("hello"));
  const Bytes wire = ours.take_output();
  BIO_write(SSL_get_rbio(s.client()), wire.data(), static_cast<int>(wire.size()));
  char buf[16];
  EXPECT_LE(SSL_read(s.client(), buf, sizeof buf), 0);
  EXPECT_EQ(SSL_get_error(s.client(), -1), SSL_ERROR_SSL);
  ERR_clear_error();
}

INSTANTIATE_TEST_SUITE_P(Suites, Libssl, ::testing::ValuesIn(kSuites), [](const auto& info) {
  std::string name = info.param.openssl_name;
  for (auto& c : name)
    if (c == '-') c = '_';
  return name;
});

}  // namespace
}  // namespace tls12::record
