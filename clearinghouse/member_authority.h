// The member authority (Common Federation API v2 MA): the federation's members, each with a
// certificate the authority issued (for a key it generated, or for a public key the member
// uploaded), their SSH public keys, user credentials, and revocation. authenticate() is how every
// clearinghouse call learns whether its caller is a member in good standing: an unknown or
// revoked caller is refused with AUTHENTICATION_ERROR. Identifying fields (email, names) are
// visible to the member, to operators and to members sharing a slice or project with them.
// Thread-safe (each call is one store transaction).
#pragma once

#include "clearinghouse/ch_identity.h"
#include "clearinghouse/ch_store.h"
#include "store/store.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace federa::ch {

struct MemberPolicy {
  std::chrono::hours certificate_lifetime{24 * 365};
  std::chrono::hours user_credential_lifetime{24 * 30};
};

struct NewMember {
  std::string username;  // the URN's name: 1-8 letters, digits or '_', starting with a letter
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string public_key_pem;  // PEM public key to certify; empty: the authority generates a key pair
  bool is_operator = false;
};

struct IssuedMember {
  Member member;
  std::string certificate_chain_pem;  // the member's certificate, then the authority's
  std::string private_key_pem;        // empty when the member supplied the public key
};

class MemberAuthority {
 public:
  MemberAuthority(store::Store& store, std::shared_ptr<const AuthorityIdentity> authority, MemberPolicy policy);

  // Throws ChError: kDuplicate for a taken username, kArgument for an unusable name or key.
  IssuedMember create_member(const NewMember& request, Timestamp now);
  // Marks the member revoked and records their certificate's serial; idempotent.
  RevokedCertificate revoke_member(const std::string& member_urn, Timestamp now);
  std::vector<RevokedCertificate> revocations();

  // The caller's member record; ChError(kAuthentication) when unknown or revoked, or when the
  // presented certificate (if given) is not the one the authority issued to that member.
  Member authenticate(const std::string& caller_urn, const trust::Certificate* presented = nullptr);

  std::vector<Member> lookup_members(const std::vector<std::string>& urns);  // empty: all
  bool may_see_identifying(const Member& caller, const std::string& member_urn);

  // A user credential for the caller (member_urn must be the caller; else kAuthorization).
  std::string user_credential(const Member& caller, const std::string& member_urn, Timestamp now);
  // The member's certificate chain (leaf, authority), the owner chain of their credentials.
  std::vector<trust::Certificate> member_chain(const Member& member) const;

  // SSH keys: members manage their own (operators anyone's). Throws ChError.
  MemberKey add_key(const Member& caller, MemberKey key);
  void delete_key(const Member& caller, const std::string& key_id);
  std::vector<MemberKey> lookup_keys(const std::vector<std::string>& member_urns);  // empty: all

  const AuthorityIdentity& authority() const { return *authority_; }

 private:
  store::Store& store_;
  std::shared_ptr<const AuthorityIdentity> authority_;
  MemberPolicy policy_;
};

}  // namespace federa::ch
