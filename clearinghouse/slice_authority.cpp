#include "clearinghouse/slice_authority.h"

#include "clearinghouse/ch_error.h"
#include "clearinghouse/credential_issuer.h"
#include "clearinghouse/urn.h"

#include <regex>

namespace federa::ch {
namespace {

constexpr auto kSliceCertificateLifetime = std::chrono::hours(24 * 365 * 10);

std::string_view kind_of(MembershipTable table) { return table == MembershipTable::kSlice ? "slice" : "project"; }

std::string parsed_urn(const std::string& text, std::string_view what) {
  try {
    return trust::Urn::parse(text).str();
  } catch (const GeniError& error) {
    throw ChError(ChCode::kArgument, std::string(what) + ": " + error.what());
  }
}

std::string project_name_of(const std::string& project_urn) { return trust::Urn::parse(project_urn).name(); }

// The caller's role in the object; operators act as LEAD. Throws kAuthorization when none.
Role role_of(ChStore& db, MembershipTable table, const Member& caller, const std::string& object_urn,
             std::string_view action) {
  if (caller.is_operator) return Role::kLead;
  const auto role = db.role(table, object_urn, caller.urn);
  if (!role) {
    throw ChError(ChCode::kAuthorization, caller.urn + " is not a member of " + std::string(kind_of(table)) + " " +
                                              object_urn + " and may not " + std::string(action));
  }
  return *role;
}

// The object's URN as stored; kArgument when there is no such slice or project.
std::string require_object(ChStore& db, MembershipTable table, const std::string& urn) {
  std::optional<std::string> stored;
  if (table == MembershipTable::kSlice) {
    if (const auto slice = db.slice(urn)) stored = slice->urn;
  } else if (const auto project = db.project(urn)) {
    stored = project->urn;
  }
  if (!stored) throw ChError(ChCode::kArgument, "Unknown " + std::string(kind_of(table)) + " urn " + urn);
  return *stored;
}

Slice require_live_slice(ChStore& db, const std::string& urn, Timestamp now) {
  const auto slice = db.slice(urn);
  if (!slice) throw ChError(ChCode::kArgument, "Unknown slice urn " + urn);
  if (slice->expires <= now) {
    throw ChError(ChCode::kArgument, "slice " + slice->urn + " expired at " + format_rfc3339(slice->expires));
  }
  return *slice;
}

std::string require_active_member(ChStore& db, const std::string& urn) {
  const auto member = db.member(urn);
  if (!member) throw ChError(ChCode::kArgument, "unknown member " + urn);
  if (member->revoked_at) throw ChError(ChCode::kArgument, "member " + member->urn + " is revoked");
  return member->urn;
}

void add_members(ChStore& db, MembershipTable table, const std::string& object_urn,
                 const std::vector<std::pair<std::string, Role>>& additions) {
  for (const auto& [urn, role] : additions) {
    const std::string member = require_active_member(db, urn);
    if (role == Role::kLead) {
      throw ChError(ChCode::kArgument, "cannot add " + member +
                                           " as LEAD: there is one lead; the lead hands over "
                                           "with members_to_change");
    }
    if (db.role(table, object_urn, member)) {
      throw ChError(ChCode::kArgument, member + " is already a member of " + object_urn + " (use members_to_change)");
    }
    db.set_role(table, {object_urn, member, role});
  }
}

void remove_members(ChStore& db, MembershipTable table, const std::string& object_urn,
                    const std::vector<std::string>& removals) {
  for (const std::string& urn : removals) {
    const auto role = db.role(table, object_urn, urn);
    if (!role) throw ChError(ChCode::kArgument, urn + " is not a member of " + object_urn);
    if (*role == Role::kLead)
      throw ChError(ChCode::kArgument, "the lead " + urn + " cannot be removed; hand over first");
    db.remove_membership(table, object_urn, urn);
  }
}

void change_members(ChStore& db, MembershipTable table, const std::string& object_urn, Role caller_role,
                    const std::vector<std::pair<std::string, Role>>& changes) {
  for (const auto& [urn, role] : changes) {
    const auto current = db.role(table, object_urn, urn);
    if (!current) throw ChError(ChCode::kArgument, urn + " is not a member of " + object_urn);
    if (*current == Role::kLead && role != Role::kLead) {
      throw ChError(ChCode::kArgument, "the lead's role changes only by making another member LEAD");
    }
    if (role == Role::kLead && *current != Role::kLead) {
      if (caller_role != Role::kLead) throw ChError(ChCode::kAuthorization, "only the lead may hand the lead over");
      for (const Membership& m : db.memberships_of(table, object_urn)) {
        if (m.role == Role::kLead) db.set_role(table, {m.object_urn, m.member_urn, Role::kAdmin});
      }
    }
    db.set_role(table, {object_urn, db.member(urn)->urn, role});
  }
}

}  // namespace

SliceAuthority::SliceAuthority(store::Store& store, std::shared_ptr<const AuthorityIdentity> authority,
                               SlicePolicy policy)
    : store_(store), authority_(std::move(authority)), policy_(policy), slice_key_(trust::generate_rsa_key()) {}

Timestamp SliceAuthority::checked_expiration(Timestamp requested, std::optional<Timestamp> current,
                                             Timestamp now) const {
  const Timestamp limit = now + policy_.max_lifetime;
  if (requested <= now) {
    throw ChError(ChCode::kArgument, "expiration " + format_rfc3339(requested) + " is in the past");
  }
  if (current && requested < *current) {
    throw ChError(ChCode::kArgument, "expiration " + format_rfc3339(requested) +
                                         " would shorten the slice (it expires " + format_rfc3339(*current) + ")");
  }
  if (requested > limit) {
    throw ChError(ChCode::kArgument, "expiration " + format_rfc3339(requested) + " is beyond policy: at most " +
                                         std::to_string(policy_.max_lifetime.count() / 24) + " days from now (" +
                                         format_rfc3339(limit) + ")");
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(requested);
}

Slice SliceAuthority::create_slice(const Member& caller, const NewSlice& request, Timestamp now) {
  if (policy_.require_project && !request.project_urn) {
    throw ChError(ChCode::kArgument, "SLICE_PROJECT_URN is required: slices belong to projects here");
  }
  const Timestamp expires =
      checked_expiration(request.expires.value_or(now + policy_.default_lifetime), std::nullopt, now);
  const std::string project_urn = request.project_urn ? parsed_urn(*request.project_urn, "SLICE_PROJECT_URN") : "";
  const std::string authority =
      authority_->authority + (request.project_urn ? ":" + project_name_of(project_urn) : std::string());
  const std::string urn = parsed_urn("urn:publicid:IDN+" + authority + "+slice+" + request.name, "SLICE_NAME");
  const trust::Certificate certificate =
      trust::issue_certificate({.urn = urn, .email = "", .is_ca = false, .lifetime = kSliceCertificateLifetime},
                               slice_key_, &authority_->certificate, authority_->key);
  const Slice slice{urn,
                    certificate.uuid().value_or(random_id()),
                    request.name,
                    request.project_urn ? std::optional<std::string>(project_urn) : std::nullopt,
                    request.description,
                    caller.urn,
                    certificate.pem(),
                    expires,
                    std::chrono::time_point_cast<std::chrono::seconds>(now)};
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    if (slice.project_urn) {
      const auto project = db.project(*slice.project_urn);
      if (!project) throw ChError(ChCode::kArgument, "Unknown project " + *slice.project_urn);
      if (project->expires && *project->expires <= now) {
        throw ChError(ChCode::kArgument,
                      "project " + project->urn + " expired at " + format_rfc3339(*project->expires));
      }
      if (!may_create_slices(role_of(db, MembershipTable::kProject, caller, project->urn, "create slices in it"))) {
        throw ChError(ChCode::kAuthorization, "an AUDITOR of " + project->urn + " may not create slices in it");
      }
    }
    if (const auto existing = db.slice(slice.urn)) {
      throw ChError(ChCode::kDuplicate, "slice " + existing->urn + " already exists (expires " +
                                            format_rfc3339(existing->expires) + "); slice names are never reused");
    }
    db.insert_slice(slice);
    db.set_role(MembershipTable::kSlice, {slice.urn, caller.urn, Role::kLead});
    return slice;
  });
}

