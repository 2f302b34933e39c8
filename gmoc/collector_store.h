// The GMOC collector's tables (migration set "gmoc", schema/gmoc): aggregates with health, the
// reports applied (each (aggregate, seq) once, in arrival order), each aggregate's slices and
// slivers as of its latest report, its events and samples, and the audit log of emergency
// actions. Answers for the dashboard come back as JSON. Thread-safe (one transaction per call).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "common/rfc3339.h"
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
};

class CollectorStore {
 public:
  explicit CollectorStore(store::Store& store) : store_(store) {}

  static store::MigrationSet migrations(const std::filesystem::path& schema_dir) { return {schema_dir, "gmoc"}; }

  // Applies a push report (report.h); throws std::invalid_argument naming what is malformed.
  ReceiveOutcome receive(const nlohmann::json& report, Timestamp now);
  // A configured aggregate (before it ever pushed), or a new AM URL for a known one.
  void add_aggregate(const std::string& id, const std::string& am_url);
  void record_health(const std::string& id, const std::string& health, const std::string& detail, Timestamp now);
  void audit(const std::string& operator_name, const std::string& action, const std::string& target,
             const nlohmann::json& result, Timestamp now);

  std::vector<AggregateEndpoint> aggregates_list();
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
