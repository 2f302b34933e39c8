// Test support for gmoc's unit tests: an OperationalSource whose state a test sets directly
// (the aggregate's real one, am/ops_source.h, is exercised by the integration tests), and a
// small aggregate in it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <memory>

#include "gmoc/history.h"
#include "gmoc/operational_source.h"
#include "store/test_database.h"

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

// The aggregate's history tables in a test database (schema from $FEDERA_SOURCE_DIR, which CTest sets).
inline std::unique_ptr<store::Store> history_store(const store::TestDatabase& db) {
  const char* source = std::getenv("FEDERA_SOURCE_DIR");
  if (!source) throw std::runtime_error("FEDERA_SOURCE_DIR is not set: run the test through ctest");
  return store::open_store(db.uri(), History::migrations(std::filesystem::path(source) / "schema"));
}

// Two servers pc1 and pc2 joined by a provisioned link sliver on VLAN 1750, pc1 available.
inline TestingSource pair_source() {
  TestingSource source;
  Interface eth0{"eth0", "urn:publicid:IDN+agg1.example+interface+pc1:eth0", "experimental", 1'000'000'000, {}, {1750}};
  Interface eth0b{"eth0", "urn:publicid:IDN+agg1.example+interface+pc2:eth0", "experimental", 1'000'000'000, {}, {1750}};
  source.substrate.resources = {
      {"pc1", "urn:publicid:IDN+agg1.example+node+pc1", ResourceType::kServer, "cm", 1024, true, {eth0}},
      {"pc2", "urn:publicid:IDN+agg1.example+node+pc2", ResourceType::kServer, "cm", 1024, true, {eth0b}}};
  source.substrate.circuits = {{"sliver-u1", "urn:publicid:IDN+agg1.example+sliver+u1", 1000,
                                {{"pc1", "eth0"}, {"pc2", "eth0"}}, {1750}}};
  source.sliver_list = {{"urn:publicid:IDN+agg1.example+sliver+u1", "urn:publicid:IDN+ch+slice+s", "lan",
                         SliverKind::kLink, "geni_provisioned", "geni_ready", {}, {}, "sliver-u1",
                         "urn:publicid:IDN+agg1.example+sliver+u1"}};
  source.current = {{"node", "agg1_node_pc1", "is_available", {}, 1}};
  return source;
}

}  // namespace federa::gmoc
