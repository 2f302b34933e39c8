#include "store/reservation_race.h"

#include "store/errors.h"

#include <algorithm>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

namespace federa::store {
namespace {

// Runs body(thread_index, tally) on `threads` threads and sums their tallies.
template <class Body>
RaceTally run_threads(int threads, Body body) {
  RaceTally total;
  std::mutex mutex;
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      RaceTally mine;
      body(t, mine);
      std::lock_guard lock(mutex);
      total.won += mine.won;
      total.refused += mine.refused;
      total.gave_up += mine.gave_up;
    });
  }
  workers.clear();  // joins
  return total;
}

}  // namespace

MigrationSet race_migrations() { return {FEDERA_STORE_TESTDATA, "test"}; }

RaceTally race_for_holds(Store& store, int resources, int threads, const std::string& holder) {
  return run_threads(threads, [&](int thread, RaceTally& tally) {
    std::vector<int> order(resources);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(std::random_device{}()));
    for (int resource : order) {
      try {
        store.transaction([&](Transaction& tx) {
          tx.exec("INSERT INTO holds (resource, holder) VALUES ($1, $2)", resource,
                  holder + "/" + std::to_string(thread));
        });
        ++tally.won;
      } catch (const ConflictError&) {
        ++tally.refused;
      } catch (const TransientError&) {
        ++tally.gave_up;
      }
    }
  });
}

RaceTally race_for_capacity(Store& store, int attempts, int threads, long id_base) {
  return run_threads(threads, [&](int thread, RaceTally& tally) {
    for (int attempt = 0; attempt < attempts; ++attempt) {
      const long id = id_base + static_cast<long>(thread) * attempts + attempt;
      try {
        const bool granted = store.transaction([&](Transaction& tx) {
          const auto pool = tx.query_one("SELECT capacity, used FROM pools WHERE name = 'slots'");
          const auto used = pool->get<std::int64_t>("used");
          if (used >= pool->get<std::int64_t>("capacity")) return false;
          tx.exec("UPDATE pools SET used = $1 WHERE name = 'slots'", used + 1);
          tx.exec("INSERT INTO ledger (grp, part) VALUES ($1, 1)", id);
          return true;
        });
        ++(granted ? tally.won : tally.refused);
      } catch (const TransientError&) {
        ++tally.gave_up;
      }
    }
  });
}

}  // namespace federa::store
