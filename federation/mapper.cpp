#include "federation/mapper.h"

#include "federation/availability.h"
#include "federation/site_router.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <queue>
#include <unordered_map>

namespace federa::federation {
namespace {

constexpr double kFarAway = 1e15;           // cost of a site the neighbour cannot reach in time
constexpr double kIntraSiteWeight = 0.01;   // uplink use, relative to one inter-site hop
constexpr int kRepairCandidates = 4;

// splitmix64: a small generator whose sequence is the same on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

double weight(const LinkRequest& link) {
  return static_cast<double>(std::max<std::int64_t>(link.capacity_kbps, 1));
}

std::string offer_text(const NodeRequest& node) {
  std::string text;
  const auto add = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) text += (text.empty() ? "" : ", ") + std::string(label) + " '" + value + "'";
  };
  add("sliver type", node.sliver_type);
  add("image", node.image);
  add("hardware type", node.hardware_type);
  return text.empty() ? "any sliver" : text;
}

std::string demand_text(const NodeDemand& demand) {
  return std::to_string(demand.vcpus) + " vCPUs, " + std::to_string(demand.memory_mb) +
         " MB memory, " + std::to_string(demand.disk_gb) + " GB disk and " +
         (demand.exclusive ? "a whole empty host" : "a free slot");
}

class Embedding {
 public:
  Embedding(const Inventory& inventory, const Usage& usage, const TopologyRequest& request,
            const MapOptions& options)
      : inventory_(inventory),
        request_(request),
        options_(options),
        free_(availability(inventory, usage)),
        router_(inventory, free_),
        rng_(options.seed) {}

  MapResult run() {
    if (auto refusal = resolve()) return *refusal;
    if (auto refusal = place_nodes()) return *refusal;
    if (auto refusal = route_links()) return *refusal;
    if (local_search()) improve();
    return result();
  }

 private:
  bool local_search() const { return options_.strategy == Strategy::kLocalSearch; }
  bool movable(int node) const { return bound_host_[node] < 0; }
  int site_of(int node) const { return inventory_.hosts()[host_of_[node]].site; }
  int other_end(int link, int node) const {
    return ends_[link].first == node ? ends_[link].second : ends_[link].first;
  }
  const NodeDemand& demand(int node) const { return request_.nodes[node].demand; }

  // ---- request resolution ------------------------------------------------------------------
  std::optional<Refusal> resolve() {
    const int nodes = static_cast<int>(request_.nodes.size());
    std::unordered_map<std::string, int> by_client_id;
    bound_host_.assign(nodes, -1);
    bound_site_.assign(nodes, -1);
    compatible_.assign(nodes, nullptr);
    host_of_.assign(nodes, -1);
    links_of_.assign(nodes, {});
    for (int v = 0; v < nodes; ++v) {
      const NodeRequest& node = request_.nodes[v];
      if (node.client_id.empty() || !by_client_id.emplace(node.client_id, v).second) {
        return Refusal{GeniCode::kBadArgs, node.client_id,
                       "every node needs a client_id that no other node uses"};
      }
      if (auto refusal = resolve_node(v)) return refusal;
    }
    for (const LinkRequest& link : request_.links) {
      const auto a = by_client_id.find(link.node_a);
      const auto b = by_client_id.find(link.node_b);
      if (a == by_client_id.end() || b == by_client_id.end() || a->second == b->second) {
        return Refusal{GeniCode::kBadArgs, link.client_id,
                       "a link must join two different nodes of the request (got '" +
                           link.node_a + "' and '" + link.node_b + "')"};
      }
      if (link.capacity_kbps < 0 ||
          (link.vlan_tag && (*link.vlan_tag < VlanSet::kMinTag || *link.vlan_tag > VlanSet::kMaxTag))) {
        return Refusal{GeniCode::kBadArgs, link.client_id,
                       "capacity must be >= 0 kbps and a suggested VLAN tag within 1-4094"};
      }
      links_of_[a->second].push_back(static_cast<int>(ends_.size()));
      links_of_[b->second].push_back(static_cast<int>(ends_.size()));
      ends_.emplace_back(a->second, b->second);
    }
    routes_.assign(request_.links.size(), std::nullopt);
    label_components();
    return std::nullopt;
  }

