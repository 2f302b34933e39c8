#include "rspec/stitching.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace federa::rspec {
namespace {

constexpr int kMinVlan = 1;
constexpr int kMaxVlan = 4094;

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

std::optional<int> parse_tag(std::string_view text) {
  text = trim(text);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (value < kMinVlan || value > kMaxVlan) return std::nullopt;
  return value;
}

std::optional<std::pair<int, int>> parse_range(std::string_view text) {
  auto dash = text.find('-');
  auto low = parse_tag(text.substr(0, dash));
  auto high = dash == std::string_view::npos ? low : parse_tag(text.substr(dash + 1));
  if (!low || !high || *low > *high) return std::nullopt;
  return std::pair{*low, *high};
}

}  // namespace

VlanSet VlanSet::any() {
  VlanSet set;
  set.any_ = true;
  return set;
}

VlanSet VlanSet::single(int tag) {
  VlanSet set;
  set.ranges_.emplace_back(tag, tag);
  return set;
}

std::optional<VlanSet> VlanSet::parse(std::string_view text) {
  text = trim(text);
  if (text == "any") return any();
  VlanSet set;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto range = parse_range(text.substr(0, comma));
    if (!range) return std::nullopt;
    set.ranges_.push_back(*range);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  std::sort(set.ranges_.begin(), set.ranges_.end());
  std::vector<std::pair<int, int>> merged;
  for (const auto& range : set.ranges_) {
    if (!merged.empty() && range.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, range.second);
    } else {
      merged.push_back(range);
    }
  }
  set.ranges_ = std::move(merged);
  return set;
}

bool VlanSet::contains(int tag) const {
  if (any_) return tag >= kMinVlan && tag <= kMaxVlan;
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [tag](const auto& range) { return tag >= range.first && tag <= range.second; });
}

std::string VlanSet::to_string() const {
  if (any_) return "any";
  std::string text;
  for (const auto& [low, high] : ranges_) {
    if (!text.empty()) text += ',';
    text += std::to_string(low);
    if (high != low) text += '-' + std::to_string(high);
  }
  return text;
}

StitchPath* find_path(StitchingTopology& topology, std::string_view link_client_id) {
  auto it = std::find_if(topology.paths.begin(), topology.paths.end(),
                         [&](const StitchPath& path) { return path.id == link_client_id; });
  return it == topology.paths.end() ? nullptr : &*it;
}

}  // namespace federa::rspec
