// Translation between RSpec documents and the AM's model: which nodes and links of a request
// are this aggregate's and what they ask of the mapper; the manifest filled from the slivers;
// the advertisement from the inventory and what is free now.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "am/backend_plan.h"
#include "am/slice_store.h"
#include "federation/availability.h"
#include "federation/inventory.h"
#include "federation/topology_request.h"
#include "rspec/model.h"

namespace federa::am {

// The part of `request` for this aggregate: nodes whose component_manager_id is empty, the
// aggregate's URN or one of its sites; links whose every end is such a node (a LAN becomes one
// link per pair of ends). Throws GeniError(BADARGS) for a request with nothing for us.
federation::TopologyRequest topology_of(const rspec::RSpec& request, const federation::Inventory& inventory,
                                        const std::string& aggregate_urn);

// The requests' nodes and links that have slivers, with sliver ids, components, VLAN tags, the
// slice's users, each node's login (once the backend reports one) and the MAC and address of
// each interface the backend gives a port (`ports`: node client_id -> its ports).
rspec::RSpec manifest_of(const std::vector<rspec::RSpec>& requests, const std::vector<SliverRecord>& slivers,
                         const std::vector<SliceUser>& users,
                         const std::map<std::string, std::vector<PlannedPort>>& ports = {});

rspec::RSpec advertisement_of(const federation::Inventory& inventory, const federation::Availability& free,
                              const std::string& aggregate_urn, bool available_only);

}  // namespace federa::am
