#include "gmoc/datastore.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

#include "gmoc/data_query.h"
#include "gmoc/https_url.h"
#include "gmoc/monitoring_json.h"
#include "gmoc/testing_source.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

rpc::HttpRequest get(const std::string& target) {
  rpc::HttpRequest request;
  request.verb = "GET";
  request.target = target;
  request.host = "ds.example:443";
  return request;
}

struct Fixture {
  store::TestDatabase db;
  std::unique_ptr<store::Store> store = history_store(db);
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

TEST_CASE("datastore: /data/ queries are read strictly") {
  const Timestamp now = *parse_rfc3339("2026-01-01T10:00:00Z");
  const SampleQuery query = parse_data_query(
      "x=1&q=" + url_encode(R"({"filters":{"eventType":"ops_monitoring:rx_bps","obj":{"type":"link","id":"*"}}})"), now);
  CHECK(query.metrics == std::vector<std::string>{"rx_bps"});
  CHECK(query.object_type == "link");
  CHECK(query.object_ids.empty());
  CHECK(query.from == now - 1h);
  CHECK(query.to == now);
  auto refusal = [&](const std::string& q) {
    try {
      parse_data_query("q=" + url_encode(q), now);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  CHECK(refusal(R"({"filters":{}})") == "missing 'eventType'");
  CHECK(refusal(R"({"filters":{"eventType":["a"],"ts":{"gte":1e300}}})") == "'gte' is not an integer in range");
  CHECK(refusal(R"({"filters":{"eventType":["a"],"ts":{"gte":2,"lte":1}}})") == "ts.gte is after ts.lte");
  CHECK(refusal(R"({"filters":{"eventType":[1]}})") == "'eventType' must hold strings");
  CHECK(refusal(R"({"filters":{"eventType":"a","obj":[]}})") == "'obj' must be an object");
  CHECK(refusal(R"([])") == "missing 'filters'");
  CHECK_THROWS_WITH(parse_data_query("q=%zz", now), "bad %-escape in the URL");
  CHECK_THROWS_WITH(parse_data_query("", now), "no q= parameter");
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
