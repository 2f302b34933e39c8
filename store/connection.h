// Internal: one open database connection, the seam between Store and a backend. A connection is
// used by one thread at a time (the pool hands it out). Backends translate their errors into
// store::Error, ConflictError (unique violations) and TransientError (busy, serialization failure,
// deadlock, lost connection before commit).
#pragma once

#include "store/dialect.h"
#include "store/param.h"
#include "store/row.h"

#include <span>
#include <string_view>

namespace federa::store {

enum class TxMode {
  read_write,  // serializable read-write transaction
  read_only,   // serializable snapshot, writes refused
  schema,      // migrations: exclusive against other processes migrating the same database
};

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  virtual void begin(TxMode mode) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual Result execute(std::string_view sql, std::span<const Param> params) = 0;
  // Several statements separated by ';', no parameters (migration files).
  virtual void execute_script(std::string_view sql) = 0;
  // False once the connection is unusable; the pool then drops it instead of reusing it.
  virtual bool healthy() const = 0;
};

}  // namespace federa::store
