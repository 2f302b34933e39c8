// The slice authority (Common Federation API v2 SA): projects, slices and their memberships, and
// signed slice credentials. Policy, enforced here:
//   - a member creates a slice in a project they belong to (not as AUDITOR), or without a
//     project unless SlicePolicy::require_project; the creator becomes the slice's LEAD;
//   - slice URNs are urn:publicid:IDN+<authority>[:<project>]+slice+<name>; a name is never
//     reused (kDuplicate);
//   - an expiration is later than now and the current one, and at most max_lifetime from now
//     (kArgument otherwise): renewing never goes beyond policy;
//   - LEAD and ADMIN manage members; a slice or project has exactly one LEAD, changed only by
//     the LEAD (the former lead becomes ADMIN); LEAD, ADMIN, MEMBER renew;
//   - a slice credential goes to a member of an unexpired slice, with the privileges of their
//     role (ch_roles.h), owned by their member certificate, targeting the slice certificate,
//     signed by the authority, expiring with the slice.
// A slice certificate only names the slice (slices never sign anything), so every slice of one
// SliceAuthority is certified for the same key, generated once.
// Operators (Member::is_operator) may do everything. Refusals throw ChError. Thread-safe.
#pragma once

#include "clearinghouse/ch_identity.h"
#include "clearinghouse/ch_store.h"
#include "store/store.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace federa::ch {

struct SlicePolicy {
  std::chrono::hours default_lifetime{24 * 7};
  std::chrono::hours max_lifetime{24 * 185};
  bool require_project = false;
};

struct NewSlice {
  std::string name;
  std::optional<std::string> project_urn;
  std::string description;
  std::optional<Timestamp> expires;  // default: now + default_lifetime
};

struct SliceUpdate {
  std::optional<Timestamp> expires;
  std::optional<std::string> description;
};

struct NewProject {
  std::string name;  // a letter, then 1-31 letters, digits or '-'
  std::string lead_urn;
  std::string description;
  std::optional<Timestamp> expires;
};

struct MembershipChanges {
  std::vector<std::pair<std::string, Role>> add;
  std::vector<std::string> remove;
  std::vector<std::pair<std::string, Role>> change;
};

class SliceAuthority {
 public:
  SliceAuthority(store::Store& store, std::shared_ptr<const AuthorityIdentity> authority, SlicePolicy policy);

  Slice create_slice(const Member& caller, const NewSlice& request, Timestamp now);
  std::vector<Slice> lookup_slices(const std::vector<std::string>& urns);  // empty: all
  Slice update_slice(const Member& caller, const std::string& slice_urn, const SliceUpdate& update, Timestamp now);
  std::string slice_credential(const Member& caller, const std::string& slice_urn, Timestamp now);

  Project create_project(const NewProject& request, Timestamp now);
  std::vector<Project> lookup_projects(const std::vector<std::string>& urns);  // empty: all

  void modify_membership(MembershipTable table, const Member& caller, const std::string& object_urn,
                         const MembershipChanges& changes);
  // The members of a slice or project: for its members and operators.
  std::vector<Membership> members_of(MembershipTable table, const Member& caller, const std::string& object_urn);
  // The slices or projects of a member: for that member and operators.
  std::vector<Membership> memberships_for(MembershipTable table, const Member& caller, const std::string& member_urn);

  const SlicePolicy& policy() const { return policy_; }

 private:
  Timestamp checked_expiration(Timestamp requested, std::optional<Timestamp> current, Timestamp now) const;

  store::Store& store_;
  std::shared_ptr<const AuthorityIdentity> authority_;
  SlicePolicy policy_;
  trust::PrivateKey slice_key_;
};

}  // namespace federa::ch
