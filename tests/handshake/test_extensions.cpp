// Hello extensions (RFC 5246 §7.4.1.4 and the RFCs of each extension): the
// codec of each extension's data, the typed views, duplicates, and the
// client's unsupported_extension check.
#include <gtest/gtest.h>

#include <functional>

#include "handshake/extensions.h"
#include "handshake/messages.h"
#include "tests/handshake/alert_support.h"
#include "tests/handshake/illustrated_connection.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::Reader;
using record::TlsError;
using record::Writer;

using test_support::alert_of;

constexpr auto decode_error = AlertDescription::decode_error;

// ---------------------------------------------------------- the block itself

TEST(ExtensionBlock, RoundTripKeepsOrderAndUnknownTypes) {
  ExtensionList list = {{static_cast<ExtensionType>(0x1234), {1, 2, 3}},
                        {ExtensionType::extended_master_secret, {}},
                        {ExtensionType::server_name, encode_server_name("a.example")}};
  Writer w;
  write_extensions(w, list);
  Reader r(w.data());
  EXPECT_EQ(read_extensions(r), list);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(to_hex(ByteView(w.data()).first(9)), "001d" "1234" "0003" "010203");
}

TEST(ExtensionBlock, DuplicateTypeIsADecodeError) {
  Bytes block = from_hex("0008" "00170000" "00170000");
  Reader r(block);
  EXPECT_EQ(alert_of([&] { read_extensions(r); }), decode_error);
}

TEST(ExtensionBlock, LengthsMustAgree) {
  for (const char* hex : {"0005" "00170000",        // block longer than its contents
                          "0004" "00170001",        // extension data runs past the block
                          "0003" "001700",          // header cut short
                          "0006" "00170000" "00"}) { // one stray byte in the block
    Bytes block = from_hex(hex);
    Reader r(block);
    EXPECT_EQ(alert_of([&] { read_extensions(r); }), decode_error) << hex;
  }
}

TEST(ExtensionBlock, FindAndNames) {
  ExtensionList list = {{ExtensionType::session_ticket, {9}}};
  ASSERT_NE(find_extension(list, ExtensionType::session_ticket), nullptr);
  EXPECT_EQ(find_extension(list, ExtensionType::session_ticket)->data, Bytes{9});
  EXPECT_EQ(find_extension(list, ExtensionType::server_name), nullptr);
  EXPECT_EQ(extension_name(ExtensionType::renegotiation_info), "renegotiation_info");
  EXPECT_EQ(extension_name(ExtensionType::application_layer_protocol_negotiation),
            "application_layer_protocol_negotiation");
  EXPECT_EQ(extension_name(static_cast<ExtensionType>(5)), "unknown(5)");
}

// ---------------------------------------------------- each extension's data

TEST(ServerName, KnownBytesAndRoundTrip) {
  Bytes data = encode_server_name("example.ulfheim.net");
  // From the illustrated ClientHello: list length, host_name(0), name length, name.
  EXPECT_EQ(to_hex(data), "0016" "00" "0013" + to_hex(as_bytes("example.ulfheim.net")));
  EXPECT_EQ(decode_server_name(data), "example.ulfheim.net");
}

