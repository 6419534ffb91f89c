// Handshake messages (RFC 5246 §7.4, RFC 5077 §3.3): known answers from the
// recorded "Illustrated TLS 1.2" connection, round trips of every message, and
// the decode_error every malformed body must produce; and OpenSSL (libssl in
// memory) as a peer whose ClientHello and first flight we decode exactly.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "handshake/messages.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/illustrated_connection.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::TlsError;
namespace ill = test::illustrated;

using test_support::alert_of;

Random sequence_random(uint8_t first) {
  Random r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<uint8_t>(first + i);
  return r;
}

// ---------------------------------------------------------------- framing

TEST(Framing, WrapAndSplitAreInverse) {
  Bytes body = {1, 2, 3};
  Bytes message = wrap_handshake(HandshakeType::finished, body);
  EXPECT_EQ(to_hex(message), "14000003010203");
  auto parts = split_handshake(message);
  EXPECT_EQ(parts.type, HandshakeType::finished);
  EXPECT_EQ(Bytes(parts.body.begin(), parts.body.end()), body);
}

TEST(Framing, SplitRejectsWrongLength) {
  EXPECT_EQ(alert_of([] { split_handshake(from_hex("1400000401020304ff")); }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { split_handshake(from_hex("14000004010203")); }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { split_handshake(from_hex("1400")); }), AlertDescription::decode_error);
}

TEST(Framing, TypeNames) {
  EXPECT_EQ(handshake_type_name(HandshakeType::client_hello), "ClientHello");
  EXPECT_EQ(handshake_type_name(HandshakeType::server_key_exchange), "ServerKeyExchange");
  EXPECT_EQ(handshake_type_name(HandshakeType::new_session_ticket), "NewSessionTicket");
  EXPECT_EQ(handshake_type_name(static_cast<HandshakeType>(99)), "unknown(99)");
}

// ------------------------------------------- the illustrated connection, decoded

TEST(Illustrated, ClientHello) {
  Bytes message = ill::handshake_message("clienthello");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::client_hello);
  ClientHello hello = ClientHello::decode(parts.body);
  EXPECT_EQ(hello.client_version, TLS1_2);
  EXPECT_EQ(hello.random, sequence_random(0x00));
  EXPECT_TRUE(hello.session_id.empty());
  std::vector<CipherSuite> expected_suites = {0xcca8, 0xcca9, 0xc02f, 0xc030, 0xc02b, 0xc02c,
                                              0xc013, 0xc009, 0xc014, 0xc00a, 0x009c, 0x009d,
                                              0x002f, 0x0035, 0xc012, 0x000a};
  EXPECT_EQ(hello.cipher_suites, expected_suites);
  EXPECT_TRUE(hello.offers(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
  EXPECT_FALSE(hello.offers(suites::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256));
  EXPECT_EQ(hello.compression_methods, Bytes{compression_null});
  std::vector<uint16_t> types;
  for (const auto& e : hello.extensions) types.push_back(static_cast<uint16_t>(e.type));
  EXPECT_EQ(types, (std::vector<uint16_t>{0, 5, 10, 11, 13, 0xff01, 18}));
  EXPECT_EQ(hello.encode(), message);  // byte-exact, unknown extensions included
}

TEST(Illustrated, ServerHello) {
  Bytes message = ill::handshake_message("serverhello");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::server_hello);
  ServerHello hello = ServerHello::decode(parts.body);
  EXPECT_EQ(hello.server_version, TLS1_2);
  EXPECT_EQ(hello.random, sequence_random(0x70));
  EXPECT_TRUE(hello.session_id.empty());
  EXPECT_EQ(hello.cipher_suite, 0xc013);
  EXPECT_EQ(cipher_suite_name(hello.cipher_suite), "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_EQ(hello.compression_method, compression_null);
  ASSERT_EQ(hello.extensions.size(), 1u);
  EXPECT_EQ(hello.extensions[0].type, ExtensionType::renegotiation_info);
  EXPECT_EQ(hello.extensions[0].data, Bytes{0x00});
  EXPECT_EQ(hello.encode(), message);
}

TEST(Illustrated, Certificate) {
  Bytes message = ill::handshake_message("servercert");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::certificate);
  Certificate cert = Certificate::decode(parts.body);
  ASSERT_EQ(cert.certificate_list.size(), 1u);
  EXPECT_EQ(cert.certificate_list[0].size(), 0x325u);
  EXPECT_EQ(cert.certificate_list[0][0], 0x30);  // a DER SEQUENCE
  // The DER blob is the server certificate of server.crt, byte for byte.
  FILE* f = std::fopen((ill::dir() / "server.crt").c_str(), "r");
  ASSERT_NE(f, nullptr);
  X509* x509 = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(x509, nullptr);
  unsigned char* der = nullptr;
  int der_len = i2d_X509(x509, &der);
  ASSERT_GT(der_len, 0);
  EXPECT_EQ(cert.certificate_list[0], Bytes(der, der + der_len));
  OPENSSL_free(der);
  X509_free(x509);
  EXPECT_EQ(cert.encode(), message);
}

