// SFA privileges and the operations they allow (gcf sfa/trust/rights.py privilege_table), and the
// default privileges a `*` privilege expands to for a target type (determine_rights). Operation
// names are gcf's: createsliver, deleteslice, getsliceresources, renewsliver, shutdown, listnodes...
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace federa::trust {

struct Privilege {
  std::string name;
  bool can_delegate = false;

  bool operator==(const Privilege&) const = default;
};

// True when the privilege `name` allows `operation` (a privilege whose list holds `*` allows all).
bool privilege_allows(std::string_view name, std::string_view operation);

// True when any of `privileges` allows `operation`.
bool privileges_allow(const std::vector<Privilege>& privileges, std::string_view operation);

// True when some privilege in the table allows `operation`.
bool is_known_operation(std::string_view operation);

// The privileges `*` stands for over a target of this URN type ("slice", "user", "authority")
// and authority name ("sa", "ma", "cm", "am"...), each with `can_delegate`.
std::vector<Privilege> default_privileges(std::string_view target_type, std::string_view target_name,
                                          bool can_delegate);

// "refresh,embed,..." for messages.
std::string privilege_names(const std::vector<Privilege>& privileges);

}  // namespace federa::trust
