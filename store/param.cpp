#include "store/param.h"

#include "store/errors.h"

#include <limits>

namespace federa::store {

Param integer_param(std::uint64_t value) {
  if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    throw Error("integer parameter " + std::to_string(value) + " does not fit a 64-bit column");
  }
  return static_cast<std::int64_t>(value);
}

}  // namespace federa::store
