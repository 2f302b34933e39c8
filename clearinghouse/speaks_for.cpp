#include "clearinghouse/speaks_for.h"

#include "clearinghouse/credential_issuer.h"
#include "common/geni_error.h"

namespace federa::trust {
namespace {

[[noreturn]] void refuse(GeniCode code, const std::string& why) {
  throw GeniError(code, "speaks-for credential refused: " + why);
}

}  // namespace

Urn check_speaks_for(const VerifiedCredential& verified, const Certificate& tool, std::string_view speaking_for_urn) {
  const Credential& credential = *verified.credential;
  if (credential.type != kAbacCredential || !credential.abac) {
    refuse(GeniCode::kCredentialInvalid, "credential '" + credential.id + "' is not an ABAC credential");
  }
  const Certificate& user = verified.signer.front();
  const Urn user_urn = Urn::parse(user.urn().value_or(""));
  const auto wanted = Urn::try_parse(speaking_for_urn);
  if (!wanted || !wanted->same_as(user_urn)) {
    refuse(GeniCode::kCredentialMismatch, "signed by " + user_urn.str() + ", not by geni_speaking_for user " +
                                              std::string(speaking_for_urn));
  }
  const AbacStatement& statement = *credential.abac;
  const std::string user_keyid = certificate_keyid(user);
  if (statement.head.keyid != user_keyid || statement.role != "speaks_for_" + user_keyid) {
    refuse(GeniCode::kCredentialInvalid, "it does not state " + user_urn.str() + ".speaks_for(" +
                                             user_urn.str() + ") about the signer's own key");
  }
  if (statement.tails.size() != 1) {
    refuse(GeniCode::kCredentialInvalid, "it needs exactly one tail, has " + std::to_string(statement.tails.size()));
  }
  if (statement.tails.front().keyid != certificate_keyid(tool)) {
    refuse(GeniCode::kCredentialMismatch, "it lets " + statement.tails.front().mnemonic +
                                              " speak for the user, not the caller " + tool.urn().value_or(tool.subject()));
  }
  return user_urn;
}

}  // namespace federa::trust
