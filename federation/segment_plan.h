// From the mapper's LinkPlacement to the link driver's SegmentSpec. The VXLAN VNI is derived
// from the tag the mapper reserved, so two links share a VNI only if they share a reserved tag,
// which the mapper never allows:
//   path with an inter-site hop:  VNI = (1 + index of that inter-site link) * 4096 + its tag
//   otherwise (site switch hop):  VNI = 0x800000 + index of the site * 4096 + the site tag
// On a site-switch path with 802.1Q transport the site tag is the trunk's VLAN id. A host-local
// link is a bridge on one host and needs no tag.
#pragma once

#include "federation/inventory.h"
#include "federation/link_driver.h"
#include "federation/placement.h"

#include <map>
#include <string>

namespace federa::federation {

// `networks` maps host URN to its network; `site_transport` is how hosts of one site are
// joined (kVlan only where the kernel has it). Throws GeniError(kServerError) for a host with
// no network configuration, kBadArgs for a placement with no tag where one is needed.
SegmentSpec plan_segment(const std::string& slice_urn, const LinkPlacement& link,
                         const Inventory& inventory, const std::map<std::string, HostNetwork>& networks,
                         Transport site_transport = Transport::kVxlan);

}  // namespace federa::federation
