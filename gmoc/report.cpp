#include "gmoc/report.h"

#include <cmath>
#include <stdexcept>

#include "gmoc/json_fields.h"
#include "gmoc/monitoring_json.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxEventsPerReport = 10'000;

json identity_json(const AggregateIdentity& identity) {
  json sites = json::array();
  for (const Site& site : identity.sites) sites.push_back({{"name", site.name}, {"urn", site.urn}, {"country", site.country}});
  return {{"id", identity.id},
          {"urn", identity.urn},
          {"am_url", identity.am_url},
          {"organization", identity.organization.name},
          {"contact", identity.organization.primary_contact.email},
          {"sites", sites}};
}


Interface interface_of(const json& j) {
  Interface interface;
  interface.name = field<std::string>(j, "name");
  interface.vlans = integer_list<int>(j, "vlans");
  return interface;
}

Resource resource_of(const json& j) {
  const std::string type = field<std::string>(j, "type");
  if (type != "server" && type != "switch") throw std::invalid_argument("unknown resource type '" + type + "'");
  return {field<std::string>(j, "name"), field<std::string>(j, "urn"),
          type == "switch" ? ResourceType::kSwitch : ResourceType::kServer, field<std::string>(j, "site_urn"), 0,
          field<bool>(j, "available"), list_field<Interface>(j, "interfaces", interface_of)};
}

// "resource:interface" (resource names carry no ':').
Endpoint endpoint_of(const json& j) {
  if (!j.is_string()) throw std::invalid_argument("a circuit endpoint is not a string");
  const std::string text = j.get<std::string>();
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos) throw std::invalid_argument("circuit endpoint '" + text + "' is not resource:interface");
  return {text.substr(0, colon), text.substr(colon + 1)};
}

Circuit circuit_of(const json& j) {
  return {field<std::string>(j, "name"), field<std::string>(j, "urn"), field<std::int64_t>(j, "capacity_kbps"),
          list_field<Endpoint>(j, "endpoints", endpoint_of), integer_list<int>(j, "vlans")};
}

Slice slice_of(const json& j) {
  return {field<std::string>(j, "urn"), time_field(j, "expires"), field<bool>(j, "shutdown"),
          field<std::vector<std::string>>(j, "users")};
}

Sliver sliver_of(const json& j) {
  const std::string kind = field<std::string>(j, "kind");
  if (kind != "node" && kind != "link") throw std::invalid_argument("unknown sliver kind '" + kind + "'");
  return {field<std::string>(j, "urn"),
          field<std::string>(j, "slice_urn"),
          field<std::string>(j, "client_id"),
          kind == "node" ? SliverKind::kNode : SliverKind::kLink,
          field<std::string>(j, "allocation_state"),
          field<std::string>(j, "operational_state"),
          time_field(j, "created"),
          time_field(j, "expires"),
          field<std::string>(j, "resource"),
          field<std::string>(j, "resource_urn")};
}

Event event_of(const json& j) {
  return {field<std::int64_t>(j, "id"), time_field(j, "at"), field<std::string>(j, "slice_urn"),
          field<std::string>(j, "sliver_urn"), field<std::string>(j, "kind"), field<std::string>(j, "detail")};
}

Sample sample_of(const json& j) {
  const double value = field<double>(j, "v");
  if (!std::isfinite(value)) throw std::invalid_argument("a sample's 'v' is not a finite number");
  return {field<std::string>(j, "object_type"), field<std::string>(j, "object_id"), field<std::string>(j, "metric"),
          time_field(j, "ts"), value};
}

}  // namespace

json topology_json(const Topology& topology) {
  json resources = json::array();
  for (const Resource& resource : topology.resources) {
    json interfaces = json::array();
    for (const Interface& interface : resource.interfaces) {
      interfaces.push_back({{"name", interface.name}, {"vlans", interface.vlans}});
    }
    resources.push_back({{"name", resource.name},
                         {"urn", resource.urn},
                         {"type", resource.type == ResourceType::kSwitch ? "switch" : "server"},
                         {"site_urn", resource.site_urn},
                         {"available", resource.available},
                         {"interfaces", interfaces}});
  }
  json circuits = json::array();
  for (const Circuit& circuit : topology.circuits) {
    json endpoints = json::array();
    for (const Endpoint& endpoint : circuit.endpoints) endpoints.push_back(endpoint.resource + ":" + endpoint.interface);
    circuits.push_back({{"name", circuit.name},
                        {"urn", circuit.urn},
                        {"capacity_kbps", circuit.capacity_kbps},
                        {"endpoints", endpoints},
                        {"vlans", circuit.vlans}});
  }
  return {{"resources", resources}, {"circuits", circuits}};
}


