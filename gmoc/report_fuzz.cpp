// libFuzzer target: what the collector parses from a POSTed push report (JSON text, then
// parse_report). Anything may be refused with std::invalid_argument; any other exception,
// crash or sanitizer report is a bug. What is accepted must write back as JSON.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>

#include "gmoc/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto report = nlohmann::json::parse(data, data + size, nullptr, false);
  if (report.is_discarded()) return 0;
  try {
    const federa::gmoc::PushReport parsed = federa::gmoc::parse_report(report);
    (void)federa::gmoc::topology_json(parsed.topology).dump();
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
