#include "federation/device_counters.h"

#include <doctest/doctest.h>

#include "federation/command.h"
#include "federation/test_sites.h"

namespace federa::federation {

TEST_CASE("device counters: a veth's traffic counts up; a missing device or namespace is nullopt") {
  testing::require_root("device counters on a veth");
  testing::TestNamespaces namespaces;
  const std::string a = namespaces.add("ctra");
  const std::string b = namespaces.add("ctrb");
  run_checked(ip_command(a, {"link", "add", "v0", "type", "veth", "peer", "name", "v1", "netns", b}));
  run_checked(ip_command(a, {"address", "add", "10.201.0.1/24", "dev", "v0"}));
  run_checked(ip_command(b, {"address", "add", "10.201.0.2/24", "dev", "v1"}));
  run_checked(ip_command(a, {"link", "set", "v0", "up"}));
  run_checked(ip_command(b, {"link", "set", "v1", "up"}));

  const auto before = device_counters(a, "v0");
  REQUIRE(before);
  for (int i = 0; i < 3; ++i) REQUIRE(testing::ping(a, "10.201.0.2"));
  const auto after = device_counters(a, "v0");
  REQUIRE(after);
  CHECK(after->tx_packets >= before->tx_packets + 3);
  CHECK(after->rx_packets >= before->rx_packets + 3);
  CHECK(after->tx_bytes >= before->tx_bytes + 3 * 84);  // an ICMP echo is 84 bytes of IP
  const auto peer = device_counters(b, "v1");
  REQUIRE(peer);
  CHECK(peer->rx_packets >= after->tx_packets - before->tx_packets);

  CHECK_FALSE(device_counters(a, "nosuchdev0"));
  CHECK_FALSE(device_counters("fdtest-no-such-namespace", "v0"));
}

}  // namespace federa::federation
