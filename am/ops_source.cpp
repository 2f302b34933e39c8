#include "am/ops_source.h"

#include "am/backend_plan.h"
#include "common/geni_error.h"
#include "rspec/parse.h"

#include <map>
#include <set>

#include "am/slice_store.h"
#include "gmoc/monitoring_json.h"

namespace federa::am {
namespace {

using federation::HopKind;
using federation::Inventory;

std::string switch_name(const federation::Site& site) { return "switch-" + site.name; }

std::string interface_urn(const std::string& authority, const std::string& resource, const std::string& interface) {
  return "urn:publicid:IDN+" + authority + "+interface+" + resource + ":" + interface;
}

gmoc::Interface interface(const std::string& authority, const std::string& resource, const std::string& name,
                          std::int64_t max_kbps) {
  gmoc::Interface result;
  result.name = name;
  result.urn = interface_urn(authority, resource, name);
  result.max_bps = max_kbps * 1000;
  return result;
}

std::string host_name(const Inventory& inventory, const std::string& host_urn) {
  const auto host = inventory.find_host(host_urn);
  return host ? inventory.hosts()[*host].name : host_urn;
}

std::string circuit_name(const std::string& sliver_urn) { return "sliver-" + gmoc::sliver_uuid(sliver_urn); }

// A link sliver between two hosts is a circuit; a host-local one has none.
bool has_circuit(const SliverRecord& sliver) { return sliver.link && sliver.link->host_a != sliver.link->host_b; }

std::vector<int> tags_of(const federation::LinkPlacement& link) {
  std::set<int> tags;
  for (const auto& hop : link.hops) {
    if (hop.vlan_tag) tags.insert(*hop.vlan_tag);
  }
  return {tags.begin(), tags.end()};
}

// Adds the tags of a link sliver to the interfaces its path uses.
void mark_vlans(const Inventory& inventory, const federation::LinkPlacement& link,
                std::map<std::pair<std::string, std::string>, std::set<int>>& in_use) {
  for (const auto& hop : link.hops) {
    if (!hop.vlan_tag) continue;
    if (hop.kind == HopKind::kInterSite) {
      const auto index = inventory.find_link(hop.urn);
      if (!index) continue;
      const auto& inter = inventory.links()[*index];
      for (int site : {inter.site_a, inter.site_b}) {
        in_use[{switch_name(inventory.sites()[site]), inter.name}].insert(*hop.vlan_tag);
      }
      continue;
    }
    for (const std::string& host_urn : {link.host_a, link.host_b}) {
      const auto host = inventory.find_host(host_urn);
      if (!host || inventory.sites()[inventory.hosts()[*host].site].urn != hop.urn) continue;
      const auto& record = inventory.hosts()[*host];
      in_use[{record.name, "eth0"}].insert(*hop.vlan_tag);
      in_use[{switch_name(inventory.sites()[record.site]), record.name}].insert(*hop.vlan_tag);
    }
  }
}

struct State {
  std::vector<SliceRecord> slices;
  std::map<std::string, std::vector<std::string>> users;  // by slice
  std::vector<SliverRecord> slivers;
  // Slices with provisioned slivers: what the backend plan needs to name their ports.
  std::map<std::string, std::vector<rspec::RSpec>> requests;
  std::map<std::string, std::vector<SliceUser>> slice_users;
  std::map<std::string, Timestamp> provisioned_at;  // by sliver
};

State read_state(store::Store& store) {
  return store.read([](store::Transaction& tx) {
    State state;
    state.slices = slice_store::slices(tx, false);
    for (const SliceRecord& slice : state.slices) {
      for (const SliceUser& user : slice_store::users_of(tx, slice.urn)) state.users[slice.urn].push_back(user.urn);
    }
    state.slivers = slice_store::all_slivers(tx);
    for (const SliverRecord& sliver : state.slivers) {
      if (sliver.states.allocation != AllocationState::kProvisioned) continue;
      if (!state.requests.contains(sliver.slice_urn)) {
        for (const std::string& text : slice_store::requests_of(tx, sliver.slice_urn)) {
          state.requests[sliver.slice_urn].push_back(rspec::parse_request(text));
        }
        state.slice_users[sliver.slice_urn] = slice_store::users_of(tx, sliver.slice_urn);
      }
      const auto at = tx.query_one("SELECT MIN(at) FROM events WHERE sliver_urn = $1 AND kind = 'provisioned'", sliver.urn);
      state.provisioned_at[sliver.urn] =
          at && !at->is_null(0) ? parse_rfc3339(at->get<std::string>(0)).value_or(sliver.start_time) : sliver.start_time;
    }
    return state;
  });
}

Timestamp time_of(const std::string& text) { return parse_rfc3339(text).value_or(Timestamp{}); }

}  // namespace

OpsSource::OpsSource(store::Store& store, std::shared_ptr<federation::InventoryHolder> inventory,
                     gmoc::AggregateIdentity identity)
    : store_(store), inventory_(std::move(inventory)), identity_(std::move(identity)) {}

void OpsSource::set_am_url(const std::string& am_url) {
  std::lock_guard lock(mutex_);
  identity_.am_url = am_url;
}

void OpsSource::set_link_counters(std::function<std::vector<LinkCounters>()> read) {
  std::lock_guard lock(mutex_);
  link_counters_ = std::move(read);
}

gmoc::AggregateIdentity OpsSource::identity() const {
  gmoc::AggregateIdentity identity = [this] {
    std::lock_guard lock(mutex_);
    return identity_;
  }();
  for (const auto& site : inventory_->snapshot()->sites()) {
    gmoc::Site pop{site.name, site.urn, "", std::nullopt, std::nullopt};
    if (site.location) {
      pop.country = site.location->country;
      pop.latitude = site.location->latitude;
      pop.longitude = site.location->longitude;
    }
    identity.sites.push_back(std::move(pop));
  }
  return identity;
}

gmoc::Topology OpsSource::topology() const {
  const auto inventory = inventory_->snapshot();
  const State state = read_state(store_);
  std::map<std::pair<std::string, std::string>, std::set<int>> in_use;
  for (const SliverRecord& sliver : state.slivers) {
    if (sliver.link) mark_vlans(*inventory, *sliver.link, in_use);
  }
  gmoc::Topology topology;
  for (const auto& host : inventory->hosts()) {
    const auto& site = inventory->sites()[host.site];
    gmoc::Resource resource{host.name, host.urn, gmoc::ResourceType::kServer, site.urn, host.memory_mb * 1024,
                            !host.drained, {interface(site.authority, host.name, "eth0", host.uplink_kbps)}};
    topology.resources.push_back(std::move(resource));
  }
  for (std::size_t index = 0; index < inventory->sites().size(); ++index) {
    const auto& site = inventory->sites()[index];
    gmoc::Resource resource{switch_name(site), "urn:publicid:IDN+" + site.authority + "+node+" + switch_name(site),
                            gmoc::ResourceType::kSwitch, site.urn, 0, true, {}};
    for (int host : site.hosts) {
      const auto& record = inventory->hosts()[host];
      resource.interfaces.push_back(interface(site.authority, resource.name, record.name, record.uplink_kbps));
    }
    for (int link : inventory->links_at(static_cast<int>(index))) {
      const auto& inter = inventory->links()[link];
      resource.interfaces.push_back(interface(site.authority, resource.name, inter.name, inter.bandwidth_kbps));
    }
    topology.resources.push_back(std::move(resource));
  }
  for (auto& resource : topology.resources) {
    for (auto& port : resource.interfaces) {
      const auto& tags = in_use[{resource.name, port.name}];
      port.vlans.assign(tags.begin(), tags.end());
    }
  }
  for (const auto& inter : inventory->links()) {
    topology.circuits.push_back({inter.name, inter.urn, inter.bandwidth_kbps,
                                 {{switch_name(inventory->sites()[inter.site_a]), inter.name},
                                  {switch_name(inventory->sites()[inter.site_b]), inter.name}},
                                 {}});
  }
  for (const SliverRecord& sliver : state.slivers) {
    if (!has_circuit(sliver)) continue;
    topology.circuits.push_back({circuit_name(sliver.urn), sliver.urn, sliver.link->capacity_kbps,
                                 {{host_name(*inventory, sliver.link->host_a), "eth0"},
                                  {host_name(*inventory, sliver.link->host_b), "eth0"}},
                                 tags_of(*sliver.link)});
  }
  return topology;
}

std::vector<gmoc::Slice> OpsSource::slices() const {
  const State state = read_state(store_);
  std::vector<gmoc::Slice> slices;
  for (const SliceRecord& slice : state.slices) {
    const auto users = state.users.find(slice.urn);
    slices.push_back({slice.urn, slice.expires, slice.shutdown,
                      users == state.users.end() ? std::vector<std::string>{} : users->second});
  }
  return slices;
}

std::vector<gmoc::Sliver> OpsSource::slivers() const {
  const auto inventory = inventory_->snapshot();
  std::vector<gmoc::Sliver> slivers;
  for (const SliverRecord& record : read_state(store_).slivers) {
    gmoc::Sliver sliver;
    sliver.urn = record.urn;
    sliver.slice_urn = record.slice_urn;
    sliver.client_id = record.client_id;
    sliver.kind = record.node ? gmoc::SliverKind::kNode : gmoc::SliverKind::kLink;
    sliver.allocation_state = to_string(record.states.allocation);
    sliver.operational_state = to_string(record.states.operational);
    sliver.created = record.start_time;
    sliver.expires = record.expires;
    if (record.node) {
      sliver.resource = host_name(*inventory, record.node->host_urn);
      sliver.resource_urn = record.node->host_urn;
    } else if (has_circuit(record)) {
      sliver.resource = circuit_name(record.urn);
      sliver.resource_urn = record.urn;
    } else {
      sliver.kind = gmoc::SliverKind::kNode;  // a host-local link lives on its host
      sliver.resource = host_name(*inventory, record.link->host_a);
      sliver.resource_urn = record.link->host_a;
    }
    slivers.push_back(std::move(sliver));
  }
  return slivers;
}

namespace {

// The IP address and MAC of every port the backend gives the slice's provisioned nodes.
void add_port_bindings(const State& state, const std::string& slice_urn, const federation::Inventory& inventory,
                       std::vector<gmoc::Binding>& bindings) {
  std::vector<SliverRecord> provisioned;
  for (const SliverRecord& sliver : state.slivers) {
    if (sliver.slice_urn == slice_urn && sliver.states.allocation == AllocationState::kProvisioned) {
      provisioned.push_back(sliver);
    }
  }
  SlicePlan plan;
  try {
    plan = plan_slice({slice_urn, provisioned, state.requests.at(slice_urn), state.slice_users.at(slice_urn), inventory, ""});
  } catch (const GeniError&) {
    return;  // a host left the inventory: its addresses are not known any more
  }
  const auto users = state.users.find(slice_urn);
  for (const SliverRecord& sliver : provisioned) {
    if (!sliver.node) continue;
    for (const PlannedPort& port : plan.ports[sliver.client_id]) {
      const std::string interface = sliver.client_id + ":" + port.link_client_id;
      for (auto [kind, value] : {std::pair{gmoc::BindingKind::kIp, port.port.address.substr(0, port.port.address.find('/'))},
                                 std::pair{gmoc::BindingKind::kMac, port.port.mac}}) {
        bindings.push_back({kind, value, interface, slice_urn, sliver.urn,
                            users == state.users.end() ? std::vector<std::string>{} : users->second,
                            state.provisioned_at.at(sliver.urn), std::nullopt});
      }
    }
  }
}

}  // namespace

std::vector<gmoc::Binding> OpsSource::live_bindings() const {
  const State state = read_state(store_);
  std::vector<gmoc::Binding> bindings;
  const auto inventory = inventory_->snapshot();
  for (const auto& [slice_urn, requests] : state.requests) add_port_bindings(state, slice_urn, *inventory, bindings);
  for (const SliverRecord& sliver : state.slivers) {
    const auto users = state.users.find(sliver.slice_urn);
    gmoc::Binding binding;
    binding.slice_urn = sliver.slice_urn;
    binding.sliver_urn = sliver.urn;
    binding.users = users == state.users.end() ? std::vector<std::string>{} : users->second;
    binding.from = sliver.start_time;
    if (sliver.node) {
      binding.kind = gmoc::BindingKind::kHost;
      binding.value = sliver.node->host_urn;
      binding.resource = sliver.node->site_urn;
      bindings.push_back(binding);
      continue;
    }
    for (const auto& hop : sliver.link->hops) {
      if (!hop.vlan_tag) continue;
      binding.kind = gmoc::BindingKind::kVlan;
      binding.value = std::to_string(*hop.vlan_tag);
      binding.resource = hop.urn;
      bindings.push_back(binding);
    }
  }
  return bindings;
}

std::optional<Timestamp> OpsSource::sliver_ended(const std::string& sliver_urn) const {
  const auto row = store_.read([&](store::Transaction& tx) {
    return tx.query_one("SELECT MIN(at) FROM events WHERE sliver_urn = $1 AND kind IN ('deleted', 'expired')",
                        sliver_urn);
  });
  if (!row || row->is_null(0)) return std::nullopt;
  return time_of(row->get<std::string>(0));
}

std::vector<gmoc::Event> OpsSource::events_after(std::int64_t after_id, std::size_t limit) const {
  return store_.read([&](store::Transaction& tx) {
    std::vector<gmoc::Event> events;
    for (const auto& row : tx.query("SELECT id, at, slice_urn, sliver_urn, kind, detail FROM events WHERE id > $1 "
                                     "ORDER BY id LIMIT $2",
                                     after_id, static_cast<std::int64_t>(limit))) {
      events.push_back({row.get<std::int64_t>(0), time_of(row.get<std::string>(1)), row.get<std::string>(2),
                        row.get<std::string>(3), row.get<std::string>(4), row.get<std::string>(5)});
    }
    return events;
  });
}

std::vector<gmoc::Sample> OpsSource::samples(Timestamp at) const {
  const auto inventory = inventory_->snapshot();
  const State state = read_state(store_);
  std::map<std::string, std::pair<int, std::int64_t>> per_host;  // host URN -> slivers, memory MB
  int nodes = 0;
  for (const SliverRecord& sliver : state.slivers) {
    if (!sliver.node) continue;
    ++nodes;
    auto& [count, memory] = per_host[sliver.node->host_urn];
    ++count;
    memory += sliver.node->demand.memory_mb;
  }
  std::vector<gmoc::Sample> samples{{"aggregate", identity_.id, "is_available", at, 1},
                                    {"aggregate", identity_.id, "num_vms_allocated", at, double(nodes)}};
  for (const auto& host : inventory->hosts()) {
    const std::string id = gmoc::node_id(identity_, host.name);
    const auto [count, memory] = per_host[host.urn];
    samples.push_back({"node", id, "is_available", at, host.drained ? 0.0 : 1.0});
    samples.push_back({"node", id, "num_vms_allocated", at, double(count)});
    samples.push_back({"node", id, "mem_used_kb", at, double(memory * 1024)});
  }
  for (const SliverRecord& sliver : state.slivers) {
    if (!has_circuit(sliver)) continue;
    const std::string id = gmoc::link_id(identity_, circuit_name(sliver.urn));
    const bool ready = sliver.states.allocation == AllocationState::kProvisioned &&
                       sliver.states.operational == OperationalState::kReady;
    samples.push_back({"link", id, "is_available", at, ready ? 1.0 : 0.0});
    samples.push_back({"link", id, "max_bps", at, double(sliver.link->capacity_kbps) * 1000});
  }
  for (gmoc::Sample& sample : traffic_samples(at)) samples.push_back(std::move(sample));
  return samples;
}

std::vector<gmoc::Sample> OpsSource::traffic_samples(Timestamp at) const {
  const auto read = [this] {
    std::lock_guard lock(mutex_);
    return link_counters_;
  }();
  if (!read) return {};
  std::vector<gmoc::TrafficCounters> counters;
  for (const LinkCounters& link : read()) {
    counters.push_back({"link", gmoc::link_id(identity_, circuit_name(link.sliver_urn)), link.rx_bytes, link.tx_bytes,
                        link.rx_packets, link.tx_packets});
  }
  return rates_.update(counters, at);
}

}  // namespace federa::am
