// Versioned schema migrations. A MigrationSet is a directory and a service name; its files are
//   <directory>/<service>/common/NNNN_name.sql       the same SQL for both dialects
//   <directory>/<service>/<dialect>/NNNN_name.sql    dialect-specific ("sqlite", "postgresql");
//                                                    replaces the common file of the same version
// migrate() applies, in version order, those not yet recorded in the table schema_migrations
// (service, version, name, applied_at), all in one schema transaction: either every pending
// migration is applied or none is. Concurrent starts are safe: SQLite's write lock, or a
// PostgreSQL advisory lock, makes the second process wait and then find nothing to do.
// A database recording a version newer than any file, or an applied version under another name,
// is refused (store::Error): the binary and the database disagree about the schema.
#pragma once

#include "store/dialect.h"

#include <filesystem>
#include <string>
#include <vector>

namespace federa::store {

class Store;

struct MigrationSet {
  std::filesystem::path directory;  // e.g. /usr/share/federa/schema
  std::string service;              // "am", "ch", "gmoc"
};

struct Migration {
  int version = 0;
  std::string name;  // the file name without the number and ".sql": "init", "add_vlan_tags"
  std::filesystem::path file;
  std::string sql;
};

// The migrations of `set` for `dialect`, sorted by version. Throws store::Error for a missing
// service folder, a *.sql file not named NNNN_name.sql, or two files with one version.
std::vector<Migration> load_migrations(const MigrationSet& set, Dialect dialect);

// Applies the pending migrations; returns the versions it applied (empty when up to date).
std::vector<int> migrate(Store& store, const MigrationSet& set);

}  // namespace federa::store