// The signature of ServerKeyExchange covers client_random + server_random +
// params: checking it with OpenSSL against server.crt proves signed_content()
// reproduces exactly the bytes the server signed.
TEST(Illustrated, ServerKeyExchangeAndItsSignedContent) {
  Bytes message = ill::handshake_message("serverkeyexchange");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::server_key_exchange);
  ServerKeyExchange ske = ServerKeyExchange::decode(parts.body, KeyExchange::ecdhe);
  EXPECT_EQ(ske.key_exchange(), KeyExchange::ecdhe);
  const auto& ecdh = std::get<ServerEcdhParams>(ske.params);
  EXPECT_EQ(ecdh.named_curve, NamedGroup::x25519);
  EXPECT_EQ(ecdh.public_key, ill::x25519_key("server-ephemeral-public.key"));
  EXPECT_EQ(ske.signed_params.algorithm, SignatureScheme::rsa_pkcs1_sha256);
  EXPECT_EQ(ske.signed_params.signature.size(), 256u);
  EXPECT_EQ(ske.encode(), message);
  EXPECT_EQ(to_hex(ske.encode_params()).substr(0, 8), "03001d20");

  Bytes content = ske.signed_content(sequence_random(0x00), sequence_random(0x70));
  FILE* f = std::fopen((ill::dir() / "server.crt").c_str(), "r");
  ASSERT_NE(f, nullptr);
  X509* x509 = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(x509, nullptr);
  EVP_PKEY* key = X509_get_pubkey(x509);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(ctx, ske.signed_params.signature.data(),
                             ske.signed_params.signature.size(), content.data(), content.size()),
            1);
  // And a content with the randoms swapped does not verify.
  Bytes swapped = ske.signed_content(sequence_random(0x70), sequence_random(0x00));
  ASSERT_EQ(EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_NE(EVP_DigestVerify(ctx, ske.signed_params.signature.data(),
                             ske.signed_params.signature.size(), swapped.data(), swapped.size()),
            1);
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  X509_free(x509);
}

TEST(Illustrated, ServerHelloDone) {
  Bytes message = ill::handshake_message("serverhellodone");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::server_hello_done);
  EXPECT_EQ(ServerHelloDone::decode(parts.body), ServerHelloDone{});
  EXPECT_EQ(ServerHelloDone{}.encode(), message);
}

TEST(Illustrated, ClientKeyExchange) {
  Bytes message = ill::handshake_message("clientkeyexchange");
  auto parts = split_handshake(message);
  ASSERT_EQ(parts.type, HandshakeType::client_key_exchange);
  auto cke = ClientKeyExchange::decode(parts.body, KeyExchange::ecdhe);
  EXPECT_EQ(cke.exchange_keys, ill::x25519_key("client-ephemeral-public.key"));
  EXPECT_EQ(cke.encode(), message);
}

