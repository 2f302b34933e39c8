#include "clearinghouse/privileges.h"

#include <algorithm>
#include <array>
#include <utility>

namespace federa::trust {
namespace {

struct TableRow {
  std::string_view privilege;
  std::vector<std::string_view> operations;
};

const std::array<TableRow, 11>& privilege_table() {
  static const std::array<TableRow, 11> table{{
      {"authority", {"register", "remove", "update", "resolve", "list", "getcredential", "*"}},
      {"refresh", {"remove", "update"}},
      {"resolve", {"resolve", "list", "getcredential"}},
      {"sa", {"getticket", "redeemslice", "redeemticket", "createslice", "createsliver", "deleteslice",
              "deletesliver", "updateslice", "getsliceresources", "loanresources", "stopslice",
              "startslice", "renewsliver", "resetslice", "listslices", "listnodes", "getpolicy",
              "sliverstatus"}},
      {"embed", {"getticket", "redeemslice", "redeemticket", "createslice", "createsliver",
                 "renewsliver", "deleteslice", "deletesliver", "updateslice", "sliverstatus",
                 "getsliceresources", "shutdown"}},
      {"bind", {"getticket", "loanresources", "redeemticket"}},
      {"control", {"updateslice", "createslice", "createsliver", "renewsliver", "sliverstatus",
                   "stopslice", "startslice", "deleteslice", "deletesliver", "resetslice",
                   "getsliceresources", "getgids"}},
      {"info", {"listslices", "listnodes", "getpolicy"}},
      {"ma", {"setbootstate", "getbootstate", "reboot", "getgids", "gettrustedcerts"}},
      {"operator", {"gettrustedcerts", "getgids"}},
      {"*", {"createsliver", "deletesliver", "sliverstatus", "renewsliver", "shutdown"}},
  }};
  return table;
}

bool contains(const std::vector<std::string_view>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool privilege_allows(std::string_view name, std::string_view operation) {
  for (const auto& row : privilege_table()) {
    if (row.privilege == name) return contains(row.operations, "*") || contains(row.operations, operation);
  }
  return false;
}

bool privileges_allow(const std::vector<Privilege>& privileges, std::string_view operation) {
  return std::any_of(privileges.begin(), privileges.end(),
                     [&](const Privilege& privilege) { return privilege_allows(privilege.name, operation); });
}

bool is_known_operation(std::string_view operation) {
  return std::any_of(privilege_table().begin(), privilege_table().end(),
                     [&](const TableRow& row) { return contains(row.operations, operation); });
}

std::vector<Privilege> default_privileges(std::string_view target_type, std::string_view target_name,
                                          bool can_delegate) {
  std::vector<std::string_view> names;
  if (target_type == "user") {
    names = {"refresh", "resolve", "info"};
  } else if (target_type == "slice") {
    names = {"refresh", "embed", "bind", "control", "info"};
  } else if (target_type == "authority" && target_name == "sa") {
    names = {"authority", "sa"};
  } else if (target_type == "authority" && (target_name == "ma" || target_name == "cm" || target_name == "sm")) {
    names = {"authority", "ma"};
  } else if (target_type == "authority") {
    names = {"authority", "sa", "ma"};
  } else if (target_type == "component" || target_type == "node") {
    names = {"operator"};
  }
  std::vector<Privilege> privileges;
  for (auto name : names) privileges.push_back({std::string(name), can_delegate});
  return privileges;
}

std::string privilege_names(const std::vector<Privilege>& privileges) {
  std::string names;
  for (const auto& privilege : privileges) names += (names.empty() ? "" : ",") + privilege.name;
  return names.empty() ? "(none)" : names;
}

}  // namespace federa::trust