std::vector<Slice> SliceAuthority::lookup_slices(const std::vector<std::string>& urns) {
  return store_.read([&](store::Transaction& tx) { return ChStore(tx).slices(urns); });
}

Slice SliceAuthority::update_slice(const Member& caller, const std::string& slice_urn, const SliceUpdate& update,
                                   Timestamp now) {
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    Slice slice = require_live_slice(db, slice_urn, now);
    if (!may_renew(role_of(db, MembershipTable::kSlice, caller, slice.urn, "update it"))) {
      throw ChError(ChCode::kAuthorization, "an AUDITOR of " + slice.urn + " may not update it");
    }
    if (update.expires) slice.expires = checked_expiration(*update.expires, slice.expires, now);
    if (update.description) slice.description = *update.description;
    db.update_slice(slice);
    return slice;
  });
}

std::string SliceAuthority::slice_credential(const Member& caller, const std::string& slice_urn, Timestamp now) {
  const auto [slice, role] = store_.read([&](store::Transaction& tx) {
    ChStore db(tx);
    Slice found = require_live_slice(db, slice_urn, now);
    const Role role = role_of(db, MembershipTable::kSlice, caller, found.urn, "get its credential");
    return std::pair{found, role};
  });
  return trust::issue_credential(
      {.owner = authority_->chain_of(trust::load_certificates_pem(caller.certificate).front()),
       .target = authority_->chain_of(trust::load_certificates_pem(slice.certificate).front()),
       .target_urn = "",
       .privileges = slice_privileges_for(role),
       .expires = slice.expires},
      authority_->signer());
}

