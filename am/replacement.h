// Placing a provisioned slice's nodes anew (live migration, drain-host): every node goes to the
// host given for it, or where the mapper puts it off its current host when none is given; the
// slice's links are routed again between the hosts that result, with the usage of every other
// slice and the drained hosts respected. Pure: the caller stores the result (slice_store::
// replace_placement) in the transaction that read its inputs. A node that stays keeps its host
// even if that host is drained; a node that moves never lands on a drained host.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "am/slice_store.h"
#include "federation/inventory.h"
#include "federation/mapper.h"
#include "federation/usage.h"

namespace federa::am {

// `hosts`: node client_id -> its host URN, "" = any host but its current one; nodes not named
// stay where they are. Returns the slice's slivers with their new placements (same URNs).
// Throws GeniError (the mapper's refusal: no host has room, no tag is free, ...).
std::vector<SliverRecord> replace_nodes(const federation::Inventory& inventory, const federation::Usage& others,
                                        const std::vector<SliverRecord>& slivers,
                                        const std::map<std::string, std::string>& hosts,
                                        const federation::MapOptions& options = {});

// The usage of every sliver of `all` but those of `placed` (the slivers being placed again).
federation::Usage usage_except(const std::vector<SliverRecord>& all, const std::vector<SliverRecord>& placed);

}  // namespace federa::am
