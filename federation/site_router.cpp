#include "federation/site_router.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

namespace federa::federation {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct Tree {
  std::vector<std::pair<double, double>> key;  // (primary, secondary) distance from the source
  std::vector<int> via_link;                   // the link used to reach each site, -1 at source
};

std::string kbps_text(std::int64_t kbps) { return std::to_string(kbps) + " kbps"; }

Refusal bandwidth_refusal(const LinkRequest& link, std::string constraint) {
  return Refusal{GeniCode::kInsufficientBandwidth, link.client_id, std::move(constraint)};
}

Refusal vlan_refusal(const LinkRequest& link, std::string constraint) {
  return Refusal{GeniCode::kVlanUnavailable, link.client_id, std::move(constraint)};
}

}  // namespace

SiteRouter::SiteRouter(const Inventory& inventory, Availability& free)
    : inventory_(inventory), free_(free), site_count_(static_cast<int>(inventory.sites().size())) {
  compute_distances();
}

SegmentAvailability& SiteRouter::segment(int index) {
  return index < site_count_ ? free_.site_switches[index] : free_.links[index - site_count_];
}
const SegmentAvailability& SiteRouter::segment(int index) const {
  return index < site_count_ ? free_.site_switches[index] : free_.links[index - site_count_];
}

std::string SiteRouter::segment_name(int index) const {
  return index < site_count_ ? "the switch of site '" + inventory_.sites()[index].name + "'"
                             : "inter-site link '" + inventory_.links()[index - site_count_].name +
                                   "'";
}

// Dijkstra over the site graph on links with `kbps` free and a free tag (and a free tag on the
// switch of every site passed through), ordered by (hops, latency) or (latency, hops).
// With need_tags false, tags are ignored (to tell a tag shortage from a bandwidth shortage).
static Tree grow_tree(const Inventory& inventory, const Availability& free, int source,
                      std::int64_t kbps, bool latency_first, const std::vector<bool>& excluded,
                      bool need_tags = true) {
  const std::size_t sites = inventory.sites().size();
  Tree tree{std::vector<std::pair<double, double>>(sites, {kInfinity, kInfinity}),
            std::vector<int>(sites, -1)};
  using Entry = std::pair<std::pair<double, double>, int>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  tree.key[source] = {0, 0};
  queue.push({tree.key[source], source});
  while (!queue.empty()) {
    const auto [key, site] = queue.top();
    queue.pop();
    if (key != tree.key[site]) continue;
    for (const int index : inventory.links_at(site)) {
      const InterSiteLink& link = inventory.links()[index];
      const SegmentAvailability& link_free = free.links[index];
      const int next = link.other_end(site);
      if (excluded[index] || link_free.bandwidth_kbps < kbps ||
          (need_tags && (link_free.vlans.empty() || free.site_switches[next].vlans.empty()))) {
        continue;
      }
      const auto step = latency_first ? std::pair(link.latency_ms, 1.0)
                                      : std::pair(1.0, link.latency_ms);
      const std::pair candidate(key.first + step.first, key.second + step.second);
      if (candidate < tree.key[next]) {
        tree.key[next] = candidate;
        tree.via_link[next] = index;
        queue.push({candidate, next});
      }
    }
  }
  return tree;
}

void SiteRouter::compute_distances() {
  const auto sites = static_cast<std::size_t>(site_count_);
  hops_.assign(sites * sites, kUnreachable);
  latency_.assign(sites * sites, kInfinity);
  const std::vector<bool> none(inventory_.links().size(), false);
  for (int source = 0; source < site_count_; ++source) {
    const Tree by_hops = grow_tree(inventory_, free_, source, 1, false, none);
    const Tree by_latency = grow_tree(inventory_, free_, source, 1, true, none);
    for (std::size_t to = 0; to < sites; ++to) {
      if (by_hops.key[to].first != kInfinity) {
        hops_[source * sites + to] = static_cast<int>(by_hops.key[to].first);
      }
      latency_[source * sites + to] = by_latency.key[to].first;
    }
  }
}

std::optional<SiteRouter::Path> SiteRouter::shortest_path(int from, int to, std::int64_t kbps,
                                                          bool latency_first,
                                                          const std::vector<bool>& excluded) const {
  const Tree tree = grow_tree(inventory_, free_, from, kbps, latency_first, excluded);
  if (tree.key[to].first == kInfinity) return std::nullopt;
  Path path;
  for (int site = to; site != from;) {
    const int index = tree.via_link[site];
    path.links.push_back(index);
    path.latency_ms += inventory_.links()[index].latency_ms;
    site = inventory_.links()[index].other_end(site);
  }
  std::reverse(path.links.begin(), path.links.end());
  return path;
}

