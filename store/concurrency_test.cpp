// Concurrent Allocates never double-book: threads of one process, and two processes sharing one
// database, race for the same scarce rows.
#include "store/errors.h"
#include "store/reservation_race.h"
#include "store/store.h"
#include "store/test_database.h"
#include "store/test_process.h"

#include <doctest/doctest.h>

#include <sstream>

namespace federa::store {
namespace {

constexpr int kResources = 30;
constexpr int kCapacity = 10;

std::int64_t scalar(Store& store, const std::string& sql) {
  return store.read([&](Transaction& tx) { return tx.query_one(sql)->get<std::int64_t>(0); });
}

void seed_pool(Store& store) {
  store.transaction([](Transaction& tx) {
    tx.exec("INSERT INTO pools (name, capacity, used) VALUES ('slots', $1, 0)", kCapacity);
  });
}

// Every resource held exactly once, and the pool granted exactly its capacity, no more.
void check_no_double_booking(Store& store, const RaceTally& holds, const RaceTally& capacity) {
  CHECK(holds.won == kResources);
  CHECK(scalar(store, "SELECT COUNT(*) FROM holds") == kResources);
  CHECK(scalar(store, "SELECT COUNT(DISTINCT resource) FROM holds") == kResources);
  CHECK(capacity.won == kCapacity);
  CHECK(scalar(store, "SELECT used FROM pools WHERE name = 'slots'") == kCapacity);
  CHECK(scalar(store, "SELECT COUNT(*) FROM ledger") == kCapacity);
}

RaceTally parse_tally(const std::string& line) {
  RaceTally tally;
  std::string won, refused, gave_up;
  std::istringstream(line) >> won >> tally.won >> refused >> tally.refused >> gave_up >>
      tally.gave_up;
  REQUIRE_MESSAGE(won == "won", "helper said: " << line);
  return tally;
}

RaceTally operator+(RaceTally a, const RaceTally& b) {
  return {a.won + b.won, a.refused + b.refused, a.gave_up + b.gave_up};
}

TEST_CASE("threads racing for the same rows never double-book") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  seed_pool(*store);
  constexpr int kThreads = 8;
  const RaceTally holds = race_for_holds(*store, kResources, kThreads, "thread");
  const RaceTally capacity = race_for_capacity(*store, 4, kThreads, 0);
  check_no_double_booking(*store, holds, capacity);
  CHECK(holds.won + holds.refused + holds.gave_up == kResources * kThreads);
  CHECK(capacity.won + capacity.refused + capacity.gave_up == 4 * kThreads);
  MESSAGE("holds: " << holds.refused << " refused, " << holds.gave_up
                    << " gave up; capacity: " << capacity.refused << " refused, "
                    << capacity.gave_up << " gave up");
}

TEST_CASE("two processes starting together migrate once and never double-book") {
  TestDatabase db;
  // Both helpers open a fresh database at the same moment: they race to migrate, then to reserve.
  const auto race = [&](const std::string& command, const std::string& a, const std::string& b) {
    ChildProcess first({FEDERA_STORE_HELPER, command, db.uri(), a, "4", b});
    ChildProcess second({FEDERA_STORE_HELPER, command, db.uri(), a, "4",
                         command == "race-holds" ? b + "-2" : "100000"});
    const RaceTally total = parse_tally(first.read_line()) + parse_tally(second.read_line());
    CHECK(first.wait() == 0);
    CHECK(second.wait() == 0);
    return total;
  };
  const RaceTally holds = race("race-holds", std::to_string(kResources), "process");
  auto store = open_store(db.uri(), race_migrations());
  CHECK(scalar(*store, "SELECT COUNT(*) FROM schema_migrations WHERE service = 'test'") == 2);
  seed_pool(*store);
  const RaceTally capacity = race("race-capacity", "4", "0");
  check_no_double_booking(*store, holds, capacity);
  CHECK(holds.won + holds.refused + holds.gave_up == 2 * 4 * kResources);
}

}  // namespace
}  // namespace federa::store
