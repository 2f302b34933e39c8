#include "federation/placement.h"

#include <algorithm>

namespace federa::federation {

int LinkPlacement::inter_site_hops() const {
  return static_cast<int>(std::count_if(hops.begin(), hops.end(), [](const Hop& hop) {
    return hop.kind == HopKind::kInterSite;
  }));
}

double Placement::inter_site_cost() const {
  double cost = 0;
  for (const LinkPlacement& link : links) {
    cost += static_cast<double>(link.capacity_kbps) * link.inter_site_hops();
  }
  return cost;
}

std::string Refusal::message() const {
  return "cannot map '" + client_id + "': " + constraint;
}

}  // namespace federa::federation
