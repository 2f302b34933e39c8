// The GENI stitching extension 0.1 (http://hpn.east.isi.edu/rspec/ext/stitch/0.1/): in an
// advertisement, the aggregate's stitching topology (nodes, ports, links with the VLANs each link
// can carry); in a request, the path a stitched link takes across aggregates (hops, each naming a
// link and the suggested VLAN); in a manifest, the same path with the VLANs actually assigned.
// VlanSet is the typed form of "2-4094" / "3706-3732,3746-3749" / "any".
#pragma once

#include "common/vlan_set.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace federa::rspec {

// A set of 802.1Q VLAN ids (1..4094), or "any" (the aggregate may choose): federa::VlanSet
// (common/vlan_set.h) plus the "any" of the stitching notation.
class VlanSet {
 public:
  static VlanSet any();
  static VlanSet single(int tag);
  // Parses "any", "" (empty set), "100", "2-4094", "3706-3732,3746-3749". nullopt on anything
  // else (a bound outside 1..4094, a reversed range, stray text).
  static std::optional<VlanSet> parse(std::string_view text);

  bool is_any() const { return any_; }
  bool empty() const { return !any_ && tags_.empty(); }
  bool contains(int tag) const;
  // Ranges sorted and merged, inclusive bounds.
  const std::vector<std::pair<int, int>>& ranges() const { return tags_.ranges(); }
  // Canonical text: "any", or merged ranges "2-99,101-4094".
  std::string to_string() const;

  bool operator==(const VlanSet&) const = default;

 private:
  bool any_ = false;
  federa::VlanSet tags_;
};

// switchingCapabilitySpecificInfo_L2sc: what a link can do at layer 2.
struct L2Capability {
  std::string interface_mtu;
  std::optional<VlanSet> vlan_range_availability;
  std::optional<VlanSet> suggested_vlan_range;
  std::optional<bool> vlan_translation;
};

// Bandwidth of a port or link, in kbps, as the aggregate states it.
struct StitchCapacity {
  std::string capacity;
  std::string maximum_reservable;
  std::string minimum_reservable;
  std::string granularity;
};

struct StitchLink {
  std::string id;  // URN of the link (interface) at this aggregate
  std::string remote_link_id;
  std::string traffic_engineering_metric;
  StitchCapacity capacity;
  std::string switching_cap_type = "l2sc";
  std::string encoding_type = "ethernet";
  std::optional<L2Capability> l2;  // absent when the link describes no switching capability
};

struct StitchPort {
  std::string id;
  StitchCapacity capacity;
  std::vector<StitchLink> links;
};

struct StitchNode {
  std::string id;
  std::vector<StitchPort> ports;
};

struct StitchLifetime {
  std::string id;
  std::string start;  // times as the aggregate wrote them
  std::string end;
};

struct StitchAggregate {
  std::string id;  // aggregate URN
  std::string url;
  std::string aggregate_type;     // e.g. protogeni
  std::string stitching_mode;     // chain | tree | chainANDTree
  std::string scheduled_services;  // "true" | "false"
  std::string negotiated_services;
  std::optional<StitchLifetime> lifetime;
  std::vector<StitchNode> nodes;
};

// One hop of a path: the link it crosses and (in a manifest) the VLAN it carries.
struct StitchHop {
  std::string id;
  std::string type;  // optional hop type ("vlan")
  StitchLink link;
  std::vector<std::string> next_hops;  // hop ids; "null" marks the end of the path
};

struct StitchPath {
  std::string id;  // the request link's client_id
  std::string global_id;
  std::vector<StitchHop> hops;
};

struct StitchingTopology {
  std::string last_update_time;
  std::vector<StitchPath> paths;
  std::vector<StitchAggregate> aggregates;
};

// The path whose id is `link_client_id`, or nullptr.
StitchPath* find_path(StitchingTopology& topology, std::string_view link_client_id);

}  // namespace federa::rspec
