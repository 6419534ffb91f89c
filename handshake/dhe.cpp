// DHE key agreement (RFC 5246 §7.4.3, §7.4.7.2, §8.1.2; RFC 7919 §3-§5), see
// dhe.h. The arithmetic (constant-time exponentiation, range checks, stripping
// the premaster's leading zeros) is crypto/dh.h; this file is the TLS part:
// which group, what goes on the wire, and which alert a bad value earns.
#include "handshake/dhe.h"

#include <algorithm>
#include <stdexcept>

#include "crypto/dh.h"
#include "record/alert.h"

namespace tls12::handshake {
namespace {

using record::AlertDescription;
using record::TlsError;

ByteView strip_leading_zeros(ByteView value) {
  size_t i = 0;
  while (i < value.size() && value[i] == 0) ++i;
  return value.subspan(i);
}

bool same_integer(ByteView a, ByteView b) {
  ByteView x = strip_leading_zeros(a), y = strip_leading_zeros(b);
  return std::equal(x.begin(), x.end(), y.begin(), y.end());
}

crypto::FfdheGroup ffdhe(NamedGroup group) {
  switch (group) {
    case NamedGroup::ffdhe2048: return crypto::FfdheGroup::ffdhe2048;
    case NamedGroup::ffdhe3072: return crypto::FfdheGroup::ffdhe3072;
    default: break;
  }
  throw TlsError(AlertDescription::internal_error, "DHE is not implemented for the group " + named_group_name(group));
}

bool implemented_ffdhe(NamedGroup group) {
  return group == NamedGroup::ffdhe2048 || group == NamedGroup::ffdhe3072;
}

class DheServer final : public ServerKeyAgreement {
 public:
  explicit DheServer(NamedGroup group) : group_(ffdhe(group)), key_pair_(crypto::DhKeyPair::generate(group_)) {}

  // Step 2 (server, DHE): a fresh exponent per handshake, so that a later
  // theft of the certificate key cannot recover this premaster (forward
  // secrecy). public_value() is already padded to the size of p.
  std::optional<ServerParams> server_params() override {
    ServerDhParams params;
    params.dh_p = crypto::ffdhe_prime(group_);
    params.dh_g = Bytes{crypto::kFfdheGenerator};
    params.dh_Ys = key_pair_.public_value();
    return ServerParams{params};
  }

  // Step 6 (server, DHE): Z = Yc^x mod p. A Yc outside 1 < Yc < p-1 is the
  // client's fault: illegal_parameter.
  SecretBytes pre_master_secret(ByteView dh_Yc) override {
    try {
      return key_pair_.shared_secret(dh_Yc);
    } catch (const std::invalid_argument& e) {
      throw TlsError(AlertDescription::illegal_parameter, std::string("client's dh_Yc refused: ") + e.what());
    }
  }

 private:
  crypto::FfdheGroup group_;
  crypto::DhKeyPair key_pair_;
};

class DheClient final : public ClientKeyAgreement {
 public:
  // Step 2 (client, received, DHE): check the server's group and public value before
  // using them (see dhe.h for the rules).
  void process_server_params(const ServerParams& params) override {
    const auto* dh = std::get_if<ServerDhParams>(&params);
    if (dh == nullptr) throw TlsError(AlertDescription::illegal_parameter, "DHE suite with non-DH parameters");
    try {
      if (auto group = named_ffdhe_group(dh->dh_p)) {
        // A known prime with any generator but 2 is not the RFC 7919 group:
        // refuse rather than guess.
        if (!same_integer(dh->dh_g, Bytes{crypto::kFfdheGenerator}))
          throw std::invalid_argument("generator of " + named_group_name(*group) + " is not 2");
        crypto::validate_dh_public(dh->dh_p, dh->dh_Ys);
        key_pair_ = crypto::DhKeyPair::generate(ffdhe(*group));
      } else {
        crypto::validate_dh_params(dh->dh_p, dh->dh_g, dh->dh_Ys);
        key_pair_ = crypto::DhKeyPair::generate(dh->dh_p, dh->dh_g);
      }
    } catch (const std::invalid_argument& e) {
      throw TlsError(AlertDescription::illegal_parameter, std::string("server's DH parameters refused: ") + e.what());
    }
    server_public_ = dh->dh_Ys;
  }

  // Step 4 (client, DHE): dh_Yc (padded to the size of p, RFC 7919 §3) and
  // Z = Ys^x mod p.
  ClientKeyExchangeResult client_key_exchange(const x509::PublicKey&) override {
    if (!key_pair_) throw TlsError(AlertDescription::unexpected_message, "DHE suite without ServerKeyExchange");
    ClientKeyExchangeResult result;
    try {
      result.pre_master_secret = key_pair_->shared_secret(server_public_);
    } catch (const std::invalid_argument& e) {
      throw TlsError(AlertDescription::illegal_parameter, std::string("server's dh_Ys refused: ") + e.what());
    }
    result.exchange_keys = key_pair_->public_value();
    return result;
  }

 private:
  std::optional<crypto::DhKeyPair> key_pair_;
  Bytes server_public_;
};

}  // namespace

std::optional<NamedGroup> choose_dhe_group(std::span<const NamedGroup> ours,
                                           const std::optional<std::vector<NamedGroup>>& client_groups) {
  std::vector<NamedGroup> candidates;
  for (NamedGroup g : ours)
    if (implemented_ffdhe(g)) candidates.push_back(g);
  if (candidates.empty()) candidates.push_back(NamedGroup::ffdhe2048);
  const bool client_lists_ffdhe =
      client_groups && std::any_of(client_groups->begin(), client_groups->end(), is_ffdhe);
  // RFC 7919 §4: a client that names no ffdhe group accepts any group; the
  // server's own first choice is the one it configured first.
  if (!client_lists_ffdhe) return candidates.front();
  for (NamedGroup g : candidates)
    if (std::find(client_groups->begin(), client_groups->end(), g) != client_groups->end()) return g;
  return std::nullopt;
}

std::optional<NamedGroup> named_ffdhe_group(ByteView p) {
  if (same_integer(p, crypto::ffdhe_prime(crypto::FfdheGroup::ffdhe2048))) return NamedGroup::ffdhe2048;
  if (same_integer(p, crypto::ffdhe_prime(crypto::FfdheGroup::ffdhe3072))) return NamedGroup::ffdhe3072;
  return std::nullopt;
}

std::unique_ptr<ServerKeyAgreement> make_dhe_server_key_agreement(NamedGroup group) {
  return std::make_unique<DheServer>(group);
}

std::unique_ptr<ClientKeyAgreement> make_dhe_client_key_agreement() { return std::make_unique<DheClient>(); }

}  // namespace tls12::handshake
