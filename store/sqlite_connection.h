// Internal: the SQLite backend (libsqlite3). Each connection: WAL journal, synchronous=FULL,
// foreign keys on, a busy timeout for other processes, and a cache of prepared statements.
// Write transactions of one process queue on a shared mutex before BEGIN IMMEDIATE, so threads
// never spin in SQLite's busy handler against each other. The database file is created with mode
// 0600; its directory must exist.
#pragma once

#include "store/pool.h"

#include <chrono>
#include <string>

namespace federa::store {

ConnectionPool::Factory sqlite_factory(const std::string& path, std::chrono::milliseconds busy_timeout);

}  // namespace federa::store
