#include "gmoc/history.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "gmoc/testing_source.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using namespace std::chrono_literals;

Timestamp at(const char* text) { return *parse_rfc3339(text); }

Binding vlan(const std::string& sliver, int tag, const char* from) {
  return {BindingKind::kVlan, std::to_string(tag), "urn:publicid:IDN+agg1.example+authority+cm",
          "urn:publicid:IDN+ch.example+slice+s1", sliver, {"urn:publicid:IDN+ch.example+user+alice"}, at(from), {}};
}

}  // namespace

TEST_CASE("whohad: a binding answers for its sliver's life only, and survives the sliver") {
  store::TestDatabase db;
  auto store = history_store(db);
  History history(*store);
  TestingSource source;
  source.live = {vlan("sliver-a", 1750, "2026-01-01T10:00:00Z")};
  history.refresh(source);
  history.refresh(source);  // idempotent: one row per unit held

  CHECK(history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T09:59:59Z")).empty());
  auto during = history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T10:30:00Z"));
  REQUIRE(during.size() == 1);
  CHECK(during[0].sliver_urn == "sliver-a");
  CHECK(during[0].users == std::vector<std::string>{"urn:publicid:IDN+ch.example+user+alice"});
  CHECK_FALSE(during[0].until);

  SUBCASE("users the slice gains while the unit is held are added to the binding") {
    source.live[0].users = {"urn:publicid:IDN+ch.example+user+bob"};
    history.refresh(source);
    CHECK(history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T10:30:00Z"))[0].users ==
          std::vector<std::string>{"urn:publicid:IDN+ch.example+user+alice", "urn:publicid:IDN+ch.example+user+bob"});
  }
  SUBCASE("a sliver gone without a recorded end stays open (it may be newer than the live read)") {
    source.live.clear();
    history.refresh(source);
    CHECK(history.who_had(BindingKind::kVlan, "1750", at("2026-01-02T00:00:00Z")).size() == 1);
  }
  SUBCASE("deleted: closed at the deletion, and the tag's next holder is told apart") {
    source.live = {vlan("sliver-b", 1750, "2026-01-01T12:00:00Z")};
    source.ended["sliver-a"] = at("2026-01-01T11:00:00Z");
    history.refresh(source);
    const auto before_end = history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T10:59:59Z"));
    REQUIRE(before_end.size() == 1);
    CHECK(before_end[0].until == at("2026-01-01T11:00:00Z"));
    CHECK(history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T11:00:00Z")).empty());
    const auto later = history.who_had(BindingKind::kVlan, "1750", at("2026-01-01T12:00:01Z"));
    REQUIRE(later.size() == 1);
    CHECK(later[0].sliver_urn == "sliver-b");
    CHECK(history.who_had(BindingKind::kVlan, "1751", at("2026-01-01T10:30:00Z")).empty());
    CHECK(history.bindings_between(at("2026-01-01T10:30:00Z"), at("2026-01-01T12:30:00Z")).size() == 2);
    CHECK(history.bindings_between(at("2026-01-01T11:30:00Z"), at("2026-01-01T11:40:00Z")).empty());
  }
}

TEST_CASE("samples: filtered by time range, metric and object") {
  store::TestDatabase db;
  auto store = history_store(db);
  History history(*store);
  const Timestamp t0 = at("2026-01-01T10:00:00Z");
  history.record({{"node", "agg1_node_pc1", "is_available", t0, 1},
                  {"node", "agg1_node_pc1", "is_available", t0 + 10s, 0},
                  {"node", "agg1_node_pc2", "is_available", t0 + 10s, 1},
                  {"aggregate", "agg1", "num_vms_allocated", t0 + 10s, 3}});
  CHECK(history.samples({{}, "", {}, t0, t0 + 10s}).size() == 4);
  const auto one = history.samples({{"is_available"}, "node", {"agg1_node_pc1"}, t0 + 5s, t0 + 20s});
  REQUIRE(one.size() == 1);
  CHECK(one[0].value == 0);
  history.prune_samples(t0 + 5s);
  CHECK(history.samples({{}, "", {}, t0, t0 + 10s}).size() == 3);
}

}  // namespace federa::gmoc
