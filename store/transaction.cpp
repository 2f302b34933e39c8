#include "store/transaction.h"

#include "store/errors.h"

#include <string>

namespace federa::store {

template <class F>
auto Transaction::guarded(F&& statement) {
  if (failure_) {
    try {
      std::rethrow_exception(failure_);
    } catch (const std::exception& e) {
      throw Error(std::string("transaction already failed: ") + e.what());
    }
  }
  try {
    return statement();
  } catch (...) {
    failure_ = std::current_exception();
    throw;
  }
}

Result Transaction::execute(std::string_view sql, std::span<const Param> params) {
  return guarded([&] { return connection_.execute(sql, params); });
}

void Transaction::execute_script(std::string_view sql) {
  guarded([&] { connection_.execute_script(sql); });
}

bool Transaction::failed_transiently() const {
  if (!failure_) return false;
  try {
    std::rethrow_exception(failure_);
  } catch (const TransientError&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::optional<Row> Transaction::single_row(std::string_view sql, Result result) {
  if (result.rows.size() > 1) {
    throw Error("expected at most one row, got " + std::to_string(result.rows.size()) + ": " +
                std::string(sql));
  }
  if (result.rows.empty()) return std::nullopt;
  return std::move(result.rows.front());
}

}  // namespace federa::store
