#include "federation/placement_checker.h"

#include <cmath>
#include <map>
#include <set>

namespace federa::federation {
namespace {

class Checker {
 public:
  Checker(const Inventory& inventory, const Usage& before, const TopologyRequest& request,
          const Placement& placement)
      : inventory_(inventory), before_(before), request_(request), placement_(placement) {}

  std::vector<std::string> run() {
    check_nodes();
    check_links();
    check_capacity();
    return violations_;
  }

 private:
  void fail(const std::string& what) { violations_.push_back(what); }

  void check_nodes() {
    std::map<std::string, const NodePlacement*> placed;
    for (const NodePlacement& node : placement_.nodes) {
      if (!placed.emplace(node.client_id, &node).second) fail(node.client_id + ": placed twice");
    }
    for (const NodeRequest& node : request_.nodes) {
      const auto it = placed.find(node.client_id);
      if (it == placed.end()) {
        fail(node.client_id + ": not placed");
        continue;
      }
      const NodePlacement& where = *it->second;
      const auto host_index = inventory_.find_host(where.host_urn);
      if (!host_index) {
        fail(node.client_id + ": unknown host " + where.host_urn);
        continue;
      }
      const Host& host = inventory_.hosts()[*host_index];
      host_of_[node.client_id] = *host_index;
      const std::string& site = inventory_.sites()[host.site].urn;
      if (where.site_urn != site) fail(node.client_id + ": site does not match its host");
      if (!node.component_id.empty() && node.component_id != host.urn) {
        fail(node.client_id + ": not on its bound host");
      }
      if (!node.component_manager_id.empty() && node.component_manager_id != site) {
        fail(node.client_id + ": not at its bound site");
      }
      if (!host.offers(node.sliver_type, node.image, node.hardware_type)) {
        fail(node.client_id + ": host does not offer what the node asks for");
      }
      if (host.drained) fail(node.client_id + ": placed on a drained host");
      if (!(where.demand == node.demand)) fail(node.client_id + ": demand differs from request");
    }
  }

  void check_links() {
    std::map<std::string, const LinkPlacement*> placed;
    for (const LinkPlacement& link : placement_.links) {
      if (!placed.emplace(link.client_id, &link).second) fail(link.client_id + ": placed twice");
    }
    for (const LinkRequest& link : request_.links) {
      const auto it = placed.find(link.client_id);
      if (it == placed.end()) {
        fail(link.client_id + ": not placed");
        continue;
      }
      check_link(link, *it->second);
    }
  }

  void check_link(const LinkRequest& request, const LinkPlacement& link) {
    const std::string& id = request.client_id;
    const auto a = host_of_.find(request.node_a);
    const auto b = host_of_.find(request.node_b);
    if (a == host_of_.end() || b == host_of_.end()) return fail(id + ": an end is not placed");
    const Host& host_a = inventory_.hosts()[a->second];
    const Host& host_b = inventory_.hosts()[b->second];
    if (link.host_a != host_a.urn || link.host_b != host_b.urn) {
      fail(id + ": end hosts differ from the node placements");
    }
    if (link.capacity_kbps != request.capacity_kbps) fail(id + ": capacity differs from request");
    if (a->second == b->second) {
      if (link.hops.size() != 1 || link.hops[0].kind != HopKind::kHostLocal) {
        fail(id + ": both ends share a host but the path is not host-local");
      }
      return;
    }
    check_path(request, link, host_a.site, host_b.site);
  }

