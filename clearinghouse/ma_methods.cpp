// The member authority's Federation API v2 methods (/MA): MEMBER and KEY objects, user
// credentials.
#include "clearinghouse/ch_error.h"
#include "clearinghouse/ch_methods.h"

#include <map>

namespace federa::ch {
namespace {

enum class Visibility { kPublic, kIdentifying, kAllowed };

rpc::Struct member_record(const Member& member, Visibility visibility, bool may_identify) {
  rpc::Struct record{{"MEMBER_URN", rpc::Value(member.urn)}};
  if (visibility != Visibility::kIdentifying) {
    record.emplace("MEMBER_UID", rpc::Value(member.uid));
    record.emplace("MEMBER_USERNAME", rpc::Value(member.username));
    record.emplace("_GENI_MEMBER_SSL_CERTIFICATE", rpc::Value(member.certificate));
    record.emplace("_GENI_MEMBER_ENABLED", rpc::Value(!member.revoked_at.has_value()));
  }
  if (visibility != Visibility::kPublic && may_identify) {
    record.emplace("MEMBER_EMAIL", rpc::Value(member.email));
    record.emplace("MEMBER_FIRSTNAME", rpc::Value(member.first_name));
    record.emplace("MEMBER_LASTNAME", rpc::Value(member.last_name));
  }
  return record;
}

rpc::Struct key_record(const MemberKey& key, bool with_private) {
  rpc::Struct record{{"KEY_ID", rpc::Value(key.id)},
                     {"KEY_MEMBER", rpc::Value(key.member_urn)},
                     {"KEY_PUBLIC", rpc::Value(key.public_key)},
                     {"KEY_DESCRIPTION", rpc::Value(key.description)},
                     {"KEY_TYPE", rpc::Value("ssh")}};
  if (with_private && !key.private_key.empty()) record.emplace("KEY_PRIVATE", rpc::Value(key.private_key));
  return record;
}

ObjectMethod lookup_members(Clearinghouse& ch, Visibility visibility) {
  return [&ch, visibility](const Args& args) -> rpc::Value {
    const rpc::Struct& options = args.options(1);
    const Member caller = authenticate(ch, args, 0, options);
    const rpc::Struct& match = options_struct(options, "match");
    const std::vector<std::string> urns = match_values(match, "MEMBER_URN");
    if (match.contains("MEMBER_URN") && urns.empty()) return rpc::Struct{};
    return lookup_answer(
        ch.members.lookup_members(urns), options,
        [&](const Member& m) {
          const bool may_identify = visibility != Visibility::kPublic && ch.members.may_see_identifying(caller, m.urn);
          return member_record(m, visibility, may_identify);
        },
        [](const Member& m) { return m.urn; });
  };
}

// The keys a KEY lookup selects, each with its record (KEY_PRIVATE only for its owner).
std::vector<std::pair<MemberKey, rpc::Struct>> selected_keys(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Member caller = authenticate(ch, args, 0, options);
  const rpc::Struct& match = options_struct(options, "match");
  std::vector<std::pair<MemberKey, rpc::Struct>> selected;
  for (const MemberKey& key : ch.members.lookup_keys(match_values(match, "KEY_MEMBER"))) {
    rpc::Struct record = key_record(key, trust::same_urn(key.member_urn, caller.urn));
    if (matches(record, match)) selected.emplace_back(key, filtered(std::move(record), options));
  }
  return selected;
}

// v2: {KEY_ID: key}.
rpc::Value lookup_keys_by_id(Clearinghouse& ch, const Args& args) {
  rpc::Struct answer;
  for (auto& [key, record] : selected_keys(ch, args)) answer.emplace(key.id, std::move(record));
  return answer;
}

// v1 lookup_keys: {member URN: [key, ...]}.
rpc::Value lookup_keys_by_member(Clearinghouse& ch, const Args& args) {
  std::map<std::string, rpc::Array> by_member;
  for (auto& [key, record] : selected_keys(ch, args)) by_member[key.member_urn].emplace_back(std::move(record));
  rpc::Struct answer;
  for (auto& [member, keys] : by_member) answer.emplace(member, rpc::Value(std::move(keys)));
  return answer;
}

rpc::Value create_key(Clearinghouse& ch, const Args& args) {
  const rpc::Struct& options = args.options(1);
  const Member caller = authenticate(ch, args, 0, options);
  const rpc::Struct& fields = options_struct(options, "fields");
  MemberKey key{"", required_text(fields, "KEY_MEMBER"), required_text(fields, "KEY_PUBLIC"),
                text_field(fields, "KEY_PRIVATE").value_or(""), text_field(fields, "KEY_DESCRIPTION").value_or("")};
  return key_record(ch.members.add_key(caller, std::move(key)), true);
}

rpc::Value delete_key(Clearinghouse& ch, const Args& args) {
  const std::string key_id = args.text(0, "key_id");
  const rpc::Struct& options = args.options(2);
  ch.members.delete_key(authenticate(ch, args, 1, options), key_id);
  return rpc::Value(true);
}

rpc::Value create_member(Clearinghouse&, const Args&) {
  throw ChError(ChCode::kArgument, "members are created by an operator (federa ch member create), not through the API");
}

}  // namespace

void add_member_authority_methods(ChService& service, Clearinghouse& ch) {
  service.add_method(Endpoint::kMemberAuthority, "get_version", [&ch](const ChCall& call) {
    return rpc::Value(version_struct(ch.members.authority().urn("authority", "ma"), {"MEMBER", "KEY"}, call.url));
  });
  service.add_method(Endpoint::kMemberAuthority, "get_credentials", [&ch](const ChCall& call) {
    const Args args{call, 0};
    const std::string urn = args.text(0, "member_urn");
    const Member caller = authenticate(ch, args, 1, args.options(2));
    return sfa_credentials(ch.members.user_credential(caller, urn, now_utc()));
  });
  const auto v1_lookup = [&](const char* name, Visibility visibility) {
    service.add_method(Endpoint::kMemberAuthority, name, [method = lookup_members(ch, visibility)](const ChCall& call) {
      return method({call, 0});
    });
  };
  v1_lookup("lookup_public_member_info", Visibility::kPublic);
  v1_lookup("lookup_identifying_member_info", Visibility::kIdentifying);
  v1_lookup("lookup_public_identifying_member_info", Visibility::kAllowed);
  service.add_method(Endpoint::kMemberAuthority, "lookup_keys", [&ch](const ChCall& call) {
    return lookup_keys_by_member(ch, {call, 0});
  });
  add_object_methods(service, Endpoint::kMemberAuthority,
                     {{"lookup", "MEMBER", "", lookup_members(ch, Visibility::kAllowed)},
                      {"create", "MEMBER", "", bound(ch, create_member)},
                      {"lookup", "KEY", "", bound(ch, lookup_keys_by_id)},
                      {"create", "KEY", "create_key", bound(ch, create_key)},
                      {"delete", "KEY", "delete_key", bound(ch, delete_key)}});
}

}  // namespace federa::ch
