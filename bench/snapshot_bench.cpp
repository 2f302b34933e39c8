// Slice snapshot, restore and live migration benchmark (needs root and the QEMU packages of
// docs/backends.md). One 2-VM slice across two site libvirtds (snapshot/two_site_vms.h): vma
// at site A streams numbered datagrams to vmb at site B every 20 ms (echoed back), a probe at site A
// pings vma every 10 ms.
//   snapshot  in each mode (stop-the-world, then live): whole-slice ms, each node's snapshot call
//             ms, QEMU downtime and how long the guest was stopped (live: QEMU's STOP..RESUME),
//             how long frames were kept from their receivers (the cut; live: the longest hold),
//             frames in flight recorded, and what vma's ping stream lost or saw twice across
//             the cut (live run); then the live/stop-the-world ratio of the interruption. The
//             probe stays quiet here: its frames are not slice traffic.
//   restore   ms, frames re-injected, the stream's losses/duplicates, whether the counter went back
//   migrate   call ms, QEMU total and downtime ms, the probe's longest gap and lost replies
//   ensemble  vma and vmb swap sites at once: per node call, QEMU total and downtime, probe gap
// Three snapshots and one restore per mode, two migrations (A->B, B->A), one swap. Single runs on a
// shared 2-core machine under TCG.
#include "snapshot/ensemble_migration.h"
#include "snapshot/slice_snapshotter.h"
#include "snapshot/two_site_vms.h"

#include "store/test_database.h"

#include <cstdio>
#include <utility>
#include <thread>

using namespace federa;
using namespace federa::snapshot;
using namespace federa::snapshot::testing;

namespace {

struct SnapshotRow {
  std::string id;
  int before = 0;             // vma's last answered ping sequence number before the snapshot
  double interruption_ms = 0;
};

SnapshotRow snapshot_row(TwoSiteSlice& t, SliceSnapshotter& snapshots, SnapshotMode mode) {
  const int before = t.pings().last;
  const SnapshotRecord taken = snapshots.take(t.slice, {mode});
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const Stream stream = t.pings(before);
  std::printf("snapshot %-14s %7.1f ms  frames kept from receivers %6.1f ms  in flight %3llu  stream lost %d dup %d  nodes:",
              to_string(taken.mode).c_str(), taken.duration_ms, taken.interruption_ms,
              static_cast<unsigned long long>(taken.frames), stream.missing, stream.duplicates);
  for (const auto& node : taken.nodes) {
    std::printf(" [call %.1f ms, QEMU downtime %.0f ms, stopped %.0f ms]", node.snapshot_ms, node.downtime_ms,
                node.stopped_ms);
  }
  std::printf("%s%s\n", stream.missing ? "  gaps:" : "", stream.missing ? stream.gaps.c_str() : "");
  return {taken.id, before, taken.interruption_ms};
}

void restore_row(TwoSiteSlice& t, SliceSnapshotter& snapshots, const SnapshotRow& taken) {
  const std::string& id = taken.id;
  const int before = taken.before;
  std::this_thread::sleep_for(std::chrono::seconds(3));  // so the counter has moved on from the snapshot
  const int counter = t.counter();
  const RestoreReport restored = snapshots.restore(t.slice, id);
  const int counter_restored = t.counter();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const Stream stream = t.pings(before);
  std::printf("restore   %7.1f ms  frames re-injected %llu  stream lost %d dup %d  counter %d -> %d\n",
              restored.restore_ms, static_cast<unsigned long long>(restored.frames_injected), stream.missing,
              stream.duplicates, counter, counter_restored);
}

void migrate_row(TwoSiteSlice& t, federation::NodeDriver& from, federation::NodeDriver& to,
                 const federation::HostNetwork& site, const char* label) {
  const federation::NodePort there = t.links.vm_port(t.link, site, "vma", "10.77.0.2/24");
  federation::JobStats stats;
  const ProbeGap gap = t.probe_while(7, [&] {
    stats = from.migrate(t.slice.nodes[0].name, to, {there});
    t.slice.nodes[0].driver = &to;
    t.slice.nodes[0].ports[0].netns = site.netns;
  }).first;
  std::printf("migrate %s  call %7.1f ms  QEMU total %6.0f ms  downtime %4.0f ms  probe gap %6.1f ms  lost %d\n", label,
              stats.wall_ms, stats.total_ms, stats.downtime_ms, gap.max_gap_ms, gap.lost);
}

// vma and vmb swap sites at once.
void ensemble_row(TwoSiteSlice& t) {
  auto& a = t.slice.nodes[0];
  auto& b = t.slice.nodes[1];
  const auto& site_of = [&](federation::NodeDriver* driver) { return driver == t.driver_a.get() ? t.sites.a : t.sites.b; };
  std::vector<MoveResult> results;
  const ProbeGap gap = t.probe_while(8, [&] {
    results = migrate_ensemble(
        {{a.name, a.driver, b.driver, {t.links.vm_port(t.link, site_of(b.driver), "vma", "10.77.0.2/24")}},
         {b.name, b.driver, a.driver, {t.links.vm_port(t.link, site_of(a.driver), "vmb", "10.77.0.3/24")}}});
    std::swap(a.driver, b.driver);
  }).first;
  std::printf("ensemble swap  probe (vma) gap %6.1f ms  lost %d ", gap.max_gap_ms, gap.lost);
  for (const auto& r : results) {
    std::printf(" [%s call %.1f ms, QEMU total %.0f ms, downtime %.0f ms]", r.moved ? "moved" : r.error.c_str(),
                r.stats.wall_ms, r.stats.total_ms, r.stats.downtime_ms);
  }
  std::printf("\n");
}

}  // namespace

int main() {
  try {
    TwoSiteSlice t;
    store::TestDatabase db;
    auto store = store::open_store(db.uri(), store::MigrationSet{FEDERA_SCHEMA_DIR, "am"});
    SliceSnapshotter snapshots(*store, t.dir / "snapshots");
    // The peer here is federa's own stop-the-world mode: the ratio is live / stop-the-world.
    double cut_ms[2] = {0, 0};
    for (const SnapshotMode mode : {SnapshotMode::kStopTheWorld, SnapshotMode::kLive}) {
      SnapshotRow last;
      for (int run = 0; run < 3; ++run) {
        last = snapshot_row(t, snapshots, mode);
        cut_ms[mode == SnapshotMode::kLive] += last.interruption_ms / 3;
      }
      restore_row(t, snapshots, last);
    }
    std::printf("frames kept from receivers, mean: live %.1f ms / stop-the-world %.1f ms = %.2f\n", cut_ms[1], cut_ms[0],
                cut_ms[0] > 0 ? cut_ms[1] / cut_ms[0] : 0.0);
    migrate_row(t, *t.driver_a, *t.driver_b, t.sites.b, "A->B");
    migrate_row(t, *t.driver_b, *t.driver_a, t.sites.a, "B->A");
    ensemble_row(t);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "snapshot_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
