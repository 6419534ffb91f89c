// The key schedule (RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4) and the
// transcript: the recorded "Illustrated TLS 1.2" connection end to end
// (premaster -> master_secret from keylog.txt -> key_block that really
// decrypts the recorded Finished records -> both verify_data), and OpenSSL's
// TLS1-PRF as an oracle for the extended master secret and the SHA-384 suites.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <sodium.h>

#include <functional>
#include <stdexcept>

#include "crypto/sha2.h"
#include "handshake/key_schedule.h"
#include "handshake/transcript.h"
#include "tests/handshake/illustrated_connection.h"

namespace tls12::handshake {
namespace {

namespace ill = test::illustrated;
using crypto::HashAlgorithm;

Random random_from(ByteView b) {
  Random r;
  std::copy(b.begin(), b.end(), r.begin());
  return r;
}

Random client_random() {
  return random_from(ByteView(ill::handshake_body("clienthello")).subspan(2, 32));
}
Random server_random() {
  return random_from(ByteView(ill::handshake_body("serverhello")).subspan(2, 32));
}

Bytes pre_master_secret() {
  Bytes client_private = ill::x25519_key("client-ephemeral-private.key");
  Bytes server_public = ill::x25519_key("server-ephemeral-public.key");
  Bytes shared(crypto_scalarmult_BYTES);
  if (crypto_scalarmult(shared.data(), client_private.data(), server_public.data()) != 0)
    throw std::runtime_error("x25519 failed");
  return shared;
}

// OpenSSL's TLS 1.2 PRF (EVP_KDF "TLS1-PRF"): the oracle. The label is passed
// as the start of the seed, as the PRF defines it.
Bytes openssl_prf(const char* digest, ByteView secret, std::string_view label, ByteView seed,
                  size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  Bytes full_seed(label.begin(), label.end());
  full_seed.insert(full_seed.end(), seed.begin(), seed.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, const_cast<uint8_t*>(secret.data()),
                                        secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full_seed.data(), full_seed.size()),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  if (ok != 1) throw std::runtime_error("EVP_KDF_derive failed");
  return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// The transcript of the illustrated connection up to (and without) the
// client's Finished.
Transcript illustrated_transcript() {
  Transcript t;
  t.add(ill::handshake_message("clienthello"));
  t.add(ill::handshake_message("serverhello"));
  t.set_hash(HashAlgorithm::sha256);  // where a client learns the suite
  for (const char* name : {"servercert", "serverkeyexchange", "serverhellodone",
                           "clientkeyexchange"})
    t.add(ill::handshake_message(name));
  return t;
}

// ------------------------------------------------ the illustrated connection

TEST(Illustrated, PreMasterSecretIsTheX25519SharedSecret) {
  // Both sides agree: X25519(client private, server public) = X25519(server private, client public).
  Bytes server_private = ill::x25519_key("server-ephemeral-private.key");
  Bytes client_public = ill::x25519_key("client-ephemeral-public.key");
  Bytes other(crypto_scalarmult_BYTES);
  ASSERT_EQ(crypto_scalarmult(other.data(), server_private.data(), client_public.data()), 0);
  EXPECT_EQ(pre_master_secret(), other);
}

TEST(Illustrated, MasterSecretMatchesTheKeyLog) {
  SecretBytes master = compute_master_secret(HashAlgorithm::sha256, pre_master_secret(),
                                             client_random(), server_random());
  EXPECT_EQ(to_hex(master), to_hex(ill::keylog_master_secret()));
  // The randoms' order matters (client first for the master secret).
  SecretBytes swapped = compute_master_secret(HashAlgorithm::sha256, pre_master_secret(),
                                              server_random(), client_random());
  EXPECT_NE(to_hex(swapped), to_hex(master));
}

TEST(Illustrated, BothFinishedVerifyData) {
  Bytes master = ill::keylog_master_secret();
  Transcript t = illustrated_transcript();
  Bytes client_finished = ill::record("clientfinishedplain");
  auto client_vd = compute_verify_data(HashAlgorithm::sha256, master, Sender::client,
                                       t.current_hash());
  EXPECT_EQ(to_hex(client_vd), to_hex(ByteView(client_finished).subspan(4, 12)));

  // The server's Finished covers the client's Finished too.
  t.add(ByteView(client_finished).first(16));
  Bytes server_finished = ill::record("serverfinishedplain");
  auto server_vd = compute_verify_data(HashAlgorithm::sha256, master, Sender::server,
                                       t.current_hash());
  EXPECT_EQ(to_hex(server_vd), to_hex(ByteView(server_finished).subspan(4, 12)));
  // The labels differ, so the same hash gives different data.
  EXPECT_NE(to_hex(compute_verify_data(HashAlgorithm::sha256, master, Sender::client,
                                       t.current_hash())),
            to_hex(server_vd));
}

// The suite is TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: key_block is
// client_write_MAC_key[20] server_write_MAC_key[20] client_write_key[16]
// server_write_key[16] (TLS 1.2 CBC takes no IV from the key block: each record
// carries its own). Decrypting the recorded Finished records with the keys cut
// from our key_block, and checking their HMAC-SHA1, proves the key_block and
// its §6.3 order byte for byte.
TEST(Illustrated, KeyBlockDecryptsTheRecordedFinishedRecords) {
  SecretBytes block = compute_key_block(HashAlgorithm::sha256, ill::keylog_master_secret(),
                                        client_random(), server_random(), 72);
  ASSERT_EQ(block.size(), 72u);
  struct Direction {
    const char* record;
    const char* plain;
    size_t mac_key_at;
    size_t key_at;
  };
  for (Direction d : {Direction{"clientfinished", "clientfinishedplain", 0, 40},
                      Direction{"serverfinished", "serverfinishedplain", 20, 56}}) {
    Bytes record = ill::record(d.record);
    ASSERT_EQ(record.size(), 5u + 16 + 48) << d.record;
    Bytes plaintext(48);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    ASSERT_EQ(EVP_DecryptInit_ex(ctx, EVP_aes_128_cbc(), nullptr, block.data() + d.key_at,
                                 record.data() + 5),
              1);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    int len = 0;
    ASSERT_EQ(EVP_DecryptUpdate(ctx, plaintext.data(), &len, record.data() + 21, 48), 1);
    EVP_CIPHER_CTX_free(ctx);
    ASSERT_EQ(len, 48);
    Bytes expected_plain = ill::record(d.plain);
    EXPECT_EQ(to_hex(ByteView(plaintext).first(16)), to_hex(ByteView(expected_plain).first(16)))
        << d.record;
    // MAC(seq_num 0 + type 22 + version 3,3 + length 16 + fragment), RFC 5246 §6.2.3.1.
    Bytes mac_input = concat({Bytes(8, 0), from_hex("1603030010"), ByteView(plaintext).first(16)});
    uint8_t mac[20];
    unsigned mac_len = 0;
    HMAC(EVP_sha1(), block.data() + d.mac_key_at, 20, mac_input.data(), mac_input.size(), mac,
         &mac_len);
    EXPECT_EQ(to_hex(ByteView(mac, 20)), to_hex(ByteView(plaintext).subspan(16, 20))) << d.record;
  }
}

// ------------------------------------- OpenSSL's TLS1-PRF as an oracle

TEST(ExtendedMasterSecret, MatchesOpenSslPrf) {
  Transcript t = illustrated_transcript();
  Bytes session_hash = t.current_hash().to_bytes();
  Bytes pms = pre_master_secret();
  SecretBytes ems = compute_extended_master_secret(HashAlgorithm::sha256, pms, session_hash);
  EXPECT_EQ(to_hex(ems),
            to_hex(openssl_prf("SHA256", pms, "extended master secret", session_hash, 48)));
  // It differs from the classic master secret of the same premaster.
  EXPECT_NE(to_hex(ems), to_hex(ill::keylog_master_secret()));

  Bytes hash384 = crypto::hash(HashAlgorithm::sha384, Bytes(100, 0x61));
  SecretBytes ems384 = compute_extended_master_secret(HashAlgorithm::sha384, pms, hash384);
  EXPECT_EQ(to_hex(ems384),
            to_hex(openssl_prf("SHA384", pms, "extended master secret", hash384, 48)));
}

TEST(KeyBlock, EverySuiteSplitsAsSection6_3) {
  Bytes master(48);
  for (size_t i = 0; i < master.size(); ++i) master[i] = static_cast<uint8_t>(3 * i + 1);
  Random cr = client_random(), sr = server_random();
  for (const auto& suite : all_cipher_suites()) {
    const char* digest = suite.prf_hash == HashAlgorithm::sha384 ? "SHA384" : "SHA256";
    size_t m = suite.mac_key_length, k = suite.enc_key_length, iv = suite.fixed_iv_length;
    Bytes expected = openssl_prf(digest, master, "key expansion", concat({sr, cr}), 2 * m + 2 * k + 2 * iv);
    KeyBlock keys = derive_key_block(suite, master, cr, sr);
    Bytes got = concat({keys.client_write_MAC_key, keys.server_write_MAC_key, keys.client_write_key,
                        keys.server_write_key, keys.client_write_IV, keys.server_write_IV});
    EXPECT_EQ(to_hex(got), to_hex(expected)) << suite.name;
    EXPECT_EQ(keys.client_write_key.size(), k) << suite.name;
    EXPECT_EQ(keys.client_write_IV.size(), iv) << suite.name;
    auto client = client_write_keys(suite, keys);
    auto server = server_write_keys(suite, keys);
    EXPECT_EQ(client.algorithm, suite.aead);
    EXPECT_EQ(to_hex(client.key), to_hex(keys.client_write_key));
    EXPECT_EQ(to_hex(server.iv), to_hex(keys.server_write_IV));
    EXPECT_EQ(client.mac_algorithm, suite.mac);
    EXPECT_EQ(to_hex(server.mac_key), to_hex(keys.server_write_MAC_key));
    EXPECT_EQ(keys.client_write_MAC_key.size(), m) << suite.name;
  }
}

TEST(VerifyData, Sha384MatchesOpenSslPrf) {
  Bytes master(48, 0x42);
  Bytes handshake_hash = crypto::hash(HashAlgorithm::sha384, as_bytes("handshake"));
  auto client = compute_verify_data(HashAlgorithm::sha384, master, Sender::client, handshake_hash);
  auto server = compute_verify_data(HashAlgorithm::sha384, master, Sender::server, handshake_hash);
  EXPECT_EQ(to_hex(client), to_hex(openssl_prf("SHA384", master, "client finished",
                                               handshake_hash, 12)));
  EXPECT_EQ(to_hex(server), to_hex(openssl_prf("SHA384", master, "server finished",
                                               handshake_hash, 12)));
}

TEST(MasterSecret, Sha384MatchesOpenSslPrf) {
  Bytes pms(48, 0x03);
  Random cr = client_random(), sr = server_random();
  SecretBytes master = compute_master_secret(HashAlgorithm::sha384, pms, cr, sr);
  EXPECT_EQ(to_hex(master), to_hex(openssl_prf("SHA384", pms, "master secret", concat({cr, sr}), 48)));
}

// ------------------------------------------------------------- Transcript

TEST(Transcript, HashBeforeAndAfterChoosingIsTheSame) {
  Bytes a = from_hex("0100000100"), b = from_hex("020000020102"), c = from_hex("0e000000");
  Transcript early;  // hash chosen after all messages
  early.add(a);
  early.add(b);
  early.add(c);
  early.set_hash(HashAlgorithm::sha256);
  Transcript late;  // chosen first
  late.set_hash(HashAlgorithm::sha256);
  late.add(a);
  late.add(b);
  late.add(c);
  Bytes expected = crypto::hash(HashAlgorithm::sha256, concat({a, b, c}));
  EXPECT_EQ(early.current_hash().to_bytes(), expected);
  EXPECT_EQ(late.current_hash().to_bytes(), expected);
  EXPECT_EQ(to_hex(early.messages()), to_hex(concat({a, b, c})));
}

TEST(Transcript, CurrentHashDoesNotDisturbTheRunningHashAndCopiesFork) {
  Transcript t;
  t.set_hash(HashAlgorithm::sha384);
  t.add(as_bytes("first"));
  Bytes h1 = t.current_hash().to_bytes();
  EXPECT_EQ(t.current_hash().to_bytes(), h1);
  Transcript fork = t;
  fork.add(as_bytes("fork"));
  t.add(as_bytes("main"));
  EXPECT_EQ(t.current_hash().to_bytes(), crypto::hash(HashAlgorithm::sha384, as_bytes("firstmain")));
  EXPECT_EQ(fork.current_hash().to_bytes(), crypto::hash(HashAlgorithm::sha384, as_bytes("firstfork")));
  EXPECT_EQ(h1.size(), 48u);
}

TEST(Transcript, ReleasedMessagesAreGoneButHashingGoesOn) {
  Transcript t;
  t.add(as_bytes("abc"));
  EXPECT_THROW(t.release_messages(), std::logic_error);  // no hash chosen yet: would lose data
  t.set_hash(HashAlgorithm::sha256);
  t.release_messages();
  EXPECT_FALSE(t.keeps_messages());
  EXPECT_THROW(t.messages(), std::logic_error);
  t.add(as_bytes("def"));
  EXPECT_EQ(t.current_hash().to_bytes(), crypto::hash(HashAlgorithm::sha256, as_bytes("abcdef")));
}

TEST(Transcript, MisuseIsALogicError) {
  Transcript t;
  EXPECT_FALSE(t.has_hash());
  EXPECT_THROW(t.current_hash(), std::logic_error);
  t.set_hash(HashAlgorithm::sha256);
  EXPECT_TRUE(t.has_hash());
  EXPECT_THROW(t.set_hash(HashAlgorithm::sha384), std::logic_error);
}

}  // namespace
}  // namespace tls12::handshake
