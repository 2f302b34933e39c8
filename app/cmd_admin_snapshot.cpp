// `federa admin snapshot|restore|snapshots|delete-snapshot|migrate|drain-host`: an operator's
// consistent slice snapshots and live migrations. snapshot, restore, migrate and drain-host ask
// the running `federa am`'s backend worker (through the store, as the federa_* actions do) and
// follow its progress until it is done; the catalog commands read and change the store and the
// snapshot files directly.
#include "app/cmd_admin_snapshot.h"

#include <chrono>
#include <iostream>
#include <thread>

#include "common/geni_error.h"
#include "common/log.h"
#include "snapshot/slice_snapshotter.h"

namespace federa::app {
namespace {

// Waits until no sliver of the slice is busy any more, printing each new progress line.
void follow(const am::Aggregate& aggregate, const am::Target& target, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string shown;
  for (;;) {
    const auto slivers = aggregate.status(target);
    bool busy = false;
    for (const am::SliverRecord& sliver : slivers) {
      busy |= sliver.states.operational == am::OperationalState::kReadyBusy;
      if (!sliver.progress.empty() && sliver.progress != shown) {
        shown = sliver.progress;
        std::cout << shown << "\n" << std::flush;
      }
    }
    if (!busy) return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw GeniError(GeniCode::kServerError, "no answer from the backend worker within " +
                                                  std::to_string(timeout.count()) + " s: is federa am running on this store?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace

void run_slice_operation(const AdminSnapshotOptions& options, const std::string& action) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  const am::Target target = open.aggregate->resolve({options.slice_urn});
  open.aggregate->perform(target, action, false, action == "federa_snapshot" ? options.mode : options.snapshot_id);
  follow(*open.aggregate, target, std::chrono::seconds(options.timeout_s));
}

void migrate_sliver(const AdminSnapshotOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  const am::Target target = open.aggregate->resolve({options.sliver_urn});
  open.aggregate->perform(target, "federa_migrate", false, options.host_urn);
  follow(*open.aggregate, target, std::chrono::seconds(options.timeout_s));
}

void drain_host(const AdminSnapshotOptions& options) {
  const OpenAggregate open = open_aggregate(effective_config(options.am));
  const auto moving = open.aggregate->drain_host(options.host_urn);
  std::cout << "drained " << options.host_urn << "; moving " << moving.size() << " node(s) off it\n";
  for (const am::SliverRecord& sliver : moving) {
    follow(*open.aggregate, open.aggregate->resolve({sliver.urn}), std::chrono::seconds(options.timeout_s));
  }
}

void list_snapshots(const AdminSnapshotOptions& options) {
  const am::AmConfig config = effective_config(options.am);
  const OpenAggregate open = open_aggregate(config);
  snapshot::SliceSnapshotter snapshots(*open.store, config.backend.state_dir / "snapshots");
  for (const snapshot::SnapshotRecord& record : snapshots.list(options.slice_urn)) {
    std::cout << record.id << "  " << record.slice_urn << "  mode=" << to_string(record.mode)
              << "  created=" << format_rfc3339(record.created)
              << "  nodes=" << record.nodes.size() << "  frames=" << record.frames << "  bytes=" << record.bytes
              << "  interruption_ms=" << static_cast<long>(record.interruption_ms) << "\n";
  }
}

void delete_snapshot(const AdminSnapshotOptions& options) {
  const am::AmConfig config = effective_config(options.am);
  const OpenAggregate open = open_aggregate(config);
  snapshot::SliceSnapshotter(*open.store, config.backend.state_dir / "snapshots").remove(options.snapshot_id);
  std::cout << "deleted snapshot " << options.snapshot_id << "\n";
}

}  // namespace federa::app
