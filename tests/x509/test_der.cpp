// The strict DER reader (X.690 §10, §11), PEM (RFC 7468) and the certificate
// parser (RFC 5280 §4.1): every rule of DER that der.h promises is checked with
// an encoding that breaks it, every strict prefix of a real certificate is
// refused, and parsed fields are compared with OpenSSL's reading of the same
// certificate.
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/x509.h>

#include "tests/support/test_support.h"
#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/name.h"
#include "x509/path_validation.h"
#include "x509/pem.h"

namespace tls12::x509 {
namespace {

std::filesystem::path illustrated() { return test::shared_dir() / "testvectors" / "illustrated-tls12"; }

Bytes first_certificate(const std::filesystem::path& file) {
  auto blocks = pem_blocks_with_label(test::read_text(file), "CERTIFICATE");
  if (blocks.empty()) throw std::runtime_error("no certificate in " + file.string());
  return blocks.front();
}

// Runs `f` and returns the DerError offset, failing the test if no DerError.
template <class F>
size_t der_error_offset(F f) {
  try {
    f();
  } catch (const DerError& e) {
    return e.offset();
  }
  ADD_FAILURE() << "expected a DerError";
  return SIZE_MAX;
}

TEST(Der, ReadsLengthsInShortAndLongForm) {
  const Bytes small{0x04, 0x02, 0xaa, 0xbb};
  DerReader r(small);
  EXPECT_EQ(to_hex(r.read_octet_string("x")), "aabb");
  EXPECT_TRUE(r.empty());
  Bytes big{0x04, 0x81, 0x80};
  big.resize(3 + 0x80, 0x11);
  DerReader r2(big);
  EXPECT_EQ(r2.read_octet_string("x").size(), 0x80u);
}

TEST(Der, RejectsIndefiniteAndNonMinimalLengths) {
  EXPECT_EQ(der_error_offset([] { DerReader(from_hex("3080")).read_any(); }), 0u);        // indefinite
  EXPECT_EQ(der_error_offset([] { DerReader(from_hex("048102aabb")).read_any(); }), 0u);  // long form for 2
  EXPECT_EQ(der_error_offset([] { DerReader(from_hex("04820080" + std::string(256, 'a'))).read_any(); }), 0u);
  EXPECT_THROW(DerReader(from_hex("0403aabb")).read_any(), DerError);  // runs past the end
  EXPECT_THROW(DerReader(from_hex("04")).read_any(), DerError);        // no length
  EXPECT_THROW(DerReader(from_hex("0485ffffffffff")).read_any(), DerError);
}

TEST(Der, ErrorOffsetsPointIntoNestedInput) {
  // SEQUENCE { INTEGER 1, INTEGER with a redundant leading zero at offset 5 }
  const Bytes der = from_hex("300702010102020001");
  DerReader outer(der);
  DerReader seq = outer.read_sequence("seq");
  EXPECT_EQ(seq.read_small_integer("a"), 1);
  EXPECT_EQ(der_error_offset([&] { seq.read_integer("b"); }), 5u);
}

TEST(Der, IntegerEncodings) {
  EXPECT_EQ(to_hex(DerReader(from_hex("020200ff")).read_unsigned_integer("i")), "ff");
  EXPECT_THROW(DerReader(from_hex("0202007f")).read_integer("i"), DerError);  // leading 00 not needed
  EXPECT_THROW(DerReader(from_hex("0202ff80")).read_integer("i"), DerError);  // leading ff not needed
  EXPECT_THROW(DerReader(from_hex("0200")).read_integer("i"), DerError);      // empty
  EXPECT_THROW(DerReader(from_hex("020180")).read_unsigned_integer("i"), DerError);  // negative
  EXPECT_EQ(DerReader(from_hex("02020100")).read_small_integer("i"), 256);
}

TEST(Der, BooleanNullAndBitString) {
  EXPECT_TRUE(DerReader(from_hex("0101ff")).read_boolean("b"));
  EXPECT_FALSE(DerReader(from_hex("010100")).read_boolean("b"));
  EXPECT_THROW(DerReader(from_hex("010101")).read_boolean("b"), DerError);  // DER: only 00/ff
  EXPECT_THROW(DerReader(from_hex("01020000")).read_boolean("b"), DerError);
  EXPECT_NO_THROW(DerReader(from_hex("0500")).read_null("n"));
  EXPECT_THROW(DerReader(from_hex("050100")).read_null("n"), DerError);
  BitString b = DerReader(from_hex("030206c0")).read_bit_string("b");
  EXPECT_EQ(b.unused_bits, 6u);
  EXPECT_THROW(DerReader(from_hex("030206c1")).read_bit_string("b"), DerError);  // unused bits not zero
  EXPECT_THROW(DerReader(from_hex("030208ff")).read_bit_string("b"), DerError);  // > 7 unused
  EXPECT_THROW(DerReader(from_hex("030101")).read_bit_string("b"), DerError);    // empty with unused
  EXPECT_THROW(DerReader(from_hex("0300")).read_bit_string("b"), DerError);
  EXPECT_THROW(DerReader(from_hex("030206c0")).read_bit_string_octets("b"), DerError);
}

TEST(Der, ObjectIdentifiers) {
  EXPECT_EQ(DerReader(from_hex("06092a864886f70d01010b")).read_oid("o"), "1.2.840.113549.1.1.11");
  EXPECT_EQ(DerReader(from_hex("0603551d13")).read_oid("o"), "2.5.29.19");
  EXPECT_EQ(DerReader(from_hex("0603883703")).read_oid("o"), "2.999.3");
  EXPECT_THROW(DerReader(from_hex("0600")).read_oid("o"), DerError);
  EXPECT_THROW(DerReader(from_hex("06032a8086")).read_oid("o"), DerError);    // truncated subidentifier
  EXPECT_THROW(DerReader(from_hex("06042a80863d")).read_oid("o"), DerError);  // 0x80 padding (non-minimal)
}

TEST(Der, TagsAndHighTagNumbers) {
  const Bytes high = from_hex("9f1f00");
  DerReader r(high);
  Element e = r.read_any();
  EXPECT_EQ(e.tag.cls, TagClass::context_specific);
  EXPECT_EQ(e.tag.number, 31u);
  EXPECT_THROW(DerReader(from_hex("9f0500")).read_any(), DerError);    // small number in high form
  EXPECT_THROW(DerReader(from_hex("9f801f00")).read_any(), DerError);  // leading 0x80 digit
  EXPECT_THROW(DerReader(from_hex("0400")).read_sequence("s"), DerError);
  EXPECT_THROW(DerReader(from_hex("2400")).read_octet_string("constructed string"), DerError);
  auto opt = DerReader(from_hex("0500")).read_optional_explicit(0, "v");
  EXPECT_FALSE(opt.has_value());
}

TEST(Der, Times) {
  // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY.
  EXPECT_EQ(DerReader(as_bytes(std::string("\x17\x0d") + "500101000000Z")).read_time("t"), -631152000);
  EXPECT_EQ(DerReader(as_bytes(std::string("\x17\x0d") + "491231235959Z")).read_time("t"), 2524607999);
  EXPECT_EQ(DerReader(as_bytes(std::string("\x18\x0f") + "20500101000000Z")).read_time("t"), 2524608000);
  EXPECT_EQ(DerReader(as_bytes(std::string("\x17\x0d") + "000229000000Z")).read_time("t"), 951782400);  // leap day
  EXPECT_THROW(DerReader(as_bytes(std::string("\x17\x0d") + "010229000000Z")).read_time("t"), DerError);
  EXPECT_THROW(DerReader(as_bytes(std::string("\x17\x0b") + "0001010000Z")).read_time("t"), DerError);  // no seconds
  EXPECT_THROW(DerReader(as_bytes(std::string("\x17\x11") + "000101000000+0100")).read_time("t"), DerError);
  EXPECT_THROW(DerReader(as_bytes(std::string("\x18\x11") + "20000101000000.5Z")).read_time("t"), DerError);
  EXPECT_THROW(DerReader(as_bytes(std::string("\x17\x0d") + "001301000000Z")).read_time("t"), DerError);
  EXPECT_EQ(format_time(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(format_time(-62167219200), "0000-01-01 00:00:00 UTC");
  EXPECT_EQ(format_time(253402300799), "9999-12-31 23:59:59 UTC");
  EXPECT_NE(format_time(INT64_MIN).find("outside years"), std::string::npos);
  EXPECT_EQ(format_time(951782400), "2000-02-29 00:00:00 UTC");
}

TEST(Der, Strings) {
  EXPECT_EQ(DerReader(from_hex("0c03e282ac")).read_string("s"), "\xe2\x82\xac");  // UTF8String "€"
  EXPECT_THROW(DerReader(from_hex("0c02c0af")).read_string("s"), DerError);        // overlong UTF-8
  EXPECT_EQ(DerReader(from_hex("1e0420ac0041")).read_string("s"), "\xe2\x82\xac" "A");  // BMPString
  EXPECT_THROW(DerReader(from_hex("130140")).read_string("s"), DerError);          // '@' not printable
  EXPECT_THROW(DerReader(from_hex("160180")).read_string("s"), DerError);          // IA5 is 7-bit
  EXPECT_EQ(DerReader(from_hex("1203312030")).read_string("s"), "1 0");            // NumericString
  EXPECT_THROW(DerReader(from_hex("120141")).read_string("s"), DerError);          // 'A' is not numeric
  EXPECT_EQ(DerReader(from_hex("1a027e20")).read_string("s"), "~ ");               // VisibleString
  EXPECT_THROW(DerReader(from_hex("1a0109")).read_string("s"), DerError);          // TAB is a control
}

TEST(Der, DumpNamesTypesAndOids) {
  const std::string dump = der_dump(first_certificate(illustrated() / "ca.crt"));
  EXPECT_NE(dump.find("sha256WithRSAEncryption"), std::string::npos);
  EXPECT_NE(dump.find("basicConstraints"), std::string::npos);
  EXPECT_NE(dump.find("UTCTime"), std::string::npos);
  EXPECT_NE(dump.find("\"Example CA\""), std::string::npos);
  EXPECT_EQ(dump.rfind("     0: hl=4", 0), 0u) << dump.substr(0, 80);
}

// `depth` SEQUENCEs, each holding the next; the innermost is empty.
Bytes nested_sequences(size_t depth) {
  std::vector<Bytes> headers;
  size_t inner = 0;  // encoded size of what the next header wraps
  for (size_t i = 0; i < depth; ++i) {
    Bytes h = {0x30};
    if (inner < 0x80) {
      h.push_back(static_cast<uint8_t>(inner));
    } else {
      Bytes len;
      for (size_t v = inner; v != 0; v >>= 8) len.insert(len.begin(), static_cast<uint8_t>(v));
      h.push_back(static_cast<uint8_t>(0x80 | len.size()));
      h.insert(h.end(), len.begin(), len.end());
    }
    inner += h.size();
    headers.push_back(std::move(h));
  }
  Bytes out;
  for (size_t i = headers.size(); i-- > 0;) out.insert(out.end(), headers[i].begin(), headers[i].end());
  return out;
}

TEST(Der, DumpRefusesNestingTooDeepToBeAStructure) {
  // The dump opens constructed elements recursively; without a bound, input
  // nested a few hundred thousand levels deep would overflow the stack.
  const std::string shallow = der_dump(nested_sequences(20));
  EXPECT_NE(shallow.find(std::string(19 * 2, ' ') + "SEQUENCE"), std::string::npos) << shallow;
  EXPECT_THROW(der_dump(nested_sequences(200000)), DerError);
}

TEST(Pem, SeveralBlocksWithTextAround) {
  const Bytes a{1, 2, 3}, b{4, 5, 6, 7};
  const std::string text = "Certificate:\n  text openssl puts first\n" + encode_pem("CERTIFICATE", a) +
                           "between\n" + encode_pem("PRIVATE KEY", b) + "trailer\n";
  auto blocks = parse_pem(text);
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].label, "CERTIFICATE");
  EXPECT_EQ(blocks[0].der, a);
  EXPECT_EQ(blocks[1].label, "PRIVATE KEY");
  EXPECT_EQ(blocks[1].der, b);
  EXPECT_EQ(pem_blocks_with_label(text, "PRIVATE KEY").size(), 1u);
}

TEST(Pem, Base64RoundTripAndErrors) {
  for (size_t n = 0; n < 70; ++n) {
    Bytes data(n);
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<uint8_t>(i * 37 + 1);
    EXPECT_EQ(base64_decode(base64_encode(data)), data);
  }
  EXPECT_EQ(base64_decode("TWFu"), Bytes({'M', 'a', 'n'}));
  EXPECT_THROW(base64_decode("TWF"), std::runtime_error);    // not a multiple of 4
  EXPECT_THROW(base64_decode("TW=u"), std::runtime_error);   // data after padding
  EXPECT_THROW(base64_decode("TW!u"), std::runtime_error);   // bad character
  EXPECT_THROW(base64_decode("TWF="), std::runtime_error) << "non-zero padding bits";
}

TEST(Pem, MalformedBlocks) {
  EXPECT_THROW(parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n"), std::runtime_error);
  EXPECT_THROW(parse_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n"), std::runtime_error);
  EXPECT_THROW(parse_pem("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
               std::runtime_error);
  EXPECT_TRUE(parse_pem("no blocks here").empty());
}

TEST(Certificate, ParsesIllustratedCertificatesLikeOpenSsl) {
  for (const char* file : {"ca.crt", "server.crt"}) {
    SCOPED_TRACE(file);
    const Bytes der = first_certificate(illustrated() / file);
    const Certificate c = Certificate::parse(der);
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(c.version, static_cast<int>(X509_get_version(x)) + 1);
    // serial number
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), nullptr);
    Bytes serial_bytes(static_cast<size_t>(BN_num_bytes(serial)));
    BN_bn2bin(serial, serial_bytes.data());
    Bytes ours = c.serial_number;
    while (ours.size() > 1 && ours[0] == 0) ours.erase(ours.begin());
    EXPECT_EQ(to_hex(ours), to_hex(serial_bytes));
    BN_free(serial);
    // validity as Unix seconds
    int days = 0, secs = 0;
    ASN1_TIME* epoch = ASN1_TIME_set(nullptr, 0);
    ASSERT_EQ(ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notBefore(x)), 1);
    EXPECT_EQ(c.not_before, int64_t{days} * 86400 + secs);
    ASSERT_EQ(ASN1_TIME_diff(&days, &secs, epoch, X509_get0_notAfter(x)), 1);
    EXPECT_EQ(c.not_after, int64_t{days} * 86400 + secs);
    ASN1_TIME_free(epoch);
    // the subject Name DER and the to-be-signed bytes
    unsigned char* name_der = nullptr;
    const int name_len = i2d_X509_NAME(X509_get_subject_name(x), &name_der);
    EXPECT_EQ(to_hex(c.subject.der), to_hex(ByteView(name_der, static_cast<size_t>(name_len))));
    OPENSSL_free(name_der);
    unsigned char* tbs = nullptr;
    const int tbs_len = i2d_re_X509_tbs(x, &tbs);
    EXPECT_EQ(to_hex(c.tbs_certificate()), to_hex(ByteView(tbs, static_cast<size_t>(tbs_len))));
    OPENSSL_free(tbs);
    X509_free(x);
    EXPECT_EQ(c.der(), der);
  }
}

TEST(Certificate, IllustratedFields) {
  const Certificate ca = Certificate::parse(first_certificate(illustrated() / "ca.crt"));
  EXPECT_EQ(ca.subject.to_string(), "O=Example CA,C=US");
  ASSERT_TRUE(ca.basic_constraints.has_value());
  EXPECT_TRUE(ca.basic_constraints->ca);
  EXPECT_TRUE(ca.has_key_usage(KeyUsageBit::key_cert_sign));
  EXPECT_FALSE(ca.has_key_usage(KeyUsageBit::digital_signature));
  ASSERT_TRUE(ca.signature_algorithm.has_value());
  EXPECT_EQ(ca.signature_algorithm->kind, SignatureAlgorithm::Kind::rsa_pkcs1_v15);
  const Certificate server = Certificate::parse(first_certificate(illustrated() / "server.crt"));
  EXPECT_TRUE(names_match(server.issuer, ca.subject));
  EXPECT_FALSE(names_match(server.subject, ca.subject));
}

TEST(Certificate, IllustratedChainVerifiesIn2019) {
  TrustStore trust;
  trust.add(Certificate::parse(first_certificate(illustrated() / "ca.crt")));
  const Certificate server = Certificate::parse(first_certificate(illustrated() / "server.crt"));
  VerifyOptions options;
  options.time = 1546300800;  // 2019-01-01
  options.hostname = "example.ulfheim.net";
  // This certificate has no subjectAltName: its CN names the host only under
  // the RFC 6125 §6.4.4 compatibility option.
  EXPECT_EQ(verify_chain(server, {}, trust, options).reason, Reason::hostname_mismatch);
  options.allow_common_name_fallback = true;
  VerifyResult r = verify_chain(server, {}, trust, options);
  EXPECT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.chain.size(), 2u);
  options.time = 1262304000;  // 2010: before notBefore
  EXPECT_EQ(verify_chain(server, {}, trust, options).reason, Reason::not_yet_valid);
  options.time = 1577836800;  // 2020: after notAfter
  EXPECT_EQ(verify_chain(server, {}, trust, options).reason, Reason::expired);
}

TEST(Certificate, EveryStrictPrefixFailsToParse) {
  const Bytes der = first_certificate(illustrated() / "server.crt");
  ASSERT_NO_THROW(Certificate::parse(der));
  for (size_t n = 0; n < der.size(); ++n)
    EXPECT_THROW(Certificate::parse(ByteView(der).first(n)), DerError) << "prefix of " << n << " bytes";
  Bytes longer = der;
  longer.push_back(0);
  EXPECT_THROW(Certificate::parse(longer), DerError) << "trailing data";
}

TEST(Certificate, NonMinimalReencodingIsRejected) {
  // Re-encode the outer SEQUENCE length with one more length octet than needed
  // (30 82 LL LL -> 30 83 00 LL LL): same value, not DER.
  const Bytes der = first_certificate(illustrated() / "server.crt");
  ASSERT_EQ(der[1], 0x82);
  Bytes bad{0x30, 0x83, 0x00};
  bad.insert(bad.end(), der.begin() + 2, der.end());
  EXPECT_EQ(der_error_offset([&] { Certificate::parse(bad); }), 0u);
  // Encode the version INTEGER 2 in two octets (02 02 00 02) and fix up both
  // enclosing lengths, so the only defect is the non-minimal INTEGER.
  ASSERT_EQ(to_hex(ByteView(der).subspan(4, 9)), "30820209a003020102");
  Bytes bad_version = from_hex("30820322" "3082020a" "a00402020002");
  bad_version.insert(bad_version.end(), der.begin() + 13, der.end());
  EXPECT_EQ(der_error_offset([&] { Certificate::parse(bad_version); }), 10u);
}

TEST(Certificate, AnyFlippedBitInTheSignatureFailsVerification) {
  TrustStore trust;
  trust.add(Certificate::parse(first_certificate(illustrated() / "ca.crt")));
  Bytes der = first_certificate(illustrated() / "server.crt");
  der[der.size() - 7] ^= 0x01;  // inside signatureValue
  const Certificate server = Certificate::parse(der);
  VerifyOptions options;
  options.time = 1546300800;
  EXPECT_EQ(verify_chain(server, {}, trust, options).reason, Reason::bad_signature);
}

TEST(Name, Rfc4514Escaping) {
  // SEQUENCE { SET { SEQUENCE { OID CN, UTF8String "a,b+c" } } }
  const Bytes der = from_hex("3010310e300c06035504030c05612c622b63");
  EXPECT_EQ(parse_name(der).to_string(), "CN=a\\,b\\+c");
  // A value that is not a string prints as '#' and its DER in hex (RFC 4514 §2.4).
  EXPECT_EQ(parse_name(from_hex("300c310a3008060355040302010a")).to_string(), "CN=#02010a");
  EXPECT_THROW(parse_name(from_hex("30023100")), DerError) << "empty RDN";
  const Bytes printable = from_hex("3010310e300c060355040313054142432020");
  const Bytes utf8_lower = from_hex("300e310c300a06035504030c03616263");
  EXPECT_TRUE(names_match(parse_name(printable), parse_name(utf8_lower)))
      << "RFC 5280 §7.1: case-insensitive, trailing spaces ignored";
}

}  // namespace
}  // namespace tls12::x509
