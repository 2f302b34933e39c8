// The coordinator on real network namespaces (two sites joined by VXLAN, a namespace node at
// each end) and the libvirt test driver for node state: the cut, the channel recording, the
// re-injection into the live slice and on restore, the catalog, and the rollback of a snapshot
// whose node disappears mid-way. No VMs, so it is fast; snapshot_vm_test does it with QEMU.
// Needs root (CI runs it as root).
#include "snapshot/slice_snapshotter.h"

#include "snapshot/ensemble_migration.h"
#include "snapshot/frame_log.h"
#include "snapshot/live_cut.h"

#include "federation/backend_names.h"
#include "federation/command.h"
#include "federation/host_links.h"
#include "federation/test_sites.h"

#include "common/geni_error.h"
#include "store/test_database.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <optional>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace federa;
using namespace federa::federation;
using namespace federa::federation::testing;
using namespace federa::snapshot;

namespace {

constexpr int kPort = 9000;

// Numbered UDP datagrams from one namespace to an address, one a millisecond, until stopped.
class Sender {
 public:
  Sender(const std::string& netns, const std::string& to)
      : thread_([this, netns, to] { run_in_netns(netns, [&] { send_until_stopped(to); }); }) {}
  ~Sender() { stop(); }
  std::uint32_t stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return sent_;
  }
  std::uint32_t sent() const { return sent_; }
  // Waits at most 10 s (a loaded machine slows the 1 ms pace) until `count` have been sent.
  bool wait_until_sent(std::uint32_t count) const {
    for (int i = 0; i < 10'000 && sent_ < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return sent_ >= count;
  }

 private:
  void send_until_stopped(const std::string& to) {
    const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    at.sin_port = htons(kPort);
    inet_pton(AF_INET, to.c_str(), &at.sin_addr);
    while (!stop_) {
      const std::uint32_t seq = htonl(sent_ + 1);
      if (sendto(fd, &seq, sizeof seq, 0, reinterpret_cast<sockaddr*>(&at), sizeof at) == sizeof seq) ++sent_;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    close(fd);
  }

  std::atomic<bool> stop_{false};
  std::atomic<std::uint32_t> sent_{0};
  std::thread thread_;
};

// Counts every sequence number arriving on UDP kPort in a namespace.
class Receiver {
 public:
  explicit Receiver(const std::string& netns) {
    run_in_netns(netns, [&] {
      fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      sockaddr_in at{};
      at.sin_family = AF_INET;
      at.sin_port = htons(kPort);
      REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&at), sizeof at) == 0);
      timeval tick{0, 50'000};
      setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
      // Held frames are delivered in one burst (hundreds under load, while this thread may be
      // starved): the default 208 kB buffer holds about 200 datagrams and dropped the rest.
      const int buffer = 4 << 20;
      setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof buffer);
    });
    thread_ = std::thread([this] {
      while (!stop_) {
        std::uint32_t seq = 0;
        if (recv(fd_, &seq, sizeof seq, 0) != sizeof seq) continue;
        std::lock_guard lock(mutex_);
        ++seen_[ntohl(seq)];
        arrival_.notify_all();
      }
    });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::map<std::uint32_t, int> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(seen_, {});
  }
  // Waits until `count` datagrams arrived since the last take, then takes them (and any more).
  std::map<std::uint32_t, int> take_after(std::size_t count) {
    return take_when([&] { return seen_total() >= count; });
  }
  // Waits until datagram `last` arrived, then takes what came.
  std::map<std::uint32_t, int> take_through(std::uint32_t last) {
    return take_when([&] { return seen_.count(last) > 0; });
  }
  // The same as sequence numbers, one per arrival.
  std::multiset<std::uint32_t> take_all_after(std::size_t count) {
    std::multiset<std::uint32_t> arrivals;
    for (const auto& [seq, times] : take_after(count)) {
      for (int i = 0; i < times; ++i) arrivals.insert(seq);
    }
    return arrivals;
  }

 private:
  // Waits at most 10 s (a loaded machine delays the receiving thread) for `arrived`, then 50 ms
  // more for anything beyond, and takes what came.
  std::map<std::uint32_t, int> take_when(const std::function<bool()>& arrived) {
    std::unique_lock lock(mutex_);
    arrival_.wait_for(lock, std::chrono::seconds(10), arrived);
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    return take();
  }
  std::size_t seen_total() const {
    std::size_t total = 0;
    for (const auto& [seq, times] : seen_) total += static_cast<std::size_t>(times);
    return total;
  }

  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable arrival_;
  std::map<std::uint32_t, int> seen_;
  std::thread thread_;
};

