#include "store/test_database.h"

#include "store/errors.h"

#include <cstdlib>
#include <random>
#include <stdexcept>

namespace federa::store {
namespace {

std::filesystem::path make_temporary_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "federa-store-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string random_schema_name() {
  std::random_device random;
  return "test_" + std::to_string(random()) + "_" + std::to_string(random());
}

std::string postgresql_base_uri() {
  const char* uri = std::getenv("FEDERA_TEST_PG_URI");
  if (uri == nullptr || *uri == '\0') {
    throw std::runtime_error(
        "FEDERA_TEST_PG_URI is not set: run the PostgreSQL tests through ctest (fixture "
        "'postgresql') or start a server with tests/pg/start.sh DIR PORT and export its URI");
  }
  return uri;
}

}  // namespace

Dialect test_dialect() {
  const char* name = std::getenv("FEDERA_TEST_STORE");
  if (name == nullptr || std::string_view(name) == "sqlite") return Dialect::sqlite;
  if (std::string_view(name) == "postgresql") return Dialect::postgresql;
  throw std::runtime_error("FEDERA_TEST_STORE must be sqlite or postgresql");
}

TestDatabase::TestDatabase(Dialect dialect, std::string postgresql_uri)
    : dialect_(dialect), directory_(make_temporary_directory()) {
  if (dialect == Dialect::sqlite) {
    uri_ = "sqlite://" + (directory_ / "test.db").string();
    return;
  }
  const std::string base = postgresql_uri.empty() ? postgresql_base_uri() : postgresql_uri;
  admin_ = open_store(base, StoreOptions{.max_connections = 1});
  schema_ = random_schema_name();
  admin_->transaction([&](Transaction& tx) { tx.exec("CREATE SCHEMA " + schema_); });
  const char separator = base.find('?') == std::string::npos ? '?' : '&';
  uri_ = base + separator + "options=-csearch_path%3D" + schema_;
}

TestDatabase::~TestDatabase() {
  if (admin_) {
    try {
      admin_->transaction([&](Transaction& tx) { tx.exec("DROP SCHEMA " + schema_ + " CASCADE"); });
    } catch (const Error&) {
      // Best effort: a leftover schema in a test cluster harms nothing.
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

}  // namespace federa::store
