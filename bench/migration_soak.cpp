// Migration soak (needs root and the QEMU packages of docs/backends.md): how often a live
// migration on this host's QEMU brings its guest over whole, and how long it stops it. One 2-VM
// slice across two site libvirtds (snapshot/two_site_vms.h), vmb with a disk; vma and vmb move
// to the other site in turn, each with the downtime limit federa chooses for it
// (federation/migration_downtime.h). After each move: the guest answers, vmb's disk holds
// nothing beyond what its memory counted, the vma->vmb stream goes on, and vma's memory check
// has seen no page come back from another moment ("torn") or older than its registers
// ("stale"). Prints each move, then: moves, whole, QEMU downtime min/median/max. Stops at the
// first move that is not whole, prints the guest's console and exits with 2. This is how
// session 7 caught QEMU 7.2's TCG dirty tracking missing writes at a 20 ms limit
// (docs/snapshot.md).
// Usage: migration_soak [moves] (default 40, about 5 s each).
#include "snapshot/two_site_vms.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using namespace federa;
using namespace federa::snapshot::testing;

namespace {

struct MoveCheck {
  bool answers = false, disk = false, stream = false, memory = false;
  bool whole() const { return answers && disk && stream && memory; }
};

MoveCheck check_move(TwoSiteSlice& t, const std::string& address) {
  MoveCheck c;
  c.answers = t.answers(address);
  DiskLog log;
  c.disk = eventually([&] { return (log = t.disk_log()).logged > 0; }, std::chrono::seconds(10)) && log.ahead.empty();
  const int seq = t.pings().last;
  c.stream = eventually([&] { return t.pings().last > seq + 25; }, std::chrono::seconds(10));
  c.memory = memory_whole(t.memory_log());
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const int moves = argc > 1 ? std::stoi(argv[1]) : 40;
  try {
    TwoSiteSlice t(true);
    std::vector<double> downtimes;
    int whole = 0;
    for (int i = 0; i < moves; ++i) {
      const bool is_vmb = i % 2 == 1;
      auto& node = t.slice.nodes[is_vmb ? 1 : 0];
      const std::string address = is_vmb ? "10.77.0.3" : "10.77.0.2";
      const bool to_a = node.driver == t.driver_b.get();
      federation::NodeDriver& to = to_a ? *t.driver_a : *t.driver_b;
      const federation::NodePort there =
          t.links.vm_port(t.link, to_a ? t.sites.a : t.sites.b, is_vmb ? "vmb" : "vma", address + "/24");
      const federation::JobStats stats = node.driver->migrate(node.name, to, {there});
      node.driver = &to;
      const MoveCheck c = check_move(t, address);
      downtimes.push_back(stats.downtime_ms);
      std::printf("move %3d %s %s  QEMU total %5.0f ms  downtime %4.0f ms  answers %d disk %d stream %d memory %d\n", i,
                  is_vmb ? "vmb" : "vma", to_a ? "B->A" : "A->B", stats.total_ms, stats.downtime_ms, c.answers,
                  c.disk, c.stream, c.memory);
      std::fflush(stdout);
      if (!c.whole()) {
        std::printf("move %d is not whole; the guest's console:\n%s\n", i, t.console_tail(node.name).c_str());
        break;
      }
      ++whole;
    }
    std::sort(downtimes.begin(), downtimes.end());
    std::printf("moves %zu of %d, whole %d", downtimes.size(), moves, whole);
    if (!downtimes.empty()) {
      std::printf(", QEMU downtime min %.0f / median %.0f / max %.0f ms", downtimes.front(),
                  downtimes[downtimes.size() / 2], downtimes.back());
    }
    std::printf("\n");
    return whole == moves ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "migration_soak: %s\n", e.what());
    return 1;
  }
}