TEST(Illustrated, FinishedPlaintexts) {
  for (const char* name : {"clientfinishedplain", "serverfinishedplain"}) {
    Bytes plain = ill::record(name);  // no record header: the plaintext itself
    ByteView message = ByteView(plain).first(16);
    auto parts = split_handshake(message);
    ASSERT_EQ(parts.type, HandshakeType::finished) << name;
    Finished finished = Finished::decode(parts.body);
    EXPECT_EQ(to_hex(finished.verify_data), to_hex(parts.body)) << name;
    EXPECT_EQ(finished.encode(), Bytes(message.begin(), message.end())) << name;
  }
}

// -------------------------------------------------- a sample of every message

struct Sample {
  std::string name;
  HandshakeType type;
  Bytes body;
  std::function<Bytes(ByteView)> reencode;  // decode then encode_body
  size_t valid_prefix = SIZE_MAX;           // a strict prefix that is itself valid
};

template <class M>
std::function<Bytes(ByteView)> plain_codec() {
  return [](ByteView b) { return M::decode(b).encode_body(); };
}
template <class M>
std::function<Bytes(ByteView)> kx_codec(KeyExchange kx) {
  return [kx](ByteView b) { return M::decode(b, kx).encode_body(); };
}

ClientHello sample_client_hello() {
  ClientHello hello;
  hello.random = sequence_random(0x20);
  hello.session_id = Bytes(32, 0xab);
  hello.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                         suites::TLS_RSA_WITH_AES_256_GCM_SHA384,
                         suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV};
  ClientHelloExtensions ext;
  ext.server_name = "example.com";
  ext.supported_groups = {NamedGroup::x25519, NamedGroup::ffdhe2048};
  ext.ec_point_formats = Bytes{ec_point_format_uncompressed};
  ext.signature_algorithms = {SignatureScheme::rsa_pss_rsae_sha256, SignatureScheme::ed25519};
  ext.extended_master_secret = true;
  ext.alpn_protocols = std::vector<std::string>{"h2", "http/1.1"};
  hello.extensions = ext.to_list();
  return hello;
}

ServerHello sample_server_hello() {
  ServerHello hello;
  hello.random = sequence_random(0x90);
  hello.session_id = Bytes(16, 0x11);
  hello.cipher_suite = suites::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256;
  ServerHelloExtensions ext;
  ext.extended_master_secret = true;
  ext.renegotiation_info = Bytes{};
  hello.extensions = ext.to_list();
  return hello;
}

