#include "gmoc/datastore.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "gmoc/monitoring_json.h"
#include "gmoc/testing_source.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

TestingSource pair_source() {
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

rpc::HttpRequest get(const std::string& target) {
  rpc::HttpRequest request;
  request.verb = "GET";
  request.target = target;
  request.host = "ds.example:443";
  return request;
}

struct Fixture {
  store::TestDatabase db;
  std::unique_ptr<store::Store> store = store::open_store(
      db.uri(), History::migrations(std::filesystem::path(std::getenv("FEDERA_SOURCE_DIR")) / "schema"));
  History history{*store};
  TestingSource source = pair_source();
};

}  // namespace

TEST_CASE("datastore: objects by id, hrefs that lead to each other, and JSON errors") {
  Fixture f;
  Datastore datastore(f.source, f.history, {{"*"}, ""});
  CHECK_FALSE(datastore.handle(get("/am/3.0")));

  const auto aggregate = datastore.handle(get("/info/aggregate/agg1"));
  REQUIRE(aggregate);
  CHECK(aggregate->status == 200);
  const json doc = json::parse(aggregate->body);
  CHECK(doc["selfRef"] == "https://ds.example:443/info/aggregate/agg1");
  CHECK(doc["resources"].size() == 3);
  CHECK(doc["slivers"][0]["href"] == "https://ds.example:443/info/sliver/agg1_sliver_u1");

  const json sliver = json::parse(datastore.handle(get("/info/sliver/agg1_sliver_u1"))->body);
  CHECK(sliver["resources"][0]["href"] == "https://ds.example:443/info/link/agg1_link_sliver-u1");
  const json link = json::parse(datastore.handle(get("/info/link/agg1_link_sliver-u1"))->body);
  CHECK(link["endpoints"][1]["href"] == "https://ds.example:443/info/interface/agg1_interface_pc2:eth0");
  const json vlan = json::parse(datastore.handle(get("/info/interfacevlan/agg1_interface_pc1%3Aeth0:1750"))->body);
  CHECK(vlan["tag"] == 1750);
  CHECK(datastore.handle(get("/info/interfacevlan/agg1_interface_pc1:eth0:1751"))->status == 404);

  const auto missing = datastore.handle(get("/info/node/agg1_node_pc9"));
  CHECK(missing->status == 404);
  CHECK(json::parse(missing->body)["error_message"] == "no node 'agg1_node_pc9' at this aggregate");
  CHECK(datastore.handle(get("/info/slice/x"))->status == 404);
  CHECK(datastore.handle(get("/data/?q=%7Bnot-json"))->status == 400);
}

TEST_CASE("datastore: /data/ returns the recorded series in the time range") {
  Fixture f;
  const Timestamp t0 = *parse_rfc3339("2026-01-01T10:00:00Z");
  f.history.record({{"node", "agg1_node_pc1", "is_available", t0, 1}, {"node", "agg1_node_pc1", "is_available", t0 + 10s, 0},
                    {"node", "agg1_node_pc2", "is_available", t0 + 10s, 1}});
  Datastore datastore(f.source, f.history, {{"*"}, ""});
  const std::string q = R"({"filters":{"eventType":["ops_monitoring:is_available"],"ts":{"gte":)" +
                        std::to_string(micros(t0)) + R"(,"lte":)" + std::to_string(micros(t0 + 20s)) +
                        R"(},"obj":{"type":"node","id":["agg1_node_pc1"]}}})";
  const json series = json::parse(datastore.handle(get("/data/?q=" + q))->body);
  REQUIRE(series.size() == 1);
  CHECK(series[0]["subject"] == "https://ds.example:443/info/node/agg1_node_pc1");
  CHECK(series[0]["tsdata"] == json::parse(R"([{"ts":)" + std::to_string(micros(t0)) + R"(,"v":1.0},{"ts":)" +
                                           std::to_string(micros(t0 + 10s)) + R"(,"v":0.0}])"));
}

TEST_CASE("datastore: only whitelisted collectors, only GET; /metrics is Prometheus text") {
  Fixture f;
  Datastore closed(f.source, f.history, {{"urn:publicid:IDN+ch.example+tool+collector"}, ""});
  CHECK(closed.handle(get("/info/aggregate/agg1"))->status == 403);
  Datastore open(f.source, f.history, {{"*"}, ""});
  rpc::HttpRequest post = get("/metrics");
  post.verb = "POST";
  CHECK(open.handle(post)->status == 405);
  const auto metrics = open.handle(get("/metrics"));
  CHECK(metrics->content_type.starts_with("text/plain"));
  CHECK(metrics->body.find("federa_is_available{object_type=\"node\",object_id=\"agg1_node_pc1\"} 1\n") !=
        std::string::npos);
  CHECK(metrics->body.find("federa_slivers{allocation_state=\"geni_provisioned\",operational_state=\"geni_ready\"} 1") !=
        std::string::npos);
}

}  // namespace federa::gmoc
