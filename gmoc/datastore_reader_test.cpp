#include "gmoc/datastore_reader.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "gmoc/datastore.h"
#include "gmoc/monitoring_json.h"
#include "gmoc/testing_source.h"
#include "store/test_database.h"

namespace federa::gmoc {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Reads the pair aggregate's datastore the way the poller does (paths from the hrefs).
struct Reading {
  store::TestDatabase db;
  std::unique_ptr<store::Store> store = history_store(db);
  History history{*store};
  TestingSource source = pair_source();
  Datastore datastore{source, history, {{"*"}, "https://ds.example:8001"}};

  json get(const std::string& target) const {
    rpc::HttpRequest request;
    request.verb = "GET";
    request.target = target;
    const auto reply = datastore.handle(request);
    REQUIRE(reply);
    REQUIRE(reply->status == 200);
    return json::parse(reply->body);
  }
};

}  // namespace

TEST_CASE("datastore reader: nodes, links and slivers come back from the documents' links") {
  Reading r;
  const AggregateLinks links = aggregate_links(r.get("/info/aggregate/agg1"), "agg1");
  CHECK(links.urn == "urn:publicid:IDN+agg1.example+authority+am");
  CHECK(links.nodes == std::vector<std::string>{"/info/node/agg1_node_pc1", "/info/node/agg1_node_pc2"});
  CHECK(links.links == std::vector<std::string>{"/info/link/agg1_link_sliver-u1"});
  REQUIRE(links.slivers.size() == 1);

  const Resource pc2 = resource_from(r.get(links.nodes[1]), "agg1");
  CHECK(pc2.name == "pc2");
  CHECK(pc2.memory_kb == 1024);
  REQUIRE(pc2.interfaces.size() == 1);
  CHECK(pc2.interfaces[0].name == "eth0");
  const Circuit circuit = circuit_from(r.get(links.links[0]), "agg1");
  CHECK(circuit.name == "sliver-u1");
  REQUIRE(circuit.endpoints.size() == 2);
  CHECK(circuit.endpoints[1].resource == "pc2");
  CHECK(circuit.endpoints[1].interface == "eth0");
  const Sliver sliver = sliver_from(r.get(links.slivers[0]), "agg1");
  CHECK(sliver.urn == "urn:publicid:IDN+agg1.example+sliver+u1");
  CHECK(sliver.kind == SliverKind::kLink);
  CHECK(sliver.resource == "sliver-u1");
  CHECK(sliver.slice_urn == "urn:publicid:IDN+ch+slice+s");
}

TEST_CASE("datastore reader: /data/ series become samples; foreign or broken documents are refused") {
  Reading r;
  const Timestamp t0 = *parse_rfc3339("2026-01-01T10:00:00Z");
  r.history.record({{"node", "agg1_node_pc1", "is_available", t0, 1}, {"link", "agg1_link_sliver-u1", "rx_bps", t0, 8e3}});
  const std::string q = R"({"filters":{"eventType":["is_available","rx_bps"],"ts":{"gte":)" + std::to_string(micros(t0)) +
                        R"(,"lte":)" + std::to_string(micros(t0 + 1s)) + "}}}";
  const std::vector<Sample> samples = samples_from(r.get("/data/?q=" + q), "agg1");
  REQUIRE(samples.size() == 2);
  CHECK(samples[0].object_type == "link");
  CHECK(samples[0].metric == "rx_bps");
  CHECK(samples[0].value == 8e3);
  CHECK(samples[1].object_id == "agg1_node_pc1");
  CHECK(samples[1].at == t0);

  CHECK_THROWS_WITH(aggregate_links(r.get("/info/aggregate/agg1"), "agg2"),
                    "the datastore describes aggregate 'agg1', not 'agg2'");
  CHECK_THROWS_WITH(resource_from(r.get("/info/node/agg1_node_pc1"), "agg2"), "'agg1_node_pc1' is not a node of aggregate agg2");
  json node = r.get("/info/node/agg1_node_pc1");
  node["interfaces"][0]["href"] = "https://elsewhere/no-info-here";
  CHECK_THROWS_WITH(resource_from(node, "agg1"), "href 'https://elsewhere/no-info-here' is not a datastore /info/ URL");
  json sliver = r.get("/info/sliver/agg1_sliver_u1");
  sliver["resources"] = json::array();
  CHECK_THROWS_WITH(sliver_from(sliver, "agg1"), "sliver urn:publicid:IDN+agg1.example+sliver+u1 has no resources");
  CHECK_THROWS_WITH(samples_from(json::object(), "agg1"), "a /data/ answer must be a list of data documents");
}

}  // namespace federa::gmoc
