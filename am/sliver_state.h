// Sliver states of AM API v3 (call-basics.adoc, "Sliver Allocation States" and "Sliver
// Operational States") and every transition federa makes, in one table. Allocation states:
// unallocated, allocated (cheap, expires in minutes), provisioned (resources exist). Operational
// states apply to provisioned slivers; PerformOperationalAction moves them through a transient
// state (configuring, stopping) to a stable one when the backend reports completion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::am {

enum class AllocationState { kUnallocated, kAllocated, kProvisioned };
enum class OperationalState { kPendingAllocation, kNotReady, kConfiguring, kStopping, kReady, kReadyBusy, kFailed };

std::string_view to_string(AllocationState state);   // "geni_allocated", ...
std::string_view to_string(OperationalState state);  // "geni_ready", ...
std::optional<AllocationState> allocation_state_from(std::string_view text);
std::optional<OperationalState> operational_state_from(std::string_view text);

// An operational action as advertised (opstate extension) and accepted by POA.
struct ActionRule {
  std::string_view action;        // "geni_start"
  OperationalState from;          // state the sliver must be in
  OperationalState during;        // state while the backend works
  OperationalState to;            // state when it is done
};

// The rules of every action federa supports, in advertisement order.
const std::vector<ActionRule>& action_rules();

// The rule for `action` from `current`, or nullopt: an unknown action, or one not allowed now.
std::optional<ActionRule> find_action(std::string_view action, OperationalState current);
bool is_known_action(std::string_view action);

// The states a sliver has right after each lifecycle step.
struct SliverStates {
  AllocationState allocation;
  OperationalState operational;
  bool operator==(const SliverStates&) const = default;
};
inline constexpr SliverStates kAfterAllocate{AllocationState::kAllocated, OperationalState::kPendingAllocation};
inline constexpr SliverStates kAfterProvision{AllocationState::kProvisioned, OperationalState::kConfiguring};
inline constexpr SliverStates kAfterDelete{AllocationState::kUnallocated, OperationalState::kPendingAllocation};

}  // namespace federa::am