std::vector<Sample> samples() {
  std::vector<Sample> out;
  ClientHello ch = sample_client_hello();
  Bytes ch_body = ch.encode_body();
  ClientHello ch_bare = ch;
  ch_bare.extensions.clear();
  out.push_back({"ClientHello", ClientHello::type, ch_body, plain_codec<ClientHello>(),
                 ch_bare.encode_body().size()});
  ServerHello sh = sample_server_hello();
  ServerHello sh_bare = sh;
  sh_bare.extensions.clear();
  out.push_back({"ServerHello", ServerHello::type, sh.encode_body(), plain_codec<ServerHello>(),
                 sh_bare.encode_body().size()});
  Certificate cert{{Bytes(300, 0x30), Bytes(1, 0x31)}};
  out.push_back({"Certificate", Certificate::type, cert.encode_body(), plain_codec<Certificate>()});
  ServerKeyExchange ecdhe{ServerEcdhParams{NamedGroup::x25519, Bytes(32, 0x42)},
                          {SignatureScheme::rsa_pss_rsae_sha256, Bytes(256, 0x5a)}};
  out.push_back({"ServerKeyExchange(ecdhe)", ServerKeyExchange::type, ecdhe.encode_body(),
                 kx_codec<ServerKeyExchange>(KeyExchange::ecdhe)});
  ServerKeyExchange dhe{ServerDhParams{Bytes(256, 0xff), Bytes{2}, Bytes(256, 0x17)},
                        {SignatureScheme::rsa_pkcs1_sha384, Bytes(256, 0x5b)}};
  out.push_back({"ServerKeyExchange(dhe)", ServerKeyExchange::type, dhe.encode_body(),
                 kx_codec<ServerKeyExchange>(KeyExchange::dhe)});
  CertificateRequest req{{ClientCertificateType::rsa_sign, ClientCertificateType::ecdsa_sign},
                         {SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pss_rsae_sha256},
                         {Bytes(20, 0x30), Bytes(7, 0x31)}};
  out.push_back({"CertificateRequest", CertificateRequest::type, req.encode_body(),
                 plain_codec<CertificateRequest>()});
  CertificateVerify cv{{SignatureScheme::rsa_pss_rsae_sha512, Bytes(128, 0x99)}};
  out.push_back({"CertificateVerify", CertificateVerify::type, cv.encode_body(),
                 plain_codec<CertificateVerify>()});
  ClientKeyExchange rsa{KeyExchange::rsa, Bytes(256, 0x77)};
  out.push_back({"ClientKeyExchange(rsa)", ClientKeyExchange::type, rsa.encode_body(),
                 kx_codec<ClientKeyExchange>(KeyExchange::rsa)});
  ClientKeyExchange dh{KeyExchange::dhe, Bytes(256, 0x78)};
  out.push_back({"ClientKeyExchange(dhe)", ClientKeyExchange::type, dh.encode_body(),
                 kx_codec<ClientKeyExchange>(KeyExchange::dhe)});
  ClientKeyExchange ec{KeyExchange::ecdhe, Bytes(32, 0x79)};
  out.push_back({"ClientKeyExchange(ecdhe)", ClientKeyExchange::type, ec.encode_body(),
                 kx_codec<ClientKeyExchange>(KeyExchange::ecdhe)});
  Finished fin;
  for (size_t i = 0; i < fin.verify_data.size(); ++i) fin.verify_data[i] = static_cast<uint8_t>(i);
  out.push_back({"Finished", Finished::type, fin.encode_body(), plain_codec<Finished>()});
  NewSessionTicket nst{7200, Bytes(100, 0x3c)};
  out.push_back({"NewSessionTicket", NewSessionTicket::type, nst.encode_body(),
                 plain_codec<NewSessionTicket>()});
  return out;
}

TEST(Messages, EveryMessageRoundTrips) {
  for (const auto& s : samples()) {
    EXPECT_EQ(s.reencode(s.body), s.body) << s.name;
  }
  EXPECT_EQ(ClientHello::decode(sample_client_hello().encode_body()), sample_client_hello());
  EXPECT_EQ(ServerHello::decode(sample_server_hello().encode_body()), sample_server_hello());
  EXPECT_EQ(HelloRequest::decode({}), HelloRequest{});
  EXPECT_EQ(to_hex(HelloRequest{}.encode()), "00000000");
  EXPECT_EQ(to_hex(ServerHelloDone{}.encode()), "0e000000");
}

TEST(Messages, EncodeAddsTheHeaderOfTheRightType) {
  ClientHello ch = sample_client_hello();
  Bytes full = ch.encode();
  auto parts = split_handshake(full);
  EXPECT_EQ(parts.type, HandshakeType::client_hello);
  EXPECT_EQ(Bytes(parts.body.begin(), parts.body.end()), ch.encode_body());
  NewSessionTicket nst{1, {}};
  EXPECT_EQ(to_hex(nst.encode()), "04000006000000010000");
}

TEST(Messages, EveryStrictPrefixIsADecodeError) {
  for (const auto& s : samples()) {
    for (size_t n = 0; n < s.body.size(); ++n) {
      if (n == s.valid_prefix) continue;  // a hello without its extension block is valid
      ByteView prefix = ByteView(s.body).first(n);
      EXPECT_EQ(alert_of([&] { s.reencode(prefix); }), AlertDescription::decode_error)
          << s.name << " prefix of " << n << " bytes";
    }
  }
}

TEST(Messages, HelloWithoutExtensionsIsValid) {
  for (const auto& s : samples()) {
    if (s.valid_prefix == SIZE_MAX) continue;
    ByteView prefix = ByteView(s.body).first(s.valid_prefix);
    EXPECT_EQ(s.reencode(prefix), Bytes(prefix.begin(), prefix.end())) << s.name;
  }
}