// The sequence numbers of the UDP datagrams to kPort in a channel log.
std::multiset<std::uint32_t> datagrams_in(const std::filesystem::path& pcap) {
  std::multiset<std::uint32_t> seqs;
  for (const Frame& frame : read_pcap(pcap)) {
    const auto* b = reinterpret_cast<const unsigned char*>(frame.bytes.data());
    if (frame.bytes.size() < 46 || b[12] != 0x08 || b[13] != 0x00 || b[23] != 17) continue;
    const std::size_t udp = 14 + (b[14] & 0x0f) * 4;
    if (((b[udp + 2] << 8) | b[udp + 3]) != kPort) continue;
    std::uint32_t seq;
    std::memcpy(&seq, b + udp + 8, sizeof seq);
    seqs.insert(ntohl(seq));
  }
  return seqs;
}

// The sequence numbers in `a` beyond those in `b` (as many times as they are), for messages.
std::string only_in(const std::multiset<std::uint32_t>& a, const std::multiset<std::uint32_t>& b) {
  std::vector<std::uint32_t> beyond;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(beyond));
  std::string listed;
  for (const std::uint32_t seq : beyond) listed += " " + std::to_string(seq);
  return listed;
}

bool leftovers(const std::string& netns) {
  for (const auto& link : list_links(netns)) {
    if (is_federa_device(link.name, DeviceKind::kCapture)) return true;
  }
  return run_nft(netns, {"list", "tables", "netdev"}).find("fd_") != std::string::npos;
}

struct TestSlice {
  TestNamespaces ns;
  TwoSites sites = make_two_sites(ns);
  std::string slice_urn = "urn:publicid:IDN+example.net+slice+snap" + std::to_string(getpid());
  SegmentSpec link{slice_urn, "link0", Transport::kVxlan, 4096 + 77, 0, {sites.a, sites.b}};
  LinkDriver links{probe_net_capabilities()};
  std::string node_a = ns.add("na"), node_b = ns.add("nb");
  std::filesystem::path dir = "/tmp/fdsnap" + std::to_string(getpid());
  std::unique_ptr<NodeDriver> driver;
  SliceDescription slice;

  TestSlice() {
    require_root("the slice snapshot test");
    links.create_segment(link);
    links.attach_namespace(link, sites.a, "na", node_a, "eth1", "10.77.0.1/24");
    links.attach_namespace(link, sites.b, "nb", node_b, "eth1", "10.77.0.2/24");
    NodeDriverOptions options;
    options.state_dir = dir / "state";
    options.images["plain"] = {};
    driver = open_node_driver("test:///default", options);
    slice.slice_urn = slice_urn;
    slice.links = {link};
    for (const auto& [client, site] : {std::pair{"na", &sites.a}, std::pair{"nb", &sites.b}}) {
      NodeSpec spec;
      spec.name = domain_name(slice_urn, client);
      spec.image = "plain";
      driver->define(spec);
      driver->start(spec.name);
      const std::string port = device_name(DeviceKind::kNodeVeth, slice_urn, "link0", client);
      slice.nodes.push_back({spec.name, driver.get(), {{"link0", port, site->netns}}});
    }
    REQUIRE(ping(node_a, "10.77.0.2", 2));
  }
  ~TestSlice() {
    for (const auto& node : slice.nodes) driver->destroy(node.name);
    links.destroy_segment(link);
    std::filesystem::remove_all(dir);
  }
};

// A TestSlice with a snapshot catalog in a fresh store.
struct Catalogued : TestSlice {
  store::TestDatabase db;
  std::unique_ptr<store::Store> store = store::open_store(db.uri(), store::MigrationSet{FEDERA_SCHEMA_DIR, "am"});
  SliceSnapshotter snapshots{*store, dir / "snapshots"};
};

}  // namespace

