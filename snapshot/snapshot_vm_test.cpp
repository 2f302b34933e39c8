// The coordinator on real QEMU guests under TCG, one per site, each site with its own libvirtd
// in its own namespace (SiteDaemon), joined by a VXLAN slice link. The guest at site A pings
// the one at site B every 20 ms and logs the replies (tests/vm/init, federa_ping): a consistent
// snapshot and restore must leave that numbered stream with no gap and no duplicate, and the
// guest's counter (federa_counter) must go back on restore. Needs root and the QEMU packages.
#include "snapshot/slice_snapshotter.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"
#include "federation/site_daemon.h"
#include "federation/test_sites.h"

#include "store/test_database.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

using namespace federa;
using namespace federa::federation;
using namespace federa::federation::testing;
using namespace federa::snapshot;

namespace {

const std::filesystem::path kGuestDir = FEDERA_GUEST_DIR;

std::string guest_service(const std::string& netns, const std::string& address, int port) {
  std::string answer;
  run_in_netns(netns, [&] {
    const int fd = tcp_connect(address, port);
    if (fd >= 0) answer = read_all(fd);
  });
  return answer;
}

int counter_of(const std::string& netns, const std::string& address) {
  const std::string text = guest_service(netns, address, 7001);
  return text.empty() ? -1 : std::stoi(text);
}

// The replies in a busybox ping log from sequence number `from` on (the stream starts with
// losses while the peer boots): up to the last, which are missing and which came twice.
struct Stream {
  int first = -1, last = -1, missing = 0, duplicates = 0;
  std::string gaps;  // "from-to" runs of missing numbers
};

Stream stream_of(const std::string& log, int from = 0) {
  static const std::regex kReply(R"(seq=([0-9]+) )");
  std::map<int, int> seen;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, kReply) && std::stoi(m[1]) >= from) ++seen[std::stoi(m[1])];
  }
  Stream s;
  if (seen.empty()) return s;
  s.first = seen.begin()->first;
  s.last = seen.rbegin()->first;
  for (int seq = s.first; seq <= s.last; ++seq) {
    const auto it = seen.find(seq);
    if (it != seen.end()) {
      s.duplicates += it->second - 1;
      continue;
    }
    if (s.missing++ == 0 || seen.count(seq - 1)) s.gaps += " " + std::to_string(seq) + "-";
    if (seen.count(seq + 1)) s.gaps += std::to_string(seq);
  }
  return s;
}

struct Scratch {
  std::filesystem::path path = "/tmp/fdsnapvm" + std::to_string(getpid());
  ~Scratch() { std::filesystem::remove_all(path); }
};

template <class F>
bool eventually(F done, std::chrono::seconds limit) {
  for (const auto end = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(250))) {
    if (done()) return true;
  }
  return false;
}

// Two sites, each with its own libvirtd, a VXLAN slice link between them with a probe namespace
// at site A, and one booted guest per site: vma (10.77.0.2, pings vmb) at A, vmb (10.77.0.3) at B.
struct TwoSiteSlice {
  const Scratch scratch;  // outlives the site daemons, whose directories are inside
  const std::filesystem::path& dir = scratch.path;
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  SiteDaemon daemon_a{sites.a, "siteA", dir / "siteA"}, daemon_b{sites.b, "siteB", dir / "siteB"};
  const std::string slice_urn = "urn:publicid:IDN+example.net+slice+vms" + std::to_string(getpid());
  const SegmentSpec link{slice_urn, "link0", Transport::kVxlan, 4096 + 78, 0, {sites.a, sites.b}};
  LinkDriver links{probe_net_capabilities()};
  std::string probe;
  std::unique_ptr<NodeDriver> driver_a, driver_b;
  SliceDescription slice{slice_urn, {}, {link}};

  TwoSiteSlice() {
    links.create_segment(link);
    probe = ns.add("probe");
    links.attach_namespace(link, sites.a, "probe", probe, "eth1", "10.77.0.1/24");
    NodeDriverOptions options;
    options.state_dir = dir / "state";
    const std::string boot = "console=ttyS0 quiet panic=-1 federa_counter";
    options.images["pinger"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", boot + " federa_ping=10.77.0.3", {}, "qcow2"};
    options.images["counter"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", boot, {}, "qcow2"};
    options.peer_uri = daemon_a.peer_uri();
    driver_a = open_node_driver(daemon_a.uri(), options);
    options.peer_uri = daemon_b.peer_uri();
    driver_b = open_node_driver(daemon_b.uri(), options);
    boot_node("vma", "pinger", "10.77.0.2/24", *driver_a, sites.a);
    boot_node("vmb", "counter", "10.77.0.3/24", *driver_b, sites.b);
    REQUIRE(eventually([&] { return ping(probe, "10.77.0.2") && ping(probe, "10.77.0.3"); }, std::chrono::seconds(60)));
    REQUIRE(eventually([&] { return pings().last >= 50; }, std::chrono::seconds(30)));
  }
  ~TwoSiteSlice() {
    for (const auto& node : slice.nodes) node.driver->destroy(node.name);
    links.destroy_segment(link);
  }

  void boot_node(const char* client, const char* image, const char* address, NodeDriver& driver,
                 const HostNetwork& site) {
    NodeSpec spec;
    spec.name = domain_name(slice_urn, client);
    spec.image = image;
    spec.ports = {links.vm_port(link, site, client, address)};
    driver.define(spec);
    driver.start(spec.name);
    slice.nodes.push_back({spec.name, &driver, {{"link0", spec.ports[0].tap, site.netns}}});
  }
  // vma's ping stream to vmb, and its counter.
  Stream pings(int from = 0) { return stream_of(guest_service(probe, "10.77.0.2", 7002), from); }
  int counter() { return counter_of(probe, "10.77.0.2"); }
};

// What `ping -D` printed: the longest time between two replies, and the requests never answered.
struct ProbeGap {
  double max_gap_ms = 0;
  int lost = 0;
};

ProbeGap probe_gap(const std::string& output) {
  static const std::regex kReply(R"(^\[([0-9.]+)\] .*icmp_seq=)"), kSummary(R"(([0-9]+) packets transmitted, ([0-9]+) received)");
  ProbeGap gap;
  double previous = 0;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, kReply)) continue;
    const double at = std::stod(m[1]);
    if (previous > 0) gap.max_gap_ms = std::max(gap.max_gap_ms, (at - previous) * 1000);
    previous = at;
  }
  std::smatch m;
  if (std::regex_search(output, m, kSummary)) gap.lost = std::stoi(m[1]) - std::stoi(m[2]);
  return gap;
}

}  // namespace

