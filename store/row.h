// Query results. Both dialects deliver the same cell types: NULL, a 64-bit integer (booleans are
// 0/1), a double, or text. Row::get<T> reads a cell as int64_t (or any integer type), double,
// std::string, bool, or std::optional of one of these (NULL gives nullopt); a cell that is NULL or
// not convertible to T throws store::Error naming the column. Columns by index or by name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace federa::store {

using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

class Row {
 public:
  Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Cell> cells);

  std::size_t size() const { return cells_.size(); }
  const std::vector<std::string>& columns() const { return *columns_; }
  bool is_null(std::size_t column) const;
  bool is_null(std::string_view column) const { return is_null(index_of(column)); }

  template <class T>
  T get(std::size_t column) const {
    if constexpr (is_optional<T>::value) {
      if (is_null(column)) return std::nullopt;
      return get<typename T::value_type>(column);
    } else if constexpr (std::is_same_v<T, bool>) {
      return as_int64(column) != 0;
    } else if constexpr (std::is_integral_v<T>) {
      return narrow<T>(as_int64(column), column);
    } else if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(as_double(column));
    } else {
      static_assert(std::is_same_v<T, std::string>, "Row::get reads integers, doubles, bool, text");
      return as_text(column);
    }
  }
  template <class T>
  T get(std::string_view column) const {
    return get<T>(index_of(column));
  }

 private:
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {};

  std::size_t index_of(std::string_view column) const;
  const Cell& cell(std::size_t column) const;
  std::int64_t as_int64(std::size_t column) const;
  double as_double(std::size_t column) const;
  std::string as_text(std::size_t column) const;
  [[noreturn]] void out_of_range(std::size_t column) const;

  template <class T>
  T narrow(std::int64_t value, std::size_t column) const {
    if (!std::in_range<T>(value)) out_of_range(column);
    return static_cast<T>(value);
  }

  std::shared_ptr<const std::vector<std::string>> columns_;
  std::vector<Cell> cells_;
};

// The rows of one statement and how many rows it inserted, updated or deleted.
struct Result {
  std::vector<Row> rows;
  std::int64_t affected_rows = 0;

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

}  // namespace federa::store
