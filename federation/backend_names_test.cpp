#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/node_seed.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace federa::federation;

TEST_CASE("every device name fits Linux's 15 characters and is recognised by the sweep") {
  for (DeviceKind kind : {DeviceKind::kBridge, DeviceKind::kVxlan, DeviceKind::kVlan,
                          DeviceKind::kNodeVeth, DeviceKind::kTap}) {
    const std::string name = device_name(kind, "urn:publicid:IDN+a+slice+s", "link-with-a-long-name", "host");
    CHECK(name.size() <= 15);
    CHECK(is_federa_device(name));
  }
  CHECK(device_name(DeviceKind::kBridge, "s1", "l", "h") != device_name(DeviceKind::kBridge, "s2", "l", "h"));
  CHECK(device_name(DeviceKind::kBridge, "s", "l", "h1") != device_name(DeviceKind::kBridge, "s", "l", "h2"));
  for (const char* other : {"eth0", "fdb-XYZ", "fdq-0123456789", "fdb-0123456789a", "br0", "fd-0123456789"}) {
    CHECK_FALSE(is_federa_device(other));
  }
}

TEST_CASE("domain and table names are recognisable and safe") {
  const std::string name = domain_name("urn:publicid:IDN+a+slice+s", "node 1/<x>");
  CHECK(name.rfind("fd-", 0) == 0);
  CHECK(name.substr(14) == "node_1__x_");
  CHECK(is_federa_domain(name));
  CHECK_FALSE(is_federa_domain("fd-node1"));
  CHECK_FALSE(is_federa_domain("vm1"));
  CHECK(is_federa_table(cut_table_name("s", "l", "h")));
  CHECK_FALSE(is_federa_table("filter"));
}

TEST_CASE("the seed archive unpacks with a stock cpio into what the guest reads") {
  NodeSpec spec;
  spec.name = "fd-0123456789-n1";
  spec.login_user = "alice";
  spec.ssh_keys = {"ssh-ed25519 AAAA alice", "ssh-rsa BBBB bob"};
  spec.ports = {{"fdt-0123456789", "fdb-0123456789", port_mac("fdt-0123456789"), "10.77.0.2/24"}};
  const std::string archive = seed_archive(spec);
  CHECK(archive.size() % 4 == 0);
  const auto dir = std::filesystem::temp_directory_path() / ("federa-seed-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const CommandResult unpacked = run_command({"sh", "-c", "cd \"$0\" && busybox cpio -i -d", dir.string()}, archive);
  REQUIRE(unpacked.exit_code == 0);
  auto read = [&](const char* file) {
    std::ifstream in(dir / "federa" / file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(read("hostname") == "fd-0123456789-n1\n");
  CHECK(read("user") == "alice\n");
  CHECK(read("authorized_keys") == "ssh-ed25519 AAAA alice\nssh-rsa BBBB bob\n");
  CHECK(read("ports") == port_mac("fdt-0123456789") + " 10.77.0.2/24\n");
  CHECK((std::filesystem::status(dir / "federa" / "authorized_keys").permissions() &
         std::filesystem::perms::others_read) == std::filesystem::perms::none);
  std::filesystem::remove_all(dir);
}

TEST_CASE("port MACs are locally administered unicast and stable") {
  const std::string mac = port_mac("fdt-0123456789");
  CHECK(mac.size() == 17);
  CHECK(mac.rfind("02:", 0) == 0);
  CHECK(mac == port_mac("fdt-0123456789"));
  CHECK(mac != port_mac("fdt-0123456788"));
}

TEST_CASE("commands report their failure with the tool's own words") {
  CHECK(run_checked({"cat"}, "hello") == "hello");
  try {
    run_checked({"ip", "link", "show", "dev", "fdb-nonexistent0"});
    FAIL("expected a failure");
  } catch (const federa::GeniError& e) {
    CHECK(e.code() == federa::GeniCode::kServerError);
    CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
  }
}
