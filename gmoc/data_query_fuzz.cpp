// libFuzzer target: the datastore's /data/ query (the URL query string after '?'). Anything may
// be refused with std::invalid_argument; any other exception, crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "gmoc/data_query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string query(reinterpret_cast<const char*>(data), size);
  try {
    (void)federa::gmoc::parse_data_query(query, federa::Timestamp(std::chrono::microseconds(1'800'000'000'000'000)));
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
