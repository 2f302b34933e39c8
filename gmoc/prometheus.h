// Prometheus text exposition (format 0.0.4) of an aggregate's current state: one gauge family per
// metric of the catalogue (federa_<metric>{object_type,object_id}), plus slice and sliver counts
// by state (federa_slices{shutdown}, federa_slivers{allocation_state,operational_state}).
#pragma once

#include <string>
#include <vector>

#include "gmoc/ops_model.h"

namespace federa::gmoc {

std::string prometheus_text(const std::vector<Sample>& samples, const std::vector<Slice>& slices,
                            const std::vector<Sliver>& slivers);

}  // namespace federa::gmoc
