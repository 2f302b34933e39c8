// Validating RSpec documents against the GENI RSpec v3 XSDs shipped in schema/rspec (core schema
// per kind plus the stitching, emulab and delay extension schemas, through the drivers in
// schema/rspec/validate/). Everything is read from local files: no network, no catalog lookups.
// A SchemaSet is compiled once and is safe to share between threads for validate().
#pragma once

#include "rspec/model.h"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace federa::rspec {

class SchemaSet {
 public:
  // Compiles validate/{ad,request,manifest}-with-ext.xsd under schema_dir (the source tree's or
  // the installed schema/rspec). Throws std::runtime_error naming the file that is missing or
  // does not compile.
  explicit SchemaSet(const std::filesystem::path& schema_dir);
  ~SchemaSet();
  SchemaSet(const SchemaSet&) = delete;
  SchemaSet& operator=(const SchemaSet&) = delete;

  // The problems found, each "line N: message"; empty when the document is valid. A document that
  // is not well-formed (or has a DOCTYPE) yields one problem saying so.
  std::vector<std::string> validate(std::string_view document, Kind kind) const;

 private:
  struct Schemas;
  std::unique_ptr<Schemas> schemas_;
};

}  // namespace federa::rspec
