#include "store/row.h"

#include "store/errors.h"

#include <charconv>
#include <cmath>
#include <string>

namespace federa::store {
namespace {

template <class T>
bool parse_number(const std::string& text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

std::string format_double(double value) {
  char buffer[64];
  auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ptr);
}

}  // namespace

Row::Row(std::shared_ptr<const std::vector<std::string>> columns, std::vector<Cell> cells)
    : columns_(std::move(columns)), cells_(std::move(cells)) {}

std::size_t Row::index_of(std::string_view column) const {
  for (std::size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return i;
  }
  throw Error("result has no column '" + std::string(column) + "'");
}

const Cell& Row::cell(std::size_t column) const {
  if (column >= cells_.size()) {
    throw Error("result has " + std::to_string(cells_.size()) + " columns, asked for column " +
                std::to_string(column));
  }
  return cells_[column];
}

bool Row::is_null(std::size_t column) const {
  return std::holds_alternative<std::monostate>(cell(column));
}

void Row::out_of_range(std::size_t column) const {
  throw Error("column '" + (*columns_)[column] + "' does not fit the requested type");
}

std::int64_t Row::as_int64(std::size_t column) const {
  const Cell& value = cell(column);
  if (auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (auto* d = std::get_if<double>(&value)) {
    if (std::trunc(*d) == *d && std::fabs(*d) < 9.2e18) return static_cast<std::int64_t>(*d);
  }
  std::int64_t parsed = 0;
  if (auto* s = std::get_if<std::string>(&value); s && parse_number(*s, parsed)) return parsed;
  if (is_null(column)) throw Error("column '" + (*columns_)[column] + "' is NULL");
  throw Error("column '" + (*columns_)[column] + "' is not an integer");
}

double Row::as_double(std::size_t column) const {
  const Cell& value = cell(column);
  if (auto* d = std::get_if<double>(&value)) return *d;
  if (auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  double parsed = 0;
  if (auto* s = std::get_if<std::string>(&value); s && parse_number(*s, parsed)) return parsed;
  if (is_null(column)) throw Error("column '" + (*columns_)[column] + "' is NULL");
  throw Error("column '" + (*columns_)[column] + "' is not a number");
}

std::string Row::as_text(std::size_t column) const {
  const Cell& value = cell(column);
  if (auto* s = std::get_if<std::string>(&value)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return format_double(*d);
  throw Error("column '" + (*columns_)[column] + "' is NULL");
}

}  // namespace federa::store
