// The startup sweep: removes whatever a crash left behind on a host, i.e. every libvirt domain,
// network device and nftables cut table named by federa's scheme (backend_names.h), and
// nothing else. Run it before the AM takes requests, with the AM's own store empty of live
// slivers for this host (a sliver the store still knows must be re-provisioned, not swept).
#pragma once

#include "federation/node_driver.h"

#include <string>

namespace federa::federation {

struct SweepReport {
  int nodes = 0;    // domains destroyed (disks and seeds removed)
  int devices = 0;  // bridges, VXLAN/VLAN ports, veths, taps deleted
  int tables = 0;   // nftables tables deleted
};

// Destroys every federa node on the driver's host (their taps go with them).
int sweep_nodes(NodeDriver& driver);

// Sweeps nodes through `driver` (may be null for a host that runs no VMs), then devices and
// tables in `netns` ("" = the host's own namespace).
SweepReport sweep_host(NodeDriver* driver, const std::string& netns);

}  // namespace federa::federation
