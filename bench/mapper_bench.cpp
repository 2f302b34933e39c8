// Mapper benchmark. Prints three figures:
//  1. time to map a 1,000-node, 2,000-link request onto a 10,000-host, 50-site substrate;
//  2. an online workload in the style of the VNE literature (Poisson arrivals, exponential
//     lifetimes, random topologies): acceptance ratio, revenue/cost, mean and p95 mapping time,
//     for the mapper and for the first-fit/shortest-path baseline on the same arrivals;
//  3. inter-site cost against the exhaustive optimum on instances of at most 8 virtual nodes.
// Every accepted placement is verified with check_placement.
#include "federation/mapper.h"
#include "federation/placement_checker.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <queue>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

using namespace federa::federation;
using federa::VlanSet;

namespace {

using Clock = std::chrono::steady_clock;

struct SubstrateShape {
  int sites;
  int hosts_per_site;
  int vcpus;
  int slots;
  std::int64_t link_kbps;
  int chords;  // extra random links besides the ring
};

// Sites on a ring plus random chords; hosts identical; some links translate tags.
Inventory make_substrate(const SubstrateShape& shape, std::mt19937_64& rng) {
  std::vector<Site> sites;
  std::vector<Host> hosts;
  for (int s = 0; s < shape.sites; ++s) {
    const std::string authority = "site" + std::to_string(s) + ".bench";
    sites.push_back({"site" + std::to_string(s), authority, site_urn(authority), std::nullopt,
                     {VlanSet::parse("1000-3999"), false}, {}});
    for (int h = 0; h < shape.hosts_per_site; ++h) {
      const std::string name = "pc" + std::to_string(h);
      hosts.push_back({name, host_urn(authority, name), s, "test:///default", shape.vcpus,
                       shape.vcpus * 4096LL, shape.vcpus * 100LL, shape.slots, 10'000'000,
                       {"pc"}, {"default-vm"}, {}, false});
    }
  }
  std::vector<InterSiteLink> links;
  std::set<std::pair<int, int>> joined;
  const auto join = [&](int a, int b) {
    if (a == b || !joined.insert({std::min(a, b), std::max(a, b)}).second) return;
    const std::string name = "l" + std::to_string(links.size());
    links.push_back({name, link_urn(sites[a].authority, name), a, b, shape.link_kbps,
                     static_cast<double>(5 + rng() % 30), VlanSet::parse("3000-3999"),
                     rng() % 4 == 0});
  };
  for (int s = 0; s < shape.sites; ++s) join(s, (s + 1) % shape.sites);
  for (int c = 0; c < shape.chords; ++c) {
    join(static_cast<int>(rng() % shape.sites), static_cast<int>(rng() % shape.sites));
  }
  return Inventory(std::move(sites), std::move(hosts), std::move(links));
}

NodeRequest vm(const std::string& id, int vcpus) {
  NodeRequest node;
  node.client_id = id;
  node.sliver_type = "default-vm";
  node.demand = {vcpus, vcpus * 1024LL, 10, false};
  return node;
}

LinkRequest wire(int index, int a, int b, std::int64_t kbps) {
  return {"link" + std::to_string(index), "n" + std::to_string(a), "n" + std::to_string(b), kbps,
          std::nullopt, std::nullopt};
}

// A connected random topology: a random spanning tree plus random extra edges, some nodes bound
// to a site with probability `site_bound`.
TopologyRequest random_request(int nodes, int links, int max_vcpus, std::int64_t max_kbps,
                               double site_bound, const Inventory& inventory,
                               std::mt19937_64& rng) {
  TopologyRequest request;
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < nodes; ++i) {
    NodeRequest node = vm("n" + std::to_string(i), 1 + static_cast<int>(rng() % max_vcpus));
    if (unit(rng) < site_bound) {
      node.component_manager_id = inventory.sites()[rng() % inventory.sites().size()].urn;
    }
    request.nodes.push_back(node);
  }
  std::set<std::pair<int, int>> used;
  const auto add = [&](int a, int b) {
    if (a == b || !used.insert({std::min(a, b), std::max(a, b)}).second) return;
    const std::int64_t kbps = 1000 * (1 + static_cast<std::int64_t>(rng() % (max_kbps / 1000)));
    request.links.push_back(wire(static_cast<int>(request.links.size()), a, b, kbps));
  };
  for (int i = 1; i < nodes; ++i) add(i, static_cast<int>(rng() % i));
  for (int tries = 0; static_cast<int>(request.links.size()) < links && tries < links * 20; ++tries) {
    add(static_cast<int>(rng() % nodes), static_cast<int>(rng() % nodes));
  }
  return request;
}

