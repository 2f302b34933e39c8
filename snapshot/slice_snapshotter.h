// The slice snapshot coordinator (issue 9): a consistent global state of a whole slice from node
// memory images plus the frames in flight on its links, in one of two modes.
//   take(), live (the default): every node snapshots live at once (QEMU stops each guest only
//              for its last memory pass); frames are coloured at the ports by their sender's
//              side of the cut and each node marks its snapshot point as it stops (live_cut.h):
//              frames from nodes past their point are held from nodes not yet there, frames in
//              flight across the cut are recorded at their receivers. Falls back to
//              stop-the-world when a link cannot carry the colour (a tunnel made without `gbp`)
//              or, twice, a node resumed before its point was marked (SnapshotPointMissed).
//   take(), stop-the-world: cut every node port (drop + record, channel_cut.h) -> wait `drain` so frames
//              already past the ports reach their receivers -> pause every node -> external
//              memory snapshot of every node in parallel -> lift the cut -> resume -> re-inject
//              the recorded frames into the live slice (it loses nothing) -> one store
//              transaction records the snapshot. Consistent: a frame sent before the cut is
//              in its receiver's memory image; one sent after it is in its sender's image and
//              in the channel log, never both.
//   restore(): pause the slice -> restore every node paused from its image -> re-inject each
//              channel log towards its receivers (into the link's bridge for a sender's log,
//              out of the node's port for a receiver's) -> resume every node.
// Every step reports progress (phase, fraction 0..1). A take() that fails anywhere lifts the cut,
// re-injects what it recorded, resumes the nodes it paused, deletes its files and records
// nothing, then rethrows: the slice runs on as before. Errors are GeniError: kSearchFailed for
// an unknown snapshot, kBadArgs for a description that does not fit, otherwise the driver's.
// Node drivers must be usable from several threads at once (libvirt connections are).
#pragma once

#include "snapshot/progress.h"
#include "snapshot/slice.h"
#include "snapshot/snapshot_record.h"

#include "store/store.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace federa::snapshot {

struct SnapshotOptions {
  SnapshotMode mode = SnapshotMode::kLive;
  std::chrono::milliseconds drain{50};
};

struct RestoreReport {
  double restore_ms = 0;      // from pausing the slice to resuming it
  std::uint64_t frames_injected = 0;
};

class SliceSnapshotter {
 public:
  // Snapshot files go to <root>/<snapshot id>/.
  SliceSnapshotter(store::Store& store, std::filesystem::path root);

  SnapshotRecord take(const SliceDescription& slice, const SnapshotOptions& options = {},
                      const Progress& progress = {});
  RestoreReport restore(const SliceDescription& slice, const std::string& snapshot_id,
                        const Progress& progress = {});

  std::vector<SnapshotRecord> list(const std::string& slice_urn = "");
  std::optional<SnapshotRecord> describe(const std::string& snapshot_id);
  // Forgets the snapshot, then deletes its files. Throws kSearchFailed for an unknown id.
  void remove(const std::string& snapshot_id);

 private:
  SnapshotRecord attempt(const SliceDescription& slice, const SnapshotOptions& options, const Progress& progress);

  store::Store& store_;
  std::filesystem::path root_;
};

}  // namespace federa::snapshot
