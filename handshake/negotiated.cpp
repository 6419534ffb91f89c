// Checking the peer's certificate chain for the handshake (RFC 5246 §7.4.2,
// §7.4.6) with the x509 module, and the alert for each failure (§7.2.2).
#include "handshake/negotiated.h"

#include "record/alert.h"
#include "x509/certificate.h"

namespace tls12::handshake {

using record::AlertDescription;
using record::TlsError;

AlertDescription alert_for_reason(x509::Reason reason) {
  switch (reason) {
    case x509::Reason::expired:
    case x509::Reason::not_yet_valid: return AlertDescription::certificate_expired;
    case x509::Reason::unknown_issuer: return AlertDescription::unknown_ca;
    case x509::Reason::unsupported_algorithm:
    case x509::Reason::bad_extended_key_usage:
    case x509::Reason::bad_key_usage: return AlertDescription::unsupported_certificate;
    default: return AlertDescription::bad_certificate;
  }
}

namespace {

// What a PeerChainChecked report says about one validation.
PeerChainChecked chain_report(Sender peer, const x509::VerifyResult& result, const x509::VerifyOptions& options) {
  PeerChainChecked report;
  report.peer = peer;
  report.validated = true;
  report.reason = result.reason;
  report.message = result.message;
  for (const x509::Certificate& certificate : result.chain) report.path.push_back(certificate.display_name());
  report.name = options.hostname.value_or(options.ip_address.value_or(""));
  return report;
}

}  // namespace

PeerCertificates check_peer_certificates(std::vector<Bytes> chain, const x509::TrustStore* trust,
                                         const x509::VerifyOptions& options, Sender peer_side, Actions& actions) {
  PeerCertificates peer;
  peer.chain = std::move(chain);
  if (peer.chain.empty())
    throw TlsError(AlertDescription::bad_certificate, "the peer sent an empty certificate chain");
  // The leaf's key first: without it nothing can be checked, trusted or not.
  // The parsed leaf then goes to path validation, which does not parse it again.
  std::optional<x509::Certificate> leaf;
  try {
    leaf = x509::Certificate::parse(peer.chain.front());
    peer.leaf_key = leaf->public_key();
    peer.leaf_key_usage = leaf->key_usage;
  } catch (const x509::UnsupportedError& e) {
    throw TlsError(AlertDescription::unsupported_certificate,
                   std::string("the peer's certificate key is not supported: ") + e.what());
  } catch (const std::exception& e) {
    throw TlsError(AlertDescription::bad_certificate,
                   std::string("the peer's certificate does not parse: ") + e.what());
  }
  if (trust == nullptr) {
    PeerChainChecked unchecked;  // validated = false: verification is off
    unchecked.peer = peer_side;
    report(actions, std::move(unchecked));
    return peer;
  }
  x509::VerifyResult result = x509::verify_chain_der(*leaf, peer.chain, *trust, options);
  peer.checked = true;
  peer.verification = result.reason;
  peer.verification_message = result.message;
  if (!result.ok())
    throw CheckFailed(chain_report(peer_side, result, options), alert_for_reason(result.reason),
                      "the peer's certificate chain is refused (" + std::string(x509::reason_name(result.reason)) +
                          "): " + result.message);
  report(actions, chain_report(peer_side, result, options));
  return peer;
}

}  // namespace tls12::handshake
