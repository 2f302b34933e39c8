#include "rspec/stitching.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace federa::rspec {

VlanSet VlanSet::any() {
  VlanSet set;
  set.any_ = true;
  return set;
}

VlanSet VlanSet::single(int tag) {
  VlanSet set;
  set.tags_ = federa::VlanSet::range(tag, tag);
  return set;
}

std::optional<VlanSet> VlanSet::parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text == "any") return any();
  try {
    VlanSet set;
    set.tags_ = federa::VlanSet::parse(text);
    return set;
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
}

bool VlanSet::contains(int tag) const {
  if (any_) return tag >= federa::VlanSet::kMinTag && tag <= federa::VlanSet::kMaxTag;
  return tags_.contains(tag);
}

std::string VlanSet::to_string() const { return any_ ? "any" : tags_.format(); }

StitchPath* find_path(StitchingTopology& topology, std::string_view link_client_id) {
  auto it = std::find_if(topology.paths.begin(), topology.paths.end(),
                         [&](const StitchPath& path) { return path.id == link_client_id; });
  return it == topology.paths.end() ? nullptr : &*it;
}

}  // namespace federa::rspec
