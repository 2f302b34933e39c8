// Reads an aggregate's monitoring datastore documents (as monitoring_json.h writes them) back
// into the ops model, for the collector's poller. Object ids must be the aggregate's
// ("<aggregate id>_node_<name>", ..._link_, ..._interface_<resource>:<interface>, ..._sliver_);
// what the documents do not carry (VLAN tags, capacities, sliver client ids and states) stays
// empty. Strict: a document lacking a required field, or naming another aggregate's object,
// throws std::invalid_argument naming the problem.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "gmoc/ops_model.h"

namespace federa::gmoc {

// What /info/aggregate/<id> links to, as datastore paths ("/info/node/<id>", ...).
struct AggregateLinks {
  std::string urn;
  std::vector<std::string> nodes, links, slivers;
};

AggregateLinks aggregate_links(const nlohmann::json& doc, const std::string& aggregate_id);
Resource resource_from(const nlohmann::json& node_doc, const std::string& aggregate_id);
Circuit circuit_from(const nlohmann::json& link_doc, const std::string& aggregate_id);
Sliver sliver_from(const nlohmann::json& sliver_doc, const std::string& aggregate_id);
// The samples of a /data/ answer (an array of "data" documents).
std::vector<Sample> samples_from(const nlohmann::json& data, const std::string& aggregate_id);

}  // namespace federa::gmoc
