#include "snapshot/slice.h"

#include "common/geni_error.h"

namespace federa::snapshot {

std::string bridge_of(const SliceDescription& slice, const SlicePort& port) {
  for (const auto& link : slice.links) {
    if (link.link_id != port.link_id) continue;
    for (const auto& host : link.hosts) {
      if (host.netns == port.netns) return federation::LinkDriver::bridge_name(link, host);
    }
  }
  throw GeniError(GeniCode::kBadArgs, "port " + port.device + " names link '" + port.link_id +
                                          "', which does not reach namespace '" + port.netns + "' in slice " +
                                          slice.slice_urn);
}

}  // namespace federa::snapshot
