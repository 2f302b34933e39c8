// Crash safety: a process killed with SIGKILL leaves nothing of its open transaction, no leaked
// reservation, and never half of a committed one.
#include "store/reservation_race.h"
#include "store/store.h"
#include "store/test_database.h"
#include "store/test_process.h"

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

namespace federa::store {
namespace {

TEST_CASE("a process killed inside a transaction leaves nothing and holds nothing") {
  TestDatabase db;
  open_store(db.uri(), race_migrations());
  ChildProcess child({FEDERA_STORE_HELPER, "hold", db.uri()});
  REQUIRE(child.read_line() == "inside");
  child.kill_now();
  CHECK(child.wait() == 128 + SIGKILL);

  auto store = open_store(db.uri(), race_migrations());
  store->read([](Transaction& tx) {
    CHECK(tx.query_one("SELECT COUNT(*) FROM holds")->get<int>(0) == 0);
    CHECK(tx.query_one("SELECT COUNT(*) FROM ledger")->get<int>(0) == 0);
  });
  // The resource the dead process was taking is free: no leaked reservation or lock.
  CHECK(store->transaction([](Transaction& tx) {
    return tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'survivor')");
  }) == 1);
}

TEST_CASE("a process killed while committing leaves only whole transactions") {
  TestDatabase db;
  open_store(db.uri(), race_migrations());
  ChildProcess child({FEDERA_STORE_HELPER, "churn", db.uri()});
  REQUIRE(child.read_line() == "committed");
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  child.kill_now();
  CHECK(child.wait() == 128 + SIGKILL);

  auto store = open_store(db.uri(), race_migrations());
  store->read([](Transaction& tx) {
    const auto groups = tx.query_one("SELECT COUNT(DISTINCT grp) FROM ledger")->get<int>(0);
    CHECK(groups >= 1);
    CHECK(tx.query_one("SELECT COUNT(*) FROM ledger")->get<int>(0) == 2 * groups);
    CHECK(tx.query_one("SELECT MAX(grp) FROM ledger")->get<int>(0) == groups);
  });
  if (db.dialect() == Dialect::sqlite) {
    CHECK(store->read([](Transaction& tx) {
      return tx.query_one("PRAGMA integrity_check")->get<std::string>(0);
    }) == "ok");
  }
}

}  // namespace
}  // namespace federa::store
