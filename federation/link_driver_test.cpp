// Real network namespaces as sites and nodes (needs root; CI runs it as root).
#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"
#include "federation/link_driver.h"
#include "federation/sweep.h"
#include "federation/test_sites.h"

#include "common/geni_error.h"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <chrono>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace federa::federation;
using namespace federa::federation::testing;
using federa::GeniCode;
using federa::GeniError;

namespace {

const std::string kSlice1 = "urn:publicid:IDN+example.net+slice+one";
const std::string kSlice2 = "urn:publicid:IDN+example.net+slice+two";

const NetCapabilities& capabilities() {
  static const NetCapabilities caps = [] {
    require_root("the link driver test");
    NetCapabilities probed = probe_net_capabilities();
    for (NetFeature needed : {NetFeature::kBridge, NetFeature::kVeth, NetFeature::kVxlan, NetFeature::kNftables}) {
      if (!probed.has(needed)) throw std::runtime_error("this host cannot run the link tests:\n" + probed.summary());
    }
    return probed;
  }();
  return caps;
}

// A slice with one link across the two sites and a node namespace at each end.
struct CrossSiteSlice {
  SegmentSpec segment;
  std::string node_a, node_b;

  CrossSiteSlice(LinkDriver& driver, TestNamespaces& ns, const TwoSites& sites, const std::string& slice,
                 int vni, const std::string& tag, const std::string& address_a, const std::string& address_b)
      : segment{slice, "link0", Transport::kVxlan, vni, 0, {sites.a, sites.b}},
        node_a(ns.add(tag + "a")),
        node_b(ns.add(tag + "b")) {
    driver.create_segment(segment);
    driver.attach_namespace(segment, sites.a, tag + "a", node_a, "eth1", address_a);
    driver.attach_namespace(segment, sites.b, tag + "b", node_b, "eth1", address_b);
  }
};

std::vector<std::string> federa_devices(const std::string& netns) {
  std::vector<std::string> names;
  for (const auto& link : list_links(netns)) {
    if (link.name.rfind("fd", 0) == 0) names.push_back(link.name);
  }
  return names;
}

std::string mac_of(const std::string& netns, const std::string& ifname) {
  std::string out = run_checked(ip_command(netns, {"-brief", "link", "show", "dev", ifname}));
  const auto start = out.find(':') - 2;
  return out.substr(start, 17);
}

// Frames seen on `ifname` in `netns` within `ms` whose source MAC is `mac`.
int frames_from(const std::string& netns, const std::string& ifname, const std::string& mac, int ms) {
  int count = 0;
  run_in_netns(netns, [&] {
    const int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    REQUIRE(fd >= 0);
    sockaddr_ll where{};
    where.sll_family = AF_PACKET;
    where.sll_protocol = htons(ETH_P_ALL);
    where.sll_ifindex = static_cast<int>(if_nametoindex(ifname.c_str()));
    REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) == 0);
    timeval tick{0, 50'000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    unsigned char wanted[6];
    std::sscanf(mac.c_str(), "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &wanted[0], &wanted[1], &wanted[2], &wanted[3],
                &wanted[4], &wanted[5]);
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    unsigned char frame[2048];
    while (std::chrono::steady_clock::now() < end) {
      const ssize_t n = recv(fd, frame, sizeof frame, 0);
      if (n >= 14 && std::equal(wanted, wanted + 6, frame + 6)) ++count;
    }
    close(fd);
  });
  return count;
}

// Sends `size` bytes over TCP from `client_ns` to `server` in `server_ns`; returns what arrived.
std::string tcp_transfer(const std::string& server_ns, const std::string& server, const std::string& client_ns,
                         std::size_t size) {
  std::string sent(size, '\0');
  for (std::size_t i = 0; i < size; ++i) sent[i] = static_cast<char>(i * 7 + i / 251);
  std::string received;
  int listener = -1;
  run_in_netns(server_ns, [&] {
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(5001);
    inet_pton(AF_INET, server.c_str(), &at.sin_addr);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
    REQUIRE(listen(listener, 1) == 0);
  });
  std::thread reader([&] { received = read_all(accept(listener, nullptr, nullptr)); });
  run_in_netns(client_ns, [&] {
    const int fd = tcp_connect(server, 5001);
    REQUIRE(fd >= 0);
    for (std::size_t off = 0; off < sent.size();) {
      const ssize_t n = write(fd, sent.data() + off, sent.size() - off);
      REQUIRE(n > 0);
      off += static_cast<std::size_t>(n);
    }
    close(fd);
  });
  reader.join();
  close(listener);
  CHECK(received == sent);
  return received;
}

}  // namespace

TEST_CASE("a two-site slice link over VXLAN carries ping and TCP, and Delete leaves nothing") {
  LinkDriver driver(capabilities());
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  CrossSiteSlice slice(driver, ns, sites, kSlice1, 4096 + 100, "n", "10.77.0.1/24", "10.77.0.2/24");

  CHECK(ping(slice.node_a, "10.77.0.2", 2));
  CHECK(driver.mtu(slice.segment, sites.a) == 1450);
  CHECK(tcp_transfer(slice.node_a, "10.77.0.1", slice.node_b, 4 << 20).size() == 4u << 20);

  driver.destroy_segment(slice.segment);
  CHECK(federa_devices(sites.a.netns).empty());
  CHECK(federa_devices(sites.b.netns).empty());
  CHECK_FALSE(ping(slice.node_a, "10.77.0.2"));
  driver.destroy_segment(slice.segment);  // idempotent
}

