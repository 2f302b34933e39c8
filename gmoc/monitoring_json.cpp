#include "gmoc/monitoring_json.h"

#include <map>

namespace federa::gmoc {
namespace {

using nlohmann::json;

std::string schema(const std::string& type) { return "http://www.gpolab.bbn.com/monitoring/schema/20151105/" + type + "#"; }

json header(const DatastoreView& view, const std::string& type, const std::string& id, const std::string& urn) {
  return {{"$schema", schema(type)},
          {"id", id},
          {"selfRef", view.base + "/info/" + type + "/" + id},
          {"urn", urn},
          {"ts", micros(view.now)}};
}

json ref(const DatastoreView& view, const std::string& type, const std::string& id, const std::string& urn) {
  return {{"urn", urn}, {"href", view.base + "/info/" + type + "/" + id}};
}

json reported_metrics(const std::string& object_type) {
  json metrics = json::array();
  for (const MetricInfo& metric : metric_catalogue()) {
    if (object_type == metric.object_type) metrics.push_back({{"metric", metric.name}, {"period", 10}});
  }
  return metrics;
}

const Resource* find_resource(const DatastoreView& view, const std::string& name) {
  for (const Resource& resource : view.topology.resources) {
    if (resource.name == name) return &resource;
  }
  return nullptr;
}

const Interface* find_interface(const Resource& resource, const std::string& name) {
  for (const Interface& interface : resource.interfaces) {
    if (interface.name == name) return &interface;
  }
  return nullptr;
}

// Finds the resource and interface an interface id names.
std::optional<std::pair<const Resource*, const Interface*>> resolve_interface(const DatastoreView& view,
                                                                              const std::string& id) {
  for (const Resource& resource : view.topology.resources) {
    for (const Interface& interface : resource.interfaces) {
      if (interface_id(view.aggregate, resource.name, interface.name) == id) {
        return std::make_pair(&resource, &interface);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<MetricInfo>& metric_catalogue() {
  static const std::vector<MetricInfo> catalogue{
      {"is_available", "aggregate", "boolean", "1 when the aggregate answers its API"},
      {"num_vms_allocated", "aggregate", "count", "node slivers allocated or provisioned"},
      {"is_available", "node", "boolean", "1 when the host takes new slivers (not drained)"},
      {"num_vms_allocated", "node", "count", "node slivers placed on this host"},
      {"mem_used_kb", "node", "kilobytes", "memory reserved by the slivers on this host"},
      {"is_available", "link", "boolean", "1 when the link sliver is provisioned and ready"},
      {"max_bps", "link", "bps", "bandwidth allocated to the link sliver, bits per second"},
      {"rx_bps", "link", "bps", "bits per second received on the link sliver's device"},
      {"tx_bps", "link", "bps", "bits per second sent on the link sliver's device"},
      {"rx_pps", "link", "pps", "packets per second received on the link sliver's device"},
      {"tx_pps", "link", "pps", "packets per second sent on the link sliver's device"},
  };
  return catalogue;
}

std::optional<MetricInfo> find_metric(const std::string& name) {
  for (const MetricInfo& metric : metric_catalogue()) {
    if (name == metric.name) return metric;
  }
  return std::nullopt;
}

std::string node_id(const AggregateIdentity& aggregate, const std::string& resource) {
  return aggregate.id + "_node_" + resource;
}

std::string interface_id(const AggregateIdentity& aggregate, const std::string& resource, const std::string& interface) {
  return aggregate.id + "_interface_" + resource + ":" + interface;
}

std::string link_id(const AggregateIdentity& aggregate, const std::string& circuit) {
  return aggregate.id + "_link_" + circuit;
}

std::string sliver_uuid(const std::string& sliver_urn) { return sliver_urn.substr(sliver_urn.rfind('+') + 1); }

std::string sliver_id(const AggregateIdentity& aggregate, const std::string& sliver_urn) {
  return aggregate.id + "_sliver_" + sliver_uuid(sliver_urn);
}

std::int64_t micros(Timestamp time) { return time.time_since_epoch().count(); }

json aggregate_json(const DatastoreView& view) {
  json doc = header(view, "aggregate", view.aggregate.id, view.aggregate.urn);
  doc["measRef"] = view.base + "/data/";
  doc["monitoring_version"] = "federa-1";
  doc["operational_status"] = "production";
  json resources = json::array();
  for (const Resource& resource : view.topology.resources) {
    json entry = ref(view, "node", node_id(view.aggregate, resource.name), resource.urn);
    entry["resource_type"] = "node";
    resources.push_back(entry);
  }
  for (const Circuit& circuit : view.topology.circuits) {
    json entry = ref(view, "link", link_id(view.aggregate, circuit.name), circuit.urn);
    entry["resource_type"] = "link";
    resources.push_back(entry);
  }
  doc["resources"] = resources;
  json slivers = json::array();
  for (const Sliver& sliver : view.slivers) {
    slivers.push_back(ref(view, "sliver", sliver_id(view.aggregate, sliver.urn), sliver.urn));
  }
  doc["slivers"] = slivers;
  doc["reported_metrics"] = reported_metrics("aggregate");
  return doc;
}

std::optional<json> node_json(const DatastoreView& view, const std::string& id) {
  for (const Resource& resource : view.topology.resources) {
    if (node_id(view.aggregate, resource.name) != id) continue;
    json doc = header(view, "node", id, resource.urn);
    doc["node_type"] = resource.type == ResourceType::kSwitch ? "switch" : "server";
    if (resource.type == ResourceType::kServer) {
      doc["ops_monitoring:mem_total_kb"] = resource.memory_kb;
      doc["virtualization_type"] = "kvm";
    }
    json interfaces = json::array();
    for (const Interface& interface : resource.interfaces) {
      interfaces.push_back(ref(view, "interface", interface_id(view.aggregate, resource.name, interface.name), interface.urn));
    }
    doc["interfaces"] = interfaces;
    doc["reported_metrics"] = reported_metrics("node");
    return doc;
  }
  return std::nullopt;
}

std::optional<json> interface_json(const DatastoreView& view, const std::string& id) {
  const auto found = resolve_interface(view, id);
  if (!found) return std::nullopt;
  const Interface& interface = *found->second;
  json doc = header(view, "interface", id, interface.urn);
  json addresses = json::array();
  for (const Address& address : interface.addresses) {
    addresses.push_back({{"addrtype", address.type}, {"address", address.value}});
  }
  if (!addresses.empty()) doc["addresses"] = addresses;
  doc["ops_monitoring:role"] = interface.role;
  if (interface.max_bps > 0) doc["ops_monitoring:max_bps"] = interface.max_bps;
  return doc;
}

std::optional<json> interfacevlan_json(const DatastoreView& view, const std::string& id) {
  const auto colon = id.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  const auto found = resolve_interface(view, id.substr(0, colon));
  if (!found) return std::nullopt;
  const Interface& interface = *found->second;
  for (int tag : interface.vlans) {
    if (id.substr(colon + 1) != std::to_string(tag)) continue;
    json doc = header(view, "interfacevlan", id, interface.urn + ":" + std::to_string(tag));
    doc["tag"] = tag;
    doc["interface"] = ref(view, "interface", id.substr(0, colon), interface.urn);
    return doc;
  }
  return std::nullopt;
}

std::optional<json> link_json(const DatastoreView& view, const std::string& id) {
  for (const Circuit& circuit : view.topology.circuits) {
    if (link_id(view.aggregate, circuit.name) != id) continue;
    json doc = header(view, "link", id, circuit.urn);
    doc["layer"] = "layer2";
    json endpoints = json::array();
    for (const Endpoint& endpoint : circuit.endpoints) {
      const Resource* resource = find_resource(view, endpoint.resource);
      const Interface* interface = resource ? find_interface(*resource, endpoint.interface) : nullptr;
      if (!interface) continue;
      endpoints.push_back(ref(view, "interface", interface_id(view.aggregate, resource->name, interface->name), interface->urn));
    }
    doc["endpoints"] = endpoints;
    return doc;
  }
  return std::nullopt;
}

std::optional<json> sliver_json(const DatastoreView& view, const std::string& id) {
  for (const Sliver& sliver : view.slivers) {
    if (sliver_id(view.aggregate, sliver.urn) != id) continue;
    json doc = header(view, "sliver", id, sliver.urn);
    doc["uuid"] = sliver_uuid(sliver.urn);
    doc["aggregate"] = ref(view, "aggregate", view.aggregate.id, view.aggregate.urn);
    doc["slice_urn"] = sliver.slice_urn;
    doc["created"] = micros(sliver.created);
    doc["expires"] = micros(sliver.expires);
    const bool node = sliver.kind == SliverKind::kNode;
    const std::string type = node ? "node" : "link";
    const std::string target = node ? node_id(view.aggregate, sliver.resource) : link_id(view.aggregate, sliver.resource);
    json resource = ref(view, type, target, sliver.resource_urn);
    resource["resource_type"] = type;
    doc["resources"] = json::array({resource});
    return doc;
  }
  return std::nullopt;
}

json data_json(const DatastoreView& view, const std::vector<Sample>& samples) {
  std::map<std::tuple<std::string, std::string, std::string>, json> series;
  for (const Sample& sample : samples) {
    const auto key = std::make_tuple(sample.object_type, sample.object_id, sample.metric);
    auto [it, fresh] = series.try_emplace(key);
    if (fresh) {
      const auto info = find_metric(sample.metric);
      it->second = {{"$schema", schema("data")},
                    {"id", sample.metric + ":" + sample.object_id},
                    {"subject", view.base + "/info/" + sample.object_type + "/" + sample.object_id},
                    {"eventType", "ops_monitoring:" + sample.metric},
                    {"units", info ? info->units : "count"},
                    {"description", info ? info->description : sample.metric},
                    {"tsdata", json::array()}};
    }
    it->second["tsdata"].push_back({{"ts", micros(sample.at)}, {"v", sample.value}});
  }
  json all = json::array();
  for (auto& [key, doc] : series) all.push_back(std::move(doc));
  return all;
}

json error_json(const std::string& message, const std::string& origin_url) {
  return {{"$schema", schema("error")}, {"error_message", message}, {"origin_url", origin_url}};
}

}  // namespace federa::gmoc