TEST(ServerName, UnknownNameTypesAreSkippedTwoHostNamesAreNot) {
  // name_type 7 (unknown) then host_name "a".
  EXPECT_EQ(decode_server_name(from_hex("0008" "07000178" "00000161")), "a");
  EXPECT_EQ(decode_server_name(from_hex("0004" "07000178")), std::nullopt);
  EXPECT_EQ(alert_of([] { decode_server_name(from_hex("0008" "00000161" "00000162")); }),
            decode_error);
  EXPECT_EQ(alert_of([] { decode_server_name(from_hex("0000")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_server_name(from_hex("0003" "000000")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_server_name(from_hex("0004" "00000161" "00")); }), decode_error);
}

// Well encoded, but no host name (RFC 6066 §3): illegal_parameter. Stricter
// than OpenSSL, which refuses only a NUL (unrecognized_name).
TEST(ServerName, ANameThatIsNoHostNameIsIllegalParameter) {
  for (std::string bad : {std::string("a\0b", 3), std::string("evil\x1b]0;x\x07"), std::string("caf\xc3\xa9"),
                          std::string("example.com."), std::string(".example.com"), std::string("a..b"),
                          std::string("a b"), std::string(".")}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(alert_of([&] { decode_server_name(encode_server_name(bad)); }), AlertDescription::illegal_parameter);
  }
  EXPECT_EQ(decode_server_name(encode_server_name("xn--caf-dma.example_1.com")), "xn--caf-dma.example_1.com");
}

TEST(SupportedGroups, RoundTripAndBadLengths) {
  std::vector<NamedGroup> groups = {NamedGroup::x25519, NamedGroup::secp256r1,
                                    static_cast<NamedGroup>(0x4242)};
  Bytes data = encode_supported_groups(groups);
  EXPECT_EQ(to_hex(data), "0006001d00174242");
  EXPECT_EQ(decode_supported_groups(data), groups);
  EXPECT_EQ(alert_of([] { decode_supported_groups(from_hex("0000")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_supported_groups(from_hex("0003001d00")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_supported_groups(from_hex("0002001d00")); }), decode_error);
}

TEST(EcPointFormats, RoundTripAndBadLengths) {
  EXPECT_EQ(to_hex(encode_ec_point_formats({0})), "0100");
  EXPECT_EQ(decode_ec_point_formats(from_hex("020001")), (Bytes{0, 1}));
  EXPECT_EQ(alert_of([] { decode_ec_point_formats(from_hex("00")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_ec_point_formats(from_hex("0200")); }), decode_error);
}

TEST(SignatureAlgorithms, RoundTripAndBadLengths) {
  std::vector<SignatureScheme> schemes = {SignatureScheme::rsa_pss_rsae_sha256,
                                          SignatureScheme::rsa_pkcs1_sha1};
  Bytes data = encode_signature_algorithms(schemes);
  EXPECT_EQ(to_hex(data), "000408040201");
  EXPECT_EQ(decode_signature_algorithms(data), schemes);
  EXPECT_EQ(alert_of([] { decode_signature_algorithms(from_hex("0000")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_signature_algorithms(from_hex("0003080402")); }), decode_error);
}

TEST(Alpn, RoundTripAndBadLengths) {
  std::vector<std::string> protocols = {"h2", "http/1.1"};
  Bytes data = encode_alpn(protocols);
  EXPECT_EQ(to_hex(data), "000c026832" "08" + to_hex(as_bytes("http/1.1")));
  EXPECT_EQ(decode_alpn(data), protocols);
  EXPECT_EQ(alert_of([] { decode_alpn(from_hex("0000")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_alpn(from_hex("000200" "00")); }), decode_error);  // empty name
  EXPECT_EQ(alert_of([] { decode_alpn(from_hex("0003026832" "00")); }), decode_error);
}

TEST(RenegotiationInfo, RoundTripAndBadLengths) {
  EXPECT_EQ(to_hex(encode_renegotiation_info({})), "00");
  Bytes verify(24, 0xab);
  EXPECT_EQ(decode_renegotiation_info(encode_renegotiation_info(verify)), verify);
  EXPECT_EQ(alert_of([] { decode_renegotiation_info({}); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_renegotiation_info(from_hex("0000")); }), decode_error);
}

TEST(SupportedVersions, ClientFormRoundTrip) {
  Bytes data = encode_supported_versions({TLS1_3, TLS1_2});
  EXPECT_EQ(to_hex(data), "0403040303");
  EXPECT_EQ(decode_supported_versions(data), (std::vector<uint16_t>{TLS1_3, TLS1_2}));
  EXPECT_EQ(alert_of([] { decode_supported_versions(from_hex("00")); }), decode_error);
  EXPECT_EQ(alert_of([] { decode_supported_versions(from_hex("03030403")); }), decode_error);
  // The server form (a bare ProtocolVersion) is not a client list.
  EXPECT_EQ(alert_of([] { decode_supported_versions(from_hex("0304")); }), decode_error);
}

TEST(EmptyExtensions, MustBeEmpty) {
  EXPECT_NO_THROW(expect_empty_extension({ExtensionType::extended_master_secret, {}}));
  EXPECT_EQ(alert_of([] { expect_empty_extension({ExtensionType::extended_master_secret, {0}}); }),
            decode_error);
}

// ------------------------------------------------------------ typed views

TEST(ClientHelloExtensions, RoundTripOfEveryField) {
  ClientHelloExtensions ext;
  ext.server_name = "tls12.example";
  ext.supported_groups = {NamedGroup::x25519, NamedGroup::ffdhe3072};
  ext.ec_point_formats = Bytes{0};
  ext.signature_algorithms = {SignatureScheme::ed25519, SignatureScheme::rsa_pkcs1_sha512};
  ext.alpn_protocols = std::vector<std::string>{"http/1.1"};
  ext.extended_master_secret = true;
  ext.renegotiation_info = Bytes{};
  ext.session_ticket = Bytes{1, 2, 3};
  ext.supported_versions = std::vector<uint16_t>{TLS1_3, TLS1_2};
  ext.unknown = {{static_cast<ExtensionType>(0xfe00), {7}}};
  ExtensionList list = ext.to_list();
  EXPECT_EQ(list.size(), 10u);
  EXPECT_EQ(ClientHelloExtensions::parse(list), ext);
  // Through a whole ClientHello on the wire, too.
  ClientHello hello;
  hello.cipher_suites = {suites::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256};
  hello.extensions = list;
  EXPECT_EQ(ClientHelloExtensions::parse(ClientHello::decode(hello.encode_body()).extensions), ext);
}

TEST(ClientHelloExtensions, AbsentMeansNullopt) {
  auto ext = ClientHelloExtensions::parse({});
  EXPECT_FALSE(ext.server_name);
  EXPECT_FALSE(ext.supported_groups);
  EXPECT_FALSE(ext.extended_master_secret);
  EXPECT_FALSE(ext.session_ticket);
  EXPECT_TRUE(ext.to_list().empty());
}

TEST(ClientHelloExtensions, MalformedKnownExtensionIsADecodeError) {
  EXPECT_EQ(alert_of([] {
              ClientHelloExtensions::parse({{ExtensionType::supported_groups, from_hex("0001")}});
            }),
            decode_error);
  EXPECT_EQ(alert_of([] {
              ClientHelloExtensions::parse({{ExtensionType::extended_master_secret, {1}}});
            }),
            decode_error);
}

TEST(ClientHelloExtensions, IllustratedClientHello) {
  Bytes body = test::illustrated::handshake_body("clienthello");
  auto ext = ClientHelloExtensions::parse(ClientHello::decode(body).extensions);
  EXPECT_EQ(ext.server_name, "example.ulfheim.net");
  EXPECT_EQ(ext.supported_groups,
            (std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1,
                                     NamedGroup::secp384r1, NamedGroup::secp521r1}));
  EXPECT_EQ(ext.ec_point_formats, Bytes{ec_point_format_uncompressed});
  ASSERT_TRUE(ext.signature_algorithms);
  EXPECT_EQ(ext.signature_algorithms->size(), 8u);
  EXPECT_EQ(ext.signature_algorithms->front(), SignatureScheme::rsa_pkcs1_sha256);
  EXPECT_EQ(ext.signature_algorithms->back(), SignatureScheme::ecdsa_sha1);
  EXPECT_EQ(ext.renegotiation_info, Bytes{});
  EXPECT_FALSE(ext.extended_master_secret);
  // status_request (5) and signed_certificate_timestamp (18) are not ours: kept, ignored.
  ASSERT_EQ(ext.unknown.size(), 2u);
  EXPECT_EQ(static_cast<uint16_t>(ext.unknown[0].type), 5);
  EXPECT_EQ(static_cast<uint16_t>(ext.unknown[1].type), 18);
}

TEST(ServerHelloExtensions, RoundTripOfEveryField) {
  ServerHelloExtensions ext;
  ext.server_name = true;
  ext.ec_point_formats = Bytes{0};
  ext.alpn_protocol = "h2";
  ext.extended_master_secret = true;
  ext.renegotiation_info = Bytes(24, 3);
  ext.session_ticket = true;
  EXPECT_EQ(ServerHelloExtensions::parse(ext.to_list()), ext);
}

TEST(ServerHelloExtensions, ServerFormsAreStrict) {
  // ALPN reply must name exactly one protocol (RFC 7301 §3.1).
  EXPECT_EQ(alert_of([] {
              ServerHelloExtensions::parse({{ExtensionType::application_layer_protocol_negotiation,
                                             encode_alpn({"h2", "http/1.1"})}});
            }),
            decode_error);
  // server_name and session_ticket replies are empty.
  EXPECT_EQ(alert_of([] {
              ServerHelloExtensions::parse({{ExtensionType::server_name, encode_server_name("a")}});
            }),
            decode_error);
  EXPECT_EQ(alert_of([] { ServerHelloExtensions::parse({{ExtensionType::session_ticket, {1}}}); }),
            decode_error);
}

// ----------------------------------------- unsupported_extension (client side)

TEST(CheckOffered, ExtensionNotOfferedIsUnsupportedExtension) {
  ExtensionList offered = {{ExtensionType::server_name, encode_server_name("a")},
                           {ExtensionType::extended_master_secret, {}}};
  ExtensionList fine = {{ExtensionType::extended_master_secret, {}}};
  EXPECT_NO_THROW(check_server_extensions_offered(offered, false, fine));
  ExtensionList alpn = {{ExtensionType::application_layer_protocol_negotiation, encode_alpn({"h2"})}};
  EXPECT_EQ(alert_of([&] { check_server_extensions_offered(offered, false, alpn); }),
            AlertDescription::unsupported_extension);
  ExtensionList unknown = {{static_cast<ExtensionType>(0x7777), {}}};
  EXPECT_EQ(alert_of([&] { check_server_extensions_offered(offered, false, unknown); }),
            AlertDescription::unsupported_extension);
}

TEST(CheckOffered, ScsvCountsAsOfferingRenegotiationInfo) {
  ExtensionList reneg = {{ExtensionType::renegotiation_info, {0}}};
  EXPECT_EQ(alert_of([&] { check_server_extensions_offered({}, false, reneg); }),
            AlertDescription::unsupported_extension);
  EXPECT_NO_THROW(check_server_extensions_offered({}, true, reneg));
}

}  // namespace
}  // namespace tls12::handshake