json ReportCursor::to_json() const { return {{"event_id", event_id}, {"samples_after", micros(samples_after)}}; }

ReportCursor ReportCursor::from_json(const json& j) {
  return {j.value("event_id", std::int64_t{0}), Timestamp(std::chrono::microseconds(j.value("samples_after", std::int64_t{0})))};
}

json build_report(const OperationalSource& source, History& history, ReportCursor& cursor, Timestamp now) {
  json slices = json::array();
  for (const Slice& slice : source.slices()) {
    slices.push_back({{"urn", slice.urn}, {"expires", micros(slice.expires)}, {"shutdown", slice.shutdown}, {"users", slice.users}});
  }
  json slivers = json::array();
  for (const Sliver& sliver : source.slivers()) {
    slivers.push_back({{"urn", sliver.urn},
                       {"slice_urn", sliver.slice_urn},
                       {"client_id", sliver.client_id},
                       {"kind", sliver.kind == SliverKind::kNode ? "node" : "link"},
                       {"allocation_state", sliver.allocation_state},
                       {"operational_state", sliver.operational_state},
                       {"created", micros(sliver.created)},
                       {"expires", micros(sliver.expires)},
                       {"resource", sliver.resource},
                       {"resource_urn", sliver.resource_urn}});
  }
  json events = json::array();
  for (const Event& event : source.events_after(cursor.event_id, kMaxEventsPerReport)) {
    events.push_back({{"id", event.id}, {"at", micros(event.at)}, {"slice_urn", event.slice_urn},
                      {"sliver_urn", event.sliver_urn}, {"kind", event.kind}, {"detail", event.detail}});
    cursor.event_id = event.id;
  }
  json samples = json::array();
  const Timestamp after = cursor.samples_after + std::chrono::microseconds(1);
  for (const Sample& sample : history.samples({{}, "", {}, after, now})) {
    samples.push_back({{"object_type", sample.object_type}, {"object_id", sample.object_id},
                       {"metric", sample.metric}, {"ts", micros(sample.at)}, {"v", sample.value}});
    cursor.samples_after = std::max(cursor.samples_after, sample.at);
  }
  return {{"format", kReportFormat},
          {"time", micros(now)},
          {"aggregate", identity_json(source.identity())},
          {"slices", slices},
          {"slivers", slivers},
          {"topology", topology_json(source.topology())},
          {"events", events},
          {"samples", samples}};
}

PushReport parse_report(const json& report) {
  if (field<std::string>(report, "format") != kReportFormat) {
    throw std::invalid_argument(std::string("the report's format is not ") + kReportFormat);
  }
  const json aggregate = field<json>(report, "aggregate");
  PushReport parsed;
  parsed.aggregate.id = field<std::string>(aggregate, "id");
  parsed.aggregate.urn = field<std::string>(aggregate, "urn");
  parsed.aggregate.am_url = field<std::string>(aggregate, "am_url");
  parsed.aggregate.organization.name = field<std::string>(aggregate, "organization");
  parsed.seq = field<std::int64_t>(report, "seq");
  if (parsed.aggregate.id.empty() || parsed.seq <= 0) throw std::invalid_argument("the report needs an aggregate id and seq >= 1");
  parsed.time = time_field(report, "time");
  const json topology = field<json>(report, "topology");
  parsed.topology = {list_field<Resource>(topology, "resources", resource_of),
                     list_field<Circuit>(topology, "circuits", circuit_of)};
  parsed.slices = list_field<Slice>(report, "slices", slice_of);
  parsed.slivers = list_field<Sliver>(report, "slivers", sliver_of);
  parsed.events = list_field<Event>(report, "events", event_of);
  parsed.samples = list_field<Sample>(report, "samples", sample_of);
  return parsed;
}

}  // namespace federa::gmoc
