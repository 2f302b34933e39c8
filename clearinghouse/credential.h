// The signed-credential document (gcf sfa/trust/credential.py, geni_sfa versions 2 and 3, and the
// ABAC speaks-for form): the model of a <credential> with its delegation chain (<parent>), and the
// parser. Parsing uses common/safe_xml (no DOCTYPE, so no entity bombs), requires unique xml:id
// values (each registered as an ID for signature references, so no signature wrapping), expands
// the `*` privilege for the target type, and throws GeniError(kCredentialInvalid) with a message
// naming the missing or malformed element. Parsing verifies nothing: see credential_verifier.h.
#pragma once

#include "clearinghouse/certificate.h"
#include "clearinghouse/privileges.h"
#include "common/geni_error.h"
#include "common/rfc3339.h"
#include "common/safe_xml.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::trust {

inline constexpr std::string_view kPrivilegeCredential = "privilege";
inline constexpr std::string_view kAbacCredential = "abac";

struct AbacPrincipal {
  std::string keyid;     // SHA-1 of the principal's public key, lowercase hex
  std::string mnemonic;  // the principal's URN, informational
};

// One ABAC statement `head.role <- tail` (speaks-for: U.speaks_for_U <- T).
struct AbacStatement {
  AbacPrincipal head;
  std::string role;
  std::vector<AbacPrincipal> tails;
};

struct Credential {
  std::string id;    // xml:id; its signature is the <Signature xml:id="Sig_<id>">
  std::string type;  // kPrivilegeCredential or kAbacCredential
  std::string serial;
  std::vector<Certificate> owner_gid;   // owner chain, leaf first; empty for ABAC
  std::string owner_urn;
  std::vector<Certificate> target_gid;  // may be empty when only the URN is given
  std::string target_urn;
  Timestamp expires{};
  std::vector<Privilege> privileges;
  std::optional<AbacStatement> abac;
  std::shared_ptr<const Credential> parent;  // the credential this one delegates
};

// Thrown by SignedCredential::parse when the bytes are not a usable credential document
// (code kCredentialInvalid), as opposed to a credential that parses but does not verify.
class CredentialParseError : public GeniError {
 public:
  explicit CredentialParseError(const std::string& message) : GeniError(GeniCode::kCredentialInvalid, message) {}
};

// A parsed document; keeps the XML tree for signature verification.
class SignedCredential {
 public:
  static SignedCredential parse(std::string_view xml);

  const Credential& credential() const { return *credential_; }
  const std::shared_ptr<const Credential>& shared_credential() const { return credential_; }
  xmlDoc* document() const { return document_.get(); }

 private:
  SignedCredential(XmlDocument document, std::shared_ptr<const Credential> credential);
  XmlDocument document_;
  std::shared_ptr<const Credential> credential_;
};

// "owner_urn -> target_urn (privileges, expires ...)" for messages and logs.
std::string describe(const Credential& credential);

}  // namespace federa::trust
