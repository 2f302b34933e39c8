#include "federation/node_state.h"

#include <libvirt/libvirt.h>

namespace federa::federation {
namespace {

std::string shutoff_note(int reason) {
  switch (reason) {
    case VIR_DOMAIN_SHUTOFF_CRASHED: return "the emulator exited unexpectedly";
    case VIR_DOMAIN_SHUTOFF_FAILED: return "the node failed to start";
    case VIR_DOMAIN_SHUTOFF_DAEMON: return "the host's hypervisor stopped the node";
    default: return "";
  }
}

std::string crash_reason(int reason) {
  return reason == VIR_DOMAIN_CRASHED_PANICKED ? "the guest kernel panicked" : "the guest crashed";
}

}  // namespace

OperationalState operational_state(const NodeStatus& status) {
  switch (status.state) {
    case DomainState::kRunning:
    case DomainState::kBlocked:
      if (status.guest_ready) return {"geni_ready", ""};
      return {"geni_configuring", ""};
    case DomainState::kNoState:
      return {"geni_configuring", ""};
    case DomainState::kPaused:
      if (status.reason == VIR_DOMAIN_PAUSED_CRASHED) return {"geni_failed", crash_reason(0)};
      if (status.reason == VIR_DOMAIN_PAUSED_IOERROR) {
        return {"geni_failed", "the node is paused after a disk I/O error"};
      }
      return {"geni_notready", "the node is paused"};
    case DomainState::kShutdown:
      return {"geni_stopping", ""};
    case DomainState::kCrashed:
      return {"geni_failed", crash_reason(status.reason)};
    case DomainState::kShutoff: {
      const std::string note = shutoff_note(status.reason);
      if (status.reason == VIR_DOMAIN_SHUTOFF_CRASHED || status.reason == VIR_DOMAIN_SHUTOFF_FAILED) {
        return {"geni_failed", note};
      }
      return {"geni_notready", note};
    }
    case DomainState::kPmSuspended:
      return {"geni_notready", "the guest suspended itself"};
    case DomainState::kUndefined:
      break;
  }
  return {"geni_failed", "the node does not exist on its host"};
}

std::string to_string(DomainState state) {
  switch (state) {
    case DomainState::kUndefined: return "undefined";
    case DomainState::kNoState: return "no state";
    case DomainState::kRunning: return "running";
    case DomainState::kBlocked: return "blocked";
    case DomainState::kPaused: return "paused";
    case DomainState::kShutdown: return "shutting down";
    case DomainState::kShutoff: return "shut off";
    case DomainState::kCrashed: return "crashed";
    case DomainState::kPmSuspended: return "suspended by the guest";
  }
  return "unknown";
}

}  // namespace federa::federation
