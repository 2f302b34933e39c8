// A statement parameter: NULL, a 64-bit integer, a double, text or a boolean. to_param turns the
// C++ values services use into one: integers of any width, floating point, strings, nullptr /
// std::nullopt, and std::optional<T> (empty means NULL). Booleans are bound as the dialect's
// boolean (SQLite 0/1, PostgreSQL true/false).
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace federa::store {

using Param = std::variant<std::monostate, std::int64_t, double, std::string, bool>;

inline Param to_param(const Param& value) { return value; }
inline Param to_param(std::nullptr_t) { return std::monostate{}; }
inline Param to_param(std::nullopt_t) { return std::monostate{}; }
inline Param to_param(bool value) { return value; }
inline Param to_param(std::string_view value) { return std::string(value); }
inline Param to_param(const char* value) { return std::string(value); }
inline Param to_param(std::string value) { return value; }
inline Param to_param(double value) { return value; }

// Every integer type but bool; unsigned values above INT64_MAX are refused (store::Error).
Param integer_param(std::uint64_t value);
template <std::integral T>
  requires(!std::same_as<T, bool>)
Param to_param(T value) {
  if constexpr (std::is_signed_v<T>) {
    return static_cast<std::int64_t>(value);
  } else {
    return integer_param(value);
  }
}

template <class T>
Param to_param(const std::optional<T>& value) {
  return value ? to_param(*value) : Param{std::monostate{}};
}

}  // namespace federa::store
