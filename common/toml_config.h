// Reading a service's TOML configuration with errors a person can act on: every failure names
// the file, the key and what is wrong ("am.toml: server.port: must be a positive integer ...").
// read() fills `out` only when the key is present, so every setting keeps its default otherwise.
// Types: paths and strings, booleans, positive integers (range-checked for the target type),
// durations in seconds (std::chrono::milliseconds, fractions allowed) and in days
// (std::chrono::hours, whole days). Header-only; users link toml++ (PkgConfig::TOMLPP).
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace federa::toml_config {

[[noreturn]] inline void bad(const std::filesystem::path& file, const std::string& key, const std::string& why) {
  throw std::runtime_error(file.string() + ": " + key + ": " + why);
}

// Parses the file; a syntax error is reported as "<file>:<line>: <description>".
inline toml::table parse_file(const std::filesystem::path& file) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    throw std::runtime_error(file.string() + ":" + std::to_string(error.source().begin.line) + ": " +
                             std::string(error.description()));
  }
}

template <typename T>
void read(const toml::node_view<const toml::node>& table, const std::filesystem::path& file, const std::string& key,
          T& out) {
  const toml::node_view<const toml::node> node = table.at_path(key);
  if (!node) return;
  if constexpr (std::is_same_v<T, std::filesystem::path>) {
    const auto value = node.value<std::string>();
    if (!value) bad(file, key, "must be a string (a path)");
    out = *value;
  } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    const auto value = node.value<double>();
    if (!value || *value <= 0) bad(file, key, "must be a positive number of seconds");
    out = std::chrono::milliseconds(static_cast<long long>(*value * 1000));
  } else if constexpr (std::is_same_v<T, std::chrono::hours>) {
    const auto value = node.value<std::int64_t>();
    if (!value || *value <= 0 || *value > 36500) bad(file, key, "must be a whole number of days, 1 to 36500");
    out = std::chrono::hours(24 * *value);
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    const auto value = node.value<std::int64_t>();
    if (!value || *value <= 0 || static_cast<std::uint64_t>(*value) > std::numeric_limits<T>::max()) {
      bad(file, key, "must be a positive integer no larger than " + std::to_string(std::numeric_limits<T>::max()));
    }
    out = static_cast<T>(*value);
  } else {
    const auto value = node.value<T>();
    if (!value) bad(file, key, "has the wrong type");
    out = *value;
  }
}

template <typename T>
void read(const toml::table& table, const std::filesystem::path& file, const std::string& key, T& out) {
  read(toml::node_view<const toml::node>{table}, file, key, out);
}

}  // namespace federa::toml_config
