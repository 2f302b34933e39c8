#include "federation/availability.h"

#include <doctest/doctest.h>

using namespace federa::federation;
using federa::VlanSet;

namespace {

Inventory small_inventory() {
  Host host{"h1", "urn:publicid:IDN+a.example+node+h1", 0, "test:///default", 8, 8192, 100, 2,
            1000, {}, {"default-vm"}, {}, false};
  const auto site = [](const std::string& name) {
    const std::string authority = name + ".example";
    return Site{name, authority, site_urn(authority), std::nullopt,
                {VlanSet::parse("10-20"), false}, {}};
  };
  InterSiteLink link{"ab", link_urn("a.example", "ab"), 0, 1, 5000, 3, VlanSet::parse("100-110"),
                     false};
  return Inventory({site("a"), site("b")}, {host}, {link});
}

}  // namespace

TEST_CASE("availability subtracts reservations from hosts, switches and links") {
  const Inventory inventory = small_inventory();
  Usage usage;
  usage.hosts["urn:publicid:IDN+a.example+node+h1"] = {3, 1024, 10, 1, 0, 400};
  usage.segments[inventory.sites()[0].urn].tags = VlanSet::parse("10-12");
  usage.segments[inventory.links()[0].urn] = {2000, VlanSet::parse("100,105")};
  const Availability free = availability(inventory, usage);
  const HostAvailability& host = free.hosts[0];
  CHECK(host.vcpus == 5);
  CHECK(host.memory_mb == 7168);
  CHECK(host.disk_gb == 90);
  CHECK(host.slots == 1);
  CHECK(host.uplink_kbps == 600);
  CHECK(host.available);
  CHECK(free.site_switches[0].vlans.format() == "13-20");
  CHECK(free.site_switches[1].vlans.format() == "10-20");
  CHECK(free.links[0].bandwidth_kbps == 3000);
  CHECK(free.links[0].vlans.format() == "101-104,106-110");

  usage.hosts["urn:publicid:IDN+a.example+node+h1"].slivers = 2;
  CHECK_FALSE(availability(inventory, usage).hosts[0].available);  // no slot left
  usage.hosts["urn:publicid:IDN+a.example+node+h1"] = {1, 0, 0, 1, 1, 0};
  CHECK_FALSE(availability(inventory, usage).hosts[0].available);  // an exclusive sliver
  CHECK_FALSE(availability(inventory.with_drained({"urn:publicid:IDN+a.example+node+h1"}), {})
                  .hosts[0]
                  .available);
}

TEST_CASE("a host fits a node only with room for every resource, exclusive only when empty") {
  const Inventory inventory = small_inventory();
  const Host& host = inventory.hosts()[0];
  HostAvailability free = HostAvailability::of(host, {});
  CHECK(free.fits({8, 8192, 100, false}, host));
  CHECK(free.fits({2, 0, 0, true}, host));
  CHECK_FALSE(free.fits({9, 0, 0, false}, host));
  CHECK_FALSE(free.fits({1, 8193, 0, false}, host));
  CHECK_FALSE(free.fits({1, 0, 101, false}, host));
  free.take({1, 0, 0, false});
  CHECK_FALSE(free.fits({1, 0, 0, true}, host));
  CHECK(free.fits({1, 0, 0, false}, host));
  free.take({1, 0, 0, false});
  CHECK_FALSE(free.fits({1, 0, 0, false}, host));  // both slots taken
  free.give_back({1, 0, 0, false}, host);
  free.give_back({1, 0, 0, false}, host);
  CHECK(free.vcpus == 8);
  CHECK(free.fits({1, 0, 0, true}, host));
}
