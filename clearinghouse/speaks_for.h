// Speaks-for (gcf speaksfor_util.verify_speaks_for): a tool calling with option
// geni_speaking_for=<user URN> and a geni_abac credential in which the user states
// U.speaks_for_<keyid(U)> <- T acts as the user. Given the credential already verified
// (signature, signer chain, expiry: credential_verifier.h), check_speaks_for() checks the
// statement: signed by the spoken-for user (else kCredentialMismatch), the head and role name
// the signer's key (else kCredentialInvalid), exactly one tail, the calling tool's key (else
// kCredentialMismatch). Returns the user's URN.
#pragma once

#include "clearinghouse/credential_verifier.h"
#include "clearinghouse/urn.h"

#include <string_view>

namespace federa::trust {

Urn check_speaks_for(const VerifiedCredential& credential, const Certificate& tool,
                     std::string_view speaking_for_urn);

}  // namespace federa::trust