TEST_CASE("a second slice on the same hosts cannot see the first slice's frames") {
  LinkDriver driver(capabilities());
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  CrossSiteSlice one(driver, ns, sites, kSlice1, 4096 + 100, "n", "10.77.0.1/24", "10.77.0.2/24");
  CrossSiteSlice two(driver, ns, sites, kSlice2, 4096 + 101, "m", "10.77.0.3/24", "10.77.0.4/24");
  CHECK(LinkDriver::bridge_name(one.segment, sites.a) != LinkDriver::bridge_name(two.segment, sites.a));

  CHECK(ping(one.node_a, "10.77.0.2"));
  CHECK(ping(two.node_a, "10.77.0.4"));
  const std::string mac_one = mac_of(one.node_a, "eth1");
  // Slice one floods ARP for a slice-two address and pings its peer; slice two must see none of it.
  std::thread noise([&] {
    CHECK_FALSE(ping(one.node_a, "10.77.0.4", 1));
    CHECK(ping(one.node_a, "10.77.0.2", 1));
  });
  const int leaked_b = frames_from(two.node_b, "eth1", mac_one, 1200);
  noise.join();
  CHECK(leaked_b == 0);
  // The same capture does see slice one's frames on slice one's far end: it can fail.
  std::thread own([&] { ping(one.node_a, "10.77.0.2", 1); });
  CHECK(frames_from(one.node_b, "eth1", mac_one, 800) > 0);
  own.join();
  CHECK_FALSE(ping(two.node_a, "10.77.0.1"));

  driver.destroy_segment(one.segment);
  CHECK(ping(two.node_a, "10.77.0.4"));  // the other slice is untouched
  driver.destroy_segment(two.segment);
  CHECK(federa_devices(sites.a.netns).empty());
}

TEST_CASE("a cut link drops its frames until it is reopened") {
  LinkDriver driver(capabilities());
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  CrossSiteSlice slice(driver, ns, sites, kSlice1, 4096 + 100, "n", "10.77.0.1/24", "10.77.0.2/24");
  REQUIRE(ping(slice.node_a, "10.77.0.2"));

  driver.cut(slice.segment);
  CHECK_FALSE(ping(slice.node_a, "10.77.0.2"));
  CHECK(driver.reopen(slice.segment) >= 1);
  CHECK(ping(slice.node_a, "10.77.0.2"));
  CHECK(driver.reopen(slice.segment) == 0);  // nothing to lift
  driver.destroy_segment(slice.segment);
}

TEST_CASE("the sweep removes what a crash left and nothing else") {
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  {
    LinkDriver crashed(capabilities());
    CrossSiteSlice slice(crashed, ns, sites, kSlice1, 4096 + 100, "n", "10.77.0.1/24", "10.77.0.2/24");
    CrossSiteSlice other(crashed, ns, sites, kSlice2, 4096 + 101, "m", "10.77.0.3/24", "10.77.0.4/24");
    crashed.cut(slice.segment);
  }  // the AM "crashes": nothing is torn down
  run_checked(ip_command(sites.a.netns, {"link", "add", "br-operator", "type", "bridge"}));
  REQUIRE(federa_devices(sites.a.netns).size() == 6);  // 2 bridges, 2 VXLAN ports, 2 veths

  const SweepReport report = sweep_host(nullptr, sites.a.netns);
  CHECK(report.tables == 1);
  CHECK(report.devices == 6);
  CHECK(federa_devices(sites.a.netns).empty());
  CHECK(run_nft(sites.a.netns, {"list", "tables"}).find("fd_") == std::string::npos);
  std::vector<std::string> left;
  for (const auto& link : list_links(sites.a.netns)) left.push_back(link.name);
  CHECK(std::find(left.begin(), left.end(), "br-operator") != left.end());
  CHECK(std::find(left.begin(), left.end(), "wan") != left.end());
  CHECK(sweep_host(nullptr, sites.a.netns).devices == 0);
}

TEST_CASE("the capability probe says what is unavailable, and a VLAN link needs 8021q") {
  const NetCapabilities& caps = capabilities();
  MESSAGE(caps.summary());
  CHECK(caps.summary().find("VXLAN: available") != std::string::npos);
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  LinkDriver driver(caps);
  SegmentSpec vlan{kSlice1, "trunked", Transport::kVlan, 0, 100, {sites.a, sites.b}};
  if (caps.has(NetFeature::kVlan)) {
    driver.create_segment(vlan);
    CHECK(federa_devices(sites.a.netns).size() == 2);
    driver.destroy_segment(vlan);
  } else {
    try {
      driver.create_segment(vlan);
      FAIL("a VLAN segment without 8021q must be refused");
    } catch (const GeniError& e) {
      CHECK(e.code() == GeniCode::kUnsupported);
      CHECK(std::string(e.what()).find("802.1Q VLAN is unavailable on this host") != std::string::npos);
    }
  }
  CHECK(federa_devices(sites.a.netns).empty());
}
