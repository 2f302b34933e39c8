#include "federation/mapper.h"
#include "federation/placement_checker.h"

#include <doctest/doctest.h>

#include <set>

using namespace federa::federation;
using federa::VlanSet;
using federa::GeniCode;

namespace {

// Three sites in a line, a - b - c (no direct a - c link), two hosts each.
struct LineOptions {
  std::string ab_vlans = "100-199";
  std::string bc_vlans = "100-199";
  bool ab_translation = false;
  bool bc_translation = false;
  std::int64_t link_kbps = 1'000'000;
};

Inventory line_of_sites(const LineOptions& options = {}) {
  std::vector<Site> sites;
  std::vector<Host> hosts;
  for (int s = 0; s < 3; ++s) {
    const std::string name(1, static_cast<char>('a' + s));
    const std::string authority = name + ".example";
    sites.push_back({name, authority, site_urn(authority), std::nullopt,
                     {VlanSet::parse("100-199"), false}, {}});
    for (int h = 1; h <= 2; ++h) {
      const std::string host = "h" + std::to_string(h);
      hosts.push_back({host, host_urn(authority, host), s, "test:///default", 8, 16384, 100, 4,
                       1'000'000, {"pc"}, {"default-vm", "raw-pc"}, {"UBUNTU"}, false});
    }
  }
  std::vector<InterSiteLink> links{
      {"ab", link_urn("a.example", "ab"), 0, 1, options.link_kbps, 10,
       VlanSet::parse(options.ab_vlans), options.ab_translation},
      {"bc", link_urn("b.example", "bc"), 1, 2, options.link_kbps, 10,
       VlanSet::parse(options.bc_vlans), options.bc_translation}};
  return Inventory(std::move(sites), std::move(hosts), std::move(links));
}

std::string host(char site, int number) {
  return host_urn(std::string(1, site) + ".example", "h" + std::to_string(number));
}
std::string site(char name) { return site_urn(std::string(1, name) + ".example"); }

NodeRequest vm(std::string id, int vcpus = 1) {
  NodeRequest node;
  node.client_id = std::move(id);
  node.sliver_type = "default-vm";
  node.demand.vcpus = vcpus;
  node.demand.memory_mb = 1024;
  node.demand.disk_gb = 10;
  return node;
}
NodeRequest bound(std::string id, const std::string& host_urn) {
  NodeRequest node = vm(std::move(id));
  node.component_id = host_urn;
  return node;
}
NodeRequest at_site(std::string id, const std::string& site_urn, int vcpus = 1) {
  NodeRequest node = vm(std::move(id), vcpus);
  node.component_manager_id = site_urn;
  return node;
}
LinkRequest wire(std::string id, std::string a, std::string b, std::int64_t kbps = 100'000) {
  LinkRequest link;
  link.client_id = std::move(id);
  link.node_a = std::move(a);
  link.node_b = std::move(b);
  link.capacity_kbps = kbps;
  return link;
}

Placement mapped(const Inventory& inventory, const Usage& usage, const TopologyRequest& request,
                 const MapOptions& options = {}) {
  MapResult result = map_request(inventory, usage, request, options);
  if (const auto* refusal = std::get_if<Refusal>(&result)) FAIL(refusal->message());
  const Placement placement = std::get<Placement>(result);
  const auto violations = check_placement(inventory, usage, request, placement);
  CHECK_MESSAGE(violations.empty(), violations.front());
  return placement;
}

Refusal refused(const Inventory& inventory, const Usage& usage, const TopologyRequest& request,
                GeniCode code) {
  MapResult result = map_request(inventory, usage, request);
  REQUIRE(std::holds_alternative<Refusal>(result));
  const Refusal refusal = std::get<Refusal>(result);
  CHECK(refusal.code == code);
  return refusal;
}

bool mentions(const Refusal& refusal, const std::string& text) {
  return refusal.message().find(text) != std::string::npos;
}

const NodePlacement& node_named(const Placement& placement, const std::string& id) {
  for (const NodePlacement& node : placement.nodes) if (node.client_id == id) return node;
  FAIL("no node " << id);
  return placement.nodes.front();
}

std::vector<int> tags_of(const LinkPlacement& link) {
  std::vector<int> tags;
  for (const Hop& hop : link.hops) tags.push_back(hop.vlan_tag.value_or(-1));
  return tags;
}

}  // namespace