  // Hops must be switch(site a), then (inter-site link, switch of the next site)*, ending at b.
  void check_path(const LinkRequest& request, const LinkPlacement& link, int from, int to) {
    const std::string& id = request.client_id;
    const auto& hops = link.hops;
    if (hops.empty() || hops.size() % 2 == 0) return fail(id + ": malformed path");
    int site = from;
    double latency = 0;
    for (std::size_t i = 0; i < hops.size(); ++i) {
      const Hop& hop = hops[i];
      if (!hop.vlan_tag) return fail(id + ": a hop has no VLAN tag");
      if (i % 2 == 0) {
        if (hop.kind != HopKind::kSiteSwitch || hop.urn != inventory_.sites()[site].urn) {
          return fail(id + ": hop " + std::to_string(i) + " is not the switch of the site reached");
        }
        use_tag(id, hop.urn, inventory_.sites()[site].site_switch.vlans, *hop.vlan_tag);
        continue;
      }
      const auto index = inventory_.find_link(hop.urn);
      if (hop.kind != HopKind::kInterSite || !index) return fail(id + ": unknown inter-site hop");
      const InterSiteLink& edge = inventory_.links()[*index];
      if (edge.site_a != site && edge.site_b != site) {
        return fail(id + ": inter-site link " + edge.name + " does not leave the site reached");
      }
      site = edge.other_end(site);
      latency += edge.latency_ms;
      use_tag(id, hop.urn, edge.vlans, *hop.vlan_tag);
    }
    if (site != to) fail(id + ": path does not end at the site of the far host");
    for (std::size_t i = 0; i + 1 < hops.size(); ++i) {
      if (*hops[i].vlan_tag != *hops[i + 1].vlan_tag && !translates(hops[i]) &&
          !translates(hops[i + 1])) {
        fail(id + ": tag changes between " + hops[i].urn + " and " + hops[i + 1].urn +
             " where translation is not allowed");
      }
    }
    if (request.vlan_tag && (*hops.front().vlan_tag != *request.vlan_tag ||
                             *hops.back().vlan_tag != *request.vlan_tag)) {
      fail(id + ": suggested VLAN tag not used at the ends");
    }
    if (std::abs(latency - link.latency_ms) > 1e-6) fail(id + ": reported latency is wrong");
    if (request.max_latency_ms && latency > *request.max_latency_ms + 1e-9) {
      fail(id + ": latency limit exceeded");
    }
  }

  bool translates(const Hop& hop) const {
    if (hop.kind == HopKind::kInterSite) {
      return inventory_.links()[*inventory_.find_link(hop.urn)].translation;
    }
    return inventory_.sites()[*inventory_.find_site(hop.urn)].site_switch.translation;
  }

  void use_tag(const std::string& id, const std::string& segment, const VlanSet& range, int tag) {
    if (!range.contains(tag)) fail(id + ": tag " + std::to_string(tag) + " outside " + segment);
    const auto used = before_.segments.find(segment);
    if (used != before_.segments.end() && used->second.tags.contains(tag)) {
      fail(id + ": tag " + std::to_string(tag) + " already reserved on " + segment);
    }
    if (!tags_taken_.insert({segment, tag}).second) {
      fail(id + ": tag " + std::to_string(tag) + " used twice on " + segment);
    }
  }

  void check_capacity() {
    Usage after = before_;
    after.add(placement_);
    std::set<std::string> touched_hosts;
    std::set<std::string> touched_links;
    for (const NodePlacement& node : placement_.nodes) touched_hosts.insert(node.host_urn);
    for (const LinkPlacement& link : placement_.links) {
      touched_hosts.insert(link.host_a);
      touched_hosts.insert(link.host_b);
      for (const Hop& hop : link.hops) {
        if (hop.kind == HopKind::kInterSite) touched_links.insert(hop.urn);
      }
    }
    for (const std::string& urn : touched_hosts) {
      const auto index = inventory_.find_host(urn);
      const auto used = after.hosts.find(urn);
      if (!index || used == after.hosts.end()) continue;
      const Host& host = inventory_.hosts()[*index];
      const HostUsage& u = used->second;
      if (u.vcpus > host.vcpus || u.memory_mb > host.memory_mb || u.disk_gb > host.disk_gb ||
          u.slivers > host.slots || u.uplink_kbps > host.uplink_kbps ||
          (u.exclusive_slivers > 0 && u.slivers > 1)) {
        fail(urn + ": host capacity exceeded");
      }
    }
    for (const std::string& urn : touched_links) {
      const auto used = after.segments.find(urn);
      const auto index = inventory_.find_link(urn);
      if (index && used != after.segments.end() &&
          used->second.bandwidth_kbps > inventory_.links()[*index].bandwidth_kbps) {
        fail(urn + ": inter-site bandwidth exceeded");
      }
    }
  }

  const Inventory& inventory_;
  const Usage& before_;
  const TopologyRequest& request_;
  const Placement& placement_;
  std::map<std::string, int> host_of_;
  std::set<std::pair<std::string, int>> tags_taken_;
  std::vector<std::string> violations_;
};

}  // namespace

std::vector<std::string> check_placement(const Inventory& inventory, const Usage& before,
                                         const TopologyRequest& request,
                                         const Placement& placement) {
  return Checker(inventory, before, request, placement).run();
}

}  // namespace federa::federation
