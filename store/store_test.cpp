// The store's behaviour, run against the backend FEDERA_TEST_STORE selects (CTest runs this
// binary twice: store_test on SQLite, store_pg_test on PostgreSQL).
#include "store/store.h"

#include "store/errors.h"
#include "store/reservation_race.h"
#include "store/test_database.h"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdint>
#include <limits>
#include <stdexcept>

namespace federa::store {
namespace {

std::int64_t count(Store& store, const std::string& table) {
  return store.read([&](Transaction& tx) {
    return tx.query_one("SELECT COUNT(*) FROM " + table)->get<std::int64_t>(0);
  });
}

TEST_CASE("a transaction commits when its function returns and yields its value") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  CHECK(store->dialect() == db.dialect());
  const std::int64_t inserted = store->transaction([](Transaction& tx) {
    return tx.exec("INSERT INTO holds (resource, holder) VALUES ($1, $2), ($3, $2)", 1, "alice", 2);
  });
  CHECK(inserted == 2);
  CHECK(count(*store, "holds") == 2);
  const auto updated = store->transaction([](Transaction& tx) {
    return tx.exec("UPDATE holds SET holder = $1 WHERE resource >= $2", "bob", 1);
  });
  CHECK(updated == 2);
  CHECK(store->transaction([](Transaction& tx) { return tx.exec("SELECT 1"); }) == 0);
}

TEST_CASE("an exception inside a transaction rolls back everything it wrote") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  CHECK_THROWS_WITH_AS(store->transaction([](Transaction& tx) {
    tx.exec("INSERT INTO holds (resource, holder) VALUES (1, 'alice')");
    tx.exec("INSERT INTO pools (name, capacity, used) VALUES ('vlan', 10, 1)");
    throw std::runtime_error("mapper refused");
  }),
                       "mapper refused", std::runtime_error);
  CHECK(count(*store, "holds") == 0);
  CHECK(count(*store, "pools") == 0);
}

TEST_CASE("typed values and NULLs round trip") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::int64_t small = std::numeric_limits<std::int64_t>::min();
  const std::string text = "urn:publicid:IDN+emulab.net+slice+it's \"quoted\" ünïcode\n$1";
  store->transaction([&](Transaction& tx) {
    tx.exec("INSERT INTO samples (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)", 1, big, 0.1, text,
            true);
    tx.exec("INSERT INTO samples (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)", 2, small, -2.5e300,
            std::string(), false);
    tx.exec("INSERT INTO samples (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)", 3,
            std::optional<std::int64_t>(), nullptr, std::nullopt, std::optional<bool>());
  });
  const Result rows = store->read([](Transaction& tx) {
    return tx.query("SELECT id, i, d, t, b FROM samples ORDER BY id");
  });
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].columns() == std::vector<std::string>{"id", "i", "d", "t", "b"});
  CHECK(rows[0].get<std::int64_t>("i") == big);
  CHECK(rows[0].get<double>("d") == 0.1);
  CHECK(rows[0].get<std::string>("t") == text);
  CHECK(rows[0].get<bool>("b"));
  CHECK(rows[1].get<std::int64_t>(1) == small);
  CHECK(rows[1].get<double>(2) == -2.5e300);
  CHECK(rows[1].get<std::string>(3).empty());
  CHECK_FALSE(rows[1].get<bool>(4));
  for (std::size_t column = 1; column < 5; ++column) CHECK(rows[2].is_null(column));
  CHECK(rows[2].get<std::optional<std::int64_t>>("i") == std::nullopt);
  CHECK(rows[2].get<std::optional<std::string>>("t") == std::nullopt);
  CHECK(rows[1].get<std::optional<std::string>>("t") == std::string());
  CHECK_THROWS_WITH_AS(rows[2].get<std::int64_t>("i"), "column 'i' is NULL", Error);
  CHECK_THROWS_WITH_AS(rows[0].get<std::int64_t>("t"), "column 't' is not an integer", Error);
  CHECK_THROWS_WITH_AS(rows[0].get<std::int32_t>("i"), doctest::Contains("does not fit"), Error);
  CHECK_THROWS_WITH_AS(rows[0].get<int>("nope"), "result has no column 'nope'", Error);
}

