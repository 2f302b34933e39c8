// The coordinator on real QEMU guests under TCG, one per site, each site with its own libvirtd
// in its own namespace (SiteDaemon), joined by a VXLAN slice link. The guest at site A pings
// the one at site B every 20 ms and logs the replies (tests/vm/init, federa_ping): a consistent
// snapshot and restore must leave that numbered stream with no gap and no duplicate, and the
// guest's counter (federa_counter) must go back on restore. Needs root and the QEMU packages.
#include "snapshot/slice_snapshotter.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/site_daemon.h"
#include "federation/test_sites.h"

#include "store/test_database.h"

#include <doctest/doctest.h>

#include <chrono>
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

}  // namespace

TEST_CASE("a 2-site VM slice: snapshot while its guests ping, restore goes back with no gap and no duplicate") {
  require_root("the VM slice snapshot test");
  run_checked({std::string(FEDERA_SOURCE_DIR) + "/tests/vm/build_guest.sh", kGuestDir.string()});
  TestNamespaces ns;
  const TwoSites sites = make_two_sites(ns);
  const Scratch scratch;  // outlives the site daemons, whose directories are inside
  const std::filesystem::path& dir = scratch.path;
  SiteDaemon daemon_a(sites.a, "siteA", dir / "siteA"), daemon_b(sites.b, "siteB", dir / "siteB");

  const std::string slice_urn = "urn:publicid:IDN+example.net+slice+snapvm" + std::to_string(getpid());
  const SegmentSpec link{slice_urn, "link0", Transport::kVxlan, 4096 + 78, 0, {sites.a, sites.b}};
  LinkDriver links(probe_net_capabilities());
  links.create_segment(link);
  const std::string probe = ns.add("probe");
  links.attach_namespace(link, sites.a, "probe", probe, "eth1", "10.77.0.1/24");

  NodeDriverOptions options;
  options.state_dir = dir / "state";
  const std::string boot = "console=ttyS0 quiet panic=-1 federa_counter";
  options.images["pinger"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", boot + " federa_ping=10.77.0.3", {}, "qcow2"};
  options.images["counter"] = {kGuestDir / "vmlinuz", kGuestDir / "initrd.gz", boot, {}, "qcow2"};
  auto driver_a = open_node_driver(daemon_a.uri(), options);
  auto driver_b = open_node_driver(daemon_b.uri(), options);

  SliceDescription slice{slice_urn, {}, {link}};
  struct Vm { const char* client; const char* image; const char* address; NodeDriver* driver; const HostNetwork* site; };
  for (const Vm& vm : {Vm{"vma", "pinger", "10.77.0.2/24", driver_a.get(), &sites.a},
                       Vm{"vmb", "counter", "10.77.0.3/24", driver_b.get(), &sites.b}}) {
    NodeSpec spec;
    spec.name = domain_name(slice_urn, vm.client);
    spec.image = vm.image;
    spec.ports = {links.vm_port(link, *vm.site, vm.client, vm.address)};
    vm.driver->define(spec);
    vm.driver->start(spec.name);
    slice.nodes.push_back({spec.name, vm.driver, {{"link0", spec.ports[0].tap, vm.site->netns}}});
  }
  REQUIRE(eventually([&] { return ping(probe, "10.77.0.2") && ping(probe, "10.77.0.3"); }, std::chrono::seconds(60)));
  REQUIRE(eventually([&] { return stream_of(guest_service(probe, "10.77.0.2", 7002)).last >= 50; },
                     std::chrono::seconds(30)));

  store::TestDatabase db;
  auto store = store::open_store(db.uri(), store::MigrationSet{FEDERA_SCHEMA_DIR, "am"});
  SliceSnapshotter snapshots(*store, dir / "snapshots");
  const int before = stream_of(guest_service(probe, "10.77.0.2", 7002)).last;
  const SnapshotRecord taken = snapshots.take(slice);
  const int counter_at_snapshot = counter_of(probe, "10.77.0.2");
  MESSAGE("snapshot: " << taken.duration_ms << " ms, links cut " << taken.interruption_ms << " ms, "
                       << taken.frames << " frames in flight, " << taken.bytes / 1e6 << " MB");
  for (const auto& node : taken.nodes) MESSAGE(node.node << ": snapshot " << node.snapshot_ms << " ms");
  CHECK(taken.frames >= 2);  // a ping every 20 ms each way, cut for well over 100 ms
  for (const auto& channel : taken.channels) CHECK(channel.frames == channel.dropped);  // all paused: exact
  CHECK(snapshots.list(slice_urn).size() == 1);

  std::this_thread::sleep_for(std::chrono::seconds(4));
  const int counter_late = counter_of(probe, "10.77.0.2");
  const Stream live = stream_of(guest_service(probe, "10.77.0.2", 7002), before);
  CHECK(counter_late >= counter_at_snapshot + 3);
  INFO("live stream " << live.first << ".." << live.last << " gaps:" << live.gaps);
  CHECK(live.missing == 0);
  CHECK(live.duplicates == 0);

  const RestoreReport restored = snapshots.restore(slice, taken.id);
  MESSAGE("restore: " << restored.restore_ms << " ms, " << restored.frames_injected << " frames re-injected");
  CHECK(restored.frames_injected == taken.frames);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const int counter_restored = counter_of(probe, "10.77.0.2");
  CHECK(counter_restored >= 0);
  CHECK(counter_restored < counter_late);  // went back in time
  const Stream after = stream_of(guest_service(probe, "10.77.0.2", 7002), before);
  MESSAGE("ping stream after restore: seq " << after.first << ".." << after.last << ", missing " << after.missing
                                            << ", duplicates " << after.duplicates << " (live run reached " << live.last
                                            << ")");
  CHECK(after.last > before + 50);
  INFO("gaps after restore:" << after.gaps);
  CHECK(after.missing == 0);
  CHECK(after.duplicates == 0);
  CHECK(ping(probe, "10.77.0.3"));

  for (const auto& node : slice.nodes) node.driver->destroy(node.name);
  links.destroy_segment(link);
  snapshots.remove(taken.id);
}
