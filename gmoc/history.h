// The aggregate's append-only operational history, in its own database (migration set "am_ops",
// schema/am_ops): resource bindings (who held which host, VLAN, IP or MAC, from when until when)
// and metric samples. refresh() brings the bindings up to date with an OperationalSource: it opens
// a binding for every unit a live sliver holds that is not recorded yet (from the sliver's
// creation; users the slice gains while it holds the unit are added) and closes the open
// bindings of slivers the source reports ended (at that time).
// Rows are never deleted except samples older than the retention. Thread-safe (one store
// transaction per call); do not call from inside another transaction on the same store.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gmoc/operational_source.h"
#include "store/store.h"

namespace federa::gmoc {

struct SampleQuery {
  std::vector<std::string> metrics;     // empty: every metric
  std::string object_type;              // "" : every type
  std::vector<std::string> object_ids;  // empty: every object
  Timestamp from{}, to{};               // inclusive
};

class History {
 public:
  explicit History(store::Store& store) : store_(store) {}

  static store::MigrationSet migrations(const std::filesystem::path& schema_dir) { return {schema_dir, "am_ops"}; }

  void refresh(const OperationalSource& source);
  void record(const std::vector<Sample>& samples);
  void prune_samples(Timestamp before);

  // The bindings of `kind` and `value` in force at `at` (from <= at, and until > at or open).
  std::vector<Binding> who_had(BindingKind kind, const std::string& value, Timestamp at);
  // Every binding that overlaps [from, to].
  std::vector<Binding> bindings_between(Timestamp from, Timestamp to);
  std::vector<Sample> samples(const SampleQuery& query);

 private:
  store::Store& store_;
};

}  // namespace federa::gmoc
