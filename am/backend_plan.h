// The slice as the backends should have it, computed from what the store says: for every
// provisioned node sliver the node to run (driver URI of its host, NodeSpec with one port per
// link sliver it ends, the slice users' keys) and for every provisioned link sliver the L2
// segment (federation::plan_segment). Pure: no host is touched, so the worker (provisioner.h)
// and the manifest (MACs and addresses) compute the same names. Port addresses come from the
// request's <ip> on the node's interface for the link; without one the aggregate assigns
// 10.10.<index of the link in the slice>.<1 or 2>/24. A link touching a host with no
// [site.host.network] is "simulated" when that host runs the libvirt test driver (nothing real
// to join) and built in the host's own namespace otherwise.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "am/slice_store.h"
#include "federation/inventory.h"
#include "federation/link_driver.h"
#include "federation/node_driver.h"
#include "rspec/model.h"

namespace federa::am {

struct PlannedNode {
  std::string sliver_urn;
  std::string driver_uri;  // the host's backend
  std::string peer_uri;    // the host's migration URI (Host::migration_uri)
  federation::NodeSpec spec;
};

struct PlannedLink {
  std::string sliver_urn;
  federation::SegmentSpec segment;
  bool simulated = false;  // on test-driver hosts without network configuration: no devices
};

// One port of a node as the manifest reports it.
struct PlannedPort {
  std::string link_client_id;
  std::string interface_client_id;  // the node's interface in the request ("" if none names it)
  federation::NodePort port;
};

struct SlicePlan {
  std::vector<PlannedNode> nodes;
  std::vector<PlannedLink> links;
  std::map<std::string, std::vector<PlannedPort>> ports;  // node client_id -> its ports
};

struct PlanInputs {
  std::string slice_urn;
  const std::vector<SliverRecord>& slivers;  // the slice's provisioned slivers
  const std::vector<rspec::RSpec>& requests;
  const std::vector<SliceUser>& users;
  const federation::Inventory& inventory;
  std::string default_image;  // for nodes whose request names no disk image
};

// Throws GeniError(kServerError) when the placement no longer fits the inventory (a host gone).
SlicePlan plan_slice(const PlanInputs& inputs);

// "alice" from urn:publicid:IDN+example.org+user+alice.
std::string login_name(const std::string& user_urn);

}  // namespace federa::am
