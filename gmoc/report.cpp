#include "gmoc/report.h"

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

}  // namespace

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

}  // namespace federa::gmoc
