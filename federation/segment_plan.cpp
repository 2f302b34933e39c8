#include "federation/segment_plan.h"

#include "common/geni_error.h"

#include <algorithm>

namespace federa::federation {
namespace {

constexpr int kTagSpace = 4096;
constexpr int kSiteVniBase = 0x800000;

const HostNetwork& network_of(const std::map<std::string, HostNetwork>& networks, const std::string& host) {
  const auto it = networks.find(host);
  if (it == networks.end()) {
    throw GeniError(GeniCode::kServerError, "host " + host + " has no network configuration");
  }
  return it->second;
}

const Hop& tagged_hop(const LinkPlacement& link, HopKind kind) {
  const auto it = std::find_if(link.hops.begin(), link.hops.end(),
                               [&](const Hop& hop) { return hop.kind == kind && hop.vlan_tag; });
  if (it == link.hops.end()) {
    throw GeniError(GeniCode::kBadArgs, "link " + link.client_id + " crosses hosts but has no VLAN tag");
  }
  return *it;
}

int index_of(std::optional<int> index, const std::string& urn) {
  if (!index) throw GeniError(GeniCode::kServerError, "the placement names " + urn + ", not in the inventory");
  return *index;
}

}  // namespace

SegmentSpec plan_segment(const std::string& slice_urn, const LinkPlacement& link,
                         const Inventory& inventory, const std::map<std::string, HostNetwork>& networks,
                         Transport site_transport) {
  SegmentSpec segment;
  segment.slice_urn = slice_urn;
  segment.link_id = link.client_id;
  segment.hosts.push_back(network_of(networks, link.host_a));
  if (link.host_a == link.host_b) return segment;
  segment.hosts.push_back(network_of(networks, link.host_b));
  if (link.inter_site_hops() > 0) {
    const Hop& hop = tagged_hop(link, HopKind::kInterSite);
    const int index = index_of(inventory.find_link(hop.urn), hop.urn);
    segment.vni = (1 + index) * kTagSpace + *hop.vlan_tag;
    return segment;
  }
  const Hop& hop = tagged_hop(link, HopKind::kSiteSwitch);
  const int site = index_of(inventory.find_site(hop.urn), hop.urn);
  segment.transport = site_transport;
  segment.vni = kSiteVniBase + site * kTagSpace + *hop.vlan_tag;
  segment.vlan_tag = *hop.vlan_tag;
  return segment;
}

}  // namespace federa::federation