TEST_CASE("a 2-site VM slice: snapshot while its guests ping, restore goes back with no gap and no duplicate") {
  require_root("the VM slice snapshot test");
  TwoSiteSlice t;
  store::TestDatabase db;
  auto store = store::open_store(db.uri(), store::MigrationSet{FEDERA_SCHEMA_DIR, "am"});
  SliceSnapshotter snapshots(*store, t.dir / "snapshots");
  const int before = t.pings().last;
  const SnapshotRecord taken = snapshots.take(t.slice);
  const int counter_at_snapshot = t.counter();
  MESSAGE("snapshot: " << taken.duration_ms << " ms, links cut " << taken.interruption_ms << " ms, "
                       << taken.frames << " frames in flight, " << taken.bytes / 1e6 << " MB");
  for (const auto& node : taken.nodes) MESSAGE(node.node << ": snapshot " << node.snapshot_ms << " ms");
  CHECK(taken.frames >= 2);  // a ping every 20 ms each way, cut for well over 100 ms
  for (const auto& channel : taken.channels) CHECK(channel.frames == channel.dropped);  // all paused: exact
  CHECK(snapshots.list(t.slice_urn).size() == 1);

  std::this_thread::sleep_for(std::chrono::seconds(4));
  const int counter_late = t.counter();
  const Stream live = t.pings(before);
  CHECK(counter_late >= counter_at_snapshot + 3);
  INFO("live stream " << live.first << ".." << live.last << " gaps:" << live.gaps);
  CHECK(live.missing == 0);
  CHECK(live.duplicates == 0);

  const RestoreReport restored = snapshots.restore(t.slice, taken.id);
  MESSAGE("restore: " << restored.restore_ms << " ms, " << restored.frames_injected << " frames re-injected");
  CHECK(restored.frames_injected == taken.frames);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const int counter_restored = t.counter();
  CHECK(counter_restored >= 0);
  CHECK(counter_restored < counter_late);  // went back in time
  const Stream after = t.pings(before);
  MESSAGE("ping stream after restore: seq " << after.first << ".." << after.last << ", missing " << after.missing
                                            << ", duplicates " << after.duplicates << " (live run reached " << live.last
                                            << ")");
  INFO("gaps after restore:" << after.gaps);
  CHECK(after.last > before + 50);
  CHECK(after.missing == 0);
  CHECK(after.duplicates == 0);
  CHECK(ping(t.probe, "10.77.0.3"));
  snapshots.remove(taken.id);
}

TEST_CASE("a VM migrates live between the site daemons; its link follows it and a 10 ms probe sees a short gap") {
  require_root("the VM migration test");
  TwoSiteSlice t;
  const std::string vma = t.slice.nodes[0].name;
  const NodePort there = t.links.vm_port(t.link, t.sites.b, "vma", "10.77.0.2/24");
  const int counter_before = t.counter();
  auto probe = std::async(std::launch::async, [&] {
    return run_command({"ip", "netns", "exec", t.probe, "ping", "-D", "-i", "0.01", "-w", "12", "10.77.0.2"}).out;
  });
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const JobStats stats = t.driver_a->migrate(vma, *t.driver_b, {there});
  t.slice.nodes[0].driver = t.driver_b.get();
  const ProbeGap gap = probe_gap(probe.get());
  MESSAGE("migration: " << stats.wall_ms << " ms call, QEMU total " << stats.total_ms << " ms, downtime "
                        << stats.downtime_ms << " ms; probe: max gap " << gap.max_gap_ms << " ms, " << gap.lost
                        << " lost");
  CHECK(t.driver_b->status(vma).state == DomainState::kRunning);
  CHECK(t.driver_a->status(vma).state == DomainState::kUndefined);
  bool on_bridge_b = false;
  for (const auto& device : list_links(t.sites.b.netns)) on_bridge_b |= device.name == there.tap && device.master == there.bridge;
  CHECK(on_bridge_b);
  CHECK(stats.downtime_ms > 0);
  CHECK(gap.max_gap_ms > 0);
  CHECK(gap.max_gap_ms < 1000);
  CHECK(ping(t.probe, "10.77.0.2"));
  const int counter_after = t.counter();
  CHECK(counter_after >= counter_before);  // the guest's state moved with it
  const int seq = t.pings().last;
  CHECK(eventually([&] { return t.pings().last > seq + 25; }, std::chrono::seconds(10)));  // vma <-> vmb still talk
}