TEST(Messages, TrailingBytesAreADecodeError) {
  for (const auto& s : samples()) {
    Bytes longer = s.body;
    longer.push_back(0);
    EXPECT_EQ(alert_of([&] { s.reencode(longer); }), AlertDescription::decode_error) << s.name;
  }
  EXPECT_EQ(alert_of([] { HelloRequest::decode(Bytes{0}); }), AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { ServerHelloDone::decode(Bytes{0}); }), AlertDescription::decode_error);
}

// ------------------------------------------------ bad vector lengths, by field

TEST(ClientHello, BadVectors) {
  Bytes body = sample_client_hello().encode_body();
  // session_id<0..32>: length 33 (and the bytes are there: the range is what fails).
  Bytes session33 = body;
  session33[34] = 33;
  EXPECT_EQ(alert_of([&] { ClientHello::decode(session33); }), AlertDescription::decode_error);
  // cipher_suites<2..2^16-2> of an odd length.
  Bytes odd_body = from_hex("0303" + std::string(64, '0') + "00" + "0003c02f00" + "0100");
  EXPECT_EQ(alert_of([&] { ClientHello::decode(odd_body); }), AlertDescription::decode_error);
  // empty cipher_suites.
  Bytes no_suites = from_hex("0303" + std::string(64, '0') + "00" + "0000" + "0100");
  EXPECT_EQ(alert_of([&] { ClientHello::decode(no_suites); }), AlertDescription::decode_error);
  // compression_methods<1..2^8-1> empty.
  Bytes no_compression = from_hex("0303" + std::string(64, '0') + "00" + "0002c02f" + "00");
  EXPECT_EQ(alert_of([&] { ClientHello::decode(no_compression); }),
            AlertDescription::decode_error);
  // The smallest valid one decodes.
  Bytes minimal = from_hex("0303" + std::string(64, '0') + "00" + "0002c02f" + "0100");
  EXPECT_EQ(ClientHello::decode(minimal).cipher_suites, std::vector<CipherSuite>{0xc02f});
}

TEST(ClientHello, DuplicatedExtensionIsADecodeError) {
  ClientHello hello = sample_client_hello();
  hello.extensions.push_back({ExtensionType::extended_master_secret, {}});
  EXPECT_EQ(alert_of([&] { ClientHello::decode(hello.encode_body()); }),
            AlertDescription::decode_error);
}

TEST(ClientHello, EmptyExtensionBlockIsAccepted) {
  ClientHello hello = sample_client_hello();
  hello.extensions.clear();
  Bytes body = hello.encode_body();
  body.push_back(0);
  body.push_back(0);
  EXPECT_TRUE(ClientHello::decode(body).extensions.empty());
}

TEST(ServerHello, ExtensionBlockLongerThanMessage) {
  Bytes body = sample_server_hello().encode_body();
  size_t block_at = sample_server_hello().encode_body().size() -
                    (body.size() - (2 + 32 + 1 + 16 + 2 + 1));
  body[block_at + 1] = static_cast<uint8_t>(body[block_at + 1] + 1);
  EXPECT_EQ(alert_of([&] { ServerHello::decode(body); }), AlertDescription::decode_error);
}

TEST(Certificate, EmptyListIsValidEmptyCertificateIsNot) {
  EXPECT_TRUE(Certificate::decode(from_hex("000000")).certificate_list.empty());
  EXPECT_EQ(alert_of([] { Certificate::decode(from_hex("000003000000")); }),
            AlertDescription::decode_error);
  // Inner length disagreeing with the outer one.
  EXPECT_EQ(alert_of([] { Certificate::decode(from_hex("00000500000330")); }),
            AlertDescription::decode_error);
}

TEST(ServerKeyExchange, ExplicitCurvesAreIllegalParameter) {
  Bytes body = from_hex("01001d0142" "0401" "0000");
  EXPECT_EQ(alert_of([&] { ServerKeyExchange::decode(body, KeyExchange::ecdhe); }),
            AlertDescription::illegal_parameter);
}