std::int64_t SiteRouter::widest_path(int from, int to) const {
  std::vector<std::int64_t> width(inventory_.sites().size(), 0);
  std::priority_queue<std::pair<std::int64_t, int>> queue;
  width[from] = std::numeric_limits<std::int64_t>::max();
  queue.push({width[from], from});
  while (!queue.empty()) {
    const auto [best, site] = queue.top();
    queue.pop();
    if (best != width[site]) continue;
    for (const int index : inventory_.links_at(site)) {
      const int next = inventory_.links()[index].other_end(site);
      const std::int64_t through = std::min(best, free_.links[index].bandwidth_kbps);
      if (through > width[next]) {
        width[next] = through;
        queue.push({through, next});
      }
    }
  }
  return width[to];
}

Refusal SiteRouter::no_path_refusal(const LinkRequest& link, int from, int to,
                                    const std::string& between) const {
  const std::vector<bool> none(inventory_.links().size(), false);
  const Tree untagged = grow_tree(inventory_, free_, from, link.capacity_kbps, false, none, false);
  if (untagged.key[to].first != kInfinity) {
    std::string empty;
    for (int site = to; site != from;) {
      const int index = untagged.via_link[site];
      for (const int segment : {site_count_ + index, site}) {
        if (this->segment(segment).vlans.empty()) {
          empty += (empty.empty() ? "" : ", ") + segment_name(segment);
        }
      }
      site = inventory_.links()[index].other_end(site);
    }
    return vlan_refusal(link, "every path " + between +
                                  " with the bandwidth crosses a segment with no free VLAN tag (" +
                                  empty + ")");
  }
  const std::int64_t widest = widest_path(from, to);
  return bandwidth_refusal(link, "no inter-site path " + between + " has " +
                                     kbps_text(link.capacity_kbps) +
                                     " free on every link (the widest offers " +
                                     kbps_text(widest) + ")");
}

std::variant<Route, Refusal> SiteRouter::route(const LinkRequest& link, int host_a, int host_b) {
  if (host_a == host_b) return Route{host_a, host_b, link.capacity_kbps, 0, {}, {}, 0};
  for (const int host : {host_a, host_b}) {
    if (free_.hosts[host].uplink_kbps < link.capacity_kbps) {
      return bandwidth_refusal(link, "host '" + inventory_.hosts()[host].urn + "' has " +
                                         kbps_text(free_.hosts[host].uplink_kbps) +
                                         " free on its uplink; the link needs " +
                                         kbps_text(link.capacity_kbps));
    }
  }
  const int site_a = inventory_.hosts()[host_a].site;
  if (site_a != inventory_.hosts()[host_b].site) return route_across_sites(link, host_a, host_b);
  Route route{host_a, host_b, link.capacity_kbps, 0, {site_a}, {}, 0};
  int blocking = -1;
  if (auto refusal = assign_tags(link, route, blocking)) return *refusal;
  take(route);
  return route;
}

std::variant<Route, Refusal> SiteRouter::route_across_sites(const LinkRequest& link, int host_a,
                                                            int host_b) {
  const int from = inventory_.hosts()[host_a].site;
  const int to = inventory_.hosts()[host_b].site;
  const std::string between = "between site '" + inventory_.sites()[from].name + "' and site '" +
                              inventory_.sites()[to].name + "'";
  std::vector<bool> excluded(inventory_.links().size(), false);
  std::optional<Refusal> vlan_failure;
  constexpr int kAttempts = 6;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto path = shortest_path(from, to, link.capacity_kbps, false, excluded);
    if (path && link.max_latency_ms && path->latency_ms > *link.max_latency_ms) {
      path = shortest_path(from, to, link.capacity_kbps, true, excluded);
    }
    if (!path && vlan_failure) return *vlan_failure;
    if (!path) return no_path_refusal(link, from, to, between);
    if (link.max_latency_ms && path->latency_ms > *link.max_latency_ms) {
      if (vlan_failure) return *vlan_failure;
      return bandwidth_refusal(link, "the lowest-latency path " + between + " with " +
                                         kbps_text(link.capacity_kbps) + " free takes " +
                                         std::to_string(path->latency_ms) +
                                         " ms; the link allows " +
                                         std::to_string(*link.max_latency_ms) + " ms");
    }
    Route route{host_a, host_b, link.capacity_kbps, path->latency_ms, {from}, {}, 0};
    int site = from;
    for (const int index : path->links) {
      site = inventory_.links()[index].other_end(site);
      route.segments.push_back(site_count_ + index);
      route.segments.push_back(site);
    }
    route.inter_site_hops = static_cast<int>(path->links.size());
    int blocking = -1;
    vlan_failure = assign_tags(link, route, blocking);
    if (!vlan_failure) {
      take(route);
      return route;
    }
    // Avoid the link at (or just before) the segment that ran out of tags, and try again.
    const auto position = std::find(route.segments.begin(), route.segments.end(), blocking);
    const int avoid = blocking >= site_count_ ? blocking
                      : position == route.segments.begin() ? -1
                                                           : *std::prev(position);
    if (avoid < 0 || blocking == to) return *vlan_failure;
    excluded[avoid - site_count_] = true;
  }
  return *vlan_failure;
}

