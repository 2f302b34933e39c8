// The operational-state extension (opstate/1) of an advertisement: the state machine a sliver of
// the listed sliver types goes through, with the actions a user may perform in each state and
// the asynchronous transitions (waits) the aggregate performs.
#pragma once

#include <string>
#include <vector>

namespace federa::rspec {

struct OpstateAction {
  std::string name;  // e.g. geni_start
  std::string next;  // state entered when the action is taken
  std::string description;
};

struct OpstateWait {
  std::string type;  // geni_success | geni_failure
  std::string next;
};

struct OpstateState {
  std::string name;  // e.g. geni_ready
  std::vector<OpstateAction> actions;
  std::vector<OpstateWait> waits;
  std::string description;
};

struct OpstateMachine {
  std::string aggregate_manager_id;
  std::string start;                      // initial state
  std::vector<std::string> sliver_types;  // sliver types the machine applies to
  std::vector<OpstateState> states;
};

}  // namespace federa::rspec
