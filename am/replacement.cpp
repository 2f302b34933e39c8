#include "am/replacement.h"

#include <set>

#include "common/geni_error.h"

namespace federa::am {

federation::Usage usage_except(const std::vector<SliverRecord>& all, const std::vector<SliverRecord>& placed) {
  std::set<std::string> skip;
  for (const SliverRecord& sliver : placed) skip.insert(sliver.urn);
  federation::Placement placement;
  for (const SliverRecord& sliver : all) {
    if (skip.contains(sliver.urn)) continue;
    if (sliver.node) placement.nodes.push_back(*sliver.node);
    if (sliver.link) placement.links.push_back(*sliver.link);
  }
  federation::Usage usage;
  usage.add(placement);
  return usage;
}

std::vector<SliverRecord> replace_nodes(const federation::Inventory& inventory, const federation::Usage& others,
                                        const std::vector<SliverRecord>& slivers,
                                        const std::map<std::string, std::string>& hosts,
                                        const federation::MapOptions& options) {
  federation::TopologyRequest request;
  std::vector<std::string> avoid;
  for (const SliverRecord& sliver : slivers) {
    if (!sliver.node) continue;
    federation::NodeRequest node{sliver.client_id, sliver.node->host_urn, "", "", "", "", sliver.node->demand};
    if (const auto moving = hosts.find(sliver.client_id); moving != hosts.end()) {
      node.component_id = moving->second;
      if (moving->second.empty()) avoid.push_back(sliver.node->host_urn);
    }
    request.nodes.push_back(std::move(node));
  }
  for (const SliverRecord& sliver : slivers) {
    if (!sliver.link) continue;
    request.links.push_back({sliver.client_id, sliver.link->node_a, sliver.link->node_b, sliver.link->capacity_kbps,
                             std::nullopt, std::nullopt});
  }
  // Drained hosts take no node that moves; one that stays where it is keeps its host.
  std::set<std::string> staying;
  for (const auto& node : request.nodes) {
    if (!hosts.contains(node.client_id)) staying.insert(node.component_id);
  }
  std::vector<std::string> drained = avoid;
  for (const federation::Host& host : inventory.hosts()) {
    if (host.drained && !staying.contains(host.urn)) drained.push_back(host.urn);
  }
  const federation::Placement placement =
      federation::map_request_or_throw(inventory.with_drained(drained), others, request, options);
  std::vector<SliverRecord> placed = slivers;
  for (SliverRecord& sliver : placed) {
    for (const auto& node : placement.nodes) {
      if (sliver.node && node.client_id == sliver.client_id) {
        sliver.node = node;
        sliver.component_id = node.host_urn;
        sliver.component_manager_id = node.site_urn;
      }
    }
    for (const auto& link : placement.links) {
      if (sliver.link && link.client_id == sliver.client_id) sliver.link = link;
    }
  }
  return placed;
}

}  // namespace federa::am
