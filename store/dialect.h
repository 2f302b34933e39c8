// The SQL dialects the store speaks. Service code is written once for both: "$1, $2" parameters,
// INTEGER/BIGINT, DOUBLE PRECISION, TEXT and BOOLEAN types, INSERT ... ON CONFLICT DO NOTHING. Where
// SQL must differ (types, generated keys), migrations have per-dialect files (schema/README.md).
#pragma once

#include <string_view>

namespace federa::store {

enum class Dialect { sqlite, postgresql };

// "sqlite" or "postgresql": the name of the migrations subfolder and of the URI scheme.
std::string_view dialect_name(Dialect dialect);

}  // namespace federa::store
