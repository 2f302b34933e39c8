#include "clearinghouse/authorizer.h"

#include "clearinghouse/privileges.h"
#include "clearinghouse/speaks_for.h"
#include "common/geni_error.h"

#include <algorithm>
#include <stdexcept>

namespace federa::trust {
namespace {

// What was supplied, verified (or the reason it did not verify), by kind.
struct Verified {
  std::shared_ptr<const VerifiedCredential> credential;
  std::optional<GeniError> failure;
};

struct Sorted {
  std::vector<Verified> sfa;
  std::vector<Verified> abac;
};

// Failures that got further in the checks explain the refusal better.
int progress(GeniCode code) {
  switch (code) {
    case GeniCode::kForbidden: return 4;
    case GeniCode::kCredentialMismatch: return 3;
    case GeniCode::kCredentialExpired: return 2;
    case GeniCode::kCredentialSignerUntrusted: return 1;
    default: return 0;
  }
}

[[noreturn]] void refuse_with_best(const std::vector<GeniError>& failures) {
  const auto best = std::max_element(failures.begin(), failures.end(), [](const GeniError& a, const GeniError& b) {
    return progress(a.code()) < progress(b.code());
  });
  std::string message = best->what();
  if (failures.size() > 1) message += " (" + std::to_string(failures.size() - 1) + " other credential(s) also refused)";
  throw GeniError(best->code(), message);
}

std::string expected_document_type(const WireCredential& wire) {
  if (wire.type.empty()) return "";
  if (wire.type == "geni_sfa") {
    if (wire.version != "2" && wire.version != "3") {
      throw GeniError(GeniCode::kCredentialInvalid,
                      "geni_sfa credential version '" + wire.version + "' is not supported (use 2 or 3)");
    }
    return std::string(kPrivilegeCredential);
  }
  if (wire.type == "geni_abac") return std::string(kAbacCredential);
  throw GeniError(GeniCode::kCredentialInvalid,
                  "credential type '" + wire.type + "' is not supported (geni_sfa and geni_abac are)");
}

Sorted verify_all(const std::vector<WireCredential>& credentials, CredentialCache& cache, const TrustRoots& roots,
                  Timestamp now) {
  Sorted sorted;
  for (const auto& wire : credentials) {
    const std::string expected = expected_document_type(wire);
    std::string actual;
    Verified verified;
    try {
      verified.credential = cache.verify(wire.value, roots, now);
      actual = verified.credential->credential->type;
    } catch (const CredentialParseError&) {
      throw;
    } catch (const GeniError& error) {
      verified.failure = error;
      actual = SignedCredential::parse(wire.value).credential().type;
    }
    if (!expected.empty() && actual != expected) {
      throw GeniError(GeniCode::kCredentialInvalid,
                      "a " + wire.type + " credential holds a '" + actual + "' document");
    }
    (actual == kAbacCredential ? sorted.abac : sorted.sfa).push_back(std::move(verified));
  }
  return sorted;
}

Urn effective_caller(const Sorted& sorted, const VerifiedChain& caller, const std::string& speaking_for,
                     std::optional<Timestamp>& expires) {
  std::vector<GeniError> failures;
  for (const auto& supplied : sorted.abac) {
    if (supplied.failure) {
      failures.push_back(*supplied.failure);
      continue;
    }
    try {
      Urn user = check_speaks_for(*supplied.credential, caller.path.front(), speaking_for);
      expires = std::min(expires.value_or(Timestamp::max()), supplied.credential->expires);
      return user;
    } catch (const GeniError& error) {
      failures.push_back(error);
    }
  }
  if (failures.empty()) {
    throw GeniError(GeniCode::kCredentialMismatch,
                    "geni_speaking_for " + speaking_for + " was given without a geni_abac speaks-for credential");
  }
  refuse_with_best(failures);
}

// Why this verified credential does not authorize the call, or nullopt when it does.
std::optional<GeniError> mismatch(const Credential& credential, const Urn& caller, const std::optional<Urn>& slice,
                                  const std::string& operation) {
  const std::string what = "credential '" + credential.id + "' [" + describe(credential) + "]";
  if (!same_urn(credential.owner_urn, caller.str())) {
    return GeniError(GeniCode::kCredentialMismatch, what + " is owned by " + credential.owner_urn + ", not by the caller " + caller.str());
  }
  if (slice && !same_urn(credential.target_urn, slice->str())) {
    return GeniError(GeniCode::kCredentialMismatch, what + " is for " + credential.target_urn + ", not for slice " + slice->str());
  }
  if (!operation.empty() && !privileges_allow(credential.privileges, operation)) {
    return GeniError(GeniCode::kForbidden, what + " grants no privilege allowing '" + operation + "'");
  }
  return std::nullopt;
}

}  // namespace

Authorizer::Authorizer(std::shared_ptr<TrustRoots> roots, std::shared_ptr<CredentialCache> cache)
    : roots_(std::move(roots)), cache_(cache ? std::move(cache) : std::make_shared<CredentialCache>()) {
  if (!roots_) throw std::invalid_argument("an Authorizer needs trust roots");
}

Authorization Authorizer::authorize(const AuthorizationRequest& request, Timestamp now) const {
  if (!request.operation.empty() && !is_known_operation(request.operation)) {
    throw std::invalid_argument("unknown operation '" + request.operation + "'");
  }
  const std::optional<Urn> slice = request.slice_urn ? std::optional<Urn>(Urn::parse(*request.slice_urn)) : std::nullopt;
  const VerifiedChain caller = [&] {
    try {
      return roots_->verify(request.caller, now);
    } catch (const GeniError& error) {
      throw GeniError(error.code(), std::string("client certificate: ") + error.what());
    }
  }();
  const Sorted sorted = verify_all(request.credentials, *cache_, *roots_, now);
  Authorization result{.caller = caller.subject, .expires = std::nullopt, .tool = std::nullopt};
  if (request.speaking_for && !Urn::parse(*request.speaking_for).same_as(caller.subject)) {
    result.caller = effective_caller(sorted, caller, *request.speaking_for, result.expires);
    result.tool = caller.subject;
  }
  if (sorted.sfa.empty()) {
    if (!slice && request.operation.empty()) return result;
    throw GeniError(GeniCode::kForbidden, "no geni_sfa credential was supplied; " +
                                              (slice ? "a slice credential for " + slice->str() : std::string("a credential")) +
                                              " owned by " + result.caller.str() + " is required");
  }
  std::vector<GeniError> failures;
  std::optional<Timestamp> sfa_expires;
  for (const auto& supplied : sorted.sfa) {
    auto failure = supplied.failure ? supplied.failure
                                    : mismatch(*supplied.credential->credential, result.caller, slice, request.operation);
    if (failure) {
      failures.push_back(*failure);
    } else {
      sfa_expires = std::min(sfa_expires.value_or(Timestamp::max()), supplied.credential->expires);
    }
  }
  if (!sfa_expires) refuse_with_best(failures);
  result.expires = std::min(result.expires.value_or(Timestamp::max()), *sfa_expires);
  return result;
}

}  // namespace federa::trust
