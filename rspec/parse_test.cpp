#include "rspec/namespaces.h"
#include "rspec/parse.h"
#include "rspec/test_support.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace federa::rspec {
namespace {

using testing::read_example;

RSpec parse_as(const std::string& xml, Kind kind) {
  switch (kind) {
    case Kind::kAdvertisement: return parse_advertisement(xml);
    case Kind::kRequest: return parse_request(xml);
    case Kind::kManifest: return parse_manifest(xml);
  }
  return {};
}

TEST_CASE("every shared example RSpec parses as its kind") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::examples_dir())) {
    std::string name = entry.path().filename().string();
    if (name == "README.md") continue;
    ++files;
    auto known = std::find_if(testing::examples().begin(), testing::examples().end(),
                              [&](const testing::Example& example) { return name == example.name; });
    REQUIRE_MESSAGE(known != testing::examples().end(), "unclassified example " << name);
    CAPTURE(name);
    RSpec rspec = parse_as(testing::read_file(entry.path()), known->kind);
    CHECK(rspec.kind == known->kind);
    CHECK((!rspec.nodes.empty() || !rspec.links.empty() || rspec.stitching.has_value() ||
           !rspec.extensions.empty()));
  }
  CHECK(files == testing::examples().size());
}

TEST_CASE("a single-aggregate LAN request is read in full") {
  RSpec request = parse_request(read_example("three-nodes-lan.rspec"));
  REQUIRE(request.nodes.size() == 3);
  const Node& left = request.nodes[0];
  CHECK(left.client_id == "left");
  CHECK(left.component_manager_id == "urn:publicid:IDN+pgeni.gpolab.bbn.com+authority+cm");
  CHECK(left.exclusive == true);
  REQUIRE(left.sliver_types.size() == 1);
  CHECK(left.sliver_types[0].name == "raw-pc");
  REQUIRE(left.sliver_types[0].disk_images.size() == 1);
  CHECK(left.sliver_types[0].disk_images[0].os == "Linux");
  CHECK(left.sliver_types[0].disk_images[0].version == "Ubuntu10.04");
  REQUIRE(left.interfaces.size() == 1);
  CHECK(left.interfaces[0].client_id == "left:if0");
  REQUIRE(request.links.size() == 1);
  const Link& lan = request.links[0];
  CHECK(lan.client_id == "lan0");
  CHECK(lan.link_type == "lan");
  CHECK(lan.component_managers == std::vector<std::string>{left.component_manager_id});
  CHECK(lan.interface_refs.size() == 3);
  REQUIRE(lan.properties.size() == 6);
  CHECK(lan.properties[0].source_id == "left:if0");
  CHECK(lan.properties[0].dest_id == "right:if0");
  CHECK_FALSE(lan.properties[0].capacity_kbps.has_value());
}

TEST_CASE("emulab xen settings, services, IPs and shared VLANs are typed") {
  RSpec request = parse_request(read_example("sharedvlan-1am.xml"));
  const Node& router = request.nodes.at(0);
  CHECK(router.exclusive == false);
  REQUIRE(router.sliver_types.at(0).xen.has_value());
  CHECK(router.sliver_types[0].xen->cores == 1u);
  CHECK(router.sliver_types[0].xen->ram_mb == 256u);
  CHECK(router.sliver_types[0].xen->disk_gb == 8u);
  CHECK(router.sliver_types[0].extensions.empty());
  CHECK(router.services.installs.size() == 5);
  CHECK(router.services.installs[0].install_path == "/local");
  REQUIRE(router.services.executes.size() == 3);
  CHECK(router.services.executes[2].command == "sudo sh /gimidev/gimibot.sh");
  REQUIRE(router.interfaces.at(0).ips.size() == 1);
  CHECK(router.interfaces[0].ips[0].address == "10.2.1.1");
  CHECK(router.interfaces[0].ips[0].netmask == "255.255.255.0");
  CHECK(request.links.at(3).shared_vlan == "my_shared_vlan");
  CHECK(request.links.at(3).extensions.empty());
  CHECK(request.links.at(0).shared_vlan.empty());
}

TEST_CASE("a stitched request keeps one component_manager per end") {
  RSpec request = parse_request(read_example("request-ig-utah-eg-gpo.xml"));
  REQUIRE(request.links.size() == 1);
  CHECK(request.links[0].component_managers ==
        std::vector<std::string>{"urn:publicid:IDN+utah.geniracks.net+authority+cm",
                                 "urn:publicid:IDN+exogeni.net:bbnvmsite+authority+am"});
  CHECK(request.links[0].interface_refs.size() == 2);
}

