// The GMOC collector's tables (migration set "gmoc", schema/gmoc): aggregates with health, the
// reports applied (each (aggregate, seq) once, in arrival order), each aggregate's slices and
// slivers as of its latest report, its events and samples, and the audit log of emergency
// actions. Answers for the dashboard come back as JSON. Thread-safe (one transaction per call).
// Pushes and polls land in the same tables: a sample is keyed by (aggregate, object, metric,
// time), so one seen by both is stored once. A push is the aggregate's whole state and replaces
// its slices, slivers and topology; a poll sees less (no shut-down flags, users, client ids,
// states or events), so it adds the slices and slivers it finds and updates their expiry, and
// replaces slices, slivers and topology only for an aggregate that has never pushed.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/rfc3339.h"
#include "gmoc/report.h"
#include "store/store.h"

namespace federa::gmoc {

struct ReceiveOutcome {
  std::string aggregate_id;
  std::int64_t seq = 0;
  bool applied = false;  // false: a duplicate, acknowledged again
};

struct AggregateEndpoint {
  std::string id;
  std::string am_url;
  std::string datastore_url;  // "" = not polled
};

// What one poll of an aggregate's datastore saw (gmoc/poller.h).
struct PollResult {
  std::string aggregate_id;
  std::string urn;
  Topology topology;
  std::vector<Sliver> slivers;  // live ones; the datastore has no client ids or states ("")
  std::vector<Sample> samples;
  Timestamp until{};            // the end of the /data/ time range asked for
};

class CollectorStore {
 public:
  explicit CollectorStore(store::Store& store) : store_(store) {}

  static store::MigrationSet migrations(const std::filesystem::path& schema_dir) { return {schema_dir, "gmoc"}; }

  // Applies a push report (parsed by report.h's parse_report).
  ReceiveOutcome receive(const PushReport& report, Timestamp now);
  // Applies a poll of the aggregate's datastore.
  void apply_poll(const PollResult& poll, Timestamp now);
  // Where the previous poll's /data/ range ended; nullopt before the first poll.
  std::optional<Timestamp> polled_until(const std::string& id);
  // A configured aggregate (before it ever pushed), or new URLs for a known one.
  void add_aggregate(const AggregateEndpoint& aggregate);
  void record_health(const std::string& id, const std::string& health, const std::string& detail, Timestamp now);
  void audit(const std::string& operator_name, const std::string& action, const std::string& target,
             const nlohmann::json& result, Timestamp now);

  std::vector<AggregateEndpoint> aggregates_list();  // with their AM and datastore URLs
  // The aggregates whose latest report has the slice.
  std::vector<AggregateEndpoint> aggregates_holding(const std::string& slice_urn);

  nlohmann::json aggregates();  // [{id, urn, am_url, health, ..., slivers, slices}]
  nlohmann::json slices();      // [{urn, aggregates: [{id, shutdown, slivers: [...]}]}]
  nlohmann::json events(std::size_t limit);
  nlohmann::json series(const std::string& aggregate_id, const std::string& object_id, const std::string& metric);
  nlohmann::json reports(const std::string& aggregate_id);  // [{seq, received_at}] in arrival order
  nlohmann::json audit_log(std::size_t limit);

 private:
  store::Store& store_;
};

}  // namespace federa::gmoc
