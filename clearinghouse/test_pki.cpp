#include "clearinghouse/test_pki.h"

#include <stdexcept>

namespace federa::trust::testing {

Identity make_identity(const std::string& urn, bool is_ca, const Identity* issuer) {
  Identity identity{generate_rsa_key(), {}};
  const PrivateKey& issuer_key = issuer ? issuer->key : identity.key;
  identity.chain.push_back(issue_certificate({.urn = urn, .is_ca = is_ca, .backdate = std::chrono::hours(1)},
                                             identity.key, issuer ? &issuer->cert() : nullptr, issuer_key));
  if (issuer) identity.chain.insert(identity.chain.end(), issuer->chain.begin(), issuer->chain.end());
  return identity;
}

const Pki& pki() {
  static const Pki instance = [] {
    Pki built;
    built.sa = make_identity("urn:publicid:IDN+geni:lab+authority+sa", true, nullptr);
    built.alice = make_identity("urn:publicid:IDN+geni:lab+user+alice", false, &built.sa);
    built.bob = make_identity("urn:publicid:IDN+geni:lab+user+bob", false, &built.sa);
    built.slice = make_identity("urn:publicid:IDN+geni:lab+slice+demo", false, &built.sa);
    built.tool = make_identity("urn:publicid:IDN+geni:lab+tool+portal", false, &built.sa);
    built.rogue = make_identity("urn:publicid:IDN+geni:lab+authority+sa", true, nullptr);
    built.roots = TrustRoots::from_certificates({built.sa.cert()});
    return built;
  }();
  return instance;
}

Timestamp hours_from_now(int hours) {
  return std::chrono::time_point_cast<std::chrono::seconds>(now_utc() + std::chrono::hours(hours));
}

std::vector<Privilege> slice_privileges(bool can_delegate) {
  return default_privileges("slice", "", can_delegate);
}

std::string slice_credential(const Identity& owner, Timestamp expires, std::vector<Privilege> privileges,
                             const Identity* signer, SignatureAlgorithm algorithm) {
  const CredentialSpec spec{.owner = owner.chain, .target = pki().slice.chain, .target_urn = "",
                            .privileges = std::move(privileges), .expires = expires};
  return issue_credential(spec, (signer ? *signer : pki().sa).signer(algorithm));
}

GeniCode code_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const GeniError& error) {
    return error.code();
  }
  return GeniCode::kSuccess;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("'" + from + "' is not in the text");
  return text.replace(at, from.size(), to);
}

}  // namespace federa::trust::testing
