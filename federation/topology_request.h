// What an experimenter asks the mapper for, independent of RSpec: nodes (bound to a host by
// component_id, to a site by component_manager_id, or unbound) with their resource demand, and
// point-to-point links between them with bandwidth, latency and VLAN wishes. The AM fills it from
// a parsed request RSpec; a LAN is given as one link per pair it must join.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace federa::federation {

struct NodeDemand {
  int vcpus = 1;
  std::int64_t memory_mb = 0;
  std::int64_t disk_gb = 0;
  bool exclusive = false;  // the whole host (raw-pc): only on an empty host, and nothing joins it

  bool operator==(const NodeDemand&) const = default;
};

struct NodeRequest {
  std::string client_id;
  std::string component_id;          // bound: this host's URN
  std::string component_manager_id;  // site-bound: this site's URN
  std::string sliver_type;           // "" = any
  std::string image;                 // "" = any
  std::string hardware_type;         // "" = any
  NodeDemand demand;
};

struct LinkRequest {
  std::string client_id;
  std::string node_a;  // client_id of one end
  std::string node_b;  // client_id of the other end
  std::int64_t capacity_kbps = 0;         // RSpec <property capacity>; 0 = best effort
  std::optional<double> max_latency_ms;   // RSpec <property latency>
  std::optional<int> vlan_tag;            // suggested tag seen at both ends; nullopt = "any"
};

struct TopologyRequest {
  std::vector<NodeRequest> nodes;
  std::vector<LinkRequest> links;
};

}  // namespace federa::federation
