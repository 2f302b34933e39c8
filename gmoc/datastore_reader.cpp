#include "gmoc/datastore_reader.h"

#include <algorithm>

#include "gmoc/json_fields.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

// "/info/<type>/<id>" of an href (whatever host it names: the poller asks its configured URL).
std::string info_path(const std::string& href) {
  const std::size_t start = href.find("/info/");
  if (start == std::string::npos) throw std::invalid_argument("href '" + href + "' is not a datastore /info/ URL");
  std::string path = href.substr(start);
  if (std::any_of(path.begin(), path.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7f; })) {
    throw std::invalid_argument("href '" + href + "' has characters a URL path cannot carry");
  }
  return path;
}

// The last segment of "/info/<type>/<id>".
std::string id_of(const std::string& href) {
  const std::string path = info_path(href);
  return path.substr(path.rfind('/') + 1);
}

// The name in "<aggregate>_<kind>_<name>".
std::string name_in(const std::string& id, const std::string& aggregate_id, const std::string& kind) {
  const std::string prefix = aggregate_id + "_" + kind + "_";
  if (!id.starts_with(prefix) || id.size() == prefix.size()) {
    throw std::invalid_argument("'" + id + "' is not a " + kind + " of aggregate " + aggregate_id);
  }
  return id.substr(prefix.size());
}

// The resource and interface of an interface reference.
Endpoint endpoint_of(const json& ref, const std::string& aggregate_id) {
  const std::string name = name_in(id_of(field<std::string>(ref, "href")), aggregate_id, "interface");
  const std::size_t colon = name.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("interface '" + name + "' is not resource:interface");
  return {name.substr(0, colon), name.substr(colon + 1)};
}

std::vector<std::string> paths_of(const json& doc, const char* list) {
  if (!doc.contains(list)) return {};
  return list_field<std::string>(doc, list, [](const json& ref) { return info_path(field<std::string>(ref, "href")); });
}

}  // namespace

AggregateLinks aggregate_links(const json& doc, const std::string& aggregate_id) {
  if (field<std::string>(doc, "id") != aggregate_id) {
    throw std::invalid_argument("the datastore describes aggregate '" + field<std::string>(doc, "id") + "', not '" +
                                aggregate_id + "'");
  }
  AggregateLinks links;
  links.urn = field<std::string>(doc, "urn");
  for (const std::string& path : paths_of(doc, "resources")) {
    (path.starts_with("/info/link/") ? links.links : links.nodes).push_back(path);
  }
  links.slivers = paths_of(doc, "slivers");
  return links;
}

Resource resource_from(const json& doc, const std::string& aggregate_id) {
  Resource resource;
  resource.name = name_in(field<std::string>(doc, "id"), aggregate_id, "node");
  resource.urn = field<std::string>(doc, "urn");
  resource.type = doc.contains("node_type") && field<std::string>(doc, "node_type") == "switch" ? ResourceType::kSwitch
                                                                                            : ResourceType::kServer;
  if (doc.contains("ops_monitoring:mem_total_kb")) resource.memory_kb = field<std::int64_t>(doc, "ops_monitoring:mem_total_kb");
  if (doc.contains("interfaces")) {
    resource.interfaces = list_field<Interface>(doc, "interfaces", [&](const json& ref) {
      Interface interface;
      interface.name = endpoint_of(ref, aggregate_id).interface;
      interface.urn = field<std::string>(ref, "urn");
      return interface;
    });
  }
  return resource;
}

Circuit circuit_from(const json& doc, const std::string& aggregate_id) {
  Circuit circuit;
  circuit.name = name_in(field<std::string>(doc, "id"), aggregate_id, "link");
  circuit.urn = field<std::string>(doc, "urn");
  circuit.endpoints =
      list_field<Endpoint>(doc, "endpoints", [&](const json& ref) { return endpoint_of(ref, aggregate_id); });
  return circuit;
}

Sliver sliver_from(const json& doc, const std::string& aggregate_id) {
  Sliver sliver;
  sliver.urn = field<std::string>(doc, "urn");
  name_in(field<std::string>(doc, "id"), aggregate_id, "sliver");
  sliver.slice_urn = field<std::string>(doc, "slice_urn");
  sliver.created = time_field(doc, "created");
  sliver.expires = time_field(doc, "expires");
  const json resources = field<json>(doc, "resources");
  if (!resources.is_array() || resources.empty()) throw std::invalid_argument("sliver " + sliver.urn + " has no resources");
  const std::string type = field<std::string>(resources.front(), "resource_type");
  if (type != "node" && type != "link") throw std::invalid_argument("unknown resource_type '" + type + "'");
  sliver.kind = type == "node" ? SliverKind::kNode : SliverKind::kLink;
  sliver.resource = name_in(id_of(field<std::string>(resources.front(), "href")), aggregate_id, type);
  sliver.resource_urn = field<std::string>(resources.front(), "urn");
  return sliver;
}

std::vector<Sample> samples_from(const json& data, const std::string& aggregate_id) {
  if (!data.is_array()) throw std::invalid_argument("a /data/ answer must be a list of data documents");
  std::vector<Sample> samples;
  for (const json& series : data) {
    const std::string path = info_path(field<std::string>(series, "subject"));  // /info/<type>/<id>
    const std::size_t slash = path.find('/', 6);
    if (slash == std::string::npos) throw std::invalid_argument("subject '" + path + "' names no object");
    const std::string type = path.substr(6, slash - 6);
    const std::string id = path.substr(slash + 1);
    if (!id.starts_with(aggregate_id + "_") && id != aggregate_id) {
      throw std::invalid_argument("subject '" + path + "' is not an object of aggregate " + aggregate_id);
    }
    std::string metric = field<std::string>(series, "eventType");
    if (metric.starts_with("ops_monitoring:")) metric.erase(0, 15);
    for (const Sample& point : list_field<Sample>(series, "tsdata", [&](const json& p) {
           return Sample{type, id, metric, time_field(p, "ts"), field<double>(p, "v")};
         })) {
      samples.push_back(point);
    }
  }
  return samples;
}

}  // namespace federa::gmoc
