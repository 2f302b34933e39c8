#include "am/slice_rspec.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "federation/mapper.h"
#include "rspec/parse.h"
#include "rspec/validate.h"
#include "rspec/write.h"

using namespace federa;

namespace {

constexpr const char* kAggregate = "urn:publicid:IDN+lab+authority+am";

federation::Inventory two_sites() {
  return federation::parse_inventory(R"(
[[site]]
name = "east"
authority = "east.lab"
[site.switch]
vlans = "100-109"
translation = true
[[site.host]]
name = "e1"
backend = "test:///default"
vcpus = 4
memory_mb = 8192
disk_gb = 100
slots = 4
sliver_types = ["default-vm"]
[[site]]
name = "west"
authority = "west.lab"
[site.switch]
vlans = "200-209"
translation = true
[[site.host]]
name = "w1"
backend = "test:///default"
vcpus = 4
memory_mb = 8192
disk_gb = 100
slots = 4
sliver_types = ["default-vm"]
[[link]]
name = "east-west"
sites = ["east", "west"]
bandwidth_kbps = 1000000
vlans = "300-303"
)", "test");
}

const char* kRequest = R"(<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">
  <node client_id="a" component_manager_id="urn:publicid:IDN+east.lab+authority+cm"><sliver_type name="default-vm"/><interface client_id="a:0"/></node>
  <node client_id="b" component_manager_id="urn:publicid:IDN+west.lab+authority+cm"><sliver_type name="default-vm"/><interface client_id="b:0"/></node>
  <node client_id="elsewhere" component_manager_id="urn:publicid:IDN+other+authority+am"><sliver_type name="default-vm"/></node>
  <link client_id="ab"><interface_ref client_id="a:0"/><interface_ref client_id="b:0"/>
    <property source_id="a:0" dest_id="b:0" capacity="1000"/></link>
</rspec>)";

rspec::SchemaSet& schemas() {
  static rspec::SchemaSet set(std::string(std::getenv("FEDERA_SOURCE_DIR")) + "/schema/rspec");
  return set;
}

std::vector<am::SliverRecord> slivers_of(const federation::Placement& placement) {
  std::vector<am::SliverRecord> slivers;
  for (const auto& node : placement.nodes) {
    am::SliverRecord sliver;
    sliver.urn = "urn:publicid:IDN+lab+sliver+" + node.client_id;
    sliver.client_id = node.client_id;
    sliver.component_id = node.host_urn;
    sliver.component_manager_id = node.site_urn;
    sliver.node = node;
    slivers.push_back(sliver);
  }
  for (const auto& link : placement.links) {
    am::SliverRecord sliver;
    sliver.urn = "urn:publicid:IDN+lab+sliver+" + link.client_id;
    sliver.client_id = link.client_id;
    sliver.kind = am::SliverKind::kLink;
    sliver.link = link;
    slivers.push_back(sliver);
  }
  return slivers;
}

}  // namespace

TEST_CASE("only this aggregate's nodes and their links go to the mapper") {
  const auto inventory = two_sites();
  const auto topology = am::topology_of(rspec::parse_request(kRequest), inventory, kAggregate);
  REQUIRE(topology.nodes.size() == 2);
  CHECK(topology.nodes[0].component_manager_id == "urn:publicid:IDN+east.lab+authority+cm");
  REQUIRE(topology.links.size() == 1);
  CHECK(topology.links[0].capacity_kbps == 1000);
  const char* foreign = R"(<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">
    <node client_id="x" component_manager_id="urn:publicid:IDN+other+authority+am"/></rspec>)";
  CHECK_THROWS_AS(am::topology_of(rspec::parse_request(foreign), inventory, kAggregate), GeniError);
}

TEST_CASE("the manifest shows hosts, sites and each link's path with its tags, and validates") {
  const auto inventory = two_sites();
  const auto request = rspec::parse_request(kRequest);
  const auto placement = federation::map_request_or_throw(inventory, {}, am::topology_of(request, inventory, kAggregate));
  const rspec::RSpec manifest = am::manifest_of({request}, slivers_of(placement), {{"urn:publicid:IDN+lab+user+alice", {"ssh-ed25519 AAAA alice"}}});
  const std::string xml = rspec::write_manifest(manifest);
  CHECK(schemas().validate(xml, rspec::Kind::kManifest).empty());
  const rspec::RSpec back = rspec::parse_manifest(xml);
  REQUIRE(back.nodes.size() == 2);  // "elsewhere" belongs to another aggregate
  CHECK(back.nodes[0].component_id == "urn:publicid:IDN+east.lab+node+e1");
  CHECK(back.nodes[1].component_manager_id == "urn:publicid:IDN+west.lab+authority+cm");
  CHECK(back.nodes[0].services.users.at(0).login == "alice");
  REQUIRE(back.links.size() == 1);
  CHECK_FALSE(back.links[0].vlantag.empty());
  REQUIRE(back.stitching);
  REQUIRE(back.stitching->paths.size() == 1);
  const auto& hops = back.stitching->paths[0].hops;
  REQUIRE(hops.size() == 3);  // east switch, east-west link, west switch
  CHECK(hops[1].link.id.find("link+east-west") != std::string::npos);
  CHECK(hops[0].link.l2->vlan_range_availability->to_string() == back.links[0].vlantag);
  CHECK(hops[1].link.l2->vlan_range_availability->ranges().at(0).first >= 300);
  for (const auto& hop : hops) CHECK(hop.link.l2->vlan_range_availability->ranges().size() == 1);
  CHECK(hops.back().next_hops.at(0) == "null");
}

TEST_CASE("the advertisement shows what is free now, including VLAN tags, and validates") {
  const auto inventory = two_sites();
  const auto placement = federation::map_request_or_throw(
      inventory, {}, am::topology_of(rspec::parse_request(kRequest), inventory, kAggregate));
  federation::Usage usage;
  usage.add(placement);
  const auto ad = am::advertisement_of(inventory, federation::availability(inventory, usage), kAggregate, false);
  const std::string xml = rspec::write_advertisement(ad);
  CHECK(schemas().validate(xml, rspec::Kind::kAdvertisement).empty());
  const rspec::RSpec back = rspec::parse_advertisement(xml);
  CHECK(back.nodes.size() == 2);
  REQUIRE(back.opstate);
  REQUIRE(back.stitching);
  const auto& nodes = back.stitching->aggregates.at(0).nodes;
  REQUIRE(nodes.size() == 2);
  const auto& link_port = nodes[0].ports.at(1).links.at(0);
  const int taken = placement.links[0].hops[1].vlan_tag.value();
  CHECK_FALSE(link_port.l2->vlan_range_availability->contains(taken));
  CHECK(link_port.l2->vlan_range_availability->ranges().size() >= 1);
}
