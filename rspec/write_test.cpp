#include "rspec/parse.h"
#include "rspec/test_support.h"
#include "rspec/validate.h"
#include "rspec/write.h"

#include <doctest/doctest.h>

#include <set>

namespace federa::rspec {
namespace {

using testing::read_example;

const SchemaSet& schemas() {
  static const SchemaSet kSchemas(testing::schema_dir());
  return kSchemas;
}

std::string joined(const std::vector<std::string>& problems) {
  std::string text;
  for (const std::string& problem : problems) text += problem + "\n";
  return text;
}

// Every client_id and extension element name of a request or manifest, tagged by what holds it.
std::multiset<std::string> identities(const RSpec& rspec) {
  std::multiset<std::string> ids;
  auto add_extensions = [&](const std::string& owner, const Extensions& extensions) {
    for (const Extension& extension : extensions) {
      ids.insert(owner + " ext {" + extension.namespace_uri + "}" + extension.name);
    }
  };
  add_extensions("rspec", rspec.extensions);
  for (const Node& node : rspec.nodes) {
    ids.insert("node " + node.client_id);
    add_extensions(node.client_id, node.extensions);
    for (const SliverType& type : node.sliver_types) add_extensions(node.client_id, type.extensions);
    for (const Interface& interface : node.interfaces) {
      ids.insert("interface " + interface.client_id);
      add_extensions(interface.client_id, interface.extensions);
    }
  }
  for (const Link& link : rspec.links) {
    ids.insert("link " + link.client_id + " " + link.link_type + " " + link.shared_vlan);
    add_extensions(link.client_id, link.extensions);
    for (const InterfaceRef& ref : link.interface_refs) ids.insert(link.client_id + "->" + ref.client_id);
    for (const std::string& manager : link.component_managers) ids.insert(link.client_id + "@" + manager);
  }
  return ids;
}

// What an aggregate fills in after mapping a request.
void bind(RSpec& manifest) {
  int serial = 0;
  for (Node& node : manifest.nodes) {
    node.sliver_id = "urn:publicid:IDN+example.net+sliver+" + std::to_string(++serial);
    node.component_id = "urn:publicid:IDN+example.net+node+pc" + std::to_string(serial);
    node.component_manager_id = "urn:publicid:IDN+example.net+authority+cm";
    node.host_name = node.client_id + ".slice.example.net";
    node.services.logins.push_back({"ssh-keys", "pc.example.net", 22000, "alice"});
    node.services.users.push_back({"alice", "urn:publicid:IDN+example.net+user+alice", {"ssh-ed25519 AAAA alice"}});
    for (Interface& interface : node.interfaces) {
      interface.sliver_id = "urn:publicid:IDN+example.net+sliver+" + std::to_string(++serial);
      interface.mac_address = "02:00:00:00:00:" + std::to_string(10 + serial % 80);
    }
  }
  for (Link& link : manifest.links) {
    link.sliver_id = "urn:publicid:IDN+example.net+sliver+" + std::to_string(++serial);
    link.vlantag = std::to_string(100 + serial);
  }
}

TEST_CASE("request -> manifest keeps every node, interface, link and unknown extension") {
  for (const char* name : {"three-nodes-lan.rspec", "sharedvlan-1am.xml", "request-ig-utah-eg-gpo.xml",
                           "request-pg-ig-utah-2links.xml", "controller-4-node-diamond.rspec"}) {
    CAPTURE(name);
    RSpec request = parse_request(read_example(name));
    RSpec manifest = make_manifest(request);
    bind(manifest);
    std::string xml = write_manifest(manifest);
    CHECK_MESSAGE(schemas().validate(xml, Kind::kManifest).empty(),
                  joined(schemas().validate(xml, Kind::kManifest)));
    RSpec echoed = parse_manifest(xml);
    CHECK(identities(echoed) == identities(request));
    const Node& first = echoed.nodes.at(0);
    CHECK(first.sliver_id == manifest.nodes[0].sliver_id);
    CHECK(first.host_name == manifest.nodes[0].host_name);
    REQUIRE(first.services.logins.size() == 1);
    CHECK(first.services.logins[0].port == 22000);
    CHECK(first.services.logins[0].username == "alice");
    REQUIRE(first.services.users.size() == 1);
    CHECK(first.services.users[0].public_keys == std::vector<std::string>{"ssh-ed25519 AAAA alice"});
    CHECK(echoed.links.at(0).vlantag == manifest.links[0].vlantag);
    CHECK(echoed.nodes.at(0).interfaces.at(0).mac_address == manifest.nodes[0].interfaces[0].mac_address);
  }
}

TEST_CASE("unknown extensions are re-emitted with their namespaces where they were found") {
  const std::string request_xml = R"(<rspec xmlns="http://www.geni.net/resources/rspec/3"
      xmlns:foo="urn:example:foo" type="request">
    <foo:slice_note level="2">keep <foo:b>me</foo:b></foo:slice_note>
    <node client_id="a"><foo:hint where="rack1"/><interface client_id="a:if0"><foo:nic speed="10G"/></interface></node>
    <node client_id="b"><interface client_id="b:if0"/></node>
    <link client_id="l"><interface_ref client_id="a:if0"/><interface_ref client_id="b:if0"/><foo:qos class="gold"/></link>
  </rspec>)";
  RSpec manifest = make_manifest(parse_request(request_xml));
  std::string xml = write_manifest(manifest);
  RSpec echoed = parse_manifest(xml);
  REQUIRE(echoed.extensions.size() == 1);
  CHECK(echoed.extensions[0].xml ==
        R"(<foo:slice_note xmlns:foo="urn:example:foo" level="2">keep <foo:b>me</foo:b></foo:slice_note>)");
  CHECK(echoed.nodes.at(0).extensions.at(0).xml == R"(<foo:hint xmlns:foo="urn:example:foo" where="rack1"/>)");
  CHECK(echoed.nodes[0].interfaces.at(0).extensions.at(0).name == "nic");
  CHECK(echoed.links.at(0).extensions.at(0).xml == R"(<foo:qos xmlns:foo="urn:example:foo" class="gold"/>)");
  CHECK(schemas().validate(xml, Kind::kManifest).empty());
}

TEST_CASE("request writer output validates and parses back to the same request") {
  RSpec request = parse_request(read_example("sharedvlan-1am.xml"));
  std::string xml = write_request(request);
  CHECK_MESSAGE(schemas().validate(xml, Kind::kRequest).empty(), joined(schemas().validate(xml, Kind::kRequest)));
  RSpec again = parse_request(xml);
  CHECK(identities(again) == identities(request));
  CHECK(again.nodes.at(0).sliver_types.at(0).xen->ram_mb == 256u);
  CHECK(again.nodes[0].services.installs.size() == 5);
}

TEST_CASE("an advertisement survives a write/parse round trip and validates") {
  RSpec ad = parse_advertisement(read_example("rspec-instageni-gpolab-bbn-com.xml"));
  std::string xml = write_advertisement(ad);
  CHECK_MESSAGE(schemas().validate(xml, Kind::kAdvertisement).empty(),
                joined(schemas().validate(xml, Kind::kAdvertisement)));
  RSpec again = parse_advertisement(xml);
  CHECK(again.nodes.size() == ad.nodes.size());
  CHECK(again.links.size() == ad.links.size());
  CHECK(again.shared_vlans == ad.shared_vlans);
  CHECK(again.external_refs.size() == ad.external_refs.size());
  REQUIRE(again.opstate.has_value());
  CHECK(again.opstate->states.size() == ad.opstate->states.size());
  CHECK(again.opstate->states[2].actions[1].description == ad.opstate->states[2].actions[1].description);
  REQUIRE(again.stitching.has_value());
  const StitchLink& link = again.stitching->aggregates.at(0).nodes.at(0).ports.at(0).links.at(0);
  CHECK(link.l2->vlan_range_availability->to_string() == "3706-3732,3746-3749");
  CHECK(again.nodes[1].sliver_types[0].disk_images[0].is_default);
}

TEST_CASE("an advertisement built from an inventory validates") {
  RSpec ad;
  ad.kind = Kind::kAdvertisement;
  ad.generated = now_utc();
  Node host;
  host.component_id = "urn:publicid:IDN+example.net+node+pc1";
  host.component_manager_id = "urn:publicid:IDN+example.net+authority+cm";
  host.component_name = "pc1";
  host.exclusive = false;
  host.available_now = true;
  host.hardware_types.push_back({"pc", {}});
  host.sliver_types.push_back({"emulab-xen", {{"urn:publicid:IDN+example.net+image+UBUNTU22", "Linux", "22.04", "Ubuntu", true}}, std::nullopt, {}});
  host.location = Location{"US", "-71.1", "42.3"};
  Interface eth1;
  eth1.component_id = "urn:publicid:IDN+example.net+interface+pc1:eth1";
  eth1.role = "experimental";
  host.interfaces.push_back(eth1);
  ad.nodes.push_back(host);
  Link wire;
  wire.component_id = "urn:publicid:IDN+example.net+link+pc1-switch";
  wire.link_type = "lan";
  wire.component_managers.push_back(host.component_manager_id);
  wire.interface_refs.push_back({"", eth1.component_id, ""});
  ad.links.push_back(wire);
  ad.shared_vlans = {"mesoscale"};
  ad.opstate = OpstateMachine{host.component_manager_id, "geni_notready", {"emulab-xen"},
                              {{"geni_notready", {{"geni_start", "geni_configuring", "Boot"}}, {}, "Off"},
                               {"geni_configuring", {}, {{"geni_success", "geni_ready"}}, "Booting"},
                               {"geni_ready", {}, {}, "Up"}}};
  StitchLink uplink;
  uplink.id = "urn:publicid:IDN+example.net+interface+switch:uplink";
  uplink.remote_link_id = "urn:publicid:IDN+peer.net+interface+sw:1";
  uplink.capacity.capacity = "1000000";
  uplink.l2 = L2Capability{"1500", VlanSet::parse("100-199"), std::nullopt, false};
  ad.stitching = StitchingTopology{"", {}, {{"urn:publicid:IDN+example.net+authority+cm", "https://am.example.net/am/3.0",
      "federa", "chain", "false", "false", std::nullopt,
      {{"urn:publicid:IDN+example.net+node+switch", {{"urn:publicid:IDN+example.net+stitchport+switch:uplink", {"1000000", "", "", ""}, {uplink}}}}}}}};
  std::string xml = write_advertisement(ad);
  CHECK_MESSAGE(schemas().validate(xml, Kind::kAdvertisement).empty(),
                joined(schemas().validate(xml, Kind::kAdvertisement)));
  RSpec again = parse_advertisement(xml);
  CHECK(again.nodes.at(0).available_now == true);
  CHECK(again.nodes[0].interfaces.at(0).role == "experimental");
  CHECK(again.links.at(0).interface_refs.at(0).component_id == eth1.component_id);
  CHECK(again.opstate->states.at(1).waits.at(0).next == "geni_ready");
  CHECK(again.stitching->aggregates.at(0).nodes.at(0).ports.at(0).links.at(0).l2->vlan_range_availability->contains(150));
}

TEST_CASE("a stitching path in a request comes back with the assigned VLAN in the manifest") {
  const std::string request_xml = R"(<rspec xmlns="http://www.geni.net/resources/rspec/3" type="request">
    <node client_id="a"><interface client_id="a:if0"/></node>
    <node client_id="b"><interface client_id="b:if0"/></node>
    <link client_id="wan"><interface_ref client_id="a:if0"/><interface_ref client_id="b:if0"/></link>
    <stitching xmlns="http://hpn.east.isi.edu/rspec/ext/stitch/0.1/" lastUpdateTime="2024-01-01T00:00:00Z">
      <path id="wan"><hop id="1"><link id="urn:publicid:IDN+example.net+interface+sw:1">
        <switchingCapabilityDescriptor><switchingcapType>l2sc</switchingcapType><encodingType>ethernet</encodingType>
          <switchingCapabilitySpecificInfo><switchingCapabilitySpecificInfo_L2sc>
            <vlanRangeAvailability>100-200</vlanRangeAvailability><suggestedVLANRange>any</suggestedVLANRange>
          </switchingCapabilitySpecificInfo_L2sc></switchingCapabilitySpecificInfo></switchingCapabilityDescriptor>
      </link><nextHop>null</nextHop></hop></path>
    </stitching></rspec>)";
  RSpec manifest = make_manifest(parse_request(request_xml));
  StitchPath* path = find_path(*manifest.stitching, "wan");
  REQUIRE(path != nullptr);
  CHECK(path->hops.at(0).link.l2->suggested_vlan_range->is_any());
  path->hops[0].link.l2->suggested_vlan_range = VlanSet::single(150);
  path->hops[0].link.l2->vlan_range_availability = VlanSet::single(150);
  find_link(manifest, "wan")->vlantag = "150";
  std::string xml = write_manifest(manifest);
  CHECK_MESSAGE(schemas().validate(xml, Kind::kManifest).empty(), joined(schemas().validate(xml, Kind::kManifest)));
  RSpec echoed = parse_manifest(xml);
  const StitchHop& hop = echoed.stitching->paths.at(0).hops.at(0);
  CHECK(hop.link.l2->suggested_vlan_range == VlanSet::single(150));
  CHECK(hop.next_hops == std::vector<std::string>{"null"});
  CHECK(echoed.links.at(0).vlantag == "150");
}

TEST_CASE("values are escaped, and text that is not UTF-8 is refused") {
  RSpec request;
  Node node;
  node.client_id = "n<1>&\"quoted\" \xC3\xA9t\xC3\xA9\n";
  request.nodes.push_back(node);
  std::string xml = write_request(request);
  CHECK(parse_request(xml).nodes.at(0).client_id == node.client_id);

  request.nodes[0].client_id = "bad\xFF";
  GeniError error = testing::thrown_by([&] { write_request(request); });
  CHECK(error.code() == GeniCode::kError);
  CHECK(std::string(error.what()).find("<node> attribute client_id") != std::string::npos);
}

TEST_CASE("find_node, find_link and find_interface look up by client_id") {
  RSpec request = parse_request(read_example("three-nodes-lan.rspec"));
  REQUIRE(find_node(request, "middle") != nullptr);
  CHECK(find_node(request, "middle")->client_id == "middle");
  CHECK(find_interface(request, "right:if0") == &request.nodes[1].interfaces[0]);
  CHECK(find_link(request, "lan0") == &request.links[0]);
  CHECK(find_node(request, "nobody") == nullptr);
}

}  // namespace
}  // namespace federa::rspec