TEST_CASE("a stop-the-world snapshot records the frames in flight, the live slice loses none, restore re-delivers them") {
  Catalogued t;
  SliceSnapshotter& snapshots = t.snapshots;
  Receiver receiver(t.node_b);
  Sender sender(t.node_a, "10.77.0.2");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::vector<std::pair<std::string, double>> phases;
  const SnapshotRecord taken =
      snapshots.take(t.slice, {SnapshotMode::kStopTheWorld},
                     [&](std::string_view phase, double f) { phases.emplace_back(phase, f); });
  CHECK(taken.mode == SnapshotMode::kStopTheWorld);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::uint32_t sent = sender.stop();

  // The live slice: every datagram arrived exactly once, across the cut.
  const auto live = receiver.take_after(sent);
  CHECK(live.size() == sent);
  CHECK(live.begin()->first == 1);
  CHECK(live.rbegin()->first == sent);
  int duplicates = 0;
  for (const auto& [seq, times] : live) duplicates += times - 1;
  CHECK(duplicates == 0);

  // The channel: the sender's frames during the cut (about drain + pause + snapshot ms of them).
  MESSAGE("snapshot " << taken.duration_ms << " ms, " << taken.frames << " frames in flight");
  REQUIRE(taken.channels.size() == 2);
  const ChannelLog& from_a = taken.channels[0].node == t.slice.nodes[0].name ? taken.channels[0] : taken.channels[1];
  const auto recorded = datagrams_in(from_a.file);
  CHECK_FALSE(recorded.empty());  // about one per ms of the cut, fewer when the sender is starved
  CHECK(from_a.frames == from_a.dropped);  // the capture has every frame the cut dropped
  CHECK(std::set<std::uint32_t>(recorded.begin(), recorded.end()).size() == recorded.size());
  for (const auto& node : t.slice.nodes) CHECK(t.driver->status(node.name).state == DomainState::kRunning);
  CHECK_FALSE(leftovers(t.sites.a.netns));
  CHECK_FALSE(leftovers(t.sites.b.netns));

  std::vector<std::string> order;
  for (const auto& [phase, f] : phases) {
    if (order.empty() || order.back() != phase) order.push_back(phase);
  }
  CHECK(order == std::vector<std::string>{"cut", "pause", "snapshot", "channels", "resume", "catalog", "done"});
  for (std::size_t i = 1; i < phases.size(); ++i) CHECK(phases[i].second >= phases[i - 1].second);

  const auto listed = snapshots.list(t.slice_urn);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == taken.id);
  CHECK(listed[0].frames == taken.frames);
  REQUIRE(snapshots.describe(taken.id));
  CHECK(std::filesystem::exists(taken.nodes[0].memory_file));

  // Restore: the nodes come back running and the receiver gets the channel's frames again.
  const RestoreReport restored = snapshots.restore(t.slice, taken.id);
  CHECK(restored.frames_injected == taken.frames);
  const auto redelivered = receiver.take_all_after(recorded.size());
  INFO("recorded only:" << only_in(recorded, redelivered) << ", redelivered only:" << only_in(redelivered, recorded));
  CHECK(redelivered == recorded);
  for (const auto& node : t.slice.nodes) CHECK(t.driver->status(node.name).state == DomainState::kRunning);
  CHECK_FALSE(leftovers(t.sites.a.netns));

  snapshots.remove(taken.id);
  CHECK(snapshots.list(t.slice_urn).empty());
  CHECK_FALSE(std::filesystem::exists(taken.directory));
  CHECK_THROWS_AS(snapshots.remove(taken.id), GeniError);
  CHECK_THROWS_AS(snapshots.restore(t.slice, taken.id), GeniError);
}

TEST_CASE("a snapshot whose node is destroyed mid-way leaves the slice running and lists nothing") {
  SnapshotOptions options;
  SUBCASE("live") { options.mode = SnapshotMode::kLive; }
  SUBCASE("stop-the-world") { options.mode = SnapshotMode::kStopTheWorld; }
  Catalogued t;
  SliceSnapshotter& snapshots = t.snapshots;
  Receiver receiver(t.node_b);
  Sender sender(t.node_a, "10.77.0.2");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  const std::string doomed = t.slice.nodes[1].name;
  bool destroyed = false;
  CHECK_THROWS_AS(snapshots.take(t.slice, options,
                                 [&](std::string_view phase, double) {
                                   if (phase == "snapshot" && !destroyed) {
                                     t.driver->destroy(doomed);
                                     destroyed = true;
                                   }
                                 }),
                  GeniError);
  REQUIRE(destroyed);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::uint32_t sent = sender.stop();

  CHECK(snapshots.list().empty());
  CHECK(std::filesystem::is_empty(t.dir / "snapshots"));
  CHECK(t.driver->status(t.slice.nodes[0].name).state == DomainState::kRunning);
  CHECK_FALSE(leftovers(t.sites.a.netns));
  CHECK_FALSE(leftovers(t.sites.b.netns));
  CHECK(receiver.take_after(sent).size() == sent);  // the frames cut during the attempt were given back
  t.slice.nodes.pop_back();                         // already gone
}

