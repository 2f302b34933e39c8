// Authorization of one AM or clearinghouse call (gcf CredentialVerifier): may the caller (TLS
// client certificate chain) perform `operation` on the slice (or on nothing) given the
// credentials as they came on the wire? Rules:
//   - the caller's chain must verify to the trust roots (kCredentialSignerUntrusted);
//   - every credential must have a known geni_type (geni_sfa v2/v3, geni_abac) and parse
//     (kCredentialInvalid), whether or not it is needed;
//   - with geni_speaking_for, a valid geni_abac credential by that user for the caller makes the
//     user the effective caller (speaks_for.h);
//   - no operation and no slice: allowed without credentials (ListResources);
//   - otherwise at least one geni_sfa credential must verify (credential_verifier.h), be owned by
//     the effective caller and target the slice (kCredentialMismatch) and grant a privilege
//     allowing the operation (kForbidden).
// When none passes, the refusal is that of the credential that got furthest, with its message.
// Thread-safe; verified credentials are cached (credential_cache.h).
#pragma once

#include "clearinghouse/credential_cache.h"
#include "clearinghouse/trust_roots.h"
#include "clearinghouse/urn.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace federa::trust {

// One element of the AM API `credentials` argument. v3: {geni_type, geni_version, geni_value};
// a v2 bare string is {"", "", xml}: its kind is read from the document's <type>.
struct WireCredential {
  std::string type;
  std::string version;
  std::string value;

  static WireCredential from_v2(std::string xml) { return {"", "", std::move(xml)}; }
};

struct AuthorizationRequest {
  std::vector<Certificate> caller;          // TLS client chain, leaf first
  std::optional<std::string> slice_urn;     // the call's slice, if any
  std::string operation;                    // gcf operation name; "" when none is required
  std::vector<WireCredential> credentials;
  std::optional<std::string> speaking_for;  // options.geni_speaking_for
};

struct Authorization {
  Urn caller;                         // the effective caller (the user when speaking for one)
  std::optional<Timestamp> expires;   // earliest expiry of the credentials that authorized
  std::optional<Urn> tool;            // the calling tool, when it speaks for `caller`
};

class Authorizer {
 public:
  Authorizer(std::shared_ptr<TrustRoots> roots, std::shared_ptr<CredentialCache> cache);

  // Throws GeniError with the refusal's code and a message a person can act on.
  Authorization authorize(const AuthorizationRequest& request, Timestamp now) const;
  Authorization authorize(const AuthorizationRequest& request) const { return authorize(request, now_utc()); }

  const TrustRoots& roots() const { return *roots_; }

 private:
  std::shared_ptr<TrustRoots> roots_;
  std::shared_ptr<CredentialCache> cache_;
};

}  // namespace federa::trust
