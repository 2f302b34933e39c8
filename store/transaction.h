// One database transaction, handed to the function given to Store::transaction. Statements use
// "$1, $2, ..." parameters in both dialects (each $N may appear several times; every parameter
// passed must be used; PostgreSQL infers one type per parameter, so a reused $N must appear where
// the same type is expected). exec returns the number of rows inserted/updated/deleted; query returns
// the rows; query_one returns the single row, nullopt for none, and throws store::Error for more.
//
// The first error a statement raises dooms the transaction, in both dialects alike (PostgreSQL
// aborts the transaction; SQLite is made to match): later statements throw, and the transaction
// is rolled back even if the function swallowed the error. To insert-if-absent, use
// "INSERT ... ON CONFLICT DO NOTHING" and look at the count instead of catching ConflictError.
#pragma once

#include "store/connection.h"
#include "store/param.h"
#include "store/row.h"

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace federa::store {

class Transaction {
 public:
  explicit Transaction(Connection& connection) : connection_(connection) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Dialect dialect() const { return connection_.dialect(); }

  template <class... Args>
  std::int64_t exec(std::string_view sql, const Args&... args) {
    return run(sql, {to_param(args)...}).affected_rows;
  }
  template <class... Args>
  Result query(std::string_view sql, const Args&... args) {
    return run(sql, {to_param(args)...});
  }
  template <class... Args>
  std::optional<Row> query_one(std::string_view sql, const Args&... args) {
    return single_row(sql, run(sql, {to_param(args)...}));
  }

  // For parameter lists built at run time.
  Result execute(std::string_view sql, std::span<const Param> params);
  // Several ';'-separated statements without parameters (schema changes).
  void execute_script(std::string_view sql);

  // The error that doomed this transaction, or null.
  std::exception_ptr failure() const { return failure_; }
  bool failed_transiently() const;

 private:
  Result run(std::string_view sql, std::vector<Param> params) { return execute(sql, params); }
  static std::optional<Row> single_row(std::string_view sql, Result result);
  template <class F>
  auto guarded(F&& statement);

  Connection& connection_;
  std::exception_ptr failure_;
};

}  // namespace federa::store