TEST_CASE("an InstaGENI advertisement yields opstate, shared VLANs, stitching and nodes") {
  RSpec ad = parse_advertisement(read_example("rspec-instageni-gpolab-bbn-com.xml"));
  REQUIRE(ad.generated.has_value());
  CHECK(format_rfc3339(*ad.generated) == "2014-03-10T14:11:07Z");
  CHECK(ad.external_refs.size() == 3);
  CHECK(ad.external_refs[1].component_manager_id == "urn:publicid:IDN+NLR+authority+am");
  CHECK(std::count(ad.shared_vlans.begin(), ad.shared_vlans.end(), "mesoscale-openflow") == 1);

  REQUIRE(ad.opstate.has_value());
  CHECK(ad.opstate->start == "geni_notready");
  CHECK(ad.opstate->sliver_types ==
        std::vector<std::string>{"raw-pc", "emulab-openvz", "emulab-xen"});
  REQUIRE(ad.opstate->states.size() == 6);
  const OpstateState& ready = ad.opstate->states[2];
  CHECK(ready.name == "geni_ready");
  REQUIRE(ready.actions.size() == 3);
  CHECK(ready.actions[1].name == "geni_stop");
  CHECK(ready.actions[1].next == "geni_stopping");
  CHECK(ready.actions[1].description == "Power down or stop the node.");
  CHECK(ad.opstate->states[1].waits.size() == 2);

  const Node& procurve = ad.nodes.at(0);
  CHECK(procurve.component_id == "urn:publicid:IDN+instageni.gpolab.bbn.com+node+procurve2");
  CHECK(procurve.component_name == "procurve2");
  CHECK(procurve.available_now == true);
  REQUIRE(procurve.location.has_value());
  CHECK(procurve.location->latitude == "42.389806");
  REQUIRE(procurve.hardware_types.size() == 2);
  CHECK(procurve.hardware_types[0].name == "switch");
  REQUIRE(procurve.hardware_types[0].extensions.size() == 1);
  CHECK(procurve.hardware_types[0].extensions[0].name == "node_type");
  CHECK(procurve.interfaces.size() == 4);
  CHECK(procurve.extensions.at(0).name == "fd");  // emulab:fd kept verbatim

  const Node& pc3 = ad.nodes.at(1);
  const DiskImage& fedora = pc3.sliver_types.at(0).disk_images.at(0);
  CHECK(fedora.is_default);
  CHECK(fedora.description == "Standard 32-bit Fedora 15 image");

  REQUIRE(ad.stitching.has_value());
  const StitchAggregate& aggregate = ad.stitching->aggregates.at(0);
  CHECK(aggregate.stitching_mode == "chainANDTree");
  REQUIRE(aggregate.lifetime.has_value());
  const StitchLink& link = aggregate.nodes.at(0).ports.at(0).links.at(0);
  CHECK(link.remote_link_id == "urn:publicid:IDN+ion.internet2.edu+interface+rtr.newy:ae0:bbn");
  REQUIRE(link.l2.has_value());
  CHECK(link.l2->interface_mtu == "1500");
  REQUIRE(link.l2->vlan_range_availability.has_value());
  CHECK(link.l2->vlan_range_availability->contains(3710));
  CHECK_FALSE(link.l2->vlan_range_availability->contains(3740));
  CHECK(link.l2->vlan_translation == false);
}

TEST_CASE("a network-only advertisement has a stitching topology and no nodes") {
  RSpec ad = parse_advertisement(read_example("rspec-ion-internet2-edu.xml"));
  CHECK(ad.nodes.empty());
  REQUIRE(ad.stitching.has_value());
  REQUIRE(ad.stitching->aggregates.size() == 1);
  const StitchAggregate& ion = ad.stitching->aggregates[0];
  CHECK(ion.id == "urn:publicid:IDN+ion.internet2.edu+authority+am");
  CHECK(ion.aggregate_type == "sfa");
  const StitchPort& port = ion.nodes.at(0).ports.at(0);
  CHECK(port.capacity.minimum_reservable == "1000");
  CHECK(port.links.at(0).l2->vlan_range_availability == VlanSet::parse("2-4094"));
  CHECK(port.links.at(0).l2->vlan_translation == true);
}

TEST_CASE("an ExoGENI advertisement that breaks the schema is still read") {
  RSpec ad = parse_advertisement(read_example("rspec-exogeni-net-bbnvmsite.xml"));
  REQUIRE_FALSE(ad.nodes.empty());
  CHECK(ad.nodes[0].sliver_types.size() > 3);
}

TEST_CASE("manifests yield logins, hosts, MACs, vnodes and preserve client extensions") {
  RSpec manifest = parse_manifest(read_example("instageni5nodemanifest.rspec"));
  const Node& node_b = manifest.nodes.at(0);
  CHECK(node_b.sliver_id == "urn:publicid:IDN+instageni.gpolab.bbn.com+sliver+4538");
  REQUIRE(node_b.services.logins.size() == 1);
  CHECK(node_b.services.logins[0].hostname == "pc1.instageni.gpolab.bbn.com");
  CHECK(node_b.services.logins[0].port == 30779);
  CHECK(node_b.services.logins[0].username == "dbhat");
  CHECK(node_b.host_name == "nodeB.dbhatinstageni5.panther.instageni.gpolab.bbn.com");
  CHECK(node_b.vnode == "pcvm1-3");
  CHECK(node_b.interfaces.at(0).mac_address == "0226ad94606d");
  REQUIRE(node_b.interfaces[0].extensions.size() == 1);
  const Extension& info = node_b.interfaces[0].extensions[0];
  CHECK(info.namespace_uri == "http://www.protogeni.net/resources/rspec/ext/flack/1");
  CHECK(info.xml.find("xmlns:flack=\"http://www.protogeni.net/resources/rspec/ext/flack/1\"") !=
        std::string::npos);
  CHECK(manifest.links.at(0).vlantag.empty());

  RSpec exogeni = parse_manifest(read_example("exogeni5nodemanifest.rspec"));
  CHECK(exogeni.links.at(0).vlantag == "unknown");
  CHECK(exogeni.nodes.at(0).extensions.at(0).name == "geni_sliver_info");
}

}  // namespace
}  // namespace federa::rspec
