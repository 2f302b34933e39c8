#include "federation/segment_plan.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

using namespace federa::federation;
using federa::VlanSet;

namespace {

// Sites a and b, two hosts each, joined by inter-site links ab0 and ab1.
Inventory two_sites() {
  std::vector<Site> sites;
  std::vector<Host> hosts;
  for (int s = 0; s < 2; ++s) {
    const std::string authority = std::string(1, static_cast<char>('a' + s)) + ".example";
    sites.push_back({authority, authority, site_urn(authority), std::nullopt, {VlanSet::parse("100-199"), false}, {}});
    for (const char* name : {"h1", "h2"}) {
      hosts.push_back({name, host_urn(authority, name), s, "test:///default", 4, 4096, 10, 4, 1'000'000,
                       {"pc"}, {"vm"}, {}, false});
    }
  }
  std::vector<InterSiteLink> links;
  for (const char* name : {"ab0", "ab1"}) {
    links.push_back({name, link_urn("a.example", name), 0, 1, 1'000'000, 1.0, VlanSet::parse("100-199"), false});
  }
  return Inventory(std::move(sites), std::move(hosts), std::move(links));
}

std::map<std::string, HostNetwork> networks(const Inventory& inventory) {
  std::map<std::string, HostNetwork> out;
  int i = 1;
  for (const auto& host : inventory.hosts()) out[host.urn] = {host.urn, "", "wan", "10.200.0." + std::to_string(i++)};
  return out;
}

}  // namespace

TEST_CASE("the VNI comes from the tag the mapper reserved, in disjoint spaces") {
  const Inventory inventory = two_sites();
  const auto nets = networks(inventory);
  const std::string a1 = host_urn("a.example", "h1"), a2 = host_urn("a.example", "h2"), b1 = host_urn("b.example", "h1");

  LinkPlacement cross{"l0", "n0", "n1", a1, b1, 0, 0,
                      {{HopKind::kSiteSwitch, site_urn("a.example"), 120},
                       {HopKind::kInterSite, link_urn("a.example", "ab1"), 130},
                       {HopKind::kSiteSwitch, site_urn("b.example"), 130}}};
  const SegmentSpec over_wan = plan_segment("s", cross, inventory, nets);
  CHECK(over_wan.transport == Transport::kVxlan);
  CHECK(over_wan.vni == 2 * 4096 + 130);  // ab1 is inter-site link 1
  CHECK(over_wan.hosts.size() == 2);
  CHECK(over_wan.hosts[1].underlay_address == nets.at(b1).underlay_address);

  LinkPlacement local_site{"l1", "n0", "n2", a1, a2, 0, 0, {{HopKind::kSiteSwitch, site_urn("a.example"), 130}}};
  const SegmentSpec in_site = plan_segment("s", local_site, inventory, nets, Transport::kVlan);
  CHECK(in_site.transport == Transport::kVlan);
  CHECK(in_site.vlan_tag == 130);
  CHECK(in_site.vni == 0x800000 + 130);
  CHECK(in_site.vni != over_wan.vni);

  LinkPlacement same_host{"l2", "n0", "n3", a1, a1, 0, 0, {{HopKind::kHostLocal, a1, std::nullopt}}};
  CHECK(plan_segment("s", same_host, inventory, nets).hosts.size() == 1);
}

TEST_CASE("a placement the plan cannot realise is refused with a reason") {
  const Inventory inventory = two_sites();
  const auto nets = networks(inventory);
  LinkPlacement untagged{"l0", "n0", "n1", host_urn("a.example", "h1"), host_urn("b.example", "h1"), 0, 0,
                         {{HopKind::kInterSite, link_urn("a.example", "ab0"), std::nullopt}}};
  CHECK_THROWS_WITH_AS(plan_segment("s", untagged, inventory, nets), "link l0 crosses hosts but has no VLAN tag",
                       federa::GeniError);
  LinkPlacement unknown_host = untagged;
  unknown_host.host_b = "urn:publicid:IDN+c.example+node+h9";
  CHECK_THROWS_WITH_AS(plan_segment("s", unknown_host, inventory, nets),
                       "host urn:publicid:IDN+c.example+node+h9 has no network configuration", federa::GeniError);
}