// Every sequence number in `seqs` once, and they follow each other (a channel across a cut of a
// one-way stream is one run of it).
bool one_run(const std::multiset<std::uint32_t>& seqs) {
  if (seqs.empty()) return true;
  return std::set<std::uint32_t>(seqs.begin(), seqs.end()).size() == seqs.size() &&
         *seqs.rbegin() - *seqs.begin() + 1 == seqs.size();
}

TEST_CASE("a live snapshot colours the frames at the ports: nothing lost or doubled live, restore re-delivers the channel") {
  Catalogued t;
  Receiver receiver(t.node_b), there(t.node_a);  // bound before anything is sent
  Sender sender(t.node_a, "10.77.0.2");
  Sender back(t.node_b, "10.77.0.1");  // traffic both ways, so both nodes send and receive
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::vector<std::string> order;
  const SnapshotRecord taken = t.snapshots.take(t.slice, {}, [&](std::string_view phase, double) {
    if (order.empty() || order.back() != phase) order.emplace_back(phase);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::uint32_t sent = sender.stop(), sent_back = back.stop();

  CHECK(taken.mode == SnapshotMode::kLive);  // the VXLAN tunnel carries the colour (gbp)
  CHECK(order == std::vector<std::string>{"colour", "snapshot", "channels", "catalog", "done"});
  MESSAGE("live snapshot " << taken.duration_ms << " ms, longest hold " << taken.interruption_ms << " ms, "
                           << taken.frames << " frames in flight");
  CHECK(taken.interruption_ms < taken.duration_ms);
  for (const auto& [received, count] :
       {std::pair{receiver.take_after(sent), sent}, std::pair{there.take_after(sent_back), sent_back}}) {
    std::string missing;
    for (std::uint32_t seq = 1; seq <= count; ++seq) {
      if (!received.count(seq)) missing += " " + std::to_string(seq);
    }
    INFO("missing:" << missing);
    CHECK(received.size() == count);  // every datagram arrived, across the cut, exactly once
    int duplicates = 0;
    for (const auto& [seq, times] : received) duplicates += times - 1;
    CHECK(duplicates == 0);
  }
  // The channel state is kept at each receiver's port: one run of the stream towards it.
  REQUIRE(taken.channels.size() == 2);
  std::multiset<std::uint32_t> towards_b;
  for (const ChannelLog& channel : taken.channels) {
    CHECK(channel.at_receiver);
    const auto seqs = datagrams_in(channel.file);
    CHECK(one_run(seqs));
    if (channel.node == t.slice.nodes[1].name) towards_b = seqs;
  }
  for (const auto& node : t.slice.nodes) CHECK(t.driver->status(node.name).state == DomainState::kRunning);
  CHECK_FALSE(leftovers(t.sites.a.netns));
  CHECK_FALSE(leftovers(t.sites.b.netns));

  // Restore delivers each receiver's channel to it alone.
  const RestoreReport restored = t.snapshots.restore(t.slice, taken.id);
  CHECK(restored.frames_injected == taken.frames);
  const auto redelivered = receiver.take_all_after(towards_b.size());
  INFO("recorded only:" << only_in(towards_b, redelivered) << ", redelivered only:" << only_in(redelivered, towards_b));
  CHECK(redelivered == towards_b);
  CHECK_FALSE(leftovers(t.sites.a.netns));
}

TEST_CASE("Mattern at the ports: a red frame waits for its white receiver and forces it; white frames after a mark are the channel") {
  TestSlice t;
  const std::string a = t.slice.nodes[0].name, b = t.slice.nodes[1].name;
  Receiver at_b(t.node_b), at_a(t.node_a);
  Sender to_b(t.node_a, "10.77.0.2"), to_a(t.node_b, "10.77.0.1");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::mutex mutex;
  std::vector<std::string> forced;
  std::optional<LiveCut> cut;
  cut.emplace("mattern-test", cut_ports(t.slice), [&](const std::string& node) {
    std::lock_guard lock(mutex);
    forced.push_back(node);
  });
  at_b.take();
  at_a.take();
  cut->mark(a);  // a is red now, b still white: a's datagrams must wait for b's snapshot point
  // Each sender sends 120 more (how long that takes depends on the machine's load).
  CHECK(to_b.wait_until_sent(to_b.sent() + 120));
  CHECK(to_a.wait_until_sent(to_a.sent() + 120));
  CHECK(at_a.take_after(100).size() >= 100);  // b's (white) datagrams still reach a: they are in flight
  CHECK(at_b.take().size() <= 20);  // only what a sent before its mark took effect
  CHECK(cut->forced(b));
  CHECK_FALSE(cut->forced(a));
  {
    std::lock_guard lock(mutex);
    CHECK(forced == std::vector<std::string>{b});
  }
  cut->mark(b);  // b's snapshot point: what waited for it is delivered
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const LiveCutResult result = cut->finish();
  cut.reset();
  const std::uint32_t sent_b = to_b.stop(), sent_a = to_a.stop();
  CHECK(result.frames_held >= 100);
  CHECK(result.longest_hold_ms >= 100);  // a's first red datagram waited for 120 more, 1 ms apart
  MESSAGE("held " << result.frames_held << " frames, the longest " << result.longest_hold_ms << " ms");
  // Nothing lost or doubled in the live run since the marks.
  for (auto [seen, sent] : {std::pair{at_b.take_through(sent_b), sent_b}, std::pair{at_a.take_through(sent_a), sent_a}}) {
    REQUIRE_FALSE(seen.empty());
    CHECK(seen.rbegin()->first == sent);
    CHECK(seen.size() == seen.rbegin()->first - seen.begin()->first + 1);
    int duplicates = 0;
    for (const auto& [seq, times] : seen) duplicates += times - 1;
    CHECK(duplicates == 0);
  }
  // The channel towards a: b's white datagrams between a's mark and b's; towards b: none (a was
  // red before b's mark, so nothing white was in flight to b).
  REQUIRE(result.channels.size() == 2);
  for (const ChannelRecording& channel : result.channels) {
    std::filesystem::create_directories(t.dir);
    write_pcap(t.dir / "channel.pcap", channel.frames);
    const auto seqs = datagrams_in(t.dir / "channel.pcap");
    CHECK(one_run(seqs));
    if (channel.at.node == a) CHECK(seqs.size() >= 100);
    if (channel.at.node == b) CHECK(seqs.size() <= 20);
  }
  CHECK_FALSE(leftovers(t.sites.a.netns));
  CHECK_FALSE(leftovers(t.sites.b.netns));
}

TEST_CASE("a live snapshot over a tunnel that cannot carry the colour stops the world instead") {
  Catalogued t;
  // A VXLAN port as federa made them before the Group Policy extension: no `gbp`.
  for (const HostNetwork* host : {&t.sites.a, &t.sites.b}) {
    const std::string uplink = LinkDriver::device_names(t.link, *host)[1];
    const HostNetwork& other = host == &t.sites.a ? t.sites.b : t.sites.a;
    const std::string bridge = LinkDriver::bridge_name(t.link, *host);
    run_checked(ip_command(host->netns, {"-batch", "-"}),
                "link del " + uplink + "\nlink add " + uplink + " type vxlan id " + std::to_string(t.link.vni) +
                    " local " + host->underlay_address + " remote " + other.underlay_address + " dstport 4789 dev " +
                    host->underlay_device + "\nlink set " + uplink + " master " + bridge + " up\n");
  }
  CHECK_FALSE(LinkDriver::carries_marks(t.link));
  REQUIRE(ping(t.node_a, "10.77.0.2", 2));
  const SnapshotRecord taken = t.snapshots.take(t.slice);
  CHECK(taken.mode == SnapshotMode::kStopTheWorld);
  CHECK(t.snapshots.list(t.slice_urn).size() == 1);
}

TEST_CASE("an ensemble move the backend cannot make is reported per node and leaves the nodes running") {
  TestSlice t;
  std::vector<NodeMove> moves;
  for (const auto& node : t.slice.nodes) moves.push_back({node.name, t.driver.get(), t.driver.get(), {}});
  const std::vector<MoveResult> results = migrate_ensemble(moves);
  REQUIRE(results.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(results[i].node == t.slice.nodes[i].name);
    CHECK_FALSE(results[i].moved);
    CHECK(results[i].error.find("cannot migrate") != std::string::npos);
    CHECK(t.driver->status(t.slice.nodes[i].name).state == DomainState::kRunning);
  }
}
