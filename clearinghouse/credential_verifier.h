// Verification of a parsed signed credential against the trust roots at a given time, for the
// credential and every parent in its delegation chain (gcf Credential.verify):
//   - the XML signature of each credential (xmldsig.h) -> kCredentialInvalid;
//   - each signer's KeyInfo chain to a trust root with the namespace rule -> kCredentialSignerUntrusted;
//   - not expired -> kCredentialExpired;
//   - owner and target certificates chain to a trust root -> kCredentialSignerUntrusted;
//   - delegation: same target, privileges only narrow and were delegatable, expiry not extended,
//     the child's signer owns the parent -> kCredentialInvalid;
//   - the root credential's signer is an authority over the target's namespace -> kCredentialSignerUntrusted.
// The result depends only on the document, the roots and the time, so it can be cached until
// valid_until. Who may use it (owner = caller, target = slice, privileges) is authorizer.h's job.
#pragma once

#include "clearinghouse/credential.h"
#include "clearinghouse/trust_roots.h"

#include <memory>
#include <vector>

namespace federa::trust {

struct VerifiedCredential {
  std::shared_ptr<const Credential> credential;  // the top of the chain
  std::vector<Certificate> signer;               // the top credential's verified signer path
  Timestamp expires{};                           // earliest expiry along the chain
  Timestamp valid_until{};                       // expires, or an earlier certificate not_after
};

VerifiedCredential verify_credential(const SignedCredential& document, const TrustRoots& roots,
                                     Timestamp now);

}  // namespace federa::trust
