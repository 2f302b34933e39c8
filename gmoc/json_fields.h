// Strict readers for JSON documents that come from other processes (push reports, polled
// datastore answers, /data/ queries): a field must be there with the type asked for (an integer
// must be an integer in range: nlohmann would convert 1e300 to int64 with undefined behaviour),
// a list must be a list.
// Each throws std::invalid_argument naming the field, so callers refuse bad input with a clear
// message before storing anything.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/rfc3339.h"

namespace federa::gmoc {

// An integer of type T (never a float converted, never out of T's range).
template <class T>
T integer(const nlohmann::json& value, const char* name) {
  const bool fits = value.is_number_unsigned()
                        ? value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                        : value.is_number_integer() && value.get<std::int64_t>() >= std::numeric_limits<T>::min() &&
                              value.get<std::int64_t>() <= std::numeric_limits<T>::max();
  if (!fits) throw std::invalid_argument(std::string("'") + name + "' is not an integer in range");
  return static_cast<T>(value.get<std::int64_t>());
}

template <class T>
T field(const nlohmann::json& object, const char* name) {
  if (!object.is_object() || !object.contains(name)) throw std::invalid_argument(std::string("missing '") + name + "'");
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    return integer<T>(object.at(name), name);
  } else {
    try {
      return object.at(name).get<T>();
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument(std::string("'") + name + "' has the wrong type");
    }
  }
}

// A field of microseconds since the epoch.
inline Timestamp time_field(const nlohmann::json& object, const char* name) {
  return Timestamp(std::chrono::microseconds(field<std::int64_t>(object, name)));
}

// A list of integers of type T.
template <class T>
std::vector<T> integer_list(const nlohmann::json& object, const char* name);

// Each element of the list `name`, read by `read`.
template <class T, class Read>
std::vector<T> list_field(const nlohmann::json& object, const char* name, Read read) {
  const nlohmann::json list = field<nlohmann::json>(object, name);
  if (!list.is_array()) throw std::invalid_argument(std::string("'") + name + "' is not a list");
  std::vector<T> result;
  for (const nlohmann::json& item : list) result.push_back(read(item));
  return result;
}

template <class T>
std::vector<T> integer_list(const nlohmann::json& object, const char* name) {
  return list_field<T>(object, name, [name](const nlohmann::json& item) { return integer<T>(item, name); });
}

}  // namespace federa::gmoc
