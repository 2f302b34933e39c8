#include "am/sliver_state.h"

#include <array>
#include <utility>

namespace federa::am {
namespace {

constexpr std::array<std::pair<AllocationState, std::string_view>, 3> kAllocationNames{{
    {AllocationState::kUnallocated, "geni_unallocated"},
    {AllocationState::kAllocated, "geni_allocated"},
    {AllocationState::kProvisioned, "geni_provisioned"},
}};

constexpr std::array<std::pair<OperationalState, std::string_view>, 7> kOperationalNames{{
    {OperationalState::kPendingAllocation, "geni_pending_allocation"},
    {OperationalState::kNotReady, "geni_notready"},
    {OperationalState::kConfiguring, "geni_configuring"},
    {OperationalState::kStopping, "geni_stopping"},
    {OperationalState::kReady, "geni_ready"},
    {OperationalState::kReadyBusy, "geni_ready_busy"},
    {OperationalState::kFailed, "geni_failed"},
}};

template <typename State, std::size_t N>
std::string_view name_of(const std::array<std::pair<State, std::string_view>, N>& names, State state) {
  for (const auto& [value, name] : names) {
    if (value == state) return name;
  }
  return "";
}

template <typename State, std::size_t N>
std::optional<State> state_of(const std::array<std::pair<State, std::string_view>, N>& names,
                              std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AllocationState state) { return name_of(kAllocationNames, state); }
std::string_view to_string(OperationalState state) { return name_of(kOperationalNames, state); }
std::optional<AllocationState> allocation_state_from(std::string_view text) {
  return state_of(kAllocationNames, text);
}
std::optional<OperationalState> operational_state_from(std::string_view text) {
  return state_of(kOperationalNames, text);
}

const std::vector<ActionRule>& action_rules() {
  using S = OperationalState;
  static const std::vector<ActionRule> rules = {
      {"geni_start", S::kNotReady, S::kConfiguring, S::kReady},
      {"geni_start", S::kFailed, S::kConfiguring, S::kReady},
      // Already started or starting: nothing to do (omni's createsliver starts after Provision).
      {"geni_start", S::kConfiguring, S::kConfiguring, S::kReady},
      {"geni_start", S::kReady, S::kReady, S::kReady},
      {"geni_restart", S::kReady, S::kConfiguring, S::kReady},
      {"geni_restart", S::kFailed, S::kConfiguring, S::kReady},
      {"geni_stop", S::kReady, S::kStopping, S::kNotReady},
      {"geni_stop", S::kConfiguring, S::kStopping, S::kNotReady},
      {"geni_update_users", S::kReady, S::kReadyBusy, S::kReady},
      // Consistent snapshot of the slice's running nodes and links, and back to one (issue 9).
      {"federa_snapshot", S::kReady, S::kReadyBusy, S::kReady},
      {"federa_restore", S::kReady, S::kReadyBusy, S::kReady},
      // Live migration of nodes to another host, their links following (issue 9).
      {"federa_migrate", S::kReady, S::kReadyBusy, S::kReady},
  };
  return rules;
}

std::optional<ActionRule> find_action(std::string_view action, OperationalState current) {
  for (const ActionRule& rule : action_rules()) {
    if (rule.action == action && rule.from == current) return rule;
  }
  return std::nullopt;
}

bool is_known_action(std::string_view action) {
  for (const ActionRule& rule : action_rules()) {
    if (rule.action == action) return true;
  }
  return false;
}

}  // namespace federa::am
