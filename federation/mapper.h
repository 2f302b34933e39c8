// Embeds a virtual topology onto the substrate: a pure function of the inventory snapshot, the
// current usage, the request and the options, deterministic for a given seed. Nodes bound by
// component_id go to that host, nodes bound by component_manager_id to a host of that site,
// unbound nodes anywhere; every host capacity (vCPU, memory, disk, slots, sliver type, image,
// hardware type, uplink), every inter-site link's bandwidth and VLAN range, translation and
// latency limits are respected. Inter-site bandwidth is conserved first, then the objective
// (pack nodes onto few hosts, or spread them) decides among hosts.
//
// Algorithm: nodes are placed greedily, most-connected-to-already-placed first, on the site that
// minimises bandwidth x inter-site hops to placed neighbours (a new component goes to one site
// that can hold all of it); links are routed largest first; a link that cannot be routed is
// repaired by moving one of its movable ends; then a seeded local-search phase moves nodes closer
// to their neighbours while that lowers the inter-site cost. Strategy::kFirstFit is the plain
// first-fit/shortest-path baseline, kept to measure the mapper against.
#pragma once

#include "federation/inventory.h"
#include "federation/placement.h"
#include "federation/topology_request.h"
#include "federation/usage.h"

#include <cstdint>

namespace federa::federation {

enum class Objective { kPack, kSpread };
enum class Strategy { kLocalSearch, kFirstFit };

struct MapOptions {
  Objective objective = Objective::kPack;
  std::uint64_t seed = 1;
  Strategy strategy = Strategy::kLocalSearch;
  int improvement_passes = 2;
};

// A Placement, or a Refusal: BADARGS for a malformed request (unknown client_id, component or
// site), INSUFFICIENT_NODES, INSUFFICIENT_BANDWIDTH (also for latency limits) or VLAN_UNAVAILABLE,
// each naming the element and the constraint.
MapResult map_request(const Inventory& inventory, const Usage& usage,
                      const TopologyRequest& request, const MapOptions& options = {});

// The same, throwing the refusal as a GeniError.
Placement map_request_or_throw(const Inventory& inventory, const Usage& usage,
                               const TopologyRequest& request, const MapOptions& options = {});

}  // namespace federa::federation
