// The snapshot and migration commands of `federa admin` (cmd_admin_snapshot.cpp).
#pragma once

#include <string>

#include "app/am_setup.h"

namespace federa::app {

struct AdminSnapshotOptions {
  AmOptions am;
  std::string slice_urn;
  std::string snapshot_id;
  std::string mode;       // snapshot: live or stop-the-world ("" = the AM's default, live)
  std::string sliver_urn;
  std::string host_urn;  // migrate: the destination ("" = the mapper chooses); drain-host: the host
  int timeout_s = 600;
};

// `action` is federa_snapshot or federa_restore; returns once the AM's worker has done it.
void run_slice_operation(const AdminSnapshotOptions& options, const std::string& action);
void list_snapshots(const AdminSnapshotOptions& options);
// Live migration of one node sliver, or of every node off a host (which is drained first).
void migrate_sliver(const AdminSnapshotOptions& options);
void drain_host(const AdminSnapshotOptions& options);
void delete_snapshot(const AdminSnapshotOptions& options);

}  // namespace federa::app
