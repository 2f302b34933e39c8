#include "store/migrations.h"

#include "common/log.h"
#include "common/rfc3339.h"
#include "store/errors.h"
#include "store/store.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace federa::store {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " service TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL, PRIMARY KEY (service, version))";

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read migration " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// version -> migration for the *.sql files of one folder (a missing folder has none).
std::map<int, Migration> load_folder(const fs::path& folder) {
  static const std::regex pattern(R"((\d{4})_([a-z0-9_]+)\.sql)");
  std::map<int, Migration> found;
  if (!fs::is_directory(folder)) return found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string file_name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    std::smatch match;
    if (!std::regex_match(file_name, match, pattern)) {
      throw Error("migration " + entry.path().string() +
                  " must be named NNNN_name.sql (four digits, lowercase name)");
    }
    Migration migration{std::stoi(match[1]), match[2], entry.path(), read_file(entry.path())};
    auto [at, inserted] = found.emplace(migration.version, migration);
    if (!inserted) {
      throw Error("migrations " + at->second.file.string() + " and " + entry.path().string() +
                  " share version " + match[1].str());
    }
  }
  return found;
}

std::map<int, std::string> applied_versions(Transaction& tx, const std::string& service) {
  std::map<int, std::string> applied;
  for (const Row& row :
       tx.query("SELECT version, name FROM schema_migrations WHERE service = $1", service)) {
    applied.emplace(row.get<int>(0), row.get<std::string>(1));
  }
  return applied;
}

void check_agreement(const std::map<int, std::string>& applied,
                     const std::vector<Migration>& known, const MigrationSet& set) {
  const int newest_known = known.empty() ? 0 : known.back().version;
  for (const auto& entry : applied) {
    const int version = entry.first;
    const std::string& name = entry.second;
    if (version > newest_known) {
      throw Error("the database schema of '" + set.service + "' is at version " +
                  std::to_string(version) + ", newer than this federa knows (" +
                  std::to_string(newest_known) + "); run a newer federa");
    }
    auto same = std::find_if(known.begin(), known.end(),
                             [&](const Migration& m) { return m.version == version; });
    if (same != known.end() && same->name != name) {
      throw Error("migration " + std::to_string(version) + " of '" + set.service +
                  "' was applied as '" + name + "' but is now '" + same->name +
                  "'; applied migrations must not be renamed or renumbered");
    }
  }
}

void run_migration(Transaction& tx, const Migration& migration) {
  try {
    tx.execute_script(migration.sql);
  } catch (const TransientError&) {
    throw;
  } catch (const Error& e) {
    throw Error("migration " + migration.file.string() + " failed: " + e.what());
  }
}

}  // namespace

std::vector<Migration> load_migrations(const MigrationSet& set, Dialect dialect) {
  const fs::path root = set.directory / set.service;
  if (set.service.empty() || !fs::is_directory(root)) {
    throw Error("no migrations for service '" + set.service + "' in " + root.string());
  }
  std::map<int, Migration> merged = load_folder(root / "common");
  for (auto& [version, migration] : load_folder(root / std::string(dialect_name(dialect)))) {
    merged.insert_or_assign(version, std::move(migration));
  }
  std::vector<Migration> ordered;
  for (auto& entry : merged) ordered.push_back(std::move(entry.second));
  return ordered;
}

std::vector<int> migrate(Store& store, const MigrationSet& set) {
  const std::vector<Migration> known = load_migrations(set, store.dialect());
  std::vector<int> applied_now;
  store.run_schema_change([&](Transaction& tx) {
    applied_now.clear();
    tx.execute_script(kCreateTable);
    const auto applied = applied_versions(tx, set.service);
    check_agreement(applied, known, set);
    for (const Migration& migration : known) {
      if (applied.contains(migration.version)) continue;
      run_migration(tx, migration);
      tx.exec("INSERT INTO schema_migrations (service, version, name, applied_at)"
              " VALUES ($1, $2, $3, $4)",
              set.service, migration.version, migration.name, format_rfc3339(now_utc()));
      applied_now.push_back(migration.version);
    }
  });
  auto log = logger("store");
  for (int version : applied_now) {
    log->info("event=migrated service={} version={}", log_value(set.service), version);
  }
  return applied_now;
}

}  // namespace federa::store
