#include "gmoc/report.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "gmoc/testing_source.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;

// A report as the reporter spools it: built from the pair aggregate, with seq 1.
json spooled_report() {
  store::TestDatabase db;
  auto store = history_store(db);
  History history(*store);
  TestingSource source = pair_source();
  source.slice_list = {{"urn:publicid:IDN+ch+slice+s", *parse_rfc3339("2026-02-01T00:00:00Z"), true, {"urn:u:alice"}}};
  source.events = {{7, *parse_rfc3339("2026-01-01T10:00:00Z"), "urn:publicid:IDN+ch+slice+s", "sl", "allocated", ""}};
  const Timestamp now = *parse_rfc3339("2026-01-01T10:00:05Z");
  history.record(source.samples(now));
  ReportCursor cursor;
  json report = build_report(source, history, cursor, now);
  report["seq"] = 1;
  return report;
}

std::string refusal(const json& report) {
  try {
    parse_report(report);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("report: what the reporter builds, the collector reads back whole") {
  const PushReport report = parse_report(spooled_report());
  CHECK(report.aggregate.id == "agg1");
  CHECK(report.seq == 1);
  REQUIRE(report.slices.size() == 1);
  CHECK(report.slices[0].shutdown);
  CHECK(report.slices[0].users == std::vector<std::string>{"urn:u:alice"});
  REQUIRE(report.slivers.size() == 1);
  CHECK(report.slivers[0].kind == SliverKind::kLink);
  CHECK(report.slivers[0].operational_state == "geni_ready");
  REQUIRE(report.topology.circuits.size() == 1);
  CHECK(report.topology.circuits[0].endpoints[1].resource == "pc2");
  CHECK(report.topology.circuits[0].vlans == std::vector<int>{1750});
  CHECK(report.topology.resources[0].interfaces[0].vlans == std::vector<int>{1750});
  REQUIRE(report.events.size() == 1);
  CHECK(report.events[0].id == 7);
  REQUIRE(report.samples.size() == 1);
  CHECK(report.samples[0].object_id == "agg1_node_pc1");
  CHECK(topology_json(report.topology) == spooled_report()["topology"]);
}

TEST_CASE("report: a malformed report is refused naming what is wrong") {
  const json good = spooled_report();
  auto without = [&](const char* key) {
    json bad = good;
    bad.erase(key);
    return bad;
  };
  CHECK(refusal(without("seq")) == "missing 'seq'");
  CHECK(refusal(without("samples")) == "missing 'samples'");
  json bad = good;
  bad["seq"] = 0;
  CHECK(refusal(bad) == "the report needs an aggregate id and seq >= 1");
  bad = good;
  bad["format"] = "something-else/9";
  CHECK(refusal(bad) == "the report's format is not federa-gmoc-report/1");
  bad = good;
  bad["slivers"][0]["kind"] = "vm";
  CHECK(refusal(bad) == "unknown sliver kind 'vm'");
  bad = good;
  bad["slivers"][0]["expires"] = "tomorrow";
  CHECK(refusal(bad) == "'expires' is not an integer in range");
  bad = good;
  bad["topology"]["circuits"][0]["endpoints"] = json::array({"pc1"});
  CHECK(refusal(bad) == "circuit endpoint 'pc1' is not resource:interface");
  bad = good;
  bad["events"] = json::object();
  CHECK(refusal(bad) == "'events' is not a list");
  CHECK(refusal(json::array()) == "missing 'format'");
}

}  // namespace federa::gmoc
