// Roles in a slice or project (Common Federation API v2 SLICE_ROLE / PROJECT_ROLE) and what each
// may do. LEAD: the one who answers for the object (its creator); ADMIN: manages members and
// renews; MEMBER: uses and renews the slice; AUDITOR: may only look (its slice credential grants
// `info` only). The slice credential's privileges follow the role.
#pragma once

#include "clearinghouse/privileges.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::ch {

enum class Role { kLead, kAdmin, kMember, kAuditor };

// "LEAD", "ADMIN", "MEMBER", "AUDITOR".
std::string_view role_name(Role role);
// Case-insensitive; throws ChError(kArgument) naming the accepted roles.
Role parse_role(std::string_view name);

bool may_manage_members(Role role);         // add, remove, change roles (LEAD, ADMIN)
bool may_renew(Role role);                  // LEAD, ADMIN, MEMBER
bool may_create_slices(Role project_role);  // in a project: LEAD, ADMIN, MEMBER

// The privileges a slice credential for a member in this role carries (delegatable).
std::vector<trust::Privilege> slice_privileges_for(Role role);

}  // namespace federa::ch
