#include "clearinghouse/privileges.h"

#include <doctest/doctest.h>

using namespace federa::trust;

TEST_CASE("the privilege table maps AM operations as gcf does") {
  CHECK(privilege_allows("embed", "shutdown"));
  CHECK_FALSE(privilege_allows("control", "shutdown"));
  CHECK(privilege_allows("control", "createsliver"));
  CHECK(privilege_allows("control", "getsliceresources"));
  CHECK(privilege_allows("info", "listnodes"));
  CHECK_FALSE(privilege_allows("info", "createsliver"));
  CHECK(privilege_allows("authority", "anything"));  // its list holds '*'
  CHECK(privilege_allows("*", "renewsliver"));
  CHECK_FALSE(privilege_allows("nonesuch", "createsliver"));
  CHECK(is_known_operation("deleteslice"));
  CHECK_FALSE(is_known_operation("deleteslcie"));
  CHECK(privileges_allow({{"info", false}, {"embed", false}}, "deleteslice"));
  CHECK_FALSE(privileges_allow({{"info", false}, {"bind", true}}, "deleteslice"));
}

TEST_CASE("'*' expands to the default privileges of the target type") {
  CHECK(privilege_names(default_privileges("slice", "demo", true)) == "refresh,embed,bind,control,info");
  CHECK(privilege_names(default_privileges("user", "alice", false)) == "refresh,resolve,info");
  CHECK(privilege_names(default_privileges("authority", "sa", false)) == "authority,sa");
  CHECK(default_privileges("slice", "demo", true).front().can_delegate);
  CHECK(privilege_names({}) == "(none)");
}
