// The clearinghouse's tables (schema/ch) as typed records, read and written through one store
// transaction: `ChStore db(tx)` is a view valid while tx is. URN lookups compare
// case-insensitively, as GENI compares slice and user names. Writers do no policy checks; the
// authorities (slice_authority.h, member_authority.h) do, inside the same transaction.
#pragma once

#include "clearinghouse/ch_roles.h"
#include "common/rfc3339.h"
#include "store/migrations.h"
#include "store/transaction.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace federa::ch {

// The migrations of the clearinghouse (schema/ch) under a schema directory.
store::MigrationSet ch_migrations(const std::filesystem::path& schema_dir);

struct Member {
  std::string urn;
  std::string username;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string uid;
  std::string certificate;  // PEM
  bool is_operator = false;
  std::optional<Timestamp> revoked_at;
  Timestamp created_at{};
};

struct MemberKey {
  std::string id;
  std::string member_urn;
  std::string public_key;
  std::string private_key;
  std::string description;
};

struct RevokedCertificate {
  std::string serial;  // hex
  std::string member_urn;
  Timestamp revoked_at{};
};

struct Project {
  std::string urn;
  std::string name;
  std::string uid;
  std::string description;
  std::optional<Timestamp> expires;
  Timestamp created_at{};
};

struct Slice {
  std::string urn;
  std::string uid;
  std::string name;
  std::optional<std::string> project_urn;
  std::string description;
  std::string owner_urn;
  std::string certificate;  // PEM
  Timestamp expires{};
  Timestamp created_at{};
};

struct Membership {
  std::string object_urn;  // the slice or project
  std::string member_urn;
  Role role = Role::kMember;
};

struct SliverInfo {
  std::string urn;
  std::string slice_urn;
  std::string aggregate_urn;
  std::string creator_urn;
  std::optional<Timestamp> expires;
  Timestamp created_at{};
};

struct Aggregate {
  std::string urn;
  std::string url;
  std::string name;
  std::string description;
  int api_version = 3;
};

// Slice and project memberships live in two tables of the same shape.
enum class MembershipTable { kSlice, kProject };

class ChStore {
 public:
  explicit ChStore(store::Transaction& tx) : tx_(tx) {}

  void insert_member(const Member& member);
  std::optional<Member> member(const std::string& urn);
  std::vector<Member> members(const std::vector<std::string>& urns);  // empty: all
  void revoke_member(const std::string& urn, const std::string& serial, Timestamp at);
  std::vector<RevokedCertificate> revoked_certificates();

  void insert_key(const MemberKey& key);
  std::optional<MemberKey> key(const std::string& id);
  std::vector<MemberKey> keys(const std::vector<std::string>& member_urns);  // empty: all
  void delete_key(const std::string& id);

  void insert_project(const Project& project);
  std::optional<Project> project(const std::string& urn);
  std::vector<Project> projects(const std::vector<std::string>& urns);  // empty: all

  void insert_slice(const Slice& slice);
  std::optional<Slice> slice(const std::string& urn);
  std::vector<Slice> slices(const std::vector<std::string>& urns);  // empty: all
  void update_slice(const Slice& slice);                            // description and expires

  std::optional<Role> role(MembershipTable table, const std::string& object_urn, const std::string& member_urn);
  std::vector<Membership> memberships_of(MembershipTable table, const std::string& object_urn);
  std::vector<Membership> memberships_for(MembershipTable table, const std::string& member_urn);
  void set_role(MembershipTable table, const Membership& membership);  // insert or update
  void remove_membership(MembershipTable table, const std::string& object_urn, const std::string& member_urn);
  // True when the two members share a slice or a project.
  bool share_slice_or_project(const std::string& a, const std::string& b);

  void insert_sliver(const SliverInfo& sliver);
  std::optional<SliverInfo> sliver(const std::string& urn);
  std::vector<SliverInfo> slivers_of(const std::string& slice_urn);
  void update_sliver_expiry(const std::string& urn, std::optional<Timestamp> expires);
  void delete_sliver(const std::string& urn);

  void upsert_aggregate(const Aggregate& aggregate);
  std::vector<Aggregate> aggregates();
  std::int64_t delete_aggregate(const std::string& urn);

 private:
  store::Transaction& tx_;
};

}  // namespace federa::ch