TEST(ServerKeyExchange, EmptyPointOrDhValueIsADecodeError) {
  EXPECT_EQ(alert_of([] { ServerKeyExchange::decode(from_hex("03001d00" "04010000"), KeyExchange::ecdhe); }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] {
              ServerKeyExchange::decode(from_hex("000117" "000102" "0000" "04010000"),
                                        KeyExchange::dhe);
            }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { ServerKeyExchange::decode(from_hex("00"), KeyExchange::rsa); }),
            AlertDescription::unexpected_message);
}

TEST(ServerKeyExchange, SignedContentIsRandomsThenParams) {
  ServerKeyExchange ske{ServerEcdhParams{NamedGroup::x25519, Bytes{1, 2}}, {}};
  Bytes content = ske.signed_content(sequence_random(0), sequence_random(0x40));
  EXPECT_EQ(to_hex(content), to_hex(sequence_random(0)) + to_hex(sequence_random(0x40)) +
                                 "03001d020102");
}

TEST(CertificateRequest, BadVectors) {
  // certificate_types<1..2^8-1> empty.
  EXPECT_EQ(alert_of([] { CertificateRequest::decode(from_hex("00" "00020401" "0000")); }),
            AlertDescription::decode_error);
  // supported_signature_algorithms of odd length, and empty.
  EXPECT_EQ(alert_of([] { CertificateRequest::decode(from_hex("0101" "000304010" "1" "0000")); }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { CertificateRequest::decode(from_hex("0101" "0000" "0000")); }),
            AlertDescription::decode_error);
  // An empty DistinguishedName.
  EXPECT_EQ(alert_of([] { CertificateRequest::decode(from_hex("0101" "00020401" "00020000")); }),
            AlertDescription::decode_error);
  auto ok = CertificateRequest::decode(from_hex("0101" "00020401" "0000"));
  EXPECT_EQ(ok.certificate_types, std::vector{ClientCertificateType::rsa_sign});
  EXPECT_TRUE(ok.certificate_authorities.empty());
}

TEST(ClientKeyExchange, LengthPrefixPerKeyExchange) {
  Bytes point(32, 0x09);
  EXPECT_EQ((ClientKeyExchange{KeyExchange::ecdhe, point}.encode_body().size()), 33u);
  EXPECT_EQ((ClientKeyExchange{KeyExchange::rsa, Bytes(256, 1)}.encode_body().size()), 258u);
  EXPECT_EQ((ClientKeyExchange{KeyExchange::dhe, Bytes(256, 1)}.encode_body().size()), 258u);
  // An empty ECDHE or DHE public value is malformed.
  EXPECT_EQ(alert_of([] { ClientKeyExchange::decode(from_hex("00"), KeyExchange::ecdhe); }),
            AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { ClientKeyExchange::decode(from_hex("0000"), KeyExchange::dhe); }),
            AlertDescription::decode_error);
  // The same bytes mean different things depending on the key exchange: an
  // RSA body read as ECDHE has trailing bytes.
  Bytes rsa_body = ClientKeyExchange{KeyExchange::rsa, Bytes(3, 7)}.encode_body();
  EXPECT_EQ(alert_of([&] { ClientKeyExchange::decode(rsa_body, KeyExchange::ecdhe); }),
            AlertDescription::decode_error);
}

TEST(Finished, ExactlyTwelveBytes) {
  EXPECT_EQ(alert_of([] { Finished::decode(Bytes(11, 0)); }), AlertDescription::decode_error);
  EXPECT_EQ(alert_of([] { Finished::decode(Bytes(13, 0)); }), AlertDescription::decode_error);
  EXPECT_EQ(Finished::decode(Bytes(12, 5)).verify_data[11], 5);
}

