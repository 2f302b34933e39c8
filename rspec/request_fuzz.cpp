// libFuzzer target for the request parser: any bytes either parse or throw GeniError. A request
// that parses must survive request -> manifest -> parse with the same nodes and links.
#include "common/geni_error.h"
#include "rspec/parse.h"
#include "rspec/write.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace federa::rspec;
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  RSpec request;
  try {
    request = parse_request(xml);
  } catch (const federa::GeniError&) {
    return 0;
  }
  RSpec manifest = parse_manifest(write_manifest(make_manifest(request)));
  if (manifest.nodes.size() != request.nodes.size() || manifest.links.size() != request.links.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < request.nodes.size(); ++i) {
    if (manifest.nodes[i].client_id != request.nodes[i].client_id) std::abort();
  }
  return 0;
}
