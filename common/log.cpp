#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <mutex>

namespace federa {
namespace {

std::mutex registry_mutex;

std::shared_ptr<spdlog::sinks::stderr_sink_mt> shared_sink() {
  static auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  return sink;
}

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%fZ %-5l %n %v";

}  // namespace

void init_logging(std::string_view level) {
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_pattern(kPattern, spdlog::pattern_time_type::utc);
}

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  std::lock_guard lock(registry_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto created = std::make_shared<spdlog::logger>(component, shared_sink());
  created->set_level(spdlog::get_level());
  created->set_pattern(kPattern, spdlog::pattern_time_type::utc);
  created->flush_on(spdlog::level::info);
  spdlog::register_logger(created);
  return created;
}

std::string log_value(std::string_view value) {
  const bool plain = !value.empty() && value.find_first_of(" \"=\t\n\\") == std::string_view::npos;
  if (plain) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + '"';
}

}  // namespace federa