TEST(NewSessionTicket, Fields) {
  auto nst = NewSessionTicket::decode(from_hex("0000012c0003aabbcc"));
  EXPECT_EQ(nst.ticket_lifetime_hint, 300u);
  EXPECT_EQ(nst.ticket, (Bytes{0xaa, 0xbb, 0xcc}));
  EXPECT_EQ(alert_of([] { NewSessionTicket::decode(from_hex("0000012c0004aabbcc")); }),
            AlertDescription::decode_error);
}

// ------------------------------------------------ OpenSSL's libssl as a peer
// In memory (BIO pairs, no sockets): OpenSSL's ClientHello decoded and
// re-encoded by us, and our ClientHello answered by an OpenSSL server whose
// whole first flight our decoders then read.

// The handshake messages inside a run of plaintext handshake records.
std::vector<Bytes> handshake_messages_in(ByteView records) {
  Bytes stream;
  record::Reader r(records, "records");
  while (!r.empty()) {
    uint8_t content_type = r.u8();
    r.u16();
    ByteView fragment = r.vector16(0, 0xffff);
    if (content_type != 22) throw std::runtime_error("not a handshake record");
    stream.insert(stream.end(), fragment.begin(), fragment.end());
  }
  std::vector<Bytes> messages;
  record::Reader m(stream, "handshake stream");
  while (!m.empty()) {
    size_t start = m.offset();
    m.u8();
    m.vector24(0, 0xffffff);
    messages.emplace_back(stream.begin() + static_cast<std::ptrdiff_t>(start),
                          stream.begin() + static_cast<std::ptrdiff_t>(m.offset()));
  }
  return messages;
}

Bytes drain(BIO* bio) {
  Bytes out(static_cast<size_t>(BIO_ctrl_pending(bio)));
  if (!out.empty()) BIO_read(bio, out.data(), static_cast<int>(out.size()));
  return out;
}

TEST(OpenSsl, ItsClientHelloDecodesAndReencodesExactly) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_tlsext_host_name(ssl, "tls12.example");
  const unsigned char alpn[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  SSL_set_alpn_protos(ssl, alpn, sizeof alpn);
  EXPECT_EQ(SSL_connect(ssl), -1);  // waits for the ServerHello
  auto messages = handshake_messages_in(drain(out));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ASSERT_EQ(messages.size(), 1u);
  auto parts = split_handshake(messages[0]);
  ASSERT_EQ(parts.type, HandshakeType::client_hello);
  ClientHello hello = ClientHello::decode(parts.body);
  EXPECT_EQ(hello.encode(), messages[0]);
  auto ext = ClientHelloExtensions::parse(hello.extensions);
  EXPECT_EQ(ext.server_name, "tls12.example");
  EXPECT_EQ(ext.alpn_protocols, (std::vector<std::string>{"h2", "http/1.1"}));
  // A TLS 1.3 client: supported_versions lists 1.3 and 1.2, its key_share is
  // an extension we do not know and keep.
  ASSERT_TRUE(ext.supported_versions);
  EXPECT_NE(std::find(ext.supported_versions->begin(), ext.supported_versions->end(), TLS1_3),
            ext.supported_versions->end());
  EXPECT_NE(std::find(ext.supported_versions->begin(), ext.supported_versions->end(), TLS1_2),
            ext.supported_versions->end());
  EXPECT_TRUE(ext.extended_master_secret);
  ASSERT_TRUE(ext.supported_groups);
  EXPECT_EQ(ext.supported_groups->front(), NamedGroup::x25519);
  bool key_share_kept = false;
  for (const auto& e : ext.unknown) key_share_kept |= static_cast<uint16_t>(e.type) == 51;
  EXPECT_TRUE(key_share_kept);
  EXPECT_TRUE(hello.offers(suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256));
}

