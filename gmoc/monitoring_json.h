// The GENI Operational Monitoring v2 JSON documents (schemas in schema/monitoring/, ids
// http://www.gpolab.bbn.com/monitoring/schema/20151105/<type>#) built from the ops model.
// Object ids follow the reference datastores: "<aggregate id>_node_<name>",
// "<aggregate id>_interface_<resource>:<interface>", "<interface id>:<tag>" (interfacevlan),
// "<aggregate id>_link_<name>", "<aggregate id>_sliver_<uuid>". `base` is the datastore's
// "https://host:port" for selfRef/href. Timestamps are microseconds since the epoch.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "gmoc/ops_model.h"

namespace federa::gmoc {

struct MetricInfo {
  const char* name;
  const char* object_type;
  const char* units;
  const char* description;
};
// The metrics federa reports (GENI opsconfig catalogue names).
const std::vector<MetricInfo>& metric_catalogue();
std::optional<MetricInfo> find_metric(const std::string& name);

std::string node_id(const AggregateIdentity& aggregate, const std::string& resource);
std::string interface_id(const AggregateIdentity& aggregate, const std::string& resource, const std::string& interface);
std::string link_id(const AggregateIdentity& aggregate, const std::string& circuit);
std::string sliver_id(const AggregateIdentity& aggregate, const std::string& sliver_urn);
// The last "+" field of a sliver URN (federa: the UUID).
std::string sliver_uuid(const std::string& sliver_urn);

std::int64_t micros(Timestamp time);

// The snapshot every document of one answer is built from.
struct DatastoreView {
  AggregateIdentity aggregate;
  Topology topology;
  std::vector<Sliver> slivers;
  std::string base;  // "https://host:port"
  Timestamp now{};
};

nlohmann::json aggregate_json(const DatastoreView& view);
// nullopt when the view has no such object.
std::optional<nlohmann::json> node_json(const DatastoreView& view, const std::string& id);
std::optional<nlohmann::json> interface_json(const DatastoreView& view, const std::string& id);
std::optional<nlohmann::json> interfacevlan_json(const DatastoreView& view, const std::string& id);
std::optional<nlohmann::json> link_json(const DatastoreView& view, const std::string& id);
std::optional<nlohmann::json> sliver_json(const DatastoreView& view, const std::string& id);
// One "data" document per (object, metric) series among the samples (grouped, in time order).
nlohmann::json data_json(const DatastoreView& view, const std::vector<Sample>& samples);
nlohmann::json error_json(const std::string& message, const std::string& origin_url);

}  // namespace federa::gmoc
