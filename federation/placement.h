// The mapper's answer. A Placement puts every requested node on a host (and so a site) and every
// link on a path of hops: one host-local bridge, or a chain of site switches and inter-site links,
// each with the VLAN tag used on that segment; this is what the manifest reports. A Refusal says
// which element could not be placed and which constraint failed, with the GENI code to return.
#pragma once

#include "common/geni_error.h"
#include "federation/topology_request.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace federa::federation {

struct NodePlacement {
  std::string client_id;
  std::string host_urn;
  std::string site_urn;
  NodeDemand demand;  // what the node takes from the host
};

enum class HopKind {
  kHostLocal,   // both ends on one host: a bridge on that host, no tag
  kSiteSwitch,  // through a site's switch; urn is the site's component manager id
  kInterSite,   // over an inter-site link; urn is the link's URN
};

struct Hop {
  HopKind kind = HopKind::kHostLocal;
  std::string urn;
  std::optional<int> vlan_tag;
};

struct LinkPlacement {
  std::string client_id;
  std::string node_a;  // client ids, as in the request
  std::string node_b;
  std::string host_a;  // host URNs of the two ends
  std::string host_b;
  std::int64_t capacity_kbps = 0;  // taken from both hosts' uplinks (unless host-local) and
                                   // from every inter-site link on the path
  double latency_ms = 0;
  std::vector<Hop> hops;

  int inter_site_hops() const;
};

struct Placement {
  std::vector<NodePlacement> nodes;
  std::vector<LinkPlacement> links;

  // Inter-site bandwidth consumed: the sum over links of capacity x inter-site hops.
  double inter_site_cost() const;
};

struct Refusal {
  GeniCode code = GeniCode::kRefused;
  std::string client_id;   // the node or link that could not be placed
  std::string constraint;  // what failed, in words a person can act on

  std::string message() const;  // "cannot map '<client_id>': <constraint>"
  GeniError error() const { return GeniError(code, message()); }
};

using MapResult = std::variant<Placement, Refusal>;

}  // namespace federa::federation
