// Parsing GENI RSpec v3 documents into the typed model (rspec/model.h). Input is untrusted: it is
// parsed by common/safe_xml.h (no DTD, no entities, no network), within byte, depth, node and link
// limits. A request is read strictly (required attributes, unique client_ids, interface_refs that
// name declared interfaces, well-formed numbers); advertisements and manifests come from peers
// whose real output does not always follow the schema, so they are read leniently. Errors are
// GeniError: BADARGS (malformed, missing or bad attribute), BADVERSION (not RSpec v3, or another
// kind of RSpec than the one expected), TOOBIG (over a limit); the message names the element and
// its line.
#pragma once

#include "rspec/model.h"

#include <cstddef>
#include <string_view>

namespace federa::rspec {

struct ParseLimits {
  std::size_t max_bytes = 32 * 1024 * 1024;
  int max_depth = 64;
  std::size_t max_nodes = 10'000;
  std::size_t max_links = 20'000;
};

RSpec parse_request(std::string_view xml, const ParseLimits& limits = {});
RSpec parse_advertisement(std::string_view xml, const ParseLimits& limits = {});
RSpec parse_manifest(std::string_view xml, const ParseLimits& limits = {});

}  // namespace federa::rspec
