// Ensemble migration (LIME-like): several nodes of a slice move live to other hosts at the same
// time, each by NodeDriver::migrate (libvirt P2P), while the slice's links stay up at both ends
// (a cross-host segment has its bridge on every host it touches, so a node that moved is on
// the same L2 segment at once). Every move runs to its end; one that fails leaves its node
// running where it was (libvirt resumes the source) and is reported, not thrown, so the caller
// knows exactly which nodes moved.
#pragma once

#include "snapshot/progress.h"

#include "federation/node_driver.h"

#include <string>
#include <vector>

namespace federa::snapshot {

struct NodeMove {
  std::string node;
  federation::NodeDriver* from{};
  federation::NodeDriver* to{};
  std::vector<federation::NodePort> ports_there;  // LinkDriver::vm_port on the destination host
};

struct MoveResult {
  std::string node;
  bool moved = false;
  federation::JobStats stats;  // when moved
  std::string error;           // when not
};

// Progress: "migrate" from 0 to 1 as moves finish. Results are in the order of `moves`.
std::vector<MoveResult> migrate_ensemble(const std::vector<NodeMove>& moves, const Progress& progress = {});

}  // namespace federa::snapshot
