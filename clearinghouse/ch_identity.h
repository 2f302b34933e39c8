// The clearinghouse's signing identity and the identifiers it mints. The slice and member
// authorities sign with one authority certificate (the federation's CA, URN
// urn:publicid:IDN+<authority>+authority+sa): it issues member and slice certificates and signs
// user and slice credentials, so aggregates that trust it accept what it issues.
#pragma once

#include "clearinghouse/certificate.h"
#include "clearinghouse/credential_issuer.h"

#include <string>
#include <string_view>
#include <vector>

namespace federa::ch {

struct AuthorityIdentity {
  std::string authority;           // "federa.local": the URN authority of members and slices
  trust::Certificate certificate;  // CA certificate
  trust::PrivateKey key;

  // "urn:publicid:IDN+<authority>+<type>+<name>".
  std::string urn(std::string_view type, std::string_view name) const;
  trust::Signer signer() const { return {key, {certificate}}; }
  // A certificate issued by this authority for `urn`, with its chain up to the authority.
  std::vector<trust::Certificate> chain_of(const trust::Certificate& issued) const { return {issued, certificate}; }
};

// 32 random hex digits.
std::string random_id();
// Lowercase hex SHA-256 of the text.
std::string sha256_hex(std::string_view text);
// The certificate's serial number in uppercase hex, as CRLs and OpenSSL print it.
std::string serial_hex(const trust::Certificate& certificate);

}  // namespace federa::ch