TEST(OpenSsl, AnswersOurClientHelloWithAFlightWeDecode) {
  ClientHello hello;
  hello.random = sequence_random(0x40);
  hello.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                         suites::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                         suites::TLS_RSA_WITH_AES_128_GCM_SHA256,
                         suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV};
  ClientHelloExtensions ext;
  ext.server_name = "example.ulfheim.net";
  ext.supported_groups = {NamedGroup::x25519};
  ext.ec_point_formats = Bytes{ec_point_format_uncompressed};
  ext.signature_algorithms = {SignatureScheme::rsa_pkcs1_sha256};
  ext.extended_master_secret = true;
  hello.extensions = ext.to_list();
  Bytes message = hello.encode();
  Bytes record = {22, 3, 1, static_cast<uint8_t>(message.size() >> 8),
                  static_cast<uint8_t>(message.size())};
  record.insert(record.end(), message.begin(), message.end());

  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  ASSERT_EQ(SSL_CTX_use_certificate_file(ctx, (ill::dir() / "server.crt").c_str(), SSL_FILETYPE_PEM), 1);
  ASSERT_EQ(SSL_CTX_use_PrivateKey_file(ctx, (ill::dir() / "server.key").c_str(), SSL_FILETYPE_PEM), 1);
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  BIO_write(in, record.data(), static_cast<int>(record.size()));
  EXPECT_EQ(SSL_accept(ssl), -1);  // waits for our ClientKeyExchange
  auto flight = handshake_messages_in(drain(out));
  SSL_free(ssl);
  SSL_CTX_free(ctx);

  ASSERT_EQ(flight.size(), 4u);
  auto sh_parts = split_handshake(flight[0]);
  ASSERT_EQ(sh_parts.type, HandshakeType::server_hello);
  ServerHello sh = ServerHello::decode(sh_parts.body);
  EXPECT_EQ(sh.encode(), flight[0]);
  EXPECT_EQ(sh.server_version, TLS1_2);
  EXPECT_EQ(sh.cipher_suite, suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
  EXPECT_NO_THROW(check_server_extensions_offered(hello.extensions, true, sh.extensions));
  auto sh_ext = ServerHelloExtensions::parse(sh.extensions);
  EXPECT_TRUE(sh_ext.extended_master_secret);
  EXPECT_EQ(sh_ext.renegotiation_info, Bytes{});  // RFC 5746: answers our SCSV
  EXPECT_TRUE(sh_ext.unknown.empty());

  auto cert_parts = split_handshake(flight[1]);
  ASSERT_EQ(cert_parts.type, HandshakeType::certificate);
  Certificate cert = Certificate::decode(cert_parts.body);
  EXPECT_EQ(cert.encode(), flight[1]);
  ASSERT_GE(cert.certificate_list.size(), 1u);

  auto ske_parts = split_handshake(flight[2]);
  ASSERT_EQ(ske_parts.type, HandshakeType::server_key_exchange);
  ServerKeyExchange ske = ServerKeyExchange::decode(ske_parts.body, KeyExchange::ecdhe);
  EXPECT_EQ(ske.encode(), flight[2]);
  EXPECT_EQ(std::get<ServerEcdhParams>(ske.params).named_curve, NamedGroup::x25519);
  EXPECT_EQ(std::get<ServerEcdhParams>(ske.params).public_key.size(), 32u);
  EXPECT_EQ(ske.signed_params.algorithm, SignatureScheme::rsa_pkcs1_sha256);
  // The signature verifies over our signed_content with the certificate's key.
  const unsigned char* der = cert.certificate_list[0].data();
  X509* x509 = d2i_X509(nullptr, &der, static_cast<long>(cert.certificate_list[0].size()));
  ASSERT_NE(x509, nullptr);
  EVP_PKEY* key = X509_get_pubkey(x509);
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  Bytes content = ske.signed_content(hello.random, sh.random);
  ASSERT_EQ(EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestVerify(md, ske.signed_params.signature.data(),
                             ske.signed_params.signature.size(), content.data(), content.size()),
            1);
  EVP_MD_CTX_free(md);
  EVP_PKEY_free(key);
  X509_free(x509);

  auto done_parts = split_handshake(flight[3]);
  EXPECT_EQ(done_parts.type, HandshakeType::server_hello_done);
  EXPECT_NO_THROW(ServerHelloDone::decode(done_parts.body));
}

}  // namespace
}  // namespace tls12::handshake
