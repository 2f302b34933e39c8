#include "common/vlan_set.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace federa {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int parse_tag(std::string_view text, std::string_view piece) {
  text = trim(text);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument("'" + std::string(piece) + "' is not a VLAN tag or range");
  }
  return value;
}

}  // namespace

VlanSet VlanSet::range(int lo, int hi) {
  if (lo < kMinTag || hi > kMaxTag || lo > hi) {
    throw std::invalid_argument("VLAN range " + std::to_string(lo) + "-" + std::to_string(hi) +
                                " is outside 1-4094 or reversed");
  }
  VlanSet set;
  set.ranges_.emplace_back(lo, hi);
  return set;
}

VlanSet VlanSet::parse(std::string_view text) {
  std::vector<std::pair<int, int>> ranges;
  while (!trim(text).empty()) {
    const auto comma = text.find(',');
    const std::string_view piece = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto dash = piece.find('-');
    const int lo = parse_tag(piece.substr(0, dash), piece);
    const int hi = dash == std::string_view::npos ? lo : parse_tag(piece.substr(dash + 1), piece);
    ranges.push_back(range(lo, hi).ranges_.front());
  }
  return from_unsorted(std::move(ranges));
}

VlanSet VlanSet::from_unsorted(std::vector<std::pair<int, int>> ranges) {
  std::sort(ranges.begin(), ranges.end());
  VlanSet set;
  for (const auto& [lo, hi] : ranges) {
    if (!set.ranges_.empty() && lo <= set.ranges_.back().second + 1) {
      set.ranges_.back().second = std::max(set.ranges_.back().second, hi);
    } else {
      set.ranges_.emplace_back(lo, hi);
    }
  }
  return set;
}

bool VlanSet::contains(int tag) const {
  const auto it = std::upper_bound(ranges_.begin(), ranges_.end(), std::pair(tag, kMaxTag + 1));
  return it != ranges_.begin() && std::prev(it)->second >= tag;
}

std::size_t VlanSet::size() const {
  std::size_t count = 0;
  for (const auto& [lo, hi] : ranges_) count += static_cast<std::size_t>(hi - lo + 1);
  return count;
}

std::optional<int> VlanSet::lowest() const {
  if (ranges_.empty()) return std::nullopt;
  return ranges_.front().first;
}

void VlanSet::insert(int tag) { *this = unite(range(tag, tag)); }

void VlanSet::erase(int tag) {
  if (contains(tag)) *this = subtract(range(tag, tag));
}

VlanSet VlanSet::unite(const VlanSet& other) const {
  std::vector<std::pair<int, int>> all = ranges_;
  all.insert(all.end(), other.ranges_.begin(), other.ranges_.end());
  return from_unsorted(std::move(all));
}

VlanSet VlanSet::intersect(const VlanSet& other) const {
  VlanSet result;
  auto a = ranges_.begin();
  auto b = other.ranges_.begin();
  while (a != ranges_.end() && b != other.ranges_.end()) {
    const int lo = std::max(a->first, b->first);
    const int hi = std::min(a->second, b->second);
    if (lo <= hi) result.ranges_.emplace_back(lo, hi);
    (a->second < b->second) ? ++a : ++b;
  }
  return result;
}

VlanSet VlanSet::subtract(const VlanSet& other) const {
  VlanSet result;
  auto b = other.ranges_.begin();
  for (auto [lo, hi] : ranges_) {
    while (b != other.ranges_.end() && b->second < lo) ++b;
    for (auto cut = b; cut != other.ranges_.end() && cut->first <= hi; ++cut) {
      if (cut->first > lo) result.ranges_.emplace_back(lo, cut->first - 1);
      lo = cut->second + 1;
    }
    if (lo <= hi) result.ranges_.emplace_back(lo, hi);
  }
  return result;
}

std::string VlanSet::format() const {
  std::string text;
  for (const auto& [lo, hi] : ranges_) {
    if (!text.empty()) text += ',';
    text += std::to_string(lo);
    if (hi != lo) text += '-' + std::to_string(hi);
  }
  return text;
}

}  // namespace federa
