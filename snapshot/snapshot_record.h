// What the catalog knows about one slice snapshot, and its rows in the AM's store (table
// `snapshots`, migration schema/am/common/0010_snapshots.sql). The functions take the caller's
// store::Transaction, like am/slice_store, so the AM can combine them with its own changes.
// Only complete snapshots are ever inserted (state "complete").
#pragma once

#include "common/rfc3339.h"
#include "store/transaction.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace federa::snapshot {

// kLive: nodes snapshot live, frames coloured at the ports (live_cut.h); kStopTheWorld: the whole
// slice cut and paused (channel_cut.h).
enum class SnapshotMode { kStopTheWorld, kLive };

std::string to_string(SnapshotMode mode);  // "stop-the-world", "live"
// nullopt for anything else.
std::optional<SnapshotMode> snapshot_mode(const std::string& text);

struct NodeImage {
  std::string node;
  std::string memory_file;  // and, for a node with a disk, federation::snapshot_disk_file(memory_file)
  std::uint64_t bytes = 0;  // both
  double downtime_ms = 0;  // QEMU's own figure for the snapshot job (0 on the test driver)
  double snapshot_ms = 0;  // the driver call
  double stopped_ms = 0;   // live: how long the guest was stopped, QEMU's STOP to RESUME (0: unknown)
};

struct ChannelLog {
  std::string node;     // the sender, or the receiver if at_receiver
  std::string link_id;
  std::string device;   // its port
  std::string netns;
  std::string bridge;   // where restore re-injects the frames
  std::string file;     // pcap
  std::uint64_t frames = 0;
  std::uint64_t dropped = 0;  // nftables' count at the cut
  // Recorded at the receiver's port (live mode): restore delivers the frames out of `device`
  // to that node alone; else into `bridge`, to every receiver the sender reached.
  bool at_receiver = false;
};

struct SnapshotRecord {
  std::string id;
  std::string slice_urn;
  SnapshotMode mode = SnapshotMode::kStopTheWorld;
  std::string state = "complete";
  Timestamp created{};
  std::string directory;
  std::uint64_t bytes = 0;    // every file
  std::uint64_t frames = 0;   // every channel
  double duration_ms = 0;     // from the cut to the last node resumed
  double interruption_ms = 0; // how long a frame was kept from its receiver: the cut (stop-the-world), the longest hold (live)
  std::vector<NodeImage> nodes;
  std::vector<ChannelLog> channels;
};

namespace snapshot_store {

void insert(store::Transaction& tx, const SnapshotRecord& record);
// Newest first; every slice's when `slice_urn` is empty.
std::vector<SnapshotRecord> list(store::Transaction& tx, const std::string& slice_urn = "");
std::optional<SnapshotRecord> find(store::Transaction& tx, const std::string& id);
// True if there was such a row.
bool erase(store::Transaction& tx, const std::string& id);

}  // namespace snapshot_store
}  // namespace federa::snapshot