// Clusters of 50 nodes with mostly intra-cluster links, as large experiments are built; every
// fifth cluster is bound to one site (a multi-site experiment), the rest are unbound.
TopologyRequest large_request(const Inventory& inventory, std::mt19937_64& rng) {
  constexpr int kNodes = 1000;
  constexpr int kLinks = 2000;
  constexpr int kCluster = 50;
  TopologyRequest request;
  std::string cluster_site;
  for (int i = 0; i < kNodes; ++i) {
    NodeRequest node = vm("n" + std::to_string(i), 1 + static_cast<int>(rng() % 4));
    if (i % kCluster == 0) {
      cluster_site = i % (5 * kCluster) == 0 ? inventory.sites()[rng() % 50].urn : "";
    }
    node.component_manager_id = cluster_site;
    request.nodes.push_back(node);
  }
  std::set<std::pair<int, int>> used;
  while (static_cast<int>(request.links.size()) < kLinks) {
    const int a = static_cast<int>(rng() % kNodes);
    const bool local = rng() % 10 != 0;
    const int b = local ? a / kCluster * kCluster + static_cast<int>(rng() % kCluster)
                        : static_cast<int>(rng() % kNodes);
    if (a == b || !used.insert({std::min(a, b), std::max(a, b)}).second) continue;
    request.links.push_back(wire(static_cast<int>(request.links.size()), a, b,
                                 10'000 * (1 + static_cast<std::int64_t>(rng() % 10))));
  }
  return request;
}

void require_valid(const Inventory& inventory, const Usage& usage, const TopologyRequest& request,
                   const Placement& placement) {
  const auto violations = check_placement(inventory, usage, request, placement);
  if (!violations.empty()) throw std::runtime_error("invalid placement: " + violations.front());
}

double milliseconds(Clock::duration elapsed) {
  return std::chrono::duration<double, std::milli>(elapsed).count();
}

void large_mapping() {
  std::mt19937_64 rng(7);
  const Inventory inventory = make_substrate({50, 200, 32, 16, 40'000'000, 75}, rng);
  std::printf("1. large request: %zu hosts, %zu sites, %zu inter-site links\n",
              inventory.hosts().size(), inventory.sites().size(), inventory.links().size());
  for (const Strategy strategy : {Strategy::kLocalSearch, Strategy::kFirstFit}) {
    std::vector<double> times;
    double cost = 0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      std::mt19937_64 request_rng(seed);
      const TopologyRequest request = large_request(inventory, request_rng);
      const auto start = Clock::now();
      const MapResult result = map_request(inventory, {}, request, {.seed = seed, .strategy = strategy});
      times.push_back(milliseconds(Clock::now() - start));
      if (const auto* refusal = std::get_if<Refusal>(&result)) {
        std::printf("   refused: %s\n", refusal->message().c_str());
        continue;
      }
      require_valid(inventory, {}, request, std::get<Placement>(result));
      cost += std::get<Placement>(result).inter_site_cost() / 5;
    }
    std::sort(times.begin(), times.end());
    std::printf("   %-12s 1000 nodes / 2000 links: median %.1f ms, max %.1f ms; inter-site cost %.3g kbps*hops\n",
                strategy == Strategy::kFirstFit ? "first-fit" : "mapper", times[2], times[4], cost);
  }
}

struct OnlineFigures {
  int arrived = 0;
  int accepted = 0;
  double revenue = 0;
  double cost = 0;
  std::vector<double> times;
};

// Revenue: requested vCPUs + link Mb/s; cost: vCPUs + Mb/s x physical links crossed (two uplinks
// for a link between hosts, plus each inter-site link).
std::pair<double, double> revenue_and_cost(const TopologyRequest& request,
                                           const Placement& placement) {
  double cpu = 0;
  double bandwidth = 0;
  double carried = 0;
  for (const NodeRequest& node : request.nodes) cpu += node.demand.vcpus;
  for (const LinkPlacement& link : placement.links) {
    const double mbps = static_cast<double>(link.capacity_kbps) / 1000;
    bandwidth += mbps;
    if (link.host_a != link.host_b) carried += mbps * (2 + link.inter_site_hops());
  }
  return {cpu + bandwidth, cpu + carried};
}

OnlineFigures online(const Inventory& inventory, Strategy strategy, double arrivals_per_unit,
                     std::uint64_t seed) {
  constexpr int kRequests = 2000;
  constexpr double kMeanLifetime = 50;
  std::mt19937_64 rng(seed);  // same seed => same arrivals for both strategies
  std::exponential_distribution<double> gap(arrivals_per_unit);
  std::exponential_distribution<double> lifetime(1 / kMeanLifetime);
  using Departure = std::pair<double, int>;
  std::priority_queue<Departure, std::vector<Departure>, std::greater<>> departures;
  std::map<int, Placement> live;
  Usage usage;
  OnlineFigures figures;
  double now = 0;
  for (int i = 0; i < kRequests; ++i) {
    now += gap(rng);
    const double ends = now + lifetime(rng);
    const int nodes = 2 + static_cast<int>(rng() % 7);
    const TopologyRequest request =
        random_request(nodes, nodes * 3 / 2, 8, 100'000, 0.15, inventory, rng);
    while (!departures.empty() && departures.top().first <= now) {
      usage.remove(live.at(departures.top().second));
      live.erase(departures.top().second);
      departures.pop();
    }
    ++figures.arrived;
    const auto start = Clock::now();
    const MapResult result = map_request(inventory, usage, request, {.seed = seed + i, .strategy = strategy});
    figures.times.push_back(milliseconds(Clock::now() - start));
    if (!std::holds_alternative<Placement>(result)) continue;
    const Placement& placement = std::get<Placement>(result);
    require_valid(inventory, usage, request, placement);
    ++figures.accepted;
    const auto [revenue, cost] = revenue_and_cost(request, placement);
    figures.revenue += revenue;
    figures.cost += cost;
    usage.add(placement);
    live.emplace(i, placement);
    departures.push({ends, i});
  }
  return figures;
}

void online_workload() {
  std::mt19937_64 rng(11);
  const Inventory inventory = make_substrate({10, 8, 16, 8, 300'000, 3}, rng);
  std::printf("\n2. online workload: %zu hosts, %zu sites, %zu inter-site links of 300 Mb/s; "
              "2000 requests of 2-8 nodes, mean lifetime 50\n",
              inventory.hosts().size(), inventory.sites().size(), inventory.links().size());
  std::printf("   %-7s %-10s %10s %13s %10s %10s\n", "load", "strategy", "acceptance",
              "revenue/cost", "mean ms", "p95 ms");
  for (const double rate : {0.4, 0.6, 0.8, 1.0}) {
    double acceptance[2] = {0, 0};
    for (const Strategy strategy : {Strategy::kLocalSearch, Strategy::kFirstFit}) {
      OnlineFigures figures = online(inventory, strategy, rate, 99);
      std::sort(figures.times.begin(), figures.times.end());
      double mean = 0;
      for (const double t : figures.times) mean += t / static_cast<double>(figures.times.size());
      const double ratio = static_cast<double>(figures.accepted) / figures.arrived;
      acceptance[strategy == Strategy::kFirstFit] = ratio;
      std::printf("   %-7.1f %-10s %10.3f %13.3f %10.3f %10.3f\n", rate,
                  strategy == Strategy::kFirstFit ? "first-fit" : "mapper", ratio,
                  figures.revenue / figures.cost, mean, figures.times[figures.times.size() * 95 / 100]);
    }
    std::printf("   %-7.1f acceptance gain over first-fit: %+.1f%%\n", rate,
                100 * (acceptance[0] / acceptance[1] - 1));
  }
}

// Exhaustive optimum of the inter-site cost (bandwidth x hops) over site assignments, with an
// exact check that each site's hosts can hold the nodes put there; bandwidth and tags are ample
// on this substrate, so a link's cost is its bandwidth times the hop distance of its sites.
class Exhaustive {
 public:
  Exhaustive(const Inventory& inventory, const TopologyRequest& request)
      : inventory_(inventory), request_(request), site_of_(request.nodes.size(), -1) {
    const int sites = static_cast<int>(inventory.sites().size());
    distance_.assign(sites, std::vector<int>(sites, 1 << 20));
    for (int s = 0; s < sites; ++s) {
      distance_[s][s] = 0;
      for (const int link : inventory.links_at(s)) distance_[s][inventory.links()[link].other_end(s)] = 1;
    }
    for (int k = 0; k < sites; ++k)
      for (int i = 0; i < sites; ++i)
        for (int j = 0; j < sites; ++j)
          distance_[i][j] = std::min(distance_[i][j], distance_[i][k] + distance_[k][j]);
    for (const LinkRequest& link : request.links) {
      ends_.emplace_back(std::stoi(link.node_a.substr(1)), std::stoi(link.node_b.substr(1)));
    }
  }

  double optimum() {
    search(0);
    return best_;
  }

 private:
  void search(std::size_t node) {
    if (node == site_of_.size()) {
      double cost = 0;
      for (std::size_t l = 0; l < ends_.size(); ++l) {
        cost += static_cast<double>(request_.links[l].capacity_kbps) *
                distance_[site_of_[ends_[l].first]][site_of_[ends_[l].second]];
      }
      if (cost < best_ && packs()) best_ = cost;
      return;
    }
    const NodeRequest& request = request_.nodes[node];
    for (int s = 0; s < static_cast<int>(inventory_.sites().size()); ++s) {
      if (!request.component_manager_id.empty() && inventory_.sites()[s].urn != request.component_manager_id) continue;
      site_of_[node] = s;
      search(node + 1);
    }
  }

  bool packs() const {
    for (int s = 0; s < static_cast<int>(inventory_.sites().size()); ++s) {
      std::vector<int> demand;
      for (std::size_t v = 0; v < site_of_.size(); ++v) {
        if (site_of_[v] == s) demand.push_back(request_.nodes[v].demand.vcpus);
      }
      std::vector<int> room;
      for (const int h : inventory_.sites()[s].hosts) room.push_back(inventory_.hosts()[h].vcpus);
      std::vector<int> slots(room.size(), inventory_.hosts()[inventory_.sites()[s].hosts[0]].slots);
      if (!fit(demand, 0, room, slots)) return false;
    }
    return true;
  }

  static bool fit(const std::vector<int>& demand, std::size_t i, std::vector<int>& room,
                  std::vector<int>& slots) {
    if (i == demand.size()) return true;
    for (std::size_t h = 0; h < room.size(); ++h) {
      if (room[h] < demand[i] || slots[h] == 0) continue;
      room[h] -= demand[i];
      --slots[h];
      const bool done = fit(demand, i + 1, room, slots);
      room[h] += demand[i];
      ++slots[h];
      if (done) return true;
    }
    return false;
  }

  const Inventory& inventory_;
  const TopologyRequest& request_;
  std::vector<int> site_of_;
  std::vector<std::vector<int>> distance_;
  std::vector<std::pair<int, int>> ends_;
  double best_ = 1e300;
};

void against_optimum() {
  std::mt19937_64 rng(5);
  const Inventory inventory = make_substrate({5, 2, 8, 4, 100'000'000, 2}, rng);
  std::printf("\n3. against the exhaustive optimum: %zu sites x 2 hosts of 8 vCPUs, 100 "
              "instances of 4-8 nodes (1-5 vCPUs, 30%% site-bound)\n",
              inventory.sites().size());
  for (const Strategy strategy : {Strategy::kLocalSearch, Strategy::kFirstFit}) {
    std::mt19937_64 instances(17);
    int optimal = 0;
    int compared = 0;
    int refused = 0;
    double excess = 0;
    for (int i = 0; i < 100; ++i) {
      const int nodes = 4 + static_cast<int>(instances() % 5);
      const TopologyRequest request =
          random_request(nodes, nodes + 2, 5, 100'000, 0.3, inventory, instances);
      const double best = Exhaustive(inventory, request).optimum();
      if (best >= 1e300) continue;
      const MapResult result = map_request(inventory, {}, request, {.seed = 3, .strategy = strategy});
      ++compared;
      if (!std::holds_alternative<Placement>(result)) {
        ++refused;
        continue;
      }
      require_valid(inventory, {}, request, std::get<Placement>(result));
      const double cost = std::get<Placement>(result).inter_site_cost();
      optimal += cost <= best + 1e-6 ? 1 : 0;
      excess += cost - best;
    }
    std::printf("   %-10s %d feasible instances: optimal on %d, refused %d, mean excess "
                "inter-site cost %.0f kbps*hops\n",
                strategy == Strategy::kFirstFit ? "first-fit" : "mapper", compared, optimal,
                refused, excess / std::max(1, compared - refused));
  }
}

}  // namespace

int main() {
  large_mapping();
  online_workload();
  against_optimum();
  return 0;
}
