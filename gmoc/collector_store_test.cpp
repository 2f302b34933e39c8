#include "gmoc/collector_store.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "gmoc/monitoring_json.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const Timestamp t0{std::chrono::seconds(1767261600)};  // 2026-01-01T10:00:00Z
const std::string kSlice = "urn:publicid:IDN+ch.example+slice+s";

struct Fixture {
  store::TestDatabase db;
  std::unique_ptr<store::Store> store = store::open_store(
      db.uri(), CollectorStore::migrations(std::filesystem::path(FEDERA_GMOC_SCHEMA_DIR)));
  CollectorStore collector{*store};
};

Sliver node_sliver(const std::string& uuid, const std::string& client_id, Timestamp expires) {
  return {"urn:publicid:IDN+agg1.example+sliver+" + uuid, kSlice, client_id, SliverKind::kNode, "geni_provisioned",
          "geni_ready", t0, expires, "pc1", "urn:publicid:IDN+agg1.example+node+pc1"};
}

PushReport report(std::int64_t seq, std::vector<Sample> samples) {
  PushReport r;
  r.aggregate.id = "agg1";
  r.aggregate.urn = "urn:publicid:IDN+agg1.example+authority+am";
  r.seq = seq;
  r.time = t0;
  r.topology.resources = {{"pc1", "urn:publicid:IDN+agg1.example+node+pc1", ResourceType::kServer, "", 0, true, {}}};
  r.slices = {{kSlice, t0 + 24h, true, {"urn:u:alice"}}};
  r.slivers = {node_sliver("u1", "n1", t0 + 1h)};
  r.events = {{1, t0, kSlice, r.slivers[0].urn, "allocated", ""}};
  r.samples = std::move(samples);
  return r;
}

PollResult poll(std::vector<Sliver> slivers, std::vector<Sample> samples, Timestamp until) {
  PollResult p;
  p.aggregate_id = "agg1";
  p.urn = "urn:publicid:IDN+agg1.example+authority+am";
  p.topology.circuits = {{"sliver-u9", "urn:x", 0, {{"pc1", "eth0"}, {"pc2", "eth0"}}, {}}};
  p.slivers = std::move(slivers);
  p.samples = std::move(samples);
  p.until = until;
  return p;
}

Sample vms(Timestamp at, double value) { return {"node", "agg1_node_pc1", "num_vms_allocated", at, value}; }

}  // namespace

TEST_CASE("collector store: a sample pushed and polled is stored once; a report applies once") {
  Fixture f;
  CHECK(f.collector.receive(report(1, {vms(t0, 1), vms(t0 + 10s, 2)}), t0).applied);
  CHECK_FALSE(f.collector.receive(report(1, {vms(t0 + 20s, 3)}), t0).applied);  // duplicate seq: acknowledged only
  CHECK_FALSE(f.collector.polled_until("agg1"));
  f.collector.apply_poll(poll({node_sliver("u1", "", t0 + 2h)}, {vms(t0 + 10s, 2), vms(t0 + 30s, 4)}, t0 + 31s), t0 + 31s);

  const json series = f.collector.series("agg1", "agg1_node_pc1", "num_vms_allocated");
  REQUIRE(series.size() == 3);
  CHECK(series[0]["v"] == 1.0);
  CHECK(series[1]["v"] == 2.0);
  CHECK(series[2]["v"] == 4.0);
  CHECK(f.collector.polled_until("agg1") == t0 + 31s);

  // The poll does not overwrite what the push knows better; it updates the expiry (a renewal).
  const json slices = f.collector.slices();
  REQUIRE(slices.size() == 1);
  CHECK(slices[0]["aggregates"][0]["shutdown"] == true);
  const json sliver = slices[0]["aggregates"][0]["slivers"][0];
  CHECK(sliver["client_id"] == "n1");
  CHECK(sliver["operational_state"] == "geni_ready");
  CHECK(sliver["expires"] == micros(t0 + 2h));
  CHECK(f.collector.aggregates()[0]["topology"]["resources"][0]["name"] == "pc1");
  CHECK(f.collector.aggregates()[0]["last_poll_at"] == micros(t0 + 31s));
}

TEST_CASE("collector store: for an aggregate that never pushed, the poll's view is the state") {
  Fixture f;
  f.collector.add_aggregate({"agg1", "https://am.example:8001", "https://am.example:8001"});
  f.collector.apply_poll(poll({node_sliver("u1", "", t0 + 1h), node_sliver("u2", "", t0 + 3h)}, {vms(t0, 2)}, t0), t0);
  json slices = f.collector.slices();
  REQUIRE(slices.size() == 1);
  CHECK(slices[0]["aggregates"][0]["expires"] == micros(t0 + 3h));
  CHECK(slices[0]["aggregates"][0]["slivers"].size() == 2);
  CHECK(f.collector.aggregates()[0]["topology"]["circuits"][0]["name"] == "sliver-u9");
  CHECK(f.collector.aggregates_holding(kSlice).size() == 1);
  CHECK(f.collector.aggregates_list()[0].datastore_url == "https://am.example:8001");

  f.collector.apply_poll(poll({node_sliver("u2", "", t0 + 3h)}, {}, t0 + 1min), t0 + 1min);
  CHECK(f.collector.slices()[0]["aggregates"][0]["slivers"].size() == 1);
  f.collector.apply_poll(poll({}, {}, t0 + 2min), t0 + 2min);
  CHECK(f.collector.slices().empty());
  CHECK(f.collector.aggregates_holding(kSlice).empty());
}

}  // namespace federa::gmoc
