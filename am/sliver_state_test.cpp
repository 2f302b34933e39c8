#include "am/sliver_state.h"

#include <doctest/doctest.h>

using namespace federa::am;

TEST_CASE("state names are the AM API's and parse back") {
  CHECK(to_string(AllocationState::kProvisioned) == "geni_provisioned");
  CHECK(to_string(OperationalState::kReadyBusy) == "geni_ready_busy");
  for (auto state : {OperationalState::kPendingAllocation, OperationalState::kNotReady, OperationalState::kConfiguring,
                     OperationalState::kStopping, OperationalState::kReady, OperationalState::kReadyBusy,
                     OperationalState::kFailed}) {
    CHECK(operational_state_from(to_string(state)) == state);
  }
  CHECK(allocation_state_from("geni_allocated") == AllocationState::kAllocated);
  CHECK_FALSE(allocation_state_from("allocated"));
}

TEST_CASE("actions are allowed only from their state") {
  const auto start = find_action("geni_start", OperationalState::kNotReady);
  REQUIRE(start);
  CHECK(start->during == OperationalState::kConfiguring);
  CHECK(start->to == OperationalState::kReady);
  CHECK(find_action("geni_start", OperationalState::kReady)->during == OperationalState::kReady);  // no-op
  CHECK(find_action("geni_restart", OperationalState::kFailed)->during == OperationalState::kConfiguring);
  CHECK_FALSE(find_action("geni_start", OperationalState::kStopping));
  CHECK_FALSE(find_action("geni_update_users", OperationalState::kNotReady));
  CHECK(find_action("geni_stop", OperationalState::kReady)->to == OperationalState::kNotReady);
  CHECK_FALSE(find_action("geni_stop", OperationalState::kNotReady));
  CHECK(is_known_action("geni_restart"));
  CHECK_FALSE(is_known_action(""));
  CHECK_FALSE(is_known_action("geni_explode"));
}
