#include "snapshot/ensemble_migration.h"

#include "snapshot/parallel.h"

#include "common/log.h"

namespace federa::snapshot {

std::vector<MoveResult> migrate_ensemble(const std::vector<NodeMove>& moves, const Progress& progress) {
  std::vector<MoveResult> results(moves.size());
  PhaseSteps steps(progress, "migrate", 0.0, 1.0, moves.size());
  auto log = logger("snapshot");
  report(progress, "migrate", 0.0);
  for_each_parallel(moves.size(), [&](std::size_t i) {
    const NodeMove& move = moves[i];
    results[i].node = move.node;
    try {
      results[i].stats = move.from->migrate(move.node, *move.to, move.ports_there);
      results[i].moved = true;
      log->info("event=migrated node={} ms={:.1f} downtime_ms={:.0f}", move.node, results[i].stats.wall_ms,
                results[i].stats.downtime_ms);
    } catch (const std::exception& e) {
      results[i].error = e.what();
      log->error("event=migrate_failed node={} error={}", move.node, log_value(e.what()));
    }
    steps.step_done();
  });
  return results;
}

}  // namespace federa::snapshot
