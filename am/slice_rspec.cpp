#include "am/slice_rspec.h"

#include <arpa/inet.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "common/geni_error.h"
#include "rspec/write.h"

namespace federa::am {
namespace {

bool is_ours(const std::string& manager, const federation::Inventory& inventory, const std::string& aggregate_urn) {
  return manager.empty() || manager == aggregate_urn || inventory.find_site(manager).has_value();
}

federation::NodeRequest node_request(const rspec::Node& node, const federation::Inventory& inventory) {
  federation::NodeRequest request;
  request.client_id = node.client_id;
  request.component_id = node.component_id;
  if (inventory.find_site(node.component_manager_id)) request.component_manager_id = node.component_manager_id;
  if (!node.sliver_types.empty()) {
    const rspec::SliverType& type = node.sliver_types.front();
    request.sliver_type = type.name;
    if (!type.disk_images.empty()) request.image = type.disk_images.front().name;
    if (type.xen) {
      request.demand.vcpus = static_cast<int>(type.xen->cores.value_or(1));
      request.demand.memory_mb = type.xen->ram_mb.value_or(0);
      request.demand.disk_gb = type.xen->disk_gb.value_or(0);
    }
  }
  if (!node.hardware_types.empty()) request.hardware_type = node.hardware_types.front().name;
  request.demand.exclusive = node.exclusive.value_or(false) && request.sliver_type == "raw-pc";
  return request;
}

// The node client_id behind each interface client_id of our nodes.
std::map<std::string, std::string> interface_owners(const rspec::RSpec& request, const std::set<std::string>& ours) {
  std::map<std::string, std::string> owners;
  for (const rspec::Node& node : request.nodes) {
    if (!ours.contains(node.client_id)) continue;
    for (const rspec::Interface& interface : node.interfaces) owners[interface.client_id] = node.client_id;
  }
  return owners;
}

void add_link_requests(const rspec::Link& link, const std::map<std::string, std::string>& owners,
                       federation::TopologyRequest& topology) {
  std::vector<std::string> ends;
  for (const rspec::InterfaceRef& ref : link.interface_refs) {
    const auto owner = owners.find(ref.client_id);
    if (owner == owners.end()) return;  // an end at another aggregate: not ours to map
    ends.push_back(owner->second);
  }
  std::int64_t capacity = 0;
  std::optional<double> latency;
  for (const rspec::LinkProperty& property : link.properties) {
    capacity = std::max<std::int64_t>(capacity, static_cast<std::int64_t>(property.capacity_kbps.value_or(0)));
    if (property.latency_ms) latency = static_cast<double>(*property.latency_ms);
  }
  const bool pairwise = ends.size() > 2;
  for (std::size_t a = 0; a < ends.size(); ++a) {
    for (std::size_t b = a + 1; b < ends.size(); ++b) {
      const std::string id = pairwise ? link.client_id + "#" + ends[a] + "-" + ends[b] : link.client_id;
      topology.links.push_back({id, ends[a], ends[b], capacity, latency, std::nullopt});
    }
  }
}

const SliverRecord* find_sliver_for(const std::vector<SliverRecord>& slivers, const std::string& client_id) {
  for (const SliverRecord& sliver : slivers) {
    if (sliver.client_id == client_id || sliver.client_id.starts_with(client_id + "#")) return &sliver;
  }
  return nullptr;
}

std::string first_tag(const SliverRecord& sliver) {
  for (const federation::Hop& hop : sliver.link->hops) {
    if (hop.vlan_tag) return std::to_string(*hop.vlan_tag);
  }
  return "";
}

void fill_interface(rspec::Interface& interface, const std::vector<PlannedPort>& ports) {
  for (const PlannedPort& planned : ports) {
    if (planned.interface_client_id != interface.client_id) continue;
    interface.mac_address = planned.port.mac;
    const auto slash = planned.port.address.find('/');
    if (interface.ips.empty()) {
      const int prefix = std::stoi(planned.port.address.substr(slash + 1));
      in_addr mask{htonl(prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix))};
      char text[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &mask, text, sizeof text);
      interface.ips.push_back({planned.port.address.substr(0, slash), text, "ipv4"});
    }
    return;
  }
}

void fill_logins(rspec::Node& node, const SliverRecord& sliver, const std::vector<SliceUser>& users) {
  const auto colon = sliver.login.rfind(':');
  if (colon == std::string::npos) return;
  for (const SliceUser& user : users) {
    node.services.logins.push_back({"ssh-keys", sliver.login.substr(0, colon),
                                    static_cast<std::uint16_t>(std::stoi(sliver.login.substr(colon + 1))),
                                    login_name(user.urn)});
  }
}

void fill_node(rspec::Node& node, const SliverRecord& sliver, const std::vector<SliceUser>& users,
               const std::vector<PlannedPort>& ports) {
  node.sliver_id = sliver.urn;
  node.component_id = sliver.component_id;
  node.component_manager_id = sliver.component_manager_id;
  for (std::size_t i = 0; i < node.interfaces.size(); ++i) {
    node.interfaces[i].sliver_id = sliver.urn + "-if" + std::to_string(i);  // sliver names allow no ':'
    fill_interface(node.interfaces[i], ports);
  }
  fill_logins(node, sliver, users);
  for (const SliceUser& user : users) node.services.users.push_back({login_name(user.urn), user.urn, user.keys});
}

rspec::Node advertised_node(const federation::Inventory& inventory, const federation::Host& host,
                            const federation::HostAvailability& free) {
  rspec::Node node;
  node.component_id = host.urn;
  node.component_manager_id = inventory.sites()[static_cast<std::size_t>(host.site)].urn;
  node.component_name = host.name;
  node.exclusive = false;
  node.available_now = free.available;
  for (const std::string& type : host.hardware_types) node.hardware_types.push_back({type, {}});
  for (const std::string& type : host.sliver_types) {
    rspec::SliverType sliver_type{type, {}, std::nullopt, {}};
    for (const std::string& image : host.images) sliver_type.disk_images.push_back({image, "", "", ""});
    node.sliver_types.push_back(std::move(sliver_type));
  }
  if (const auto& location = inventory.sites()[static_cast<std::size_t>(host.site)].location) {
    node.location = rspec::Location{location->country, std::to_string(location->longitude),
                                    std::to_string(location->latitude)};
  }
  return node;
}

rspec::StitchLink stitch_link(const std::string& id, const federation::SegmentAvailability& free, bool translation) {
  rspec::StitchLink link;
  link.id = id;
  if (free.bandwidth_kbps < std::numeric_limits<std::int64_t>::max()) {
    link.capacity.capacity = std::to_string(free.bandwidth_kbps);
  }
  link.l2 = rspec::L2Capability{"1500", rspec::VlanSet::parse(free.vlans.format()), std::nullopt, translation};
  return link;
}

// The aggregate's stitching topology: a node per site, a port for its switch and one for each
// inter-site link at it, each link with the VLAN tags and bandwidth free now.
rspec::StitchingTopology stitching_of(const federation::Inventory& inventory, const federation::Availability& free,
                                      const std::string& aggregate_urn) {
  rspec::StitchAggregate aggregate;
  aggregate.id = aggregate_urn;
  aggregate.stitching_mode = "chain";
  aggregate.scheduled_services = "false";
  aggregate.negotiated_services = "false";
  for (std::size_t s = 0; s < inventory.sites().size(); ++s) {
    const federation::Site& site = inventory.sites()[s];
    rspec::StitchNode node{site.urn, {}};
    node.ports.push_back({site.urn + ":switch", {}, {stitch_link(site.urn + ":switch", free.site_switches[s], false)}});
    for (int l : inventory.links_at(static_cast<int>(s))) {
      const federation::InterSiteLink& link = inventory.links()[static_cast<std::size_t>(l)];
      rspec::StitchLink stitch = stitch_link(link.urn, free.links[static_cast<std::size_t>(l)], link.translation);
      stitch.remote_link_id = inventory.sites()[static_cast<std::size_t>(link.other_end(static_cast<int>(s)))].urn;
      node.ports.push_back({link.urn + ":" + site.name, {}, {std::move(stitch)}});
    }
    aggregate.nodes.push_back(std::move(node));
  }
  return {format_rfc3339(now_utc()), {}, {std::move(aggregate)}};
}

// A link sliver's path as a stitching path: one hop per segment with the tag it carries.
rspec::StitchPath stitch_path(const rspec::Link& link, const SliverRecord& sliver) {
  rspec::StitchPath path{link.client_id, sliver.urn, {}};
  const auto& hops = sliver.link->hops;
  for (std::size_t i = 0; i < hops.size(); ++i) {
    rspec::StitchHop hop;
    hop.id = std::to_string(i + 1);
    hop.type = "vlan";
    hop.link.id = hops[i].urn.empty() ? sliver.link->host_a : hops[i].urn;
    if (hops[i].vlan_tag) {
      const auto tag = rspec::VlanSet::single(*hops[i].vlan_tag);
      hop.link.l2 = rspec::L2Capability{"1500", tag, tag, std::nullopt};
    }
    hop.next_hops.push_back(i + 1 < hops.size() ? std::to_string(i + 2) : "null");
    path.hops.push_back(std::move(hop));
  }
  return path;
}

rspec::OpstateMachine opstate_of(const std::string& aggregate_urn, const std::vector<std::string>& sliver_types) {
  rspec::OpstateMachine machine{aggregate_urn, std::string(to_string(kAfterProvision.operational)), sliver_types, {}};
  std::map<std::string, rspec::OpstateState> states;
  for (const ActionRule& rule : action_rules()) {
    if (rule.during == rule.from) continue;  // a no-op is no transition
    auto& from = states[std::string(to_string(rule.from))];
    from.name = to_string(rule.from);
    from.actions.push_back({std::string(rule.action), std::string(to_string(rule.during)), ""});
    auto& during = states[std::string(to_string(rule.during))];
    during.name = to_string(rule.during);
    if (during.waits.empty()) {
      during.waits.push_back({"geni_success", std::string(to_string(rule.to))});
      during.waits.push_back({"geni_failure", std::string(to_string(OperationalState::kFailed))});
    }
  }
  for (auto& [name, state] : states) machine.states.push_back(std::move(state));
  return machine;
}

}  // namespace

