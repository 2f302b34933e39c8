// What gmoc needs from an aggregate, without knowing how the aggregate keeps it: identity, the
// substrate with current usage, slices, live slivers, the bindings live slivers hold now, when a
// gone sliver ended, the event log, and current metric values. The aggregate implements it over
// its own store (am/ops_source.h); gmoc never includes am/ headers. Implementations are
// thread-safe and read a consistent state per call.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gmoc/ops_model.h"

namespace federa::gmoc {

class OperationalSource {
 public:
  virtual ~OperationalSource() = default;

  virtual AggregateIdentity identity() const = 0;
  virtual Topology topology() const = 0;
  virtual std::vector<Slice> slices() const = 0;
  virtual std::vector<Sliver> slivers() const = 0;
  // The bindings live slivers hold now (until = nullopt), from their creation.
  virtual std::vector<Binding> live_bindings() const = 0;
  // When a sliver that is no longer live was deleted or expired; nullopt when not recorded.
  virtual std::optional<Timestamp> sliver_ended(const std::string& sliver_urn) const = 0;
  // Events with id > after_id, oldest first, at most limit.
  virtual std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) const = 0;
  // Current values of the aggregate's and its resources' metrics, stamped `at`.
  virtual std::vector<Sample> samples(Timestamp at) const = 0;
};

}  // namespace federa::gmoc
