// The push report an aggregate sends its GMOC collector: one JSON document with the aggregate's
// identity, its slices and live slivers, the topology, and what happened since the previous
// report (events after the cursor's event id, samples after its time). Every report carries a
// sequence number (the spool's); the collector applies each (aggregate id, seq) once.
// parse_report() is the collector's side: it reads a report back into the ops model, strictly
// (every field present with its type, known enums, seq >= 1), and throws std::invalid_argument
// naming the first bad field, so a malformed report is refused before anything is stored.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "gmoc/history.h"
#include "gmoc/operational_source.h"

namespace federa::gmoc {

inline constexpr const char* kReportFormat = "federa-gmoc-report/1";

struct ReportCursor {
  std::int64_t event_id = 0;
  Timestamp samples_after{};

  nlohmann::json to_json() const;
  static ReportCursor from_json(const nlohmann::json& j);
};

// A report as the collector reads it.
struct PushReport {
  AggregateIdentity aggregate;  // id, urn, am_url, organization.name
  std::int64_t seq = 0;
  Timestamp time{};
  Topology topology;
  std::vector<Slice> slices;
  std::vector<Sliver> slivers;
  std::vector<Event> events;
  std::vector<Sample> samples;
};

PushReport parse_report(const nlohmann::json& report);

// The report's topology document; the collector keeps it as JSON for the dashboard.
nlohmann::json topology_json(const Topology& topology);

// Builds the next report (without "seq") and advances the cursor past what it carries.
nlohmann::json build_report(const OperationalSource& source, History& history, ReportCursor& cursor, Timestamp now);

}  // namespace federa::gmoc
