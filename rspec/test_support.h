// Helpers shared by the rspec unit tests: locating the example RSpecs and the schema directory
// (FEDERA_SHARED_DIR / FEDERA_SOURCE_DIR, set by federa_unit_test), reading files, and catching
// the GeniError a call throws.
#pragma once

#include "common/geni_error.h"
#include "rspec/model.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace federa::rspec::testing {

// One file of shared/rspec-examples, its kind, and whether it is valid against the 2012 schemas
// (shared/schemas/README.md lists the two real peer documents that are not).
struct Example {
  const char* name;
  Kind kind;
  bool schema_valid;
};
const std::vector<Example>& examples();

std::filesystem::path examples_dir();  // shared/rspec-examples
std::filesystem::path schema_dir();    // <source>/schema/rspec
std::string read_file(const std::filesystem::path& path);
std::string read_example(const std::string& name);

// The error `call` throws; fails the test (and returns ERROR) when it throws none.
GeniError thrown_by(const std::function<void()>& call);

}  // namespace federa::rspec::testing
