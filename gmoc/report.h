// The push report an aggregate sends its GMOC collector: one JSON document with the aggregate's
// identity, its slices and live slivers, the topology, and what happened since the previous
// report (events after the cursor's event id, samples after its time). Every report carries a
// sequence number (the spool's); the collector applies each (aggregate id, seq) once.
#pragma once

#include <nlohmann/json.hpp>

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

// Builds the next report (without "seq") and advances the cursor past what it carries.
nlohmann::json build_report(const OperationalSource& source, History& history, ReportCursor& cursor, Timestamp now);

}  // namespace federa::gmoc