Project SliceAuthority::create_project(const NewProject& request, Timestamp now) {
  static const std::regex kProjectName("^[a-zA-Z][a-zA-Z0-9-]{1,31}$");
  if (!std::regex_match(request.name, kProjectName)) {
    throw ChError(ChCode::kArgument,
                  "project name '" + request.name + "': 2-32 letters, digits or '-', starting with a letter");
  }
  const Project project{authority_->urn("project", request.name),
                        request.name,
                        random_id(),
                        request.description,
                        request.expires,
                        std::chrono::time_point_cast<std::chrono::seconds>(now)};
  return store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const std::string lead = require_active_member(db, request.lead_urn);
    if (db.project(project.urn)) throw ChError(ChCode::kDuplicate, "project " + project.urn + " already exists");
    db.insert_project(project);
    db.set_role(MembershipTable::kProject, {project.urn, lead, Role::kLead});
    return project;
  });
}

std::vector<Project> SliceAuthority::lookup_projects(const std::vector<std::string>& urns) {
  return store_.read([&](store::Transaction& tx) { return ChStore(tx).projects(urns); });
}

void SliceAuthority::modify_membership(MembershipTable table, const Member& caller, const std::string& object_urn,
                                       const MembershipChanges& changes) {
  store_.transaction([&](store::Transaction& tx) {
    ChStore db(tx);
    const std::string urn = require_object(db, table, object_urn);
    const Role caller_role = role_of(db, table, caller, urn, "change its members");
    if (!may_manage_members(caller_role)) {
      throw ChError(ChCode::kAuthorization, "a " + std::string(role_name(caller_role)) + " of " + urn +
                                                " may not change its members (LEAD and ADMIN may)");
    }
    add_members(db, table, urn, changes.add);
    remove_members(db, table, urn, changes.remove);
    change_members(db, table, urn, caller_role, changes.change);
  });
}

std::vector<Membership> SliceAuthority::members_of(MembershipTable table, const Member& caller,
                                                   const std::string& object_urn) {
  return store_.read([&](store::Transaction& tx) {
    ChStore db(tx);
    const std::string urn = require_object(db, table, object_urn);
    role_of(db, table, caller, urn, "list its members");
    return db.memberships_of(table, urn);
  });
}

std::vector<Membership> SliceAuthority::memberships_for(MembershipTable table, const Member& caller,
                                                        const std::string& member_urn) {
  if (!caller.is_operator && !trust::same_urn(caller.urn, member_urn)) {
    throw ChError(ChCode::kAuthorization,
                  caller.urn + " may not list the " + std::string(kind_of(table)) + "s of " + member_urn);
  }
  return store_.read([&](store::Transaction& tx) { return ChStore(tx).memberships_for(table, member_urn); });
}

}  // namespace federa::ch