std::optional<Refusal> SiteRouter::assign_tags(const LinkRequest& link, Route& route,
                                               int& blocking_segment) const {
  const auto translates = [&](int index) {
    return index < site_count_ ? inventory_.sites()[index].site_switch.translation
                               : inventory_.links()[index - site_count_].translation;
  };
  const std::size_t count = route.segments.size();
  route.tags.assign(count, 0);
  for (std::size_t begin = 0; begin < count;) {
    std::size_t end = begin + 1;
    while (end < count && !translates(route.segments[end - 1]) && !translates(route.segments[end])) {
      ++end;
    }
    const bool wants_tag = link.vlan_tag && (begin == 0 || end == count);
    const int wanted = link.vlan_tag.value_or(0);
    VlanSet common = segment(route.segments[begin]).vlans;
    std::string names;
    std::string free_text;
    for (std::size_t i = begin; i < end; ++i) {
      const int index = route.segments[i];
      const VlanSet& free = segment(index).vlans;
      if (wants_tag && !free.contains(wanted)) {
        blocking_segment = index;
        return vlan_refusal(link, "suggested VLAN tag " + std::to_string(wanted) +
                                      " is not free on " + segment_name(index) + " (free there: " +
                                      (free.empty() ? "none" : free.format()) + ")");
      }
      common = common.intersect(free);
      names += (names.empty() ? "" : ", ") + segment_name(index);
      free_text += (free_text.empty() ? "" : "; ") + (free.empty() ? "none" : free.format());
      if (common.empty()) {
        blocking_segment = index;
        return vlan_refusal(link, "no VLAN tag is free on all of " + names + " (free: " +
                                      free_text + ") and tags cannot be translated between them");
      }
    }
    const int tag = wants_tag ? wanted : *common.lowest();
    std::fill(route.tags.begin() + static_cast<std::ptrdiff_t>(begin),
              route.tags.begin() + static_cast<std::ptrdiff_t>(end), tag);
    begin = end;
  }
  return std::nullopt;
}

void SiteRouter::take(const Route& route) {
  if (route.host_a == route.host_b) return;
  free_.hosts[route.host_a].uplink_kbps -= route.kbps;
  free_.hosts[route.host_b].uplink_kbps -= route.kbps;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    SegmentAvailability& free = segment(route.segments[i]);
    if (route.segments[i] >= site_count_) free.bandwidth_kbps -= route.kbps;
    free.vlans.erase(route.tags[i]);
  }
}

void SiteRouter::give_back(const Route& route) {
  if (route.host_a == route.host_b) return;
  free_.hosts[route.host_a].uplink_kbps += route.kbps;
  free_.hosts[route.host_b].uplink_kbps += route.kbps;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    SegmentAvailability& free = segment(route.segments[i]);
    if (route.segments[i] >= site_count_) free.bandwidth_kbps += route.kbps;
    free.vlans.insert(route.tags[i]);
  }
}

LinkPlacement SiteRouter::describe(const Route& route, const LinkRequest& link) const {
  LinkPlacement placement{link.client_id,
                          link.node_a,
                          link.node_b,
                          inventory_.hosts()[route.host_a].urn,
                          inventory_.hosts()[route.host_b].urn,
                          route.kbps,
                          route.latency_ms,
                          {}};
  if (route.host_a == route.host_b) {
    placement.hops.push_back({HopKind::kHostLocal, placement.host_a, std::nullopt});
  }
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const int index = route.segments[i];
    placement.hops.push_back(index < site_count_
                                 ? Hop{HopKind::kSiteSwitch, inventory_.sites()[index].urn,
                                       route.tags[i]}
                                 : Hop{HopKind::kInterSite,
                                       inventory_.links()[index - site_count_].urn, route.tags[i]});
  }
  return placement;
}

}  // namespace federa::federation
