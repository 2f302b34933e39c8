// Routes one link between two placed hosts over the free substrate and takes what it uses:
// host-local when both ends share a host; otherwise both hosts' uplinks plus a chain of segments
// (site switches and inter-site links, fewest inter-site hops first, then lowest latency, or
// lowest latency first when the link's limit demands it) with one VLAN tag per segment. Tags may
// change only where translation is allowed on either side of a junction; a suggested tag is used
// on the segments at both ends. Failures come back as a Refusal naming the constraint.
#pragma once

#include "federation/availability.h"
#include "federation/inventory.h"
#include "federation/placement.h"

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

namespace federa::federation {

struct Route {
  int host_a = -1;
  int host_b = -1;
  std::int64_t kbps = 0;
  double latency_ms = 0;
  std::vector<int> segments;  // a site switch is its site index s; inter-site link l is sites + l
  std::vector<int> tags;      // the tag on each segment
  int inter_site_hops = 0;
};

class SiteRouter {
 public:
  SiteRouter(const Inventory& inventory, Availability& free);

  // Finds a route for `link` between the two hosts and takes its resources from `free`.
  std::variant<Route, Refusal> route(const LinkRequest& link, int host_a, int host_b);
  void take(const Route& route);
  void give_back(const Route& route);

  // Fewest inter-site hops and lowest latency between two sites over links that had any free
  // bandwidth and tag when the router was made; kUnreachable when not connected.
  static constexpr int kUnreachable = 1 << 20;
  int hops_between(int site_a, int site_b) const { return hops_[site_a * site_count_ + site_b]; }
  double latency_between(int site_a, int site_b) const {
    return latency_[site_a * site_count_ + site_b];
  }

  LinkPlacement describe(const Route& route, const LinkRequest& link) const;

 private:
  struct Path {
    std::vector<int> links;
    double latency_ms = 0;
  };
  std::optional<Path> shortest_path(int from, int to, std::int64_t kbps, bool latency_first,
                                    const std::vector<bool>& excluded) const;
  std::variant<Route, Refusal> route_across_sites(const LinkRequest& link, int host_a,
                                                  int host_b);
  std::optional<Refusal> assign_tags(const LinkRequest& link, Route& route,
                                     int& blocking_segment) const;
  std::int64_t widest_path(int from, int to) const;
  Refusal no_path_refusal(const LinkRequest& link, int from, int to,
                          const std::string& between) const;
  SegmentAvailability& segment(int index);
  const SegmentAvailability& segment(int index) const;
  std::string segment_name(int index) const;
  void compute_distances();

  const Inventory& inventory_;
  Availability& free_;
  int site_count_;
  std::vector<int> hops_;
  std::vector<double> latency_;
};

}  // namespace federa::federation
