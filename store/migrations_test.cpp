#include "store/migrations.h"

#include "store/errors.h"
#include "store/reservation_race.h"
#include "store/store.h"
#include "store/test_database.h"

#include <doctest/doctest.h>

#include <fstream>

namespace federa::store {
namespace {

namespace fs = std::filesystem;

// A writable copy of the test migrations, so a test can add, rename and remove files.
MigrationSet copy_of_test_migrations(const TestDatabase& db) {
  const fs::path root = db.directory() / "schema";
  fs::create_directories(root);
  fs::copy(race_migrations().directory / "test", root / "test", fs::copy_options::recursive);
  return {root, "test"};
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::vector<std::pair<int, std::string>> recorded(Store& store) {
  std::vector<std::pair<int, std::string>> rows;
  store.read([&](Transaction& tx) {
    rows.clear();
    for (const Row& row : tx.query("SELECT version, name, applied_at FROM schema_migrations"
                                   " WHERE service = 'test' ORDER BY version")) {
      CHECK(row.get<std::string>("applied_at").size() == 20);  // 2026-11-21T05:26:54Z
      rows.emplace_back(row.get<int>("version"), row.get<std::string>("name"));
    }
  });
  return rows;
}

TEST_CASE("migrations apply once, in order, and a new one applies alone") {
  TestDatabase db;
  const MigrationSet set = copy_of_test_migrations(db);
  auto store = open_store(db.uri());
  CHECK(migrate(*store, set) == std::vector<int>{1, 2});
  CHECK(recorded(*store) == std::vector<std::pair<int, std::string>>{{1, "reservations"},
                                                                      {2, "events"}});
  CHECK(migrate(*store, set).empty());
  store.reset();
  store = open_store(db.uri(), set);  // reopening applies nothing
  CHECK(recorded(*store).size() == 2);

  write(set.directory / "test/common/0003_keys.sql",
        "CREATE TABLE keys (owner TEXT NOT NULL, key TEXT NOT NULL);\n"
        "CREATE UNIQUE INDEX keys_by_owner ON keys (owner, key);\n");
  CHECK(migrate(*store, set) == std::vector<int>{3});
  store->transaction([](Transaction& tx) { tx.exec("INSERT INTO keys VALUES ('alice', 'ssh-ed25519')"); });
  CHECK(recorded(*store).back() == std::pair<int, std::string>{3, "keys"});
}

TEST_CASE("a dialect folder overrides the common file of the same version") {
  TestDatabase db;
  const MigrationSet set = copy_of_test_migrations(db);
  write(set.directory / "test/common/0002_events.sql", "this is not SQL at all;");
  const auto loaded = load_migrations(set, db.dialect());
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[1].file.parent_path().filename() == std::string(dialect_name(db.dialect())));
  CHECK(loaded[1].sql.find("CREATE TABLE events") != std::string::npos);
}

TEST_CASE("a failing migration applies nothing and names its file") {
  TestDatabase db;
  const MigrationSet set = copy_of_test_migrations(db);
  write(set.directory / "test/common/0003_broken.sql",
        "CREATE TABLE half (x INTEGER);\nCREATE TABLE broken (x INTEGER,);\n");
  auto store = open_store(db.uri());
  CHECK_THROWS_WITH_AS(migrate(*store, set), doctest::Contains("0003_broken.sql failed"), Error);
  // All pending migrations share one transaction: 1 and 2 are not recorded either.
  fs::remove(set.directory / "test/common/0003_broken.sql");
  CHECK(migrate(*store, set) == std::vector<int>{1, 2});
  CHECK_THROWS_AS(store->read([](Transaction& tx) { tx.query("SELECT * FROM half"); }), Error);
}

TEST_CASE("a database newer than the binary, or a renamed migration, is refused") {
  TestDatabase db;
  const MigrationSet set = copy_of_test_migrations(db);
  auto store = open_store(db.uri(), set);

  const auto dialect_file = set.directory / "test" / std::string(dialect_name(db.dialect())) /
                            "0002_events.sql";
  fs::rename(dialect_file, dialect_file.parent_path() / "0002_audit.sql");
  CHECK_THROWS_WITH_AS(migrate(*store, set),
                       doctest::Contains("was applied as 'events' but is now 'audit'"), Error);

  fs::remove(dialect_file.parent_path() / "0002_audit.sql");
  CHECK_THROWS_WITH_AS(migrate(*store, set),
                       doctest::Contains("is at version 2, newer than this federa knows (1)"),
                       Error);
}

TEST_CASE("malformed migration folders are refused") {
  TestDatabase db;
  const MigrationSet set = copy_of_test_migrations(db);
  CHECK_THROWS_WITH_AS(load_migrations({set.directory, "gmoc"}, db.dialect()),
                       doctest::Contains("no migrations for service 'gmoc'"), Error);
  write(set.directory / "test/common/3_short.sql", "");
  CHECK_THROWS_WITH_AS(load_migrations(set, db.dialect()),
                       doctest::Contains("must be named NNNN_name.sql"), Error);
  fs::remove(set.directory / "test/common/3_short.sql");
  write(set.directory / "test/common/0001_again.sql", "");
  CHECK_THROWS_WITH_AS(load_migrations(set, db.dialect()), doctest::Contains("share version 0001"),
                       Error);
}

}  // namespace
}  // namespace federa::store
