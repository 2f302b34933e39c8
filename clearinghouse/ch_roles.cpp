#include "clearinghouse/ch_roles.h"

#include "clearinghouse/ch_error.h"

#include <algorithm>
#include <cctype>

namespace federa::ch {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kLead:
      return "LEAD";
    case Role::kAdmin:
      return "ADMIN";
    case Role::kMember:
      return "MEMBER";
    case Role::kAuditor:
      return "AUDITOR";
  }
  return "AUDITOR";
}

Role parse_role(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (Role role : {Role::kLead, Role::kAdmin, Role::kMember, Role::kAuditor}) {
    if (upper == role_name(role)) return role;
  }
  throw ChError(ChCode::kArgument, "unknown role '" + std::string(name) + "' (use LEAD, ADMIN, MEMBER or AUDITOR)");
}

bool may_manage_members(Role role) { return role == Role::kLead || role == Role::kAdmin; }

bool may_renew(Role role) { return role != Role::kAuditor; }

bool may_create_slices(Role project_role) { return project_role != Role::kAuditor; }

std::vector<trust::Privilege> slice_privileges_for(Role role) {
  if (role == Role::kAuditor) return {{"info", true}};
  return trust::default_privileges("slice", "", true);
}

}  // namespace federa::ch
