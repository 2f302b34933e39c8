// Store: the database behind a service, chosen by URI like libvirt's drivers:
//   sqlite:///abs/path/file.db, sqlite://relative/file.db or a plain path  SQLite (embedded default)
//   postgresql://user@host:port/db or postgres://...  (a libpq URI)         PostgreSQL (scale-out)
//
// transaction(fn) runs fn(Transaction&) as one serializable transaction: committed when fn
// returns, rolled back when it throws (the exception propagates). TransientErrors (busy database,
// lost serialization race, deadlock, dropped connection) roll back and re-run fn, up to
// StoreOptions::max_attempts times with jittered exponential backoff, so fn must have no effects
// outside the transaction (or only idempotent ones). Unique violations surface as ConflictError.
// read(fn) is the same for read-only work (writes are refused).
//
// Isolation, and why two Allocates never double-book: every read-write transaction is
// serializable in both backends, so plain check-then-insert code is safe.
//   SQLite: BEGIN IMMEDIATE takes the database write lock before the first read (threads of one
//     process queue on a mutex first, other processes on the busy timeout); WAL lets readers
//     proceed; foreign keys on; synchronous=FULL, so a commit that returned survives power loss.
//   PostgreSQL: ISOLATION LEVEL SERIALIZABLE (SSI). Chosen over READ COMMITTED + row locks because
//     it also protects "count the free slots, then insert" patterns that have no row to lock;
//     the price is occasional serialization failures, which the retry loop absorbs.
// Thread-safe: any number of threads may call transaction() concurrently; each borrows a
// connection from a pool of at most max_connections (others wait). Do not nest transactions on one
// store in one thread (store::Error).
#pragma once

#include "store/dialect.h"
#include "store/migrations.h"
#include "store/transaction.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace federa::store {

class ConnectionPool;

struct StoreOptions {
  std::size_t max_connections = 8;
  int max_attempts = 16;
  std::chrono::milliseconds busy_timeout{5000};  // SQLite: wait this long for another process
};

class Store {
 public:
  Store(Dialect dialect, std::unique_ptr<ConnectionPool> pool, StoreOptions options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  Dialect dialect() const { return dialect_; }

  // fn's return value (if any) is returned once the transaction has committed.
  template <class F>
  auto transaction(F&& fn) {
    return run_returning(TxMode::read_write, std::forward<F>(fn));
  }
  template <class F>
  auto read(F&& fn) {
    return run_returning(TxMode::read_only, std::forward<F>(fn));
  }

  // Internal to the store module (migrations): a transaction exclusive against other processes
  // migrating the same database.
  void run_schema_change(const std::function<void(Transaction&)>& fn) { run(TxMode::schema, fn); }

 private:
  template <class F>
  auto run_returning(TxMode mode, F&& fn) {
    using R = std::invoke_result_t<F&, Transaction&>;
    if constexpr (std::is_void_v<R>) {
      run(mode, fn);
    } else {
      std::optional<R> result;
      run(mode, [&](Transaction& tx) { result.emplace(fn(tx)); });
      return std::move(*result);
    }
  }
  void run(TxMode mode, const std::function<void(Transaction&)>& fn);

  Dialect dialect_;
  std::unique_ptr<ConnectionPool> pool_;
  StoreOptions options_;
};

// Opens (creating a SQLite file with mode 0600 if needed) without touching the schema.
// Throws store::Error with an actionable message for a bad URI or an unreachable database.
std::unique_ptr<Store> open_store(const std::string& uri, const StoreOptions& options = {});

// Opens and applies the pending migrations of `migrations` (see migrations.h).
std::unique_ptr<Store> open_store(const std::string& uri, const MigrationSet& migrations,
                                  const StoreOptions& options = {});

}  // namespace federa::store
