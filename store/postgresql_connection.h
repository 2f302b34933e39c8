// Internal: the PostgreSQL backend (libpqxx 6.4). Read-write transactions are SERIALIZABLE,
// read-only ones SERIALIZABLE READ ONLY; schema transactions are READ COMMITTED and first take a
// transaction-scoped advisory lock, so concurrent migrators queue and then see each other's work.
// SQLSTATE 40001/40P01 and a lost connection before commit become TransientError, 23505
// ConflictError; a connection lost during COMMIT (outcome unknown) is a plain store::Error.
#pragma once

#include "store/pool.h"

#include <string>

namespace federa::store {

ConnectionPool::Factory postgresql_factory(const std::string& uri);

}  // namespace federa::store
