// Test support (library federa_store_testing, never linked into federa): a fresh, empty database
// for one test, in the dialect the test run asks for. SQLite: a file in a new temporary directory.
// PostgreSQL: a new schema in the server named by FEDERA_TEST_PG_URI (the CTest fixture
// "postgresql" starts one, see tests/pg/start.sh), reached through a URI whose search_path is that
// schema. Everything is removed when the TestDatabase is destroyed.
#pragma once

#include "store/dialect.h"
#include "store/store.h"

#include <filesystem>
#include <memory>
#include <string>

namespace federa::store {

// FEDERA_TEST_STORE=postgresql selects PostgreSQL; unset or "sqlite" selects SQLite.
Dialect test_dialect();

class TestDatabase {
 public:
  // postgresql_uri: the server to use; empty means FEDERA_TEST_PG_URI.
  explicit TestDatabase(Dialect dialect = test_dialect(), std::string postgresql_uri = "");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Dialect dialect() const { return dialect_; }
  const std::string& uri() const { return uri_; }
  // A private scratch directory (SQLite keeps its file here), removed with the database.
  const std::filesystem::path& directory() const { return directory_; }

 private:
  Dialect dialect_;
  std::filesystem::path directory_;
  std::unique_ptr<Store> admin_;  // PostgreSQL: owns the schema
  std::string schema_;
  std::string uri_;
};

}  // namespace federa::store
