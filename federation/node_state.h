// What a node driver reports about one node, and the one table that turns it into the AM API v3
// operational state: booting -> geni_configuring, running with the guest up -> geni_ready,
// crashed -> geni_failed (the reason goes to geni_error), shut off -> geni_notready,
// shutting down -> geni_stopping. Paused nodes are geni_notready with a note saying so.
#pragma once

#include <string>

namespace federa::federation {

// libvirt's domain states (virDomainState), plus kUndefined for a node the driver does not know.
enum class DomainState {
  kUndefined,
  kNoState,
  kRunning,
  kBlocked,
  kPaused,
  kShutdown,  // shutting down
  kShutoff,
  kCrashed,
  kPmSuspended,
};

struct NodeStatus {
  DomainState state = DomainState::kUndefined;
  int reason = 0;            // libvirt's reason code for that state (virDomain*Reason)
  bool guest_ready = false;  // the guest finished booting (see LibvirtNodeDriver)
};

struct OperationalState {
  std::string name;   // geni_configuring, geni_ready, geni_failed, geni_notready, geni_stopping
  std::string error;  // geni_error: why it failed, or a note; empty otherwise
};

OperationalState operational_state(const NodeStatus& status);

// "running", "shut off", ... for messages.
std::string to_string(DomainState state);

}  // namespace federa::federation
