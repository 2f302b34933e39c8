#include "federation/usage.h"

namespace federa::federation {
namespace {

template <typename Map>
void drop_if_empty(Map& map, const std::string& key) {
  const auto it = map.find(key);
  if (it != map.end() && it->second == typename Map::mapped_type{}) map.erase(it);
}

// Applies one placement with sign +1 (add) or -1 (remove).
void apply(Usage& usage, const Placement& placement, int sign) {
  for (const NodePlacement& node : placement.nodes) {
    HostUsage& host = usage.hosts[node.host_urn];
    host.vcpus += sign * node.demand.vcpus;
    host.memory_mb += sign * node.demand.memory_mb;
    host.disk_gb += sign * node.demand.disk_gb;
    host.slivers += sign;
    host.exclusive_slivers += node.demand.exclusive ? sign : 0;
    drop_if_empty(usage.hosts, node.host_urn);
  }
  for (const LinkPlacement& link : placement.links) {
    if (link.host_a != link.host_b) {
      for (const std::string* host : {&link.host_a, &link.host_b}) {
        usage.hosts[*host].uplink_kbps += sign * link.capacity_kbps;
        drop_if_empty(usage.hosts, *host);
      }
    }
    for (const Hop& hop : link.hops) {
      if (hop.kind == HopKind::kHostLocal) continue;
      SegmentUsage& segment = usage.segments[hop.urn];
      if (hop.kind == HopKind::kInterSite) segment.bandwidth_kbps += sign * link.capacity_kbps;
      if (hop.vlan_tag) sign > 0 ? segment.tags.insert(*hop.vlan_tag) : segment.tags.erase(*hop.vlan_tag);
      drop_if_empty(usage.segments, hop.urn);
    }
  }
}

}  // namespace

void Usage::add(const Placement& placement) { apply(*this, placement, +1); }
void Usage::remove(const Placement& placement) { apply(*this, placement, -1); }

}  // namespace federa::federation
