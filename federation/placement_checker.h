// An independent check of a mapper result, used by the tests and the benchmark: does the
// placement give every requested node and link exactly once, honour bindings and offers, keep
// every host, uplink and inter-site link within capacity on top of the prior usage, use only
// free tags from each segment's range (once per segment), change tags only where translation is
// allowed, honour suggested tags and latency limits, and form connected paths?
#pragma once

#include "federation/inventory.h"
#include "federation/placement.h"
#include "federation/topology_request.h"
#include "federation/usage.h"

#include <string>
#include <vector>

namespace federa::federation {

// Every violation found, in words; empty when the placement is valid.
std::vector<std::string> check_placement(const Inventory& inventory, const Usage& before,
                                         const TopologyRequest& request,
                                         const Placement& placement);

}  // namespace federa::federation
