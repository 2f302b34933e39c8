#include "am/backend_plan.h"

#include <arpa/inet.h>

#include <bit>

#include "common/geni_error.h"
#include "federation/backend_names.h"
#include "federation/node_seed.h"
#include "federation/segment_plan.h"

namespace federa::am {
namespace {

using federation::HostNetwork;

bool is_test_backend(const std::string& uri) { return uri.starts_with("test:"); }

const federation::Host& host_of(const federation::Inventory& inventory, const std::string& urn) {
  const auto index = inventory.find_host(urn);
  if (!index) throw GeniError(GeniCode::kServerError, "host " + urn + " is no longer in the inventory");
  return inventory.hosts()[static_cast<std::size_t>(*index)];
}

// Hosts whose links are real: configured ones, and any non-test host (its own namespace).
std::map<std::string, HostNetwork> networks_of(const federation::Inventory& inventory) {
  std::map<std::string, HostNetwork> networks;
  for (const federation::Host& host : inventory.hosts()) {
    if (host.network) {
      networks[host.urn] = {host.urn, host.network->netns, host.network->underlay, host.network->address};
    } else if (!is_test_backend(host.backend)) {
      networks[host.urn] = {host.urn, "", "", ""};
    }
  }
  return networks;
}

int prefix_of(const std::string& netmask) {
  in_addr mask{};
  if (netmask.empty() || inet_pton(AF_INET, netmask.c_str(), &mask) != 1) return 24;
  return std::popcount(ntohl(mask.s_addr));
}

// The node's interface on the request link named by `link_id` ("L" or "L#a-b" for a LAN pair).
const rspec::Interface* interface_on(const std::vector<rspec::RSpec>& requests, const std::string& node_id,
                                     const std::string& link_id) {
  const std::string base = link_id.substr(0, link_id.find('#'));
  for (auto request = requests.rbegin(); request != requests.rend(); ++request) {
    for (const rspec::Link& link : request->links) {
      if (link.client_id != base) continue;
      for (const rspec::Node& node : request->nodes) {
        if (node.client_id != node_id) continue;
        for (const rspec::Interface& interface : node.interfaces) {
          for (const rspec::InterfaceRef& ref : link.interface_refs) {
            if (ref.client_id == interface.client_id) return &interface;
          }
        }
      }
    }
  }
  return nullptr;
}

std::string address_for(const rspec::Interface* interface, std::size_t link_index, bool upper_end) {
  if (interface && !interface->ips.empty() && !interface->ips.front().address.empty()) {
    return interface->ips.front().address + "/" + std::to_string(prefix_of(interface->ips.front().netmask));
  }
  return "10.10." + std::to_string(link_index % 256) + "." + (upper_end ? "2" : "1") + "/24";
}

void add_ports(const PlanInputs& inputs, const PlannedLink& link, const federation::LinkPlacement& placement,
               std::size_t index, SlicePlan& plan) {
  for (const bool upper : {false, true}) {
    const std::string& node = upper ? placement.node_b : placement.node_a;
    const std::string& host = upper ? placement.host_b : placement.host_a;
    const rspec::Interface* interface = interface_on(inputs.requests, node, placement.client_id);
    federation::NodePort port;
    port.tap = federation::device_name(federation::DeviceKind::kTap, inputs.slice_urn, placement.client_id, node);
    port.mac = federation::port_mac(port.tap);
    port.address = address_for(interface, index, upper);
    for (const HostNetwork& network : link.segment.hosts) {
      if (network.host == host) port.bridge = federation::LinkDriver::bridge_name(link.segment, network);
    }
    plan.ports[node].push_back({placement.client_id, interface ? interface->client_id : "", port});
  }
}

std::string image_of(const std::vector<rspec::RSpec>& requests, const std::string& node_id,
                     const std::string& fallback) {
  for (auto request = requests.rbegin(); request != requests.rend(); ++request) {
    for (const rspec::Node& node : request->nodes) {
      if (node.client_id != node_id || node.sliver_types.empty()) continue;
      const auto& images = node.sliver_types.front().disk_images;
      if (!images.empty() && !images.front().name.empty()) return images.front().name;
    }
  }
  return fallback;
}

}  // namespace

std::string login_name(const std::string& user_urn) { return user_urn.substr(user_urn.rfind('+') + 1); }

SlicePlan plan_slice(const PlanInputs& inputs) {
  SlicePlan plan;
  const auto networks = networks_of(inputs.inventory);
  std::size_t link_index = 0;
  for (const SliverRecord& sliver : inputs.slivers) {
    if (!sliver.link) continue;
    const auto& placement = *sliver.link;
    PlannedLink link{sliver.urn, {}, false};
    link.simulated = !networks.contains(placement.host_a) || !networks.contains(placement.host_b);
    if (link.simulated) {
      link.segment = {inputs.slice_urn, placement.client_id, federation::Transport::kVxlan, 0, 0, {}};
    } else {
      link.segment = federation::plan_segment(inputs.slice_urn, placement, inputs.inventory, networks);
      add_ports(inputs, link, placement, link_index, plan);
    }
    ++link_index;
    plan.links.push_back(std::move(link));
  }
  std::vector<std::string> keys;
  for (const SliceUser& user : inputs.users) keys.insert(keys.end(), user.keys.begin(), user.keys.end());
  for (const SliverRecord& sliver : inputs.slivers) {
    if (!sliver.node) continue;
    const federation::Host& host = host_of(inputs.inventory, sliver.node->host_urn);
    PlannedNode node{sliver.urn, host.backend, host.migration_uri, {}};
    node.spec.name = federation::domain_name(inputs.slice_urn, sliver.client_id);
    node.spec.image = image_of(inputs.requests, sliver.client_id, inputs.default_image);
    node.spec.vcpus = std::max(1, sliver.node->demand.vcpus);
    if (sliver.node->demand.memory_mb > 0) node.spec.memory_mb = sliver.node->demand.memory_mb;
    for (const PlannedPort& port : plan.ports[sliver.client_id]) node.spec.ports.push_back(port.port);
    if (!inputs.users.empty()) node.spec.login_user = login_name(inputs.users.front().urn);
    node.spec.ssh_keys = keys;
    plan.nodes.push_back(std::move(node));
  }
  return plan;
}

}  // namespace federa::am