TEST_CASE("bound, site-bound and unbound nodes land where they may") {
  const Inventory inventory = line_of_sites();
  TopologyRequest request{{bound("fixed", host('b', 2)), at_site("near", site('c')), vm("free")},
                          {}};
  const Placement placement = mapped(inventory, {}, request);
  CHECK(node_named(placement, "fixed").host_urn == host('b', 2));
  CHECK(node_named(placement, "fixed").site_urn == site('b'));
  CHECK(node_named(placement, "near").site_urn == site('c'));
  CHECK(inventory.find_host(node_named(placement, "free").host_urn));
}

TEST_CASE("links inside a host, inside a site and across sites get the right hops and tags") {
  const Inventory inventory = line_of_sites();
  SUBCASE("two linked unbound nodes share a host when packing") {
    const Placement placement =
        mapped(inventory, {}, {{vm("x"), vm("y")}, {wire("l", "x", "y")}});
    REQUIRE(placement.links.size() == 1);
    const LinkPlacement& link = placement.links[0];
    CHECK(link.host_a == link.host_b);
    REQUIRE(link.hops.size() == 1);
    CHECK(link.hops[0].kind == HopKind::kHostLocal);
    CHECK_FALSE(link.hops[0].vlan_tag);
  }
  SUBCASE("two hosts of one site meet at the site switch") {
    const Placement placement = mapped(
        inventory, {}, {{bound("x", host('a', 1)), bound("y", host('a', 2))}, {wire("l", "x", "y")}});
    const LinkPlacement& link = placement.links[0];
    REQUIRE(link.hops.size() == 1);
    CHECK(link.hops[0].kind == HopKind::kSiteSwitch);
    CHECK(link.hops[0].urn == site('a'));
    CHECK(link.hops[0].vlan_tag == 100);
  }
  SUBCASE("a circuit from a to c crosses b with one tag end to end") {
    const Placement placement = mapped(
        inventory, {}, {{bound("x", host('a', 1)), bound("y", host('c', 1))}, {wire("l", "x", "y")}});
    const LinkPlacement& link = placement.links[0];
    REQUIRE(link.hops.size() == 5);
    CHECK(link.hops[0].urn == site('a'));
    CHECK(link.hops[1].urn == inventory.links()[0].urn);
    CHECK(link.hops[2].urn == site('b'));
    CHECK(link.hops[3].urn == inventory.links()[1].urn);
    CHECK(link.hops[4].urn == site('c'));
    CHECK(tags_of(link) == std::vector<int>{100, 100, 100, 100, 100});
    CHECK(link.latency_ms == doctest::Approx(20));
    CHECK(placement.inter_site_cost() == doctest::Approx(200'000));
  }
  SUBCASE("an unbound node follows its site-bound neighbour instead of crossing sites") {
    const Placement placement = mapped(
        inventory, {}, {{at_site("x", site('c')), vm("y")}, {wire("l", "x", "y")}});
    CHECK(node_named(placement, "y").site_urn == site('c'));
    CHECK(placement.inter_site_cost() == 0);
  }
}

TEST_CASE("capacity exhaustion refuses with INSUFFICIENT_NODES naming node and constraint") {
  const Inventory inventory = line_of_sites();
  const Refusal full = refused(inventory, {},
                               {{at_site("n1", site('a'), 8), at_site("n2", site('a'), 8),
                                 at_site("n3", site('a'), 8)},
                                {}},
                               GeniCode::kInsufficientNodes);
  CHECK(full.client_id == "n3");
  CHECK(mentions(full, "no host at site 'a' offering sliver type 'default-vm' has 8 vCPUs"));
  CHECK(mentions(full, "the most free on any is 0 vCPUs"));

  Usage usage;
  usage.hosts[host('b', 1)] = {6, 0, 0, 1, 0, 0};
  const Refusal busy = refused(inventory, usage, {{[] {
                                                     NodeRequest node = bound("big", host('b', 1));
                                                     node.demand.vcpus = 4;
                                                     return node;
                                                   }()},
                                                  {}},
                               GeniCode::kInsufficientNodes);
  CHECK(mentions(busy, "cannot map 'big': host '" + host('b', 1) + "' cannot take 4 vCPUs"));
  CHECK(mentions(busy, "it has 2 vCPUs"));

  NodeRequest windows = vm("w");
  windows.image = "WINDOWS";
  CHECK(mentions(refused(inventory, {}, {{windows}, {}}, GeniCode::kInsufficientNodes),
                 "no host in service at this aggregate offers sliver type 'default-vm', image "
                 "'WINDOWS'"));
  const Inventory drained = inventory.with_drained({host('a', 1)});
  CHECK(mentions(refused(drained, {}, {{bound("d", host('a', 1))}, {}},
                         GeniCode::kInsufficientNodes),
                 "is drained"));
  CHECK(node_named(mapped(drained, {}, {{at_site("s", site('a'))}, {}}), "s").host_urn ==
        host('a', 2));
}

TEST_CASE("an exclusive node needs an empty host and keeps it to itself") {
  const Inventory inventory = line_of_sites();
  NodeRequest raw = at_site("raw", site('a'));
  raw.sliver_type = "raw-pc";
  raw.demand.exclusive = true;
  const Placement placement =
      mapped(inventory, {}, {{raw, at_site("vm1", site('a')), at_site("vm2", site('a'))}, {}});
  const std::string& raw_host = node_named(placement, "raw").host_urn;
  CHECK(node_named(placement, "vm1").host_urn != raw_host);
  CHECK(node_named(placement, "vm2").host_urn != raw_host);
  Usage usage;
  usage.hosts[host('a', 1)] = {1, 0, 0, 1, 0, 0};
  usage.hosts[host('a', 2)] = {1, 0, 0, 1, 0, 0};
  CHECK(mentions(refused(inventory, usage, {{raw}, {}}, GeniCode::kInsufficientNodes),
                 "a whole empty host"));
}

TEST_CASE("bandwidth shortages refuse with INSUFFICIENT_BANDWIDTH") {
  const Inventory inventory = line_of_sites({.link_kbps = 500'000});
  const Refusal wide =
      refused(inventory, {},
              {{bound("x", host('a', 1)), bound("y", host('c', 1))}, {wire("fat", "x", "y", 600'000)}},
              GeniCode::kInsufficientBandwidth);
  CHECK(wide.client_id == "fat");
  CHECK(mentions(wide, "no inter-site path between site 'a' and site 'c' has 600000 kbps free"));
  CHECK(mentions(wide, "the widest offers 500000 kbps"));

  const Refusal uplink =
      refused(inventory, {},
              {{bound("x", host('a', 1)), bound("y", host('a', 2))}, {wire("up", "x", "y", 2'000'000)}},
              GeniCode::kInsufficientBandwidth);
  CHECK(mentions(uplink, "has 1000000 kbps free on its uplink; the link needs 2000000 kbps"));

  LinkRequest quick = wire("quick", "x", "y");
  quick.max_latency_ms = 15;
  const Refusal slow = refused(inventory, {},
                               {{bound("x", host('a', 1)), bound("y", host('c', 1))}, {quick}},
                               GeniCode::kInsufficientBandwidth);
  CHECK(mentions(slow, "takes 20.000000 ms; the link allows 15.000000 ms"));
  // With an unbound end the mapper keeps the link within its latency limit.
  const Placement near = mapped(inventory, {}, {{bound("x", host('a', 1)), vm("y")}, {quick}});
  CHECK(node_named(near, "y").site_urn == site('a'));
}

TEST_CASE("VLAN tags: exhaustion on one hop, suggested tags and translation") {
  const TopologyRequest across{{bound("x", host('a', 1)), bound("y", host('c', 1))},
                               {wire("l", "x", "y")}};
  SUBCASE("a tag taken on the second hop moves the whole circuit to a tag free everywhere") {
    Usage usage;
    usage.segments[link_urn("b.example", "bc")].tags = VlanSet::parse("100-149");
    const Placement placement = mapped(line_of_sites(), usage, across);
    CHECK(tags_of(placement.links[0]) == std::vector<int>{150, 150, 150, 150, 150});
  }
  SUBCASE("no tag free on every hop of the path is VLAN_UNAVAILABLE naming the segments") {
    Usage usage;
    usage.segments[link_urn("b.example", "bc")].tags = VlanSet::parse("100-149");
    usage.segments[link_urn("a.example", "ab")].tags = VlanSet::parse("150-199");
    const Refusal refusal = refused(line_of_sites(), usage, across, GeniCode::kVlanUnavailable);
    CHECK(refusal.client_id == "l");
    CHECK(mentions(refusal, "no VLAN tag is free on all of the switch of site 'a', inter-site "
                            "link 'ab', the switch of site 'b', inter-site link 'bc'"));
    CHECK(mentions(refusal, "cannot be translated"));
  }
  SUBCASE("the same shortage succeeds where the second hop may translate") {
    Usage usage;
    usage.segments[link_urn("b.example", "bc")].tags = VlanSet::parse("100-149");
    usage.segments[link_urn("a.example", "ab")].tags = VlanSet::parse("150-199");
    const Placement placement = mapped(line_of_sites({.bc_translation = true}), usage, across);
    CHECK(tags_of(placement.links[0]) == std::vector<int>{100, 100, 100, 150, 100});
  }
  SUBCASE("a hop whose tags are all taken is VLAN_UNAVAILABLE, not a bandwidth problem") {
    Usage usage;
    usage.segments[link_urn("b.example", "bc")].tags = VlanSet::parse("100-199");
    const Refusal refusal = refused(line_of_sites(), usage, across, GeniCode::kVlanUnavailable);
    CHECK(mentions(refusal, "crosses a segment with no free VLAN tag (inter-site link 'bc')"));
  }
  SUBCASE("a suggested tag is honoured, and refused when already taken") {
    TopologyRequest suggested = across;
    suggested.links[0].vlan_tag = 123;
    CHECK(tags_of(mapped(line_of_sites(), {}, suggested).links[0]) ==
          std::vector<int>{123, 123, 123, 123, 123});
    Usage usage;
    usage.segments[site('b')].tags = VlanSet::parse("123");
    const Refusal refusal = refused(line_of_sites(), usage, suggested, GeniCode::kVlanUnavailable);
    CHECK(mentions(refusal, "suggested VLAN tag 123 is not free on the switch of site 'b' (free "
                            "there: 100-122,124-199)"));
    // Where the middle may translate, only the end segments must carry the suggested tag.
    const Placement placement =
        mapped(line_of_sites({.ab_translation = true, .bc_translation = true}), usage, suggested);
    CHECK(tags_of(placement.links[0]) == std::vector<int>{123, 100, 100, 100, 123});
  }
  SUBCASE("tags outside a link's range are never used") {
    const Placement placement = mapped(line_of_sites({.ab_vlans = "180-185"}), {}, across);
    CHECK(tags_of(placement.links[0]) == std::vector<int>{180, 180, 180, 180, 180});
  }
}

TEST_CASE("malformed requests are BADARGS") {
  const Inventory inventory = line_of_sites();
  CHECK(mentions(refused(inventory, {}, {{vm("x"), vm("x")}, {}}, GeniCode::kBadArgs),
                 "client_id that no other node uses"));
  CHECK(mentions(refused(inventory, {}, {{vm("x")}, {wire("l", "x", "ghost")}}, GeniCode::kBadArgs),
                 "two different nodes"));
  CHECK(mentions(refused(inventory, {}, {{bound("x", host('z', 1))}, {}}, GeniCode::kBadArgs),
                 "is not a host of this aggregate"));
  CHECK(mentions(refused(inventory, {}, {{at_site("x", site('z'))}, {}}, GeniCode::kBadArgs),
                 "is not a site of this aggregate"));
  TopologyRequest bad_tag{{vm("x"), vm("y")}, {wire("l", "x", "y")}};
  bad_tag.links[0].vlan_tag = 5000;
  CHECK(refused(inventory, {}, bad_tag, GeniCode::kBadArgs).client_id == "l");
  CHECK_THROWS_AS(map_request_or_throw(inventory, {}, bad_tag), federa::GeniError);
}

TEST_CASE("pack fills one host, spread uses many; both are deterministic for a seed") {
  const Inventory inventory = line_of_sites();
  TopologyRequest request;
  for (int i = 0; i < 4; ++i) request.nodes.push_back(vm("n" + std::to_string(i)));
  for (int i = 0; i < 3; ++i) {
    request.links.push_back(wire("l" + std::to_string(i), "n" + std::to_string(i),
                                 "n" + std::to_string(i + 1), 1000));
  }
  const auto hosts_used = [](const Placement& placement) {
    std::set<std::string> hosts;
    for (const auto& node : placement.nodes) hosts.insert(node.host_urn);
    return hosts.size();
  };
  CHECK(hosts_used(mapped(inventory, {}, request, {.objective = Objective::kPack})) == 1);
  const Placement spread = mapped(inventory, {}, request, {.objective = Objective::kSpread});
  CHECK(hosts_used(spread) >= 2);
  CHECK(spread.inter_site_cost() == 0);  // spreading never spends inter-site bandwidth
  const MapOptions seeded{.objective = Objective::kSpread, .seed = 42};
  const Placement first = mapped(inventory, {}, request, seeded);
  const Placement second = mapped(inventory, {}, request, seeded);
  for (std::size_t i = 0; i < first.nodes.size(); ++i) {
    CHECK(first.nodes[i].host_urn == second.nodes[i].host_urn);
  }
}

TEST_CASE("usage follows placements, so consecutive requests never overlap") {
  const Inventory inventory = line_of_sites();
  Usage usage;
  const TopologyRequest request{{bound("x", host('a', 1)), bound("y", host('c', 2))},
                                {wire("l", "x", "y", 400'000)}};
  const Placement first = mapped(inventory, usage, request);
  usage.add(first);
  const Placement second = mapped(inventory, usage, request);
  CHECK(tags_of(second.links[0]) == std::vector<int>{101, 101, 101, 101, 101});
  usage.add(second);
  CHECK(usage.segments[link_urn("a.example", "ab")].bandwidth_kbps == 800'000);
  CHECK(refused(inventory, usage, request, GeniCode::kInsufficientBandwidth).client_id == "l");
  usage.remove(second);
  usage.remove(first);
  CHECK(usage.hosts.empty());
  CHECK(usage.segments.empty());
}

TEST_CASE("the checker catches every kind of broken placement") {
  const Inventory inventory = line_of_sites();
  const TopologyRequest request{{bound("x", host('a', 1)), bound("y", host('c', 1)), vm("z")},
                                {wire("l", "x", "y")}};
  const Placement good = mapped(inventory, {}, request);
  const auto broken = [&](auto edit) {
    Placement placement = good;
    edit(placement);
    return !check_placement(inventory, {}, request, placement).empty();
  };
  CHECK(broken([](Placement& p) { p.nodes.pop_back(); }));
  CHECK(broken([&](Placement& p) { p.nodes[0].host_urn = host('a', 2); }));
  CHECK(broken([](Placement& p) { p.nodes[2].demand.vcpus = 9; }));
  CHECK(broken([](Placement& p) { p.links[0].hops[3].vlan_tag = 150; }));
  CHECK(broken([](Placement& p) { p.links[0].hops[1].vlan_tag = 99; }));
  CHECK(broken([](Placement& p) { p.links[0].hops.pop_back(); }));
  CHECK(broken([](Placement& p) { p.links[0].latency_ms = 1; }));
  CHECK(broken([](Placement& p) { p.links.clear(); }));
  Usage taken;
  taken.segments[site('b')].tags = VlanSet::parse("100");
  CHECK_FALSE(check_placement(inventory, taken, request, good).empty());
  Usage full;
  full.hosts[host('a', 1)] = {8, 0, 0, 1, 0, 0};
  CHECK_FALSE(check_placement(inventory, full, request, good).empty());
}
