// The snapshot commands of `federa admin` (cmd_admin_snapshot.cpp).
#pragma once

#include <string>

#include "app/am_setup.h"

namespace federa::app {

struct AdminSnapshotOptions {
  AmOptions am;
  std::string slice_urn;
  std::string snapshot_id;
  int timeout_s = 600;
};

// `action` is federa_snapshot or federa_restore; returns once the AM's worker has done it.
void run_slice_operation(const AdminSnapshotOptions& options, const std::string& action);
void list_snapshots(const AdminSnapshotOptions& options);
void delete_snapshot(const AdminSnapshotOptions& options);

}  // namespace federa::app