  std::optional<Refusal> resolve_node(int v) {
    const NodeRequest& node = request_.nodes[v];
    if (!node.component_manager_id.empty()) {
      const auto site = inventory_.find_site(node.component_manager_id);
      if (!site) {
        return Refusal{GeniCode::kBadArgs, node.client_id,
                       "component_manager_id '" + node.component_manager_id +
                           "' is not a site of this aggregate"};
      }
      bound_site_[v] = *site;
    }
    if (!node.component_id.empty()) {
      const auto host = inventory_.find_host(node.component_id);
      if (!host || (bound_site_[v] >= 0 && inventory_.hosts()[*host].site != bound_site_[v])) {
        return Refusal{GeniCode::kBadArgs, node.client_id,
                       "component_id '" + node.component_id + "' is not a host of " +
                           (host ? "site '" + node.component_manager_id + "'" : "this aggregate")};
      }
      bound_host_[v] = *host;
      bound_site_[v] = inventory_.hosts()[*host].site;
    }
    compatible_[v] = &compatible_hosts(node);
    if (bound_host_[v] >= 0) {
      const Host& host = inventory_.hosts()[bound_host_[v]];
      if (host.drained) {
        return Refusal{GeniCode::kInsufficientNodes, node.client_id,
                       "host '" + host.urn + "' is drained for maintenance"};
      }
      if (!host.offers(node.sliver_type, node.image, node.hardware_type)) {
        return Refusal{GeniCode::kInsufficientNodes, node.client_id,
                       "host '" + host.urn + "' does not offer " + offer_text(node)};
      }
      return std::nullopt;
    }
    const auto& per_site = *compatible_[v];
    const bool any = bound_site_[v] >= 0
                         ? !per_site[bound_site_[v]].empty()
                         : std::any_of(per_site.begin(), per_site.end(),
                                       [](const auto& hosts) { return !hosts.empty(); });
    if (!any) {
      return Refusal{GeniCode::kInsufficientNodes, node.client_id,
                     "no host in service " + where(v) + " offers " + offer_text(node)};
    }
    return std::nullopt;
  }

  std::string where(int v) const {
    return bound_site_[v] >= 0 ? "at site '" + inventory_.sites()[bound_site_[v]].name + "'"
                               : "at this aggregate";
  }

  // Hosts in service offering what the node asks for, per site (shared by identical requests).
  const std::vector<std::vector<int>>& compatible_hosts(const NodeRequest& node) {
    const std::string key = node.sliver_type + '\n' + node.image + '\n' + node.hardware_type;
    auto [it, inserted] = compatible_cache_.try_emplace(key);
    if (inserted) {
      it->second.assign(inventory_.sites().size(), {});
      for (std::size_t h = 0; h < inventory_.hosts().size(); ++h) {
        const Host& host = inventory_.hosts()[h];
        if (!host.drained && host.offers(node.sliver_type, node.image, node.hardware_type)) {
          it->second[host.site].push_back(static_cast<int>(h));
        }
      }
    }
    return it->second;
  }