federation::TopologyRequest topology_of(const rspec::RSpec& request, const federation::Inventory& inventory,
                                        const std::string& aggregate_urn) {
  federation::TopologyRequest topology;
  std::set<std::string> ours;
  for (const rspec::Node& node : request.nodes) {
    if (!is_ours(node.component_manager_id, inventory, aggregate_urn)) continue;
    topology.nodes.push_back(node_request(node, inventory));
    ours.insert(node.client_id);
  }
  if (topology.nodes.empty()) {
    throw GeniError(GeniCode::kBadArgs, "the request has no node for this aggregate (" + aggregate_urn +
                                            "): give nodes no component_manager_id, or this aggregate's or one of its sites'");
  }
  const auto owners = interface_owners(request, ours);
  for (const rspec::Link& link : request.links) add_link_requests(link, owners, topology);
  return topology;
}

rspec::RSpec manifest_of(const std::vector<rspec::RSpec>& requests, const std::vector<SliverRecord>& slivers,
                         const std::vector<SliceUser>& users,
                         const std::map<std::string, std::vector<PlannedPort>>& ports) {
  // A client_id may appear in several requests of a slice (allocated, deleted, allocated again):
  // the latest request that names it describes its sliver.
  std::map<std::string, std::size_t> latest;
  for (std::size_t r = 0; r < requests.size(); ++r) {
    for (const rspec::Node& node : requests[r].nodes) latest[node.client_id] = r;
    for (const rspec::Link& link : requests[r].links) latest[link.client_id] = r;
  }
  rspec::RSpec manifest = requests.empty() ? rspec::make_manifest(rspec::RSpec{}) : rspec::make_manifest(requests.front());
  manifest.nodes.clear();
  manifest.links.clear();
  manifest.stitching.reset();
  for (std::size_t r = 0; r < requests.size(); ++r) {
    const rspec::RSpec& request = requests[r];
    for (const rspec::Node& node : request.nodes) {
      const SliverRecord* sliver = find_sliver_for(slivers, node.client_id);
      if (!sliver || sliver->kind != SliverKind::kNode || latest[node.client_id] != r) continue;
      manifest.nodes.push_back(node);
      const auto node_ports = ports.find(node.client_id);
      fill_node(manifest.nodes.back(), *sliver, users,
                node_ports == ports.end() ? std::vector<PlannedPort>{} : node_ports->second);
    }
    for (const rspec::Link& link : request.links) {
      const SliverRecord* sliver = find_sliver_for(slivers, link.client_id);
      if (!sliver || sliver->kind != SliverKind::kLink || latest[link.client_id] != r) continue;
      manifest.links.push_back(link);
      manifest.links.back().sliver_id = sliver->urn;
      manifest.links.back().vlantag = first_tag(*sliver);
      if (!manifest.stitching) manifest.stitching.emplace();
      manifest.stitching->paths.push_back(stitch_path(link, *sliver));
    }
  }
  return manifest;
}

rspec::RSpec advertisement_of(const federation::Inventory& inventory, const federation::Availability& free,
                              const std::string& aggregate_urn, bool available_only) {
  rspec::RSpec ad;
  ad.kind = rspec::Kind::kAdvertisement;
  ad.generated = now_utc();
  ad.generated_by = "federa";
  std::set<std::string> sliver_types;
  for (std::size_t i = 0; i < inventory.hosts().size(); ++i) {
    const federation::Host& host = inventory.hosts()[i];
    if (available_only && !free.hosts[i].available) continue;
    ad.nodes.push_back(advertised_node(inventory, host, free.hosts[i]));
    sliver_types.insert(host.sliver_types.begin(), host.sliver_types.end());
  }
  ad.opstate = opstate_of(aggregate_urn, {sliver_types.begin(), sliver_types.end()});
  ad.stitching = stitching_of(inventory, free, aggregate_urn);
  return ad;
}

}  // namespace federa::am
