// Test and benchmark support (library federa_snapshot_testing, never linked into the AM): a
// two-site slice of real QEMU/TCG guests as the snapshot and migration tests and snapshot_bench
// use it. Two site namespaces, each with its own libvirtd (SiteDaemon), a VXLAN slice link
// between them with a probe namespace at site A, and one booted guest per site (tests/vm with
// its optional workload): vma (10.77.0.2) at A counts seconds and sends vmb a numbered UDP
// stream every 20 ms, which vmb (10.77.0.3) at B echoes; vmb counts too and, if asked, logs the
// seconds on a disk (a qcow2 overlay of a blank image); vma checks its memory comes back whole. Plus readers for what
// the guests and a probe report. Needs root, and the QEMU packages; builds the guest
// (tests/vm/build_guest.sh) into the build tree.
#pragma once

#include "snapshot/slice.h"

#include "federation/site_daemon.h"
#include "federation/test_sites.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace federa::snapshot::testing {

// A guest's TCP service (tests/vm/init): everything it sends.
std::string guest_service(const std::string& netns, const std::string& address, int port);

// The replies in a busybox ping log from sequence number `from` on (the stream starts with
// losses while the peer boots): up to the last, which are missing and which came twice.
struct Stream {
  int first = -1, last = -1, missing = 0, duplicates = 0;
  std::string gaps;  // " from-to" runs of missing numbers
};
Stream stream_of(const std::string& log, int from = 0);

// What `ping -D` printed: the longest time between two replies, and the requests never answered.
struct ProbeGap {
  double max_gap_ms = 0;
  int lost = 0;
};
ProbeGap probe_gap(const std::string& output);

// A guest's disk log (federa_disk): the seconds its memory says it has logged on its disk, and
// what the disk holds beyond them (empty while the disk and the memory belong together).
struct DiskLog {
  int logged = -1;  // -1: no answer
  std::string ahead;
};

// vma's memory check log (TwoSiteSlice::memory_log) says its memory came back whole: it is
// checking, and no two pages came back from different moments ("torn") or older than the count
// in its registers ("stale").
bool memory_whole(const std::string& log);

// Polls `done` every 250 ms for up to `limit`.
bool eventually(const std::function<bool()>& done, std::chrono::seconds limit);

struct ScratchDir {
  std::filesystem::path path;
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

class TwoSiteSlice {
 public:
  // Throws std::runtime_error if the guests do not come up and ping each other within 90 s.
  explicit TwoSiteSlice(bool vmb_has_disk = false);
  ~TwoSiteSlice();

  Stream pings(int from = 0);  // vma's ping stream to vmb
  int counter();               // vma's counter; -1 if it does not answer
  DiskLog disk_log();         // vmb's disk log
  // vma's memory check (tests/vm seqstream memory): "memory: checking", then a "torn ..." line
  // for every time two of its pages came back from different moments; empty if it is silent.
  std::string memory_log();
  std::string console_tail(const std::string& node);  // the end of a guest's console log
  // The probe has a ping answered by `address` within 10 s (a TCG guest on a loaded machine
  // may take longer than one ping's wait, most of all just after a restore or a move).
  bool answers(const std::string& address);
  // `ping -D -i 0.01 -w <seconds>` from the probe to vma, run while `during` runs.
  std::pair<ProbeGap, std::string> probe_while(int seconds, const std::function<void()>& during);

  const ScratchDir scratch;  // outlives the site daemons, whose directories are inside
  const std::filesystem::path& dir = scratch.path;
  federation::testing::TestNamespaces ns;
  const federation::testing::TwoSites sites;
  federation::testing::SiteDaemon daemon_a, daemon_b;
  const std::string slice_urn;
  const federation::SegmentSpec link;
  federation::LinkDriver links;
  std::string probe;
  std::unique_ptr<federation::NodeDriver> driver_a, driver_b;
  SliceDescription slice;

 private:
  void boot_node(const char* client, const char* image, const char* address, federation::NodeDriver& driver,
                 const federation::HostNetwork& site);
};

}  // namespace federa::snapshot::testing