  void label_components() {
    const int nodes = static_cast<int>(request_.nodes.size());
    component_.assign(nodes, -1);
    for (int start = 0; start < nodes; ++start) {
      if (component_[start] >= 0) continue;
      const int label = static_cast<int>(component_demand_.size());
      component_demand_.push_back({0, 0, 0, false});
      std::vector<int> stack{start};
      component_[start] = label;
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        add_demand(component_demand_[label], demand(v), +1);
        for (const int link : links_of_[v]) {
          const int u = other_end(link, v);
          if (component_[u] < 0) {
            component_[u] = label;
            stack.push_back(u);
          }
        }
      }
    }
    site_free_.assign(inventory_.sites().size(), {0, 0, 0, false});
    for (std::size_t h = 0; h < inventory_.hosts().size(); ++h) {
      const HostAvailability& free = free_.hosts[h];
      if (free.available) {
        add_demand(site_free_[inventory_.hosts()[h].site], {free.vcpus, free.memory_mb, free.disk_gb},
                   +1);
      }
    }
  }

  static void add_demand(NodeDemand& total, const NodeDemand& part, int sign) {
    total.vcpus += sign * part.vcpus;
    total.memory_mb += sign * part.memory_mb;
    total.disk_gb += sign * part.disk_gb;
  }

  // ---- node placement ----------------------------------------------------------------------
  std::optional<Refusal> place_nodes() {
    for (const int v : placement_order()) {
      const int host = choose_host(v);
      if (host < 0) return node_refusal(v);
      take_node(v, host);
    }
    return std::nullopt;
  }

  // Bound nodes, then site-bound ones, then the unbound node with the most bandwidth to nodes
  // already placed (ties broken by a seeded random key), as in greedy VNE node ranking.
  std::vector<int> placement_order() {
    const int nodes = static_cast<int>(request_.nodes.size());
    std::vector<int> order;
    if (!local_search()) {
      order.resize(nodes);
      std::iota(order.begin(), order.end(), 0);
      return order;
    }
    for (int v = 0; v < nodes; ++v) if (bound_host_[v] >= 0) order.push_back(v);
    for (int v = 0; v < nodes; ++v) if (bound_host_[v] < 0 && bound_site_[v] >= 0) order.push_back(v);
    std::vector<double> connection(nodes, 0);
    std::vector<bool> queued(nodes, false);
    for (const int v : order) queued[v] = true;
    using Entry = std::tuple<double, std::uint64_t, int>;
    std::priority_queue<Entry> queue;
    const auto connect = [&](int v) {
      for (const int link : links_of_[v]) {
        const int u = other_end(link, v);
        if (queued[u]) continue;
        connection[u] += weight(request_.links[link]);
        queue.emplace(connection[u], rng_.next(), u);
      }
    };
    for (const int v : order) connect(v);
    for (int v = 0; v < nodes; ++v) if (!queued[v]) queue.emplace(0.0, rng_.next(), v);
    while (!queue.empty()) {
      const auto [strength, key, v] = queue.top();
      queue.pop();
      if (queued[v] || strength != connection[v]) continue;
      queued[v] = true;
      order.push_back(v);
      connect(v);
    }
    return order;
  }

  int choose_host(int v) {
    if (bound_host_[v] >= 0) return fits(v, bound_host_[v]) ? bound_host_[v] : -1;
    const auto& per_site = *compatible_[v];
    if (!local_search()) {
      for (std::size_t s = 0; s < per_site.size(); ++s) {
        if (bound_site_[v] >= 0 && bound_site_[v] != static_cast<int>(s)) continue;
        for (const int h : per_site[s]) if (fits(v, h)) return h;
      }
      return -1;
    }
    if (bound_site_[v] >= 0) return host_in_site(v, bound_site_[v]);
    for (const int site : sites_by_preference(v)) {
      const int host = host_in_site(v, site);
      if (host >= 0) return host;
    }
    return -1;
  }

  // Sites with a compatible host, cheapest first: bandwidth x inter-site hops to placed
  // neighbours, then the objective's preference.
  std::vector<int> sites_by_preference(int v) const {
    const auto& per_site = *compatible_[v];
    std::vector<std::pair<std::pair<double, double>, int>> ranked;
    for (std::size_t s = 0; s < per_site.size(); ++s) {
      if (per_site[s].empty()) continue;
      const int site = static_cast<int>(s);
      ranked.push_back({{cut_cost(v, site), objective_key(v, site)}, site});
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<int> sites;
    for (const auto& entry : ranked) sites.push_back(entry.second);
    return sites;
  }

  double cut_cost(int v, int site) const {
    double cost = 0;
    for (const int link : links_of_[v]) {
      const int u = other_end(link, v);
      if (host_of_[u] < 0) continue;
      const LinkRequest& request = request_.links[link];
      const int hops = router_.hops_between(site_of(u), site);
      const bool too_slow = request.max_latency_ms &&
                            router_.latency_between(site_of(u), site) > *request.max_latency_ms;
      cost += hops == SiteRouter::kUnreachable || too_slow ? kFarAway : weight(request) * hops;
    }
    return cost;
  }

  // Lower is better. Pack: the fullest site that still holds the rest of the node's component,
  // else the emptiest; spread: the emptiest.
  double objective_key(int v, int site) const {
    const NodeDemand& free = site_free_[site];
    if (options_.objective == Objective::kSpread) return -static_cast<double>(free.vcpus);
    const NodeDemand& rest = component_demand_[component_[v]];
    const bool holds_all = free.vcpus >= rest.vcpus && free.memory_mb >= rest.memory_mb &&
                           free.disk_gb >= rest.disk_gb;
    return holds_all ? free.vcpus : 1e12 - free.vcpus;
  }

  bool fits(int v, int host) const {
    return free_.hosts[host].fits(demand(v), inventory_.hosts()[host]);
  }

  // Pack: a neighbour's host if it fits (a host-local link), else the tightest fit; spread: the
  // host with the most free vCPUs.
  int host_in_site(int v, int site) const {
    if (options_.objective == Objective::kPack) {
      const int neighbour_host = best_neighbour_host(v, site);
      if (neighbour_host >= 0) return neighbour_host;
    }
    int best = -1;
    std::pair<std::int64_t, std::int64_t> best_key{};
    for (const int h : (*compatible_[v])[site]) {
      if (!fits(v, h)) continue;
      const HostAvailability& free = free_.hosts[h];
      const std::pair<std::int64_t, std::int64_t> key =
          options_.objective == Objective::kPack ? std::pair(free.vcpus, free.memory_mb)
                                                 : std::pair(-free.vcpus, -free.memory_mb);
      if (best < 0 || key < best_key) {
        best = h;
        best_key = key;
      }
    }
    return best;
  }

  int best_neighbour_host(int v, int site) const {
    std::map<int, double> bandwidth_to;
    for (const int link : links_of_[v]) {
      const int u = other_end(link, v);
      const int host = host_of_[u];
      if (host >= 0 && inventory_.hosts()[host].site == site && host != host_of_[v]) {
        bandwidth_to[host] += weight(request_.links[link]);
      }
    }
    int best = -1;
    for (const auto& [host, bandwidth] : bandwidth_to) {
      const auto& compatible = (*compatible_[v])[site];
      const bool offered = std::binary_search(compatible.begin(), compatible.end(), host);
      if (offered && fits(v, host) && (best < 0 || bandwidth > bandwidth_to[best])) best = host;
    }
    return best;
  }

  void take_node(int v, int host) {
    free_.hosts[host].take(demand(v));
    add_demand(site_free_[inventory_.hosts()[host].site], demand(v), -1);
    add_demand(component_demand_[component_[v]], demand(v), -1);
    host_of_[v] = host;
  }

  void give_back_node(int v) {
    const int host = host_of_[v];
    free_.hosts[host].give_back(demand(v), inventory_.hosts()[host]);
    add_demand(site_free_[inventory_.hosts()[host].site], demand(v), +1);
    add_demand(component_demand_[component_[v]], demand(v), +1);
    host_of_[v] = -1;
  }

  Refusal node_refusal(int v) const {
    const NodeRequest& node = request_.nodes[v];
    if (bound_host_[v] >= 0) {
      const HostAvailability& free = free_.hosts[bound_host_[v]];
      return Refusal{GeniCode::kInsufficientNodes, node.client_id,
                     "host '" + node.component_id + "' cannot take " + demand_text(node.demand) +
                         ": it has " + free_text(free)};
    }
    HostAvailability most;
    int candidates = 0;
    for (std::size_t s = 0; s < compatible_[v]->size(); ++s) {
      if (bound_site_[v] >= 0 && bound_site_[v] != static_cast<int>(s)) continue;
      for (const int h : (*compatible_[v])[s]) {
        const HostAvailability& free = free_.hosts[h];
        ++candidates;
        most.vcpus = std::max(most.vcpus, free.vcpus);
        most.memory_mb = std::max(most.memory_mb, free.memory_mb);
        most.disk_gb = std::max(most.disk_gb, free.disk_gb);
        most.slots += free.available ? 1 : 0;
      }
    }
    return Refusal{GeniCode::kInsufficientNodes, node.client_id,
                   "no host " + where(v) + " offering " + offer_text(node) + " has " +
                       demand_text(node.demand) + " free; of " + std::to_string(candidates) +
                       " such hosts " + std::to_string(most.slots) +
                       " can take a sliver, and the most free on any is " +
                       std::to_string(most.vcpus) + " vCPUs, " + std::to_string(most.memory_mb) +
                       " MB memory, " + std::to_string(most.disk_gb) + " GB disk"};
  }

  static std::string free_text(const HostAvailability& free) {
    return std::to_string(free.vcpus) + " vCPUs, " + std::to_string(free.memory_mb) +
           " MB memory, " + std::to_string(free.disk_gb) + " GB disk and " +
           std::to_string(free.slots) + " slots free" +
           (free.available ? "" : ", and takes no new sliver now");
  }

  // ---- links ---------------------------------------------------------------------------------
  std::optional<Refusal> route_links() {
    std::vector<int> order(request_.links.size());
    std::iota(order.begin(), order.end(), 0);
    if (local_search()) {
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return request_.links[a].capacity_kbps > request_.links[b].capacity_kbps;
      });
    }
    repairs_left_ = std::max<int>(16, static_cast<int>(order.size()) / 4);
    for (const int link : order) {
      auto routed = route_link(link);
      if (std::holds_alternative<Route>(routed)) {
        routes_[link] = std::get<Route>(std::move(routed));
      } else if (!local_search() || !repair(link)) {
        return std::get<Refusal>(routed);
      }
    }
    return std::nullopt;
  }

  std::variant<Route, Refusal> route_link(int link) {
    return router_.route(request_.links[link], host_of_[ends_[link].first],
                         host_of_[ends_[link].second]);
  }

  double route_cost(int link) const {
    const Route& route = *routes_[link];
    const double intra = options_.objective == Objective::kPack && route.host_a != route.host_b
                             ? kIntraSiteWeight
                             : 0;
    return weight(request_.links[link]) * (route.inter_site_hops + intra);
  }

  double node_cost(int v) const {
    double cost = 0;
    for (const int link : links_of_[v]) if (routes_[link]) cost += route_cost(link);
    return cost;
  }

  // Moves one movable end of an unroutable link next to (or nearer) the other end, within its
  // bound site if it has one.
  bool repair(int link) {
    if (repairs_left_-- <= 0) return false;
    for (const int v : {ends_[link].first, ends_[link].second}) {
      if (!movable(v)) continue;
      const int anchor = other_end(link, v);
      const bool may_join = bound_site_[v] < 0 || bound_site_[v] == site_of(anchor);
      const int site = may_join ? site_of(anchor) : bound_site_[v];
      std::vector<int> candidates;
      if (may_join) candidates.push_back(host_of_[anchor]);
      for (const int h : (*compatible_[v])[site]) {
        if (static_cast<int>(candidates.size()) > kRepairCandidates) break;
        if (h != host_of_[anchor] && h != host_of_[v] && fits(v, h)) candidates.push_back(h);
      }
      if (bound_site_[v] < 0) append_best_sites(v, candidates);
      if (relocate(v, candidates, link, [](double, double) { return true; })) return true;
    }
    return false;
  }

  void append_best_sites(int v, std::vector<int>& candidates) const {
    int added = 0;
    for (const int site : sites_by_preference(v)) {
      if (added == kRepairCandidates) break;
      if (site == site_of(v)) continue;
      const int host = host_in_site(v, site);
      if (host >= 0) {
        candidates.push_back(host);
        ++added;
      }
    }
  }

  // Tries `v` on each candidate host with all its routed links (plus `extra_link`, if >= 0)
  // re-routed; keeps the first move `accept(old_cost, new_cost)` approves, else restores.
  template <typename Accept>
  bool relocate(int v, const std::vector<int>& candidates, int extra_link, Accept accept) {
    const int old_host = host_of_[v];
    const double old_cost = node_cost(v);
    std::vector<int> moved;
    std::vector<Route> old_routes;
    for (const int link : links_of_[v]) {
      if (!routes_[link]) continue;
      moved.push_back(link);
      old_routes.push_back(*routes_[link]);
      router_.give_back(*routes_[link]);
      routes_[link].reset();
    }
    if (extra_link >= 0) moved.push_back(extra_link);
    give_back_node(v);
    for (const int host : candidates) {
      if (host == old_host || !fits(v, host)) continue;
      take_node(v, host);
      if (route_all(moved) && accept(old_cost, node_cost(v))) return true;
      for (const int link : moved) {
        if (routes_[link]) router_.give_back(*routes_[link]);
        routes_[link].reset();
      }
      give_back_node(v);
    }
    take_node(v, old_host);
    for (std::size_t i = 0; i < old_routes.size(); ++i) {
      router_.take(old_routes[i]);
      routes_[moved[i]] = old_routes[i];
    }
    return false;
  }

  bool route_all(const std::vector<int>& links) {
    for (const int link : links) {
      auto routed = route_link(link);
      if (!std::holds_alternative<Route>(routed)) return false;
      routes_[link] = std::get<Route>(std::move(routed));
    }
    return true;
  }

  // Seeded local search: visit movable nodes in random order and move each to the host that
  // lowers its links' cost, while any move helps.
  void improve() {
    std::vector<int> nodes;
    for (int v = 0; v < static_cast<int>(request_.nodes.size()); ++v) {
      if (movable(v)) nodes.push_back(v);
    }
    for (int pass = 0; pass < options_.improvement_passes; ++pass) {
      for (std::size_t i = nodes.size(); i > 1; --i) std::swap(nodes[i - 1], nodes[rng_.next() % i]);
      bool improved = false;
      for (const int v : nodes) {
        const double cost = node_cost(v);
        if (cost == 0) continue;
        std::vector<int> candidates;
        if (options_.objective == Objective::kPack) {
          const int host = best_neighbour_host(v, site_of(v));
          if (host >= 0) candidates.push_back(host);
        }
        if (bound_site_[v] < 0) {
          const auto sites = sites_by_preference(v);
          if (!sites.empty() && sites.front() != site_of(v) && cut_cost(v, sites.front()) < cost) {
            const int host = host_in_site(v, sites.front());
            if (host >= 0) candidates.push_back(host);
          }
        }
        if (candidates.empty()) continue;
        improved |= relocate(v, candidates, -1,
                             [](double before, double after) { return after < before - 1e-9; });
      }
      if (!improved) break;
    }
  }

  Placement result() const {
    Placement placement;
    for (std::size_t v = 0; v < request_.nodes.size(); ++v) {
      const Host& host = inventory_.hosts()[host_of_[v]];
      placement.nodes.push_back({request_.nodes[v].client_id, host.urn,
                                 inventory_.sites()[host.site].urn, request_.nodes[v].demand});
    }
    for (std::size_t link = 0; link < request_.links.size(); ++link) {
      placement.links.push_back(router_.describe(*routes_[link], request_.links[link]));
    }
    return placement;
  }

  const Inventory& inventory_;
  const TopologyRequest& request_;
  MapOptions options_;
  Availability free_;
  SiteRouter router_;
  Rng rng_;
  std::vector<int> bound_host_;
  std::vector<int> bound_site_;
  std::vector<const std::vector<std::vector<int>>*> compatible_;
  std::map<std::string, std::vector<std::vector<int>>> compatible_cache_;
  std::vector<int> host_of_;
  std::vector<std::vector<int>> links_of_;
  std::vector<std::pair<int, int>> ends_;
  std::vector<std::optional<Route>> routes_;
  std::vector<int> component_;
  std::vector<NodeDemand> component_demand_;  // what the component's unplaced nodes still need
  std::vector<NodeDemand> site_free_;         // free capacity summed over a site's hosts
  int repairs_left_ = 0;
};

}  // namespace

MapResult map_request(const Inventory& inventory, const Usage& usage,
                      const TopologyRequest& request, const MapOptions& options) {
  return Embedding(inventory, usage, request, options).run();
}

Placement map_request_or_throw(const Inventory& inventory, const Usage& usage,
                               const TopologyRequest& request, const MapOptions& options) {
  MapResult result = map_request(inventory, usage, request, options);
  if (const auto* refusal = std::get_if<Refusal>(&result)) throw refusal->error();
  return std::get<Placement>(std::move(result));
}

}  // namespace federa::federation
