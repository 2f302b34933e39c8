// Issuing credentials: a slice or user credential signed by an authority, a delegation of an
// existing credential to another owner (the parent is embedded unchanged in <parent> and keeps
// its signature), and an ABAC speaks-for credential signed by a user for a tool. Each is an
// unsigned template (usable with `xmlsec1 --sign --node-id Sig_<id>`) plus sign_credential().
// Throws std::invalid_argument for an unusable spec and GeniError for an unparsable parent.
#pragma once

#include "clearinghouse/certificate.h"
#include "clearinghouse/privileges.h"
#include "clearinghouse/xmldsig.h"
#include "common/rfc3339.h"

#include <string>
#include <string_view>
#include <vector>

namespace federa::trust {

struct CredentialSpec {
  std::vector<Certificate> owner;   // owner chain, leaf first
  std::vector<Certificate> target;  // target chain; may be empty when target_urn is given
  std::string target_urn;           // defaults to the target leaf's URN
  std::vector<Privilege> privileges;
  Timestamp expires{};
  std::string serial = "1";
};

struct Signer {
  PrivateKey key;
  std::vector<Certificate> chain;  // signer first
  SignatureAlgorithm algorithm = SignatureAlgorithm::kRsaSha256;
};

std::string credential_template(const CredentialSpec& spec, SignatureAlgorithm algorithm);

// The parent's target is kept; spec.target and spec.target_urn are ignored.
std::string delegation_template(std::string_view parent_xml, const CredentialSpec& spec,
                                SignatureAlgorithm algorithm);

// "user says tool speaks for user": U.speaks_for_<keyid(U)> <- T, to be signed by the user.
std::string speaks_for_template(const Certificate& user, const Certificate& tool, Timestamp expires,
                                SignatureAlgorithm algorithm);

// Signs the top credential of a template.
std::string sign_credential(std::string_view template_xml, const Signer& signer);

std::string issue_credential(const CredentialSpec& spec, const Signer& signer);
std::string delegate_credential(std::string_view parent_xml, const CredentialSpec& spec, const Signer& signer);

// Lowercase hex SHA-1 of the certificate's public key bits (gcf get_cert_keyid).
std::string certificate_keyid(const Certificate& certificate);

}  // namespace federa::trust