TEST_CASE("parameters are $N in both dialects and must match what is passed") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  store->transaction([](Transaction& tx) {
    tx.exec("INSERT INTO samples (id, t) VALUES ($2, $1)", "b", 5);
    auto row = tx.query_one("SELECT id, t FROM samples WHERE t = $1 AND id BETWEEN $2 AND $2", "b", 5);
    CHECK(row->get<int>("id") == 5);
    CHECK(row->get<std::string>("t") == "b");
  });
  CHECK_THROWS_AS(
      store->transaction([](Transaction& tx) { tx.exec("SELECT id FROM samples WHERE id = $1"); }),
      Error);
  CHECK_THROWS_AS(store->transaction([](Transaction& tx) {
    tx.exec("SELECT id FROM samples WHERE id = $1", 1, "unused");
  }),
                  Error);
  CHECK_THROWS_WITH_AS(store->transaction([](Transaction& tx) { tx.exec("SELECT * FROM nowhere"); }),
                       doctest::Contains("nowhere"), Error);
}

TEST_CASE("query_one returns the single row, nothing for none, and refuses several") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  store->transaction([](Transaction& tx) {
    tx.exec("INSERT INTO holds (resource, holder) VALUES (1, 'a'), (2, 'b')");
    CHECK(tx.query_one("SELECT holder FROM holds WHERE resource = $1", 2)->get<std::string>(0) ==
          "b");
    CHECK_FALSE(tx.query_one("SELECT holder FROM holds WHERE resource = $1", 3));
    CHECK_THROWS_WITH_AS(tx.query_one("SELECT holder FROM holds"),
                         doctest::Contains("at most one row, got 2"), Error);
  });
}

TEST_CASE("a unique violation is a ConflictError and dooms the transaction") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  store->transaction(
      [](Transaction& tx) { tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'alice')"); });

  CHECK_THROWS_AS(store->transaction([](Transaction& tx) {
    tx.exec("INSERT INTO pools (name, capacity, used) VALUES ('x', 1, 1)");
    tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'bob')");
  }),
                  ConflictError);

  // Swallowing the error does not commit the rest: the transaction is doomed in both dialects.
  CHECK_THROWS_AS(store->transaction([](Transaction& tx) {
    tx.exec("INSERT INTO pools (name, capacity, used) VALUES ('x', 1, 1)");
    try {
      tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'bob')");
    } catch (const ConflictError&) {
      CHECK_THROWS_WITH_AS(tx.exec("SELECT 1"), doctest::Contains("already failed"), Error);
    }
  }),
                  ConflictError);
  CHECK(count(*store, "pools") == 0);

  const auto inserted = store->transaction([](Transaction& tx) {
    return tx.exec("INSERT INTO holds (resource, holder) VALUES (7, 'bob') ON CONFLICT DO NOTHING");
  });
  CHECK(inserted == 0);
}

TEST_CASE("a read transaction reads and refuses writes") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  store->transaction([](Transaction& tx) { tx.exec("INSERT INTO holds VALUES (1, 'a')"); });
  CHECK(store->read([](Transaction& tx) {
    return tx.query_one("SELECT holder FROM holds")->get<std::string>(0);
  }) == "a");
  CHECK_THROWS_AS(store->read([](Transaction& tx) { tx.exec("DELETE FROM holds"); }), Error);
  CHECK(count(*store, "holds") == 1);
}

TEST_CASE("generated keys come back through RETURNING (per-dialect migration)") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  const auto first = store->transaction([](Transaction& tx) {
    return tx.query_one("INSERT INTO events (what) VALUES ($1) RETURNING id", "allocate")
        ->get<std::int64_t>("id");
  });
  const auto second = store->transaction([](Transaction& tx) {
    return tx.query_one("INSERT INTO events (what) VALUES ($1) RETURNING id", "provision")
        ->get<std::int64_t>("id");
  });
  CHECK(second > first);
}

TEST_CASE("nesting a transaction on the same store is refused") {
  TestDatabase db;
  auto store = open_store(db.uri(), race_migrations());
  CHECK_THROWS_WITH_AS(store->transaction([&](Transaction&) { store->read([](Transaction&) {}); }),
                       doctest::Contains("nested transaction"), Error);
}

TEST_CASE("a URI with an unknown scheme is refused with the accepted forms") {
  CHECK_THROWS_WITH_AS(open_store("mysql://localhost/am"),
                       doctest::Contains("use sqlite:///path/to/file.db or postgresql://"), Error);
  CHECK_THROWS_WITH_AS(open_store("sqlite://:memory:"), doctest::Contains("file path"), Error);
  CHECK_THROWS_WITH_AS(open_store("/nonexistent-dir/am.db"),
                       doctest::Contains("does its directory exist"), Error);
}

TEST_CASE("a SQLite database file is private to its owner") {
  TestDatabase db(Dialect::sqlite);
  const auto plain_path = (db.directory() / "plain.db").string();
  open_store(plain_path, race_migrations());
  open_store(db.uri(), race_migrations());
  for (const auto& path : {plain_path, (db.directory() / "test.db").string()}) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
  }
}

}  // namespace
}  // namespace federa::store
