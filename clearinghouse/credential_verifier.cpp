#include "clearinghouse/credential_verifier.h"

#include "clearinghouse/urn.h"
#include "clearinghouse/xmldsig.h"
#include "common/geni_error.h"

#include <algorithm>

namespace federa::trust {
namespace {

[[noreturn]] void refuse(GeniCode code, const Credential& credential, const std::string& why) {
  throw GeniError(code, "credential '" + credential.id + "' [" + describe(credential) + "]: " + why);
}

// Runs a chain verification, restating its failure in terms of this credential.
VerifiedChain verify_chain(const TrustRoots& roots, const std::vector<Certificate>& chain, Timestamp now,
                           const Credential& credential, const std::string& role) {
  try {
    return roots.verify(chain, now);
  } catch (const GeniError& error) {
    refuse(error.code(), credential, role + " is not trusted: " + error.what());
  }
}

void check_delegation(const Credential& child, const Credential& parent, const Certificate& child_signer) {
  if (!same_urn(child.target_urn, parent.target_urn)) {
    refuse(GeniCode::kCredentialInvalid, child, "delegation changes the target from " + parent.target_urn);
  }
  if (child.expires > parent.expires) {
    refuse(GeniCode::kCredentialInvalid, child,
           "delegation extends the expiry beyond the parent's " + format_rfc3339(parent.expires));
  }
  for (const auto& privilege : child.privileges) {
    const bool delegatable = std::any_of(parent.privileges.begin(), parent.privileges.end(), [&](const Privilege& p) {
      return p.name == privilege.name && p.can_delegate;
    });
    if (!delegatable) {
      refuse(GeniCode::kCredentialInvalid, child,
             "delegation grants privilege '" + privilege.name + "' which the parent does not grant as delegatable");
    }
  }
  const bool signer_owns_parent =
      parent.owner_gid.empty() ? same_urn(child_signer.urn().value_or(""), parent.owner_urn)
                               : X509_cmp(child_signer.get(), parent.owner_gid.front().get()) == 0;
  if (!signer_owns_parent) {
    refuse(GeniCode::kCredentialInvalid, child,
           "signed by " + child_signer.urn().value_or(child_signer.subject()) + ", who does not own the parent credential");
  }
}

// gcf verify_issuer: only an authority over the target's namespace may issue the root credential.
void check_issuer(const Credential& credential, const VerifiedChain& signer) {
  const auto target = Urn::try_parse(credential.target_urn);
  if (!target || !signer.subject.is_authority_for(*target)) {
    refuse(GeniCode::kCredentialSignerUntrusted, credential,
           "signer " + signer.subject.str() + " is not an authority for " + credential.target_urn);
  }
}

void verify_one(const SignedCredential& document, const Credential& credential, const TrustRoots& roots,
                Timestamp now, VerifiedCredential& result, bool top) {
  const auto keyinfo = verify_reference(document.document(), credential.id);
  const VerifiedChain signer = verify_chain(roots, keyinfo, now, credential, "its signer");
  if (credential.expires <= now) {
    throw GeniError(GeniCode::kCredentialExpired, "credential '" + credential.id + "' [" + describe(credential) +
                                                      "] expired at " + format_rfc3339(credential.expires));
  }
  result.expires = std::min(result.expires, credential.expires);
  result.valid_until = std::min({result.valid_until, credential.expires, signer.not_after});
  for (const auto* gid : {&credential.owner_gid, &credential.target_gid}) {
    if (gid->empty()) continue;
    const auto chain = verify_chain(roots, *gid, now, credential, gid == &credential.owner_gid ? "its owner" : "its target");
    result.valid_until = std::min(result.valid_until, chain.not_after);
  }
  if (top) result.signer = signer.path;
  if (credential.parent) {
    check_delegation(credential, *credential.parent, signer.path.front());
    verify_one(document, *credential.parent, roots, now, result, false);
  } else if (credential.type == kPrivilegeCredential) {
    check_issuer(credential, signer);
  }
}

}  // namespace

VerifiedCredential verify_credential(const SignedCredential& document, const TrustRoots& roots, Timestamp now) {
  VerifiedCredential result{.credential = nullptr, .signer = {}, .expires = Timestamp::max(), .valid_until = Timestamp::max()};
  verify_one(document, document.credential(), roots, now, result, true);
  result.credential = document.shared_credential();
  return result;
}

}  // namespace federa::trust
