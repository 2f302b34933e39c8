// The slice authority's Federation API v2 methods (/SA): SLICE, PROJECT and SLIVER_INFO objects,
// slice and project membership, slice credentials.
#include "clearinghouse/ch_error.h"
#include "clearinghouse/ch_methods.h"

namespace federa::ch {
namespace {

rpc::Value time_value(const std::optional<Timestamp>& time) { return rpc::Value(time ? format_rfc3339(*time) : ""); }

rpc::Struct slice_record(const Slice& slice, Timestamp now) {
  return {{"SLICE_URN", rpc::Value(slice.urn)},
          {"SLICE_UID", rpc::Value(slice.uid)},
          {"SLICE_NAME", rpc::Value(slice.name)},
          {"SLICE_DESCRIPTION", rpc::Value(slice.description)},
          {"SLICE_EXPIRATION", time_value(slice.expires)},
          {"SLICE_EXPIRED", rpc::Value(slice.expires <= now)},
          {"SLICE_CREATION", time_value(slice.created_at)},
          {"SLICE_PROJECT_URN", rpc::Value(slice.project_urn.value_or(""))},
          {"_GENI_SLICE_OWNER", rpc::Value(slice.owner_urn)}};
}

rpc::Struct project_record(const Project& project, Timestamp now) {
  return {{"PROJECT_URN", rpc::Value(project.urn)},
          {"PROJECT_UID", rpc::Value(project.uid)},
          {"PROJECT_NAME", rpc::Value(project.name)},
          {"PROJECT_DESCRIPTION", rpc::Value(project.description)},
          {"PROJECT_EXPIRATION", time_value(project.expires)},
          {"PROJECT_EXPIRED", rpc::Value(project.expires && *project.expires <= now)},
          {"PROJECT_CREATION", time_value(project.created_at)}};
}

rpc::Struct sliver_record(const SliverInfo& sliver) {
  return {{"SLIVER_INFO_URN", rpc::Value(sliver.urn)},
          {"SLIVER_INFO_SLICE_URN", rpc::Value(sliver.slice_urn)},
          {"SLIVER_INFO_AGGREGATE_URN", rpc::Value(sliver.aggregate_urn)},
          {"SLIVER_INFO_CREATOR_URN", rpc::Value(sliver.creator_urn)},
          {"SLIVER_INFO_EXPIRATION", time_value(sliver.expires)},
          {"SLIVER_INFO_CREATION", time_value(sliver.created_at)}};
}

std::string prefix_of(MembershipTable table) { return table == MembershipTable::kSlice ? "SLICE" : "PROJECT"; }

// A lookup narrowed by the URNs the match names; nullopt when it names an empty list.
std::optional<std::vector<std::string>> urns_to_lookup(const rpc::Struct& options, std::string_view field) {
  const rpc::Struct& match = options_struct(options, "match");
  std::vector<std::string> urns = match_values(match, field);
  if (match.contains(field) && urns.empty()) return std::nullopt;
  return urns;
}

Reporter reporter_of(Clearinghouse& ch, const Args& args, std::size_t credentials_index, const rpc::Struct& options) {
  const std::string caller = verified_caller(ch, args.call);
  if (ch.registry.is_local_aggregate(caller)) return {caller, std::nullopt};
  const Member member = authenticate(ch, args, credentials_index, options);
  return {member.urn, member};
}

std::vector<std::pair<std::string, Role>> member_roles(const rpc::Struct& options, std::string_view key,
                                                       const std::string& prefix) {
  std::vector<std::pair<std::string, Role>> roles;
  const auto found = options.find(key);
  if (found == options.end()) return roles;
  for (const rpc::Value& entry : found->second.as_array()) {
    const rpc::Struct& fields = entry.as_struct();
    roles.emplace_back(required_text(fields, prefix + "_MEMBER"), parse_role(required_text(fields, prefix + "_ROLE")));
  }
  return roles;
}

MembershipChanges changes_of(const rpc::Struct& options, const std::string& prefix) {
  MembershipChanges changes{
      member_roles(options, "members_to_add", prefix), {}, member_roles(options, "members_to_change", prefix)};
  if (const auto found = options.find("members_to_remove"); found != options.end()) {
    for (const rpc::Value& urn : found->second.as_array()) changes.remove.push_back(urn.as_string());
  }
  return changes;
}

rpc::Array membership_list(const std::vector<Membership>& memberships, const std::string& prefix) {
  rpc::Array list;
  for (const Membership& m : memberships) {
    list.emplace_back(rpc::Struct{{prefix + "_MEMBER", rpc::Value(m.member_urn)},
                                  {prefix + "_ROLE", rpc::Value(std::string(role_name(m.role)))}});
  }
  return list;
}

// {X_URN, X_ROLE, EXPIRED} for each slice or project of a member.
rpc::Array objects_of_member(Clearinghouse& ch, MembershipTable table, const std::vector<Membership>& memberships) {
  const Timestamp now = now_utc();
  std::vector<std::string> urns;
  for (const Membership& m : memberships) urns.push_back(m.object_urn);
  std::map<std::string, bool> expired;
  if (!urns.empty() && table == MembershipTable::kSlice) {
    for (const Slice& slice : ch.slices.lookup_slices(urns)) expired[slice.urn] = slice.expires <= now;
  } else if (!urns.empty()) {
    for (const Project& p : ch.slices.lookup_projects(urns)) expired[p.urn] = p.expires && *p.expires <= now;
  }
  const std::string prefix = prefix_of(table);
  rpc::Array list;
  for (const Membership& m : memberships) {
    list.emplace_back(rpc::Struct{{prefix + "_URN", rpc::Value(m.object_urn)},
                                  {prefix + "_ROLE", rpc::Value(std::string(role_name(m.role)))},
                                  {"EXPIRED", rpc::Value(expired[m.object_urn])}});
  }
  return list;
}

rpc::Value create_slice(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Member caller = authenticate(ch, args, 0, options);
  const rpc::Struct& fields = options_struct(options, "fields");
  std::optional<std::string> project = text_field(fields, "SLICE_PROJECT_URN");
  if (project && project->empty()) project.reset();
  const Timestamp now = now_utc();
  return slice_record(ch.slices.create_slice(caller,
                                             {required_text(fields, "SLICE_NAME"), project,
                                              text_field(fields, "SLICE_DESCRIPTION").value_or(""),
                                              time_field(fields, "SLICE_EXPIRATION")},
                                             now),
                      now);
}

// A SLICE or PROJECT lookup: any member may look; {urn: record} for the matching objects.
template <class T>
rpc::Value lookup_objects(Clearinghouse& ch, const Args& args, std::string_view urn_field,
                          std::vector<T> (SliceAuthority::*lookup)(const std::vector<std::string>&),
                          rpc::Struct (*record)(const T&, Timestamp)) {
  const rpc::Struct& options = args.options(1);
  authenticate(ch, args, 0, options);
  const auto urns = urns_to_lookup(options, urn_field);
  if (!urns) return rpc::Struct{};
  const Timestamp now = now_utc();
  return lookup_answer((ch.slices.*lookup)(*urns), options, [&](const T& item) { return record(item, now); },
                       [](const T& item) { return item.urn; });
}

rpc::Value lookup_slices(Clearinghouse& ch, const Args& args) {
  return lookup_objects<Slice>(ch, args, "SLICE_URN", &SliceAuthority::lookup_slices, slice_record);
}

rpc::Value update_slice(Clearinghouse& ch, const Args& args) {
  const std::string urn = args.text(0, "slice_urn");
  const rpc::Struct& options = args.options(2);
  const Member caller = authenticate(ch, args, 1, options);
  const rpc::Struct& fields = options_struct(options, "fields");
  const Timestamp now = now_utc();
  return slice_record(
      ch.slices.update_slice(caller, urn,
                             {time_field(fields, "SLICE_EXPIRATION"), text_field(fields, "SLICE_DESCRIPTION")}, now),
      now);
}

rpc::Value create_project(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Member caller = authenticate(ch, args, 0, options);
  if (!caller.is_operator) {
    throw ChError(ChCode::kAuthorization, "only operators create projects (federa ch project create)");
  }
  const rpc::Struct& fields = options_struct(options, "fields");
  const Timestamp now = now_utc();
  return project_record(ch.slices.create_project({required_text(fields, "PROJECT_NAME"), caller.urn,
                                                  text_field(fields, "PROJECT_DESCRIPTION").value_or(""),
                                                  time_field(fields, "PROJECT_EXPIRATION")},
                                                 now),
                        now);
}

rpc::Value lookup_projects(Clearinghouse& ch, const Args& args) {
  return lookup_objects<Project>(ch, args, "PROJECT_URN", &SliceAuthority::lookup_projects, project_record);
}

rpc::Value create_sliver_info(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Reporter reporter = reporter_of(ch, args, 0, options);
  const rpc::Struct& fields = options_struct(options, "fields");
  SliverInfo sliver{required_text(fields, "SLIVER_INFO_URN"),
                    required_text(fields, "SLIVER_INFO_SLICE_URN"),
                    required_text(fields, "SLIVER_INFO_AGGREGATE_URN"),
                    text_field(fields, "SLIVER_INFO_CREATOR_URN").value_or(""),
                    time_field(fields, "SLIVER_INFO_EXPIRATION"),
                    time_field(fields, "SLIVER_INFO_CREATION").value_or(Timestamp{})};
  return sliver_record(ch.slivers.record(reporter, std::move(sliver), now_utc()));
}

rpc::Value update_sliver_info(Clearinghouse& ch, const Args& args) {
  const std::string urn = args.text(0, "sliver_urn");
  const rpc::Struct& options = args.options(2);
  const Reporter reporter = reporter_of(ch, args, 1, options);
  ch.slivers.update_expiration(reporter, urn, time_field(options_struct(options, "fields"), "SLIVER_INFO_EXPIRATION"));
  return rpc::Value(true);
}

rpc::Value delete_sliver_info(Clearinghouse& ch, const Args& args) {
  const std::string urn = args.text(0, "sliver_urn");
  const rpc::Struct& options = args.options(2);
  ch.slivers.remove(reporter_of(ch, args, 1, options), urn);
  return rpc::Value(true);
}

rpc::Value lookup_sliver_info(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Member caller = authenticate(ch, args, 0, options);
  const std::vector<std::string> slices = match_values(options_struct(options, "match"), "SLIVER_INFO_SLICE_URN");
  if (slices.size() != 1) throw ChError(ChCode::kArgument, "match one SLIVER_INFO_SLICE_URN to look up slivers");
  return lookup_answer(ch.slivers.lookup(caller, slices.front()), options, sliver_record,
                       [](const SliverInfo& s) { return s.urn; });
}

ObjectMethod modify_membership(Clearinghouse& ch, MembershipTable table) {
  return [&ch, table](const Args& args) {
    const std::string urn = args.text(0, prefix_of(table) == "SLICE" ? "slice_urn" : "project_urn");
    const rpc::Struct& options = args.options(2);
    const Member caller = authenticate(ch, args, 1, options);
    ch.slices.modify_membership(table, caller, urn, changes_of(options, prefix_of(table)));
    return rpc::Value(true);
  };
}

ObjectMethod lookup_members(Clearinghouse& ch, MembershipTable table) {
  return [&ch, table](const Args& args) {
    const std::string urn = args.text(0, "urn");
    const rpc::Struct& options = args.options(2);
    const Member caller = authenticate(ch, args, 1, options);
    return rpc::Value(membership_list(ch.slices.members_of(table, caller, urn), prefix_of(table)));
  };
}

ObjectMethod lookup_for_member(Clearinghouse& ch, MembershipTable table) {
  return [&ch, table](const Args& args) {
    const std::string member_urn = args.text(0, "member_urn");
    const rpc::Struct& options = args.options(2);
    const Member caller = authenticate(ch, args, 1, options);
    return rpc::Value(objects_of_member(ch, table, ch.slices.memberships_for(table, caller, member_urn)));
  };
}

ObjectMethod not_deleted(const std::string& what) {
  return [what](const Args&) -> rpc::Value {
    throw ChError(ChCode::kNotImplemented, what + " are never deleted: they expire");
  };
}

}  // namespace

void add_slice_authority_methods(ChService& service, Clearinghouse& ch) {
  service.add_method(Endpoint::kSliceAuthority, "get_version", [&ch](const ChCall& call) {
    rpc::Struct version =
        version_struct(ch.members.authority().urn("authority", "sa"),
                       {"SLICE", "PROJECT", "SLICE_MEMBER", "PROJECT_MEMBER", "SLIVER_INFO"}, call.url);
    version["ROLES"] = rpc::Array{rpc::Value("LEAD"), rpc::Value("ADMIN"), rpc::Value("MEMBER"), rpc::Value("AUDITOR")};
    return rpc::Value(std::move(version));
  });
  service.add_method(Endpoint::kSliceAuthority, "get_credentials", [&ch](const ChCall& call) {
    const Args args{call, 0};
    const std::string urn = args.text(0, "slice_urn");
    const Member caller = authenticate(ch, args, 1, args.options(2));
    return sfa_credentials(ch.slices.slice_credential(caller, urn, now_utc()));
  });
  add_object_methods(
      service, Endpoint::kSliceAuthority,
      {{"create", "SLICE", "create_slice", bound(ch, create_slice)},
       {"lookup", "SLICE", "lookup_slices", bound(ch, lookup_slices)},
       {"update", "SLICE", "update_slice", bound(ch, update_slice)},
       {"delete", "SLICE", "", not_deleted("slices")},
       {"create", "PROJECT", "create_project", bound(ch, create_project)},
       {"lookup", "PROJECT", "lookup_projects", bound(ch, lookup_projects)},
       {"delete", "PROJECT", "", not_deleted("projects")},
       {"create", "SLIVER_INFO", "create_sliver_info", bound(ch, create_sliver_info)},
       {"update", "SLIVER_INFO", "update_sliver_info", bound(ch, update_sliver_info)},
       {"delete", "SLIVER_INFO", "delete_sliver_info", bound(ch, delete_sliver_info)},
       {"lookup", "SLIVER_INFO", "lookup_sliver_info", bound(ch, lookup_sliver_info)},
       {"modify_membership", "SLICE", "modify_slice_membership", modify_membership(ch, MembershipTable::kSlice)},
       {"modify_membership", "PROJECT", "modify_project_membership", modify_membership(ch, MembershipTable::kProject)},
       {"lookup_members", "SLICE", "lookup_slice_members", lookup_members(ch, MembershipTable::kSlice)},
       {"lookup_members", "PROJECT", "lookup_project_members", lookup_members(ch, MembershipTable::kProject)},
       {"lookup_for_member", "SLICE", "lookup_slices_for_member", lookup_for_member(ch, MembershipTable::kSlice)},
       {"lookup_for_member", "PROJECT", "lookup_projects_for_member",
        lookup_for_member(ch, MembershipTable::kProject)}});
}

}  // namespace federa::ch
