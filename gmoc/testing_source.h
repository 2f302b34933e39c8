// Test support for gmoc's unit tests: an OperationalSource whose state a test sets directly
// (the aggregate's real one, am/ops_source.h, is exercised by the integration tests).
#pragma once

#include <map>

#include "gmoc/operational_source.h"

namespace federa::gmoc {

struct TestingSource : OperationalSource {
  AggregateIdentity aggregate{"agg1", "urn:publicid:IDN+agg1.example+authority+am", "", {}, {}};
  Topology substrate;
  std::vector<Slice> slice_list;
  std::vector<Sliver> sliver_list;
  std::vector<Binding> live;
  std::map<std::string, Timestamp> ended;
  std::vector<Event> events;
  std::vector<Sample> current;

  AggregateIdentity identity() const override { return aggregate; }
  Topology topology() const override { return substrate; }
  std::vector<Slice> slices() const override { return slice_list; }
  std::vector<Sliver> slivers() const override { return sliver_list; }
  std::vector<Binding> live_bindings() const override { return live; }
  std::optional<Timestamp> sliver_ended(const std::string& urn) const override {
    const auto it = ended.find(urn);
    return it == ended.end() ? std::nullopt : std::optional<Timestamp>(it->second);
  }
  std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) const override {
    std::vector<Event> result;
    for (const Event& event : events) {
      if (event.id > after_id && result.size() < limit) result.push_back(event);
    }
    return result;
  }
  std::vector<Sample> samples(Timestamp at) const override {
    auto result = current;
    for (Sample& sample : result) sample.at = at;
    return result;
  }
};

}  // namespace federa::gmoc
