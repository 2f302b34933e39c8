#include "federation/inventory.h"
#include "federation/inventory_holder.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace federa::federation;

namespace {

// The example in docs/inventory.md, so the documented format is the tested one.
std::string documented_example() {
  const char* root = std::getenv("FEDERA_SOURCE_DIR");
  REQUIRE(root != nullptr);
  std::ifstream in(std::filesystem::path(root) / "docs" / "inventory.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto begin = doc.find("```toml\n");
  REQUIRE(begin != std::string::npos);
  const auto end = doc.find("```", begin + 8);
  return doc.substr(begin + 8, end - begin - 8);
}

std::string error_of(const std::string& toml) {
  try {
    parse_inventory(toml, "inv.toml");
  } catch (const InventoryError& error) {
    return error.what();
  }
  return "";
}

const char* kOneSite = R"(
[[site]]
name = "a"
authority = "a.example"
[[site.host]]
name = "h1"
backend = "test:///default"
vcpus = 4
memory_mb = 4096
disk_gb = 10
sliver_types = ["default-vm"]
)";

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("the documented inventory example parses into sites, hosts and a link") {
  const Inventory inventory = parse_inventory(documented_example(), "docs/inventory.md");
  REQUIRE(inventory.sites().size() == 2);
  REQUIRE(inventory.hosts().size() == 3);
  REQUIRE(inventory.links().size() == 1);
  const Site& utah = inventory.sites()[0];
  CHECK(utah.urn == "urn:publicid:IDN+utah.federa.example+authority+cm");
  CHECK(utah.location->country == "US");
  CHECK(utah.site_switch.vlans.format() == "1000-1099,3000-3099");
  CHECK(utah.hosts == std::vector<int>{0, 1});
  const Host& pc1 = inventory.hosts()[0];
  CHECK(pc1.urn == "urn:publicid:IDN+utah.federa.example+node+pc1");
  CHECK(pc1.backend == "qemu+ssh://pc1.utah.federa.example/system");
  CHECK(pc1.vcpus == 32);
  CHECK(pc1.slots == 16);
  CHECK(pc1.uplink_kbps == 10000000);
  CHECK(pc1.offers("raw-pc", "CENTOS8-64-STD", "d430"));
  CHECK_FALSE(pc1.offers("raw-pc", "WINDOWS", ""));
  CHECK(inventory.hosts()[1].offers("default-vm", "ANY-IMAGE", ""));  // no image list = any
  const Host& node1 = inventory.hosts()[2];
  CHECK(node1.site == 1);
  CHECK(node1.uplink_kbps == 1000000);
  CHECK(inventory.sites()[1].site_switch.translation);
  const InterSiteLink& link = inventory.links()[0];
  CHECK(link.urn == "urn:publicid:IDN+utah.federa.example+link+utah-wisc");
  CHECK(link.site_a == 0);
  CHECK(link.site_b == 1);
  CHECK(link.bandwidth_kbps == 1000000);
  CHECK(link.latency_ms == doctest::Approx(25.5));
  CHECK(link.vlans.format() == "3000-3099,3200");
  CHECK_FALSE(link.translation);
  CHECK(inventory.find_host("urn:publicid:IDN+wisc.federa.example+node+node1") == 2);
  CHECK(inventory.find_site(utah.urn) == 0);
  CHECK(inventory.find_link(link.urn) == 0);
  CHECK(inventory.links_at(1) == std::vector<int>{0});
}

TEST_CASE("inventory errors name the file, line, key and problem") {
  CHECK(error_of(kOneSite).empty());
  CHECK(error_of(std::string(kOneSite) + "colour = \"red\"\n") ==
        "inv.toml:12: site[0].host[0].colour: unknown key (allowed: name, backend, vcpus, "
        "memory_mb, disk_gb, slots, uplink_kbps, hardware_types, sliver_types, images, network, migration_uri)");
  std::string no_cpus = kOneSite;
  no_cpus.replace(no_cpus.find("vcpus = 4"), 9, "vcpus = 0");
  CHECK(error_of(no_cpus) == "inv.toml:8: site[0].host[0].vcpus: must be a positive integer");
  std::string no_backend = kOneSite;
  no_backend.erase(no_backend.find("backend"), 27);
  CHECK(error_of(no_backend).find("site[0].host[0].backend: required key is missing") !=
        std::string::npos);
  CHECK(error_of(std::string(kOneSite) + "[site.switch]\nvlans = \"10-5\"\n")
            .find("site[0].switch.vlans: VLAN range 10-5 is outside 1-4094 or reversed") !=
        std::string::npos);
  CHECK(error_of(std::string(kOneSite) +
                 "[[link]]\nname = \"x\"\nsites = [\"a\", \"b\"]\nbandwidth_kbps = 1\nvlans = \"5\"\n")
            .find("link[0].sites: names no site called 'b'") != std::string::npos);
  CHECK(error_of(std::string(kOneSite) + "[[site.host]]\nname = \"h1\"\nbackend = \"x\"\nvcpus = 1\n"
                 "memory_mb = 1\ndisk_gb = 1\nsliver_types = [\"default-vm\"]\n") ==
        "inv.toml: host 'urn:publicid:IDN+a.example+node+h1' is defined twice");
  CHECK(error_of("[[site]\n").find("inv.toml:1:") == 0);
  CHECK(error_of(std::string(kOneSite) + "[[link]]\nname = \"x\"\nsites = [\"a\", \"a\"]\n")
            .find("link[0].sites: must name exactly two different sites") != std::string::npos);
  std::string far = kOneSite;
  far.insert(far.find("[[site.host]]"), "location = { latitude = -33.9, longitude = \"west\" }\n");
  CHECK(error_of(far).find("site[0].location.longitude: must be a number") != std::string::npos);
  CHECK(error_of("") == "inv.toml: no [[site]] is defined");
}

TEST_CASE("a host's network says where its link devices live") {
  const Inventory plain = parse_inventory(kOneSite, "inv.toml");
  CHECK_FALSE(plain.hosts()[0].network);
  const Inventory networked = parse_inventory(
      std::string(kOneSite) + "[site.host.network]\nnetns = \"site-a\"\nunderlay = \"wan\"\naddress = \"10.0.0.1\"\n",
      "inv.toml");
  REQUIRE(networked.hosts()[0].network);
  CHECK(networked.hosts()[0].network->netns == "site-a");
  CHECK(networked.hosts()[0].network->underlay == "wan");
  CHECK(networked.hosts()[0].network->address == "10.0.0.1");
  CHECK(error_of(std::string(kOneSite) + "[site.host.network]\nbridge = \"br0\"\n")
            .find("site[0].host[0].network.bridge: unknown key (allowed: netns, underlay, address)") != std::string::npos);
}

TEST_CASE("reload swaps the inventory atomically, keeps drains and survives a bad file") {
  InventoryHolder holder(parse_inventory(documented_example(), "example"));
  const std::string pc2 = "urn:publicid:IDN+utah.federa.example+node+pc2";
  holder.set_drained(pc2, true);
  const auto before = holder.snapshot();
  CHECK(before->hosts()[1].drained);
  CHECK_THROWS_AS(holder.set_drained("urn:publicid:IDN+x+node+none", true), InventoryError);

  std::string grown = documented_example();
  grown.replace(grown.find("vcpus = 16"), 10, "vcpus = 24");
  const auto file = write_temp("federa_inventory_test.toml", grown);
  holder.reload(file);
  const auto after = holder.snapshot();
  CHECK(after->hosts()[1].vcpus == 24);
  CHECK(after->hosts()[1].drained);
  CHECK(before->hosts()[1].vcpus == 16);  // a snapshot taken earlier never changes

  const auto broken = write_temp("federa_inventory_broken.toml", "[[site]]\nname = 3\n");
  CHECK_THROWS_AS(holder.reload(broken), InventoryError);
  CHECK(holder.snapshot() == after);
  holder.set_drained(pc2, false);
  CHECK_FALSE(holder.snapshot()->hosts()[1].drained);
  std::filesystem::remove(file);
  std::filesystem::remove(broken);
}
